# language: fr
Fonctionnalité: ⑦ Confirmer ses coordonnées avec le code reçu
  « ⑦ J'indique le code de confirmation dans le champ de saisie puis je clique sur « valider ». »
  Bon à savoir : « Pendant la création de Mon Compte, mes coordonnées de contact sont vérifiées
  par l'envoi d'un code. »

  Le guide ne fixe ni la durée de validité du code, ni le nombre d'essais, ni le délai avant
  un nouvel envoi : ce sont des choix du catalogue des règles, rappelés dans le contexte.

  Contexte:
    Étant donné que le site applique les valeurs du guide :
      | règle            | paramètre        | valeur |
      | CODE-FORMAT      | longueur         | 6      |
      | CODE-EXPIRATION  | validite_minutes | 10     |
      | CODE-TENTATIVES  | essais_max       | 3      |
      | CODE-RENVOI      | delai_secondes   | 60     |
    Et une personne qui a reçu un code de confirmation par e-mail

  Règle: Le bon code confirme les coordonnées, un autre est refusé

    @CODE-VALIDATION @etape_7
    Scénario: Le code reçu confirme les coordonnées
      Quand elle saisit le code reçu
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « mot de passe »

    @CODE-VALIDATION @etape_7
    Scénario: Un code faux est refusé
      Quand elle saisit un code faux
      Alors la saisie est refusée avec le message « Le code de confirmation est incorrect. Il vous reste 2 essai(s). »
      Et le parcours reste à l'étape « code de confirmation »

    @CODE-FORMAT @CODE-VALIDATION @etape_7
    Plan du scénario: Un code qui n'a pas 6 chiffres est refusé, avec la raison
      Quand elle saisit le code « <code> »
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « code de confirmation »

      Exemples:
        | code    | message                                          |
        | 12345   | Le code de confirmation comporte 6 chiffres.     |
        | 1234567 | Le code de confirmation comporte 6 chiffres.     |
        | 12a456  | Le code de confirmation comporte 6 chiffres.     |
        |         | Ce champ est obligatoire : Code de confirmation. |

  Règle: Pas de mot de passe, donc pas de compte, sans coordonnées confirmées

    @CODE-VERIFICATION-CONTACT @bon_a_savoir
    Scénario: Le mot de passe ne peut pas être choisi avant la confirmation du code
      Quand elle choisit le mot de passe « Abcdefg1 » sans avoir saisi le code
      Alors la saisie est refusée avec un message d'erreur
      Et le parcours reste à l'étape « code de confirmation »
      Et on ne peut pas se connecter avec ce mot de passe

  Règle: Un code ne sert qu'une fois

    @CODE-USAGE-UNIQUE @bon_a_savoir @api_seulement
    Scénario: Un code déjà utilisé ne sert pas une deuxième fois
      Quand elle saisit le code reçu
      Et elle saisit de nouveau le même code
      Alors la saisie est refusée avec le message « Ce code n'est plus valable. Demandez un nouveau code. »
      Et le parcours reste à l'étape « mot de passe »

    @CODE-USAGE-UNIQUE @bon_a_savoir
    Scénario: Un code remplacé par un nouvel envoi n'est plus valable
      Quand 60 secondes ont passé depuis l'envoi du code
      Et elle demande un nouveau code
      Et elle reçoit le nouveau code
      Et elle saisit l'ancien code
      Alors la saisie est refusée avec le message « Ce code n'est plus valable. Demandez un nouveau code. »
      Et le parcours reste à l'étape « code de confirmation »
      Quand elle saisit le nouveau code
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « mot de passe »

  Règle: Un code est valable 10 minutes

    @CODE-EXPIRATION @bon_a_savoir
    Plan du scénario: Un code encore valable est accepté
      Quand <durée> ont passé depuis l'envoi du code
      Et elle saisit le code reçu
      Alors la saisie est acceptée

      Exemples:
        | durée                    |
        | 5 minutes                |
        | 9 minutes et 50 secondes |

    @CODE-EXPIRATION @bon_a_savoir
    Plan du scénario: Un code expiré est refusé
      Quand <durée> ont passé depuis l'envoi du code
      Et elle saisit le code reçu
      Alors la saisie est refusée avec le message « Ce code a expiré. Demandez un nouveau code. »
      Et le parcours reste à l'étape « code de confirmation »

      Exemples:
        | durée      |
        | 10 minutes |
        | 11 minutes |

  Règle: Le nombre d'essais est limité à 3

    @CODE-TENTATIVES @bon_a_savoir
    Scénario: Après 3 codes faux, même le bon code est refusé
      Quand elle saisit un code faux
      Alors la saisie est refusée avec le message « Le code de confirmation est incorrect. Il vous reste 2 essai(s). »
      Quand elle saisit un code faux
      Alors la saisie est refusée avec le message « Le code de confirmation est incorrect. Il vous reste 1 essai(s). »
      Quand elle saisit un code faux
      Alors la saisie est refusée avec le message « Trop d'essais : ce code n'est plus valable. Demandez un nouveau code. »
      Quand elle saisit le code reçu
      Alors la saisie est refusée avec le message « Trop d'essais : ce code n'est plus valable. Demandez un nouveau code. »
      Et le parcours reste à l'étape « code de confirmation »

  Règle: Un nouveau code peut être demandé après 60 secondes

    @CODE-RENVOI @bon_a_savoir
    Plan du scénario: Un nouvel envoi trop tôt est refusé
      Quand <durée> ont passé depuis l'envoi du code
      Et elle demande un nouveau code
      Alors la saisie est refusée avec le message « Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans »
      Et aucun nouveau code ne lui est envoyé

      Exemples:
        | durée       |
        | 0 seconde   |
        | 50 secondes |

    @CODE-RENVOI @bon_a_savoir
    Scénario: Après 60 secondes, un nouveau code est envoyé
      Quand 60 secondes ont passé depuis l'envoi du code
      Et elle demande un nouveau code
      Alors la saisie est acceptée
      Et elle reçoit le nouveau code
      Quand elle saisit le nouveau code
      Alors la saisie est acceptée

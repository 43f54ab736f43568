# language: fr
Fonctionnalité: ⑦ Confirmer ses coordonnées avec le code reçu
  « ⑦ J'indique le code de confirmation dans le champ de saisie puis je clique sur « valider ». »
  Bon à savoir : « Pendant la création de Mon Compte, mes coordonnées de contact sont vérifiées
  par l'envoi d'un code. »

  Le guide ne fixe ni la longueur du code, ni sa durée de validité, ni le nombre d'essais, ni le
  délai avant un nouvel envoi : ce sont des choix du catalogue des règles (6 chiffres, valable
  10 minutes, 3 essais, un nouvel envoi après 60 secondes). Un site qui a fait d'autres choix les
  donne dans son profil, et les exemples s'écrivent avec eux : « la durée de validité », « le délai
  de renvoi », « longueur + 1 chiffres » (la longueur du code du site, plus un).
  Dans les messages de la référence, {restants} est le nombre d'essais qui restent et {longueur}
  la longueur du code.

  Contexte:
    Étant donné une personne qui a reçu un code de confirmation par e-mail

  Règle: Le bon code confirme les coordonnées, un autre est refusé

    @CODE-VALIDATION @etape_7
    Scénario: Le code reçu confirme les coordonnées
      Quand elle saisit le code reçu
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « mot de passe »

    @CODE-VALIDATION @etape_7
    Scénario: Un code faux est refusé
      Quand elle saisit un code faux
      Alors la saisie est refusée avec le message « Le code de confirmation est incorrect. Il vous reste {restants} essai(s). »
      Et le parcours reste à l'étape « code de confirmation »

    @CODE-FORMAT @etape_7
    Scénario: Le code reçu a 6 chiffres
      Alors le code reçu a 6 chiffres

    @CODE-FORMAT @etape_7
    Plan du scénario: Un code qui n'a pas la longueur du code envoyé est refusé, avec la raison
      Quand elle saisit un code de <forme>
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « code de confirmation »

      Exemples:
        | forme                             | selon le guide | message                                          |
        | longueur − 1 chiffres             | 12345          | Le code de confirmation comporte {longueur} chiffres. |
        | longueur + 1 chiffres             | 1234567        | Le code de confirmation comporte {longueur} chiffres. |
        | longueur caractères dont une lettre | 12a456       | Le code de confirmation comporte {longueur} chiffres. |

    @CODE-VALIDATION @etape_7
    Scénario: Un code laissé vide est refusé
      Quand elle saisit le code « »
      Alors la saisie est refusée avec le message « Ce champ est obligatoire : Code de confirmation. »
      Et le parcours reste à l'étape « code de confirmation »

  Règle: Pas de mot de passe, donc pas de compte, sans coordonnées confirmées

    @CODE-VERIFICATION-CONTACT @bon_a_savoir
    Scénario: Le mot de passe ne peut pas être choisi avant la confirmation du code
      Quand elle choisit le mot de passe « Abcdefghij12 » sans avoir saisi le code
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

    @CODE-USAGE-UNIQUE @bon_a_savoir @avec_renvoi
    Scénario: Un code remplacé par un nouvel envoi n'est plus valable
      Quand le délai de renvoi a passé depuis l'envoi du code
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
      Quand <durée> a passé depuis l'envoi du code
      Et elle saisit le code reçu
      Alors la saisie est acceptée

      Exemples:
        | durée                                   | selon le guide           |
        | la moitié de la durée de validité       | 5 minutes                |
        | la durée de validité moins 10 secondes  | 9 minutes et 50 secondes |

    @CODE-EXPIRATION @bon_a_savoir
    Plan du scénario: Un code expiré est refusé
      Quand <durée> a passé depuis l'envoi du code
      Et elle saisit le code reçu
      Alors la saisie est refusée avec le message « Ce code a expiré. Demandez un nouveau code. »
      Et le parcours reste à l'étape « code de confirmation »

      Exemples:
        | durée                               | selon le guide |
        | la durée de validité                | 10 minutes     |
        | la durée de validité plus 1 minute  | 11 minutes     |

  Règle: Le nombre d'essais est limité à 3

    @CODE-TENTATIVES @bon_a_savoir
    Scénario: Jusqu'au dernier essai permis, le bon code est encore accepté
      Quand elle saisit un code faux autant de fois que le site le permet, moins une
      Alors chacun est refusé avec le message « Le code de confirmation est incorrect. Il vous reste {restants} essai(s). »
      Quand elle saisit le code reçu
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « mot de passe »

    @CODE-TENTATIVES @bon_a_savoir
    Scénario: Après autant de codes faux que d'essais permis, même le bon code est refusé
      Quand elle saisit un code faux autant de fois que le site le permet
      Alors le dernier est refusé avec le message « Trop d'essais : ce code n'est plus valable. Demandez un nouveau code. »
      Quand elle saisit le code reçu
      Alors la saisie est refusée avec le message « Trop d'essais : ce code n'est plus valable. Demandez un nouveau code. »
      Et le parcours reste à l'étape « code de confirmation »

  Règle: Un nouveau code peut être demandé après 60 secondes

    @CODE-RENVOI @bon_a_savoir
    Plan du scénario: Un nouvel envoi trop tôt est refusé
      Quand <durée> a passé depuis l'envoi du code
      Et elle demande un nouveau code
      Alors la saisie est refusée avec le message « Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans {secondes} secondes. »
      Et aucun nouveau code ne lui est envoyé

      Exemples:
        | durée                                 | selon le guide |
        | aucun temps                           | 0 seconde      |
        | le délai de renvoi moins 10 secondes  | 50 secondes    |

    @CODE-RENVOI @bon_a_savoir
    Scénario: Après le délai de renvoi, un nouveau code est envoyé
      Quand le délai de renvoi a passé depuis l'envoi du code
      Et elle demande un nouveau code
      Alors la saisie est acceptée
      Et elle reçoit le nouveau code
      Quand elle saisit le nouveau code
      Alors la saisie est acceptée

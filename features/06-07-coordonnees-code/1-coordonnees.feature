# language: fr
Fonctionnalité: ⑥ Indiquer ses coordonnées de contact et recevoir un code
  « ⑥ Je complète mes coordonnées de contact (mon adresse mail ou mon numéro de téléphone
  portable) puis je clique sur « Envoyer le code ». Je reçois immédiatement un code par mail ou SMS. »

  Dans les exemples, chaque « # » est un chiffre tiré au hasard pour chaque scénario :
  deux scénarios n'écrivent jamais au même destinataire.
  « Aussitôt » : le catalogue des règles compte 30 secondes au plus, et un code de 6 chiffres ; un
  site qui a fait d'autres choix les donne dans son profil, et ce sont les siens qui comptent.

  Contexte:
    Étant donné une personne qui a atteint l'étape « coordonnées de contact »

  Règle: Une adresse e-mail ou un portable, puis « Envoyer le code » : le code arrive aussitôt

    @CODE-ENVOI-IMMEDIAT @etape_6
    Plan du scénario: Le code arrive aussitôt, par le canal choisi
      Quand elle indique son <moyen> « <coordonnée> » et clique sur « Envoyer le code »
      Alors la saisie est acceptée
      Et elle reçoit un code par <canal> dans les 30 secondes

      Exemples: par e-mail
        | moyen                        | coordonnée                      | canal  |
        | adresse e-mail               | camille.durand.#####@exemple.fr | e-mail |

      @par_sms
      Exemples: par SMS
        | moyen                        | coordonnée                      | canal  |
        | numéro de téléphone portable | 06 ## ## ## ##                  | SMS    |

    @CONTACT-EMAIL @CONTACT-ENVOYER-CODE @etape_6
    Plan du scénario: Une adresse e-mail valide reçoit un code par e-mail
      Quand elle indique son adresse e-mail « <adresse> » et clique sur « Envoyer le code »
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « code de confirmation »
      Et un code lui est envoyé par e-mail

      Exemples:
        | adresse                             | cas                         |
        | camille.durand.#####@exemple.fr     | adresse simple              |
        | Jean-Pierre.N-Diaye#####@Exemple.FR | majuscules, tirets          |
        | paul+caf#####@courriel.exemple.fr   | signe plus, sous-domaine    |

    @CONTACT-MOBILE @CONTACT-ENVOYER-CODE @etape_6
    Plan du scénario: Un portable de métropole ou d'outre-mer reçoit un code par SMS
      Quand elle indique son numéro de téléphone portable « <numéro> » et clique sur « Envoyer le code »
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « code de confirmation »
      Et un code lui est envoyé par SMS

      Exemples: métropole
        | numéro            | cas                           |
        | 06 ## ## ## ##    | portable en 06                |
        | 07 8# ## ## ##    | portable en 07                |
        | +33 6 ## ## ## ## | forme internationale          |

      Exemples: outre-mer
        | numéro            | cas                                  |
        | 0692 ## ## ##     | La Réunion, saisi comme en métropole |
        | +262 692 ## ## ## | La Réunion                           |
        | +262 639 2# ## ## | Mayotte                              |
        | +590 690 ## ## ## | Guadeloupe                           |
        | +596 696 2# ## ## | Martinique                           |
        | +594 694 2# ## ## | Guyane                               |

  Règle: Une coordonnée absente ou invalide est refusée, et aucun code n'est envoyé

    @etape_6
    Plan du scénario: Une coordonnée invalide est refusée, avec la raison
      Quand elle indique son <moyen> « <coordonnée> » et clique sur « Envoyer le code »
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « coordonnées de contact »
      Et aucun code n'est envoyé à « <coordonnée> »

      @CONTACT-EMAIL
      Exemples: adresses e-mail
        | moyen          | coordonnée                | message                                                              |
        | adresse e-mail | camille.durand            | L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr). |
        | adresse e-mail | camille.durand@           | L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr). |
        | adresse e-mail | camille durand@exemple.fr | L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr). |

      @CONTACT-MOBILE
      Exemples: numéros de téléphone
        | moyen                        | coordonnée      | message                                                                        | cas                      |
        | numéro de téléphone portable | 01 23 45 67 89  | Ce numéro n'est pas un numéro de téléphone portable : le code est envoyé par SMS. | ligne fixe de Paris   |
        | numéro de téléphone portable | 0590 12 34 56   | Ce numéro n'est pas un numéro de téléphone portable : le code est envoyé par SMS. | ligne fixe de Guadeloupe |
        | numéro de téléphone portable | 06 12 34        | Le numéro de téléphone portable n'est pas valide (exemple : 06 12 34 56 78).   | numéro incomplet         |
        | numéro de téléphone portable | +44 7911 123456 | Le numéro de téléphone portable n'est pas valide (exemple : 06 12 34 56 78).   | portable britannique     |

    @CONTACT-COORDONNEES @etape_6
    Plan du scénario: Une coordonnée laissée vide est refusée
      Quand elle laisse vide son <moyen> et clique sur « Envoyer le code »
      Alors la saisie est refusée avec un message d'erreur
      Et le parcours reste à l'étape « coordonnées de contact »

      Exemples:
        | moyen                        |
        | adresse e-mail               |
        | numéro de téléphone portable |

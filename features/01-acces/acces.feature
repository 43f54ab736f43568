# language: fr
Fonctionnalité: Accéder à la création de Mon Compte (introduction, étapes ① ② ③)
  « Pour faire une demande de prestation, je dois d'abord créer mon espace personnel si je ne suis
  pas encore allocataire. Si je fais partie d'un foyer allocataire, je peux aussi créer mon espace
  personnel. »
  « ① Pour créer Mon Compte, je me rends dans la rubrique « Aides et démarches ». À noter : si je
  fais partie d'un foyer allocataire, je clique directement sur l'icone « Mon Compte » qui se trouve
  en haut de la page d'accueil de caf.fr. Je passe ensuite à l'étape ③.
  ② Je clique sur « Mes démarches » et je choisis le thème qui m'intéresse dans le bandeau
  « Faites une demande de prestation en ligne ».
  ③ Je choisis la prestation qui correspond à ma situation et je clique sur « Faire la demande »
  puis sur « Créer un compte » pour « commencer ». »

  Le guide ne nomme aucun thème ni aucune prestation : les scénarios prennent ceux que le site
  propose. Les noms cités en exemple sont ceux de l'implémentation de référence (un choix du projet) :
  ils ne se vérifient que sur elle.

  Règle: Un compte est nécessaire pour demander une prestation ; les membres d'un foyer peuvent aussi en créer un

    @ACCES-COMPTE-REQUIS @introduction @navigateur_seulement
    Scénario: Sans compte, « Faire la demande » mène à la création du compte ou à la connexion
      Étant donné une personne qui n'a pas de compte, qui a choisi une prestation proposée par le site
      Quand elle clique sur « Faire la demande »
      Alors on lui propose de créer son compte ou de se connecter, pas encore le formulaire de demande

    @ACCES-COMPTE-REQUIS @introduction @api_seulement
    Plan du scénario: Sans compte, une demande de prestation envoyée n'est pas enregistrée
      Étant donné une personne qui n'a pas de compte
      Quand elle fait une demande de « <prestation> »
      Alors la demande est refusée faute de connexion
      Et elle peut commencer la création de son compte pour « <prestation> »

      Exemples:
        | prestation                           |
        | Prime d'activité                     |
        | Aide personnalisée au logement (APL) |

    @ACCES-MEMBRE-FOYER @introduction
    Plan du scénario: Un membre d'un foyer allocataire crée son propre espace
      Étant donné une personne « <rôle> » d'un foyer allocataire
      Quand elle crée son compte en suivant les étapes ④ à ⑧
      Et elle se connecte avec son numéro de sécurité sociale et son mot de passe
      Alors la connexion est acceptée
      Et son espace lui propose au moins une action

      Exemples:
        | rôle                      |
        | Responsable du dossier    |
        | Conjoint sans procuration |
        | Enfant de plus de 15 ans  |
        | Personne à charge         |

  Règle: ① « Aides et démarches », ② « Mes démarches » et le bandeau, ③ la prestation, « Faire la demande », « Créer un compte », « Commencer »

    @NAV-AIDES-DEMARCHES @etape_1 @navigateur_seulement
    Scénario: La page d'accueil mène à la rubrique « Aides et démarches »
      Étant donné une personne sur la page d'accueil
      Quand elle clique sur « Aides et démarches »
      Alors on lui propose « Mes démarches »

    @NAV-ICONE-MON-COMPTE @etape_1 @navigateur_seulement
    Scénario: L'icône « Mon Compte » en haut de la page d'accueil mène directement à l'étape ③
      Étant donné une personne sur la page d'accueil
      Alors on lui propose « Mon Compte » en haut de la page
      Quand elle clique sur « Mon Compte »
      Alors on lui propose « Créer un compte »
      Quand elle clique sur « Créer un compte »
      Et elle clique sur « Commencer »
      Alors le parcours est à l'étape « état civil »

    @NAV-MES-DEMARCHES @etape_2 @navigateur_seulement
    Scénario: « Mes démarches » présente le bandeau des thèmes
      Étant donné une personne sur la page d'accueil
      Quand elle clique sur « Aides et démarches »
      Et elle clique sur « Mes démarches »
      Alors le bandeau « Faites une demande de prestation en ligne » propose au moins un thème

    @NAV-BANDEAU-THEMES @etape_2 @navigateur_seulement
    Scénario: Chaque thème du bandeau propose ses prestations
      Étant donné une personne sur la page « Mes démarches »
      Alors chaque thème du bandeau propose au moins une prestation

    @NAV-BANDEAU-THEMES @etape_2 @navigateur_seulement @choix_de_la_reference
    Scénario: Les thèmes du bandeau de l'implémentation de référence
      Étant donné une personne sur la page « Mes démarches »
      Alors le bandeau « Faites une demande de prestation en ligne » propose les thèmes :
        | thème                   |
        | Logement                |
        | Enfance et jeunesse     |
        | Solidarité et insertion |
        | Handicap                |

    @NAV-CHOIX-PRESTATION @etape_3 @navigateur_seulement @choix_de_la_reference
    Plan du scénario: Chaque thème de l'implémentation de référence propose ses prestations
      Étant donné une personne sur la page « Mes démarches »
      Quand elle choisit le thème « <thème> »
      Alors la prestation « <prestation> » lui est proposée

      Exemples:
        | thème                   | prestation                                  |
        | Logement                | Aide personnalisée au logement (APL)        |
        | Enfance et jeunesse     | Prestation d'accueil du jeune enfant (PAJE) |
        | Solidarité et insertion | Prime d'activité                            |
        | Handicap                | Allocation aux adultes handicapés (AAH)     |

    @NAV-CHOIX-PRESTATION @etape_3 @navigateur_seulement
    Scénario: Une prestation choisie propose « Faire la demande »
      Étant donné une personne sur la page « Mes démarches »
      Quand elle choisit un thème, puis une des prestations proposées
      Alors on lui propose « Faire la demande »

    @NAV-FAIRE-LA-DEMANDE @etape_3 @navigateur_seulement
    Scénario: « Faire la demande » mène à la suite de la démarche
      Étant donné une personne qui n'a pas de compte, qui a choisi une prestation proposée par le site
      Quand elle clique sur « Faire la demande »
      Alors une nouvelle page s'affiche, sans erreur

    @NAV-CREER-UN-COMPTE @etape_3 @navigateur_seulement
    Scénario: Après « Faire la demande », « Créer un compte » puis « Commencer » ouvrent l'étape « état civil »
      Étant donné une personne qui n'a pas de compte, qui a cliqué sur « Faire la demande » d'une prestation
      Alors on lui propose « Créer un compte »
      Quand elle clique sur « Créer un compte »
      Et elle clique sur « Commencer »
      Alors le parcours est à l'étape « état civil »

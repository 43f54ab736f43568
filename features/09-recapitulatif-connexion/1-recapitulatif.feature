# language: fr
Fonctionnalité: ⑨ Vérifier le récapitulatif
  « ⑨ Un récapitulatif des informations saisies pendant la création de Mon Compte s'affiche.
  Je vérifie qu'elles sont correctes puis je clique sur « Se connecter ». »

  Chaque site nomme à sa façon les lignes de son récapitulatif (« N° de sécurité sociale »,
  « Prénom(s) ») : une information est reconnue à son libellé, ou, à défaut, à sa valeur.

  Règle: Le récapitulatif montre tout ce qui a été saisi, le titre masqué, jamais le mot de passe

    @RECAP-AFFICHAGE @etape_9
    Plan du scénario: Le récapitulatif reprend les informations saisies
      Étant donné une personne qui a une carte d'identité, qui reçoit ses codes par <moyen>
      Quand elle crée son compte en suivant les étapes ④ à ⑧
      Alors le récapitulatif montre les informations qu'elle a saisies :
        | information                  |
        | Numéro de sécurité sociale   |
        | Civilité                     |
        | Nom de naissance             |
        | Prénoms                      |
        | Date de naissance            |
        | Lieu de naissance            |
        | <coordonnée>                 |

      Exemples: codes par e-mail
        | moyen  | coordonnée                   |
        | e-mail | Adresse e-mail               |

      @par_sms
      Exemples: codes par SMS
        | moyen  | coordonnée                   |
        | SMS    | Numéro de téléphone portable |

    @RECAP-PIECE-MASQUEE @etape_9
    Plan du scénario: Le numéro du titre d'identité n'apparaît que masqué
      Étant donné une personne qui a <titre>, qui reçoit ses codes par e-mail
      Quand elle crée son compte en suivant les étapes ④ à ⑧
      Alors le récapitulatif montre le numéro de son titre masqué, seuls ses 4 derniers caractères restant lisibles

      Exemples:
        | titre                 |
        | une carte d'identité  |
        | un passeport français |
        | un titre de séjour    |

    @RECAP-SANS-MDP @etape_9
    Plan du scénario: Le mot de passe n'apparaît jamais au récapitulatif
      Étant donné une personne qui a atteint l'étape « mot de passe »
      Quand elle choisit le mot de passe « <mot de passe> »
      Alors le récapitulatif ne montre pas le mot de passe

      Exemples:
        | mot de passe        |
        | Secret2024Recap     |
        | Mon chat a 4 pattes |

  Règle: Depuis le récapitulatif, « Se connecter » mène à la connexion

    @RECAP-SE-CONNECTER @etape_9 @navigateur_seulement
    Scénario: « Se connecter » depuis le récapitulatif ouvre son espace
      Étant donné une personne qui a créé son compte
      Quand elle clique sur « Se connecter » depuis le récapitulatif
      Alors la page de connexion s'affiche
      Quand elle se connecte avec son numéro de sécurité sociale et son mot de passe
      Alors la connexion est acceptée
      Et son espace lui propose au moins une action

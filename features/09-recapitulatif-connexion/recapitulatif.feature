# language: fr
Fonctionnalité: ⑨ Vérifier le récapitulatif
  « ⑨ Un récapitulatif des informations saisies pendant la création de Mon Compte s'affiche.
  Je vérifie qu'elles sont correctes puis je clique sur « Se connecter ». »

  Règle: Le récapitulatif montre tout ce qui a été saisi, le titre masqué, jamais le mot de passe

    @RECAP-AFFICHAGE @etape_9
    Plan du scénario: Le récapitulatif reprend les informations saisies
      Étant donné une personne dont le titre « carte d'identité » porte le numéro « <numéro> », qui reçoit ses codes par <moyen>
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

      Exemples:
        | numéro    | moyen | coordonnée                   |
        | A1B2C3D4E | e-mail | Adresse e-mail               |
        | F5G6H7J8K | SMS    | Numéro de téléphone portable |

    @RECAP-PIECE-MASQUEE @RECAP-AFFICHAGE @etape_9
    Plan du scénario: Le numéro du titre d'identité n'apparaît que masqué
      Étant donné une personne dont le titre « <titre> » porte le numéro « <numéro> », qui reçoit ses codes par e-mail
      Quand elle crée son compte en suivant les étapes ④ à ⑧
      Alors le récapitulatif montre le numéro du titre masqué, seuls « <visibles> » restant lisibles

      Exemples:
        | titre              | numéro       | visibles |
        | carte d'identité   | X4RTBPFW4    | PFW4     |
        | passeport français | 12AB34567    | 4567     |
        | titre de séjour    | 1234567890   | 7890     |

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
      Et elle se connecte avec son numéro de sécurité sociale et son mot de passe
      Alors la connexion est acceptée
      Et son espace lui propose au moins une action

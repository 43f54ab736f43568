# language: fr
Fonctionnalité: Rôles du foyer allocataire : ce que chacun peut faire dans son espace
  Bon à savoir : « Si je suis un conjoint sans procuration, un enfant de plus de 15 ans ou une
  personne à charge faisant partie d'un foyer allocataire, la création d'un espace personnel me
  permet de consulter mes données personnelles, modifier mes coordonnées de contact ou déclarer
  une séparation. »
  « Si mon conjoint est le responsable du dossier et qu'il m'a donné une procuration, j'ai accès
  aux mêmes fonctionnalités et services que lui. Je peux demander une prestation et gérer le dossier. »
  Introduction : « Pour faire une demande de prestation, je dois d'abord créer mon espace
  personnel si je ne suis pas encore allocataire. »

  Une action permise est proposée dans « Mon espace » et aboutit ; une action refusée n'y est
  pas proposée et, tentée quand même, est refusée avec la raison.

  Règle: Chaque rôle a les actions que le guide lui donne, et seulement celles-là

    @bon_a_savoir
    Plan du scénario: Chaque rôle du foyer, chaque action
      Étant donné une personne « <rôle> » qui s'est connectée à son espace
      Quand elle choisit l'action « <action> »
      Alors l'action est <décision>
      Et la raison donnée est « <message> »

      @ROLE-RESPONSABLE
      Exemples: Responsable du dossier
        | rôle                   | action                              | décision | message |
        | Responsable du dossier | Faire une demande de prestation     | permise  | —       |
        | Responsable du dossier | Gérer le dossier                    | permise  | —       |
        | Responsable du dossier | Consulter mes données personnelles  | permise  | —       |
        | Responsable du dossier | Modifier mes coordonnées de contact | permise  | —       |
        | Responsable du dossier | Déclarer une séparation             | permise  | —       |

      @ROLE-CONJOINT-PROCURATION-DEMANDE
      Exemples: Conjoint avec procuration : demander une prestation, gérer le dossier
        | rôle                      | action                              | décision | message |
        | Conjoint avec procuration | Faire une demande de prestation     | permise  | —       |
        | Conjoint avec procuration | Gérer le dossier                    | permise  | —       |

      @ROLE-CONJOINT-PROCURATION
      Exemples: Conjoint avec procuration : les mêmes fonctionnalités que le responsable
        | rôle                      | action                              | décision | message |
        | Conjoint avec procuration | Consulter mes données personnelles  | permise  | —       |
        | Conjoint avec procuration | Modifier mes coordonnées de contact | permise  | —       |
        | Conjoint avec procuration | Déclarer une séparation             | permise  | —       |

      @ROLE-CONJOINT-SANS-PROCURATION
      Exemples: Conjoint sans procuration
        | rôle                      | action                              | décision | message                                                                                                            |
        | Conjoint sans procuration | Faire une demande de prestation     | refusée  | Votre rôle dans le foyer (Conjoint sans procuration) ne permet pas cette action : Faire une demande de prestation. |
        | Conjoint sans procuration | Gérer le dossier                    | refusée  | Votre rôle dans le foyer (Conjoint sans procuration) ne permet pas cette action : Gérer le dossier.                |
        | Conjoint sans procuration | Consulter mes données personnelles  | permise  | —                                                                                                                  |
        | Conjoint sans procuration | Modifier mes coordonnées de contact | permise  | —                                                                                                                  |
        | Conjoint sans procuration | Déclarer une séparation             | permise  | —                                                                                                                  |

      @ROLE-ENFANT-15
      Exemples: Enfant de plus de 15 ans
        | rôle                     | action                              | décision | message                                                                                                           |
        | Enfant de plus de 15 ans | Faire une demande de prestation     | refusée  | Votre rôle dans le foyer (Enfant de plus de 15 ans) ne permet pas cette action : Faire une demande de prestation. |
        | Enfant de plus de 15 ans | Gérer le dossier                    | refusée  | Votre rôle dans le foyer (Enfant de plus de 15 ans) ne permet pas cette action : Gérer le dossier.                |
        | Enfant de plus de 15 ans | Consulter mes données personnelles  | permise  | —                                                                                                                 |
        | Enfant de plus de 15 ans | Modifier mes coordonnées de contact | permise  | —                                                                                                                 |
        | Enfant de plus de 15 ans | Déclarer une séparation             | permise  | —                                                                                                                 |

      @ROLE-PERSONNE-A-CHARGE
      Exemples: Personne à charge
        | rôle              | action                              | décision | message                                                                                                    |
        | Personne à charge | Faire une demande de prestation     | refusée  | Votre rôle dans le foyer (Personne à charge) ne permet pas cette action : Faire une demande de prestation. |
        | Personne à charge | Gérer le dossier                    | refusée  | Votre rôle dans le foyer (Personne à charge) ne permet pas cette action : Gérer le dossier.                |
        | Personne à charge | Consulter mes données personnelles  | permise  | —                                                                                                          |
        | Personne à charge | Modifier mes coordonnées de contact | permise  | —                                                                                                          |
        | Personne à charge | Déclarer une séparation             | permise  | —                                                                                                          |

      @ACCES-COMPTE-REQUIS
      Exemples: Pas encore allocataire : demander une prestation
        | rôle                   | action                              | décision | message |
        | Pas encore allocataire | Faire une demande de prestation     | permise  | —       |

      @ROLE-NON-ALLOCATAIRE
      Exemples: Pas encore allocataire : ses autres droits (un choix du projet, au-delà du guide)
        | rôle                   | action                              | décision | message                                                                                                 |
        | Pas encore allocataire | Gérer le dossier                    | permise  | —                                                                                                       |
        | Pas encore allocataire | Consulter mes données personnelles  | permise  | —                                                                                                       |
        | Pas encore allocataire | Modifier mes coordonnées de contact | permise  | —                                                                                                       |
        | Pas encore allocataire | Déclarer une séparation             | refusée  | Votre rôle dans le foyer (Pas encore allocataire) ne permet pas cette action : Déclarer une séparation. |

  Règle: La procuration donnée par le responsable change aussitôt les droits du conjoint

    @ROLE-CONJOINT-PROCURATION-DEMANDE @bon_a_savoir
    Scénario: Une procuration donnée par le responsable ouvre au conjoint la demande et la gestion du dossier
      Étant donné un foyer dont le responsable et le conjoint ont chacun créé leur compte, sans procuration
      Quand le responsable donne une procuration à son conjoint
      Et le conjoint se connecte à son espace
      Alors l'action « Faire une demande de prestation » lui est permise
      Et l'action « Gérer le dossier » lui est permise

    @ROLE-CONJOINT-SANS-PROCURATION @bon_a_savoir
    Scénario: Une procuration retirée referme au conjoint la demande et la gestion du dossier
      Étant donné un foyer dont le responsable et le conjoint ont chacun créé leur compte, avec une procuration donnée puis retirée par le responsable
      Quand le conjoint se connecte à son espace
      Alors l'action « Faire une demande de prestation » lui est refusée
      Et l'action « Gérer le dossier » lui est refusée

    @ROLE-CONJOINT-PROCURATION @bon_a_savoir
    Scénario: Seul le responsable du dossier donne une procuration
      Étant donné une personne « Conjoint sans procuration » qui s'est connectée à son espace
      Quand elle essaie de se donner une procuration
      Alors la demande est refusée
      Et ses droits dans son espace n'ont pas changé

  Règle: Un enfant du foyer crée son espace à partir de 16 ans (« plus de 15 ans »)

    Le guide dit « plus de 15 ans » : le catalogue des règles lit « à partir de 16 ans » (age_min),
    un choix qu'un profil de site peut remplacer par le sien. Les âges sont comptés le jour de
    l'essai.

    @ROLE-ENFANT-AGE @bon_a_savoir
    Plan du scénario: Un enfant qui n'a pas plus de 15 ans ne peut pas créer son espace
      Étant donné un enfant du foyer qui a <âge>
      Quand il renseigne son état civil et son titre d'identité
      Alors la saisie est refusée avec le message « Un enfant du foyer peut créer son espace personnel à partir de {age_min} ans. »
      Et il ne peut pas aller jusqu'à l'étape « coordonnées de contact »

      Exemples:
        | âge                   | selon le guide | cas                                      |
        | age_min − 1 ans       | 15 ans         |                                          |
        | age_min ans demain    | 16 ans demain  | 15 ans révolus, la veille de ses 16 ans  |
        | 12 ans                | 12 ans         |                                          |

    @ROLE-ENFANT-15 @ACCES-MEMBRE-FOYER @bon_a_savoir
    Plan du scénario: Un enfant de plus de 15 ans crée son espace
      Étant donné un enfant du foyer qui a <âge>
      Quand il crée son compte en suivant les étapes ④ à ⑧
      Et il se connecte avec son numéro de sécurité sociale et son mot de passe
      Alors la connexion est acceptée
      Et son espace lui propose exactement :
        | action                              |
        | Consulter mes données personnelles  |
        | Modifier mes coordonnées de contact |
        | Déclarer une séparation             |

      Exemples:
        | âge                       | selon le guide     |
        | age_min ans aujourd'hui   | 16 ans aujourd'hui |
        | age_min + 1 ans           | 17 ans             |

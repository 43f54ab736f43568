# language: fr
Fonctionnalité: ⑧ Choisir son mot de passe
  « ⑧ Je choisis mon mot de passe. Il doit faire entre 8 et 24 caractères et se composer
  d'au moins 1 chiffre, 1 lettre majuscule et 1 lettre minuscule. »

  Les nombres du guide (8, 24, 1) sont les valeurs par défaut. Un site dont le profil de recette
  fixe d'autres valeurs (12 caractères au moins, par exemple) est vérifié à ses valeurs :
  - les exemples « aux bornes » sont écrits avec min et max, la longueur minimale et maximale du
    site : min − 1 et max + 1 caractères sont refusés, min et max acceptés ;
  - un exemple écrit tel quel (« Émilie2024 », 10 caractères) que les valeurs du site contredisent
    est jugé selon elles : refusé si le site demande 12 caractères, et le rapport le dit.
  Les messages cités sont ceux de l'implémentation de référence : un autre site a les siens.

  Contexte:
    Étant donné une personne qui a atteint l'étape « mot de passe »

  Règle: La personne choisit elle-même son mot de passe, et la règle lui est montrée

    @MDP-CHOIX @etape_8
    Scénario: La règle du mot de passe est lisible avec le champ, avant toute saisie
      Alors la règle affichée avec le champ « Mot de passe » donne, avant toute saisie :
        | ce qu'elle donne                  | selon le guide     |
        | le nombre minimal de caractères   | 8                  |
        | le nombre maximal de caractères   | 24                 |
        | le nombre de chiffres             | 1 chiffre          |
        | le nombre de lettres majuscules   | 1 lettre majuscule |
        | le nombre de lettres minuscules   | 1 lettre minuscule |

  Règle: Entre 8 et 24 caractères

    @MDP-LONGUEUR @MDP-CHOIX @etape_8
    Plan du scénario: Un mot de passe aux bornes de longueur est accepté
      Quand elle choisit un mot de passe de <longueur> caractères qui respecte le reste de la règle
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « récapitulatif »
      Et elle peut se connecter avec ce mot de passe

      Exemples:
        | longueur | selon le guide |
        | min      | 8              |
        | max      | 24             |

    @MDP-LONGUEUR @etape_8
    Plan du scénario: Un mot de passe trop court ou trop long est refusé
      Quand elle choisit un mot de passe de <longueur> caractères qui respecte le reste de la règle
      Alors la saisie est refusée avec le message « Le mot de passe doit faire entre {min} et {max} caractères. »
      Et le parcours reste à l'étape « mot de passe »
      Et on ne peut pas se connecter avec ce mot de passe

      Exemples:
        | longueur | selon le guide |
        | min − 1  | 7              |
        | max + 1  | 25             |

    @MDP-LONGUEUR @etape_8
    Plan du scénario: Un mot de passe du guide, trop court ou trop long, est refusé
      Quand elle choisit le mot de passe « <mot de passe> »
      Alors la saisie est refusée avec le message « Le mot de passe doit faire entre 8 et 24 caractères. »
      Et le parcours reste à l'étape « mot de passe »
      Et on ne peut pas se connecter avec ce mot de passe

      Exemples:
        | mot de passe              | longueur |
        | Abcdef1                   | 7        |
        | Abcdefghijklmnopqrstuvw12 | 25       |
        | Ab1                       | 3        |

  Règle: Au moins 1 chiffre, 1 lettre majuscule et 1 lettre minuscule

    @MDP-CHIFFRE @MDP-MAJUSCULE @MDP-MINUSCULE @MDP-CHOIX @etape_8
    Plan du scénario: Un mot de passe qui respecte la règle est accepté
      Quand elle choisit le mot de passe « <mot de passe> »
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « récapitulatif »
      Et elle peut se connecter avec ce mot de passe

      Exemples: bornes du guide
        | mot de passe             | longueur | ce qu'il montre                 |
        | Abcdefg1                 | 8        | le minimum du guide             |
        | Abcdefghijklmnopqrstuv12 | 24       | le maximum du guide             |
        | Soleil2024!              | 11       | un caractère spécial est permis |

      Exemples: lettres accentuées et espaces
        | mot de passe         | longueur | ce qu'il montre                            |
        | Émilie2024           | 10       | É compte comme une majuscule               |
        | ÉTÉ2024é             | 8        | é compte comme une minuscule               |
        | Mon chat a 4 pattes  | 19       | les espaces sont des caractères ordinaires |

    @etape_8
    Plan du scénario: Un mot de passe sans chiffre, sans majuscule ou sans minuscule est refusé, avec la raison
      Quand elle choisit le mot de passe « <mot de passe> »
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « mot de passe »
      Et on ne peut pas se connecter avec ce mot de passe

      @MDP-CHIFFRE
      Exemples: pas de chiffre
        | mot de passe   | longueur | message                                                    |
        | Abcdefghijklmn | 14       | Le mot de passe doit contenir au moins 1 chiffre.          |

      @MDP-MAJUSCULE
      Exemples: pas de majuscule
        | mot de passe     | longueur | message                                                    |
        | abcdefghijklm1   | 14       | Le mot de passe doit contenir au moins 1 lettre majuscule. |
        | 12345678901234   | 14       | Le mot de passe doit contenir au moins 1 lettre majuscule. |

      @MDP-MINUSCULE
      Exemples: pas de minuscule
        | mot de passe     | longueur | message                                                    |
        | ABCDEFGHIJKLM1   | 14       | Le mot de passe doit contenir au moins 1 lettre minuscule. |
        | 12345678901234   | 14       | Le mot de passe doit contenir au moins 1 lettre minuscule. |

  Règle: Une confirmation du mot de passe, là où le site en demande une, doit être identique

    @MDP-CHOIX @etape_8
    Scénario: Une confirmation différente du mot de passe est refusée
      Quand elle choisit un mot de passe de max caractères qui respecte le reste de la règle, et en confirme un autre
      Alors la saisie est refusée avec un message d'erreur
      Et le parcours reste à l'étape « mot de passe »
      Et on ne peut pas se connecter avec ce mot de passe

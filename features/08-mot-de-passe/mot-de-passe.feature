# language: fr
Fonctionnalité: ⑧ Choisir son mot de passe
  « ⑧ Je choisis mon mot de passe. Il doit faire entre 8 et 24 caractères et se composer
  d'au moins 1 chiffre, 1 lettre majuscule et 1 lettre minuscule. »

  Contexte:
    Étant donné que le site applique les valeurs du guide :
      | règle         | paramètre | valeur |
      | MDP-LONGUEUR  | min       | 8      |
      | MDP-LONGUEUR  | max       | 24     |
      | MDP-CHIFFRE   | min       | 1      |
      | MDP-MAJUSCULE | min       | 1      |
      | MDP-MINUSCULE | min       | 1      |
    Et une personne qui a atteint l'étape « mot de passe »

  Règle: La personne choisit elle-même son mot de passe, et la règle lui est montrée

    @MDP-CHOIX @etape_8
    Scénario: La règle du mot de passe est affichée avec le champ
      Alors la règle affichée avec le champ « Mot de passe » dit :
        | entre 8 et 24 caractères |
        | 1 chiffre                |
        | 1 lettre majuscule       |
        | 1 lettre minuscule       |

  Règle: Entre 8 et 24 caractères, au moins 1 chiffre, 1 majuscule et 1 minuscule

    @MDP-CHOIX @MDP-LONGUEUR @MDP-CHIFFRE @MDP-MAJUSCULE @MDP-MINUSCULE @etape_8
    Plan du scénario: Un mot de passe qui respecte la règle est accepté
      Quand elle choisit le mot de passe « <mot de passe> »
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « récapitulatif »
      Et elle peut se connecter avec ce mot de passe

      Exemples: bornes de longueur
        | mot de passe             | longueur | ce qu'il montre                 |
        | Abcdefg1                 | 8        | le minimum exact                |
        | Abcdefghijklmnopqrstuv12 | 24       | le maximum exact                |
        | Soleil2024!              | 11       | un caractère spécial est permis |

      Exemples: lettres accentuées et espaces
        | mot de passe         | longueur | ce qu'il montre                           |
        | Émilie2024           | 10       | É compte comme une majuscule              |
        | ÉTÉ2024é             | 8        | é compte comme une minuscule              |
        | Mon chat a 4 pattes  | 19       | les espaces sont des caractères ordinaires |

    @etape_8
    Plan du scénario: Un mot de passe qui ne respecte pas la règle est refusé, avec la raison
      Quand elle choisit le mot de passe « <mot de passe> »
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « mot de passe »
      Et on ne peut pas se connecter avec ce mot de passe

      @MDP-LONGUEUR
      Exemples: trop court ou trop long
        | mot de passe              | longueur | message                                               |
        | Abcdef1                   | 7        | Le mot de passe doit faire entre 8 et 24 caractères. |
        | Abcdefghijklmnopqrstuvw12 | 25       | Le mot de passe doit faire entre 8 et 24 caractères. |
        | Ab1                       | 3        | Le mot de passe doit faire entre 8 et 24 caractères. |

      @MDP-CHIFFRE
      Exemples: pas de chiffre
        | mot de passe | longueur | message                                                      |
        | Abcdefgh     | 8        | Le mot de passe doit contenir au moins 1 chiffre.            |

      @MDP-MAJUSCULE
      Exemples: pas de majuscule
        | mot de passe | longueur | message                                                      |
        | abcdefg1     | 8        | Le mot de passe doit contenir au moins 1 lettre majuscule.   |
        | 12345678     | 8        | Le mot de passe doit contenir au moins 1 lettre majuscule.   |

      @MDP-MINUSCULE
      Exemples: pas de minuscule
        | mot de passe | longueur | message                                                      |
        | ABCDEFG1     | 8        | Le mot de passe doit contenir au moins 1 lettre minuscule.   |
        | 12345678     | 8        | Le mot de passe doit contenir au moins 1 lettre minuscule.   |

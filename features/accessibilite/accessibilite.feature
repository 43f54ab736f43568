# language: fr
@accessibilite @navigateur_seulement
Fonctionnalité: Accessibilité du parcours (RGAA) et petits écrans (au-delà du guide)
  « La création de mon espace est simple et rapide ! Je suis guidé tout au long de la démarche »
  Le guide ne parle pas d'accessibilité ; un site public doit respecter le RGAA, et la plupart des
  comptes se créent sur un téléphone. Ces règles (SHOULD) vérifient, page par page, ce que rencontre
  une personne qui utilise un lecteur d'écran, le clavier seul ou un petit écran. Elles se vérifient
  sur les pages : le pilote API ne les voit pas.

  Règle: Aucune page du parcours n'a de défaut d'accessibilité grave

    @A11Y-AXE
    Scénario: La page d'accueil passe le contrôle automatique
      Étant donné une personne qui arrive sur la page d'accueil
      Quand on contrôle automatiquement l'accessibilité de la page
      Alors aucun défaut grave ou critique n'est trouvé

    @A11Y-AXE
    Plan du scénario: La page de l'étape « <étape> » passe le contrôle automatique
      Étant donné une personne qui a atteint l'étape « <étape> »
      Quand on contrôle automatiquement l'accessibilité de la page
      Alors aucun défaut grave ou critique n'est trouvé

      Exemples:
        | étape                    |
        | état civil               |
        | pièce d'identité         |
        | coordonnées de contact   |
        | code de confirmation     |
        | mot de passe             |
        | récapitulatif            |

    @A11Y-AXE
    Scénario: « Mon espace » passe le contrôle automatique
      Étant donné une personne qui s'est connectée à son espace
      Quand on contrôle automatiquement l'accessibilité de la page
      Alors aucun défaut grave ou critique n'est trouvé

  Règle: Chaque champ a une étiquette, chaque erreur est reliée à son champ et annoncée

    @A11Y-ETIQUETTES
    Plan du scénario: Chaque champ de l'étape « <étape> » a une étiquette lue par les lecteurs d'écran
      Étant donné une personne qui a atteint l'étape « <étape> »
      Alors chaque champ de la page a une étiquette lue par les lecteurs d'écran

      Exemples:
        | étape                    |
        | état civil               |
        | pièce d'identité         |
        | coordonnées de contact   |
        | code de confirmation     |
        | mot de passe             |

    @A11Y-ERREURS
    Plan du scénario: Une page de l'étape « <étape> » validée vide dit ce qui manque, champ par champ, et l'annonce
      Étant donné une personne qui a atteint l'étape « <étape> »
      Quand elle valide la page sans rien remplir
      Alors chaque message d'erreur est relié à son champ
      Et le refus est annoncé aux lecteurs d'écran

      Exemples:
        | étape                    |
        | état civil               |
        | coordonnées de contact   |
        | code de confirmation     |
        | mot de passe             |

  Règle: Au clavier seul, on atteint chaque champ et chaque bouton, on voit où l'on est, on n'est jamais retenu

    @A11Y-CLAVIER
    Plan du scénario: Sur la page de l'étape « <étape> », une personne qui n'utilise que le clavier atteint chaque champ et chaque bouton
      Étant donné une personne qui a atteint l'étape « <étape> »
      Quand elle parcourt la page avec la touche Tabulation
      Alors elle atteint chaque champ et chaque bouton du formulaire
      Et elle voit toujours où est le focus
      Et elle n'est jamais retenue sur un élément

      Exemples:
        | étape                    |
        | état civil               |
        | pièce d'identité         |
        | coordonnées de contact   |
        | code de confirmation     |
        | mot de passe             |

    @A11Y-CLAVIER
    Scénario: Une personne qui n'utilise que le clavier va de la page d'accueil jusqu'à « Mon espace »
      Étant donné une personne qui n'utilise que le clavier, sur la page d'accueil
      Quand elle va à la création de compte depuis la page d'accueil
      Et elle crée son compte en suivant les étapes ④ à ⑧
      Et elle se connecte avec son numéro de sécurité sociale et son mot de passe
      Alors la connexion est acceptée

  Règle: La règle du mot de passe se lit avant de saisir

    @A11Y-REGLE-MDP
    Scénario: En arrivant à l'étape « mot de passe », la règle est affichée et reliée au champ
      Étant donné une personne qui a atteint l'étape « mot de passe »
      Alors la règle du mot de passe est affichée avant toute saisie
      Et un lecteur d'écran la lit en arrivant dans le champ du mot de passe

  Règle: Sur un téléphone ou à 200 %, le formulaire tient sans défilement horizontal

    @A11Y-PETIT-ECRAN
    Plan du scénario: À l'étape « <étape> », la page tient dans un écran de <largeur> × <hauteur> pixels
      Étant donné une personne qui a atteint l'étape « <étape> »
      Alors la page tient dans un écran de <largeur> × <hauteur> pixels sans défilement horizontal

      Exemples: Un téléphone
        | étape                    | largeur | hauteur |
        | état civil               | 360     | 740     |
        | pièce d'identité         | 360     | 740     |
        | coordonnées de contact   | 360     | 740     |
        | code de confirmation     | 360     | 740     |
        | mot de passe             | 360     | 740     |

      Exemples: Un écran de bureau de 1280 pixels à 200 %
        | étape                    | largeur | hauteur |
        | état civil               | 640     | 400     |
        | mot de passe             | 640     | 400     |

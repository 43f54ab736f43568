# language: fr
Fonctionnalité: ⑤ Renseigner le numéro de son titre d'identité
  « ⑤ Je dois renseigner le numéro de mon titre d'identité* (carte d'identité, titre de séjour,
  passeport français...). Ce numéro est ensuite vérifié et mon identité confirmée !
  * Si je ne possède pas de titre d'identité français, je peux quand même créer Mon Compte en
  cliquant sur « Je ne dispose pas d'une pièce d'identité française ». Une pièce d'identité
  justificative peut m'être demandée. »

  Chaque personne saisit le numéro de son propre titre : sur un site de recette, les personnes de
  test de son profil avec leurs titres ; sur l'implémentation de référence, des personnes inventées,
  inscrites à son registre. Les formats des numéros et le chiffre de contrôle (celui de la bande
  lisible en machine, MRZ) sont ceux des titres français ; les messages cités sont ceux de
  l'implémentation de référence.

  Règle: Le numéro du titre de la personne est accepté et son identité confirmée

    @PI-NUMERO @PI-VERIFICATION @etape_5
    Plan du scénario: Le numéro du titre de la personne est accepté et son identité confirmée
      Étant donné une personne qui a <titre>, à l'étape « pièce d'identité »
      Quand elle saisit le numéro de son titre <saisie>
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « coordonnées de contact »

      Exemples:
        | titre                                  | saisie                              |
        | une carte d'identité                   | tel qu'il est écrit                 |
        | une carte d'identité                   | en minuscules, avec des espaces     |
        | un passeport français                  | tel qu'il est écrit                 |
        | un titre de séjour                     | tel qu'il est écrit                 |

      @PI-CONTROLE-MRZ
      Exemples: suivi de son chiffre de contrôle
        | titre                                  | saisie                              |
        | une carte d'identité                   | suivi de son chiffre de contrôle    |
        | un passeport français                  | suivi de son chiffre de contrôle    |

    @PI-NUMERO @PI-VERIFICATION @identites_inventees @etape_5
    Plan du scénario: Une ancienne carte d'identité (12 caractères) est acceptée
      Étant donné une personne dont le titre « <titre> » porte le numéro « <numéro> », à l'étape « pièce d'identité »
      Quand elle saisit le numéro « <numéro> » de son titre « <titre> »
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « coordonnées de contact »

      Exemples:
        | titre                     | numéro       | cas                             |
        | ancienne carte d'identité | 880692310285 | ancienne carte : 12 caractères  |

  Règle: Un numéro mal formé est refusé, avec la raison

    @etape_5
    Plan du scénario: Un numéro mal formé est refusé, avec la raison
      Étant donné une personne qui a une carte d'identité, à l'étape « pièce d'identité »
      Quand elle saisit le numéro « <saisie> » pour un titre « <titre> »
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « pièce d'identité »

      @PI-NUMERO
      Exemples: format du titre
        | titre              | saisie      | cas                         | message                                                                                                                 |
        | carte d'identité   | X4RTBPFW    | 8 caractères                | Le numéro de carte d'identité doit comporter 9 lettres ou chiffres (carte délivrée depuis 2021) ou 12 caractères (ancienne carte). |
        | carte d'identité   | X4RTBPFW4AB | 11 caractères               | Le numéro de carte d'identité doit comporter 9 lettres ou chiffres (carte délivrée depuis 2021) ou 12 caractères (ancienne carte). |
        | passeport français | 1234ABCDE   | 4 chiffres puis 5 lettres   | Le numéro de passeport doit comporter 2 chiffres, 2 lettres puis 5 chiffres (ex. 12AB34567).                           |
        | passeport français | 12AB3456    | un chiffre de moins         | Le numéro de passeport doit comporter 2 chiffres, 2 lettres puis 5 chiffres (ex. 12AB34567).                           |
        | titre de séjour    | 123456789   | 9 chiffres                  | Le numéro de titre de séjour doit comporter 10 chiffres.                                                                |
        | titre de séjour    | 123456789012 | 12 chiffres                | Le numéro de titre de séjour doit comporter 10 chiffres.                                                                |
        | carte d'identité   |             | champ vide                  | Ce champ est obligatoire : Numéro du titre d'identité.                                                                  |

    @PI-CONTROLE-MRZ @etape_5
    Plan du scénario: Un chiffre de contrôle faux après le numéro est refusé, avec la raison
      Étant donné une personne qui a <titre>, à l'étape « pièce d'identité »
      Quand elle saisit le numéro de son titre suivi d'un chiffre de contrôle décalé de un
      Alors la saisie est refusée avec le message « Le chiffre de contrôle saisi après le numéro du titre d'identité est incorrect. »
      Et le parcours reste à l'étape « pièce d'identité »

      Exemples:
        | titre                 |
        | une carte d'identité  |
        | un passeport français |

  Règle: Le numéro est vérifié : il doit être celui d'un titre de la personne

    @PI-VERIFICATION @etape_5
    Plan du scénario: Un numéro bien formé qui n'est pas celui de la personne est refusé
      Étant donné une personne qui a <titre>, à l'étape « pièce d'identité »
      Quand elle saisit le numéro de son titre <changé>
      Alors la saisie est refusée avec le message « Le numéro du titre d'identité ne correspond pas à l'identité saisie. »
      Et le parcours reste à l'étape « pièce d'identité »

      Exemples:
        | titre                 | changé                                 |
        | une carte d'identité  | avec son dernier caractère changé      |
        | un passeport français | avec son dernier chiffre changé        |
        | un titre de séjour    | avec ses deux derniers chiffres inversés |

    @PI-VERIFICATION @etape_5
    Scénario: Le titre d'une autre personne ne confirme pas l'identité
      Étant donné une personne qui a une carte d'identité, à l'étape « pièce d'identité »
      Et une autre personne connue du site, avec une carte d'identité
      Quand elle saisit le numéro de la carte d'identité de l'autre personne
      Alors la saisie est refusée avec le message « Le numéro du titre d'identité ne correspond pas à l'identité saisie. »
      Et le parcours reste à l'étape « pièce d'identité »

  Règle: Sans titre d'identité français, on peut quand même créer Mon Compte ; un justificatif peut être demandé

    @PI-SANS-PIECE-FR @etape_5
    Scénario: « Je ne dispose pas d'une pièce d'identité française » permet de continuer
      Étant donné une personne née à l'étranger, sans titre d'identité français, à l'étape « pièce d'identité »
      Quand elle choisit « Je ne dispose pas d'une pièce d'identité française »
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « coordonnées de contact »

    @PI-JUSTIFICATIF @etape_5
    Scénario: Le compte créé sans titre français indique qu'un justificatif peut être demandé
      Étant donné une personne née à l'étranger, sans titre d'identité français, à l'étape « pièce d'identité »
      Quand elle choisit « Je ne dispose pas d'une pièce d'identité française »
      Et elle termine la création de son compte
      Alors le récapitulatif indique qu'une pièce justificative peut lui être demandée
      Et elle peut se connecter à son espace

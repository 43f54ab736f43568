# language: fr
Fonctionnalité: ⑤ Renseigner le numéro de son titre d'identité
  « ⑤ Je dois renseigner le numéro de mon titre d'identité* (carte d'identité, titre de séjour,
  passeport français...). Ce numéro est ensuite vérifié et mon identité confirmée !
  * Si je ne possède pas de titre d'identité français, je peux quand même créer Mon Compte en
  cliquant sur « Je ne dispose pas d'une pièce d'identité française ». Une pièce d'identité
  justificative peut m'être demandée. »

  Règle: Le numéro a le format de son titre ; le chiffre de contrôle, s'il est saisi, est exact

    @PI-NUMERO @PI-CONTROLE-MRZ @PI-VERIFICATION @etape_5
    Plan du scénario: Le numéro du titre de la personne est accepté et son identité confirmée
      Étant donné une personne dont le titre « <titre> » porte le numéro « <numéro> », à l'étape « pièce d'identité »
      Quand elle saisit le numéro « <saisie> » de son titre « <titre> »
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « coordonnées de contact »

      Exemples:
        | titre                     | numéro       | saisie       | cas                                             |
        | carte d'identité          | X4RTBPFW4    | X4RTBPFW4    | carte délivrée depuis 2021 : 9 caractères       |
        | carte d'identité          | K7M2PQ9ZA    | K7M2PQ9ZA6   | suivi de son chiffre de contrôle exact (6)      |
        | carte d'identité          | R2D2C3POX    | r2d2 c3pox   | minuscules et espaces saisis                    |
        | ancienne carte d'identité | 880692310285 | 880692310285 | ancienne carte : 12 caractères                  |
        | passeport français        | 12AB34567    | 12AB34567    | 2 chiffres, 2 lettres, 5 chiffres               |
        | passeport français        | 34CD56789    | 34CD567899   | suivi de son chiffre de contrôle exact (9)      |
        | titre de séjour           | 1234567890   | 1234567890   | numéro d'étranger à 10 chiffres                 |

    @PI-NUMERO @PI-CONTROLE-MRZ @etape_5
    Plan du scénario: Un numéro mal formé est refusé, avec la raison
      Étant donné une personne dont le titre « <titre> » porte le numéro « <numéro> », à l'étape « pièce d'identité »
      Quand elle saisit le numéro « <saisie> » de son titre « <titre> »
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « pièce d'identité »

      Exemples: format du titre
        | titre              | numéro     | saisie      | message                                                                                                                 |
        | carte d'identité   | X4RTBPFW4  | X4RTBPFW    | Le numéro de carte d'identité doit comporter 9 lettres ou chiffres (carte délivrée depuis 2021) ou 12 caractères (ancienne carte). |
        | carte d'identité   | X4RTBPFW4  | X4RTBPFW4A  | Le numéro de carte d'identité doit comporter 9 lettres ou chiffres (carte délivrée depuis 2021) ou 12 caractères (ancienne carte). |
        | passeport français | 12AB34567  | 1234ABCDE   | Le numéro de passeport doit comporter 2 chiffres, 2 lettres puis 5 chiffres (ex. 12AB34567).                           |
        | passeport français | 12AB34567  | 12AB3456    | Le numéro de passeport doit comporter 2 chiffres, 2 lettres puis 5 chiffres (ex. 12AB34567).                           |
        | titre de séjour    | 1234567890 | 123456789   | Le numéro de titre de séjour doit comporter 10 chiffres.                                                                |
        | titre de séjour    | 1234567890 | 12345678901 | Le numéro de titre de séjour doit comporter 10 chiffres.                                                                |
        | carte d'identité   | X4RTBPFW4  |             | Ce champ est obligatoire : Numéro du titre d'identité.                                                                  |

      Exemples: chiffre de contrôle décalé de un
        | titre              | numéro    | saisie     | message                                                                     |
        | carte d'identité   | K7M2PQ9ZA | K7M2PQ9ZA7 | Le chiffre de contrôle saisi après le numéro du titre d'identité est incorrect. |
        | passeport français | 34CD56789 | 34CD567890 | Le chiffre de contrôle saisi après le numéro du titre d'identité est incorrect. |

  Règle: Le numéro est vérifié : il doit être celui d'un titre de la personne

    @PI-VERIFICATION @etape_5
    Plan du scénario: Un numéro bien formé qui n'est pas celui de la personne est refusé
      Étant donné une personne dont le titre « <titre> » porte le numéro « <numéro> », à l'étape « pièce d'identité »
      Quand elle saisit le numéro « <saisie> » de son titre « <titre> »
      Alors la saisie est refusée avec le message « Le numéro du titre d'identité ne correspond pas à l'identité saisie. »
      Et le parcours reste à l'étape « pièce d'identité »

      Exemples:
        | titre              | numéro     | saisie     | cas                                   |
        | carte d'identité   | X4RTBPFW4  | X4RTBPFW5  | un caractère de différence            |
        | passeport français | 12AB34567  | 12AB34568  | un chiffre de différence              |
        | titre de séjour    | 1234567890 | 1234567809 | deux chiffres inversés                |

    @PI-VERIFICATION @etape_5
    Scénario: Le titre d'une autre personne ne confirme pas l'identité
      Étant donné une personne dont le titre « carte d'identité » porte le numéro « M3TR0P0L1 », à l'étape « pièce d'identité »
      Et une autre personne inscrite au registre avec la carte d'identité « Z9Y8X7W6V »
      Quand elle saisit le numéro « Z9Y8X7W6V » de son titre « carte d'identité »
      Alors la saisie est refusée avec le message « Le numéro du titre d'identité ne correspond pas à l'identité saisie. »
      Et le parcours reste à l'étape « pièce d'identité »

  Règle: Sans titre d'identité français, on peut quand même créer Mon Compte ; un justificatif peut être demandé

    @PI-SANS-PIECE-FR @etape_5
    Scénario: « Je ne dispose pas d'une pièce d'identité française » permet de continuer
      Étant donné une personne née à l'étranger, sans titre d'identité français, à l'étape « pièce d'identité »
      Quand elle choisit « Je ne dispose pas d'une pièce d'identité française »
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « coordonnées de contact »

    @PI-SANS-PIECE-FR @PI-JUSTIFICATIF @etape_5
    Scénario: Le compte créé sans titre français indique qu'un justificatif peut être demandé
      Étant donné une personne née à l'étranger, sans titre d'identité français, à l'étape « pièce d'identité »
      Quand elle choisit « Je ne dispose pas d'une pièce d'identité française »
      Et elle termine la création de son compte
      Alors le récapitulatif indique qu'une pièce justificative peut lui être demandée
      Et elle peut se connecter à son espace

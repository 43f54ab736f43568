# language: fr
Fonctionnalité: ④ Renseigner son état civil
  « ④ Je commence par renseigner les informations de mon état civil :
  mon numéro de sécurité sociale, ma civilité, mon nom de naissance, mes prénoms,
  ma date de naissance, mon lieu de naissance. »

  Les exemples donnent l'état civil complet saisi ; le lieu de naissance est le code
  officiel géographique (INSEE) de la commune, ou 99 suivi du code du pays pour une
  naissance à l'étranger.

  Contexte:
    Étant donné que le site applique les valeurs du guide :
      | règle             | paramètre   | valeur |
      | NIR-SEXE          | nia_accepte | non    |
      | EC-NOM-NAISSANCE  | longueur_max | 50    |
      | EC-DATE-NAISSANCE | annee_min   | 1900   |
    Et une personne qui a atteint l'étape « état civil »

  Règle: Le numéro de sécurité sociale a 15 caractères, une clé exacte, et correspond à l'état civil

    @NIR-FORMAT @NIR-CLE @NIR-SEXE @NIR-NAISSANCE @NIR-LIEU @EC-CHAMPS @EC-LIEU-NAISSANCE @etape_4
    Plan du scénario: Un état civil cohérent est accepté
      Quand elle renseigne son état civil :
        | numéro de sécurité sociale | <numéro>   |
        | civilité                   | <civilité> |
        | nom de naissance           | <nom>      |
        | prénoms                    | <prénoms>  |
        | date de naissance          | <date>     |
        | lieu de naissance          | <lieu>     |
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « pièce d'identité »

      Exemples: née en métropole
        | numéro                | civilité | nom    | prénoms | date       | lieu  | cas                                   |
        | 2 85 05 69 123 042 17 | Madame   | Durand | Camille | 12/05/1985 | 69123 | saisi avec des espaces                |
        | 285056912304316       | Madame   | Durand | Camille | 12/05/1985 | 69123 | saisi sans espace                     |
        | 285206912304263       | Madame   | Durand | Camille | 12/05/1985 | 69123 | mois 20 : mois de naissance inconnu   |

      Exemples: né en Corse, outre-mer ou à l'étranger
        | numéro                | civilité | nom     | prénoms | date       | lieu  | cas                                       |
        | 1 90 03 2A 004 117 76 | Monsieur | Santoni | Paul    | 08/03/1990 | 2A004 | Ajaccio, Corse-du-Sud (2A)                |
        | 2 78 11 2B 033 005 11 | Madame   | Luciani | Maria   | 30/11/1978 | 2B033 | Bastia, Haute-Corse (2B)                  |
        | 1 70 06 20 004 088 39 | Monsieur | Santoni | Pierre  | 01/06/1970 | 2A004 | né en Corse avant 1976 : département 20   |
        | 2 92 07 97 411 301 42 | Madame   | Payet   | Sarah   | 14/07/1992 | 97411 | Saint-Denis de La Réunion (974)           |
        | 2 90 03 988 18 042 29 | Madame   | Wamytan | Léa     | 01/03/1990 | 98818 | Nouméa, Nouvelle-Calédonie (988)          |
        | 1 88 03 99 350 021 49 | Monsieur | Alaoui  | Karim   | 02/03/1988 | 99350 | né au Maroc : département 99, pays 350    |

    @NIR-FORMAT @NIR-CLE @NIR-SEXE @NIR-NAISSANCE @NIR-LIEU @EC-CHAMPS @etape_4
    Plan du scénario: Un numéro de sécurité sociale faux ou incohérent est refusé, avec la raison
      Quand elle renseigne son état civil :
        | numéro de sécurité sociale | <numéro>   |
        | civilité                   | <civilité> |
        | nom de naissance           | Durand     |
        | prénoms                    | Camille    |
        | date de naissance          | <date>     |
        | lieu de naissance          | <lieu>     |
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « état civil »

      Exemples: format
        | numéro           | civilité | date       | lieu  | message                                                                                                                     |
        | 28505691230421   | Madame   | 12/05/1985 | 69123 | Le numéro de sécurité sociale doit comporter 15 caractères : 13 chiffres (2A ou 2B pour la Corse) suivis d'une clé de 2 chiffres. |
        | 2850569123042170 | Madame   | 12/05/1985 | 69123 | Le numéro de sécurité sociale doit comporter 15 caractères : 13 chiffres (2A ou 2B pour la Corse) suivis d'une clé de 2 chiffres. |
        |                  | Madame   | 12/05/1985 | 69123 | Ce champ est obligatoire : Numéro de sécurité sociale.                                                                        |

      Exemples: clé décalée de un
        | numéro                | civilité | date       | lieu  | message                                                                   |
        | 285056912304317       | Madame   | 12/05/1985 | 69123 | La clé du numéro de sécurité sociale est incorrecte : vérifiez le numéro saisi. |
        | 285056912304315       | Madame   | 12/05/1985 | 69123 | La clé du numéro de sécurité sociale est incorrecte : vérifiez le numéro saisi. |
        | 1 90 03 2A 004 117 49 | Monsieur | 08/03/1990 | 2A004 | La clé du numéro de sécurité sociale est incorrecte : vérifiez le numéro saisi. |

      Exemples: cohérence avec l'état civil
        | numéro          | civilité | date       | lieu  | message                                                                                                      |
        | 185056912304960 | Madame   | 12/05/1985 | 69123 | Le premier chiffre du numéro de sécurité sociale ne correspond pas à la civilité.                            |
        | 385056912304462 | Madame   | 12/05/1985 | 69123 | Le premier chiffre du numéro de sécurité sociale doit être 1 (homme) ou 2 (femme).                           |
        | 885056912304505 | Madame   | 12/05/1985 | 69123 | Ce numéro est un numéro d'attente : sans numéro de sécurité sociale, un identifiant provisoire vous sera fourni. |
        | 285136912304644 | Madame   | 12/05/1985 | 69123 | Le mois de naissance du numéro de sécurité sociale (4e et 5e chiffres) n'existe pas.                        |
        | 286056912304760 | Madame   | 12/05/1985 | 69123 | L'année ou le mois de naissance du numéro de sécurité sociale ne correspond pas à la date de naissance.     |
        | 285057505604816 | Madame   | 12/05/1985 | 69123 | Le lieu de naissance du numéro de sécurité sociale ne correspond pas au lieu de naissance saisi.             |
        | 190032000411749 | Monsieur | 08/03/1990 | 2A004 | Le lieu de naissance du numéro de sécurité sociale ne correspond pas au lieu de naissance saisi.             |
        | 188039935002149 | Monsieur | 02/03/1988 | 99109 | Le lieu de naissance du numéro de sécurité sociale ne correspond pas au lieu de naissance saisi.             |

  Règle: Civilité, nom de naissance, prénoms, date et lieu de naissance sont demandés et vérifiés

    @EC-CHAMPS @EC-CIVILITE @EC-NOM-NAISSANCE @EC-PRENOMS @EC-DATE-NAISSANCE @EC-LIEU-NAISSANCE @etape_4
    Plan du scénario: Une information d'état civil absente ou invalide est refusée, avec la raison
      Quand elle renseigne son état civil :
        | numéro de sécurité sociale | 285056912304217 |
        | civilité                   | <civilité>      |
        | nom de naissance           | <nom>           |
        | prénoms                    | <prénoms>       |
        | date de naissance          | <date>          |
        | lieu de naissance          | <lieu>          |
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « état civil »

      Exemples: civilité
        | civilité     | nom    | prénoms | date       | lieu  | message                                |
        |              | Durand | Camille | 12/05/1985 | 69123 | Choisissez une civilité : Madame ou Monsieur. |
        | Mademoiselle | Durand | Camille | 12/05/1985 | 69123 | Choisissez une civilité : Madame ou Monsieur. |

      Exemples: nom de naissance
        | civilité | nom                                                 | prénoms | date       | lieu  | message                                                                                    |
        | Madame   |                                                     | Camille | 12/05/1985 | 69123 | Ce champ est obligatoire : Nom de naissance.                                               |
        | Madame   | Durand2                                             | Camille | 12/05/1985 | 69123 | Le nom de naissance ne peut contenir que des lettres, des espaces, des tirets et des apostrophes. |
        | Madame   | Abcdefghijabcdefghijabcdefghijabcdefghijabcdefghija | Camille | 12/05/1985 | 69123 | Le nom de naissance ne doit pas dépasser 50 caractères.                                    |

      Exemples: prénoms
        | civilité | nom    | prénoms  | date       | lieu  | message                                                                              |
        | Madame   | Durand |          | 12/05/1985 | 69123 | Ce champ est obligatoire : Prénoms.                                                  |
        | Madame   | Durand | Camille! | 12/05/1985 | 69123 | Les prénoms ne peuvent contenir que des lettres, des espaces, des tirets et des apostrophes. |

      Exemples: date de naissance
        | civilité | nom    | prénoms | date       | lieu  | message                                                            |
        | Madame   | Durand | Camille |            | 69123 | Ce champ est obligatoire : Date de naissance.                      |
        | Madame   | Durand | Camille | 31/02/1985 | 69123 | La date de naissance n'est pas une date valide (format JJ/MM/AAAA). |
        | Madame   | Durand | Camille | 12/05/2099 | 69123 | La date de naissance ne peut pas être dans le futur.               |
        | Madame   | Durand | Camille | 12/05/1899 | 69123 | La date de naissance ne peut pas être antérieure au 1er janvier 1900. |

      Exemples: lieu de naissance
        | civilité | nom    | prénoms | date       | lieu  | message                                                                                                                                            |
        | Madame   | Durand | Camille | 12/05/1985 |       | Ce champ est obligatoire : Lieu de naissance.                                                                                                      |
        | Madame   | Durand | Camille | 12/05/1985 | 6912  | Le lieu de naissance doit être un code de commune INSEE (5 caractères, 2A ou 2B pour la Corse) ou, pour une naissance à l'étranger, un code de pays (99 suivi de 3 chiffres). |
        | Madame   | Durand | Camille | 12/05/1985 | 99100 | Le lieu de naissance doit être un code de commune INSEE (5 caractères, 2A ou 2B pour la Corse) ou, pour une naissance à l'étranger, un code de pays (99 suivi de 3 chiffres). |

    @EC-NOM-NAISSANCE @EC-PRENOMS @etape_4
    Plan du scénario: Les noms composés, accentués ou longs jusqu'à la limite sont acceptés
      Quand elle renseigne son état civil :
        | numéro de sécurité sociale | 285056912304217 |
        | civilité                   | Madame          |
        | nom de naissance           | <nom>           |
        | prénoms                    | <prénoms>       |
        | date de naissance          | 12/05/1985      |
        | lieu de naissance          | 69123           |
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « pièce d'identité »

      Exemples:
        | nom                                                | prénoms              | cas                          |
        | N'Guessan-Le Gall                                  | Marie-Hélène Camille | tiret, apostrophe, accents   |
        | Abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij | Camille              | nom de 50 caractères         |

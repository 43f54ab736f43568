# language: fr
Fonctionnalité: ④ Renseigner son état civil
  « ④ Je commence par renseigner les informations de mon état civil :
  mon numéro de sécurité sociale, ma civilité, mon nom de naissance, mes prénoms,
  ma date de naissance, mon lieu de naissance. »

  Le lieu de naissance s'écrit comme une personne le connaît (« Lyon », « Maroc » pour une
  naissance à l'étranger), suivi ici de son code officiel géographique (INSEE) : un site le demande
  par son nom ou par son code (la référence : par son code), et son profil dit lequel.

  Les numéros de sécurité sociale écrits dans les exemples ne peuvent appartenir à personne : leur
  numéro d'ordre (10e à 12e chiffres) est 000, que l'INSEE n'attribue jamais. Les exemples qui
  doivent être acceptés saisissent des personnes inventées : ils ne se jouent que sur
  l'implémentation de référence ; sur un autre site, l'acceptation se vérifie avec les personnes de
  test de son profil (premier scénario).
  Les limites (50 caractères pour le nom, 80 pour les prénoms, l'an 1900) sont des choix du catalogue
  des règles, qu'un profil de site remplace par les siens : les exemples s'écrivent alors avec eux
  (« longueur_max + 1 lettres »), et un exemple écrit avec une valeur du catalogue est jugé selon
  celle du site.
  Les messages cités sont ceux de l'implémentation de référence : un autre site a les siens.

  Contexte:
    Étant donné une personne qui a atteint l'étape « état civil »

  Règle: Les six informations sont demandées ; un état civil cohérent est accepté

    @EC-CHAMPS @etape_4
    Plan du scénario: L'état civil d'une personne connue du site est accepté, où qu'elle soit née
      Quand elle renseigne son état civil, née <où>, son numéro de sécurité sociale saisi <saisie>
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « pièce d'identité »

      Exemples:
        | où           | saisie          |
        | en métropole | avec des espaces |
        | en métropole | sans espace      |

      @NIR-LIEU @EC-LIEU-NAISSANCE
      Exemples: hors de métropole
        | où           | saisie          |
        | en Corse     | sans espace     |
        | outre-mer    | sans espace     |
        | à l'étranger | sans espace     |

    @identites_inventees @etape_4
    Plan du scénario: Les formes particulières du numéro de sécurité sociale sont acceptées
      Quand elle renseigne son état civil :
        | numéro de sécurité sociale | <numéro>   |
        | civilité                   | <civilité> |
        | nom de naissance           | <nom>      |
        | prénoms                    | <prénoms>  |
        | date de naissance          | <date>     |
        | lieu de naissance          | <lieu>     |
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « pièce d'identité »

      @NIR-NAISSANCE
      Exemples: mois de naissance inconnu
        | numéro          | civilité | nom    | prénoms | date       | lieu          | cas                                 |
        | 285206912300008 | Madame   | Durand | Camille | 12/05/1985 | Lyon (69123)  | mois 20 : mois de naissance inconnu |

      @NIR-CLE
      Exemples: né en Corse : la clé se calcule avec 19 pour 2A, 18 pour 2B
        | numéro                | civilité | nom     | prénoms | date       | lieu                             | cas                                     |
        | 1 90 03 2A 004 000 96 | Monsieur | Santoni | Paul    | 08/03/1990 | Ajaccio (2A004)                  | Corse-du-Sud : 2A                       |
        | 2 78 11 2B 033 000 16 | Madame   | Luciani | Maria   | 30/11/1978 | Bastia (2B033)                   | Haute-Corse : 2B                        |

      @NIR-LIEU
      Exemples: né en Corse avant 1976, outre-mer ou à l'étranger
        | numéro                | civilité | nom     | prénoms | date       | lieu                             | cas                                     |
        | 1 70 06 20 004 000 30 | Monsieur | Santoni | Pierre  | 01/06/1970 | Ajaccio (2A004)                  | né en Corse avant 1976 : département 20 |
        | 2 92 07 97 411 000 52 | Madame   | Payet   | Sarah   | 14/07/1992 | Saint-Denis (La Réunion) (97411) | La Réunion : département 974            |
        | 2 90 03 98 818 000 71 | Madame   | Wamytan | Léa     | 01/03/1990 | Nouméa (98818)                   | Nouvelle-Calédonie : 988                |
        | 1 88 03 99 350 000 70 | Monsieur | Alaoui  | Karim   | 02/03/1988 | Maroc (99350)                    | né au Maroc : 99, puis le pays 350      |

  Règle: Le numéro de sécurité sociale a 15 caractères, une clé exacte, et correspond à l'état civil

    @etape_4
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

      @NIR-FORMAT
      Exemples: format
        | numéro           | civilité | date       | lieu            | cas           | message                                                                                                                     |
        | 28505691230005   | Madame   | 12/05/1985 | Lyon (69123)    | 14 caractères | Le numéro de sécurité sociale doit comporter 15 caractères : 13 chiffres (2A ou 2B pour la Corse) suivis d'une clé de 2 chiffres. |
        | 2850569123000590 | Madame   | 12/05/1985 | Lyon (69123)    | 16 caractères | Le numéro de sécurité sociale doit comporter 15 caractères : 13 chiffres (2A ou 2B pour la Corse) suivis d'une clé de 2 chiffres. |

      @EC-CHAMPS
      Exemples: numéro absent
        | numéro | civilité | date       | lieu         | cas        | message                                                 |
        |        | Madame   | 12/05/1985 | Lyon (69123) | champ vide | Ce champ est obligatoire : Numéro de sécurité sociale. |

      @NIR-CLE
      Exemples: clé décalée de un
        | numéro                | civilité | date       | lieu            | cas          | message                                                                         |
        | 285056912300060       | Madame   | 12/05/1985 | Lyon (69123)    | clé + 1      | La clé du numéro de sécurité sociale est incorrecte : vérifiez le numéro saisi. |
        | 285056912300058       | Madame   | 12/05/1985 | Lyon (69123)    | clé − 1      | La clé du numéro de sécurité sociale est incorrecte : vérifiez le numéro saisi. |
        | 1 90 03 2A 004 000 23 | Monsieur | 08/03/1990 | Ajaccio (2A004) | Corse, 2A    | La clé du numéro de sécurité sociale est incorrecte : vérifiez le numéro saisi. |

      @NIR-SEXE
      Exemples: premier chiffre
        | numéro          | civilité | date       | lieu         | cas                          | message                                                                                                          |
        | 185056912300012 | Madame   | 12/05/1985 | Lyon (69123) | 1 (homme) pour une Madame    | Le premier chiffre du numéro de sécurité sociale ne correspond pas à la civilité.                                |
        | 385056912300009 | Madame   | 12/05/1985 | Lyon (69123) | ni 1 ni 2                    | Le premier chiffre du numéro de sécurité sociale doit être 1 (homme) ou 2 (femme).                               |
        | 885056912300050 | Madame   | 12/05/1985 | Lyon (69123) | numéro d'attente (NIA) : 8   | Ce numéro est un numéro d'attente : sans numéro de sécurité sociale, un identifiant provisoire vous sera fourni. |

      @NIR-NAISSANCE
      Exemples: date de naissance
        | numéro          | civilité | date       | lieu         | cas                         | message                                                                                                  |
        | 285136912300090 | Madame   | 12/05/1985 | Lyon (69123) | mois 13                     | Le mois de naissance du numéro de sécurité sociale (4e et 5e chiffres) n'existe pas.                     |
        | 286056912300010 | Madame   | 12/05/1985 | Lyon (69123) | année 86 pour une née en 85 | L'année ou le mois de naissance du numéro de sécurité sociale ne correspond pas à la date de naissance. |

      @NIR-LIEU
      Exemples: lieu de naissance
        | numéro          | civilité | date       | lieu            | cas                                   | message                                                                                          |
        | 285057505600064 | Madame   | 12/05/1985 | Lyon (69123)    | Paris dans le numéro, née à Lyon      | Le lieu de naissance du numéro de sécurité sociale ne correspond pas au lieu de naissance saisi. |
        | 190032000400069 | Monsieur | 08/03/1990 | Ajaccio (2A004) | Corse en 20 pour un né après 1976     | Le lieu de naissance du numéro de sécurité sociale ne correspond pas au lieu de naissance saisi. |
        | 188039910900025 | Monsieur | 02/03/1988 | Maroc (99350)   | Allemagne dans le numéro, né au Maroc | Le lieu de naissance du numéro de sécurité sociale ne correspond pas au lieu de naissance saisi. |

  Règle: Civilité, nom de naissance, prénoms, date et lieu de naissance sont demandés et vérifiés

    @etape_4
    Plan du scénario: Une information d'état civil absente ou invalide est refusée, avec la raison
      Quand elle renseigne son état civil :
        | numéro de sécurité sociale | calculé à partir de l'état civil |
        | civilité                   | <civilité>                       |
        | nom de naissance           | <nom>                            |
        | prénoms                    | <prénoms>                        |
        | date de naissance          | <date>                           |
        | lieu de naissance          | <lieu>                           |
      Alors la saisie est refusée avec le message « <message> »
      Et le parcours reste à l'étape « état civil »

      @EC-CIVILITE
      Exemples: civilité
        | civilité     | nom    | prénoms | date       | lieu         | message                                       |
        |              | Durand | Camille | 12/05/1985 | Lyon (69123) | Choisissez une civilité : Madame ou Monsieur. |
        | Mademoiselle | Durand | Camille | 12/05/1985 | Lyon (69123) | Choisissez une civilité : Madame ou Monsieur. |

      @EC-NOM-NAISSANCE
      Exemples: nom de naissance
        | civilité | nom                          | prénoms | date       | lieu         | message                                                                                           |
        | Madame   |                              | Camille | 12/05/1985 | Lyon (69123) | Ce champ est obligatoire : Nom de naissance.                                                      |
        | Madame   | Durand2                      | Camille | 12/05/1985 | Lyon (69123) | Le nom de naissance ne peut contenir que des lettres, des espaces, des tirets et des apostrophes. |
        | Madame   | longueur_max + 1 lettres     | Camille | 12/05/1985 | Lyon (69123) | Le nom de naissance ne doit pas dépasser {longueur_max} caractères.                               |

      @EC-PRENOMS
      Exemples: prénoms
        | civilité | nom    | prénoms                  | date       | lieu         | message                                                                                      |
        | Madame   | Durand |                          | 12/05/1985 | Lyon (69123) | Ce champ est obligatoire : Prénoms.                                                          |
        | Madame   | Durand | Camille!                 | 12/05/1985 | Lyon (69123) | Les prénoms ne peuvent contenir que des lettres, des espaces, des tirets et des apostrophes. |
        | Madame   | Durand | longueur_max + 1 lettres | 12/05/1985 | Lyon (69123) | Les prénoms ne doivent pas dépasser {longueur_max} caractères.                               |

      @EC-DATE-NAISSANCE
      Exemples: date de naissance
        | civilité | nom    | prénoms | date                   | lieu         | message                                                                |
        | Madame   | Durand | Camille |                        | Lyon (69123) | Ce champ est obligatoire : Date de naissance.                          |
        | Madame   | Durand | Camille | 31/02/1985             | Lyon (69123) | La date de naissance n'est pas une date valide (format JJ/MM/AAAA).    |
        | Madame   | Durand | Camille | 12/05/2099             | Lyon (69123) | La date de naissance ne peut pas être dans le futur.                   |
        | Madame   | Durand | Camille | 31/12/{annee_min − 1}  | Lyon (69123) | La date de naissance ne peut pas être antérieure au 1er janvier {annee_min}. |

      @EC-LIEU-NAISSANCE
      Exemples: lieu de naissance
        | civilité | nom    | prénoms | date       | lieu | message                                        |
        | Madame   | Durand | Camille | 12/05/1985 |      | Ce champ est obligatoire : Lieu de naissance. |

      @EC-LIEU-NAISSANCE @lieu_par_code
      Exemples: lieu de naissance demandé par son code
        | civilité | nom    | prénoms | date       | lieu  | cas                            | message                                                                                                                                                                      |
        | Madame   | Durand | Camille | 12/05/1985 | 6912  | 4 chiffres                     | Le lieu de naissance doit être un code de commune INSEE (5 caractères, 2A ou 2B pour la Corse) ou, pour une naissance à l'étranger, un code de pays (99 suivi de 3 chiffres). |
        | Madame   | Durand | Camille | 12/05/1985 | 99100 | 99100 : la France n'est pas un pays étranger | Le lieu de naissance doit être un code de commune INSEE (5 caractères, 2A ou 2B pour la Corse) ou, pour une naissance à l'étranger, un code de pays (99 suivi de 3 chiffres). |

    @EC-LIEU-NAISSANCE @lieu_par_nom @etape_4
    Plan du scénario: Un lieu de naissance qui n'existe pas est refusé
      Quand elle renseigne son état civil :
        | numéro de sécurité sociale | 285056912300059 |
        | civilité                   | Madame          |
        | nom de naissance           | Durand          |
        | prénoms                    | Camille         |
        | date de naissance          | 12/05/1985      |
        | lieu de naissance          | <lieu>          |
      Alors la saisie est refusée avec un message sur le champ « lieu de naissance »
      Et le parcours reste à l'étape « état civil »

      Exemples:
        | lieu       | cas                       |
        | Atlantide  | ni une commune, ni un pays |

    @etape_4
    Plan du scénario: Les noms composés, accentués ou longs jusqu'à la limite sont acceptés
      Quand elle renseigne son état civil, née en métropole, avec le nom « <nom> » et les prénoms « <prénoms> »
      Alors la saisie est acceptée
      Et le parcours passe à l'étape « pièce d'identité »

      @EC-NOM-NAISSANCE
      Exemples: nom de naissance
        | nom                   | prénoms | cas                        |
        | N'Guessan-Le Gall     | Camille | tiret, apostrophe, espace  |
        | longueur_max lettres  | Camille | nom aussi long que permis  |

      @EC-PRENOMS
      Exemples: prénoms
        | nom    | prénoms                  | cas                            |
        | Durand | Marie-Hélène Camille     | tiret, accents, deux prénoms   |
        | Durand | Anne-Sophie D'Arc        | apostrophe                     |
        | Durand | longueur_max lettres     | prénoms aussi longs que permis |

"""The rule catalogue: every normative sentence of the guide, beside its quote.

Each rule quotes the guide verbatim (markdown ``**`` removed), names its step and
level, and carries its parameters. The guide's values are the defaults; a value
the guide leaves open is marked ``choice=True`` with the reason for the default.
Sentences judged non-normative are listed, with a reason, in ``non_normative.py``.
"""

from __future__ import annotations

from typing import Any, Mapping

from moncompte.rules.model import Level, Parameter, Rule, Settings, Step

M, S, Y = Level.MUST, Level.SHOULD, Level.MAY

_ROLES_QUOTE = (
    "Si je suis un conjoint sans procuration, un enfant de plus de 15 ans ou une personne à charge"
    " faisant partie d'un foyer allocataire, la création d'un espace personnel me permet de consulter"
    " mes données personnelles, modifier mes coordonnées de contact ou déclarer une séparation."
)
_PROCURATION_QUOTE = (
    "Si mon conjoint est le responsable du dossier et qu'il m'a donné une procuration, j'ai accès"
    " aux mêmes fonctionnalités et services que lui."
)
_LOGIN_QUOTE = (
    "Je rentre mes identifiants de connexion (mon numéro de sécurité sociale ou mon identifiant provisoire"
    " et mon mot de passe)."
)

_SECURITY = (
    "Le guide ne dit rien de la sécurité : ces règles protègent ce qu'il décrit et se vérifient de"
    " l'extérieur, sur n'importe quel site ; SHOULD."
)

_ACCESSIBILITY = (
    "Le guide ne parle pas d'accessibilité ; les sites publics doivent respecter le RGAA (référentiel général"
    " d'amélioration de l'accessibilité) et la plupart des comptes se créent sur un téléphone : ces règles"
    " vérifient, page par page du parcours, ce qu'une personne au lecteur d'écran, au clavier seul ou sur"
    " un petit écran rencontre ; SHOULD."
)
_SIMPLE = "La création de mon espace est simple et rapide !"

RULES: tuple[Rule, ...] = (
    # ── Introduction ───────────────────────────────────────────────────────────
    Rule(
        "ACCES-COMPTE-REQUIS",
        "Un compte est nécessaire pour faire une demande de prestation",
        "Pour faire une demande de prestation, je dois d'abord créer mon espace personnel si je ne suis"
        " pas encore allocataire.",
        Step.INTRODUCTION,
        M,
        note="« Faire la demande » sans être connecté mène à la création du compte (ou à la connexion),"
        " jamais directement au formulaire de demande.",
    ),
    Rule(
        "ROLE-NON-ALLOCATAIRE",
        "Pas encore allocataire : son dossier, ses données, ses coordonnées",
        "si je ne suis pas encore allocataire",
        Step.INTRODUCTION,
        S,
        note="Qui n'est pas encore allocataire demande une prestation (ACCES-COMPTE-REQUIS), puis gère son"
        " dossier, consulte ses données et modifie ses coordonnées ; sans foyer, il n'a pas de séparation à déclarer.",
        validator="moncompte.rules.roles.is_allowed",
        beyond_guide="Le guide dit seulement qu'il crée son espace pour demander une prestation ; ses autres droits"
        " sont un choix du projet ; SHOULD.",
    ),
    Rule(
        "ACCES-MEMBRE-FOYER",
        "Un membre d'un foyer allocataire peut créer son espace",
        "Si je fais partie d'un foyer allocataire, je peux aussi créer mon espace personnel.",
        Step.INTRODUCTION,
        M,
        note="Le site doit permettre à un membre du foyer (autre que le responsable) de créer son compte.",
    ),
    # ── ① ② ③ navigation ─────────────────────────────────────────────────────
    Rule(
        "NAV-AIDES-DEMARCHES",
        "Rubrique « Aides et démarches »",
        "Pour créer Mon Compte, je me rends dans la rubrique « Aides et démarches ».",
        Step.ETAPE_1,
        M,
        note="La page d'accueil offre un lien « Aides et démarches » qui mène vers « Mes démarches ».",
    ),
    Rule(
        "NAV-ICONE-MON-COMPTE",
        "Icône « Mon Compte » en haut de la page d'accueil pour les membres d'un foyer",
        "À noter : si je fais partie d'un foyer allocataire, je clique directement sur l'icone"
        " « Mon Compte » qui se trouve en haut de la page d'accueil de caf.fr. Je passe ensuite à"
        " l'étape ③.",
        Step.ETAPE_1,
        M,
        note="L'icône « Mon Compte », dans l'en-tête de la page d'accueil, mène directement à l'étape ③"
        " (« Créer un compte » pour « commencer »), sans passer par ②.",
    ),
    Rule(
        "NAV-MES-DEMARCHES",
        "Lien « Mes démarches »",
        "Je clique sur « Mes démarches »",
        Step.ETAPE_2,
        M,
    ),
    Rule(
        "NAV-BANDEAU-THEMES",
        "Choix du thème dans le bandeau « Faites une demande de prestation en ligne »",
        "je choisis le thème qui m'intéresse dans le bandeau « Faites une demande de prestation en ligne ».",
        Step.ETAPE_2,
        M,
    ),
    Rule(
        "NAV-CHOIX-PRESTATION",
        "Choix de la prestation",
        "Je choisis la prestation qui correspond à ma situation",
        Step.ETAPE_3,
        M,
    ),
    Rule(
        "NAV-FAIRE-LA-DEMANDE",
        "Bouton « Faire la demande »",
        "je clique sur « Faire la demande »",
        Step.ETAPE_3,
        M,
    ),
    Rule(
        "NAV-CREER-UN-COMPTE",
        "« Créer un compte » pour « commencer »",
        "puis sur « Créer un compte » pour « commencer ».",
        Step.ETAPE_3,
        M,
        note="Après « Faire la demande », l'utilisateur non connecté trouve « Créer un compte », puis"
        " « Commencer » ouvre l'étape ④.",
    ),
    # ── ④ état civil ──────────────────────────────────────────────────────────
    Rule(
        "EC-CHAMPS",
        "Les six informations d'état civil sont demandées",
        "Je commence par renseigner les informations de mon état civil",
        Step.ETAPE_4,
        M,
        note="Numéro de sécurité sociale, civilité, nom de naissance, prénoms, date de naissance et lieu"
        " de naissance sont demandés ; une information manquante est refusée.",
        validator="moncompte.rules.etat_civil.validate_civil_status",
    ),
    Rule(
        "NIR-FORMAT",
        "Numéro de sécurité sociale : 13 caractères et une clé de 2 chiffres",
        "mon numéro de sécurité sociale",
        Step.ETAPE_4,
        M,
        note="15 caractères : sexe, année, mois, département (2A/2B pour la Corse), commune, ordre, clé."
        " Les espaces saisis sont ignorés.",
        validator="moncompte.rules.nir.validate_nir",
    ),
    Rule(
        "NIR-CLE",
        "Clé de contrôle du numéro de sécurité sociale",
        "mon numéro de sécurité sociale",
        Step.ETAPE_4,
        M,
        note="clé = 97 − (numéro modulo 97), 2A remplacé par 19 et 2B par 18 avant le calcul.",
        validator="moncompte.rules.nir.validate_nir",
    ),
    Rule(
        "NIR-SEXE",
        "Le premier chiffre du numéro correspond à la civilité",
        "mon numéro de sécurité sociale",
        Step.ETAPE_4,
        S,
        parameters=(
            Parameter(
                "nia_accepte",
                False,
                "Accepter les numéros d'attente (NIA, premier chiffre 7 ou 8).",
                choice=True,
                rationale="Le guide prévoit un identifiant provisoire pour qui n'a pas de numéro de"
                " sécurité sociale : un NIA n'est donc pas attendu dans ce champ.",
            ),
        ),
        note="1 pour Monsieur, 2 pour Madame.",
        validator="moncompte.rules.nir.validate_nir",
        beyond_guide="Le guide demande le numéro de sécurité sociale, non qu'il s'accorde avec la civilité : ce contrôle de cohérence est un choix du projet (il arrête une faute de frappe ou le numéro d'un autre) ; SHOULD, faute d'exigence du guide.",
    ),
    Rule(
        "NIR-NAISSANCE",
        "L'année et le mois du numéro correspondent à la date de naissance",
        "mon numéro de sécurité sociale",
        Step.ETAPE_4,
        S,
        note="Mois 20 à 42 ou 50 et plus : mois inconnu ou incomplet, seule l'année est comparée.",
        validator="moncompte.rules.nir.validate_nir",
        beyond_guide="Le guide demande le numéro de sécurité sociale, non qu'il s'accorde avec la date de naissance : contrôle de cohérence choisi par le projet ; SHOULD, faute d'exigence du guide.",
    ),
    Rule(
        "NIR-LIEU",
        "Le département du numéro correspond au lieu de naissance",
        "mon numéro de sécurité sociale",
        Step.ETAPE_4,
        S,
        note="Département 99 : né à l'étranger, la partie commune est alors le code du pays.",
        validator="moncompte.rules.nir.validate_nir",
        beyond_guide="Le guide demande le numéro de sécurité sociale, non qu'il s'accorde avec le lieu de naissance : contrôle de cohérence choisi par le projet ; SHOULD, faute d'exigence du guide.",
    ),
    Rule(
        "EC-CIVILITE",
        "Civilité",
        "ma civilité",
        Step.ETAPE_4,
        M,
        parameters=(Parameter("valeurs", ["Madame", "Monsieur"], "Civilités proposées."),),
        validator="moncompte.rules.etat_civil.validate_civilite",
    ),
    Rule(
        "EC-NOM-NAISSANCE",
        "Nom de naissance",
        "mon nom de naissance",
        Step.ETAPE_4,
        M,
        parameters=(
            Parameter(
                "longueur_max",
                50,
                "Nombre maximal de caractères du nom de naissance.",
                choice=True,
                rationale="Le guide ne fixe pas de limite ; 50 couvre les noms composés les plus longs"
                " de l'état civil tout en refusant les saisies aberrantes.",
            ),
        ),
        note="Lettres (accentuées comprises), espaces, tirets et apostrophes.",
        validator="moncompte.rules.etat_civil.validate_birth_name",
    ),
    Rule(
        "EC-PRENOMS",
        "Prénoms",
        "mes prénoms",
        Step.ETAPE_4,
        M,
        parameters=(
            Parameter(
                "longueur_max",
                80,
                "Nombre maximal de caractères de l'ensemble des prénoms.",
                choice=True,
                rationale="Le guide ne fixe pas de limite ; 80 caractères laissent place à plusieurs prénoms composés.",
            ),
        ),
        note="Un ou plusieurs prénoms, séparés par des espaces.",
        validator="moncompte.rules.etat_civil.validate_given_names",
    ),
    Rule(
        "EC-DATE-NAISSANCE",
        "Date de naissance réelle et non future",
        "ma date de naissance",
        Step.ETAPE_4,
        M,
        parameters=(
            Parameter(
                "annee_min",
                1900,
                "Première année de naissance acceptée.",
                choice=True,
                rationale="Le guide ne fixe pas de borne ; 1900 refuse les fautes de frappe"
                " (1092 pour 1992) sans exclure de personne vivante.",
            ),
        ),
        validator="moncompte.rules.etat_civil.validate_birth_date",
    ),
    Rule(
        "EC-LIEU-NAISSANCE",
        "Lieu de naissance : commune française ou pays",
        "mon lieu de naissance",
        Step.ETAPE_4,
        M,
        note="Code officiel géographique (INSEE) : commune (5 caractères, 2A/2B pour la Corse) ou pays"
        " (99 suivi de 3 chiffres).",
        validator="moncompte.rules.etat_civil.validate_birth_place",
    ),
    Rule(
        "ID-PROVISOIRE",
        "Identifiant provisoire sans numéro de sécurité sociale",
        "Si ne possède pas de numéro de sécurité sociale, un identifiant provisoire me sera fourni.",
        Step.ETAPE_4,
        M,
        parameters=(
            Parameter(
                "format",
                r"^P[0-9]{9}$",
                "Expression régulière de l'identifiant provisoire délivré.",
                choice=True,
                rationale="Le guide ne décrit pas l'identifiant ; une lettre suivie de 9 chiffres ne"
                " peut pas être confondue avec un numéro de sécurité sociale (15 caractères).",
            ),
        ),
        note="L'identifiant est affiché à l'utilisateur et sert ensuite à se connecter (⑨).",
        validator="moncompte.rules.identifiant_provisoire.is_provisional_id",
    ),
    # ── ⑤ pièce d'identité ───────────────────────────────────────────────────
    Rule(
        "PI-NUMERO",
        "Numéro du titre d'identité au format du titre",
        "Je dois renseigner le numéro de mon titre d'identité* (carte d'identité, titre de séjour,"
        " passeport français...).",
        Step.ETAPE_5,
        S,
        note="Carte d'identité (9 caractères depuis 2021, 12 avant), passeport français (2 chiffres,"
        " 2 lettres, 5 chiffres), titre de séjour (10 chiffres).",
        validator="moncompte.rules.piece_identite.validate_document_number",
        beyond_guide="Le guide dit que le numéro est vérifié (PI-VERIFICATION) ; en contrôler la forme avant (formats des titres français) est un choix du projet, qui dit plus tôt la faute de frappe ; SHOULD.",
    ),
    Rule(
        "PI-CONTROLE-MRZ",
        "Chiffre de contrôle de la bande MRZ, s'il est saisi",
        "Ce numéro est ensuite vérifié",
        Step.ETAPE_5,
        S,
        note="Un dixième caractère saisi après le numéro d'une carte d'identité récente ou d'un passeport"
        " est le chiffre de contrôle MRZ (pondérations 7, 3, 1) et doit être exact.",
        validator="moncompte.rules.piece_identite.validate_document_number",
        beyond_guide="Le guide ne parle pas du chiffre de contrôle de la bande MRZ : l'accepter après le numéro et le vérifier est un choix du projet ; SHOULD.",
    ),
    Rule(
        "PI-VERIFICATION",
        "Le numéro est vérifié et l'identité confirmée",
        "Ce numéro est ensuite vérifié et mon identité confirmée !",
        Step.ETAPE_5,
        M,
        note="Un numéro bien formé mais qui ne correspond pas à l'identité saisie est refusé.",
    ),
    Rule(
        "PI-SANS-PIECE-FR",
        "Création sans pièce d'identité française",
        "Si je ne possède pas de titre d'identité français, je peux quand même créer Mon Compte en"
        " cliquant sur « Je ne dispose pas d'une pièce d'identité française ».",
        Step.ETAPE_5,
        M,
    ),
    Rule(
        "PI-JUSTIFICATIF",
        "Justificatif d'identité possible sans pièce française",
        "Une pièce d'identité justificative peut m'être demandée.",
        Step.ETAPE_5,
        S,
        note="Le compte créé sans pièce française porte la mention « justificatif à fournir », montrée"
        " à l'utilisateur.",
    ),
    # ── ⑥ ⑦ coordonnées et code ───────────────────────────────────────────────
    Rule(
        "CONTACT-COORDONNEES",
        "Adresse e-mail ou numéro de téléphone portable",
        "Je complète mes coordonnées de contact (mon adresse mail ou mon numéro de téléphone portable)",
        Step.ETAPE_6,
        M,
        note="L'utilisateur choisit l'un ou l'autre ; une coordonnée absente est refusée.",
    ),
    Rule(
        "CONTACT-EMAIL",
        "Adresse e-mail valide",
        "mon adresse mail",
        Step.ETAPE_6,
        M,
        parameters=(
            Parameter(
                "longueur_max",
                254,
                "Longueur maximale d'une adresse e-mail.",
                choice=True,
                rationale="Limite pratique d'une adresse dans SMTP (RFC 5321).",
            ),
        ),
        validator="moncompte.rules.coordonnees.validate_email",
    ),
    Rule(
        "CONTACT-MOBILE",
        "Numéro de téléphone portable français, outre-mer compris",
        "mon numéro de téléphone portable",
        Step.ETAPE_6,
        M,
        parameters=(
            Parameter(
                "regions",
                ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"],
                "Régions (ISO 3166) dont les numéros de portable sont acceptés.",
                choice=True,
                rationale="Le guide dit « téléphone portable » sans préciser ; la CAF sert la métropole"
                " et les départements et collectivités d'outre-mer du régime général.",
            ),
        ),
        note="Un numéro de ligne fixe est refusé : le code est envoyé par SMS.",
        validator="moncompte.rules.coordonnees.validate_mobile",
    ),
    Rule(
        "CONTACT-ENVOYER-CODE",
        "Bouton « Envoyer le code »",
        "puis je clique sur « Envoyer le code ».",
        Step.ETAPE_6,
        M,
    ),
    Rule(
        "CODE-ENVOI-IMMEDIAT",
        "Code reçu immédiatement par e-mail ou SMS",
        "Je reçois immédiatement un code par mail ou SMS.",
        Step.ETAPE_6,
        M,
        parameters=(
            Parameter(
                "delai_max_secondes",
                30,
                "Délai maximal entre « Envoyer le code » et la réception du message.",
                choice=True,
                rationale="« Immédiatement » n'est pas chiffré ; 30 secondes couvrent l'acheminement"
                " normal d'un e-mail ou d'un SMS de recette.",
            ),
        ),
        note="Le code part sur le canal choisi (e-mail pour une adresse, SMS pour un portable).",
    ),
    Rule(
        "CODE-FORMAT",
        "Code de confirmation à chiffres",
        "Je reçois immédiatement un code par mail ou SMS.",
        Step.ETAPE_6,
        S,
        parameters=(
            Parameter(
                "longueur",
                6,
                "Nombre de chiffres du code.",
                choice=True,
                rationale="Le guide ne fixe pas la longueur ; 6 chiffres est l'usage des codes à"
                " usage unique (1 chance sur un million par essai).",
            ),
        ),
        validator="moncompte.rules.code.validate_code_format",
        beyond_guide="Le guide parle d'« un code » sans en fixer la forme : des chiffres, et leur nombre, sont un choix du projet ; SHOULD.",
    ),
    Rule(
        "CODE-VALIDATION",
        "Le bon code confirme les coordonnées, un autre est refusé",
        "J'indique le code de confirmation dans le champ de saisie puis je clique sur « valider ».",
        Step.ETAPE_7,
        M,
    ),
    Rule(
        "CODE-VERIFICATION-CONTACT",
        "Pas de compte sans coordonnées confirmées",
        "Pendant la création de Mon Compte, mes coordonnées de contact sont vérifiées par l'envoi d'un code.",
        Step.BON_A_SAVOIR,
        M,
        note="Le mot de passe (⑧) ne peut pas être choisi avant la confirmation du code.",
    ),
    Rule(
        "CODE-USAGE-UNIQUE",
        "Un code ne sert qu'une fois",
        "mes coordonnées de contact sont vérifiées par l'envoi d'un code",
        Step.BON_A_SAVOIR,
        M,
        note="Un code confirmé ou remplacé par un nouvel envoi ne peut plus être utilisé.",
        beyond_guide="Le guide ne dit pas qu'un code ne sert qu'une fois ; MUST par nécessité de sécurité : un code réutilisable confirmerait des coordonnées pour qui l'a vu passer.",
    ),
    Rule(
        "CODE-EXPIRATION",
        "Un code expire",
        "mes coordonnées de contact sont vérifiées par l'envoi d'un code",
        Step.BON_A_SAVOIR,
        M,
        parameters=(
            Parameter(
                "validite_minutes",
                10,
                "Durée de validité du code.",
                choice=True,
                rationale="Le guide dit « immédiatement » pour la réception ; 10 minutes laissent le"
                " temps d'ouvrir sa messagerie sans garder un code valable longtemps.",
            ),
        ),
        beyond_guide="Le guide ne fixe pas de durée de validité ; MUST par nécessité de sécurité : un code qui ne périme pas reste devinable indéfiniment.",
    ),
    Rule(
        "CODE-TENTATIVES",
        "Nombre d'essais limité",
        "mes coordonnées de contact sont vérifiées par l'envoi d'un code",
        Step.BON_A_SAVOIR,
        M,
        parameters=(
            Parameter(
                "essais_max",
                3,
                "Nombre de codes faux acceptés avant que le code soit invalidé.",
                choice=True,
                rationale="Le guide ne fixe pas de limite ; 3 essais pour un code de 6 chiffres"
                " rendent la devinette impraticable (3 chances sur un million).",
            ),
        ),
        note="Au-delà, le code est invalidé : il faut en demander un nouveau.",
        beyond_guide="Le guide ne limite pas les essais ; MUST par nécessité de sécurité : sans limite, un code à 6 chiffres se devine par essais successifs.",
    ),
    Rule(
        "CODE-RENVOI",
        "Nouvel envoi du code après un délai",
        "mes coordonnées de contact sont vérifiées par l'envoi d'un code",
        Step.BON_A_SAVOIR,
        S,
        parameters=(
            Parameter(
                "delai_secondes",
                60,
                "Délai minimal entre deux envois de code.",
                choice=True,
                rationale="Un délai d'une minute limite l'envoi massif de messages sans gêner"
                " l'utilisateur dont le premier message s'est perdu.",
            ),
        ),
        beyond_guide="Le guide ne parle pas de redemander un code : le bouton et son délai sont un choix du projet (contre l'envoi en rafale) ; SHOULD.",
    ),
    # ── ⑧ mot de passe ───────────────────────────────────────────────────────
    Rule(
        "MDP-CHOIX",
        "L'utilisateur choisit son mot de passe",
        "Je choisis mon mot de passe.",
        Step.ETAPE_8,
        M,
        note="Un champ « Mot de passe » où l'utilisateur saisit le sien, la règle affichée sous le champ ;"
        " le site n'en impose pas un.",
    ),
    Rule(
        "MDP-LONGUEUR",
        "Mot de passe de 8 à 24 caractères",
        "Il doit faire entre 8 et 24 caractères",
        Step.ETAPE_8,
        M,
        parameters=(
            Parameter("min", 8, "Nombre minimal de caractères."),
            Parameter("max", 24, "Nombre maximal de caractères."),
        ),
        bounds=(("min", "max"),),
        validator="moncompte.rules.mot_de_passe.validate_password",
    ),
    Rule(
        "MDP-CHIFFRE",
        "Au moins 1 chiffre",
        "se composer d'au moins 1 chiffre",
        Step.ETAPE_8,
        M,
        parameters=(Parameter("min", 1, "Nombre minimal de chiffres."),),
        validator="moncompte.rules.mot_de_passe.validate_password",
    ),
    Rule(
        "MDP-MAJUSCULE",
        "Au moins 1 lettre majuscule",
        "1 lettre majuscule",
        Step.ETAPE_8,
        M,
        parameters=(
            Parameter("min", 1, "Nombre minimal de lettres majuscules."),
            Parameter(
                "accents_acceptes",
                True,
                "Les lettres accentuées (É, À…) comptent comme lettres.",
                choice=True,
                rationale="Le guide parle de « lettre » sans restreindre à l'ASCII ; un utilisateur"
                " français tape naturellement « É ».",
            ),
        ),
        validator="moncompte.rules.mot_de_passe.validate_password",
    ),
    Rule(
        "MDP-MINUSCULE",
        "Au moins 1 lettre minuscule",
        "1 lettre minuscule",
        Step.ETAPE_8,
        M,
        parameters=(
            Parameter("min", 1, "Nombre minimal de lettres minuscules."),
            Parameter(
                "accents_acceptes",
                True,
                "Les lettres accentuées (é, è, ç…) comptent comme lettres.",
                choice=True,
                rationale="Le guide parle de « lettre » sans restreindre à l'ASCII ; un utilisateur"
                " français tape naturellement « é ».",
            ),
        ),
        validator="moncompte.rules.mot_de_passe.validate_password",
    ),
    # ── ⑨ récapitulatif, connexion, espace ───────────────────────────────────
    Rule(
        "RECAP-AFFICHAGE",
        "Récapitulatif de toutes les informations saisies",
        "Un récapitulatif des informations saisies pendant la création de Mon Compte s'affiche.",
        Step.ETAPE_9,
        M,
        note="État civil, pièce d'identité (ou son absence) et coordonnée confirmée.",
    ),
    Rule(
        "RECAP-SANS-MDP",
        "Le mot de passe n'apparaît jamais au récapitulatif",
        "Un récapitulatif des informations saisies pendant la création de Mon Compte s'affiche.",
        Step.ETAPE_9,
        M,
        note="Choix de sécurité : le récapitulatif montre les informations saisies, jamais le mot de passe.",
        beyond_guide="Le guide dit ce que montre le récapitulatif, non ce qu'il tait ; MUST par nécessité de sécurité : un mot de passe affiché se lit par-dessus l'épaule et reste dans les caches.",
    ),
    Rule(
        "RECAP-PIECE-MASQUEE",
        "Numéro de la pièce d'identité masqué au récapitulatif",
        "Un récapitulatif des informations saisies pendant la création de Mon Compte s'affiche.",
        Step.ETAPE_9,
        S,
        parameters=(
            Parameter(
                "caracteres_visibles",
                4,
                "Nombre de derniers caractères laissés visibles.",
                choice=True,
                rationale="Assez pour reconnaître son titre, trop peu pour le réutiliser.",
            ),
        ),
        validator="moncompte.rules.piece_identite.mask_document_number",
        beyond_guide="Le guide ne dit pas de masquer le numéro du titre : choix du projet (donnée d'identité à protéger à l'écran) ; SHOULD.",
    ),
    Rule(
        "RECAP-SE-CONNECTER",
        "« Se connecter » depuis le récapitulatif",
        "Je vérifie qu'elles sont correctes puis je clique sur « Se connecter ».",
        Step.ETAPE_9,
        M,
    ),
    Rule(
        "CNX-NIR",
        "Connexion avec le numéro de sécurité sociale",
        "Je rentre mes identifiants de connexion (mon numéro de sécurité sociale ou mon identifiant"
        " provisoire et mon mot de passe).",
        Step.ETAPE_9,
        M,
    ),
    Rule(
        "CNX-ID-PROVISOIRE",
        "Connexion avec l'identifiant provisoire",
        "mon identifiant provisoire et mon mot de passe",
        Step.ETAPE_9,
        M,
    ),
    Rule(
        "CNX-MDP",
        "Un mot de passe faux est refusé",
        "mon mot de passe",
        Step.ETAPE_9,
        M,
    ),
    Rule(
        "ESPACE-DEMANDE",
        "Faire une demande de prestation une fois connecté",
        "Je peux maintenant faire une demande une prestation et suivre mes démarches.",
        Step.ETAPE_9,
        M,
    ),
    Rule(
        "ESPACE-SUIVI",
        "Suivre mes démarches",
        "suivre mes démarches",
        Step.ETAPE_9,
        M,
        note="La demande faite apparaît dans « Suivre mes démarches » avec son statut.",
    ),
    # ── Bon à savoir ─────────────────────────────────────────────────────────
    Rule(
        "GUIDAGE",
        "L'utilisateur est guidé tout au long de la démarche",
        "Je suis guidé tout au long de la démarche",
        Step.BON_A_SAVOIR,
        S,
        note="Chaque page du parcours indique l'étape en cours (« Étape n sur N »).",
    ),
    Rule(
        "CHATBOT",
        "Le Chatbot répond aux questions",
        "le Chatbot peut lui aussi m'aider si j'ai des questions.",
        Step.BON_A_SAVOIR,
        Y,
        note="Une aide est offerte sur les pages du parcours ; elle répond en français ou dit qu'elle ne sait pas.",
    ),
    Rule(
        "FC-CREATION",
        "Création de Mon Compte avec FranceConnect",
        "Je peux aussi créer Mon Compte avec FranceConnect en suivant les étapes expliquées ici et en"
        " renseignant mes identifiants FranceConnect.",
        Step.BON_A_SAVOIR,
        M,
    ),
    Rule(
        "FC-CONNEXION",
        "Connexion avec FranceConnect",
        "Ensuite, je peux me connecter en utilisant mon espace personnel FranceConnect.",
        Step.BON_A_SAVOIR,
        M,
    ),
    Rule(
        "ROLE-RESPONSABLE",
        "Le responsable du dossier a toutes les fonctionnalités",
        "mon conjoint est le responsable du dossier",
        Step.BON_A_SAVOIR,
        M,
        validator="moncompte.rules.roles.is_allowed",
    ),
    Rule(
        "ROLE-CONJOINT-PROCURATION",
        "Conjoint avec procuration : les mêmes fonctionnalités que le responsable",
        _PROCURATION_QUOTE,
        Step.BON_A_SAVOIR,
        M,
        validator="moncompte.rules.roles.is_allowed",
    ),
    Rule(
        "ROLE-CONJOINT-PROCURATION-DEMANDE",
        "Conjoint avec procuration : demander une prestation et gérer le dossier",
        "Je peux demander une prestation et gérer le dossier.",
        Step.BON_A_SAVOIR,
        M,
        validator="moncompte.rules.roles.is_allowed",
    ),
    Rule(
        "ROLE-CONJOINT-SANS-PROCURATION",
        "Conjoint sans procuration : données, coordonnées, séparation",
        _ROLES_QUOTE,
        Step.BON_A_SAVOIR,
        M,
        validator="moncompte.rules.roles.is_allowed",
    ),
    Rule(
        "ROLE-ENFANT-15",
        "Enfant de plus de 15 ans : données, coordonnées, séparation",
        _ROLES_QUOTE,
        Step.BON_A_SAVOIR,
        M,
        parameters=(
            Parameter(
                "age_min",
                16,
                "Âge (en années révolues) à partir duquel un enfant du foyer peut créer son espace.",
                choice=True,
                rationale="« Plus de 15 ans » se lit strictement : un enfant de 15 ans révolus n'a pas"
                " « plus de 15 ans » avant son seizième anniversaire.",
            ),
        ),
        note="Un enfant du foyer à partir de age_min ans crée son espace et y a les droits de la phrase du guide ;"
        " qu'un plus jeune soit refusé est ROLE-ENFANT-AGE.",
        validator="moncompte.rules.roles.is_allowed",
    ),
    Rule(
        "ROLE-ENFANT-AGE",
        "Un enfant de 15 ans ou moins ne crée pas son espace",
        "un enfant de plus de 15 ans",
        Step.BON_A_SAVOIR,
        S,
        note="Un enfant du foyer qui n'a pas l'âge (ROLE-ENFANT-15.age_min) est refusé dès l'état civil ou le"
        " titre d'identité, avec un message clair.",
        validator="moncompte.rules.roles.can_create_account",
        beyond_guide="Le guide dit ce que permet l'espace d'un enfant de plus de 15 ans ; refuser l'espace aux plus"
        " jeunes est la lecture du projet ; SHOULD, faute d'exigence du guide.",
    ),
    Rule(
        "ROLE-PERSONNE-A-CHARGE",
        "Personne à charge : données, coordonnées, séparation",
        _ROLES_QUOTE,
        Step.BON_A_SAVOIR,
        M,
        validator="moncompte.rules.roles.is_allowed",
    ),
    # ── Sécurité: beyond the guide, what a QA team can check from outside on its own site ──
    Rule(
        "SEC-ENUMERATION",
        "Connexion : même réponse pour un identifiant inconnu et un mot de passe faux",
        _LOGIN_QUOTE,
        Step.SECURITE,
        S,
        note="Au-delà du guide : la connexion ne révèle pas si un compte existe pour un identifiant"
        " (même statut, même message pour un identifiant inconnu et pour un mot de passe faux).",
        beyond_guide=_SECURITY,
    ),
    Rule(
        "SEC-CONNEXION-LIMITEE",
        "Connexion : les essais de mot de passe sont limités",
        _LOGIN_QUOTE,
        Step.SECURITE,
        S,
        parameters=(
            Parameter(
                "echecs_max",
                5,
                "Échecs de connexion tolérés pour un identifiant avant le blocage temporaire.",
                choice=True,
                rationale="Au-delà du guide ; valeur usuelle (OWASP) : quelques essais par quart d'heure.",
            ),
        ),
        note="Au-delà du guide : après quelques échecs pour un même identifiant, la connexion est refusée pour une durée limitée"
        " avec un message clair (429 pour l'API), même avec le bon mot de passe.",
        beyond_guide=_SECURITY,
    ),
    Rule(
        "SEC-COOKIE-SESSION",
        "Connexion : le cookie de session est HttpOnly, SameSite et Secure en HTTPS",
        _LOGIN_QUOTE,
        Step.SECURITE,
        S,
        note="Au-delà du guide : le cookie de session posé à la connexion n'est pas lisible par un script"
        " (HttpOnly), n'est pas envoyé par un autre site (SameSite=Lax ou Strict), est Secure quand le site est"
        " en HTTPS, et son identifiant est nouveau à chaque connexion.",
        beyond_guide=_SECURITY,
    ),
    Rule(
        "SEC-CSRF",
        "Un autre site ne peut pas agir à ma place (CSRF)",
        "Je peux maintenant faire une demande une prestation et suivre mes démarches.",
        Step.SECURITE,
        S,
        note="Au-delà du guide : un formulaire envoyé depuis un autre site (sans le jeton du formulaire, ou en"
        " form-urlencoded vers l'API) est refusé et rien n'est fait.",
        beyond_guide=_SECURITY,
    ),
    Rule(
        "SEC-EN-TETES",
        "Les pages portent les en-têtes de sécurité",
        _LOGIN_QUOTE,
        Step.SECURITE,
        S,
        note="Au-delà du guide : Content-Security-Policy avec frame-ancestors (la page de connexion ne peut"
        " pas être encadrée par un autre site), X-Content-Type-Options: nosniff, Referrer-Policy.",
        beyond_guide=_SECURITY,
    ),
    Rule(
        "SEC-SANS-PIECE-SANS-FOYER",
        "Sans pièce vérifiée, le compte n'agit pas sur le dossier d'un foyer",
        "Une pièce d'identité justificative peut m'être demandée.",
        Step.SECURITE,
        S,
        note="Au-delà du guide : un NIR, un nom et une date de naissance figurent sur chaque bulletin de paie."
        " Un compte créé avec « Je ne dispose pas d'une pièce d'identité française » n'a pas encore prouvé"
        " qui il est : tant que son justificatif n'est pas vérifié, il ne donne pas de procuration, ne"
        " déclare pas de séparation au nom du foyer et n'en voit pas le dossier.",
        beyond_guide=_SECURITY,
    ),
    Rule(
        "SEC-ENUMERATION-NIR",
        "État civil : même réponse qu'un compte existe ou non pour le NIR",
        "Je commence par renseigner les informations de mon état civil",
        Step.SECURITE,
        S,
        note="Au-delà du guide : l'étape ④ ne dit pas si un numéro de sécurité sociale a déjà un compte"
        " (le site peut le dire plus tard, une fois l'identité prouvée par le titre d'identité) ; sinon"
        " n'importe qui apprend, avec le seul NIR, qui a un compte, ce que la connexion prend soin de taire.",
        beyond_guide=_SECURITY,
    ),
    Rule(
        "SEC-ENVOIS-LIMITES",
        "Les envois de codes vers une même adresse ou un même numéro sont limités",
        "puis je clique sur « Envoyer le code »",
        Step.SECURITE,
        S,
        parameters=(
            Parameter(
                "envois_max",
                5,
                "Codes envoyés au plus vers une même adresse e-mail ou un même numéro, toutes inscriptions"
                " confondues, sur la fenêtre.",
                choice=True,
                rationale="Au-delà du guide : assez pour une personne qui se trompe ou recommence, trop peu pour"
                " inonder quelqu'un de SMS ; borne aussi les essais de code vers une même adresse"
                " (envois_max × CODE-TENTATIVES.essais_max par fenêtre).",
            ),
            Parameter(
                "fenetre_minutes",
                60,
                "Fenêtre glissante (minutes) sur laquelle les envois sont comptés.",
                choice=True,
                rationale="Au-delà du guide : une heure, l'usage des services d'envoi de SMS.",
            ),
        ),
        note="Au-delà du guide : au-delà de envois_max codes vers une même adresse ou un même numéro sur la"
        " fenêtre, « Envoyer le code » est refusé avec un message clair (429 pour l'API) et rien n'est envoyé.",
        beyond_guide=_SECURITY,
    ),
    Rule(
        "SEC-CORPS-LIMITE",
        "Une requête démesurée est refusée sans erreur du serveur",
        "Je commence par renseigner les informations de mon état civil",
        Step.SECURITE,
        S,
        parameters=(
            Parameter(
                "taille_max_octets",
                65_536,
                "Taille maximale du corps d'une requête acceptée par le site (octets).",
                choice=True,
                rationale="Au-delà du guide : un formulaire du parcours tient en quelques kilo-octets ; 64 Kio"
                " laissent de la marge sans laisser remplir la mémoire du serveur.",
            ),
        ),
        note="Au-delà du guide : un formulaire valide alourdi au-delà de taille_max_octets (le harnais en envoie"
        " le double) est refusé (413 ou autre 4xx), sans erreur 5xx, et le parcours n'avance pas.",
        beyond_guide=_SECURITY,
    ),
    # ── Accessibilité: beyond the guide, the RGAA on every page of the journey ──
    Rule(
        "A11Y-AXE",
        "Aucune page du parcours n'a de défaut d'accessibilité grave (axe-core)",
        _SIMPLE,
        Step.ACCESSIBILITE,
        S,
        note="Au-delà du guide : chaque page du parcours (accueil, ④ à ⑨, connexion, « Mon espace ») passe le"
        " contrôle automatique axe-core (règles WCAG 2 A et AA) sans défaut d'impact « serious » ou « critical ».",
        beyond_guide=_ACCESSIBILITY,
        rgaa=("1.1", "3.2", "8.3", "11.1", "11.9"),
    ),
    Rule(
        "A11Y-ETIQUETTES",
        "Chaque champ du parcours a une étiquette lue par les lecteurs d'écran",
        "Je commence par renseigner les informations de mon état civil",
        Step.ACCESSIBILITE,
        S,
        note="Au-delà du guide : chaque champ à remplir ou à choisir de ④ à ⑧ a un nom accessible (étiquette"
        " liée, aria-label ou aria-labelledby ; un texte indicatif seul ne suffit pas). RGAA 11.1.",
        beyond_guide=_ACCESSIBILITY,
        rgaa=("11.1",),
    ),
    Rule(
        "A11Y-ERREURS",
        "Une erreur de saisie est reliée à son champ et annoncée",
        "Je suis guidé tout au long de la démarche",
        Step.ACCESSIBILITE,
        S,
        note="Au-delà du guide : quand un formulaire de ④ à ⑧ est refusé, chaque message d'erreur est relié à"
        " son champ (aria-describedby ou équivalent) et le refus est annoncé (role=alert ou région live)."
        " RGAA 11.10 (contrôle de saisie), 7.5 (messages de statut).",
        beyond_guide=_ACCESSIBILITY,
        rgaa=("11.10", "7.5"),
    ),
    Rule(
        "A11Y-CLAVIER",
        "Le parcours se fait au clavier seul, focus visible, sans piège",
        _SIMPLE,
        Step.ACCESSIBILITE,
        S,
        note="Au-delà du guide : sur chaque page du parcours, la touche Tabulation atteint chaque champ et chaque"
        " bouton du formulaire, le focus se voit toujours et n'est jamais retenu. RGAA 12.8 (ordre de"
        " tabulation), 10.7 (focus visible), 12.9 (pas de piège au clavier).",
        beyond_guide=_ACCESSIBILITY,
        rgaa=("12.8", "10.7", "12.9"),
    ),
    Rule(
        "A11Y-REGLE-MDP",
        "La règle du mot de passe se lit avant de saisir",
        "Il doit faire entre 8 et 24 caractères",
        Step.ACCESSIBILITE,
        S,
        note="Au-delà du guide : à ⑧, la règle du mot de passe est affichée avant toute saisie (pas seulement"
        " après une erreur) et reliée au champ (aria-describedby), pour qu'un lecteur d'écran la lise en"
        " arrivant dans le champ. RGAA 11.10.",
        beyond_guide=_ACCESSIBILITY,
        rgaa=("11.10",),
    ),
    Rule(
        "A11Y-PETIT-ECRAN",
        "Le parcours tient sur un petit écran et à 200 % sans défilement horizontal",
        _SIMPLE,
        Step.ACCESSIBILITE,
        S,
        parameters=(
            Parameter(
                "largeur",
                360,
                "Largeur (pixels CSS) du petit écran où le formulaire doit tenir sans défilement horizontal.",
                choice=True,
                rationale="Au-delà du guide : 360 × 740, l'écran de téléphone le plus répandu ; à 200 % de zoom,"
                " un écran de bureau de 1280 pixels n'en offre plus que 640.",
            ),
            Parameter(
                "hauteur",
                740,
                "Hauteur (pixels CSS) de ce petit écran.",
                choice=True,
                rationale="Au-delà du guide : l'écran de téléphone le plus répandu (360 × 740).",
            ),
        ),
        note="Au-delà du guide : à largeur × hauteur pixels, et à 200 % de zoom (640 pixels CSS de large), les"
        " pages de ④ à ⑧ se lisent sans défilement horizontal. RGAA 10.11.",
        beyond_guide=_ACCESSIBILITY,
        rgaa=("10.11",),
    ),
)


BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def get(rule_id: str) -> Rule:
    try:
        return BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"Règle inconnue : {rule_id}") from None


def settings(overrides: Mapping[str, Mapping[str, Any]] | None = None) -> Settings:
    """Effective parameters: the guide's defaults, then a profile's overrides."""
    return Settings.from_rules(RULES, overrides)


DEFAULTS: Settings = settings()

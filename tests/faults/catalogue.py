"""The fault catalogue: single-rule deviations of the reference implementation.

Each fault breaks one rule of the catalogue (``rule``) in the reference, without
editing its source: ``tests/faults/launch.py FAULT_ID`` applies ``patch`` in the
server process (see ``patches.py``). ``tests/test_faults.py`` runs
``moncompte check --rule RULE --driver D`` against each faulty server and expects
the rule's verdict to be ``fail`` (``warning`` for a SHOULD or MAY rule, which
never fails a run by itself), so the suite proves it catches the deviation.

``drivers``: where the deviation shows. The API driver is used wherever the
deviation is visible through the API (it is faster); the browser driver for
what only the pages show (navigation, labels, the rule text under the field).

``pending``: a fault the harness cannot run yet, with the reason (listed in the
table, never silently dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from faults import patches  # tests/ is on sys.path (pytest's rootdir-relative import, or launch.py)
from moncompte import rules
from moncompte.rules.model import Level

API, BROWSER = "api", "browser"


@dataclass(frozen=True)
class Fault:
    id: str
    description: str  # in French: what the faulty site does
    rule: str  # the rule whose verdict must be fail (warning for SHOULD / MAY)
    drivers: tuple[str, ...]
    patch: Callable[[patches.Launch], None]
    step: str  # ①…⑨, « Bon à savoir »… (where in the guide)
    pending: str = ""  # why the fault cannot be run yet (empty: it runs)
    check_options: tuple[str, ...] = ()  # more options of ``moncompte check`` (the devices to emulate)

    @property
    def expected_verdict(self) -> str:
        return "fail" if rules.BY_ID[self.rule].level is Level.MUST else "warning"

    @property
    def expected_exit_code(self) -> int | None:
        """1 for a MUST rule; None for a SHOULD / MAY rule (its scenarios may carry MUST rules that fail too)."""
        return 1 if self.expected_verdict == "fail" else None


FAULTS: tuple[Fault, ...] = (
    # ── introduction, ① ② ③ ───────────────────────────────────────────────
    Fault(
        "NAV-AIDES-RENOMME",
        "Le lien « Aides et démarches » de la page d'accueil est renommé « Aides et services ».",
        "NAV-AIDES-DEMARCHES",
        (BROWSER,),
        patches.nav_aides_renamed,
        "①",
    ),
    Fault(
        "NAV-ICONE-ABSENTE",
        "L'icône « Mon Compte » manque en haut de la page d'accueil (foyers allocataires).",
        "NAV-ICONE-MON-COMPTE",
        (BROWSER,),
        patches.nav_icon_missing,
        "①",
    ),
    Fault(
        "NAV-MES-DEMARCHES-ABSENT",
        "La rubrique « Aides et démarches » ne propose pas le lien « Mes démarches ».",
        "NAV-MES-DEMARCHES",
        (BROWSER,),
        patches.nav_mes_demarches_missing,
        "②",
    ),
    Fault(
        "NAV-THEME-MANQUANT",
        "Le bandeau « Faites une demande de prestation en ligne » omet le thème « Handicap ».",
        "NAV-BANDEAU-THEMES",
        (BROWSER,),
        patches.nav_theme_missing,
        "②",
    ),
    Fault(
        "NAV-FAIRE-LA-DEMANDE-RENOMME",
        "Le bouton « Faire la demande » s'appelle « Envoyer ».",
        "NAV-FAIRE-LA-DEMANDE",
        (BROWSER,),
        patches.nav_faire_la_demande_renamed,
        "③",
    ),
    Fault(
        "NAV-CREER-UN-COMPTE-RENOMME",
        "Après « Faire la demande », le lien « Créer un compte » s'appelle « S'inscrire ».",
        "NAV-CREER-UN-COMPTE",
        (BROWSER,),
        patches.nav_creer_un_compte_renamed,
        "③",
    ),
    Fault(
        "ACCES-NON-ALLOCATAIRE-SEPARATION",
        "Une personne qui n'est pas encore allocataire peut déclarer une séparation.",
        "ROLE-NON-ALLOCATAIRE",
        (API,),
        patches.non_allocataire_separation,
        "Introduction",
    ),
    Fault(
        "ACCES-CONJOINT-REFUSE",
        "Un conjoint d'un foyer allocataire ne peut pas créer son espace personnel.",
        "ACCES-MEMBRE-FOYER",
        (API,),
        patches.conjoint_refused_account,
        "Introduction",
    ),
    Fault(
        "ACCES-DEMANDE-404",
        "Une demande de prestation envoyée sans être connecté reçoit « Page introuvable. »"
        " (404) au lieu d'un refus faute de connexion.",
        "ACCES-COMPTE-REQUIS",
        (API,),
        patches.demande_without_session_not_found,
        "Introduction",
    ),
    # ── ④ état civil ──────────────────────────────────────────────────────
    Fault(
        "NIR-CLE-NON-VERIFIEE",
        "La clé du numéro de sécurité sociale n'est pas vérifiée.",
        "NIR-CLE",
        (API,),
        patches.nir_key_unchecked,
        "④",
    ),
    Fault(
        "NIR-CLE-CORSE-FAUSSE",
        "La clé d'un numéro né en Corse (2A, 2B) est calculée avec « 20 » : les bons numéros sont refusés.",
        "NIR-CLE",
        (API,),
        patches.nir_corsica_key_wrong,
        "④",
    ),
    Fault(
        "NIR-SEXE-NON-VERIFIE",
        "Le premier chiffre du numéro (sexe) n'est pas comparé à la civilité.",
        "NIR-SEXE",
        (API,),
        patches.nir_sex_unchecked,
        "④",
    ),
    Fault(
        "NIR-NAISSANCE-NON-VERIFIEE",
        "L'année et le mois du numéro ne sont pas comparés à la date de naissance.",
        "NIR-NAISSANCE",
        (API,),
        patches.nir_birth_unchecked,
        "④",
    ),
    Fault(
        "NIR-LIEU-ETRANGER-REFUSE",
        "Un numéro de personne née à l'étranger (département 99) est refusé.",
        "NIR-LIEU",
        (API,),
        patches.nir_born_abroad_refused,
        "④",
    ),
    Fault(
        "EC-NIR-FACULTATIF",
        "Le numéro de sécurité sociale laissé vide est accepté sans la case « Je n'ai pas de numéro ».",
        "EC-CHAMPS",
        (API,),
        patches.nir_not_required,
        "④",
    ),
    Fault(
        "EC-CIVILITE-MADEMOISELLE",
        "La civilité « Mademoiselle » est acceptée.",
        "EC-CIVILITE",
        (API,),
        patches.civilite_mademoiselle,
        "④",
    ),
    Fault(
        "EC-NOM-60",
        "Le nom de naissance est accepté jusqu'à 60 caractères au lieu de 50.",
        "EC-NOM-NAISSANCE",
        (API,),
        patches.birth_name_60,
        "④",
    ),
    Fault(
        "EC-PRENOMS-TOUT-CARACTERE",
        "Les prénoms ne sont pas contrôlés (chiffres, ponctuation acceptés).",
        "EC-PRENOMS",
        (API,),
        patches.given_names_any_character,
        "④",
    ),
    Fault(
        "EC-DATE-FUTURE",
        "Une date de naissance dans le futur est acceptée.",
        "EC-DATE-NAISSANCE",
        (API,),
        patches.birth_date_future,
        "④",
    ),
    Fault(
        "EC-LIEU-99-REFUSE",
        "Un lieu de naissance à l'étranger (99 suivi du code du pays) est refusé.",
        "EC-LIEU-NAISSANCE",
        (API,),
        patches.birth_place_abroad_refused,
        "④",
    ),
    Fault(
        "ID-PROVISOIRE-NON-FOURNI",
        "Sans numéro de sécurité sociale, aucun identifiant provisoire n'est fourni.",
        "ID-PROVISOIRE",
        (API,),
        patches.provisional_id_not_issued,
        "④",
    ),
    Fault(
        "ID-PROVISOIRE-FORMAT",
        "L'identifiant provisoire fourni est « P » suivi de 8 chiffres au lieu de 9.",
        "ID-PROVISOIRE",
        (API,),
        patches.provisional_id_other_format,
        "④",
    ),
    # ── ⑤ pièce d'identité ────────────────────────────────────────────────
    Fault(
        "PI-PASSEPORT-FORMAT-LIBRE",
        "Le numéro de passeport n'est pas contrôlé (8 ou 9 lettres ou chiffres quelconques).",
        "PI-NUMERO",
        (API,),
        patches.passport_format_loose,
        "⑤",
    ),
    Fault(
        "PI-MRZ-NON-VERIFIE",
        "Le chiffre de contrôle saisi après le numéro du titre n'est pas vérifié.",
        "PI-CONTROLE-MRZ",
        (API,),
        patches.mrz_unchecked,
        "⑤",
    ),
    Fault(
        "PI-VERIFICATION-SAUTEE",
        "Le numéro du titre n'est pas vérifié : tout numéro bien formé est accepté.",
        "PI-VERIFICATION",
        (API,),
        patches.document_not_verified,
        "⑤",
    ),
    Fault(
        "PI-SANS-PIECE-REFUSE",
        "« Je ne dispose pas d'une pièce d'identité française » est refusé.",
        "PI-SANS-PIECE-FR",
        (API,),
        patches.no_french_document_refused,
        "⑤",
    ),
    Fault(
        "PI-JUSTIFICATIF-JAMAIS",
        "Sans pièce française, le justificatif n'est jamais annoncé.",
        "PI-JUSTIFICATIF",
        (API,),
        patches.justificatif_never_asked,
        "⑤",
    ),
    # ── ⑥ coordonnées de contact, envoi du code ───────────────────────────
    Fault(
        "CONTACT-FIXE-ACCEPTE",
        "Un numéro de ligne fixe est accepté comme portable.",
        "CONTACT-MOBILE",
        (API,),
        patches.landline_accepted,
        "⑥",
    ),
    Fault(
        "CONTACT-OUTREMER-REFUSE",
        "Un portable d'outre-mer (+262, +590, +596, +594…) est refusé.",
        "CONTACT-MOBILE",
        (API,),
        patches.overseas_mobile_refused,
        "⑥",
    ),
    Fault(
        "CONTACT-EMAIL-NON-VERIFIE",
        "L'adresse e-mail n'est pas contrôlée.",
        "CONTACT-EMAIL",
        (API,),
        patches.email_unchecked,
        "⑥",
    ),
    Fault(
        "CONTACT-BOUTON-RENOMME",
        "Le bouton « Envoyer le code » s'appelle « Recevoir un code ».",
        "CONTACT-ENVOYER-CODE",
        (BROWSER,),
        patches.send_code_button_renamed,
        "⑥",
    ),
    Fault(
        "CODE-ENVOI-SANS-CODE",
        "Le message envoyé ne contient pas le code de confirmation.",
        "CODE-ENVOI-IMMEDIAT",
        (API,),
        patches.code_missing_from_message,
        "⑥",
    ),
    Fault(
        "CODE-FORMAT-4",
        "Le code envoyé a 4 chiffres au lieu de 6.",
        "CODE-FORMAT",
        (API,),
        patches.code_four_digits,
        "⑥",
    ),
    # ── ⑦ code de confirmation et « Bon à savoir » ────────────────────────
    Fault(
        "CODE-TOUT-CODE-ACCEPTE",
        "N'importe quel code de 6 chiffres est accepté.",
        "CODE-VALIDATION",
        (API,),
        patches.any_code_accepted,
        "⑦",
    ),
    Fault(
        "CODE-EXPIRE-ACCEPTE",
        "Un code est accepté après sa durée de validité.",
        "CODE-EXPIRATION",
        (API,),
        patches.code_accepted_after_expiry,
        "Bon à savoir",
    ),
    Fault(
        "CODE-REUTILISABLE",
        "Un code déjà utilisé est accepté une deuxième fois.",
        "CODE-USAGE-UNIQUE",
        (API,),
        patches.code_reusable,
        "Bon à savoir",
    ),
    Fault(
        "CODE-REMPLACE-VALABLE",
        "Après « Renvoyer le code », l'ancien code reste valable.",
        "CODE-USAGE-UNIQUE",
        (API,),
        patches.replaced_code_still_valid,
        "Bon à savoir",
    ),
    Fault(
        "CODE-ESSAIS-ILLIMITES",
        "Le nombre d'essais du code n'est pas limité.",
        "CODE-TENTATIVES",
        (API,),
        patches.no_attempt_limit,
        "Bon à savoir",
    ),
    Fault(
        "CODE-RENVOI-SANS-DELAI",
        "Un nouveau code peut être demandé aussitôt, sans délai.",
        "CODE-RENVOI",
        (API,),
        patches.no_resend_delay,
        "Bon à savoir",
    ),
    Fault(
        "CODE-RENVOI-REFUSE-ENVOIE-QUAND-MEME",
        "Un nouveau code demandé trop tôt est refusé avec le bon message,"
        " mais il est quand même envoyé quelques secondes plus tard.",
        "CODE-RENVOI",
        (API,),
        patches.resend_refused_sends_anyway,
        "Bon à savoir",
    ),
    Fault(
        "CODE-MDP-SANS-CONFIRMATION",
        "Le mot de passe peut être choisi (et le compte créé) sans avoir confirmé le code.",
        "CODE-VERIFICATION-CONTACT",
        (API,),
        patches.password_before_code,
        "Bon à savoir",
    ),
    # ── ⑧ mot de passe ────────────────────────────────────────────────────
    Fault(
        "MDP-MAX-30",
        "Le mot de passe est accepté jusqu'à 30 caractères au lieu de 24.",
        "MDP-LONGUEUR",
        (API,),
        patches.password_max_30,
        "⑧",
    ),
    Fault(
        "MDP-SANS-CHIFFRE",
        "Le mot de passe n'exige pas de chiffre.",
        "MDP-CHIFFRE",
        (API,),
        patches.password_no_digit,
        "⑧",
    ),
    Fault(
        "MDP-MAJUSCULE-ACCENTUEE",
        "Une majuscule accentuée (É) n'est pas comptée comme majuscule.",
        "MDP-MAJUSCULE",
        (API,),
        patches.password_accented_upper_not_counted,
        "⑧",
    ),
    Fault(
        "MDP-SANS-MINUSCULE",
        "Le mot de passe n'exige pas de minuscule.",
        "MDP-MINUSCULE",
        (API,),
        patches.password_no_lower,
        "⑧",
    ),
    Fault(
        "MDP-REGLE-CACHEE",
        "La règle du mot de passe n'est pas affichée avec le champ.",
        "MDP-CHOIX",
        (BROWSER,),
        patches.password_rule_hidden,
        "⑧",
    ),
    # ── ⑨ récapitulatif, connexion, espace ────────────────────────────────
    Fault(
        "RECAP-MONTRE-MDP",
        "Le récapitulatif montre le mot de passe.",
        "RECAP-SANS-MDP",
        (API,),
        patches.recap_shows_password,
        "⑨",
    ),
    Fault(
        "RECAP-SANS-LIEU",
        "Le récapitulatif omet le lieu de naissance.",
        "RECAP-AFFICHAGE",
        (API,),
        patches.recap_missing_birth_place,
        "⑨",
    ),
    Fault(
        "RECAP-NUMERO-EN-CLAIR",
        "Le récapitulatif montre le numéro du titre d'identité en entier.",
        "RECAP-PIECE-MASQUEE",
        (API,),
        patches.document_number_unmasked,
        "⑨",
    ),
    Fault(
        "RECAP-LIEN-CONNEXION-ABSENT",
        "Le récapitulatif n'a pas de lien « Se connecter ».",
        "RECAP-SE-CONNECTER",
        (BROWSER,),
        patches.recap_login_link_missing,
        "⑨",
    ),
    Fault(
        "CNX-NIR-REFUSE",
        "La connexion avec le numéro de sécurité sociale est refusée.",
        "CNX-NIR",
        (API,),
        patches.login_refuses_nir,
        "⑨",
    ),
    Fault(
        "CNX-ID-PROVISOIRE-REFUSE",
        "La connexion avec l'identifiant provisoire est refusée.",
        "CNX-ID-PROVISOIRE",
        (API,),
        patches.provisional_id_refused_at_login,
        "⑨",
    ),
    Fault(
        "CNX-MDP-CASSE-IGNOREE",
        "Le mot de passe est comparé sans tenir compte des majuscules.",
        "CNX-MDP",
        (API,),
        patches.password_case_insensitive,
        "⑨",
    ),
    Fault(
        "ESPACE-DEMANDE-MAUVAISE-PRESTATION",
        "La demande enregistrée n'est pas celle de la prestation choisie.",
        "ESPACE-DEMANDE",
        (API,),
        patches.demande_wrong_prestation,
        "⑨",
    ),
    Fault(
        "ESPACE-SUIVI-VIDE",
        "« Suivre mes démarches » ne montre aucune demande.",
        "ESPACE-SUIVI",
        (API,),
        patches.suivi_empty,
        "⑨",
    ),
    # ── « Bon à savoir » : rôles ──────────────────────────────────────────
    Fault(
        "ROLE-RESPONSABLE-SANS-SEPARATION",
        "Le responsable du dossier ne peut pas déclarer une séparation.",
        "ROLE-RESPONSABLE",
        (API,),
        patches.responsable_no_separation,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-CHARGE-SEPARATION-PERDUE",
        "La page « Déclarer une séparation » s'ouvre pour une personne à charge,"
        " mais la déclaration envoyée est refusée.",
        "ROLE-PERSONNE-A-CHARGE",
        (BROWSER,),
        patches.personne_a_charge_separation_lost,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-PROCURATION-PAR-LE-CONJOINT",
        "Seul le responsable voit « Donner procuration », mais la procuration"
        " envoyée par le conjoint lui-même est enregistrée.",
        "ROLE-CONJOINT-PROCURATION",
        (API,),
        patches.procuration_by_anyone,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-PROCURATION-404",
        "La procuration que le conjoint essaie de se donner reçoit « Page introuvable. » (404) au lieu d'un refus.",
        "ROLE-CONJOINT-PROCURATION",
        (API,),
        patches.procuration_by_conjoint_not_found,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-CONJOINT-SANS-PROCURATION-DEMANDE",
        "Un conjoint sans procuration peut demander une prestation.",
        "ROLE-CONJOINT-SANS-PROCURATION",
        (API,),
        patches.conjoint_sans_procuration_requests,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-CONJOINT-PROCURATION-SANS-DEMANDE",
        "Un conjoint avec procuration ne peut pas demander de prestation.",
        "ROLE-CONJOINT-PROCURATION-DEMANDE",
        (API,),
        patches.conjoint_avec_procuration_cannot_request,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-PROCURATION-IGNOREE",
        "La procuration donnée par le responsable ne change pas les droits du conjoint.",
        "ROLE-CONJOINT-PROCURATION-DEMANDE",
        (API,),
        patches.procuration_ignored,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-CONJOINT-PROCURATION-SANS-SEPARATION",
        "Un conjoint avec procuration ne peut pas déclarer une séparation, que le responsable peut déclarer.",
        "ROLE-CONJOINT-PROCURATION",
        (API,),
        patches.conjoint_avec_procuration_no_separation,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-ENFANT-15-ANS-ACCEPTE",
        "Un enfant de 15 ans (pas « plus de 15 ans ») peut créer son espace.",
        "ROLE-ENFANT-AGE",
        (API,),
        patches.child_at_age_limit,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-ENFANT-16-ANS-REFUSE",
        "Un enfant qui a 16 ans aujourd'hui (« plus de 15 ans ») ne peut pas créer son espace.",
        "ROLE-ENFANT-15",
        (API,),
        patches.child_of_16_refused,
        "Bon à savoir",
    ),
    Fault(
        "ROLE-PERSONNE-A-CHARGE-SANS-COORDONNEES",
        "Une personne à charge ne peut pas modifier ses coordonnées de contact.",
        "ROLE-PERSONNE-A-CHARGE",
        (API,),
        patches.personne_a_charge_no_contact,
        "Bon à savoir",
    ),
    # ── « Bon à savoir » : guidage, Chatbot, FranceConnect ────────────────
    Fault(
        "GUIDAGE-ETAPE-FAUSSE",
        "L'indication « Étape 1 sur 6 » reste la même tout au long du parcours.",
        "GUIDAGE",
        (BROWSER,),
        patches.step_not_shown,
        "Bon à savoir",
    ),
    Fault("CHATBOT-MUET", "Le Chatbot ne répond rien.", "CHATBOT", (API,), patches.chatbot_silent, "Bon à savoir"),
    Fault(
        "CHATBOT-ECHO",
        "Le Chatbot répète la question au lieu d'y répondre.",
        "CHATBOT",
        (API,),
        patches.chatbot_echo,
        "Bon à savoir",
    ),
    Fault(
        "RECAP-LIEN-CONNEXION-ACCUEIL",
        "« Se connecter » au récapitulatif ramène à la page d'accueil.",
        "RECAP-SE-CONNECTER",
        (BROWSER,),
        patches.recap_login_link_home,
        "⑨",
    ),
    Fault(
        "NAV-ICONE-EN-BAS",
        "L'icône « Mon Compte » n'est plus en haut de la page d'accueil, mais tout en bas.",
        "NAV-ICONE-MON-COMPTE",
        (BROWSER,),
        patches.icon_at_the_bottom,
        "①",
    ),
    Fault(
        "PI-JUSTIFICATIF-NIE",
        "Le récapitulatif d'un compte créé sans pièce française dit « Aucun justificatif à fournir ».",
        "PI-JUSTIFICATIF",
        (BROWSER,),
        patches.justificatif_said_absent,
        "⑤",
    ),
    Fault(
        "SEC-CSRF-JETON-IGNORE",
        "Le jeton des formulaires n'est plus vérifié : un formulaire envoyé par un autre site est accepté.",
        "SEC-CSRF",
        (BROWSER,),
        patches.csrf_unchecked,
        "Sécurité",
    ),
    Fault(
        "SEC-SANS-PIECE-FOYER-LIE",
        "Un compte créé avec « Je ne dispose pas d'une pièce d'identité française » reçoit aussitôt la place"
        " de la personne dans son foyer : qui connaît un NIR, un nom et une date de naissance agit sur le dossier.",
        "SEC-SANS-PIECE-SANS-FOYER",
        (API,),
        patches.household_role_without_document,
        "Sécurité",
    ),
    Fault(
        "SEC-ETAT-CIVIL-COMPTE-EXISTANT",
        "L'état civil répond « un compte existe déjà » pour un NIR qui a un compte, quel que soit le nom saisi.",
        "SEC-ENUMERATION-NIR",
        (API,),
        patches.civil_status_tells_account_exists,
        "Sécurité",
    ),
    Fault(
        "SEC-ENVOIS-ILLIMITES",
        "Les codes vers une même adresse ne sont pas limités : n'importe qui inonde une adresse ou un numéro.",
        "SEC-ENVOIS-LIMITES",
        (API,),
        patches.codes_unlimited_per_recipient,
        "Sécurité",
    ),
    Fault(
        "SEC-CORPS-ILLIMITE",
        "Une requête de n'importe quelle taille est lue en entier et traitée : un état civil alourdi de"
        " plusieurs centaines de kilo-octets fait avancer le parcours.",
        "SEC-CORPS-LIMITE",
        (API, BROWSER),
        patches.body_size_unlimited,
        "Sécurité",
    ),
    Fault(
        "A11Y-CHAMP-SANS-ETIQUETTE",
        "À l'état civil, le champ « Prénoms » n'a plus d'étiquette : son nom s'affiche à côté, sans lui être lié.",
        "A11Y-ETIQUETTES",
        (BROWSER,),
        patches.field_without_label,
        "Accessibilité",
    ),
    Fault(
        "A11Y-ERREUR-NON-RELIEE",
        "Un message d'erreur s'affiche sous son champ, mais le champ ne le désigne plus (aria-describedby).",
        "A11Y-ERREURS",
        (BROWSER,),
        patches.error_not_tied_to_field,
        "Accessibilité",
    ),
    Fault(
        "A11Y-PIEGE-CLAVIER-CODE",
        "À l'étape du code (⑦), un script retient le focus dans le champ du code : Tab n'en sort plus.",
        "A11Y-CLAVIER",
        (BROWSER,),
        patches.keyboard_trap_on_code,
        "Accessibilité",
    ),
    Fault(
        "A11Y-LIEN-SANS-NOM-SUR-TELEPHONE",
        "Sur un écran de téléphone seulement, l'en-tête montre un lien-icône « Mon Compte » sans nom ; une"
        " fenêtre de bureau ne l'affiche pas. Vérifié sur le bureau et sur un Pixel 7 dans la même vérification.",
        "A11Y-AXE",
        (BROWSER,),
        patches.nameless_link_on_phones,
        "Accessibilité",
        check_options=("--appareil", "bureau", "--appareil", "Pixel 7"),
    ),
    Fault(
        "A11Y-COMMENCER-HORS-CLAVIER",
        "Le bouton « Commencer » est retiré de l'ordre de tabulation (tabindex=-1) : la souris le clique, le"
        " clavier ne l'atteint jamais.",
        "A11Y-CLAVIER",
        (BROWSER,),
        patches.start_button_out_of_keyboard,
        "Accessibilité",
    ),
    Fault(
        "A11Y-FORMULAIRE-TROP-LARGE",
        "Les formulaires gardent une largeur d'écran de bureau : sur un téléphone de 360 pixels, la page défile"
        " de côté.",
        "A11Y-PETIT-ECRAN",
        (BROWSER,),
        patches.form_wider_than_a_phone,
        "Accessibilité",
    ),
    Fault(
        "FC-STATE-NON-VERIFIE",
        "Au retour de FranceConnect, le « state » reçu n'est pas comparé à celui envoyé"
        " (une réponse forgée ou rejouée crée quand même le compte).",
        "FC-CREATION",
        (API,),
        patches.franceconnect_state_not_checked,
        "Bon à savoir",
    ),
    Fault(
        "FC-REFUS-INSCRIPTION-COMMENCEE",
        "Une identité FranceConnect inconnue de la Caf est refusée avec le bon"
        " message (« Aucun compte n'a été créé »), mais une création de compte est quand même commencée à l'étape"
        " ④, et son identifiant renvoyé avec le refus.",
        "FC-CREATION",
        (API,),
        patches.franceconnect_unknown_identity_starts_registration,
        "Bon à savoir",
    ),
)

BY_ID = {fault.id: fault for fault in FAULTS}
assert len(BY_ID) == len(FAULTS), "duplicate fault IDs"

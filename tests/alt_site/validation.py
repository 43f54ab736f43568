"""Validation of the « Espace allocataire » forms: this site's own rules and words.

The site does not borrow anything from the harness it is tested with: every check and
every message below is its own. Each validator returns a list of ``Refus`` (the form
field it concerns, by this site's field names, and the French message to show);
an empty list means the value is accepted.

Form fields of this site: ``nss``, ``civilite``, ``nom``, ``prenoms``, ``naissance``,
``lieu`` (état civil), ``piece``, ``numero`` (pièce d'identité), ``courriel``,
``portable`` (coordonnées), ``code``, ``secret`` (mot de passe).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import phonenumbers
from email_validator import EmailNotValidError, validate_email

# ── the site's numbers ────────────────────────────────────────────────────────
MDP_MIN = 8
MDP_MAX = 24
CODE_CHIFFRES = 6
CODE_ESSAIS = 3
CODE_VALIDITE_MINUTES = 10
COURRIEL_MAX = 254
NOM_MAX = 50
PRENOMS_MAX = 80
NAISSANCE_MIN = date(1900, 1, 1)
CORSE_BASCULE = 1976  # births in Corsica before this year may carry department 20 in the NIR

CIVILITES = ("Madame", "Monsieur")
SEXE_DE_CIVILITE = {"Monsieur": "1", "Madame": "2"}


class Refus(NamedTuple):
    champ: str
    message: str


# ── messages (this site's own wording) ────────────────────────────────────────
NSS_VIDE = "Le N° de sécurité sociale est obligatoire."
NSS_COURT = "Le N° de sécurité sociale est incomplet : 15 caractères attendus."
NSS_LONG = "Le N° de sécurité sociale est trop long : 15 caractères attendus."
NSS_CARACTERES = ("Le N° de sécurité sociale ne comporte que des chiffres "
                  "(et 2A ou 2B aux 6e et 7e caractères pour la Corse).")
NSS_PROVISOIRE = ("Un numéro d'attente commençant par 7 ou 8 ne permet pas l'inscription : "
                  "saisissez votre N° de sécurité sociale définitif.")
NSS_SEXE = "Le N° de sécurité sociale commence forcément par 1 ou 2."
NSS_MOIS = "Les 4e et 5e chiffres du N° de sécurité sociale ne forment pas un mois de naissance possible."
NSS_CLE = "La clé du N° de sécurité sociale (ses 2 derniers chiffres) est fausse : vérifiez votre saisie."
NSS_CIVILITE = "Le 1er chiffre du N° de sécurité sociale ne va pas avec la civilité choisie (1 : Monsieur, 2 : Madame)."
NSS_ANNEE = "L'année de naissance contenue dans le N° de sécurité sociale diffère de votre date de naissance."
NSS_MOIS_DATE = "Le mois de naissance contenu dans le N° de sécurité sociale diffère de votre date de naissance."
NSS_LIEU = ("Le lieu de naissance contenu dans le N° de sécurité sociale (6e au 10e caractère) "
            "diffère du code INSEE saisi.")

CIVILITE_VIDE = "Précisez si vous êtes Madame ou Monsieur."

NOM_VIDE = "Le nom à la naissance est obligatoire."
NOM_CARACTERES = "Le nom à la naissance s'écrit avec des lettres, espaces, tirets ou apostrophes uniquement."
NOM_LONG = f"Le nom à la naissance dépasse {NOM_MAX} caractères."
PRENOMS_VIDE = "Au moins un prénom est obligatoire."
PRENOMS_CARACTERES = "Les prénoms s'écrivent avec des lettres, espaces, tirets ou apostrophes uniquement."
PRENOMS_LONG = f"Les prénoms dépassent {PRENOMS_MAX} caractères."

DATE_VIDE = "La date de naissance est obligatoire."
DATE_FORMAT = "La date de naissance s'écrit JJ/MM/AAAA (par exemple 05/03/1990)."
DATE_INEXISTANTE = "Cette date de naissance n'existe pas au calendrier."
DATE_FUTURE = "La date de naissance ne peut pas être postérieure à aujourd'hui."
DATE_ANCIENNE = "La date de naissance ne peut pas précéder le 01/01/1900."

LIEU_VIDE = "Le code INSEE du lieu de naissance est obligatoire."
LIEU_FORMAT = ("Le lieu de naissance est un code INSEE de 5 caractères : commune (ex. 75056, 2A004, 97411) "
               "ou 99 suivi du code du pays pour une naissance à l'étranger.")
LIEU_FRANCE = "99100 désigne la France : pour une naissance en France, saisissez le code INSEE de la commune."

PIECE_VIDE = "Sélectionnez le type de pièce."
NUMERO_VIDE = "Le numéro de la pièce est obligatoire."
NUMERO_CNI = ("Un numéro de carte d'identité compte 9 lettres ou chiffres "
              "(12 caractères pour une carte délivrée avant 2021).")
NUMERO_PASSEPORT = "Un numéro de passeport compte 2 chiffres, 2 lettres puis 5 chiffres (ex. 12AB34567)."
NUMERO_SEJOUR = "Un numéro de titre de séjour compte 10 chiffres."
NUMERO_CONTROLE = "Le chiffre de contrôle placé après le numéro de la pièce ne correspond pas : vérifiez votre saisie."

COURRIEL_INVALIDE = "Cette adresse de courriel n'est pas correcte (exemple attendu : prenom.nom@domaine.fr)."
COURRIEL_LONG = f"L'adresse de courriel dépasse {COURRIEL_MAX} caractères."
PORTABLE_INVALIDE = "Ce numéro n'est pas un numéro de téléphone mobile valable."

CODE_FORMAT = f"Le code reçu se compose de {CODE_CHIFFRES} chiffres."
CODE_FAUX = "Ce code ne correspond pas. Essai(s) restant(s) : {restants}."
CODE_EPUISE = (f"Les {CODE_ESSAIS} essais sont épuisés : ce code est bloqué. "
               "Recommencez votre inscription pour en obtenir un nouveau.")
CODE_UTILISE = "Ce code a déjà servi : il ne peut pas être utilisé une seconde fois."
def code_expire(minutes: float = CODE_VALIDITE_MINUTES) -> str:
    return f"Ce code n'est plus valable (durée de validité : {minutes:g} minute{'s' if minutes >= 2 else ''})."

MDP_COURT = "Mot de passe trop court : {min} caractères au minimum."
MDP_LONG = "Mot de passe trop long : {max} caractères au maximum."
MDP_CHIFFRE = "Il manque au mot de passe au moins 1 chiffre."
MDP_MAJUSCULE = "Il manque au mot de passe au moins 1 lettre majuscule."
MDP_MINUSCULE = "Il manque au mot de passe au moins 1 lettre minuscule."


# ── NIR (N° de sécurité sociale) ──────────────────────────────────────────────
_NIR_FORME = re.compile(r"[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}")


def normaliser_nss(valeur: str) -> str:
    """The NIR as the site keeps it: no spaces, upper case (2a → 2A)."""
    return "".join(str(valeur).split()).upper()


def cle_nss(treize: str) -> int:
    """The 2-digit key of the first 13 characters of a NIR (2A → 19, 2B → 18)."""
    nombre = int(treize.replace("2A", "19").replace("2B", "18"))
    return 97 - nombre % 97


def _mois_nss_possible(mois: int) -> bool:
    return 1 <= mois <= 12 or 20 <= mois <= 42 or 50 <= mois <= 99


def valider_nss(valeur: str) -> list[Refus]:
    """The NIR alone: length, characters, sex digit, month, key."""
    nss = normaliser_nss(valeur)
    if not nss:
        return [Refus("nss", NSS_VIDE)]
    if len(nss) < 15:
        return [Refus("nss", NSS_COURT)]
    if len(nss) > 15:
        return [Refus("nss", NSS_LONG)]
    if not _NIR_FORME.fullmatch(nss):
        return [Refus("nss", NSS_CARACTERES)]
    refus = []
    if nss[0] in "78":
        refus.append(Refus("nss", NSS_PROVISOIRE))
    elif nss[0] not in "12":
        refus.append(Refus("nss", NSS_SEXE))
    if not _mois_nss_possible(int(nss[3:5])):
        refus.append(Refus("nss", NSS_MOIS))
    if int(nss[13:]) != cle_nss(nss[:13]):
        refus.append(Refus("nss", NSS_CLE))
    return refus


# ── état civil ────────────────────────────────────────────────────────────────
_SEPARATEURS_NOM = {" ", "-", "'", "’"}


def normaliser_nom(valeur: str) -> str:
    return " ".join(str(valeur).split())


def _lettre_latine(c: str) -> bool:
    return c.isalpha() and unicodedata.name(c, "").startswith("LATIN ")


def _valider_nom(valeur: str, champ: str, maximum: int, vide: str, caracteres: str, long: str) -> list[Refus]:
    nom = normaliser_nom(valeur)
    if not nom:
        return [Refus(champ, vide)]
    refus = []
    if not all(_lettre_latine(c) or c in _SEPARATEURS_NOM for c in nom) or not any(c.isalpha() for c in nom):
        refus.append(Refus(champ, caracteres))
    if len(nom) > maximum:
        refus.append(Refus(champ, long))
    return refus


def valider_nom_naissance(valeur: str) -> list[Refus]:
    return _valider_nom(valeur, "nom", NOM_MAX, NOM_VIDE, NOM_CARACTERES, NOM_LONG)


def valider_prenoms(valeur: str) -> list[Refus]:
    return _valider_nom(valeur, "prenoms", PRENOMS_MAX, PRENOMS_VIDE, PRENOMS_CARACTERES, PRENOMS_LONG)


def valider_civilite(valeur: str) -> list[Refus]:
    return [] if str(valeur).strip() in CIVILITES else [Refus("civilite", CIVILITE_VIDE)]


_DATE_FORME = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")


def lire_date_naissance(valeur: str, aujourd_hui: date | None = None) -> tuple[date | None, list[Refus]]:
    """A JJ/MM/AAAA birth date: the date, or the refusals."""
    texte = str(valeur).strip()
    if not texte:
        return None, [Refus("naissance", DATE_VIDE)]
    forme = _DATE_FORME.fullmatch(texte)
    if not forme:
        return None, [Refus("naissance", DATE_FORMAT)]
    jour, mois, annee = (int(x) for x in forme.groups())
    try:
        naissance = date(annee, mois, jour)
    except ValueError:
        return None, [Refus("naissance", DATE_INEXISTANTE)]
    if naissance > (aujourd_hui or date.today()):
        return None, [Refus("naissance", DATE_FUTURE)]
    if naissance < NAISSANCE_MIN:
        return None, [Refus("naissance", DATE_ANCIENNE)]
    return naissance, []


def valider_date_naissance(valeur: str, aujourd_hui: date | None = None) -> list[Refus]:
    return lire_date_naissance(valeur, aujourd_hui)[1]


_LIEU_FORME = re.compile(r"(?:0[1-9]|1[0-9]|[3-8][0-9]|9[0-5]|2[1-9]|2A|2B)[0-9]{3}"  # metropolitan commune
                         r"|9[78][0-9]{3}"  # overseas: 3-digit department, 2-digit commune
                         r"|99[0-9]{3}")  # born abroad: 99 + country code


def normaliser_lieu(valeur: str) -> str:
    return "".join(str(valeur).split()).upper()


def valider_lieu_naissance(valeur: str) -> list[Refus]:
    lieu = normaliser_lieu(valeur)
    if not lieu:
        return [Refus("lieu", LIEU_VIDE)]
    if not _LIEU_FORME.fullmatch(lieu):
        return [Refus("lieu", LIEU_FORMAT)]
    if lieu == "99100":
        return [Refus("lieu", LIEU_FRANCE)]
    return []


def _lieu_concorde(nss: str, lieu: str, naissance: date | None) -> bool:
    dans_nss = nss[5:10]
    if dans_nss == lieu:
        return True
    # Corsica: before 1976 the NIR may still carry the former department 20.
    corse_ancienne = naissance is None or naissance.year < CORSE_BASCULE
    return corse_ancienne and lieu[:2] in ("2A", "2B") and dans_nss == "20" + lieu[2:]


@dataclass(frozen=True)
class EtatCivil:
    nir: str
    civilite: str
    nom_naissance: str
    prenoms: str
    date_naissance: str  # ISO, AAAA-MM-JJ
    lieu_naissance: str


def valider_etat_civil(saisie: dict, aujourd_hui: date | None = None) -> tuple[EtatCivil | None, list[Refus]]:
    """The whole ④ form (fields nss, civilite, nom, prenoms, naissance, lieu).

    Returns the normalised état civil when everything is accepted, else the refusals
    in the order of the form's fields.
    """
    nss, civilite = normaliser_nss(saisie.get("nss", "")), str(saisie.get("civilite", "")).strip()
    lieu = normaliser_lieu(saisie.get("lieu", ""))
    naissance, refus_date = lire_date_naissance(saisie.get("naissance", ""), aujourd_hui)
    refus_nss = valider_nss(nss)
    refus_civilite = valider_civilite(civilite)
    refus_lieu = valider_lieu_naissance(lieu)
    if not refus_nss:  # a well-formed NIR: is it the one of this person?
        if not refus_civilite and nss[0] != SEXE_DE_CIVILITE[civilite]:
            refus_nss.append(Refus("nss", NSS_CIVILITE))
        if naissance is not None:
            if int(nss[1:3]) != naissance.year % 100:
                refus_nss.append(Refus("nss", NSS_ANNEE))
            mois = int(nss[3:5])
            if 1 <= mois <= 12 and mois != naissance.month:
                refus_nss.append(Refus("nss", NSS_MOIS_DATE))
        if not refus_lieu and not _lieu_concorde(nss, lieu, naissance):
            refus_nss.append(Refus("nss", NSS_LIEU))
    refus = (refus_nss + refus_civilite + valider_nom_naissance(saisie.get("nom", ""))
             + valider_prenoms(saisie.get("prenoms", "")) + refus_date + refus_lieu)
    if refus:
        return None, refus
    return EtatCivil(nir=nss, civilite=civilite, nom_naissance=normaliser_nom(saisie["nom"]),
                     prenoms=normaliser_nom(saisie["prenoms"]), date_naissance=naissance.isoformat(),
                     lieu_naissance=lieu), []


# ── pièce d'identité ──────────────────────────────────────────────────────────
TYPES_PIECE = ("cni", "passeport", "titre_sejour")
_FORMES_PIECE = {
    "cni": (re.compile(r"[A-Z0-9]{9}"), re.compile(r"[0-9]{4}[A-Z0-9]{3}[0-9]{5}")),
    "passeport": (re.compile(r"[0-9]{2}[A-Z]{2}[0-9]{5}"),),
    "titre_sejour": (re.compile(r"[0-9]{10}"),),
}
_MESSAGES_FORME = {"cni": NUMERO_CNI, "passeport": NUMERO_PASSEPORT, "titre_sejour": NUMERO_SEJOUR}
_POIDS_MRZ = (7, 3, 1)


def chiffre_controle(texte: str) -> int:
    """MRZ check digit: weights 7, 3, 1 repeating; 0–9 = value, A–Z = 10–35, < = 0."""
    total = 0
    for rang, c in enumerate(texte.upper()):
        if c.isdigit():
            valeur = int(c)
        elif "A" <= c <= "Z":
            valeur = ord(c) - ord("A") + 10
        elif c == "<":
            valeur = 0
        else:
            raise ValueError(f"caractère hors MRZ : {c!r}")
        total += valeur * _POIDS_MRZ[rang % 3]
    return total % 10


def _forme_valide(numero: str, type_piece: str) -> bool:
    return any(f.fullmatch(numero) for f in _FORMES_PIECE[type_piece])


def _analyser_numero(valeur: str, type_piece: str) -> tuple[str, str | None]:
    """(number without its check digit, message) — message None when accepted."""
    numero = "".join(str(valeur).split()).upper()
    if not numero:
        return numero, NUMERO_VIDE
    if _forme_valide(numero, type_piece):
        return numero, None
    base, dernier = numero[:-1], numero[-1]
    if _forme_valide(base, type_piece) and dernier.isdigit():
        if int(dernier) == chiffre_controle(base):
            return base, None
        return numero, NUMERO_CONTROLE
    return numero, _MESSAGES_FORME[type_piece]


def numero_canonique(valeur: str, type_piece: str) -> str:
    """How the site compares a typed number with its registry: upper case, no spaces,
    without a correct trailing check digit."""
    if type_piece not in _FORMES_PIECE:
        return "".join(str(valeur).split()).upper()
    return _analyser_numero(valeur, type_piece)[0]


def valider_piece(type_piece: str, valeur: str) -> list[Refus]:
    if type_piece not in TYPES_PIECE:
        refus = [Refus("piece", PIECE_VIDE)]
        return refus + ([Refus("numero", NUMERO_VIDE)] if not "".join(str(valeur).split()) else [])
    message = _analyser_numero(valeur, type_piece)[1]
    return [Refus("numero", message)] if message else []


def masquer_numero(valeur: str, type_piece: str, visibles: int = 4) -> str:
    """The document number for the recap: only its last 4 characters readable."""
    numero = numero_canonique(valeur, type_piece)
    return "•" * max(len(numero) - visibles, 0) + numero[-visibles:]


# ── coordonnées ───────────────────────────────────────────────────────────────
def valider_courriel(valeur: str) -> list[Refus]:
    courriel = str(valeur).strip()
    if len(courriel) > COURRIEL_MAX:
        return [Refus("courriel", COURRIEL_LONG)]
    try:
        validate_email(courriel, check_deliverability=False)
    except EmailNotValidError:
        return [Refus("courriel", COURRIEL_INVALIDE)]
    return []


def valider_portable(valeur: str) -> list[Refus]:
    """A mobile number (France and overseas). The site still sends no SMS."""
    try:
        numero = phonenumbers.parse(str(valeur).strip(), "FR")
    except phonenumbers.NumberParseException:
        return [Refus("portable", PORTABLE_INVALIDE)]
    mobile = phonenumbers.number_type(numero) in (phonenumbers.PhoneNumberType.MOBILE,
                                                 phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return [] if phonenumbers.is_valid_number(numero) and mobile else [Refus("portable", PORTABLE_INVALIDE)]


# ── code de vérification ──────────────────────────────────────────────────────
def normaliser_code(valeur: str) -> str:
    return "".join(str(valeur).split())


def valider_format_code(valeur: str) -> list[Refus]:
    code = normaliser_code(valeur)
    ok = len(code) == CODE_CHIFFRES and all(c in "0123456789" for c in code)
    return [] if ok else [Refus("code", CODE_FORMAT)]


def message_code_faux(restants: int) -> str:
    return CODE_FAUX.format(restants=restants) if restants > 0 else CODE_EPUISE


# ── mot de passe ──────────────────────────────────────────────────────────────
def texte_regle_mdp(minimum: int = MDP_MIN, maximum: int = MDP_MAX) -> str:
    return (f"De {minimum} à {maximum} caractères, dont au moins 1 chiffre, "
            "1 lettre majuscule et 1 lettre minuscule.")


def valider_mot_de_passe(mot_de_passe: str, minimum: int = MDP_MIN, maximum: int = MDP_MAX) -> list[Refus]:
    """One refusal per unmet criterion (length, digit, upper case, lower case)."""
    refus = []
    if len(mot_de_passe) < minimum:
        refus.append(Refus("secret", MDP_COURT.format(min=minimum)))
    elif len(mot_de_passe) > maximum:
        refus.append(Refus("secret", MDP_LONG.format(max=maximum)))
    if not any(c in "0123456789" for c in mot_de_passe):
        refus.append(Refus("secret", MDP_CHIFFRE))
    if not any(c.isupper() for c in mot_de_passe):
        refus.append(Refus("secret", MDP_MAJUSCULE))
    if not any(c.islower() for c in mot_de_passe):
        refus.append(Refus("secret", MDP_MINUSCULE))
    return refus

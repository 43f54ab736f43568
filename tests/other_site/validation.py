"""Contrôles de saisie du site de recette (écrits pour ce site, messages en français)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from . import places

NOM_LONGUEUR_MAX = 60
MDP_MIN, MDP_MAX = 12, 64


# --------------------------------------------------------------------------- NIR
def nettoyer_nir(saisie: str) -> str:
    return re.sub(r"[\s.\-]", "", saisie or "").upper()


def cle_nir(treize: str) -> int:
    """Clé de contrôle : 97 − (nombre modulo 97), 2A → 19 et 2B → 18."""
    nombre = treize.upper().replace("2A", "19").replace("2B", "18")
    return 97 - int(nombre) % 97


def formater_nir(nir: str) -> str:
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:15]}"


_NIR_FORME = re.compile(r"^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$")


def controler_nir_forme(nir: str, verifier_cle: bool = True) -> str | None:
    """Message d'erreur sur la forme du NIR (ou None)."""
    if not nir:
        return ("Indiquez votre numéro de sécurité sociale, ou cochez la case "
                "« Je n'ai pas de numéro de sécurité sociale ».")
    if len(nir) != 15:
        return ("Le numéro de sécurité sociale doit compter 15 caractères "
                f"(13 chiffres et une clé de 2 chiffres) ; vous en avez saisi {len(nir)}.")
    if not _NIR_FORME.match(nir):
        return ("Le numéro de sécurité sociale ne doit contenir que des chiffres "
                "(2A ou 2B pour une naissance en Corse).")
    if nir[0] in "78":
        return ("Ce numéro est un numéro d'attente provisoire (NIA), pas un numéro de sécurité "
                "sociale définitif : cochez la case « Je n'ai pas de numéro de sécurité sociale » "
                "pour obtenir un identifiant provisoire.")
    if nir[0] not in "12":
        return "Le numéro de sécurité sociale doit commencer par 1 (homme) ou 2 (femme)."
    mois = int(nir[3:5])
    if not (1 <= mois <= 12 or 20 <= mois <= 42 or mois >= 50):
        return "Les chiffres 4 et 5 du numéro (mois de naissance) ne sont pas valides."
    if verifier_cle and cle_nir(nir[:13]) != int(nir[13:]):
        return "La clé du numéro de sécurité sociale (2 derniers chiffres) est incorrecte : vérifiez votre saisie."
    return None


def controler_nir_coherence(nir: str, civilite: str | None, naissance: dt.date | None,
                            lieu: places.Lieu | None) -> str | None:
    """Cohérence du NIR avec la civilité, la date et le lieu de naissance."""
    if civilite:
        attendu = "1" if civilite == "M" else "2"
        if nir[0] != attendu:
            return ("Le premier chiffre de votre numéro de sécurité sociale (1 pour un homme, "
                    "2 pour une femme) ne correspond pas à la civilité choisie.")
    if naissance:
        if nir[1:3] != f"{naissance.year % 100:02d}":
            return ("Les chiffres 2 et 3 de votre numéro (année de naissance) ne correspondent pas "
                    "à votre date de naissance.")
        mois = int(nir[3:5])
        if 1 <= mois <= 12 and mois != naissance.month:
            return ("Les chiffres 4 et 5 de votre numéro (mois de naissance) ne correspondent pas "
                    "à votre date de naissance.")
    if lieu:
        lieu_nir = nir[5:10]
        if lieu.genre == "corse":
            ok = lieu_nir == lieu.code or (
                naissance is not None and naissance.year < 1976 and lieu_nir == "20" + lieu.code[2:])
        else:
            ok = lieu_nir == lieu.code
        if not ok:
            return ("Les chiffres 6 à 10 de votre numéro (département et commune, ou pays) ne "
                    "correspondent pas à votre lieu de naissance.")
    return None


# --------------------------------------------------------------------------- noms
def controler_nom(valeur: str, indiquez: str, champ: str, apostrophe_permise: bool = True) -> str | None:
    """`indiquez` : message si vide ; `champ` : « Le nom de naissance », « Le champ « Prénom(s) » »…"""
    valeur = (valeur or "").strip()
    if not valeur:
        return indiquez
    if len(valeur) > NOM_LONGUEUR_MAX:
        return f"{champ} ne doit pas dépasser {NOM_LONGUEUR_MAX} caractères ({len(valeur)} saisis)."
    permis = " -'’" if apostrophe_permise else " -"
    for c in valeur:
        if not (c.isalpha() or c in permis):
            if apostrophe_permise:
                return (f"{champ} ne peut contenir que des lettres, des espaces, "
                        "des traits d'union et des apostrophes.")
            return f"{champ} ne peut contenir que des lettres, des espaces et des traits d'union."
    if not valeur[0].isalpha():
        return f"{champ} doit commencer par une lettre."
    return None


def normaliser_nom(valeur: str) -> str:
    valeur = unicodedata.normalize("NFKD", valeur or "")
    valeur = "".join(c for c in valeur if not unicodedata.combining(c)).upper()
    valeur = valeur.replace("’", "'")
    valeur = re.sub(r"[\s\-]+", " ", valeur)
    return " ".join(valeur.split())


def propre(valeur: str) -> str:
    return " ".join((valeur or "").replace("’", "'").split())


# --------------------------------------------------------------------------- dates
def lire_date(jour: str, mois: str, annee: str, aujourd_hui: dt.date) -> tuple[dt.date | None, str | None]:
    jour, mois, annee = (jour or "").strip(), (mois or "").strip(), (annee or "").strip()
    if not (jour and mois and annee):
        return None, "Indiquez votre date de naissance complète (jour, mois et année)."
    if not (re.fullmatch(r"\d{1,2}", jour) and re.fullmatch(r"\d{1,2}", mois) and re.fullmatch(r"\d{4}", annee)):
        return None, "La date de naissance doit être saisie en chiffres, par exemple 14 07 1985."
    try:
        date = dt.date(int(annee), int(mois), int(jour))
    except ValueError:
        return None, "Cette date de naissance n'existe pas : vérifiez le jour et le mois."
    if date > aujourd_hui:
        return None, "La date de naissance ne peut pas être dans le futur."
    if date.year < 1900:
        return None, "La date de naissance doit être postérieure au 1er janvier 1900."
    return date, None


def age(naissance: dt.date, aujourd_hui: dt.date) -> int:
    return aujourd_hui.year - naissance.year - ((aujourd_hui.month, aujourd_hui.day) < (naissance.month, naissance.day))


# --------------------------------------------------------------------------- pièces
TYPES_PIECE = {
    "cni": "Carte nationale d'identité",
    "passeport": "Passeport",
    "titre_sejour": "Titre de séjour",
}

_FORMES = {
    "cni": (re.compile(r"^[A-Z0-9]{9}$"), re.compile(r"^[0-9]{4}[A-Z0-9]{3}[0-9]{5}$")),
    "passeport": (re.compile(r"^[0-9]{2}[A-Z]{2}[0-9]{5}$"),),
    "titre_sejour": (re.compile(r"^[0-9]{10}$"),),
}

_FORMATS_TEXTE = {
    "cni": "9 lettres ou chiffres (carte délivrée depuis 2021) ou 12 caractères (ancienne carte)",
    "passeport": "2 chiffres, 2 lettres puis 5 chiffres, par exemple 18AB12345",
    "titre_sejour": "10 chiffres (numéro d'étranger)",
}


def chiffre_controle(texte: str) -> int:
    poids = (7, 3, 1)
    total = 0
    for i, c in enumerate(texte):
        if c.isdigit():
            v = int(c)
        elif "A" <= c <= "Z":
            v = ord(c) - ord("A") + 10
        else:
            v = 0
        total += v * poids[i % 3]
    return total % 10


def lire_piece(type_piece: str, saisie: str) -> tuple[str | None, str | None]:
    """Renvoie (numéro normalisé, message d'erreur)."""
    if type_piece not in TYPES_PIECE:
        return None, "Choisissez le type de votre pièce d'identité."
    numero = re.sub(r"[\s\-]", "", saisie or "").upper()
    if not numero:
        return None, "Indiquez le numéro de votre pièce d'identité."
    formes = _FORMES[type_piece]
    if any(f.match(numero) for f in formes):
        return numero, None
    base, dernier = numero[:-1], numero[-1:]
    if dernier.isdigit() and any(f.match(base) for f in formes):
        if chiffre_controle(base) == int(dernier):
            return base, None
        return None, ("Le dernier chiffre saisi (chiffre de contrôle) ne correspond pas au numéro "
                      "de la pièce : vérifiez votre saisie.")
    return None, f"Le numéro saisi n'a pas le format attendu : {_FORMATS_TEXTE[type_piece]}."


def masquer(numero: str) -> str:
    return "●" * max(len(numero) - 4, 0) + numero[-4:]


# --------------------------------------------------------------------------- e-mail
def lire_email(saisie: str) -> tuple[str | None, str | None]:
    saisie = (saisie or "").strip()
    if not saisie:
        return None, "Indiquez votre adresse électronique."
    try:
        resultat = validate_email(saisie, check_deliverability=False)
    except EmailNotValidError:
        return None, "L'adresse électronique n'est pas valide. Format attendu : nom@domaine.fr"
    return resultat.normalized, None


# --------------------------------------------------------------------------- mobiles
_MOBILES_OUTRE_MER = {
    "0692": 262, "0693": 262, "0639": 262,
    "0690": 590, "0691": 590,
    "0696": 596, "0697": 596,
    "0694": 594,
}
_FIXES_OUTRE_MER = {"0262": 262, "0263": 262, "0269": 262, "0590": 590, "0596": 596, "0594": 594}
_INDICATIFS_FRANCAIS = {33, 262, 590, 594, 596}


@dataclass
class Mobile:
    e164: str
    affichage: str


def lire_mobile(saisie: str, fixe_accepte: bool = False) -> tuple[Mobile | None, str | None]:
    brut = (saisie or "").strip()
    if not brut:
        return None, "Indiquez votre numéro de téléphone portable."
    s = re.sub(r"[\s.\-()/]", "", brut)
    if s.startswith("00"):
        s = "+" + s[2:]
    invalide = "Le numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78"
    indicatif_saisi = None
    if s.startswith("+"):
        if not re.fullmatch(r"\+\d{6,15}", s):
            return None, invalide
        try:
            num = phonenumbers.parse(s, None)
        except phonenumbers.NumberParseException:
            return None, invalide
        if num.country_code not in _INDICATIFS_FRANCAIS:
            return None, ("Les numéros de téléphone étrangers ne sont pas acceptés : indiquez un numéro "
                          "de portable français (métropole ou outre-mer).")
        indicatif_saisi = num.country_code
        national = "0" + str(num.national_number)
    else:
        national = s
    if not re.fullmatch(r"0\d{9}", national):
        return None, invalide
    pas_mobile = ("Ce numéro n'est pas un numéro de téléphone portable : le code est envoyé par SMS, "
                  "indiquez un numéro de portable (06 ou 07).")
    indicatif = None
    mobile = False
    if national[:4] in _MOBILES_OUTRE_MER:
        indicatif, mobile = _MOBILES_OUTRE_MER[national[:4]], True
    elif national[:2] in ("06", "07"):
        indicatif, mobile = 33, True
    elif national[:4] in _FIXES_OUTRE_MER:
        indicatif = _FIXES_OUTRE_MER[national[:4]]
    elif national[1] in "123459":
        indicatif = 33
    else:  # 08 : numéros spéciaux
        return None, pas_mobile
    if indicatif_saisi is not None and indicatif_saisi != indicatif:
        if not (indicatif_saisi == 33 and indicatif != 33):
            return None, invalide
    if not mobile and not fixe_accepte:
        return None, pas_mobile
    e164 = f"+{indicatif}{national[1:]}"
    try:
        affichage = phonenumbers.format_number(phonenumbers.parse(e164, None),
                                               phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:  # pragma: no cover
        affichage = national
    if not re.fullmatch(r"0[\d ]+", affichage):
        affichage = " ".join(national[i:i + 2] for i in range(0, 10, 2))
    return Mobile(e164, affichage), None


# --------------------------------------------------------------------------- mot de passe
def controler_mdp(mdp: str, exiger_majuscule: bool = True) -> list[str]:
    erreurs = []
    if not mdp:
        return ["Indiquez un mot de passe."]
    if len(mdp) < MDP_MIN:
        erreurs.append(f"Le mot de passe doit contenir au moins {MDP_MIN} caractères ({len(mdp)} saisis).")
    if len(mdp) > MDP_MAX:
        erreurs.append(f"Le mot de passe ne doit pas dépasser {MDP_MAX} caractères ({len(mdp)} saisis).")
    if not any(c.isdigit() for c in mdp):
        erreurs.append("Le mot de passe doit contenir au moins un chiffre.")
    if exiger_majuscule and not any(c.isupper() for c in mdp):
        erreurs.append("Le mot de passe doit contenir au moins une lettre majuscule.")
    if not any(c.islower() for c in mdp):
        erreurs.append("Le mot de passe doit contenir au moins une lettre minuscule.")
    return erreurs

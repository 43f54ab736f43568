"""Coordonnées de contact (step ⑥): an e-mail address or a French mobile number.

E-mail syntax is checked by ``email_validator`` with deliverability off (no
network); mobile numbers by ``phonenumbers``, French overseas mobiles included.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

import phonenumbers
from email_validator import EmailNotValidError
from email_validator import validate_email as _validate_email

from moncompte.rules.catalogue import DEFAULTS
from moncompte.rules.model import Refusal, Settings


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"

    @property
    def label(self) -> str:
        return {Channel.EMAIL: "Adresse e-mail", Channel.SMS: "Numéro de téléphone portable"}[self]


MSG_CANAL = "Choisissez comment recevoir le code : adresse e-mail ou numéro de téléphone portable."
MSG_EMAIL_REQUIS = "Ce champ est obligatoire : Adresse e-mail."
MSG_EMAIL = "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr)."
MSG_EMAIL_LONG = "L'adresse e-mail ne doit pas dépasser {max} caractères."
MSG_MOBILE_REQUIS = "Ce champ est obligatoire : Numéro de téléphone portable."
MSG_MOBILE = "Le numéro de téléphone portable n'est pas valide (exemple : 06 12 34 56 78)."
MSG_FIXE = "Ce numéro n'est pas un numéro de téléphone portable : le code est envoyé par SMS."

_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalize_email(value: str | None, settings: Settings = DEFAULTS) -> str | None:
    """The normalised address (domain lower-cased), or None when it is not valid."""
    try:
        return _validate_email((value or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def validate_email(value: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    text = unicodedata.normalize("NFC", (value or "").strip())  # « é » counts once however it was typed
    if not text:
        return [Refusal("CONTACT-COORDONNEES", "email", MSG_EMAIL_REQUIS)]
    limit = settings["CONTACT-EMAIL"]["longueur_max"]
    if len(text) > limit:
        return [Refusal("CONTACT-EMAIL", "email", MSG_EMAIL_LONG.format(max=limit))]
    if normalize_email(text) is None:
        return [Refusal("CONTACT-EMAIL", "email", MSG_EMAIL)]
    return []


def parse_mobile(value: str | None, settings: Settings = DEFAULTS) -> phonenumbers.PhoneNumber | None:
    """Parse a number typed in national (06…, 0692…) or international (+33…, +262…) form.

    A national number is tried in each accepted region: overseas numbers share the
    French 0 prefix (0692… is a Réunion mobile).
    """
    text = (value or "").strip()
    regions = settings["CONTACT-MOBILE"]["regions"]
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return number
    return None


def to_e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_mobile(value: str | None, settings: Settings = DEFAULTS) -> str | None:
    """E.164 form of an accepted mobile number, or None."""
    if validate_mobile(value, settings):
        return None
    number = parse_mobile(value, settings)
    return to_e164(number) if number else None


def validate_mobile(value: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    if not (value or "").strip():
        return [Refusal("CONTACT-COORDONNEES", "mobile", MSG_MOBILE_REQUIS)]
    number = parse_mobile(value, settings)
    if number is None or phonenumbers.region_code_for_number(number) not in settings["CONTACT-MOBILE"]["regions"]:
        return [Refusal("CONTACT-MOBILE", "mobile", MSG_MOBILE)]
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return [Refusal("CONTACT-MOBILE", "mobile", MSG_FIXE)]
    return []


def validate_contact(channel: str | None, value: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    """Validate the contact detail for the chosen channel."""
    if channel == Channel.EMAIL:
        return validate_email(value, settings)
    if channel == Channel.SMS:
        return validate_mobile(value, settings)
    return [Refusal("CONTACT-COORDONNEES", "canal", MSG_CANAL)]


def normalize_contact(channel: str, value: str, settings: Settings = DEFAULTS) -> str:
    """The stored form of a valid contact detail (call after validate_contact)."""
    normalized = normalize_email(value) if channel == Channel.EMAIL else normalize_mobile(value, settings)
    if normalized is None:
        raise ValueError("normalize_contact on an invalid contact")
    return normalized

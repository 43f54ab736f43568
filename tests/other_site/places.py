"""Table des lieux de naissance connus du site de recette (communes et pays).

Chaque lieu a un nom (tel qu'une personne le saisit), un code INSEE à 5 caractères et,
pour les communes, le département tel qu'il figure dans le NIR. Pour tous les lieux, les
caractères 6 à 10 du NIR sont égaux au code INSEE (Corse née avant 1976 : « 20 » à la place
de « 2A »/« 2B »).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lieu:
    nom: str
    code: str  # code INSEE à 5 caractères (99xxx pour un pays)
    genre: str  # "metropole", "corse", "outre-mer", "etranger"
    alias: tuple[str, ...] = field(default=())

    @property
    def etranger(self) -> bool:
        return self.genre == "etranger"


COMMUNES: tuple[Lieu, ...] = (
    Lieu("Paris", "75056", "metropole"),
    Lieu("Lyon", "69123", "metropole"),
    Lieu("Marseille", "13055", "metropole"),
    Lieu("Toulouse", "31555", "metropole"),
    Lieu("Bordeaux", "33063", "metropole"),
    Lieu("Lille", "59350", "metropole"),
    Lieu("Nantes", "44109", "metropole"),
    Lieu("Strasbourg", "67482", "metropole"),
    Lieu("Rennes", "35238", "metropole"),
    Lieu("Nice", "06088", "metropole"),
    Lieu("Montpellier", "34172", "metropole"),
    Lieu("Grenoble", "38185", "metropole"),
    Lieu("Dijon", "21231", "metropole"),
    Lieu("Reims", "51454", "metropole"),
    Lieu("Le Havre", "76351", "metropole"),
    Lieu("Saint-Étienne", "42218", "metropole"),
    Lieu("Toulon", "83137", "metropole"),
    Lieu("Angers", "49007", "metropole"),
    Lieu("Brest", "29019", "metropole"),
    Lieu("Limoges", "87085", "metropole"),
    Lieu("Tours", "37261", "metropole"),
    Lieu("Amiens", "80021", "metropole"),
    Lieu("Metz", "57463", "metropole"),
    Lieu("Besançon", "25056", "metropole"),
    Lieu("Orléans", "45234", "metropole"),
    Lieu("Rouen", "76540", "metropole"),
    Lieu("Caen", "14118", "metropole"),
    Lieu("Nancy", "54395", "metropole"),
    Lieu("Clermont-Ferrand", "63113", "metropole"),
    Lieu("Perpignan", "66136", "metropole"),
    Lieu("Poitiers", "86194", "metropole"),
    Lieu("La Rochelle", "17300", "metropole"),
    Lieu("Saint-Denis (Seine-Saint-Denis)", "93066", "metropole",
         ("Saint-Denis 93", "Saint-Denis (93)")),
    Lieu("Ajaccio", "2A004", "corse"),
    Lieu("Porto-Vecchio", "2A247", "corse"),
    Lieu("Bastia", "2B033", "corse"),
    Lieu("Corte", "2B096", "corse"),
    Lieu("Saint-Denis (La Réunion)", "97411", "outre-mer",
         ("Saint-Denis La Réunion", "Saint-Denis (Réunion)", "Saint-Denis Réunion", "Saint-Denis (974)")),
    Lieu("Saint-Pierre (La Réunion)", "97416", "outre-mer",
         ("Saint-Pierre La Réunion", "Saint-Pierre (Réunion)", "Saint-Pierre Réunion")),
    Lieu("Pointe-à-Pitre", "97120", "outre-mer"),
    Lieu("Les Abymes", "97101", "outre-mer"),
    Lieu("Fort-de-France", "97209", "outre-mer"),
    Lieu("Cayenne", "97302", "outre-mer"),
    Lieu("Mamoudzou", "97611", "outre-mer"),
    Lieu("Nouméa", "98818", "outre-mer"),
    Lieu("Papeete", "98735", "outre-mer"),
)

PAYS: tuple[Lieu, ...] = (
    Lieu("Maroc", "99350", "etranger"),
    Lieu("Algérie", "99352", "etranger"),
    Lieu("Tunisie", "99351", "etranger"),
    Lieu("Sénégal", "99341", "etranger"),
    Lieu("Portugal", "99139", "etranger"),
    Lieu("Allemagne", "99109", "etranger"),
    Lieu("Espagne", "99134", "etranger"),
    Lieu("Belgique", "99131", "etranger"),
    Lieu("Royaume-Uni", "99132", "etranger"),
    Lieu("Italie", "99127", "etranger"),
    Lieu("Côte d'Ivoire", "99326", "etranger"),
    Lieu("Mali", "99335", "etranger"),
    Lieu("Turquie", "99208", "etranger"),
    Lieu("Chine", "99216", "etranger", ("République populaire de Chine",)),
    Lieu("Viet Nam", "99243", "etranger", ("Vietnam", "Viêt Nam")),
    Lieu("Cameroun", "99322", "etranger"),
    Lieu("Roumanie", "99114", "etranger"),
    Lieu("Pologne", "99122", "etranger"),
    Lieu("Haïti", "99336", "etranger"),
    Lieu("Comores", "99397", "etranger"),
)

TOUS: tuple[Lieu, ...] = COMMUNES + PAYS


def normaliser(texte: str) -> str:
    """Minuscules, sans accents, ponctuation remplacée par des espaces."""
    texte = unicodedata.normalize("NFKD", texte or "")
    texte = "".join(c for c in texte if not unicodedata.combining(c))
    texte = texte.lower().replace("’", "'")
    texte = re.sub(r"[^a-z0-9]+", " ", texte)
    return " ".join(texte.split())


_INDEX: dict[str, list[Lieu]] = {}
for _lieu in TOUS:
    for _nom in (_lieu.nom,) + _lieu.alias:
        _liste = _INDEX.setdefault(normaliser(_nom), [])
        if _lieu not in _liste:
            _liste.append(_lieu)
_PAR_CODE = {lieu.code: lieu for lieu in TOUS}
# Noms ambigus (« Saint-Denis ») : plusieurs lieux possibles.
for _lieu in TOUS:
    _court = normaliser(re.sub(r"\s*\(.*\)$", "", _lieu.nom))
    if _court != normaliser(_lieu.nom):
        _INDEX.setdefault(_court, [])
        if _lieu not in _INDEX[_court]:
            _INDEX[_court].append(_lieu)


def chercher(saisie: str) -> list[Lieu]:
    """Lieux correspondant à la saisie (liste vide : inconnu ; plusieurs : ambigu)."""
    brut = (saisie or "").strip().upper()
    if brut in _PAR_CODE:
        return [_PAR_CODE[brut]]
    return list(_INDEX.get(normaliser(saisie), []))


def par_code(code: str) -> Lieu | None:
    return _PAR_CODE.get(code)

"""The Chatbot: answers a French question from the rule catalogue, offline.

Keyword retrieval, accent- and case-insensitive, over each rule's title, quote,
note and parameter descriptions, with a few French synonyms; words rare in the
catalogue weigh more (IDF). The answer cites the rule it comes from; when no
rule matches well enough, it says plainly that it does not know.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from moncompte.rules import DEFAULTS, RULES, Rule, Settings

INCONNU = (
    "Je ne sais pas répondre à cette question. Essayez avec d'autres mots, par exemple « mot de passe »,"
    " « code de confirmation », « identifiant provisoire » ou « pièce d'identité »."
)

STOPWORDS = set(
    "a au aux avec ce ces cet cette comment combien dans de des du elle en est et il ils je j la le les leur"
    " lui ma me mes moi mon ne nous on ou par pas pour qu que quel quelle quels quelles qui sa se ses si son"
    " sur ta te tes toi ton tu un une vos votre vous y l d s c n m t faut faire fait peut peux puis dois doit"
    " etre avoir ai as quoi est-ce bien tres plus".split()
)

# Words users type → words of the catalogue.
SYNONYMS = {
    "mdp": "mot passe",
    "motdepasse": "mot passe",
    "secu": "securite sociale numero",
    "nir": "numero securite sociale",
    "mail": "e-mail adresse",
    "email": "e-mail adresse",
    "courriel": "e-mail adresse",
    "sms": "telephone portable",
    "mobile": "telephone portable",
    "cni": "carte identite titre",
    "passeport": "titre identite",
    "etranger": "francaise",
    "etrangere": "francaise",
    "valable": "validite expire",
    "duree": "validite",
    "expiration": "expire validite",
    "essai": "tentatives essais",
    "tentative": "essais",
    "renvoyer": "envoi nouvel",
    "age": "ans enfant",
    "connexion": "connecter identifiants",
    "connecter": "connexion identifiants",
    "identifiant": "identifiant connexion",
    "caracteres": "caracteres longueur",
    "longueur": "caracteres",
    "majuscule": "majuscule lettre",
    "minuscule": "minuscule lettre",
    "aucun": "sans",
}

# How much a word weighs in each part of a rule.
FIELD_WEIGHTS = (("title", 3.0), ("note", 2.0), ("quote", 1.0), ("parameters", 1.0))
MIN_SCORE = 4.0


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stem(word: str) -> str:
    """A light French stemmer: plural endings off, long words cut to 7 letters."""
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    return word[:7]


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", fold(text)) if w not in STOPWORDS]


def terms(text: str, *, expand: bool = False) -> set[str]:
    found = words(text)
    if expand:
        found += [s for w in found for s in words(SYNONYMS.get(w, ""))]
    return {stem(w) for w in found}


@dataclass(frozen=True)
class Answer:
    reponse: str
    regle: str | None
    connue: bool


@dataclass
class Chatbot:
    settings: Settings = DEFAULTS

    @cached_property
    def _index(self) -> list[tuple[Rule, dict[str, float]]]:
        index = []
        for rule in RULES:
            fields = {
                "title": rule.title,
                "note": rule.note,
                "quote": rule.quote,
                "parameters": " ".join(p.description for p in rule.parameters),
            }
            weights: dict[str, float] = {}
            for name, weight in FIELD_WEIGHTS:
                for term in terms(fields[name]):
                    weights[term] = max(weights.get(term, 0.0), weight)
            index.append((rule, weights))
        return index

    @cached_property
    def _idf(self) -> dict[str, float]:
        counts = Counter(t for _, weights in self._index for t in weights)
        return {t: math.log(1 + len(self._index) / n) for t, n in counts.items()}

    def ask(self, question: str | None) -> Answer:
        query = terms(question or "", expand=True)
        best, best_score = None, 0.0
        for rule, weights in self._index:
            score = sum(weights[t] * self._idf[t] for t in query if t in weights)
            if score > best_score:
                best, best_score = rule, score
        if best is None or best_score < MIN_SCORE:
            return Answer(INCONNU, None, False)
        return Answer(self._explain(best), best.id, True)

    def _explain(self, rule: Rule) -> str:
        parts = [f"{rule.title}.", rule.note or f"Le guide dit : « {rule.quote} »."]
        values = self.settings[rule.id]
        parts += [
            f"{p.description.rstrip('.')} : {_show(values[p.name])}."
            for p in rule.parameters
            if not isinstance(values[p.name], str)  # e.g. a regular expression: not for users
        ]
        parts.append(f"(Règle {rule.id})")
        return " ".join(parts)


def _show(value) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)

"""Hostile text for the robustness tests: what an attacker, a clumsy paste or a strange keyboard sends.

Shared by the property tests (as Hypothesis strategies) and by the API tests (as a table).
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import strategies as st

from moncompte import rules
from moncompte.rules import code, nir, roles
from moncompte.rules import coordonnees as contact
from moncompte.rules import etat_civil as civil_status
from moncompte.rules import mot_de_passe as password
from moncompte.rules import piece_identite as identity_document

# One example of each kind of hostile value (the API table uses these with readable ids).
HOSTILE: dict[str, str] = {
    "tres-long": "A" * 10_000,
    "tres-long-chiffres": "1" * 5_000,
    "controle": "abc\x01\x02\x1b[31mdef",
    "nul": "abc\x00def",
    "nul-seul": "\x00",
    "retour-ligne": "ligne1\r\nligne2",
    "html": "<script>alert('x')</script>",
    "html-attribut": '"><img src=x onerror=alert(1)>',
    "sql": "'; DROP TABLE accounts; --",
    "sql-ou": "' OR '1'='1",
    "emoji": "😀🎉👨‍👩‍👧",
    "espaces-seuls": "   \t  ",
    "espace-insecable": "\u00a0\u2003\u202f",
    "zero-width": "a\u200bb\ufeff",
    "bidi": "\u202eabc",
    "chiffres-arabes": "٠١٢٣٤٥٦٧٨٩",
    "pleine-chasse": "１２３４５６",
    "ligature": "ﬃ" * 60,
    "nfd": unicodedata.normalize("NFD", "Élodie"),
    "format-chaine": "%s%s%n{0}{__class__}",
    "chemin": "../../etc/passwd",
}

NFD_VALUES = ["Élodie", "Hélène-Noëlle", "Gaëlle d'Aubigné", "ÇÀÉÈÊËÎÏÔÙÛÜŸ", "Zoë Æsir", "é"]


def _long(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Long strings without asking Hypothesis to draw thousands of characters one by one."""
    return st.builds(lambda chunk, n: chunk * n, st.text(alphabet, min_size=1, max_size=8), st.integers(50, 1500))


_interesting_chars = st.sampled_from(
    list("0123456789AaBbzZ2ABé e'’-.@+_<>&;\"%") + ["\x00", "\t", "\n", "\x7f", "\x85", "\u00a0", "\u0301", "ß", "ﬃ"]
)

# Any text: Hypothesis' full Unicode (surrogates excluded: they are not valid text), hostile samples,
# long strings, and any of them surrounded by spaces.
any_text = st.one_of(
    st.text(),
    st.text(alphabet=_interesting_chars, max_size=40),
    st.sampled_from(sorted(HOSTILE.values())),
    _long(st.characters()),
)
any_text = st.one_of(
    any_text,
    st.builds(
        lambda s, left, right: left + s + right,
        any_text,
        st.sampled_from(["", " ", "  ", "\t"]),
        st.sampled_from(["", " ", " \t "]),
    ),
)
maybe_text = st.one_of(st.none(), any_text)

# ── French messages with catalogue rule IDs ──────────────────────────────────
_MODULES = (civil_status, code, contact, identity_document, nir, password, roles)


def _templates() -> list[str]:
    found: list[str] = []
    for module in _MODULES:
        for name, value in vars(module).items():
            if name.startswith("MSG_"):
                found += value.values() if isinstance(value, dict) else [value]
    return found


def _pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{\w*\\\}", ".*?", re.escape(template)) + r"\Z", re.DOTALL)


MESSAGE_PATTERNS = [_pattern(t) for t in _templates()]
FIELDS = {
    "nir",
    "civilite",
    "nom_naissance",
    "prenoms",
    "date_naissance",
    "lieu_naissance",
    "type_titre",
    "numero_titre",
    "canal",
    "email",
    "mobile",
    "code",
    "mot_de_passe",
    "action",
}


def assert_french_refusals(refusals) -> None:
    """Each refusal names a catalogue rule and a known field, and says one of the French messages."""
    assert isinstance(refusals, list)
    for refusal in refusals:
        assert refusal.rule_id in rules.BY_ID, refusal
        assert refusal.field in FIELDS, refusal
        message = refusal.message
        assert message[:1].isupper() and message.endswith("."), message
        assert "{" not in message and "}" not in message, message
        assert any(p.match(message) for p in MESSAGE_PATTERNS), f"message hors catalogue : {message!r}"


def verdict(refusals) -> list[tuple[str, str, str]]:
    return [(r.rule_id, r.field, r.message) for r in refusals]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)

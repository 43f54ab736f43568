"""Hostile values through the JSON API (SQLite, in process): refused in French with nothing stored,
or normalised like their plain spelling. The same table runs on PostgreSQL in test_rob_postgresql.py."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from badinput import FIELDS, Target, cases, check_field
from hostile import HOSTILE

TABLE = cases()


@pytest.mark.parametrize(
    "step,field",
    [(s, f) for s, fields in FIELDS.items() for f in fields],
    ids=[f"{s}:{f}" for s, fields in FIELDS.items() for f in fields],
)
def test_hostile_values_are_refused_in_french_or_normalised_and_nothing_is_stored(client, app, step, field):
    table = [c for c in TABLE if (c.step, c.field) == (step, field)]
    assert len(table) >= len(__import__("hostile").HOSTILE)
    problems = check_field(Target(client, app.state.service.sessions, serial=0), step, field, table)
    assert not problems, "\n".join(problems)


IDENTIFIERS = {
    "nul": "abc\x00def",
    "long": "a" * 5000,
    "sql": "'; DROP TABLE registrations; --",
    "html": "<script>x</script>",
    "emoji": "😀",
    "pourcent": "%00%27",
    "nfd": "e\u0301",
}


@pytest.mark.parametrize("name", list(IDENTIFIERS))
def test_hostile_registration_ids_and_login_identifiers_never_break_the_server(client, name):
    """Ids in paths, login identifiers, cookies: unknown, never a 5xx (PostgreSQL refuses NUL in text)."""
    value = IDENTIFIERS[name]
    for method, path, body in (
        ("GET", "/api/inscriptions/{}", None),
        ("GET", "/api/inscriptions/{}/recapitulatif", None),
        ("POST", "/api/inscriptions/{}/etat-civil", {"nir": "1"}),
        ("POST", "/api/inscriptions/{}/code", {"code": "123456"}),
    ):
        response = client.request(method, path.format(quote(value, safe="")), json=body)
        assert response.status_code in (404, 422), (path, response.status_code, response.text[:300])
        assert response.json()["erreurs"][0]["message"]
    # Refused logins: 401, or 429 once the client's failures reach the throttle (SEC-CONNEXION-LIMITEE).
    for identifier, password in [(value, "Abcdefg1"), (value, value), *((h, h) for h in HOSTILE.values())]:
        response = client.post("/api/session", json={"identifiant": identifier, "mot_de_passe": password})
        assert response.status_code in (401, 429), response.text[:300]
        assert response.json()["erreurs"][0]["message"]
    if value.isascii() and value.isprintable():  # what an HTTP cookie header can carry
        client.cookies.set("inscription", value)
        client.cookies.set("session", value)
        assert client.get("/inscription/etat-civil", follow_redirects=False).status_code in (303, 307)
        assert client.get("/api/espace").status_code == 401
        client.cookies.clear()

"""Privacy: the logs of whole journeys (pages and API, refusals included) hold no NIR, code,
password, document number, e-mail address nor mobile number.

Two captures: the output (stdout and stderr) of `moncompte serve`, and Python logging of the
app in process at DEBUG level (the test client's own loggers, httpx and httpcore, are the
caller's side and are left out).
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

import httpx
from badinput import Target

PASSWORD = "Vacances2024"
WRONG_PASSWORD = "Mauvais9Mdp"


class Forms(HTMLParser):
    """The forms of a page: action, hidden inputs (a CSRF token, if any) and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str], set[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}, set()))
        elif tag in ("input", "select", "textarea", "button") and self.forms and attrs.get("name"):
            _, hidden, names = self.forms[-1]
            names.add(attrs["name"])
            if tag == "input" and attrs.get("type") == "hidden":
                hidden[attrs["name"]] = attrs.get("value") or ""


def submit(client, page: str, action: str, data: dict) -> httpx.Response:
    """Fill the form of ``page`` that posts to ``action`` and has these fields, as a browser would."""
    parser = Forms()
    parser.feed(client.get(page).text)
    candidates = [(hidden, names) for form_action, hidden, names in parser.forms if form_action == action]
    hidden, _ = next(((h, n) for h, n in candidates if set(data) <= n), candidates[0])
    return client.post(action, data=hidden | data, follow_redirects=True)


def journeys(client, sessions) -> list[str]:
    """A journey through the pages (e-mail) and one through the API (SMS), with refusals; the secrets used."""
    target = Target(client, sessions, serial=500)
    secrets: list[str] = []

    # ── pages ──
    target.serial += 1
    from badinput import person_for

    person = person_for(target.serial)
    assert client.post("/__test__/personnes", json=person).status_code == 201
    email = f"prive.{target.serial}@exemple.fr"
    numero = person["pieces"][0]["numero_titre"]
    born = person["date_naissance"]
    submit(client, "/creer-un-compte", "/creer-un-compte", {})
    ec = {
        "nir": person["nir"],
        "civilite": "Madame",
        "nom_naissance": person["nom_naissance"],
        "prenoms": person["prenoms"],
        "date_naissance": "/".join(reversed(born.split("-"))),
        "lieu_naissance": person["lieu_naissance"],
    }
    assert (
        submit(
            client, "/inscription/etat-civil", "/inscription/etat-civil", ec | {"nir": person["nir"][:-2] + "00"}
        ).status_code
        == 422
    )  # wrong key: refused, the NIR typed shown again
    assert "pièce" in submit(client, "/inscription/etat-civil", "/inscription/etat-civil", ec).text.lower()
    assert (
        submit(
            client,
            "/inscription/piece-identite",
            "/inscription/piece-identite",
            {"type_titre": "passeport", "numero_titre": "99ZZ99999"},
        ).status_code
        == 422
    )
    submit(
        client,
        "/inscription/piece-identite",
        "/inscription/piece-identite",
        {"type_titre": "passeport", "numero_titre": numero},
    )
    submit(client, "/inscription/coordonnees", "/inscription/coordonnees", {"email": email, "mobile": ""})
    code = target.last_code(email)
    assert (
        submit(
            client, "/inscription/code", "/inscription/code", {"code": "000000" if code != "000000" else "111111"}
        ).status_code
        == 422
    )
    submit(client, "/inscription/code", "/inscription/code", {"code": code})
    assert (
        submit(client, "/inscription/mot-de-passe", "/inscription/mot-de-passe", {"mot_de_passe": "court"}).status_code
        == 422
    )
    recap = submit(client, "/inscription/mot-de-passe", "/inscription/mot-de-passe", {"mot_de_passe": PASSWORD})
    assert "Récapitulatif" in recap.text
    assert (
        submit(
            client, "/connexion", "/connexion", {"identifiant": person["nir"], "mot_de_passe": WRONG_PASSWORD}
        ).status_code
        == 401
    )
    assert (
        "Mon espace"
        in submit(client, "/connexion", "/connexion", {"identifiant": person["nir"], "mot_de_passe": PASSWORD}).text
    )
    client.get("/espace/donnees-personnelles")
    submit(client, "/espace", "/deconnexion", {})
    secrets += [person["nir"], person["nir"][:-2] + "00", numero, email, code, PASSWORD, WRONG_PASSWORD, "court"]
    client.cookies.clear()

    # ── API, code by SMS ──
    target.serial += 1
    person = person_for(target.serial)
    assert client.post("/__test__/personnes", json=person).status_code == 201
    mobile, mobile_e164 = (
        "06 12 34 " + f"{target.serial % 100:02d} 78",
        "+33612340" + f"{target.serial % 100:02d}78"[1:],
    )
    reg_id = client.post("/api/inscriptions", json={}).json()["id"]
    body = {
        "sans_nir": False,
        "nir": person["nir"],
        "civilite": "Madame",
        "nom_naissance": person["nom_naissance"],
        "prenoms": person["prenoms"],
        "date_naissance": person["date_naissance"],
        "lieu_naissance": "69123",
    }
    assert client.post(f"/api/inscriptions/{reg_id}/etat-civil", json=body).status_code == 200
    assert client.post(f"/api/inscriptions/{reg_id}/piece-identite", json=person["pieces"][0]).status_code == 200
    assert (
        client.post(f"/api/inscriptions/{reg_id}/coordonnees", json={"canal": "sms", "valeur": mobile}).status_code
        == 200
    )
    sms_code = target.last_code(mobile)
    assert client.post(f"/api/inscriptions/{reg_id}/code", json={"code": sms_code}).status_code == 200
    assert client.post(f"/api/inscriptions/{reg_id}/mot-de-passe", json={"mot_de_passe": PASSWORD}).status_code == 200
    assert client.post("/api/session", json={"identifiant": person["nir"], "mot_de_passe": PASSWORD}).status_code == 200
    assert client.get("/api/donnees-personnelles").status_code == 200
    secrets += [person["nir"], person["pieces"][0]["numero_titre"], sms_code, mobile, mobile_e164, reg_id]
    return secrets


def leaks(text: str, secrets: list[str]) -> list[str]:
    found = [s for s in secrets if s in text]
    found += re.findall(r"\b[12]\d{12}\d{2}\b", text)  # anything shaped like a NIR
    return found


def test_server_output_of_whole_journeys_holds_no_personal_secret(server_factory, sqlite_file):
    server = server_factory(sqlite_file)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        from moncompte.reference_impl.db import make_sessionmaker

        secrets = journeys(client, make_sessionmaker(sqlite_file))
    server.stop()
    output = server.output()
    assert "POST /inscription/etat-civil 422" in output or "/api/inscriptions/{reg_id}/etat-civil 200" in output, output
    assert not leaks(output, secrets), leaks(output, secrets)


def test_python_logging_of_whole_journeys_holds_no_personal_secret(client, app, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = journeys(client, app.state.service.sessions)
    records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in records)
    assert any(r.name == "moncompte.reference_impl.access" for r in records)
    assert not leaks(text, secrets), leaks(text, secrets)

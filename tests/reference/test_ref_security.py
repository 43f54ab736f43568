"""Security choices: argon2id above OWASP's floor, test routes only in test mode, logs without secrets."""

from __future__ import annotations

import logging
import re

from fastapi.testclient import TestClient
from refhelpers import CHEAP_HASHER, PASSWORD, Api
from sqlalchemy import select

from moncompte.reference_impl.app import create_app
from moncompte.reference_impl.db import Account, ConfirmationCode


def argon2_parameters(encoded: str) -> dict[str, int]:
    match = re.fullmatch(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+", encoded)
    assert match, encoded
    return dict(zip("mtp", map(int, match.groups())))


def test_default_password_hash_is_argon2id_above_the_owasp_floor(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'db.sqlite'}", test_mode=True)
    with TestClient(app) as client:
        api = Api(client)
        person = api.seed_person()
        api.register(person)
        with app.state.service.sessions() as db:
            (stored,) = db.scalars(select(Account.password_hash)).all()
        params = argon2_parameters(stored)
        assert params["m"] >= 19456 and params["t"] >= 2 and params["p"] >= 1
        assert PASSWORD not in stored
        assert api.login(person["nir"]).status_code == 200


def test_all_state_is_in_the_database(tmp_path):
    """A second app (another worker) on the same database continues a journey and logs in."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    first = Api(TestClient(create_app(url, test_mode=True, password_hasher=CHEAP_HASHER)))
    person = first.seed_person()
    reg_id = first.register(person, until="mot_de_passe")
    second = Api(TestClient(create_app(url, test_mode=True, password_hasher=CHEAP_HASHER)))
    assert second.step(reg_id, "mot-de-passe", {"mot_de_passe": PASSWORD}).status_code == 200
    assert first.login(person["nir"]).status_code == 200
    assert second.client.get("/api/espace").status_code == 401  # sessions are per client…
    second.client.cookies.set("session", first.client.cookies["session"])
    assert second.client.get("/api/espace").json()["identifiant"] == person["nir"]  # …but stored in the database


def test_cheap_test_hasher_is_still_argon2id(api, app):
    api.register(api.seed_person())
    with app.state.service.sessions() as db:
        (stored,) = db.scalars(select(Account.password_hash)).all()
    assert argon2_parameters(stored)["m"] == 8


def test_test_routes_do_not_exist_without_test_mode(tmp_path):
    with TestClient(create_app(f"sqlite:///{tmp_path / 'db.sqlite'}")) as client:
        assert client.get("/__outbox__", params={"to": "a@exemple.fr"}).status_code == 404
        assert client.post("/__test__/foyers", json={"membres": []}).status_code == 404
        assert client.post("/__test__/personnes", json={}).status_code == 404
        assert client.post("/__test__/vieillir-codes", json={"to": "a@exemple.fr", "secondes": 60}).status_code == 404
        assert client.get("/api/themes").status_code == 200


def test_logs_hold_no_nir_code_password_nor_document(api, client, caplog):
    caplog.set_level(logging.INFO, logger="moncompte.reference_impl.access")
    person = api.seed_person()
    api.register(person, email="journal@exemple.fr")
    api.login(person["nir"])
    client.get("/__outbox__", params={"to": "journal@exemple.fr"})
    code = api.last_code("journal@exemple.fr")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /api/inscriptions/{reg_id}/etat-civil 200" in logged
    assert "GET /__outbox__ 200" in logged
    for secret in (person["nir"], code, PASSWORD, person["pieces"][0]["numero_titre"], "journal@exemple.fr"):
        assert secret not in logged


def test_openapi_documents_the_journey(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/inscriptions/{reg_id}/etat-civil" in paths and "/api/session" in paths
    assert client.get("/docs").status_code == 200


def test_the_outbox_lists_one_recipient_only(api, client):
    """Security finding 7: ``GET /__outbox__`` without ``to`` listed every code sent to anyone."""
    reg_id = api.register(api.seed_person(), until="code", email="une@exemple.fr")
    assert reg_id
    response = client.get("/__outbox__")
    assert response.status_code == 422 and "erreurs" in response.json()
    assert [m["to"] for m in client.get("/__outbox__", params={"to": "une@exemple.fr"}).json()] == ["une@exemple.fr"]


def test_a_registration_and_its_recap_expire_and_are_purged(api, app, client):
    """Low finding: registrations and the ``inscription`` cookie never expired (the recap with the full
    NIR stayed readable on a shared computer); expired sessions were never purged."""
    from datetime import timedelta

    from moncompte.reference_impl.db import Registration
    from moncompte.reference_impl.service import REGISTRATION_DURATION

    person = api.seed_person()
    reg_id = api.register(person)
    assert client.get(f"/api/inscriptions/{reg_id}/recapitulatif").status_code == 200
    with app.state.service.sessions.begin() as db:
        db.get(Registration, reg_id).created_at -= REGISTRATION_DURATION + timedelta(seconds=1)
    response = client.get(f"/api/inscriptions/{reg_id}/recapitulatif")
    assert response.status_code == 404 and person["nir"] not in response.text
    assert api.login(person["nir"]).status_code == 200  # the account stays; a new login purges the rest
    with app.state.service.sessions.begin() as db:
        assert db.get(Registration, reg_id) is None
        assert db.scalars(select(ConfirmationCode).where(ConfirmationCode.registration_id == reg_id)).all() == []


def test_expired_sessions_are_purged_and_live_ones_kept(api, app, client):
    """Low finding: expired sessions were never deleted. Each login now deletes every expired session,
    whoever's it is (here, other browsers': not the one the login itself ends)."""
    from datetime import timedelta

    from moncompte.reference_impl.db import UserSession

    person = api.seed_person()
    api.register(person)
    sessions = []
    for _ in range(2):  # two other browsers, each logged in
        client.cookies.clear()
        assert api.login(person["nir"]).status_code == 200
        sessions.append(client.cookies["session"])
    expired, alive = sessions
    with app.state.service.sessions.begin() as db:
        db.get(UserSession, expired).expires_at -= timedelta(days=1)
    client.cookies.clear()  # a third browser: its login ends no session of its own
    response = client.post("/api/session", json={"identifiant": person["nir"], "mot_de_passe": PASSWORD})
    assert response.status_code == 200
    with app.state.service.sessions.begin() as db:
        left = set(db.scalars(select(UserSession.id)))
    assert expired not in left and {alive, client.cookies["session"]} <= left


def test_the_registration_cookie_of_the_pages_expires(client):
    from refhelpers import csrf_token

    from moncompte.reference_impl.service import REGISTRATION_DURATION

    token = csrf_token(client, "/creer-un-compte")
    response = client.post("/creer-un-compte", data={"csrf": token}, follow_redirects=False)
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("inscription="))
    assert f"Max-Age={int(REGISTRATION_DURATION.total_seconds())}" in cookie

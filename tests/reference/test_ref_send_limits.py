"""Security findings 4 and 6 and the outbox in normal mode: quotas on sending codes, delivery after the
commit, no code kept in clear where nobody reads it."""

from __future__ import annotations

import socket
import threading
import time

from fastapi.testclient import TestClient
from refhelpers import CHEAP_HASHER, Api, errors
from sqlalchemy import select

from moncompte.reference_impl.app import create_app
from moncompte.reference_impl.db import ConfirmationCode, OutboxMessage, Registration
from moncompte.rules import DEFAULTS

QUOTA = DEFAULTS["SEC-ENVOIS-LIMITES"]
MSG_TROP = "Trop de codes ont été demandés pour ces coordonnées. Réessayez plus tard (au plus tard dans 60 minutes)."


def at_contact_step(api: Api) -> str:
    return api.register(api.seed_person(), until="coordonnees")


def test_codes_to_one_recipient_are_limited_across_registrations(api, client):
    """Finding 4: 5 SMS to one number in 0.1 s across registrations. Now at most ``envois_max`` codes per
    recipient over the window; the next request is refused in French and nothing is sent or stored."""
    body = {"canal": "sms", "valeur": "06 12 34 56 78"}
    for _ in range(QUOTA["envois_max"]):
        assert api.step(at_contact_step(api), "coordonnees", body).status_code == 200
    reg_id = at_contact_step(api)
    response = api.step(reg_id, "coordonnees", body)
    assert response.status_code == 429 and errors(response) == [("SEC-ENVOIS-LIMITES", MSG_TROP)]
    assert api.etape(reg_id) == "coordonnees"
    assert len(client.get("/__outbox__", params={"to": "+33612345678"}).json()) == QUOTA["envois_max"]
    # Another recipient is not affected.
    assert api.step(reg_id, "coordonnees", {"canal": "sms", "valeur": "06 98 76 54 32"}).status_code == 200


def test_the_codes_guessed_at_one_recipient_are_bounded_across_registrations(api):
    """Finding 4, the guessing budget: parallel registrations each got a fresh code with fresh attempts, so
    enough of them gave a fair chance of guessing one code sent to someone else. The quota per recipient
    bounds it: ``envois_max`` codes × ``CODE-TENTATIVES.essais_max`` wrong guesses per window, then no
    registration gets a code to that recipient at all."""
    attempts = DEFAULTS["CODE-TENTATIVES"]["essais_max"]
    victim = {"canal": "email", "valeur": "victime@exemple.fr"}
    judged = 0
    for _ in range(QUOTA["envois_max"] + 2):
        reg_id = at_contact_step(api)
        if api.step(reg_id, "coordonnees", victim).status_code == 429:
            continue
        wrong = f"{(int(api.last_code(victim['valeur'])) + 1) % 10**6:06d}"
        while (response := api.step(reg_id, "code", {"code": wrong})).status_code == 422:
            judged += 1
        assert response.status_code == 429 and errors(response)[0][0] == "CODE-TENTATIVES"
        judged += 1  # the last wrong guess, which used up the code
    assert judged == QUOTA["envois_max"] * attempts


def test_codes_asked_from_one_address_are_limited(tmp_path):
    app = create_app(
        f"sqlite:///{tmp_path}/db.sqlite", test_mode=True, password_hasher=CHEAP_HASHER, send_limit_per_client=3
    )
    with TestClient(app) as client:
        api = Api(client)
        for n in range(3):
            body = {"canal": "email", "valeur": f"quota{n}@exemple.fr"}
            assert api.step(at_contact_step(api), "coordonnees", body).status_code == 200
        response = api.step(at_contact_step(api), "coordonnees", {"canal": "email", "valeur": "quota9@exemple.fr"})
        assert response.status_code == 429 and errors(response)[0][0] == "SEC-ENVOIS-LIMITES"
    with app.state.service.sessions.begin() as db:
        stored = db.scalars(select(ConfirmationCode.client)).all()
    assert len(set(stored)) == 1 and "testclient" not in stored[0]  # a keyed hash, not the address


class SilentSmtp:
    """A server that accepts connections and never answers (an SMTP server that hangs)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_a_hanging_mail_server_holds_no_lock_and_leaves_nothing_half_made(tmp_path):
    """Finding 6: with an SMTP server that never answers, another user's registration waited 9.7 s.
    Now the code is committed before delivery; when delivery fails it is undone and the registration
    is back at ⑥, free to ask again at once."""
    smtp = SilentSmtp()
    app = create_app(
        f"sqlite:///{tmp_path}/db.sqlite",
        test_mode=True,
        password_hasher=CHEAP_HASHER,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
    )
    try:
        with TestClient(app) as client:
            api = Api(client)
            stuck, other = at_contact_step(api), at_contact_step(api)
            result: dict = {}

            def send():
                result["response"] = api.step(stuck, "coordonnees", {"canal": "email", "valeur": "lent@exemple.fr"})

            sender = threading.Thread(target=send)
            sender.start()
            time.sleep(1)  # the first send now waits for the silent server
            started = time.monotonic()
            response = api.step(other, "coordonnees", {"canal": "sms", "valeur": "06 11 22 33 44"})
            waited = time.monotonic() - started
            sender.join(30)
            assert response.status_code == 200 and waited < 5, waited  # not behind the 10 s SMTP timeout
            assert result["response"].status_code == 502
            assert errors(result["response"])[0][0] == "CODE-ENVOI-IMMEDIAT"
            assert api.etape(stuck) == "coordonnees"
            with app.state.service.sessions.begin() as db:
                assert db.scalars(select(ConfirmationCode).where(ConfirmationCode.registration_id == stuck)).all() == []
                assert db.get(Registration, stuck).contact is None
    finally:
        smtp.close()


def test_outside_test_mode_the_outbox_keeps_no_code(tmp_path):
    app = create_app(f"sqlite:///{tmp_path}/db.sqlite", test_mode=False, password_hasher=CHEAP_HASHER)
    with TestClient(app) as client:
        reg_id = client.post("/api/inscriptions", json={}).json()["id"]
        with app.state.service.sessions.begin() as db:
            reg = db.get(Registration, reg_id)
            reg.etape, reg.nir = "coordonnees", None
        response = client.post(
            f"/api/inscriptions/{reg_id}/coordonnees", json={"canal": "email", "valeur": "a@exemple.fr"}
        )
        assert response.status_code == 200
    with app.state.service.sessions.begin() as db:
        (body,) = db.scalars(select(OutboxMessage.body)).all()
    assert "••••••" in body and not any(ch.isdigit() for ch in body.split(":")[1].split("\n")[0])

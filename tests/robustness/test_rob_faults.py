"""Faults against a real server (uvicorn on 127.0.0.1, SQLite file): races, a restart, SMTP down.

Refused means refused: after each fault, the database holds exactly what it should.
"""

from __future__ import annotations

import re
import socketserver
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa
from servers import PASSWORD, Journey, Server, free_port, identity, new_email

ROUNDS = 4  # each race is run a few times: one round may happen not to overlap


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    """The database of the servers under test (test_rob_postgresql.py runs these tests on PostgreSQL)."""
    return f"sqlite:///{tmp_path_factory.mktemp('faults') / 'moncompte.db'}"


@pytest.fixture(scope="module")
def race_server(database, tmp_path_factory):
    """One server for the races (each race uses new identities)."""
    server = Server(database, tmp_path_factory.mktemp("race-logs")).start()
    yield server
    server.stop()


def race(calls) -> list[httpx.Response]:
    """Run the calls at the same moment, one thread each."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def count(database: str, sql: str, **params) -> int:
    engine = sa.create_engine(database)
    try:
        with engine.connect() as db:
            return db.execute(sa.text(sql), params).scalar_one()
    finally:
        engine.dispose()


def test_two_registrations_with_the_same_nir_finishing_at_once_make_exactly_one_account(race_server, database):
    server = race_server
    clients = [httpx.Client(base_url=server.url, timeout=30) for _ in range(2)]
    try:
        for _ in range(ROUNDS):
            person = identity()
            document = Journey(clients[0]).seed_passport(person)  # verified: one account per NIR
            regs = [Journey(c).register(person, until="mot_de_passe", document=document)[0] for c in clients]
            responses = race(
                [
                    lambda c=c, r=r: Journey(c).step(r, "mot-de-passe", {"mot_de_passe": PASSWORD})
                    for c, r in zip(clients, regs)
                ]
            )
            statuses = sorted(r.status_code for r in responses)
            assert statuses == [200, 409], [r.text for r in responses]
            loser = next(r for r in responses if r.status_code == 409).json()["erreurs"]
            assert [e["regle"] for e in loser] == ["CNX-NIR"] and "Un compte existe déjà" in loser[0]["message"]
            assert count(database, "SELECT count(*) FROM accounts WHERE nir = :nir", nir=person["nir"]) == 1
            stuck = [reg for reg, r in zip(regs, responses) if r.status_code == 409]
            assert Journey(clients[0]).etape(stuck[0]) == "mot_de_passe"  # the refused one did not advance
            login = clients[0].post("/api/session", json={"identifiant": person["nir"], "mot_de_passe": PASSWORD})
            assert login.status_code == 200
    finally:
        for c in clients:
            c.close()
    assert "Traceback" not in server.output()


def test_the_same_code_submitted_twice_at_once_is_accepted_once(race_server, database):
    server = race_server
    clients = [httpx.Client(base_url=server.url, timeout=30) for _ in range(2)]
    try:
        for _ in range(ROUNDS):
            journey = Journey(clients[0])
            reg_id, _, email = journey.register(until="code")
            code = journey.last_code(email)
            responses = race([lambda c=c: Journey(c).step(reg_id, "code", {"code": code}) for c in clients])
            statuses = sorted(r.status_code for r in responses)
            assert statuses == [200, 422], [r.text for r in responses]
            refused = next(r for r in responses if r.status_code == 422).json()["erreurs"]
            assert [e["regle"] for e in refused] == ["CODE-USAGE-UNIQUE"]
            assert (
                count(
                    database,
                    "SELECT count(*) FROM confirmation_codes WHERE registration_id = :r AND status = 'utilise'",
                    r=reg_id,
                )
                == 1
            )
            assert journey.etape(reg_id) == "mot_de_passe"
    finally:
        for c in clients:
            c.close()
    assert "Traceback" not in server.output()


def test_a_server_restart_in_the_middle_of_a_registration_loses_nothing(server_factory, database):
    """A graceful stop (SIGTERM) and a crash (SIGKILL), each in the middle of a registration."""
    server = server_factory(database)
    for stop in (server.stop, server.kill):
        with httpx.Client(base_url=server.url, timeout=30) as client:
            reg_id, person, email = Journey(client).register(until="code")
            code = Journey(client).last_code(email)
        stop()
        server.start()  # same port, same database
        with httpx.Client(base_url=server.url, timeout=30) as client:
            journey = Journey(client)
            state = client.get(f"/api/inscriptions/{reg_id}").json()
            assert (state["etape"], state["destinataire"], state["canal"]) == ("code", email, "email")
            assert journey.step(reg_id, "code", {"code": code}).status_code == 200
            assert journey.step(reg_id, "mot-de-passe", {"mot_de_passe": PASSWORD}).status_code == 200
            recap = client.get(f"/api/inscriptions/{reg_id}/recapitulatif").json()
            assert recap["etat_civil"]["nir"] == person["nir"] and recap["coordonnees"]["valeur"] == email
            login = client.post("/api/session", json={"identifiant": person["nir"], "mot_de_passe": PASSWORD})
            assert login.status_code == 200


# ── SMTP down, then back ──────────────────────────────────────────────────────
class TinySmtp(socketserver.ThreadingTCPServer):
    """Just enough SMTP for smtplib.send_message; keeps the messages received."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int):
        self.messages: list[str] = []
        super().__init__(("127.0.0.1", port), SmtpHandler)


class SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 smtp.test\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(data.decode("utf-8", "replace"))
                self.server.messages.append("".join(lines))
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_smtp_down_gives_a_clear_french_message_a_retry_path_and_nothing_half_created(server_factory, database):
    smtp_port = free_port()  # nothing listens there (yet)
    server = server_factory(database, "--smtp-host", "127.0.0.1", "--smtp-port", str(smtp_port))
    with httpx.Client(base_url=server.url, timeout=30) as client:
        journey = Journey(client)
        reg_id, _, _ = journey.register(until="coordonnees")
        email = new_email()
        for _ in range(2):  # a retry while it is still down: the same answer, not « trop tôt »
            response = journey.step(reg_id, "coordonnees", {"canal": "email", "valeur": email})
            assert response.status_code == 502
            (error,) = response.json()["erreurs"]
            assert error["regle"] == "CODE-ENVOI-IMMEDIAT"
            assert error["message"] == "Le code n'a pas pu être envoyé. Réessayez dans quelques instants."
            state = client.get(f"/api/inscriptions/{reg_id}").json()
            assert (state["etape"], state["canal"], state["destinataire"]) == ("coordonnees", None, None)
            assert count(database, "SELECT count(*) FROM confirmation_codes WHERE registration_id = :r", r=reg_id) == 0

        # The page says it too, and keeps what was typed.
        client.cookies.set("inscription", reg_id)
        form = client.get("/inscription/coordonnees").text  # the form's CSRF token, as a browser sends it
        token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        page = client.post("/inscription/coordonnees", data={"email": email, "mobile": "", "csrf": token})
        assert page.status_code == 502 and "Le code n&#39;a pas pu être envoyé" in page.text
        assert 'role="alert"' in page.text and email in page.text
        client.cookies.clear()

        smtp = TinySmtp(smtp_port)  # the mail server is back: « Envoyer le code » works
        threading.Thread(target=smtp.serve_forever, daemon=True).start()
        try:
            response = journey.step(reg_id, "coordonnees", {"canal": "email", "valeur": email})
            assert response.status_code == 200, response.text
            assert journey.etape(reg_id) == "code"
            (message,) = smtp.messages
            code = re.search(r"\b\d{6}\b", message).group()
            assert journey.step(reg_id, "code", {"code": code}).status_code == 200
        finally:
            smtp.shutdown()
            smtp.server_close()
    assert count(database, "SELECT count(*) FROM confirmation_codes WHERE registration_id = :r", r=reg_id) == 1

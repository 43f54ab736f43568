"""The per-address quota on codes (security finding 4) on a real server: it holds across a restart.

The address is stored as a keyed hash; the key was drawn by each server process, so a restart (or
each of ``--workers`` N processes) counted the same address afresh. The key is now kept in the
database (``service.client_key_secret``).
"""

from __future__ import annotations

import httpx
from servers import Journey, new_email

LIMIT = 2


def send_code(server) -> httpx.Response:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        journey = Journey(client)
        reg_id, _, _ = journey.register(until="coordonnees")
        return journey.step(reg_id, "coordonnees", {"canal": "email", "valeur": new_email()})


def test_the_per_address_quota_on_codes_survives_a_restart(server_factory, sqlite_file):
    server = server_factory(sqlite_file, "--test-send-limit-per-client", str(LIMIT), "--test-cheap-hashing")
    for _ in range(LIMIT):
        assert send_code(server).status_code == 200
    refused = send_code(server)
    assert refused.status_code == 429
    assert [e["regle"] for e in refused.json()["erreurs"]] == ["SEC-ENVOIS-LIMITES"]
    server.stop()
    server.start()  # same port, same database: a new process
    again = send_code(server)
    assert again.status_code == 429, again.text
    assert [e["regle"] for e in again.json()["erreurs"]] == ["SEC-ENVOIS-LIMITES"]
    assert "Traceback" not in server.output()

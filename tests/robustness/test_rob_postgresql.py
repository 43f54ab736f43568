"""The same journeys, races, faults and hostile values on PostgreSQL.

Runs when MONCOMPTE_TEST_POSTGRES_URL names a server (SQLAlchemy URL, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``; `.ci/run` starts a throwaway one).
Each run works in a database of its own, created here and dropped at the end.
"""

from __future__ import annotations

import os
import secrets

import pytest

URL = os.environ.get("MONCOMPTE_TEST_POSTGRES_URL")
if not URL:
    pytest.skip(
        "MONCOMPTE_TEST_POSTGRES_URL non défini : pas de serveur PostgreSQL pour ce module "
        "(.ci/run en démarre un ; en local, donnez l'URL SQLAlchemy d'un serveur de test)",
        allow_module_level=True,
    )

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from conftest import CHEAP_HASHER  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from servers import PASSWORD, Journey, identity  # noqa: E402

# The tests below also run here, against PostgreSQL (pytest collects what this module imports).
from test_rob_bad_input import (  # noqa: E402,F401
    test_hostile_registration_ids_and_login_identifiers_never_break_the_server,
    test_hostile_values_are_refused_in_french_or_normalised_and_nothing_is_stored,
)
from test_rob_faults import (  # noqa: E402,F401
    race_server,
    test_a_server_restart_in_the_middle_of_a_registration_loses_nothing,
    test_the_same_code_submitted_twice_at_once_is_accepted_once,
    test_two_registrations_with_the_same_nir_finishing_at_once_make_exactly_one_account,
)

from moncompte.reference_impl.app import create_app  # noqa: E402


def _libpq(url: sa.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def postgres_url():
    """A database of our own on the server, dropped afterwards."""
    server = sa.make_url(URL)
    name = f"moncompte_test_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(_libpq(server), autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        pytest.fail(f"MONCOMPTE_TEST_POSTGRES_URL est défini mais le serveur ne répond pas : {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def pg_app(postgres_url):
    # One app for the module: the whole module's refused logins come from one test client, so the
    # per-client login throttle (tested in tests/reference/test_ref_hardening.py) is raised here.
    return create_app(
        postgres_url,
        test_mode=True,
        password_hasher=CHEAP_HASHER,  # with the registry file
        login_limits={"per_client": 100_000},
        send_limit_per_client=0,  # the same for the codes (tested in tests/reference/test_ref_send_limits.py)
    )


@pytest.fixture
def app(pg_app):
    return pg_app


@pytest.fixture(scope="module")
def database(postgres_url) -> str:
    return postgres_url


def test_the_tables_and_the_registry_are_on_postgresql(pg_app, postgres_url):
    engine = sa.create_engine(postgres_url)
    with engine.connect() as db:
        assert db.dialect.name == "postgresql"
        assert db.execute(sa.text("SELECT count(*) FROM registry_persons")).scalar_one() > 0
        assert db.execute(sa.text("SELECT value FROM meta WHERE key = 'registry_file'")).scalar_one() is not None
    engine.dispose()


def test_the_whole_api_journey_on_postgresql(client):
    journey = Journey(client)
    person = identity()
    document = journey.seed_passport(person)
    reg_id, person, email = journey.register(person, document=document)
    recap = client.get(f"/api/inscriptions/{reg_id}/recapitulatif").json()
    assert recap["etat_civil"]["nir"] == person["nir"] and recap["coordonnees"] == {"canal": "email", "valeur": email}
    assert "mot_de_passe" not in str(recap)
    assert client.post("/api/session", json={"identifiant": person["nir"], "mot_de_passe": PASSWORD}).status_code == 200
    espace = client.get("/api/espace").json()
    assert espace["identifiant"] == person["nir"] and espace["role"] == "non_allocataire"
    demande = client.post(
        "/api/demandes", json={"prestation": client.get("/api/themes").json()[0]["prestations"][0]["code"]}
    )
    assert demande.status_code == 201
    assert [d["id"] for d in client.get("/api/demandes").json()] == [demande.json()["id"]]
    # The same NIR again: refused at ⑤ once the document proved the identity, nothing stored.
    again, _, _ = journey.register(person, until="piece_identite")
    response = journey.step(again, "piece-identite", document)
    assert response.status_code == 409 and response.json()["erreurs"][0]["regle"] == "CNX-NIR"
    assert journey.etape(again) == "piece_identite"


def test_a_new_app_on_the_same_postgresql_database_continues_a_registration(pg_app, postgres_url):
    with TestClient(pg_app) as first:
        reg_id, _, email = Journey(first).register(until="code")
        code = Journey(first).last_code(email)
    other = create_app(postgres_url, test_mode=True, password_hasher=CHEAP_HASHER)  # registry already there
    with TestClient(other) as second:
        journey = Journey(second)
        assert journey.etape(reg_id) == "code"
        assert journey.step(reg_id, "code", {"code": code}).status_code == 200

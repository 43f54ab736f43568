"""Fixtures of the robustness tests: an in-process app (cheap argon2), and real servers on 127.0.0.1."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from servers import Journey, Server

from moncompte.reference_impl.app import create_app

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def app():
    return create_app("sqlite://", test_mode=True, password_hasher=CHEAP_HASHER, registry_file=None)


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def journey(client) -> Journey:
    return Journey(client)


@pytest.fixture
def sqlite_file(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'moncompte.db'}"


@pytest.fixture
def server_factory(tmp_path):
    """Start servers on free ports; each is stopped at the end of the test."""
    started: list[Server] = []

    def make(database: str, *extra: str, start: bool = True, test_mode: bool = True) -> Server:
        server = Server(database, tmp_path, list(extra), test_mode=test_mode)
        started.append(server)
        return server.start() if start else server

    yield make
    for server in started:
        server.stop()

"""Fixtures: an app per test (in-memory SQLite, test mode, cheap argon2) and its clients.

Tests that need a database file (state shared by two app instances) build their own app."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from refhelpers import CHEAP_HASHER, Api

from moncompte.reference_impl.app import create_app


@pytest.fixture
def app():
    return create_app("sqlite://", test_mode=True, password_hasher=CHEAP_HASHER)


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api(client) -> Api:
    return Api(client)

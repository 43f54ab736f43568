"""schemathesis against the reference's OpenAPI (the app in process, as in production: no test routes).

Checks: no 5xx, every status documented, every body conforms to its documented schema, the
declared content type. Bounded: a few examples per operation, the whole module in well under 60 s.
"""

from __future__ import annotations

import schemathesis
from argon2 import PasswordHasher
from hypothesis import HealthCheck, settings
from schemathesis import checks

from moncompte.reference_impl.app import create_app

APP = create_app(
    "sqlite://", test_mode=False, password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case):
    case.call_and_validate(checks=CHECKS)


def test_every_error_status_is_documented_with_the_french_error_body():
    spec = APP.openapi()
    body = spec["components"]["schemas"]["Erreurs"]
    assert body["required"] == ["erreurs"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in ("404", "409", "422"):
                if path.startswith("/api/inscriptions/"):
                    ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/Erreurs"), (method, path, status)

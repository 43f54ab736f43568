"""Secrets: random tokens and codes, code hashing, the password hasher."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, Type


def new_token() -> str:
    """A random identifier for a registration or a session (256 bits)."""
    return secrets.token_urlsafe(32)


def new_code(length: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(length))


def hash_code(code: str, salt: str | None = None) -> tuple[str, str]:
    """(salt, HMAC-SHA256 of the code keyed by the salt). Codes are short-lived: cheap is fine."""
    salt = salt or secrets.token_hex(16)
    return salt, hmac.new(salt.encode(), code.encode(), hashlib.sha256).hexdigest()


def code_matches(code: str, salt: str, digest: str) -> bool:
    return hmac.compare_digest(hash_code(code, salt)[1], digest)


def default_password_hasher() -> PasswordHasher:
    """argon2id with OWASP's recommended minimum: m=19 MiB (19456 KiB), t=2, p=1.

    Never lower in production; tests may pass cheaper parameters to ``create_app``.
    """
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, type=Type.ID)

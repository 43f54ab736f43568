"""What the FranceConnect client keeps: in the database like every other state, never in memory.

Separate tables (created with the others by ``make_sessionmaker``) so that the core
tables, and databases created before FranceConnect existed, are unchanged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moncompte.reference_impl.db import Base, utcnow


class FcRequest(Base):
    """An authorization (or logout) request in flight: its ``state`` and ``nonce``, used once."""

    __tablename__ = "franceconnect_requests"
    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64))
    intention: Mapped[str] = mapped_column(String(20))  # creation, connexion, deconnexion
    redirect_uri: Mapped[str] = mapped_column(String(500))
    prestation: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class FcLink(Base):
    """An account linked to a FranceConnect identity (``sub``): one each way."""

    __tablename__ = "franceconnect_links"
    sub: Mapped[str] = mapped_column(String(255), primary_key=True)
    account_id: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FcRegistration(Base):
    """A registration whose état civil was provided by FranceConnect (the ``sub`` to link at ⑧)."""

    __tablename__ = "franceconnect_registrations"
    registration_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sub: Mapped[str] = mapped_column(String(255), index=True)


class FcSession(Base):
    """A Mon Compte session opened with FranceConnect: the ID token is the logout's ``id_token_hint``."""

    __tablename__ = "franceconnect_sessions"
    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    id_token: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

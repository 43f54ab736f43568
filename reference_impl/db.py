"""Storage: every piece of state lives in the database (SQLAlchemy 2), none in memory.

Registrations in progress, codes, outbox, accounts, sessions, the identity
registry (foyers and persons), demandes and declarations.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker
from sqlalchemy.pool import StaticPool


def utcnow() -> datetime:
    """Naive UTC time: what every DateTime column holds (SQLite keeps no time zone)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about the database (e.g. that the registry file was loaded)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


# ── identity registry ─────────────────────────────────────────────────────────
class Foyer(Base):
    __tablename__ = "foyers"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    procuration: Mapped[bool] = mapped_column(Boolean, default=False)
    membres: Mapped[list[RegistryPerson]] = relationship(back_populates="foyer", cascade="all, delete-orphan")


class RegistryPerson(Base):
    __tablename__ = "registry_persons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    foyer_id: Mapped[str | None] = mapped_column(ForeignKey("foyers.id"), index=True)
    foyer_role: Mapped[str | None] = mapped_column(String(30))  # None: belongs to no foyer
    nir: Mapped[str | None] = mapped_column(String(15), index=True)
    civilite: Mapped[str] = mapped_column(String(10))
    nom_naissance: Mapped[str] = mapped_column(String(100))
    prenoms: Mapped[str] = mapped_column(String(160))
    date_naissance: Mapped[date] = mapped_column(Date)
    lieu_naissance: Mapped[str] = mapped_column(String(5))
    foyer: Mapped[Foyer | None] = relationship(back_populates="membres")
    pieces: Mapped[list[RegistryDocument]] = relationship(cascade="all, delete-orphan")


class RegistryDocument(Base):
    __tablename__ = "registry_documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("registry_persons.id"), index=True)
    type_titre: Mapped[str] = mapped_column(String(20))
    numero: Mapped[str] = mapped_column(String(20), index=True)  # canonical: no MRZ check digit


# ── the journey ───────────────────────────────────────────────────────────────
class Registration(Base):
    """A registration in progress (steps ④ to ⑨), keyed by a random token."""

    __tablename__ = "registrations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    etape: Mapped[str] = mapped_column(String(20))
    prestation: Mapped[str | None] = mapped_column(String(40))
    # ④ état civil (normalised)
    sans_nir: Mapped[bool] = mapped_column(Boolean, default=False)
    nir: Mapped[str | None] = mapped_column(String(15))
    identifiant_provisoire: Mapped[str | None] = mapped_column(String(10), unique=True)
    civilite: Mapped[str | None] = mapped_column(String(10))
    nom_naissance: Mapped[str | None] = mapped_column(String(100))
    prenoms: Mapped[str | None] = mapped_column(String(160))
    date_naissance: Mapped[date | None] = mapped_column(Date)
    lieu_naissance: Mapped[str | None] = mapped_column(String(5))
    # ⑤ pièce d'identité: only the masked number is kept once checked
    type_titre: Mapped[str | None] = mapped_column(String(20))
    numero_masque: Mapped[str | None] = mapped_column(String(20))
    sans_piece_francaise: Mapped[bool] = mapped_column(Boolean, default=False)
    justificatif_a_fournir: Mapped[bool] = mapped_column(Boolean, default=False)
    foyer_id: Mapped[str | None] = mapped_column(String(40))
    foyer_role: Mapped[str | None] = mapped_column(String(30))
    # ⑥ coordonnées (normalised: e-mail, or mobile in E.164)
    canal: Mapped[str | None] = mapped_column(String(10))
    contact: Mapped[str | None] = mapped_column(String(254))

    @property
    def identifiant(self) -> str | None:
        return self.identifiant_provisoire or self.nir


class ConfirmationCode(Base):
    """A code sent at ⑥ (``registration_id``) or to a new contact detail given in « Mon espace »
    (``account_id``), stored hashed (HMAC-SHA256 with its own salt)."""

    __tablename__ = "confirmation_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_id: Mapped[str | None] = mapped_column(ForeignKey("registrations.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    canal: Mapped[str | None] = mapped_column(String(10))
    destinataire: Mapped[str] = mapped_column(String(254), index=True)
    client: Mapped[str | None] = mapped_column(String(32), index=True)  # keyed hash of the address (quotas)
    salt: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="actif")  # actif, utilise, remplace, epuise


class OutboxMessage(Base):
    """A message the default delivery adapter kept instead of sending it."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to: Mapped[str] = mapped_column(String(254), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# ── accounts and what they do ─────────────────────────────────────────────────
class Account(Base):
    """An account. One whose identity is not verified yet (created « sans pièce d'identité française »,
    ``justificatif_a_fournir``) holds a NIR that nobody checked: it is not the NIR's key. Only verified
    accounts are unique per identifier and per NIR, so an unverified one never blocks the verified
    registration of the same NIR; it has no place in a foyer until its justificatif is checked."""

    __tablename__ = "accounts"
    __table_args__ = (
        Index(
            "uq_accounts_identifiant_verifie",
            "identifiant",
            unique=True,
            sqlite_where=text("NOT justificatif_a_fournir"),
            postgresql_where=text("NOT justificatif_a_fournir"),
        ),
        Index(
            "uq_accounts_nir_verifie",
            "nir",
            unique=True,
            sqlite_where=text("NOT justificatif_a_fournir"),
            postgresql_where=text("NOT justificatif_a_fournir"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifiant: Mapped[str] = mapped_column(String(15), index=True)  # NIR or provisional identifier
    nir: Mapped[str | None] = mapped_column(String(15), index=True)
    civilite: Mapped[str] = mapped_column(String(10))
    nom_naissance: Mapped[str] = mapped_column(String(100))
    prenoms: Mapped[str] = mapped_column(String(160))
    date_naissance: Mapped[date] = mapped_column(Date)
    lieu_naissance: Mapped[str] = mapped_column(String(5))
    type_titre: Mapped[str | None] = mapped_column(String(20))
    numero_masque: Mapped[str | None] = mapped_column(String(20))
    justificatif_a_fournir: Mapped[bool] = mapped_column(Boolean, default=False)
    canal: Mapped[str] = mapped_column(String(10))
    contact: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200))
    foyer_id: Mapped[str | None] = mapped_column(String(40), index=True)
    foyer_role: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class UserSession(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    prestation: Mapped[str | None] = mapped_column(String(40))  # chosen before logging in


class Demande(Base):
    __tablename__ = "demandes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    foyer_id: Mapped[str | None] = mapped_column(String(40), index=True)  # demandes belong to the foyer
    prestation: Mapped[str] = mapped_column(String(40))
    statut: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Separation(Base):
    __tablename__ = "separations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    date_separation: Mapped[date] = mapped_column(Date)
    declared_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def _sqlite_file_pragmas(connection, _record) -> None:
    """A SQLite file in WAL mode with ``synchronous=NORMAL``: a commit no longer waits for the disk
    (the WAL is synced at checkpoints), which made every request of the journey wait 20 ms here;
    committed data survives a crash or restart of the server, only a power cut may lose the last
    commits. Readers and the writer of two uvicorn workers no longer block each other."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_sessionmaker(database_url: str) -> sessionmaker:
    """Engine for any SQLAlchemy URL; the tables are created if missing."""
    kwargs: dict = {}
    if database_url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if database_url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
    engine = create_engine(database_url, **kwargs)
    if database_url.startswith("sqlite") and "poolclass" not in kwargs:
        event.listen(engine, "connect", _sqlite_file_pragmas)
    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)

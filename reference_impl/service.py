"""The core: the journey ④ to ⑨, login and « Mon espace », shared by the JSON API and the pages.

Every validation comes from ``rules``; this module sequences the steps, keeps the
state in the database, checks identities against the registry and sends codes.
A refusal is raised as ``Refused`` (HTTP status + the rules' refusals); nothing
is stored when a step is refused, except the count of wrong codes.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from moncompte.reference_impl import registry
from moncompte.reference_impl.db import (
    Account,
    ConfirmationCode,
    Demande,
    Foyer,
    Meta,
    OutboxMessage,
    Registration,
    Separation,
    UserSession,
    utcnow,
)
from moncompte.reference_impl.delivery import Delivery, DeliveryError, Message, code_message
from moncompte.reference_impl.prestations import PRESTATIONS, STATUT_INITIAL, THEME_OF
from moncompte.reference_impl.security import code_matches, hash_code, new_code, new_token
from moncompte.rules import DEFAULTS, Refusal, Settings
from moncompte.rules import code as code_rules
from moncompte.rules import coordonnees as contact_rules
from moncompte.rules import identifiant_provisoire as provisional
from moncompte.rules import mot_de_passe as password_rules
from moncompte.rules import nir as nir_rules
from moncompte.rules import piece_identite as identity_document
from moncompte.rules.etat_civil import CivilStatus, parse_date, validate_civil_status
from moncompte.rules.messages import MSG_PI_VERIFICATION
from moncompte.rules.model import JOURNEY_STEPS
from moncompte.rules.roles import Action, Role, can_create_account, is_allowed, refusal_for

STEPS = JOURNEY_STEPS
STEP_LABELS = {
    "etat_civil": "État civil",
    "piece_identite": "Pièce d'identité",
    "coordonnees": "Coordonnées de contact",
    "code": "Code de confirmation",
    "mot_de_passe": "Mot de passe",
    "recapitulatif": "Récapitulatif",
}
SESSION_DURATION = timedelta(hours=2)
# A registration (and its recap, with the full NIR) is gone after this long, so that it is not readable on
# a shared computer the next day; the ``inscription`` cookie lives as long.
REGISTRATION_DURATION = timedelta(hours=2)
# Codes asked from one client address per SEC-ENVOIS-LIMITES window: a counter or a household behind one
# address registers a few people; a robot, hundreds. Not a rule: the harness cannot see it from one machine.
SEND_LIMIT_PER_CLIENT = 30
LOGIN_CANDIDATES = 5  # accounts of one identifier tried at login (one verified, unverified ones)

MSG_INSCRIPTION_INCONNUE = "Cette inscription n'existe pas ou n'est plus disponible. Recommencez la création du compte."
MSG_ETAPE = "Cette étape n'est pas disponible : vous en êtes à l'étape « {etape} »."
MSG_CODE_AVANT_MDP = (
    "Confirmez d'abord vos coordonnées de contact avec le code reçu : le mot de passe se choisit ensuite."
)
MSG_COMPTE_EXISTANT = (
    "Un compte existe déjà pour ce numéro de sécurité sociale. Connectez-vous avec votre numéro de sécurité"
    " sociale et votre mot de passe."
)
MSG_JUSTIFICATIF_EN_ATTENTE = (
    "Une pièce d'identité justificative peut vous être demandée. Votre compte sera rattaché au dossier de"
    " votre foyer une fois votre identité vérifiée."
)
MSG_TROP_D_ENVOIS = (
    "Trop de codes ont été demandés pour ces coordonnées. Réessayez plus tard (au plus tard dans {minutes} minutes)."
)
MSG_CODE_NOUVEAU_CONTACT = (
    "Un code de confirmation a été envoyé à {valeur}. Saisissez-le pour enregistrer vos nouvelles coordonnées."
)
MSG_ENVOI = "Le code n'a pas pu être envoyé. Réessayez dans quelques instants."
MSG_IDENTIFIANTS = "Identifiant ou mot de passe incorrect."
MSG_NON_CONNECTE = "Connectez-vous pour accéder à votre espace."
MSG_PRESTATION = "Choisissez une prestation parmi celles proposées."
MSG_PRESTATION_THEME = "Cette prestation ne fait pas partie du thème choisi."
MSG_PROCURATION = "Seul le responsable du dossier peut donner ou retirer une procuration."
MSG_DATE_SEPARATION = "La date de séparation doit être une date valide (JJ/MM/AAAA), qui n'est pas dans le futur."


@dataclass(frozen=True)
class IssuedCode:
    """A code just stored: its row, the codes it replaced, the message still to deliver (None: kept)."""

    code_id: int
    replaced: list[int]
    message: Message | None


CLIENT_KEY_META = "client_address_key"  # the ``meta`` row holding the key of the client-address hashes


def client_key_secret(sessions: sessionmaker) -> bytes:
    """The key of the client-address hashes (``Service.client_key``), made once and kept in the ``meta``
    table: every worker process and every restart counts one address under the same hash. (A key drawn
    by each process split a client's quota between the workers, and a restart gave it a new one.)"""
    while True:
        with sessions.begin() as db:
            row = db.get(Meta, CLIENT_KEY_META)
            if row is not None:
                return bytes.fromhex(row.value)
        try:
            with sessions.begin() as db:
                db.add(Meta(key=CLIENT_KEY_META, value=secrets.token_hex(32)))
        except IntegrityError:
            pass  # another process made it at the same moment: read theirs


class Refused(Exception):
    """A request the service refuses: the HTTP status and the refusals to show."""

    def __init__(self, status: int, *refusals: Refusal):
        super().__init__(status, refusals)
        self.status = status
        self.refusals = list(refusals)


@dataclass(frozen=True)
class CurrentUser:
    """The logged-in account and its role, as of now (a procuration change applies at once)."""

    account: Account
    role: Role
    session_id: str
    prestation: str | None  # chosen before logging in (« Faire la demande »), if any

    @property
    def actions(self) -> list[Action]:
        return [a for a in Action if is_allowed(self.role, a)]


def _key(value: str | None) -> str | None:
    """A value looked up in the database: NUL is never in a key (and PostgreSQL refuses it in text)."""
    return None if value is None or "\x00" in value else value


def _nfc(password: str | None) -> str:
    """The password as hashed and checked: NFC, so « é » typed either way (é or e + ◌́) is the same password."""
    return unicodedata.normalize("NFC", password or "")


def normalize_identifier(value: str | None) -> str:
    """A login identifier: provisional identifier (upper-cased) or NIR (spaces removed)."""
    text = (_key(value) or "").strip().upper()
    return text if provisional.is_provisional_id(text) else nir_rules.normalize(text)


class Service:
    def __init__(
        self,
        sessions: sessionmaker,
        *,
        settings: Settings = DEFAULTS,
        hasher: PasswordHasher,
        delivery: Delivery,
        send_limit_per_client: int = SEND_LIMIT_PER_CLIENT,
    ):
        self.sessions = sessions
        self.send_limit_per_client = send_limit_per_client
        self.settings = settings
        self.hasher = hasher
        self.delivery = delivery
        self._client_secret = client_key_secret(sessions)
        self._dummy_hash = hasher.hash(new_token())  # same work for an unknown identifier
        # Called in the transaction that creates an account at ⑧ (e.g. to link it to FranceConnect).
        self.account_created_hooks: list[Callable[[Session, Registration, Account], None]] = []

    def client_key(self, address: str) -> str:
        """What is stored of a client's address for the quotas: a keyed hash (``client_key_secret``), not the
        address itself."""
        return hmac.new(self._client_secret, address.encode(), hashlib.sha256).hexdigest()[:32]

    # ── registrations ④ … ⑨ ──────────────────────────────────────────────
    def start_registration(self, prestation: str | None = None) -> Registration:
        if prestation is not None and prestation not in PRESTATIONS:
            raise Refused(422, Refusal("NAV-CHOIX-PRESTATION", "prestation", MSG_PRESTATION))
        with self.sessions.begin() as db:
            reg = Registration(id=new_token(), etape="etat_civil", prestation=prestation, created_at=utcnow())
            db.add(reg)
        return reg

    def start_verified_registration(
        self,
        status: CivilStatus,
        prestation: str | None = None,
        record: Callable[[Session, Registration], None] | None = None,
    ) -> Registration | None:
        """④ and ⑤ at once, for an identity an identity provider vouched for (FranceConnect).

        The état civil is the provider's; the registry person with that identity gives the NIR
        (or a provisional identifier when they have none) and the place in a foyer. The journey
        goes on at ⑥. None when no registry person has that identity; ``record`` runs in the
        same transaction (a refusal it raises stores nothing).
        """
        if prestation is not None and prestation not in PRESTATIONS:
            prestation = None
        clean = status.normalized()
        born = parse_date(clean.date_naissance)
        if born is None:
            return None
        with self.sessions.begin() as db:
            person = registry.find_by_identity(
                db,
                civilite=clean.civilite,
                nom=clean.nom_naissance,
                prenoms=clean.prenoms,
                born=born,
                lieu=clean.lieu_naissance,
            )
            if person is None:
                return None
            if person.nir and self.verified_account(db, person.nir):
                raise Refused(409, Refusal("CNX-NIR", "nir", MSG_COMPTE_EXISTANT))
            reg = Registration(
                id=new_token(),
                etape="etat_civil",
                prestation=prestation,
                created_at=utcnow(),
                sans_nir=person.nir is None,
                nir=person.nir,
                identifiant_provisoire=None if person.nir else self._new_provisional_id(db),
                civilite=clean.civilite,
                nom_naissance=clean.nom_naissance,
                prenoms=clean.prenoms,
                date_naissance=born,
                lieu_naissance=clean.lieu_naissance,
            )
            self._take_identity(reg, person)  # the age limit of a child; then ⑥
            db.add(reg)
            db.flush()
            if record is not None:
                record(db, reg)
        return reg

    def registration(self, reg_id: str | None) -> Registration:
        with self.sessions.begin() as db:
            return self._registration(db, reg_id)

    def require_step(self, reg_id: str | None, step: str) -> Registration:
        """The registration, if it is at ``step``; else the refusal that says why not."""
        with self.sessions.begin() as db:
            return self._registration(db, reg_id, step)

    def _registration(self, db: Session, reg_id: str | None, *steps: str, lock: bool = True) -> Registration:
        reg_id = _key(reg_id)
        if steps and reg_id and lock:
            # A step: lock the registration first (a row lock on PostgreSQL, the write lock on SQLite),
            # so that two calls at once (the same code twice…) run one after the other on fresh data.
            db.execute(update(Registration).where(Registration.id == reg_id).values(etape=Registration.etape))
        reg = db.get(Registration, reg_id) if reg_id else None
        if reg is None or reg.created_at <= utcnow() - REGISTRATION_DURATION:
            raise Refused(404, Refusal("GUIDAGE", "inscription", MSG_INSCRIPTION_INCONNUE))
        if steps and reg.etape not in steps:
            if "mot_de_passe" in steps and STEPS.index(reg.etape) < STEPS.index("mot_de_passe"):
                raise Refused(409, Refusal("CODE-VERIFICATION-CONTACT", "etape", MSG_CODE_AVANT_MDP))
            raise Refused(409, Refusal("GUIDAGE", "etape", MSG_ETAPE.format(etape=STEP_LABELS[reg.etape])))
        return reg

    def submit_civil_status(self, reg_id: str, status: CivilStatus, *, sans_nir: bool) -> Registration:
        """④: the six items, or five and « Je n'ai pas de numéro de sécurité sociale »."""
        refusals = validate_civil_status(status, without_nir=sans_nir, settings=self.settings)
        if refusals:
            raise Refused(422, *refusals)
        clean = status.normalized()
        with self.sessions.begin() as db:
            # No « account exists » answer here: it would tell anyone whether a NIR has an account,
            # whatever name they type (the login takes care not to). It comes at ⑤, once a French
            # document has proved the identity (``submit_document``).
            reg = self._registration(db, reg_id, "etat_civil")
            reg.sans_nir = sans_nir
            reg.nir = None if sans_nir else clean.nir
            reg.identifiant_provisoire = self._new_provisional_id(db) if sans_nir else None
            reg.civilite, reg.nom_naissance, reg.prenoms = clean.civilite, clean.nom_naissance, clean.prenoms
            reg.date_naissance = date.fromisoformat(clean.date_naissance)
            reg.lieu_naissance = clean.lieu_naissance
            reg.etape = "piece_identite"
        return reg

    def _new_provisional_id(self, db: Session) -> str:
        while True:
            candidate = provisional.from_number(secrets.randbelow(10**9))
            taken = db.scalar(select(Account.id).where(Account.identifiant == candidate)) or db.scalar(
                select(Registration.id).where(Registration.identifiant_provisoire == candidate)
            )
            if not taken:
                return candidate

    def submit_document(self, reg_id: str, type_titre: str | None, numero: str | None) -> Registration:
        """⑤ with a French document: checked against the identity registry."""
        refusals = identity_document.validate_document_number(numero, type_titre, self.settings)
        if refusals:
            raise Refused(422, *refusals)
        with self.sessions.begin() as db:
            reg = self._registration(db, reg_id, "piece_identite")
            person = registry.find_by_document(
                db, type_titre, identity_document.canonical(numero, type_titre), **self._identity(reg)
            )
            if person is None:
                raise Refused(422, Refusal("PI-VERIFICATION", identity_document.FIELD, MSG_PI_VERIFICATION))
            if reg.nir and self.verified_account(db, reg.nir):
                raise Refused(409, Refusal("CNX-NIR", "nir", MSG_COMPTE_EXISTANT))
            self._take_identity(reg, person)
            reg.type_titre = type_titre
            reg.numero_masque = identity_document.mask_document_number(numero, self.settings)
        return reg

    def declare_no_french_document(self, reg_id: str) -> Registration:
        """⑤ « Je ne dispose pas d'une pièce d'identité française »: a justificatif may be asked for.

        Nothing has proved who the person is (a NIR, a name and a birth date are printed on every
        payslip): the account will have no place in a foyer until its justificatif is checked
        (``verify_justificatif``), and it never answers whether the NIR already has an account.
        """
        with self.sessions.begin() as db:
            reg = self._registration(db, reg_id, "piece_identite")
            person = registry.find_by_nir(db, reg.nir, **self._identity(reg, with_nir=False)) if reg.nir else None
            self._take_identity(reg, person, link_foyer=False)
            reg.sans_piece_francaise = True
            reg.justificatif_a_fournir = True
        return reg

    def verify_justificatif(self, session_id: str | None) -> CurrentUser:
        """A CAF agent has checked the justificatif of the logged-in account (test mode only): its identity
        is verified, it takes its place in the registry's foyer. Refused when a verified account already
        holds the NIR (the agent settles that case by hand)."""
        with self.sessions.begin() as db:
            user = self._current_user(db, session_id)
            account = user.account
            if not account.justificatif_a_fournir:
                return user
            if account.nir and self.verified_account(db, account.nir):
                raise Refused(409, Refusal("CNX-NIR", "nir", MSG_COMPTE_EXISTANT))
            identity = {"nom": account.nom_naissance, "prenoms": account.prenoms, "born": account.date_naissance}
            person = registry.find_by_nir(db, account.nir, **identity) if account.nir else None
            account.justificatif_a_fournir = False
            account.foyer_id = person.foyer_id if person else None
            account.foyer_role = person.foyer_role if person else None
            db.flush()
            return self._current_user(db, session_id)

    @staticmethod
    def verified_account(db: Session, nir: str) -> Account | None:
        """The account whose identity was verified for that NIR (document, FranceConnect or justificatif)."""
        return db.scalar(select(Account).where(Account.nir == nir, Account.justificatif_a_fournir.is_(False)))

    @staticmethod
    def _identity(reg: Registration, with_nir: bool = True) -> dict:
        identity = {"nom": reg.nom_naissance, "prenoms": reg.prenoms, "born": reg.date_naissance}
        return identity | ({"nir": reg.nir} if with_nir else {})

    def _take_identity(
        self, reg: Registration, person: registry.RegistryPerson | None, *, link_foyer: bool = True
    ) -> None:
        """Give the registration the person's place in the registry (``link_foyer``: only once the identity
        is verified); refuse a child too young."""
        foyer_role = person.foyer_role if person else None
        # Only a child's age matters here, so the procuration does not.
        refusal = can_create_account(
            registry.role_of(foyer_role, False), reg.date_naissance, date.today(), self.settings
        )
        if refusal:
            raise Refused(422, refusal)
        reg.foyer_id = person.foyer_id if person and link_foyer else None
        reg.foyer_role = foyer_role if link_foyer else None
        reg.etape = "coordonnees"

    def role_of_registration(self, reg: Registration) -> Role:
        with self.sessions.begin() as db:
            return self._role(db, reg.foyer_id, reg.foyer_role)

    @staticmethod
    def _role(db: Session, foyer_id: str | None, foyer_role: str | None) -> Role:
        foyer = db.get(Foyer, foyer_id) if foyer_id else None
        return registry.role_of(foyer_role if foyer else None, bool(foyer and foyer.procuration))

    def send_code(self, reg_id: str, canal: str | None, valeur: str | None, client: str = "") -> Registration:
        """⑥ « Envoyer le code » (again at ⑦: « Renvoyer le code », after the resend delay).

        The code is stored and the transaction committed before the message is handed over to a mail
        or SMS service, so a slow service holds no lock; if it fails, what was written is undone
        (nothing half-made: the registration is back where it was, and may ask again at once).
        ``client``: the requester's address, for the per-client quota.
        """
        refusals = contact_rules.validate_contact(canal, valeur, self.settings)
        if refusals:
            raise Refused(422, *refusals)
        contact = contact_rules.normalize_contact(canal, valeur, self.settings)
        with self.sessions.begin() as db:
            reg = self._registration(db, reg_id, "coordonnees", "code")
            self._check_send_quotas(db, canal, contact, client)
            before = (reg.etape, reg.canal, reg.contact)
            issued = self._issue_code(db, reg, canal, contact)
            db.get(ConfirmationCode, issued.code_id).client = self.client_key(client) if client else None

        def undo(db: Session) -> None:
            back = self._registration(db, reg_id)
            back.etape, back.canal, back.contact = before

        self._deliver(issued, undo)
        return reg

    def resend_code(self, reg_id: str, client: str = "") -> Registration:
        """⑦ « Renvoyer le code » to the contact detail given at ⑥."""
        reg = self.registration(reg_id)
        return self.send_code(reg_id, reg.canal, reg.contact, client)

    def _check_send_quotas(self, db: Session, canal: str, contact: str, client: str) -> None:
        """At most ``envois_max`` codes to one recipient (all registrations) and ``send_limit_per_client``
        asked from one address (0: no limit), over the window: this also bounds the guesses at the codes
        sent to one recipient (``envois_max`` × ``CODE-TENTATIVES.essais_max`` per window)."""
        quota = self.settings["SEC-ENVOIS-LIMITES"]
        since = utcnow() - timedelta(minutes=quota["fenetre_minutes"])
        recent = select(func.count(ConfirmationCode.id)).where(ConfirmationCode.created_at > since)
        to_recipient = db.scalar(recent.where(ConfirmationCode.destinataire == contact))
        from_client = db.scalar(recent.where(ConfirmationCode.client == self.client_key(client))) if client else 0
        per_client = self.send_limit_per_client
        if to_recipient >= quota["envois_max"] or (per_client and from_client >= per_client):
            field = "email" if canal == "email" else "mobile"
            minutes = quota["fenetre_minutes"]
            raise Refused(429, Refusal("SEC-ENVOIS-LIMITES", field, MSG_TROP_D_ENVOIS.format(minutes=minutes)))

    def _codes(self, db: Session, reg: Registration) -> list[ConfirmationCode]:
        """The registration's codes, newest first."""
        return self._codes_where(db, ConfirmationCode.registration_id == reg.id)

    @staticmethod
    def _codes_where(db: Session, owner) -> list[ConfirmationCode]:
        return list(db.scalars(select(ConfirmationCode).where(owner).order_by(ConfirmationCode.id.desc())))

    def _issue_code(self, db: Session, reg: Registration, canal: str, contact: str) -> IssuedCode:
        """A new code for the registration (the others replaced), kept in the outbox or to be delivered."""
        issued = self._new_code(db, self._codes(db, reg), canal, contact, registration_id=reg.id)
        reg.canal, reg.contact, reg.etape = canal, contact, "code"
        return issued

    def _new_code(self, db: Session, codes: list[ConfirmationCode], canal: str, contact: str, **owner) -> IssuedCode:
        """A new code for its owner (a registration, or an account changing its contact details), after
        the resend delay; the owner's other codes replaced. Kept in the outbox or to be delivered."""
        now = utcnow()
        delay = timedelta(seconds=self.settings["CODE-RENVOI"]["delai_secondes"])
        if codes and now < codes[0].created_at + delay:
            wait = math.ceil((codes[0].created_at + delay - now).total_seconds())
            raise Refused(429, Refusal("CODE-RENVOI", "code", code_rules.MSG_RENVOI.format(secondes=wait)))
        replaced = [old.id for old in codes if old.status == "actif"]
        for old in codes:
            if old.status == "actif":
                old.status = "remplace"
        code = new_code(self.settings["CODE-FORMAT"]["longueur"])
        salt, digest = hash_code(code)
        validity = self.settings["CODE-EXPIRATION"]["validite_minutes"]
        record = ConfirmationCode(
            **owner,
            canal=canal,
            destinataire=contact,
            salt=salt,
            digest=digest,
            created_at=now,
            expires_at=now + timedelta(minutes=validity),
        )
        db.add(record)
        message = code_message(contact, canal, code, validity)
        kept = self.delivery.stage(db, message, code)
        db.flush()
        return IssuedCode(record.id, replaced, None if kept else message)

    def _deliver(self, issued: IssuedCode, undo: Callable[[Session], None]) -> None:
        """Hand over a code's message after its transaction committed; when the service fails, the code
        is deleted, the codes it replaced are active again and ``undo`` puts its owner back: nothing is
        left half-made."""
        if issued.message is None:
            return
        try:
            self.delivery.deliver(issued.message)
        except DeliveryError:
            with self.sessions.begin() as db:
                undo(db)
                db.execute(delete(ConfirmationCode).where(ConfirmationCode.id == issued.code_id))
                if issued.replaced:
                    query = update(ConfirmationCode).where(ConfirmationCode.id.in_(issued.replaced))
                    db.execute(query.values(status="actif"))
            raise Refused(502, Refusal("CODE-ENVOI-IMMEDIAT", "canal", MSG_ENVOI)) from None

    def confirm_code(self, reg_id: str, code: str | None) -> Registration:
        """⑦ « Valider »: the right code, in time, within the attempts, once."""
        code = self._typed_code(code)
        with self.sessions.begin() as db:  # commits the count of wrong attempts even when refused
            reg = self._registration(db, reg_id, "code", "mot_de_passe", "recapitulatif")
            failure = self._check_code(db, reg, code)
            if failure is None:
                reg.etape = "mot_de_passe"
        if failure:
            raise failure
        return reg

    def _typed_code(self, code: str | None) -> str:
        refusals = code_rules.validate_code_format(code, self.settings)
        if refusals:
            raise Refused(422, *refusals)
        return "".join((code or "").split())  # the spaces validate_code_format tolerates

    def _check_code(self, db: Session, reg: Registration, code: str) -> Refused | None:
        return self._judge_code(self._codes(db, reg), code)

    def _judge_code(self, codes: list[ConfirmationCode], code: str) -> Refused | None:
        """None when ``code`` is the newest of ``codes``, active, in time (it is then used); else why not."""
        current = codes[0] if codes else None
        if current is not None and current.status == "epuise":
            return Refused(429, Refusal("CODE-TENTATIVES", "code", code_rules.MSG_EPUISE))
        if current is None or current.status != "actif":
            return Refused(422, Refusal("CODE-USAGE-UNIQUE", "code", code_rules.MSG_UTILISE))
        if utcnow() >= current.expires_at:
            return Refused(422, Refusal("CODE-EXPIRATION", "code", code_rules.MSG_EXPIRE))
        if code_matches(code, current.salt, current.digest):
            current.status = "utilise"
            return None
        if any(code_matches(code, old.salt, old.digest) for old in codes[1:]):
            return Refused(422, Refusal("CODE-USAGE-UNIQUE", "code", code_rules.MSG_UTILISE))
        current.attempts += 1
        left = self.settings["CODE-TENTATIVES"]["essais_max"] - current.attempts
        if left <= 0:
            current.status = "epuise"
            return Refused(429, Refusal("CODE-TENTATIVES", "code", code_rules.MSG_EPUISE))
        return Refused(422, Refusal("CODE-VALIDATION", "code", code_rules.MSG_FAUX.format(restants=left)))

    def choose_password(self, reg_id: str, password: str | None) -> Registration:
        """⑧: the password is checked by the rules, hashed with argon2id, and the account created."""
        # The registration is checked, the password validated and hashed (tens of milliseconds)
        # before the write transaction: a hash made while holding the lock (SQLite's only writer)
        # would stall every other registration in progress.
        with self.sessions.begin() as db:
            self._registration(db, reg_id, "mot_de_passe", lock=False)
        refusals = password_rules.validate_password(password, self.settings)
        if refusals:
            raise Refused(422, *refusals)
        password_hash = self.hasher.hash(_nfc(password))
        with self.sessions.begin() as db:
            reg = self._registration(db, reg_id, "mot_de_passe")  # locked, checked again: still at ⑧
            account = Account(
                identifiant=reg.identifiant,
                nir=reg.nir,
                civilite=reg.civilite,
                nom_naissance=reg.nom_naissance,
                prenoms=reg.prenoms,
                date_naissance=reg.date_naissance,
                lieu_naissance=reg.lieu_naissance,
                type_titre=reg.type_titre,
                numero_masque=reg.numero_masque,
                justificatif_a_fournir=reg.justificatif_a_fournir,
                canal=reg.canal,
                contact=reg.contact,
                password_hash=password_hash,
                foyer_id=reg.foyer_id,
                foyer_role=reg.foyer_role,
            )
            db.add(account)
            reg.etape = "recapitulatif"
            try:
                db.flush()
                for hook in self.account_created_hooks:
                    hook(db, reg, account)
            except IntegrityError:
                raise Refused(409, Refusal("CNX-NIR", "nir", MSG_COMPTE_EXISTANT)) from None
        return reg

    def recap(self, reg_id: str) -> Registration:
        """⑨: the registration once the account exists (callers show it, never a password)."""
        with self.sessions.begin() as db:
            return self._registration(db, reg_id, "recapitulatif")

    # ── login and « Mon espace » ─────────────────────────────────────────
    def login(self, identifiant: str | None, password: str | None, prestation: str | None = None) -> str:
        """A new session id for the right identifier and password; the same refusal otherwise."""
        with self.sessions.begin() as db:
            # The verified account of that identifier, then unverified ones (« sans pièce », which do not
            # block it), oldest first: the first whose password matches.
            query = select(Account).where(Account.identifiant == normalize_identifier(identifiant))
            query = query.order_by(Account.justificatif_a_fournir, Account.id).limit(LOGIN_CANDIDATES)
            account = next((a for a in db.scalars(query) if self._password_matches(a.password_hash, password)), None)
            if account is None:
                if not db.scalar(query.with_only_columns(Account.id)):
                    self._password_matches(self._dummy_hash, password)  # the same work for an unknown identifier
                raise Refused(401, Refusal("CNX-MDP", "identifiant", MSG_IDENTIFIANTS))
            if self.hasher.check_needs_rehash(account.password_hash):
                account.password_hash = self.hasher.hash(_nfc(password))
            return self._open_session(db, account.id, prestation)

    def _password_matches(self, password_hash: str, password: str | None) -> bool:
        try:
            return self.hasher.verify(password_hash, _nfc(password))
        except (VerificationError, InvalidHashError):
            return False

    def open_session(self, account_id: int, prestation: str | None = None) -> str:
        """A new session for an account an identity provider authenticated (FranceConnect)."""
        with self.sessions.begin() as db:
            return self._open_session(db, account_id, prestation)

    @staticmethod
    def _open_session(db: Session, account_id: int, prestation: str | None) -> str:
        """A new session; the expired sessions and registrations go at the same time (nothing else needs
        them: an expired one is refused whether it is still there or not)."""
        now = utcnow()
        db.execute(delete(UserSession).where(UserSession.expires_at <= now))
        gone = select(Registration.id).where(Registration.created_at <= now - REGISTRATION_DURATION)
        db.execute(delete(ConfirmationCode).where(ConfirmationCode.registration_id.in_(gone)))
        db.execute(delete(Registration).where(Registration.id.in_(gone)))
        session_id = new_token()
        db.add(
            UserSession(
                id=session_id,
                account_id=account_id,
                created_at=utcnow(),
                expires_at=utcnow() + SESSION_DURATION,
                prestation=prestation if prestation in PRESTATIONS else None,
            )
        )
        return session_id

    def logout(self, session_id: str | None) -> None:
        if session_id:
            with self.sessions.begin() as db:
                db.execute(delete(UserSession).where(UserSession.id == session_id))

    def current_user(self, session_id: str | None) -> CurrentUser:
        with self.sessions.begin() as db:
            return self._current_user(db, session_id)

    def _current_user(self, db: Session, session_id: str | None, action: Action | None = None) -> CurrentUser:
        session = db.get(UserSession, session_id) if session_id else None
        if session is None or session.expires_at <= utcnow():
            raise Refused(401, Refusal("ACCES-COMPTE-REQUIS", "session", MSG_NON_CONNECTE))
        account = db.get(Account, session.account_id)
        user = CurrentUser(
            account, self._role(db, account.foyer_id, account.foyer_role), session.id, session.prestation
        )
        if action is not None and (refusal := refusal_for(user.role, action)):
            raise Refused(403, refusal)
        return user

    def authorize(self, session_id: str | None, action: Action) -> CurrentUser:
        """The current user, if their role allows the action (401 / 403 otherwise)."""
        with self.sessions.begin() as db:
            return self._current_user(db, session_id, action)

    def request_prestation(self, session_id: str | None, prestation: str | None, theme: str | None = None) -> Demande:
        """« Faire une demande de prestation »: the demande belongs to the foyer (or the account)."""
        with self.sessions.begin() as db:
            user = self._current_user(db, session_id, Action.DEMANDER_PRESTATION)
            if prestation not in PRESTATIONS:
                raise Refused(422, Refusal("ESPACE-DEMANDE", "prestation", MSG_PRESTATION))
            if theme and THEME_OF[prestation].code != theme:
                raise Refused(422, Refusal("ESPACE-DEMANDE", "prestation", MSG_PRESTATION_THEME))
            demande = Demande(
                account_id=user.account.id,
                foyer_id=user.account.foyer_id,
                prestation=prestation,
                statut=STATUT_INITIAL,
                created_at=utcnow(),
            )
            db.add(demande)
            db.execute(update(UserSession).where(UserSession.id == user.session_id).values(prestation=None))
            db.flush()
        return demande

    def demandes(self, session_id: str | None) -> list[Demande]:
        """« Suivre mes démarches »: the foyer's demandes (the account's when it has no foyer)."""
        with self.sessions.begin() as db:
            user = self._current_user(db, session_id, Action.GERER_DOSSIER)
            owner = (
                Demande.foyer_id == user.account.foyer_id
                if user.account.foyer_id
                else Demande.account_id == user.account.id
            )
            return list(db.scalars(select(Demande).where(owner).order_by(Demande.id)))

    def request_contact_change(
        self, session_id: str | None, canal: str | None, valeur: str | None, client: str = ""
    ) -> tuple[str, str]:
        """« Modifier mes coordonnées de contact »: a code is sent to the new e-mail address or mobile; the
        account keeps its contact details until the code comes back (``confirm_contact_change``), as at
        ⑥ and ⑦. The new (channel, normalised value)."""
        refusals = contact_rules.validate_contact(canal, valeur, self.settings)
        with self.sessions.begin() as db:
            user = self._current_user(db, session_id, Action.MODIFIER_COORDONNEES)
            if refusals:
                raise Refused(422, *refusals)
            contact = contact_rules.normalize_contact(canal, valeur, self.settings)
            self._check_send_quotas(db, canal, contact, client)
            codes = self._codes_where(db, ConfirmationCode.account_id == user.account.id)
            issued = self._new_code(db, codes, canal, contact, account_id=user.account.id)
            db.get(ConfirmationCode, issued.code_id).client = self.client_key(client) if client else None
        self._deliver(issued, lambda db: None)
        return canal, contact

    def confirm_contact_change(self, session_id: str | None, code: str | None) -> Account:
        """The code sent to the new contact detail: right, in time, within the attempts: it is the account's now."""
        code = self._typed_code(code)
        with self.sessions.begin() as db:  # commits the count of wrong attempts even when refused
            user = self._current_user(db, session_id, Action.MODIFIER_COORDONNEES)
            codes = self._codes_where(db, ConfirmationCode.account_id == user.account.id)
            failure = self._judge_code(codes, code)
            if failure is None:
                user.account.canal, user.account.contact = codes[0].canal, codes[0].destinataire
        if failure:
            raise failure
        return user.account

    def declare_separation(self, session_id: str | None, date_separation: str | None) -> Separation:
        with self.sessions.begin() as db:
            user = self._current_user(db, session_id, Action.DECLARER_SEPARATION)
            when = parse_date(date_separation)
            if when is None or when > date.today():
                raise Refused(422, Refusal(user.role.rule_id, "date_separation", MSG_DATE_SEPARATION))
            separation = Separation(account_id=user.account.id, date_separation=when, declared_at=utcnow())
            db.add(separation)
        return separation

    def set_procuration(self, session_id: str | None, granted: bool) -> bool:
        """The responsable gives or withdraws the procuration; the conjoint's rights change at once."""
        with self.sessions.begin() as db:
            user = self._current_user(db, session_id)
            if user.role is not Role.RESPONSABLE:
                raise Refused(403, Refusal("ROLE-CONJOINT-PROCURATION", "action", MSG_PROCURATION))
            db.get(Foyer, user.account.foyer_id).procuration = granted
        return granted

    def procuration(self, user: CurrentUser) -> bool | None:
        """Whether the user's foyer has given the procuration (None without a foyer)."""
        with self.sessions.begin() as db:
            foyer = db.get(Foyer, user.account.foyer_id) if user.account.foyer_id else None
            return foyer.procuration if foyer else None

    # ── test mode ─────────────────────────────────────────────────────────
    def add_foyer(self, foyer: registry.FoyerIn) -> str:
        with self.sessions.begin() as db:
            return registry.put_foyer(db, foyer, default_id="T" + secrets.token_hex(6)).id

    def add_person(self, person: registry.PersonIn) -> int:
        with self.sessions.begin() as db:
            return registry.add_person(db, person).id

    def outbox(self, to: str) -> list[OutboxMessage]:
        """The messages kept for one recipient, oldest first."""
        with self.sessions.begin() as db:
            query = select(OutboxMessage).where(OutboxMessage.to == self._recipient(to))
            return list(db.scalars(query.order_by(OutboxMessage.sent_at, OutboxMessage.id)))

    def age_codes(self, to: str, seconds: int) -> int:
        """Move the codes and messages sent to a recipient back in time; the number of codes moved."""
        shift = timedelta(seconds=seconds)
        recipient = self._recipient(to)
        with self.sessions.begin() as db:
            codes = list(db.scalars(select(ConfirmationCode).where(ConfirmationCode.destinataire == recipient)))
            for code in codes:
                code.created_at -= shift
                code.expires_at -= shift
            for message in db.scalars(select(OutboxMessage).where(OutboxMessage.to == recipient)):
                message.sent_at -= shift
        return len(codes)

    def _recipient(self, to: str) -> str:
        """A recipient as the codes store it (an e-mail address, or a mobile in E.164)."""
        channel = contact_rules.Channel.EMAIL if "@" in to else contact_rules.Channel.SMS
        if contact_rules.validate_contact(channel, to, self.settings):
            return to.strip()
        return contact_rules.normalize_contact(channel, to, self.settings)

"""Creating Mon Compte and logging in with FranceConnect, over the core service.

The request in flight (``state``, ``nonce``, intention) is stored in the database
and bound to the browser by the ``franceconnect`` cookie (its value is the
``state``); it is used once. The callback checks the ``state``, exchanges the
code, checks the ID token and the signed userinfo, then:

- creation: the « identité pivot » becomes the état civil (④), the registry person
  with that identity confirms it (⑤) and gives the NIR; the journey goes on at ⑥,
  and the account created at ⑧ is linked to the FranceConnect ``sub``;
- connexion: the account linked to the ``sub`` gets a session (an account created
  without FranceConnect for the same registry person is linked on the way).

Every failure is a ``Refused`` with a French message, and nothing is created.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from moncompte.reference_impl import registry
from moncompte.reference_impl.db import Account, Registration, utcnow
from moncompte.reference_impl.franceconnect.client import OidcClient, ProviderError
from moncompte.reference_impl.franceconnect.models import FcLink, FcRegistration, FcRequest, FcSession
from moncompte.reference_impl.security import new_token
from moncompte.reference_impl.service import Refused, Service
from moncompte.rules import Refusal
from moncompte.rules.etat_civil import CivilStatus
from moncompte.rules.messages import MSG_FC_ANNULE as MSG_ANNULE
from moncompte.rules.messages import MSG_FC_AUCUN_COMPTE as MSG_AUCUN_COMPTE
from moncompte.rules.messages import MSG_FC_IDENTITE_INCONNUE as MSG_IDENTITE_INCONNUE
from moncompte.rules.messages import MSG_FC_STATE as MSG_STATE

INTENTIONS = {"creation": "FC-CREATION", "connexion": "FC-CONNEXION"}
REQUEST_LIFETIME = timedelta(minutes=10)
FRANCE = "99100"
CIVILITES = {"male": "Monsieur", "female": "Madame"}

MSG_INDISPONIBLE = "La connexion avec FranceConnect n'est pas disponible sur ce site."
MSG_INTENTION = "Choisissez « creation » ou « connexion »."
MSG_FOURNISSEUR = (
    "FranceConnect n'a pas pu vous identifier. Aucun compte n'a été créé ni ouvert : réessayez dans quelques instants."
)
MSG_VERIFICATION = (
    "La réponse de FranceConnect n'a pas pu être vérifiée. Aucun compte n'a été créé ni ouvert :"
    " réessayez dans quelques instants."
)
MSG_IDENTITE_INCOMPLETE = "FranceConnect n'a pas transmis toute votre identité. Aucun compte n'a été créé."
MSG_DEJA_LIE = (
    "Un compte Mon Compte est déjà associé à cette identité FranceConnect. Connectez-vous avec FranceConnect."
)
MSG_DECONNEXION = "La déconnexion de FranceConnect n'a pas pu être vérifiée. Vous êtes déconnecté de Mon Compte."


@dataclass(frozen=True)
class Outcome:
    """What the callback did: a registration to go on with (creation) or a session (connexion)."""

    intention: str
    registration: Registration | None = None
    session_id: str | None = None


def civil_status_of(identity: dict) -> CivilStatus | None:
    """The état civil of ④ from the « identité pivot » (None when an item is missing or malformed)."""
    civilite = CIVILITES.get(identity.get("gender", ""))
    country = str(identity.get("birthcountry") or "")
    place = str(identity.get("birthplace") or "") if country == FRANCE else country
    values = [identity.get("family_name"), identity.get("given_name"), identity.get("birthdate")]
    if civilite is None or not place or not all(isinstance(v, str) and v.strip() for v in values):
        return None
    family_name, given_name, birthdate = values
    return CivilStatus(
        nir="",
        civilite=civilite,
        nom_naissance=family_name,
        prenoms=given_name,
        date_naissance=birthdate,
        lieu_naissance=place,
    )


class FranceConnect:
    """The FranceConnect side of the reference implementation (unconfigured: every route answers 404)."""

    def __init__(
        self,
        service: Service,
        client: OidcClient | None = None,
        *,
        redirect_uri: str | None = None,
        post_logout_redirect_uri: str | None = None,
    ):
        self.service = service
        self.client = client
        self.redirect_uri = redirect_uri
        self.post_logout_redirect_uri = post_logout_redirect_uri
        service.account_created_hooks.append(self._link_new_account)

    @property
    def configured(self) -> bool:
        return self.client is not None

    def _refuse_unless_configured(self, intention: str = "connexion") -> None:
        if not self.configured:
            raise Refused(404, Refusal(INTENTIONS.get(intention, "FC-CONNEXION"), "franceconnect", MSG_INDISPONIBLE))

    # ── the authorization request ───────────────────────────────────────
    def start(self, intention: str, prestation: str | None, default_redirect_uri: str) -> tuple[str, str]:
        """(the provider's authorization URL, the state to bind to the browser)."""
        if intention not in INTENTIONS:
            raise Refused(422, Refusal(None, "intention", MSG_INTENTION))
        self._refuse_unless_configured(intention)
        state, nonce = new_token(), new_token()
        redirect_uri = self.redirect_uri or default_redirect_uri
        try:
            url = self.client.authorization_url(redirect_uri, state, nonce)
        except ProviderError:
            raise Refused(502, Refusal(INTENTIONS[intention], "franceconnect", MSG_FOURNISSEUR)) from None
        now = utcnow()
        with self.service.sessions.begin() as db:
            db.execute(delete(FcRequest).where(FcRequest.expires_at < now))
            db.add(
                FcRequest(
                    state=state,
                    nonce=nonce,
                    intention=intention,
                    redirect_uri=redirect_uri,
                    prestation=prestation or None,
                    created_at=now,
                    expires_at=now + REQUEST_LIFETIME,
                )
            )
        return url, state

    # ── the callback ────────────────────────────────────────────────────
    def finish(self, *, state: str | None, code: str | None, error: str | None, bound_state: str | None) -> Outcome:
        """Check the state (the query's, equal to the browser's), then the provider's answer."""
        request, browser_intention = self._take_request(state, bound_state)
        if request is None:
            raise Refused(400, Refusal(INTENTIONS[browser_intention], "state", MSG_STATE))
        rule = INTENTIONS[request.intention]
        self._refuse_unless_configured(request.intention)
        if error == "access_denied":
            raise Refused(401, Refusal(rule, "franceconnect", MSG_ANNULE))
        if error or not code:
            raise Refused(502, Refusal(rule, "franceconnect", MSG_FOURNISSEUR))
        try:
            tokens = self.client.exchange(code, request.redirect_uri, request.nonce)
            identity = self.client.userinfo(tokens.access_token, tokens.claims["sub"])
        except ProviderError:
            raise Refused(502, Refusal(rule, "franceconnect", MSG_VERIFICATION)) from None
        sub = tokens.claims["sub"]
        status = civil_status_of(identity)
        if status is None:
            raise Refused(502, Refusal(rule, "identite", MSG_IDENTITE_INCOMPLETE))
        if request.intention == "creation":
            return Outcome("creation", registration=self._create(sub, status, request.prestation))
        return Outcome("connexion", session_id=self._login(sub, status, tokens.id_token, request.prestation))

    def _take_request(self, state: str | None, bound_state: str | None) -> tuple[FcRequest | None, str]:
        """(the request of that state if the browser holds the same, else None; the browser's intention).

        The query's request and the browser's are both used up, whatever the outcome."""
        with self.service.sessions.begin() as db:
            found = {s: db.get(FcRequest, s) for s in {state, bound_state} if s}
            for request in found.values():
                if request is not None:
                    db.delete(request)
        bound = found.get(bound_state) if bound_state else None
        intention = bound.intention if bound is not None and bound.intention in INTENTIONS else "connexion"
        request = found.get(state) if state else None
        if (
            request is None
            or not bound_state
            or not hmac.compare_digest(state, bound_state)
            or request.intention not in INTENTIONS
            or request.expires_at <= utcnow()
        ):
            return None, intention
        return request, intention

    def _create(self, sub: str, status: CivilStatus, prestation: str | None) -> Registration:
        def record(db: Session, reg: Registration) -> None:
            if db.get(FcLink, sub) is not None:
                raise Refused(409, Refusal("FC-CREATION", "identite", MSG_DEJA_LIE))
            db.add(FcRegistration(registration_id=reg.id, sub=sub))

        reg = self.service.start_verified_registration(status, prestation, record)
        if reg is None:
            raise Refused(422, Refusal("FC-CREATION", "identite", MSG_IDENTITE_INCONNUE))
        return reg

    def _login(self, sub: str, status: CivilStatus, id_token: str, prestation: str | None) -> str:
        with self.service.sessions.begin() as db:
            link = db.get(FcLink, sub)
            account_id = link.account_id if link else self._link_existing_account(db, sub, status)
        if account_id is None:
            raise Refused(404, Refusal("FC-CONNEXION", "identite", MSG_AUCUN_COMPTE))
        session_id = self.service.open_session(account_id, prestation)
        with self.service.sessions.begin() as db:
            db.add(FcSession(session_id=session_id, id_token=id_token, created_at=utcnow()))
        return session_id

    @staticmethod
    def _link_existing_account(db: Session, sub: str, status: CivilStatus) -> int | None:
        """An account created with NIR and password by the registry person of this identity: linked now."""
        clean = status.normalized()
        person = registry.find_by_identity(
            db,
            civilite=clean.civilite,
            nom=clean.nom_naissance,
            prenoms=clean.prenoms,
            born=date.fromisoformat(clean.date_naissance),
            lieu=clean.lieu_naissance,
        )
        if person is None or not person.nir:
            return None
        account = Service.verified_account(db, person.nir)  # never one whose identity nobody checked
        if account is None or db.scalar(select(FcLink).where(FcLink.account_id == account.id)):
            return None
        db.add(FcLink(sub=sub, account_id=account.id, created_at=utcnow()))
        return account.id

    def _link_new_account(self, db: Session, reg: Registration, account: Account) -> None:
        """⑧ for a registration created with FranceConnect: the account is linked to the ``sub``."""
        fc = db.get(FcRegistration, reg.id)
        if fc is None:
            return
        if db.get(FcLink, fc.sub) is not None:
            raise Refused(409, Refusal("FC-CREATION", "identite", MSG_DEJA_LIE))
        db.add(FcLink(sub=fc.sub, account_id=account.id, created_at=utcnow()))

    # ── what the pages show ─────────────────────────────────────────────
    def provided_identity(self, registration_id: str) -> bool:
        """Whether the état civil of that registration was provided by FranceConnect."""
        with self.service.sessions.begin() as db:
            return db.get(FcRegistration, registration_id) is not None

    def linked(self, account_id: int) -> bool:
        with self.service.sessions.begin() as db:
            return db.scalar(select(FcLink.sub).where(FcLink.account_id == account_id)) is not None

    def provided_account_identity(self, account: Account) -> bool:
        """An account linked to FranceConnect whose identity no document confirmed at ⑤: FranceConnect did."""
        return not account.type_titre and not account.justificatif_a_fournir and self.linked(account.id)

    # ── logout ──────────────────────────────────────────────────────────
    def logout_url(self, session_id: str | None, default_post_logout_redirect_uri: str) -> str | None:
        """For a session opened with FranceConnect: the provider's session/end URL (None otherwise)."""
        if not session_id:
            return None
        with self.service.sessions.begin() as db:
            fc_session = db.get(FcSession, session_id)
            if fc_session is None:
                return None
            db.delete(fc_session)
        if not self.configured:
            return None
        state, now = new_token(), utcnow()
        target = self.post_logout_redirect_uri or default_post_logout_redirect_uri
        try:
            url = self.client.logout_url(fc_session.id_token, state, target)
        except ProviderError:
            return None  # logged out of Mon Compte all the same
        with self.service.sessions.begin() as db:
            db.add(
                FcRequest(
                    state=state,
                    nonce="",
                    intention="deconnexion",
                    redirect_uri=target,
                    created_at=now,
                    expires_at=now + REQUEST_LIFETIME,
                )
            )
        return url

    def finish_logout(self, state: str | None) -> bool:
        """The provider sent the browser back: was it our logout request?"""
        if not state:
            return False
        with self.service.sessions.begin() as db:
            request = db.get(FcRequest, state)
            if request is None:
                return False
            db.delete(request)
            return request.intention == "deconnexion" and request.expires_at > utcnow()

"""A FranceConnect stand-in provider, for local and CI use: its own ASGI app.

    moncompte fc-simulator --port 9000 --client-id moncompte-local --client-secret secret-local \\
        --redirect-uri http://127.0.0.1:8000/franceconnect/retour

or, in tests, ``create_simulator(issuer_url, clients, accounts)`` served or mounted
at ``issuer_url``. It behaves like FranceConnect's integration platform:

- ``/.well-known/openid-configuration``, ``/jwks``;
- ``/authorize``: checks the request (unknown client or unregistered redirect_uri:
  an error page, no redirect; missing state, nonce or acr_values=eidas1 and the
  like: ``error=invalid_request`` back to the client), then a French page to pick
  an identity provider and log in with a test account (login + password), or
  « Revenir sur le site » / « Annuler »: ``error=access_denied``;
- ``/token``: ``client_secret_post`` or ``client_secret_basic``; codes single use
  and short-lived; an RS256 ID token;
- ``/userinfo``: the « identité pivot » as a signed JWT (``application/jwt``);
- ``/session/end``: ends the provider session, back to ``post_logout_redirect_uri``.

Test accounts are the persons of the reference identity registry (plus one that
matches no registry person); ``/comptes-de-test`` lists them. All state is in
memory: the simulator is a test tool (the ``sub`` does not depend on it: it is
derived from the client id and the login, so it survives a restart).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Iterable
from urllib.parse import unquote, urlencode

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

DEFAULT_PASSWORD = "123"  # as FranceConnect's demonstration accounts
ACR_SUPPORTED = ["eidas1"]
PIVOT_CLAIMS = ["given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry"]
SCOPE_CLAIMS = {c: [c] for c in PIVOT_CLAIMS + ["preferred_name"]} | {
    "profile": ["given_name", "family_name", "birthdate", "gender", "preferred_name"],
    "birth": ["birthplace", "birthcountry"],
    "identite_pivot": PIVOT_CLAIMS,
}
IDENTITY_PROVIDERS = {  # code -> name shown (the button's accessible name)
    "impots": "impots.gouv.fr",
    "ameli": "ameli.fr",
    "laposte": "L'Identité Numérique La Poste",
    "msa": "MSA",
}
FRANCE = "99100"
INTERACTION_SECONDS = 600
SUB_SALT = "moncompte-fc-simulator"

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


# ── clients and accounts ──────────────────────────────────────────────────────
@dataclass(frozen=True)
class SimClient:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...] = ()
    grant_types: tuple[str, ...] = ("authorization_code",)


@dataclass(frozen=True)
class TestAccount:
    """A FranceConnect test account: its login and password, and its « identité pivot »."""

    login: str
    password: str
    given_name: str
    family_name: str
    birthdate: str
    gender: str
    birthplace: str
    birthcountry: str
    note: str = ""

    def claims(self, names: Iterable[str]) -> dict:
        return {n: getattr(self, n) for n in names if hasattr(self, n)} | (
            {"preferred_name": ""} if "preferred_name" in names else {}
        )


def _ascii(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in plain.lower() if c.isalnum())


def account_from_person(person: dict, login: str | None = None, password: str = DEFAULT_PASSWORD) -> TestAccount:
    """The test account of a registry person (registry format): FranceConnect's formats.

    birthplace: the INSEE commune code, "" when born abroad; birthcountry: 99100 (France) or the
    INSEE country code; gender: male / female from the civilité; login: first given name + "." + birth
    name, in lower-case ASCII letters."""
    place = person["lieu_naissance"].upper()
    abroad = place.startswith("99")
    return TestAccount(
        login=login or f"{_ascii(person['prenoms'].split()[0])}.{_ascii(person['nom_naissance'])}",
        password=password,
        given_name=" ".join(person["prenoms"].split()),
        family_name=" ".join(person["nom_naissance"].split()).upper(),
        birthdate=str(person["date_naissance"]),
        gender="male" if person["civilite"] == "Monsieur" else "female",
        birthplace="" if abroad else place,
        birthcountry=place if abroad else FRANCE,
        note=person.get("cas", ""),
    )


# FranceConnect's own demonstration identity: no registry person has it.
UNKNOWN_ACCOUNT = TestAccount(
    login="angela.dubois",
    password=DEFAULT_PASSWORD,
    given_name="Angela Claire Louise",
    family_name="DUBOIS",
    birthdate="1962-08-24",
    gender="female",
    birthplace="75107",
    birthcountry=FRANCE,
    note="ne correspond à aucune personne du registre",
)


def accounts_from_registry(path: Path | None = None) -> list[TestAccount]:
    """One account per registry person (foyers first), then the account that matches no one."""
    from moncompte.reference_impl.registry import DATA_FILE

    data = json.loads(Path(path or DATA_FILE).read_text(encoding="utf-8"))
    persons = [m for f in data.get("foyers", []) for m in f["membres"]] + data.get("personnes", [])
    return [account_from_person(p) for p in persons] + [UNKNOWN_ACCOUNT]


# ── the provider's state (in memory) ──────────────────────────────────────────
@dataclass
class Interaction:
    client_id: str
    redirect_uri: str
    state: str
    nonce: str
    scopes: list[str]
    acr: str
    expires: float
    provider: str | None = None


@dataclass
class CodeGrant:
    client_id: str
    redirect_uri: str
    nonce: str
    scopes: list[str]
    acr: str
    login: str
    sid: str
    expires: float
    used: bool = False
    access_tokens: list[str] = field(default_factory=list)


@dataclass
class TokenGrant:
    client_id: str
    login: str
    scopes: list[str]
    expires: float


@dataclass
class ProviderState:
    interactions: dict[str, Interaction] = field(default_factory=dict)
    codes: dict[str, CodeGrant] = field(default_factory=dict)
    tokens: dict[str, TokenGrant] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # sid -> login (ended by session/end)
    lock: threading.Lock = field(default_factory=threading.Lock)


def pairwise_sub(client_id: str, login: str) -> str:
    """A sub per client and account, like FranceConnect's (64 hex digits + "v1")."""
    return hashlib.sha256(f"{SUB_SALT}:{client_id}:{login}".encode()).hexdigest() + "v1"


# ── the app ───────────────────────────────────────────────────────────────────
def create_simulator(
    issuer_url: str,
    clients: Iterable[SimClient | dict],
    accounts: Iterable[TestAccount] | None = None,
    *,
    code_seconds: int = 60,
    token_seconds: int = 60,
    key: RSAKey | None = None,
) -> FastAPI:
    """The provider at ``issuer_url`` (its public base URL; the routes are relative to it)."""
    issuer = issuer_url.rstrip("/")
    registered = {c.client_id: c for c in (c if isinstance(c, SimClient) else _client(c) for c in clients)}
    known = {a.login: a for a in (accounts_from_registry() if accounts is None else accounts)}
    signing_key = key or RSAKey.generate_key(
        2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}
    )
    kid = signing_key.kid
    state = ProviderState()

    app = FastAPI(title="FranceConnect — simulateur", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.provider = state
    app.state.accounts = known
    app.state.clients = registered
    app.state.issuer = issuer

    def sign(claims: dict) -> str:
        return jwt.encode({"alg": "RS256", "kid": kid, "typ": "JWT"}, claims, signing_key)

    def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, template, context, status_code=status)

    def error_page(request: Request, error: str, description: str, status: int = 400) -> HTMLResponse:
        return page(request, "sim_erreur.html", status, error=error, description=description)

    def back_to_client(redirect_uri: str, **params) -> RedirectResponse:
        query = urlencode({k: v for k, v in params.items() if v})
        return RedirectResponse(redirect_uri + ("&" if "?" in redirect_uri else "?") + query, status_code=303)

    def oauth_error(error: str, description: str, status: int = 400, headers: dict | None = None) -> JSONResponse:
        return JSONResponse(
            {"error": error, "error_description": description},
            status_code=status,
            headers={"Cache-Control": "no-store", **(headers or {})},
        )

    # discovery and keys
    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict:
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "end_session_endpoint": f"{issuer}/session/end",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "scopes_supported": ["openid", *SCOPE_CLAIMS],
            "claims_supported": ["sub", *PIVOT_CLAIMS, "preferred_name"],
            "acr_values_supported": ACR_SUPPORTED,
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
            "request_parameter_supported": False,
        }

    @app.get("/jwks")
    def jwks() -> dict:
        return {"keys": [signing_key.as_dict(private=False)]}

    # authorize and the provider's pages
    @app.get("/authorize")
    def authorize(request: Request):
        q = request.query_params
        client = registered.get(q.get("client_id", ""))
        if client is None:
            return error_page(request, "invalid_client", "Le fournisseur de service (client_id) est inconnu.")
        redirect_uri = q.get("redirect_uri", "")
        if redirect_uri not in client.redirect_uris:
            return error_page(
                request,
                "invalid_request",
                "L'adresse de retour (redirect_uri) ne correspond pas à celle déclarée par le fournisseur de service.",
            )
        client_state = q.get("state", "")

        def refuse(error: str, description: str) -> RedirectResponse:
            return back_to_client(redirect_uri, error=error, error_description=description, state=client_state)

        if not q.get("response_type"):
            return refuse("invalid_request", "Le paramètre response_type est obligatoire.")
        if q["response_type"] != "code":
            return refuse("unsupported_response_type", "Seul response_type=code est accepté.")
        if "authorization_code" not in client.grant_types:
            return refuse("unauthorized_client", "Ce fournisseur de service n'est pas autorisé à ce flux.")
        scopes = q.get("scope", "").split()
        if "openid" not in scopes:
            return refuse("invalid_scope", "Le scope doit contenir openid.")
        if not client_state:
            return refuse("invalid_request", "Le paramètre state est obligatoire.")
        if not q.get("nonce"):
            return refuse("invalid_request", "Le paramètre nonce est obligatoire.")
        acr = next((a for a in q.get("acr_values", "").split() if a in ACR_SUPPORTED), None)
        if acr is None:
            return refuse("invalid_request", "Le paramètre acr_values est obligatoire (eidas1).")
        interaction_id = secrets.token_urlsafe(16)
        with state.lock:
            state.interactions[interaction_id] = Interaction(
                client.client_id, redirect_uri, client_state, q["nonce"], scopes, acr, time.time() + INTERACTION_SECONDS
            )
        return page(request, "sim_choix.html", interaction=interaction_id, providers=IDENTITY_PROVIDERS)

    def interaction_of(interaction_id: str) -> Interaction | None:
        with state.lock:
            found = state.interactions.get(interaction_id)
        return found if found and found.expires > time.time() else None

    @app.post("/interaction/{interaction_id}/fournisseur")
    def choose_provider(request: Request, interaction_id: str, fournisseur: Annotated[str, Form()] = ""):
        interaction = interaction_of(interaction_id)
        if interaction is None:
            return error_page(request, "session_expired", "Votre session a expiré : retournez sur le site.")
        if fournisseur not in IDENTITY_PROVIDERS:
            return page(
                request,
                "sim_choix.html",
                422,
                interaction=interaction_id,
                providers=IDENTITY_PROVIDERS,
                message="Choisissez un compte pour vous connecter.",
            )
        interaction.provider = fournisseur
        return page(request, "sim_connexion.html", interaction=interaction_id, provider=IDENTITY_PROVIDERS[fournisseur])

    @app.post("/interaction/{interaction_id}/connexion")
    def log_in(
        request: Request, interaction_id: str, login: Annotated[str, Form()] = "", password: Annotated[str, Form()] = ""
    ):
        interaction = interaction_of(interaction_id)
        if interaction is None or interaction.provider is None:
            return error_page(request, "session_expired", "Votre session a expiré : retournez sur le site.")
        account = known.get(login.strip().lower())
        if account is None or not hmac.compare_digest(account.password.encode(), password.encode()):
            return page(
                request,
                "sim_connexion.html",
                401,
                interaction=interaction_id,
                provider=IDENTITY_PROVIDERS[interaction.provider],
                login=login,
                message="Identifiant ou mot de passe incorrect.",
            )
        code, sid = secrets.token_urlsafe(32), secrets.token_urlsafe(16)
        with state.lock:
            state.interactions.pop(interaction_id, None)
            state.codes[code] = CodeGrant(
                interaction.client_id,
                interaction.redirect_uri,
                interaction.nonce,
                interaction.scopes,
                interaction.acr,
                account.login,
                sid,
                time.time() + code_seconds,
            )
            state.sessions[sid] = account.login
        return back_to_client(interaction.redirect_uri, code=code, state=interaction.state)

    @app.post("/interaction/{interaction_id}/annuler")
    def cancel(request: Request, interaction_id: str):
        with state.lock:
            interaction = state.interactions.pop(interaction_id, None)
        if interaction is None:
            return error_page(request, "session_expired", "Votre session a expiré : retournez sur le site.")
        return back_to_client(
            interaction.redirect_uri,
            error="access_denied",
            error_description="L'utilisateur a annulé la connexion.",
            state=interaction.state,
        )

    # token and userinfo
    @app.post("/token")
    async def token(request: Request):
        form = dict((await request.form()).items())
        auth_header = request.headers.get("authorization", "")
        basic = auth_header[:6].lower() == "basic "
        client_id = client_secret = None
        if basic:
            try:
                decoded = base64.b64decode(auth_header[6:].strip(), validate=True).decode()
                client_id, client_secret = (unquote(p.replace("+", " ")) for p in decoded.split(":", 1))
            except (ValueError, UnicodeDecodeError):
                return oauth_error(
                    "invalid_client",
                    "En-tête Authorization illisible.",
                    401,
                    {"WWW-Authenticate": 'Basic realm="FranceConnect"'},
                )
            if "client_secret" in form:
                return oauth_error("invalid_request", "Une seule méthode d'authentification du client à la fois.")
        elif "client_secret" in form:
            client_id, client_secret = form.get("client_id"), form["client_secret"]
        client = registered.get(client_id or "")
        if client is None or not hmac.compare_digest(client.client_secret.encode(), (client_secret or "").encode()):
            return oauth_error(
                "invalid_client",
                "Authentification du client impossible.",
                401,
                {"WWW-Authenticate": 'Basic realm="FranceConnect"'} if basic else None,
            )
        if "client_id" in form and form["client_id"] != client.client_id:
            return oauth_error("invalid_request", "client_id ne correspond pas au client authentifié.")
        grant_type = form.get("grant_type")
        if not grant_type:
            return oauth_error("invalid_request", "Le paramètre grant_type est obligatoire.")
        if grant_type != "authorization_code":
            return oauth_error("unsupported_grant_type", "Seul grant_type=authorization_code est accepté.")
        if "authorization_code" not in client.grant_types:
            return oauth_error("unauthorized_client", "Ce client n'est pas autorisé à ce flux.")
        code = form.get("code")
        if not code:
            return oauth_error("invalid_request", "Le paramètre code est obligatoire.")
        now = time.time()
        with state.lock:
            grant = state.codes.get(code)
            if grant is not None and grant.used:  # a code used twice: what it gave is revoked
                for access_token in grant.access_tokens:
                    state.tokens.pop(access_token, None)
                return oauth_error("invalid_grant", "Ce code a déjà été utilisé.")
            if grant is None or grant.expires <= now or grant.client_id != client.client_id:
                return oauth_error("invalid_grant", "Code inconnu, expiré ou émis pour un autre client.")
            if form.get("redirect_uri") != grant.redirect_uri:
                return oauth_error("invalid_grant", "redirect_uri ne correspond pas à celle de l'autorisation.")
            grant.used = True
            access_token = secrets.token_urlsafe(32)
            grant.access_tokens.append(access_token)
            state.tokens[access_token] = TokenGrant(client.client_id, grant.login, grant.scopes, now + token_seconds)
        id_token = sign(
            {
                "iss": issuer,
                "sub": pairwise_sub(client.client_id, grant.login),
                "aud": client.client_id,
                "iat": int(now),
                "exp": int(now) + token_seconds,
                "nonce": grant.nonce,
                "acr": grant.acr,
                "amr": ["pwd"],
                "sid": grant.sid,
                "auth_time": int(now),
            }
        )
        return JSONResponse(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": token_seconds,
                "id_token": id_token,
                "scope": " ".join(grant.scopes),
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    @app.api_route("/userinfo", methods=["GET", "POST"])
    def userinfo(request: Request):
        auth_header = request.headers.get("authorization", "")
        if auth_header[:7].lower() != "bearer " or not auth_header[7:].strip():
            return Response(status_code=401, headers={"WWW-Authenticate": 'Bearer realm="FranceConnect"'})
        with state.lock:
            grant = state.tokens.get(auth_header[7:].strip())
        if grant is None or grant.expires <= time.time():
            return JSONResponse(
                {"error": "invalid_token", "error_description": "Jeton inconnu ou expiré."},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        account = known[grant.login]
        names = [c for s in grant.scopes for c in SCOPE_CLAIMS.get(s, [])]
        claims = {
            "sub": pairwise_sub(grant.client_id, grant.login),
            **account.claims(names),
            "iss": issuer,
            "aud": grant.client_id,
            "iat": int(time.time()),
        }
        return Response(sign(claims), media_type="application/jwt")

    # logout
    @app.get("/session/end")
    def end_session(request: Request):
        q = request.query_params
        hint, client_state, target = q.get("id_token_hint"), q.get("state"), q.get("post_logout_redirect_uri")
        if not hint or not client_state or not target:
            return error_page(
                request, "invalid_request", "id_token_hint, state et post_logout_redirect_uri sont obligatoires."
            )
        try:
            claims = jwt.decode(hint, signing_key, algorithms=["RS256"]).claims  # an expired one is fine
        except (JoseError, ValueError):
            return error_page(request, "invalid_request", "id_token_hint invalide.")
        client = registered.get(claims.get("aud", ""))
        if client is None or target not in client.post_logout_redirect_uris:
            return error_page(
                request,
                "invalid_request",
                "L'adresse de retour après déconnexion (post_logout_redirect_uri) n'est pas déclarée.",
            )
        with state.lock:
            state.sessions.pop(claims.get("sid", ""), None)
        return back_to_client(target, state=client_state)

    # test helpers (a stand-in only)
    @app.get("/comptes-de-test")
    def test_accounts() -> list[dict]:
        return [asdict(a) for a in known.values()]

    @app.post("/__test__/comptes", status_code=201)
    async def add_test_account(request: Request) -> dict:
        body = await request.json()
        account = account_from_person(body, login=body.get("login"), password=body.get("password", DEFAULT_PASSWORD))
        known[account.login] = account
        return asdict(account)

    return app


def _client(data: dict) -> SimClient:
    return SimClient(
        data["client_id"],
        data["client_secret"],
        tuple(data.get("redirect_uris", ())),
        tuple(data.get("post_logout_redirect_uris", ())),
        tuple(data.get("grant_types", ("authorization_code",))),
    )


# ── ``moncompte fc-simulator`` ────────────────────────────────────────────────
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    parser.add_argument("--port", type=int, default=9000, help="port d'écoute (défaut : 9000)")
    parser.add_argument("--issuer", help="URL publique du fournisseur (défaut : http://HOST:PORT)")
    parser.add_argument("--client-id", default="moncompte-local", help="client déclaré (défaut : moncompte-local)")
    parser.add_argument("--client-secret", default="secret-local", help="son secret (défaut : secret-local)")
    parser.add_argument(
        "--redirect-uri",
        action="append",
        help="redirect_uri déclarée (répétable ; défaut : http://127.0.0.1:8000/franceconnect/retour)",
    )
    parser.add_argument(
        "--post-logout-redirect-uri",
        action="append",
        help="post_logout_redirect_uri déclarée (répétable ; défaut : http://127.0.0.1:8000/franceconnect/deconnexion)",
    )
    parser.add_argument("--registry", type=Path, help="registre d'identités dont dériver les comptes de test")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    client = SimClient(
        args.client_id,
        args.client_secret,
        tuple(args.redirect_uri or ["http://127.0.0.1:8000/franceconnect/retour"]),
        tuple(args.post_logout_redirect_uri or ["http://127.0.0.1:8000/franceconnect/deconnexion"]),
    )
    issuer = args.issuer or f"http://{args.host}:{args.port}"
    app = create_simulator(issuer, [client], accounts_from_registry(args.registry))
    print(f"Simulateur FranceConnect : {issuer}/.well-known/openid-configuration", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, access_log=False)
    return 0

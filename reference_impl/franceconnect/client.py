"""The OpenID Connect client for FranceConnect.

Authlib's OAuth 2.0 core builds the authorization URL and the token request and
authenticates the client (``client_secret_post`` when the discovery document
allows it, else ``client_secret_basic``); httpx carries the requests (Authlib's
own httpx integration is not used: it is moving to another HTTP package);
joserfc, Authlib's JOSE library, checks the signed JWTs. Every answer of the
provider is checked:

- the ID token: signature against the provider's JWKS, ``iss``, ``aud``, ``exp``,
  ``iat``, ``nonce`` (the one stored for this request) and ``acr``;
- the userinfo: a JWT (``application/jwt``) signed with a key of the JWKS, for
  the same ``sub``; unsigned (``alg=none``), HMAC, wrongly signed or plain JSON
  answers are refused.

Any failure is a ``ProviderError``; callers show a French message, never its text.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

SCOPE = "openid given_name family_name birthdate gender birthplace birthcountry"
ACR_VALUES = "eidas1"
ACCEPTED_ACR = {"eidas1", "eidas2", "eidas3"}  # eidas1 asked for; a higher level is fine
# Asymmetric signatures only: "none" and HMAC (keyed with the client secret) are never accepted.
SIGNING_ALGS = ["RS256", "ES256"]
DEFAULT_TIMEOUT = 10.0
LEEWAY_SECONDS = 60


class ProviderError(Exception):
    """The provider could not be reached, refused the request, or its answer failed a check."""


@dataclass(frozen=True)
class Tokens:
    id_token: str  # as received: the logout's id_token_hint
    claims: dict
    access_token: str


class OidcClient:
    """A confidential client of one provider, configured by its discovery URL."""

    def __init__(
        self,
        discovery_url: str,
        client_id: str,
        client_secret: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        self.discovery_url = discovery_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.transport = transport
        self.timeout = timeout
        self._metadata: dict | None = None
        self._keys: KeySet | None = None
        self._lock = threading.Lock()

    # ── provider metadata and keys (fetched lazily, cached) ──────────────
    def _http(self) -> httpx.Client:
        return httpx.Client(transport=self.transport, timeout=self.timeout)

    def _get_json(self, url: str) -> dict:
        try:
            with self._http() as http:
                response = http.get(url, headers={"Accept": "application/json"})
                response.raise_for_status()
                data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ProviderError(f"GET {url}: {exc}") from exc
        if not isinstance(data, dict):
            raise ProviderError(f"GET {url}: not a JSON object")
        return data

    def metadata(self) -> dict:
        with self._lock:
            if self._metadata is None:
                data = self._get_json(self.discovery_url)
                missing = [
                    k
                    for k in ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
                    if not data.get(k)
                ]
                if missing:
                    raise ProviderError(f"discovery document without {', '.join(missing)}")
                self._metadata = data
            return self._metadata

    def key_set(self, refresh: bool = False) -> KeySet:
        metadata = self.metadata()
        with self._lock:
            if self._keys is None or refresh:
                try:
                    self._keys = KeySet.import_key_set(self._get_json(metadata["jwks_uri"]))
                except (JoseError, ValueError, KeyError, TypeError) as exc:
                    raise ProviderError(f"JWKS: {exc}") from exc
            return self._keys

    def _decode(self, token: str | None, what: str) -> dict:
        """The claims of a JWT signed by a key of the provider's JWKS (fetched again once for a new kid)."""
        if not token or not isinstance(token, str):
            raise ProviderError(f"{what}: missing")
        for refresh in (False, True):
            try:
                return dict(jwt.decode(token.strip(), self.key_set(refresh), algorithms=SIGNING_ALGS).claims)
            except InvalidKeyIdError as exc:
                if refresh:
                    raise ProviderError(f"{what}: unknown key") from exc
            except (JoseError, ValueError, TypeError, KeyError) as exc:
                raise ProviderError(f"{what}: {type(exc).__name__} {exc}") from exc
        raise AssertionError("unreachable")

    # ── the authorization code flow ──────────────────────────────────────
    def authorization_url(self, redirect_uri: str, state: str, nonce: str) -> str:
        return prepare_grant_uri(
            self.metadata()["authorization_endpoint"],
            self.client_id,
            "code",
            redirect_uri=redirect_uri,
            scope=SCOPE,
            state=state,
            nonce=nonce,
            acr_values=ACR_VALUES,
        )

    def _token_request(self, code: str, redirect_uri: str) -> dict:
        metadata = self.metadata()
        methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        method = "client_secret_post" if "client_secret_post" in methods else "client_secret_basic"
        body = prepare_token_request("authorization_code", code=code, redirect_uri=redirect_uri)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        url, headers, body = ClientAuth(self.client_id, self.client_secret, method).prepare(
            "POST", metadata["token_endpoint"], headers, body
        )
        try:
            with self._http() as http:
                response = http.post(url, headers=headers, content=body)
            token = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ProviderError(f"token request: {exc}") from exc
        if response.status_code != 200 or not isinstance(token, dict) or "error" in token:
            raise ProviderError(f"token request: status {response.status_code}")
        return token

    def exchange(self, code: str, redirect_uri: str, nonce: str) -> Tokens:
        """The token request, then the ID token's checks."""
        metadata = self.metadata()
        token = self._token_request(code, redirect_uri)
        id_token, access_token = token.get("id_token"), token.get("access_token")
        if not access_token or str(token.get("token_type", "")).lower() != "bearer":
            raise ProviderError("token response without a bearer access token")
        claims = self._decode(id_token, "id_token")
        options = {
            "iss": {"essential": True, "value": metadata["issuer"]},
            "aud": {"essential": True, "value": self.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
        }
        try:
            jwt.JWTClaimsRegistry(leeway=LEEWAY_SECONDS, **options).validate(claims)
        except JoseError as exc:
            raise ProviderError(f"id_token claims: {exc}") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise ProviderError("id_token: several audiences and azp is not this client")
        if "acr" in claims and claims["acr"] not in ACCEPTED_ACR:
            raise ProviderError(f"id_token: acr {claims['acr']!r}")
        return Tokens(id_token=id_token.strip(), claims=claims, access_token=access_token)

    def userinfo(self, access_token: str, sub: str) -> dict:
        """The userinfo of the ID token's ``sub``: a signed JWT, nothing else."""
        metadata = self.metadata()
        try:
            with self._http() as http:
                response = http.get(metadata["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"})
        except httpx.HTTPError as exc:
            raise ProviderError(f"userinfo: {exc}") from exc
        if response.status_code != 200:
            raise ProviderError(f"userinfo: status {response.status_code}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/jwt":
            raise ProviderError(f"userinfo: {content_type or 'no content type'}, not a signed JWT")
        claims = self._decode(response.text, "userinfo")
        options = {
            "sub": {"essential": True, "value": sub},
            "iss": {"value": metadata["issuer"]},
            "aud": {"value": self.client_id},
        }
        try:
            jwt.JWTClaimsRegistry(now=int(time.time()), leeway=LEEWAY_SECONDS, **options).validate(claims)
        except JoseError as exc:
            raise ProviderError(f"userinfo claims: {exc}") from exc
        return claims

    def logout_url(self, id_token: str, state: str, post_logout_redirect_uri: str) -> str:
        """RP-initiated logout at the provider's ``end_session_endpoint`` (FranceConnect's ``session/end``)."""
        endpoint = self.metadata().get("end_session_endpoint")
        if not endpoint:
            raise ProviderError("no end_session_endpoint")
        params = {"id_token_hint": id_token, "state": state, "post_logout_redirect_uri": post_logout_redirect_uri}
        return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)

"""How the harness gets in to the target: a site profile's ``[acces]`` given to every client of it.

A recette site often sits behind HTTP basic authentication and an internal certification
authority. The profile names the environment variables that hold the credentials and the CA's
certificate (``steps.profile.Access``); this module turns them into:

- ``client_options(access, target)``: ``verify=`` (the shared TLS context with the CA, ``steps.tls``)
  and ``auth=`` (basic authentication sent to the target's origin only: never to a FranceConnect
  provider or a mail API the same client might call) for an ``httpx.Client``;
- ``browser_context_options(access, target)``: Playwright's ``http_credentials``, bound to the
  target's origin;
- ``browser_launch_args(access, target)``: Chromium has no option to trust one more authority, so the
  harness checks the site's certificate itself, with the CA, and launches Chromium with
  ``--ignore-certificate-errors-spki-list`` holding that certificate's key (that key only, verified
  first: not ``ignore_https_errors``, which would accept any certificate of any site);
- ``transport_failure`` and ``refusal``: why the target cannot be reached, in French (a certificate
  not recognised, credentials missing or refused: 401).

``access`` is ``profile.acces`` (or ``None``: no authentication, the usual authorities).
"""

from __future__ import annotations

import base64
import hashlib
import socket
import ssl
from collections.abc import Generator
from typing import Any

import httpx

from moncompte.steps.drivers.base import TargetError
from moncompte.steps.tls import ssl_context

CONNECT_TIMEOUT = 10.0  # seconds to fetch the site's certificate for the browser
PROFILE_DOC = "moncompte profile doc, section [acces]"


def origin(url: str | httpx.URL) -> str:
    """``scheme://host[:port]`` (the port only when not the scheme's default), as browsers write it."""
    parsed = httpx.URL(str(url))
    host = f"[{parsed.host}]" if ":" in parsed.host else parsed.host
    return f"{parsed.scheme}://{host}{f':{parsed.port}' if parsed.port else ''}".lower()


def ca_file(access: Any) -> str | None:
    return getattr(access, "certificats_ca", None) or None


def credentials(access: Any) -> tuple[str, str] | None:
    return getattr(access, "credentials", None)


class TargetBasicAuth(httpx.Auth):
    """HTTP basic authentication on the requests to the target's origin, and to no other."""

    def __init__(self, username: str, password: str, target: str):
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._header = f"Basic {token}"
        self.origin = origin(target)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if origin(request.url) == self.origin:
            request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:  # never the credentials
        return f"TargetBasicAuth(origin={self.origin!r})"


def client_options(access: Any, target: str | None) -> dict[str, Any]:
    """``verify`` and ``auth`` for an ``httpx.Client`` that talks to ``target`` (no auth without target)."""
    options: dict[str, Any] = {"verify": ssl_context(ca_file(access))}
    given = credentials(access)
    if given and target:
        options["auth"] = TargetBasicAuth(*given, target)
    return options


def client(access: Any, target: str | None, **kwargs: Any) -> httpx.Client:
    """An ``httpx.Client`` for ``target`` (``kwargs``: ``base_url``, ``timeout``…)."""
    return httpx.Client(**client_options(access, target), **kwargs)


# ── the browser ───────────────────────────────────────────────────────────────


def browser_context_options(access: Any, target: str | None) -> dict[str, Any]:
    """Options of ``browser.new_context``: the credentials, for the target's origin only."""
    given = credentials(access)
    if not given or not target:
        return {}
    username, password = given
    return {
        "http_credentials": {"username": username, "password": password, "origin": origin(target), "send": "always"}
    }


def spki_sha256(certificate_der: bytes) -> str:
    """base64(SHA-256(SubjectPublicKeyInfo)) of a DER certificate: what Chromium's SPKI list holds."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    key = x509.load_der_x509_certificate(certificate_der).public_key()
    spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


def site_certificate(target: str, ca: str, timeout: float = CONNECT_TIMEOUT) -> bytes:
    """The certificate (DER) ``target`` presents, verified with the usual authorities and ``ca``
    (chain and host name). Raises ``TargetError`` in French."""
    parsed = httpx.URL(target)
    host, port = parsed.host, parsed.port or 443
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            ssl_context(ca).wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except ssl.SSLCertVerificationError as exc:
        raise TargetError(
            f"le certificat de {host}:{port} n'est pas reconnu, même avec l'autorité de [acces]"
            f" certificats_ca ({ca}) : {exc.verify_message or exc}"
        ) from None
    except (OSError, ssl.SSLError) as exc:
        raise TargetError(f"impossible de lire le certificat de {host}:{port} ({exc or type(exc).__name__})") from None
    if not der:
        raise TargetError(f"{host}:{port} n'a présenté aucun certificat")
    return der


def browser_launch_args(access: Any, target: str | None) -> list[str]:
    """Chromium's arguments that make it accept the target's certificate signed by the profile's CA:
    the key of that certificate, once checked here with the CA. Nothing without a CA or over http."""
    ca = ca_file(access)
    if not ca or not target or httpx.URL(target).scheme != "https":
        return []
    return [f"--ignore-certificate-errors-spki-list={spki_sha256(site_certificate(target, ca))}"]


# ── why the target cannot be reached ──────────────────────────────────────────


def _certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def transport_failure(exc: BaseException, access: Any = None) -> str:
    """Why a request to the target failed, in French: a certificate not recognised says what to do."""
    certificate = _certificate_error(exc)
    if certificate is None and "CERTIFICATE_VERIFY_FAILED" not in str(exc):
        return str(exc) or type(exc).__name__
    detail = (certificate.verify_message if certificate is not None else "") or str(exc)
    ca = ca_file(access)
    if ca:
        return f"certificat du site non reconnu, même avec l'autorité de [acces] certificats_ca ({ca}) : {detail}"
    return (
        f"certificat du site non reconnu : {detail} ; si la recette a sa propre autorité de certification,"
        f" donnez son certificat dans le profil, [acces] certificats_ca ({PROFILE_DOC})"
    )


def refusal(response: httpx.Response, access: Any = None) -> str | None:
    """Why the target refuses the harness (HTTP basic authentication missing or refused: 401), else ``None``."""
    challenge = response.headers.get("www-authenticate", "")
    if response.status_code != 401 or not challenge.lower().startswith("basic"):
        return None
    if credentials(access):
        return (
            f"la cible refuse l'authentification HTTP du profil (401) : vérifiez les identifiants des variables"
            f" d'environnement {access.variables}"
        )
    return (
        f"la cible demande une authentification HTTP (401) : indiquez-la dans le profil, [acces] utilisateur et"
        f" mot_de_passe ({PROFILE_DOC})"
    )

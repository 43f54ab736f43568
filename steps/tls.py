"""One TLS context per process (and per CA file) for the harness's httpx clients.

``httpx.Client()`` builds a new ``ssl.SSLContext`` each time, which loads the whole
CA bundle (0.1 to 0.2 s on a loaded machine); a scenario opens several clients (driver,
identities, codes). They all share this one instead (same settings as httpx's default).
A site profile may add the certificate of an internal certification authority
(``[acces] certificats_ca``): one context per such file, built once too.
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def ssl_context(ca_file: str | None = None) -> ssl.SSLContext:
    """httpx's default context (certifi's CA bundle, ``SSL_CERT_FILE``/``SSL_CERT_DIR`` honoured), built once;
    with ``ca_file`` (PEM, an absolute path), that authority trusted besides."""
    context = httpx.create_ssl_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context

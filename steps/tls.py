"""One TLS context per process for the harness's httpx clients.

``httpx.Client()`` builds a new ``ssl.SSLContext`` each time, which loads the whole
CA bundle (0.1 to 0.2 s on a loaded machine); a scenario opens several clients (driver,
identities, codes). They all share this one instead (same settings as httpx's default).
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """httpx's default context (certifi's CA bundle, ``SSL_CERT_FILE``/``SSL_CERT_DIR`` honoured), built once."""
    return httpx.create_ssl_context()

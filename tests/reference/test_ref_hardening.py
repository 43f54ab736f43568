"""Web hardening of the reference (reference_impl/hardening.py): CSRF, JSON-only API, security headers,
cookie flags, a new session id at login, login throttling without account enumeration (per identifier;
per client address only a delay), the request body limit, and the test-mode-only extras (Swagger pages,
bounds of the test routes)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from refhelpers import CHEAP_HASHER, PASSWORD, Api, Page, csrf_token, errors

from moncompte.reference_impl import hardening
from moncompte.reference_impl.app import create_app

CSRF_MESSAGE = "le formulaire a expiré ou ne provient pas de ce site"


def count(client: TestClient, table: str) -> int:
    engine = client.app.state.service.sessions.kw["bind"]
    with engine.connect() as db:
        return db.scalar(sa.text(f"SELECT count(*) FROM {table}"))


# ── CSRF ──────────────────────────────────────────────────────────────────────
def test_every_post_form_carries_the_token_of_the_cookie(client):
    token = csrf_token(client, "/creer-un-compte")
    assert client.cookies.get("csrf") == token
    for path in ("/connexion", "/prestations/apl", "/creer-un-compte"):
        page = Page.of(client.get(path).text)
        forms = [e for e in page.find("form") if e.attrs.get("method") == "post"]
        hidden = page.find("input", type="hidden", name="csrf")
        assert forms and len(hidden) == len(forms) and {h.attrs["value"] for h in hidden} == {token}, path


@pytest.mark.parametrize("sent", [None, "", "x" * 43, "faux"])
def test_a_page_post_without_the_right_token_is_refused_and_nothing_is_done(client, sent):
    csrf_token(client)  # the browser has its cookie: only the field is missing or wrong
    data = {"prestation": ""} | ({} if sent is None else {"csrf": sent})
    response = client.post("/creer-un-compte", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert CSRF_MESSAGE in Page.of(response.text).alert
    assert "inscription" not in client.cookies and count(client, "registrations") == 0


def test_a_post_without_the_cookie_is_refused_even_with_a_token(client):
    token = csrf_token(client)
    client.cookies.clear()  # another site's form: the victim's token is not known, the cookie not sent
    response = client.post("/creer-un-compte", data={"csrf": token}, follow_redirects=False)
    assert response.status_code == 403 and count(client, "registrations") == 0


def test_login_logout_and_franceconnect_forms_are_protected_too(api, client):
    person = api.seed_person()
    api.register(person)
    csrf_token(client)
    refused = client.post(
        "/connexion", data={"identifiant": person["nir"], "mot_de_passe": PASSWORD}, follow_redirects=False
    )
    assert refused.status_code == 403 and "session" not in client.cookies
    ok = client.post(
        "/connexion",
        data={"identifiant": person["nir"], "mot_de_passe": PASSWORD, "csrf": csrf_token(client)},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and "session" in client.cookies
    assert client.post("/deconnexion", follow_redirects=False).status_code == 403
    assert client.get("/api/espace").status_code == 200  # still logged in: the forged logout did nothing
    assert client.post("/franceconnect/autorisation", data={"intention": "connexion"}).status_code == 403


def test_the_token_is_accepted_with_the_cookie_it_came_with(client):
    response = client.post(
        "/creer-un-compte", data={"prestation": "", "csrf": csrf_token(client)}, follow_redirects=False
    )
    assert response.status_code == 303 and count(client, "registrations") == 1


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"]
)
def test_the_api_only_takes_json_so_a_cross_site_form_cannot_reach_it(client, content_type):
    response = client.post("/api/inscriptions", content=b'{"prestation": null}', headers={"Content-Type": content_type})
    assert response.status_code == 422
    (error,) = response.json()["erreurs"]
    assert error["regle"] is None and "application/json" in error["message"]
    assert count(client, "registrations") == 0
    assert client.post("/api/inscriptions", json={"prestation": None}).status_code == 201


# ── headers ───────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("path", ["/", "/connexion", "/api/themes", "/page-inconnue", "/api/inconnue"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp


def test_the_inline_style_is_allowed_by_a_nonce_that_changes(client):
    nonces = []
    for _ in range(2):
        response = client.get("/")
        (style,) = Page.of(response.text).find("style")
        nonces.append(style.attrs["nonce"])
        assert f"'nonce-{nonces[-1]}'" in response.headers["content-security-policy"]
    assert nonces[0] != nonces[1]


def test_form_action_allows_the_franceconnect_provider_when_configured():
    app = create_app(
        "sqlite://",
        password_hasher=CHEAP_HASHER,
        registry_file=None,
        fc_discovery_url="https://fc.exemple.fr/api/v2/.well-known/openid-configuration",
        fc_client_id="id",
        fc_client_secret="secret",
    )
    with TestClient(app) as client:
        csp = client.get("/connexion").headers["content-security-policy"]
    assert "form-action 'self' https://fc.exemple.fr" in csp


# ── cookies and session ───────────────────────────────────────────────────────
def _set_cookies(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}


def _flags(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


def test_session_cookie_flags_over_http(api, client):
    person = api.seed_person()
    api.register(person)
    cookies = _set_cookies(api.login(person["nir"]))
    flags = _flags(cookies["session"])
    assert {"httponly", "samesite=lax", "path=/"} <= flags and "secure" not in flags


@pytest.mark.parametrize("trusted, secure", [(("testclient",), True), ((), False)])
def test_session_cookie_is_secure_behind_an_https_proxy_only_if_trusted(trusted, secure):
    app = create_app("sqlite://", test_mode=True, password_hasher=CHEAP_HASHER, trusted_proxies=trusted)
    with TestClient(app) as client:
        api = Api(client)
        person = api.seed_person()
        api.register(person)
        response = client.post(
            "/api/session",
            json={"identifiant": person["nir"], "mot_de_passe": PASSWORD},
            headers={"X-Forwarded-Proto": "https"},
        )
        client.cookies.clear()  # a browser without the csrf cookie yet: the page sets it
        page = client.get("/connexion", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert ("secure" in _flags(_set_cookies(response)["session"])) is secure
    assert ("secure" in _flags(_set_cookies(page)["csrf"])) is secure
    assert {"httponly", "samesite=lax"} <= _flags(_set_cookies(page)["csrf"])


def test_cookies_are_secure_when_the_request_itself_is_https(app):
    with TestClient(app, base_url="https://testserver") as client:
        assert "secure" in _flags(_set_cookies(client.get("/connexion"))["csrf"])


def test_a_new_session_id_at_each_login_and_the_old_one_ends(api, client):
    person = api.seed_person()
    api.register(person)
    first = api.login(person["nir"]).cookies["session"]
    second = api.login(person["nir"]).cookies["session"]
    assert first != second
    client.cookies.set("session", first)
    assert client.get("/api/espace").status_code == 401  # the session of before is gone
    client.cookies.set("session", second)
    assert client.get("/api/espace").status_code == 200


def test_a_session_id_planted_before_login_is_not_kept(api, client):
    person = api.seed_person()
    api.register(person)
    client.cookies.set("session", "planted-by-an-attacker")
    response = client.post(
        "/connexion",
        data={"identifiant": person["nir"], "mot_de_passe": PASSWORD, "csrf": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.cookies["session"] != "planted-by-an-attacker"


# ── login throttling, no enumeration ──────────────────────────────────────────
def test_identical_answers_for_an_unknown_identifier_and_a_wrong_password(api, client):
    person = api.seed_person()
    api.register(person)
    unknown = api.login("1" * 15, "Mauvais1")
    known = api.login(person["nir"], "Mauvais1")
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json()) == (401, known.json())
    pages = [
        client.post("/connexion", data={"identifiant": i, "mot_de_passe": "Mauvais1", "csrf": csrf_token(client)})
        for i in ("1" * 15, person["nir"])
    ]
    assert pages[0].status_code == pages[1].status_code == 401
    assert Page.of(pages[0].text).alert == Page.of(pages[1].text).alert


def test_unknown_identifier_costs_one_password_verification_like_a_known_one(api, client, monkeypatch):
    """The same timing class: one argon2 verification either way (the dummy hash), none when throttled."""
    person = api.seed_person()
    api.register(person)
    calls = []
    service = client.app.state.service

    class Counting:
        def __getattr__(self, name):
            return getattr(CHEAP_HASHER, name)

        def verify(self, digest, password):
            calls.append(digest)
            return CHEAP_HASHER.verify(digest, password)

    monkeypatch.setattr(service, "hasher", Counting())
    api.login("1" * 15, "Mauvais1")
    api.login(person["nir"], "Mauvais1")
    assert len(calls) == 2


def test_login_throttled_per_account_even_with_the_right_password_then_free_again(api, client):
    person = api.seed_person()
    api.register(person)
    for _ in range(5):
        assert api.login(person["nir"], "Mauvais1").status_code == 401
    blocked = api.login(person["nir"])  # the right password, too late
    assert blocked.status_code == 429
    (error,) = blocked.json()["erreurs"]
    assert error["regle"] == "SEC-CONNEXION-LIMITEE" and "réessayez dans 15 minutes" in error["message"]
    assert "session" not in blocked.cookies
    page = client.post(
        "/connexion", data={"identifiant": person["nir"], "mot_de_passe": PASSWORD, "csrf": csrf_token(client)}
    )
    assert page.status_code == 429 and "Trop de tentatives de connexion" in Page.of(page.text).alert
    # The state is in the database: age the failures past the window and the account opens again.
    engine = client.app.state.service.sessions.kw["bind"]
    with engine.begin() as db:
        db.execute(sa.update(hardening.LoginFailure).values(failed_at=hardening.utcnow() - timedelta(minutes=16)))
    assert api.login(person["nir"]).status_code == 200


def test_throttled_the_same_way_for_a_known_and_an_unknown_identifier(api, client):
    person = api.seed_person()
    api.register(person)
    answers = []
    for identifier in (person["nir"], "2" * 15):
        for _ in range(5):
            api.login(identifier, "Mauvais1")
        answer = api.login(identifier, "Mauvais1")
        answers.append((answer.status_code, answer.json()))
    assert answers[0] == answers[1] and answers[0][0] == 429


def test_login_per_client_slows_down_but_never_refuses_a_right_password():
    """Formerly the client's limit refused every login from its address with 429, the right password
    too: a whole NAT was locked out by one attacker behind it. Now the address is only slowed down."""
    app = create_app(
        "sqlite://",
        test_mode=True,
        password_hasher=CHEAP_HASHER,
        login_limits={"per_client": 8},
        trusted_proxies=("testclient",),
    )
    with TestClient(app) as client:
        api = Api(client)
        person = api.seed_person()
        api.register(person)
        attacker = {"X-Forwarded-For": "203.0.113.7"}
        for n in range(8):  # 8 identifiers, 1 failure each: no account reaches its own limit
            assert (
                client.post(
                    "/api/session", json={"identifiant": f"{n}" * 15, "mot_de_passe": "x"}, headers=attacker
                ).status_code
                == 401
            )
        start = time.monotonic()
        same_address = client.post(
            "/api/session", json={"identifiant": person["nir"], "mot_de_passe": PASSWORD}, headers=attacker
        )
        waited = time.monotonic() - start
        # the user behind the same NAT gets in, after a delay (0.5 s from the first failure past the limit)
        assert same_address.status_code == 200 and waited >= app.state.login_throttle.client_delay_step * 0.9
        other_client = client.post(
            "/api/session",
            json={"identifiant": person["nir"], "mot_de_passe": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.2"},
        )
        assert other_client.status_code == 200
        assert app.state.login_throttle.client_delay("198.51.100.2") == 0


def test_the_client_delay_grows_with_each_failure_and_is_capped(app):
    throttle = hardening.LoginThrottle(
        app.state.service.sessions, per_client=2, client_delay_step=0.5, client_delay_max=1.2
    )
    delays = []
    for n in range(6):
        delays.append(throttle.client_delay("203.0.113.7"))
        throttle.failed(f"{n}" * 15, "203.0.113.7")
    assert delays == [0.0, 0.0, 0.5, 1.0, 1.2, 1.2]
    assert throttle.client_delay("198.51.100.2") == 0.0


def test_a_slowed_login_keeps_the_server_free_for_other_requests(api, client, app):
    """The delay is an ``asyncio.sleep``: neither the event loop nor a worker thread waits with it."""
    app.state.login_throttle.per_client, app.state.login_throttle.client_delay_step = 1, 1.0
    person = api.seed_person()
    api.register(person)
    assert api.login("1" * 15, "Mauvais1").status_code == 401  # the client's next logins wait 1 s

    async def login_and_page() -> list[tuple[str, int, float]]:
        transport = httpx.ASGITransport(app=app, client=("testclient", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            start, done = time.monotonic(), []

            async def timed(name, request):
                response = await request
                done.append((name, response.status_code, time.monotonic() - start))

            await asyncio.gather(
                timed(
                    "connexion",
                    http.post("/api/session", json={"identifiant": person["nir"], "mot_de_passe": PASSWORD}),
                ),
                timed("themes", http.get("/api/themes")),
            )
            return done

    done = asyncio.run(login_and_page())
    assert [(name, status) for name, status, _ in done] == [("themes", 200), ("connexion", 200)]
    assert done[0][2] < 0.9 <= done[1][2]


@pytest.mark.parametrize("header", ["X-Forwarded-For", "X-Forwarded-Proto"])
@pytest.mark.parametrize("trusted", [(), ("testclient",)])
def test_forwarded_headers_without_a_trusted_proxy_are_logged_once_in_french(header, trusted, caplog):
    app = create_app("sqlite://", password_hasher=CHEAP_HASHER, registry_file=None, trusted_proxies=trusted)
    with caplog.at_level(logging.WARNING, logger="moncompte.reference_impl"), TestClient(app) as client:
        for _ in range(3):
            client.get("/", headers={header: "https" if header.endswith("Proto") else "203.0.113.7"})
    warnings = [r.getMessage() for r in caplog.records if r.name == "moncompte.reference_impl.hardening"]
    assert warnings == ([] if trusted else [hardening.MSG_MANDATAIRE_NON_DECLARE])
    assert "aucun mandataire inverse n'est déclaré (--trusted-proxy)" in hardening.MSG_MANDATAIRE_NON_DECLARE


def test_identifiers_are_not_stored_in_clear_by_the_throttle(api, client):
    api.login("1" * 15, "Mauvais1")
    engine = client.app.state.service.sessions.kw["bind"]
    with engine.connect() as db:
        keys = db.scalars(sa.text("SELECT key FROM login_failures")).all()
    assert len(keys) == 2 and all("1" * 15 not in key for key in keys)


def test_client_ip_believes_forwarded_headers_only_from_trusted_proxies():
    scope = {
        "client": ("10.0.0.1", 1234),
        "headers": [(b"x-forwarded-for", b"1.2.3.4, 10.0.0.2"), (b"x-forwarded-proto", b"https")],
        "scheme": "http",
    }
    assert hardening.client_ip(scope, ()) == "10.0.0.1" and not hardening.is_https(scope, ())
    assert hardening.client_ip(scope, ("10.0.0.1", "10.0.0.2")) == "1.2.3.4"
    assert hardening.is_https(scope, ("10.0.0.1",))


# ── body size ─────────────────────────────────────────────────────────────────
def asgi_request(app, method: str, path: str, headers: dict[str, str], chunks: list[bytes]):
    """Send one request straight to the ASGI app, its body in ``chunks`` handed over one by one as the
    app asks for them: (status, response headers, response body, how many chunks the app read)."""
    read, sent = 0, []

    async def receive():
        nonlocal read
        if read == len(chunks):
            return {"type": "http.disconnect"}
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")] + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("203.0.113.9", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body.decode(), read


TOO_LARGE = "le contenu envoyé est trop volumineux"
MEGABYTE = b"x" * 1_000_000
BODY_REQUESTS = [  # (path, content type): the API answers in JSON, a page in HTML
    ("/api/chatbot", "application/json"),
    ("/connexion", "application/x-www-form-urlencoded"),
]


def _assert_too_large(path: str, status: int, headers: dict[str, str], body: str) -> None:
    assert status == 413 and headers["connection"] == "close"
    if path.startswith("/api/"):
        assert json.loads(body) == {
            "erreurs": [{"regle": None, "champ": None, "message": hardening.MSG_TROP_VOLUMINEUX}]
        }
    else:
        assert headers["content-type"].startswith("text/html") and TOO_LARGE in Page.of(body).alert


@pytest.mark.parametrize("path, content_type", BODY_REQUESTS)
def test_a_body_announced_too_large_is_refused_before_a_byte_is_read(app, path, content_type):
    headers = {"Content-Type": content_type, "Content-Length": "60000000"}  # 60 MB announced
    status, response_headers, body, read = asgi_request(app, "POST", path, headers, [MEGABYTE] * 60)
    _assert_too_large(path, status, response_headers, body)
    assert read == 0


@pytest.mark.parametrize("path, content_type", BODY_REQUESTS)
def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(app, path, content_type):
    headers = {"Content-Type": content_type, "Transfer-Encoding": "chunked"}  # no length announced
    chunk = b"x" * 16_384
    status, response_headers, body, read = asgi_request(app, "POST", path, headers, [chunk] * 3_840)  # 60 MB
    _assert_too_large(path, status, response_headers, body)
    assert read == hardening.MAX_BODY_BYTES // len(chunk) + 1  # 4 chunks make the limit, the 5th passes it


def test_the_body_limit_is_an_option_and_normal_requests_still_work():
    app = create_app("sqlite://", password_hasher=CHEAP_HASHER, registry_file=None, max_body_bytes=1_000)
    with TestClient(app) as client:
        too_large = client.post("/api/chatbot", json={"question": "x" * 1_000})
        assert too_large.status_code == 413 and errors(too_large) == [(None, hardening.MSG_TROP_VOLUMINEUX)]
        assert client.post("/api/chatbot", json={"question": "Comment créer mon compte ?"}).status_code == 200
        form = client.post(
            "/creer-un-compte", data={"prestation": "", "csrf": csrf_token(client)}, follow_redirects=False
        )
        assert form.status_code == 303 and count(client, "registrations") == 1


# ── the CSRF token follows the session ────────────────────────────────────────
def test_a_csrf_token_from_before_the_login_is_refused_after_it(api, client):
    person = api.seed_person()
    api.register(person)
    before = csrf_token(client)  # known to whoever planted the cookie, or read the page, before the login
    login = client.post(
        "/connexion",
        data={"identifiant": person["nir"], "mot_de_passe": PASSWORD, "csrf": before},
        follow_redirects=False,
    )
    assert login.status_code == 303 and client.cookies["csrf"] != before
    assert client.post("/deconnexion", data={"csrf": before}, follow_redirects=False).status_code == 403
    assert client.get("/api/espace").status_code == 200  # the forged logout did nothing
    after = csrf_token(client, "/espace")
    logout = client.post("/deconnexion", data={"csrf": after}, follow_redirects=False)
    assert logout.status_code == 303 and client.cookies["csrf"] != after  # a new one at logout too


def test_a_csrf_cookie_planted_after_the_login_does_not_make_a_forged_form_pass(api, client):
    """Low finding: the token was the ``csrf`` cookie itself, whatever the session. Whoever can plant that
    cookie in the victim's browser (a sibling subdomain, a page over plain HTTP) knew the field to forge:
    a logout sent with it went through. Now the forms of a session carry an HMAC of the session id keyed
    by the cookie's token: a planted cookie alone no longer gives the field."""
    person = api.seed_person()
    api.register(person)
    login = client.post(
        "/connexion",
        data={"identifiant": person["nir"], "mot_de_passe": PASSWORD, "csrf": csrf_token(client)},
        follow_redirects=False,
    )
    assert login.status_code == 303
    session_token = csrf_token(client, "/espace")
    assert session_token != client.cookies["csrf"]  # bound to the session, not the cookie's value
    assert session_token == hardening.bound_token(client.cookies["csrf"], client.cookies["session"])
    planted = "A" * 43  # the attacker's cookie, of the right form
    client.cookies.delete("csrf")
    client.cookies.set("csrf", planted)
    forged = client.post("/deconnexion", data={"csrf": planted}, follow_redirects=False)
    assert forged.status_code == 403 and CSRF_MESSAGE in Page.of(forged.text).alert
    assert client.get("/api/espace").status_code == 200  # still logged in: the forged logout did nothing
    # The user's own page, read with the same cookies, still works.
    logout = client.post("/deconnexion", data={"csrf": csrf_token(client, "/espace")}, follow_redirects=False)
    assert logout.status_code == 303 and client.get("/api/espace").status_code == 401


# ── HSTS, documentation pages, test routes ────────────────────────────────────
@pytest.mark.parametrize(
    "base_url, forwarded_proto, trusted, hsts",
    [
        ("https://testserver", None, (), True),
        ("http://testserver", "https", ("testclient",), True),
        ("http://testserver", "https", (), False),  # anyone can send X-Forwarded-Proto
        ("http://testserver", None, (), False),
    ],
)
def test_hsts_over_https_only(base_url, forwarded_proto, trusted, hsts):
    app = create_app("sqlite://", password_hasher=CHEAP_HASHER, registry_file=None, trusted_proxies=trusted)
    with TestClient(app, base_url=base_url) as client:
        response = client.get("/", headers={"X-Forwarded-Proto": forwarded_proto} if forwarded_proto else {})
    assert response.headers.get("strict-transport-security") == ("max-age=31536000" if hsts else None)


@pytest.mark.parametrize("test_mode", [False, True])
def test_swagger_pages_from_a_cdn_only_in_test_mode(test_mode):
    app = create_app("sqlite://", test_mode=test_mode, password_hasher=CHEAP_HASHER, registry_file=None)
    with TestClient(app) as client:
        assert client.get("/docs").status_code == client.get("/redoc").status_code == (200 if test_mode else 404)
        assert "/api/session" in client.get("/openapi.json").json()["paths"]  # schemathesis reads it


@pytest.mark.parametrize("secondes", [10**30 * 60, -60])
def test_aging_codes_by_an_absurd_duration_is_refused_not_a_server_error(client, secondes):
    response = client.post("/__test__/vieillir-codes", json={"to": "a@exemple.fr", "secondes": secondes})
    assert response.status_code == 422
    assert [e["champ"] for e in response.json()["erreurs"]] == ["secondes"]

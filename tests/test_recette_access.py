"""A recette site as it is: behind HTTP basic authentication and an internal certification authority.

The profile's ``[acces]`` names the environment variables that hold the credentials (``${VAR}``) and the
CA's certificate; every client of the target gets them (``steps.target_access``). Here a local HTTPS
server on 127.0.0.1, its certificate signed by a throwaway CA (``trustme``), asks for basic
authentication; the harness's clients, the reachability check of ``moncompte check`` and the browser
(Debian's Chromium, as the harness launches it) are pointed at it.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import trustme

from moncompte.steps import target_access
from moncompte.steps.profile import Profile, ProfileError, load
from moncompte.steps.tls import ssl_context

pytest_plugins = ["pytester"]

USER, PASSWORD = "qa-recette", "Mdp-de-recette-7x!"
WRONG = "pas-le-bon-mot-de-passe"
USER_VAR, PASSWORD_VAR = "RECETTE_UTILISATEUR_TEST", "RECETTE_MDP_TEST"
PAGE = b"<!doctype html><html lang='fr'><head><title>Recette Mon Compte</title></head><body>Bienvenue</body></html>"


# ── a recette site: basic authentication, over https (trustme's CA) or http ────


class RecetteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        given = self.headers.get("Authorization")
        self.server.seen.append((self.path, given))  # type: ignore[attr-defined]
        if given != self.expected:
            body = b"authentification requise"
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="recette"')
        else:
            body = PAGE if not self.path.startswith("/__outbox__") else b"introuvable"
            self.send_response(200 if body is PAGE else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class RecetteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None):
        self.tls, self.seen = tls, []
        super().__init__(("127.0.0.1", 0), RecetteHandler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        try:  # the handshake in the request's thread, not in the accepting loop
            request = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            super().finish_request(request, client_address)
        finally:
            request.close()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="CA interne de recette (test)")


def _serve(tls: ssl.SSLContext | None) -> Iterator[RecetteServer]:
    server = RecetteServer(tls)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def https_site(ca: trustme.CA) -> Iterator[RecetteServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    yield from _serve(context)


@pytest.fixture(scope="module")
def http_site() -> Iterator[RecetteServer]:
    yield from _serve(None)


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_VAR, USER)
    monkeypatch.setenv(PASSWORD_VAR, PASSWORD)


def _profile(folder: Path, acces: str, name: str = "recette.toml") -> Path:
    path = folder / name
    path.write_text(f'name = "recette"\nenvironment = "recette"\n\n[acces]\n{acces}', encoding="utf-8")
    return path


ACCES = f'utilisateur = "${{{USER_VAR}}}"\nmot_de_passe = "${{{PASSWORD_VAR}}}"\n'


@pytest.fixture
def recette(tmp_path: Path, ca: trustme.CA, credentials: None) -> Profile:
    """A profile with the credentials' variables and the CA (a file next to it)."""
    (tmp_path / "certificats").mkdir()
    ca.cert_pem.write_to_path(str(tmp_path / "certificats" / "ca-recette.pem"))
    return load(_profile(tmp_path, ACCES + 'certificats_ca = "certificats/ca-recette.pem"\n'))


# ── the profile: ${VAR} resolved, never shown ─────────────────────────────────


def test_the_credentials_come_from_the_variables_named_in_the_profile(recette: Profile, tmp_path: Path):
    assert recette.acces.credentials == (USER, PASSWORD)
    assert recette.acces.variables == f"{USER_VAR}, {PASSWORD_VAR}"
    # the CA's file is read relative to the profile's folder, like the other files of a profile
    assert recette.acces.certificats_ca == str((tmp_path / "certificats" / "ca-recette.pem").resolve())


def test_the_values_never_appear_in_the_profiles_repr_nor_its_dumps(recette: Profile):
    shown = [
        repr(recette),
        str(recette),
        repr(recette.acces),
        recette.model_dump_json(),
        json.dumps(recette.model_dump(mode="json")),
        str(recette.model_dump()),
        repr(target_access.client_options(recette.acces, "https://recette.exemple.fr")),
    ]
    for text in shown:
        assert PASSWORD not in text and USER not in text
        assert base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode() not in text
    # what the dumps say instead: where the value comes from
    assert recette.model_dump(mode="json")["acces"]["mot_de_passe"] == f"${{{PASSWORD_VAR}}}"
    assert f"${{{USER_VAR}}}" in repr(recette.acces)


def test_a_variable_not_set_is_named_with_its_key_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(USER_VAR, USER)
    monkeypatch.delenv(PASSWORD_VAR, raising=False)
    with pytest.raises(ProfileError) as refused:
        load(_profile(tmp_path, ACCES))
    assert f"la variable d'environnement {PASSWORD_VAR} (acces.mot_de_passe) n'est pas définie" in str(refused.value)


def test_an_empty_variable_is_refused_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(USER_VAR, "")
    monkeypatch.setenv(PASSWORD_VAR, PASSWORD)
    with pytest.raises(ProfileError, match=f"la variable d'environnement {USER_VAR} \\(acces.utilisateur\\) est vide"):
        load(_profile(tmp_path, ACCES))


def test_a_password_written_in_the_profile_is_refused_without_being_repeated(tmp_path: Path, credentials: None):
    with pytest.raises(ProfileError) as refused:
        load(_profile(tmp_path, f'utilisateur = "${{{USER_VAR}}}"\nmot_de_passe = "{PASSWORD}"\n'))
    message = str(refused.value)
    assert "acces.mot_de_passe : écrivez le nom de la variable d'environnement" in message
    assert PASSWORD not in message


def test_user_and_password_go_together(tmp_path: Path, credentials: None):
    with pytest.raises(ProfileError, match="acces : indiquez utilisateur et mot_de_passe ensemble"):
        load(_profile(tmp_path, f'utilisateur = "${{{USER_VAR}}}"\n'))


def test_a_ca_file_that_is_missing_or_not_a_certificate_is_refused(tmp_path: Path):
    with pytest.raises(ProfileError, match="acces.certificats_ca : fichier introuvable : .*absent.pem"):
        load(_profile(tmp_path, 'certificats_ca = "absent.pem"\n'))
    (tmp_path / "pas-un-certificat.pem").write_text("bonjour\n", encoding="utf-8")
    with pytest.raises(
        ProfileError, match="acces.certificats_ca : .*pas-un-certificat.pem n'est pas un certificat PEM"
    ):
        load(_profile(tmp_path, 'certificats_ca = "pas-un-certificat.pem"\n'))


def test_a_code_command_keeps_its_variable_for_the_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A secret in ``[codes] command`` stays ``${VAR}`` in the profile and in what the harness shows; the
    shell reads it when the command runs; a variable not set is said when the profile is read."""
    from moncompte.steps.catchers import CommandSource

    written = "printf 'code 123456 pour {recipient} (%s)' \"${JETON_SMS_TEST}\""
    path = tmp_path / "codes.toml"
    path.write_text(f"name = \"x\"\n[codes]\nsource = \"command\"\ncommand = '''{written}'''\n", encoding="utf-8")
    monkeypatch.delenv("JETON_SMS_TEST", raising=False)
    with pytest.raises(ProfileError, match=r"la variable d'environnement JETON_SMS_TEST \(codes.command\) n'est pas"):
        load(path)
    monkeypatch.setenv("JETON_SMS_TEST", "jeton-secret-42")
    profile = load(path)
    assert profile.codes.command == written
    assert "jeton-secret-42" not in profile.model_dump_json()
    body = CommandSource(profile.codes.command).messages("lea@exemple.fr")[0].body
    assert body == "code 123456 pour lea@exemple.fr (jeton-secret-42)"


def test_the_profile_schema_asks_for_a_variable_reference(recette: Profile):
    from moncompte.harness.schemas import schema

    password = schema("profile")["$defs"]["Access"]["properties"]["mot_de_passe"]["anyOf"][0]
    assert password["pattern"] == r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$"


# ── the httpx clients ─────────────────────────────────────────────────────────


def test_one_tls_context_per_ca_file(recette: Profile):
    ca = recette.acces.certificats_ca
    assert ssl_context(ca) is ssl_context(ca)
    assert ssl_context(ca) is not ssl_context()
    assert target_access.client_options(recette.acces, "https://x")["verify"] is ssl_context(ca)


def test_the_client_with_the_ca_and_the_credentials_gets_in(recette: Profile, https_site: RecetteServer):
    with target_access.client(recette.acces, https_site.url, timeout=5) as client:
        response = client.get(https_site.url + "/")
    assert response.status_code == 200
    assert b"Recette Mon Compte" in response.content


def test_every_client_of_the_target_carries_the_access(recette: Profile, https_site: RecetteServer):
    """The API driver, the test-routes probe, the reference outbox and identities: each reaches the site."""
    from moncompte.steps.codes import OutboxCodeSource
    from moncompte.steps.drivers.api import ApiDriver
    from moncompte.steps.drivers.base import NotApplicable
    from moncompte.steps.identities import ReferenceIdentities, has_test_routes

    driver = ApiDriver(https_site.url, access=recette.acces)
    try:
        assert driver.client.get("/").status_code == 200
    finally:
        driver.close()
    https_site.seen.clear()
    assert has_test_routes(https_site.url, access=recette.acces) is False  # answered 404, authenticated
    outbox = OutboxCodeSource(https_site.url, access=recette.acces)
    try:
        with pytest.raises(NotApplicable, match="n'expose pas de boîte d'envoi"):  # 404 again, not 401
            outbox.messages("lea@exemple.fr")
    finally:
        outbox.close()
    identities = ReferenceIdentities(https_site.url, access=recette.acces)
    assert identities.client.get("/").status_code == 200
    identities.close()
    assert https_site.seen and all(given == RecetteHandler.expected for _, given in https_site.seen)


def test_the_credentials_go_to_the_targets_origin_only(recette: Profile):
    seen: dict[str, str | None] = {}

    def answer(request: httpx.Request) -> httpx.Response:
        seen[str(request.url)] = request.headers.get("Authorization")
        return httpx.Response(200)

    options = target_access.client_options(recette.acces, "https://recette.exemple.fr/compte")
    options.pop("verify")
    with httpx.Client(transport=httpx.MockTransport(answer), **options) as client:
        client.get("https://recette.exemple.fr/autre/page")
        client.get("https://fournisseur.exemple.fr/authorize")  # a FranceConnect provider, a mail API…
        client.get("http://recette.exemple.fr/")  # same host, another scheme: another origin
    assert seen == {
        "https://recette.exemple.fr/autre/page": RecetteHandler.expected,
        "https://fournisseur.exemple.fr/authorize": None,
        "http://recette.exemple.fr/": None,
    }


def test_without_the_ca_the_certificate_is_not_recognised_and_said_in_french(
    tmp_path: Path, credentials: None, https_site: RecetteServer
):
    from moncompte.harness.targets import unreachable

    without_ca = load(_profile(tmp_path, ACCES)).acces
    with (
        target_access.client(without_ca, https_site.url, timeout=5) as client,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):  # an unknown authority
        client.get(https_site.url)
    reason = unreachable(https_site.url, 5, without_ca)
    assert reason is not None and reason.startswith("certificat du site non reconnu")
    assert "[acces] certificats_ca" in reason


def test_a_ca_that_does_not_sign_the_site_is_said(tmp_path: Path, credentials: None, https_site: RecetteServer):
    from moncompte.harness.targets import unreachable
    from moncompte.steps.drivers.base import TargetError

    trustme.CA().cert_pem.write_to_path(str(tmp_path / "autre-ca.pem"))
    other = load(_profile(tmp_path, ACCES + 'certificats_ca = "autre-ca.pem"\n')).acces
    reason = unreachable(https_site.url, 5, other)
    assert reason is not None and "même avec l'autorité de [acces] certificats_ca" in reason
    with pytest.raises(TargetError, match="n'est pas reconnu, même avec l'autorité de \\[acces\\] certificats_ca"):
        target_access.browser_launch_args(other, https_site.url)


def test_wrong_or_missing_credentials_are_detected(
    recette: Profile, https_site: RecetteServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    from moncompte.harness.targets import unreachable

    assert unreachable(https_site.url, 5, recette.acces) is None
    monkeypatch.setenv(PASSWORD_VAR, WRONG)
    wrong = load(tmp_path / "recette.toml").acces
    with target_access.client(wrong, https_site.url, timeout=5) as client:
        assert client.get(https_site.url).status_code == 401
    reason = unreachable(https_site.url, 5, wrong)
    assert reason is not None and "la cible refuse l'authentification HTTP du profil (401)" in reason
    assert f"{USER_VAR}, {PASSWORD_VAR}" in reason and WRONG not in reason
    anonymous = SimpleNamespace(certificats_ca=recette.acces.certificats_ca, credentials=None)
    assert "la cible demande une authentification HTTP (401)" in unreachable(https_site.url, 5, anonymous)


def test_moncompte_check_gets_past_the_reachability_check(recette: Profile, https_site: RecetteServer, tmp_path: Path):
    from moncompte.harness.targets import CheckError, target

    with target(https_site.url, access=recette.acces) as (url, provider):
        assert (url, provider) == (https_site.url, None)
    with (
        pytest.raises(CheckError, match="injoignable \\(certificat du site non reconnu"),
        target(https_site.url, access=None),
    ):
        pass


def test_moncompte_check_runs_the_suite_on_the_https_site_behind_basic_authentication(
    recette: Profile, https_site: RecetteServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """The whole command: past the reachability check, the suite's clients (in its pytest subprocess) get
    in with the credentials and the CA; the site is no Mon Compte, so what the run concludes is not the
    point. The credentials are in no report nor log."""
    from moncompte.harness.cli import main

    https_site.seen.clear()
    report = tmp_path / "rapports"
    code = main(
        [
            "check",
            "--profile",
            str(tmp_path / "recette.toml"),
            "--target",
            https_site.url,
            "--driver",
            "api",
            "--rule",
            "SEC-EN-TETES",
            "--report",
            str(report),
        ]
    )
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert f"Cible : {https_site.url}" in out and "injoignable" not in out + err
    assert "En-têtes absents" in out  # the scenario did read the site's home page
    assert len(https_site.seen) > 2  # the reachability check, then the suite's own requests
    assert {given for _, given in https_site.seen} == {RecetteHandler.expected}
    written = b"".join(path.read_bytes() for path in report.rglob("*") if path.is_file())
    assert (report / "conformance.json").exists() and (report / "api" / "pytest.log").exists()
    assert PASSWORD.encode() not in written
    assert RecetteHandler.expected.split()[1].encode() not in written


def test_moncompte_check_says_a_missing_variable_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    from moncompte.harness.cli import main

    monkeypatch.delenv(USER_VAR, raising=False)
    monkeypatch.setenv(PASSWORD_VAR, PASSWORD)
    code = main(
        ["check", "--profile", str(_profile(tmp_path, ACCES)), "--target", "https://127.0.0.1:9", "--driver", "api"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"la variable d'environnement {USER_VAR} (acces.utilisateur) n'est pas définie" in err
    assert PASSWORD not in err


# ── profile init ──────────────────────────────────────────────────────────────


def test_profile_init_writes_the_access_it_was_given(
    tmp_path: Path, ca: trustme.CA, credentials: None, monkeypatch: pytest.MonkeyPatch
):
    from moncompte.harness.profile_cli import init_access, render

    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.chdir(tmp_path)
    args = SimpleNamespace(user_variable=USER_VAR, password_variable=PASSWORD_VAR, ca_file="ca.pem")
    (tmp_path / "profils").mkdir()
    output = tmp_path / "profils" / "recette.toml"
    text = render("https://recette.exemple.fr", str(output), access=init_access(args))
    assert f'mot_de_passe = "${{{PASSWORD_VAR}}}"' in text and PASSWORD not in text
    assert 'certificats_ca = "../ca.pem"' in text  # relative to the profile written
    output.write_text(text, encoding="utf-8")
    loaded = load(output).acces
    assert loaded.credentials == (USER, PASSWORD)
    assert loaded.certificats_ca == str((tmp_path / "ca.pem").resolve())
    # no access given: a commented example, and the profile reads without [acces] values
    assert load_text(tmp_path, render("https://recette.exemple.fr")).acces.credentials is None


def load_text(folder: Path, text: str) -> Profile:
    path = folder / "sans-acces.toml"
    path.write_text(text, encoding="utf-8")
    return load(path)


# ── the browser ───────────────────────────────────────────────────────────────


@pytest.fixture
def playwright() -> Iterator[Any]:
    """Playwright for one test (the preflight test starts its own: the sync API does not nest)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


def _title(browser: Any, url: str, access: Any, target: str | None, trace: Path | None = None) -> tuple[int, str]:
    from moncompte.steps.drivers.browser_pytest import new_context

    context = new_context(browser, trace=trace is not None, access=access, target=target)
    try:
        response = context.new_page().goto(url)
        return response.status, context.pages[0].title()
    finally:
        if trace is not None:
            context.tracing.stop(path=str(trace))
        context.close()


def _refused(browser: Any, url: str, access: Any, target: str | None) -> bool:
    """The page is refused for want of credentials: 401, or Chromium's own error on a challenge it cannot answer."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        return _title(browser, url, access, target)[0] == 401
    except PlaywrightError as exc:
        return "ERR_INVALID_AUTH_CREDENTIALS" in str(exc)


def test_the_browser_context_carries_the_credentials(
    recette: Profile, http_site: RecetteServer, playwright: Any, tmp_path: Path
):
    from moncompte.steps.drivers.browser_pytest import launch_browser

    browser = launch_browser(playwright)
    try:
        http_site.seen.clear()
        assert _title(browser, http_site.url, recette.acces, http_site.url) == (200, "Recette Mon Compte")
        assert RecetteHandler.expected in {given for _, given in http_site.seen}
        # without them, or bound to another origin (the target's only: another site does not get them),
        # the site's challenge goes unanswered
        for access, target in ((None, None), (recette.acces, "http://ailleurs.exemple.fr")):
            http_site.seen.clear()
            assert _refused(browser, http_site.url, access, target)
            # (Chromium fetches /favicon.ico on its own, late: it may belong to the previous page)
            pages = [given for path, given in http_site.seen if path != "/favicon.ico"]
            assert pages and set(pages) == {None}
        # a Playwright trace (kept for a failed scenario, in the report folder) holds neither of them
        trace = tmp_path / "trace.zip"
        _title(browser, http_site.url, recette.acces, http_site.url, trace=trace)
        with zipfile.ZipFile(trace) as archive:
            recorded = b"".join(archive.read(name) for name in archive.namelist())
        assert b"Recette Mon Compte" in recorded  # the trace did record the page
        assert PASSWORD.encode() not in recorded
        assert base64.b64encode(f"{USER}:{PASSWORD}".encode()) not in recorded
    finally:
        browser.close()


def test_chromium_accepts_the_sites_certificate_signed_by_the_profiles_ca(
    recette: Profile, https_site: RecetteServer, playwright: Any
):
    from playwright.sync_api import Error as PlaywrightError

    from moncompte.steps.drivers.browser_pytest import launch_browser

    args = target_access.browser_launch_args(recette.acces, https_site.url)
    assert len(args) == 1 and args[0].startswith("--ignore-certificate-errors-spki-list=")
    assert target_access.browser_launch_args(recette.acces, "http://127.0.0.1:9") == []  # nothing to pin over http
    pinned = launch_browser(playwright, extra_args=args)
    try:
        assert _title(pinned, https_site.url, recette.acces, https_site.url) == (200, "Recette Mon Compte")
    finally:
        pinned.close()
    plain = launch_browser(playwright)  # without the pin, Chromium refuses the internal authority
    try:
        with pytest.raises(PlaywrightError, match="ERR_CERT_AUTHORITY_INVALID"):
            _title(plain, https_site.url, recette.acces, https_site.url)
    finally:
        plain.close()


def test_the_preflight_walk_gets_in(recette: Profile, https_site: RecetteServer, monkeypatch: pytest.MonkeyPatch):
    """``moncompte profile check`` / the preflight of ``moncompte check``: its own Chromium and context get
    the site's home page (its title), past the certificate and the authentication."""
    from moncompte.harness import preflight

    monkeypatch.setattr(preflight, "ELEMENT_TIMEOUT", 0.2)  # no element of the journey is there: fail fast
    https_site.seen.clear()
    walk = preflight.run(recette, https_site.url)
    assert walk.title == "Recette Mon Compte"
    assert RecetteHandler.expected in {given for _, given in https_site.seen}  # Chromium answers the challenge


def test_the_suites_browser_fixtures_get_in_with_the_profiles_access(
    recette: Profile, https_site: RecetteServer, pytester: pytest.Pytester, tmp_path: Path
):
    """As the suite runs: the worker's Chromium launched with the site's key (read from --profile and
    --target), each scenario's context with the credentials."""
    pytester.makeconftest(
        """
        import pytest

        from moncompte.steps.profile import load

        pytest_plugins = ["moncompte.steps.drivers.browser_pytest"]

        def pytest_addoption(parser):
            parser.addoption("--report-dir", default="reports")
            parser.addoption("--browser-trace", default="non")
            parser.addoption("--profile")
            parser.addoption("--target")

        @pytest.fixture(scope="session")
        def profile(pytestconfig):
            return load(pytestconfig.getoption("--profile"))

        @pytest.fixture(scope="session")
        def target_url(pytestconfig):
            return pytestconfig.getoption("--target")

        @pytest.fixture
        def is_reference():
            return False
        """
    )
    pytester.makepyfile(
        test_recette="""
        def test_the_home_page(browser_driver, target_url):
            response = browser_driver.page.goto(target_url)
            assert response.status == 200
            assert browser_driver.page.title() == "Recette Mon Compte"
        """
    )
    result = pytester.runpytest_subprocess(
        f"--profile={tmp_path / 'recette.toml'}",
        f"--target={https_site.url}",
        f"--report-dir={pytester.path / 'rapport'}",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=1)

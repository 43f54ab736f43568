"""FranceConnect: the reference implementation's OIDC client and journey, against the stand-in provider.

Both apps are served by uvicorn on 127.0.0.1 (free ports) for the full flows, as a
browser and the API driver would meet them; the provider is also mounted
in-process (TestClient) for its OIDC errors, and the reference is built with a
tampering transport to prove the client refuses forged answers.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import socket
import threading
import time
from datetime import date
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from refhelpers import CHEAP_HASHER, PASSWORD, Page, make_person, years_ago
from sqlalchemy import func, select

from moncompte.reference_impl import registry
from moncompte.reference_impl.app import create_app
from moncompte.reference_impl.db import Account, Registration
from moncompte.reference_impl.franceconnect.models import FcLink, FcRegistration
from moncompte.reference_impl.franceconnect.simulator import (
    UNKNOWN_ACCOUNT,
    SimClient,
    account_from_person,
    accounts_from_registry,
    create_simulator,
    pairwise_sub,
)

CLIENT_ID, CLIENT_SECRET = "moncompte-test", "secret-de-test"
FC_BUTTON = "S'identifier avec FranceConnect"
SIM_KEY = RSAKey.generate_key(2048, parameters={"kid": "cle-simulateur", "use": "sig", "alg": "RS256"})
_numbers = itertools.count(1)


# ── servers ───────────────────────────────────────────────────────────────────
def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class Served:
    """An ASGI app served by uvicorn in a thread, on a socket bound beforehand."""

    def __init__(self, app, sock: socket.socket):
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class Env:
    def __init__(self):
        sim_sock, ref_sock = _free_socket(), _free_socket()
        self.sim_url = f"http://127.0.0.1:{sim_sock.getsockname()[1]}"
        self.ref_url = f"http://127.0.0.1:{ref_sock.getsockname()[1]}"
        bases = [self.ref_url, "http://testserver"]
        client = SimClient(
            CLIENT_ID,
            CLIENT_SECRET,
            tuple(f"{b}/franceconnect/retour" for b in bases),
            tuple(f"{b}/franceconnect/deconnexion" for b in bases),
        )
        self.sim_app = create_simulator(self.sim_url, [client], key=SIM_KEY)
        self.ref_app = reference_app(self.sim_url)
        self.servers = [Served(self.sim_app, sim_sock), Served(self.ref_app, ref_sock)]

    def count(self, model) -> int:
        with self.ref_app.state.service.sessions.begin() as db:
            return db.scalar(select(func.count()).select_from(model))

    def counts(self) -> tuple[int, ...]:
        return tuple(self.count(m) for m in (Registration, Account, FcLink, FcRegistration))

    def new_identity(self, **changes) -> tuple[dict, str]:
        """A registry person (seeded in the reference) and their FranceConnect test account (login)."""
        n = next(_numbers)
        person = make_person(
            **{"nom": "DURAND" + "".join(chr(65 + int(d)) for d in f"{n:03d}"), "born": date(1980, 1, 1 + n % 28)}
            | changes
        )
        assert httpx.post(f"{self.ref_url}/__test__/personnes", json=person).status_code == 201
        login = f"test.{n}"
        response = httpx.post(f"{self.sim_url}/__test__/comptes", json=person | {"login": login})
        assert response.status_code == 201
        return person, login


def reference_app(sim_url: str, transport: httpx.BaseTransport | None = None):
    return create_app(
        "sqlite://",
        test_mode=True,
        password_hasher=CHEAP_HASHER,
        fc_discovery_url=f"{sim_url}/.well-known/openid-configuration",
        fc_client_id=CLIENT_ID,
        fc_client_secret=CLIENT_SECRET,
        fc_transport=transport,
    )


@pytest.fixture(scope="module")
def env():
    environment = Env()
    yield environment
    for server in environment.servers:
        server.stop()


# ── a browser (httpx following redirects) ─────────────────────────────────────
def form_action(html: str, button: str) -> tuple[str, dict]:
    """The action and hidden fields of the form holding the button named ``button``."""
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        names = [" ".join(re.sub(r"<[^>]+>", "", b).split()) for b in re.findall(r"<button\b.*?</button>", form, re.S)]
        if button in names:
            action = re.search(r'action="([^"]*)"', form).group(1)
            hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
            button_tag = re.findall(r"<button\b[^>]*>", form)[names.index(button)]
            if m := re.search(r'name="([^"]+)" value="([^"]*)"', button_tag):
                hidden[m.group(1)] = m.group(2)
            return action, hidden
    raise AssertionError(f"no button « {button} »")


def click(browser: httpx.Client, page: httpx.Response, button: str, **fields) -> httpx.Response:
    action, hidden = form_action(page.text, button)
    return browser.post(str(page.url.join(action)), data=hidden | fields)


def fc_login(
    browser: httpx.Client,
    authorize_page: httpx.Response,
    login: str,
    password: str = "123",
    provider: str = "impots.gouv.fr",
) -> httpx.Response:
    assert "Je choisis un compte pour me connecter" in authorize_page.text
    login_page = click(browser, authorize_page, provider)
    assert login_page.status_code == 200 and f"Connexion avec {provider}" in login_page.text
    return click(browser, login_page, "Se connecter", login=login, password=password)


def outbox_code(env: Env, to: str) -> str:
    messages = httpx.get(f"{env.ref_url}/__outbox__", params={"to": to}).json()
    return re.search(r"\b\d{6}\b", messages[-1]["body"]).group()


def finish_journey_pages(env: Env, browser: httpx.Client, page: httpx.Response, email: str) -> httpx.Response:
    """⑥ ⑦ ⑧ through the pages; returns ⑨."""
    assert page.url.path == "/inscription/coordonnees"
    page = click(browser, page, "Envoyer le code", email=email)
    assert page.url.path == "/inscription/code"
    page = click(browser, page, "Valider", code=outbox_code(env, email))
    assert page.url.path == "/inscription/mot-de-passe"
    page = click(browser, page, "Valider", mot_de_passe=PASSWORD)
    assert page.url.path == "/inscription/recapitulatif"
    return page


# ── the journey through the pages ─────────────────────────────────────────────
def test_create_with_franceconnect_then_log_in_with_franceconnect_pages(env):
    person, login = env.new_identity()
    with httpx.Client(follow_redirects=True) as browser:
        page = browser.get(f"{env.ref_url}/creer-un-compte")
        assert FC_BUTTON in Page.of(page.text).buttons()
        authorize = click(browser, page, FC_BUTTON)
        query = parse_qs(urlsplit(str(authorize.url)).query)
        assert str(authorize.url).startswith(f"{env.sim_url}/authorize?")
        assert query["acr_values"] == ["eidas1"] and query["client_id"] == [CLIENT_ID]
        assert query["response_type"] == ["code"] and "birthcountry" in query["scope"][0].split()
        assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
        assert query["redirect_uri"] == [f"{env.ref_url}/franceconnect/retour"]

        page = fc_login(browser, authorize, login)
        assert page.status_code == 200 and page.url.path == "/inscription/coordonnees"
        assert "Identité fournie par FranceConnect" in " ".join(Page.of(page.text).texts("div", role="status"))
        assert "Étape 3 sur 6" in page.text
        recap = finish_journey_pages(env, browser, page, f"fc{login}@exemple.fr")
        items = dict(zip(Page.of(recap.text).texts("dt"), Page.of(recap.text).texts("dd")))
        assert items["Numéro de sécurité sociale"] == person["nir"]
        assert items["Nom de naissance"] == person["nom_naissance"] and items["Prénoms"] == person["prenoms"]
        assert items["Date de naissance"] == date.fromisoformat(person["date_naissance"]).strftime("%d/%m/%Y")
        assert items["Lieu de naissance"] == person["lieu_naissance"] and items["Civilité"] == person["civilite"]
        assert items["Pièce d'identité"] == "Identité fournie par FranceConnect"

    with httpx.Client(follow_redirects=True) as browser:  # later, another browser
        page = browser.get(f"{env.ref_url}/connexion")
        page = fc_login(browser, click(browser, page, FC_BUTTON), login, provider="ameli.fr")
        assert page.status_code == 200 and page.url.path == "/espace"
        assert f"Identifiant : {person['nir']}" in Page.of(page.text).text
        assert browser.get(f"{env.ref_url}/api/espace").json()["identifiant"] == person["nir"]
        donnees = Page.of(browser.get(f"{env.ref_url}/espace/donnees-personnelles").text)
        assert "Identité fournie par FranceConnect" in donnees.texts("dd")

        # logout: Mon Compte, then FranceConnect's session/end, back to the site
        assert env.sim_app.state.provider.sessions
        page = click(browser, page, "Se déconnecter")
        assert [str(r.url).split("?")[0] for r in page.history][1:] == [f"{env.sim_url}/session/end"]
        end_session = parse_qs(urlsplit(str(page.history[1].url)).query)
        assert set(end_session) == {"id_token_hint", "state", "post_logout_redirect_uri"}
        assert end_session["post_logout_redirect_uri"] == [f"{env.ref_url}/franceconnect/deconnexion"]
        assert page.status_code == 200 and page.url.path == "/franceconnect/deconnexion"
        assert "Vous êtes déconnecté de Mon Compte et de FranceConnect." in Page.of(page.text).texts(
            "div", role="status"
        )
        assert browser.get(f"{env.ref_url}/espace").url.path == "/connexion"
        assert pairwise_sub(CLIENT_ID, login) not in env.sim_app.state.provider.sessions.values()

    # the account also opens with NIR and password (⑧ was kept)
    response = httpx.post(f"{env.ref_url}/api/session", json={"identifiant": person["nir"], "mot_de_passe": PASSWORD})
    assert response.status_code == 200


def test_a_registry_account_of_the_simulator_creates_its_person(env):
    """The default accounts are the registry's persons: « pas encore allocataire » here, born in Lille."""
    with httpx.Client(follow_redirects=True) as browser:
        page = browser.get(f"{env.ref_url}/creer-un-compte")
        page = fc_login(browser, click(browser, page, FC_BUTTON), "agnes.etienne")
        assert page.url.path == "/inscription/coordonnees"
        recap = finish_journey_pages(env, browser, page, "agnes.etienne@exemple.fr")
        assert "295065935095247" in Page.of(recap.text).texts("dd")
        assert "59350" in Page.of(recap.text).texts("dd")


def test_the_registration_cookie_set_on_the_way_back_from_franceconnect_expires(env):
    """Security (low finding): the ``inscription`` cookie never expired. The one set by the way back from
    FranceConnect had no Max-Age either (it lived as long as the browser): now it lives as long as the
    registration, like the one of « Créer mon compte »."""
    from moncompte.reference_impl.service import REGISTRATION_DURATION

    _, login = env.new_identity()
    with httpx.Client(follow_redirects=True) as browser:
        page = browser.get(f"{env.ref_url}/creer-un-compte")
        page = fc_login(browser, click(browser, page, FC_BUTTON), login)
        assert page.url.path == "/inscription/coordonnees"
        (back,) = [r for r in page.history if r.url.path == "/franceconnect/retour"]
        (cookie,) = [c for c in back.headers.get_list("set-cookie") if c.startswith("inscription=")]
    assert f"Max-Age={int(REGISTRATION_DURATION.total_seconds())}" in cookie
    assert {"httponly", "samesite=lax", "path=/"} <= {part.strip().lower() for part in cookie.split(";")[1:]}


def test_the_button_is_on_both_pages_only_when_franceconnect_is_configured(env, client):
    for path in ("/creer-un-compte", "/connexion"):
        assert Page.of(httpx.get(env.ref_url + path).text).buttons().count(FC_BUTTON) == 1
        assert FC_BUTTON not in Page.of(client.get(path).text).buttons()  # the default app: no FranceConnect
    assert client.get("/api/franceconnect/autorisation", params={"intention": "creation"}).status_code == 404


# ── the journey through the JSON API ──────────────────────────────────────────
def api_authorize(
    env: Env, api: httpx.Client, intention: str, login: str | None, *, cancel_at: str | None = None
) -> dict:
    """/api/franceconnect/autorisation, the provider's pages, then the callback's query (code, state…)."""
    response = api.get(f"{env.ref_url}/api/franceconnect/autorisation", params={"intention": intention})
    assert response.status_code == 200 and response.json()["intention"] == intention
    with httpx.Client(follow_redirects=False) as provider_browser:
        page = provider_browser.get(response.json()["url"])
        assert page.status_code == 200
        if cancel_at == "choix":
            back = click(provider_browser, page, "Revenir sur le site")
        else:
            page = click(provider_browser, page, "impots.gouv.fr")
            if cancel_at == "connexion":
                back = click(provider_browser, page, "Annuler")
            else:
                back = click(provider_browser, page, "Se connecter", login=login, password="123")
    assert back.status_code == 303
    location = back.headers["location"]
    assert location.startswith(f"{env.ref_url}/franceconnect/retour?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def test_create_then_log_in_with_franceconnect_through_the_api(env):
    person, login = env.new_identity(with_nir=False)  # no NIR: a provisional identifier is issued
    email = f"api{login}@exemple.fr"
    with httpx.Client(base_url=env.ref_url) as api:
        callback = api_authorize(env, api, "creation", login)
        response = api.get("/api/franceconnect/retour", params=callback)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["intention"] == "creation" and body["etape"] == "coordonnees"
        assert body["etat_civil"] == {
            "nir": None,
            "civilite": person["civilite"],
            "nom_naissance": person["nom_naissance"],
            "prenoms": person["prenoms"],
            "date_naissance": person["date_naissance"],
            "lieu_naissance": person["lieu_naissance"],
        }
        assert body["identifiant_provisoire"].startswith("P") and body["role"] == "non_allocataire"
        reg_id = body["id"]
        assert (
            api.post(f"/api/inscriptions/{reg_id}/coordonnees", json={"canal": "email", "valeur": email}).status_code
            == 200
        )
        assert api.post(f"/api/inscriptions/{reg_id}/code", json={"code": outbox_code(env, email)}).status_code == 200
        assert api.post(f"/api/inscriptions/{reg_id}/mot-de-passe", json={"mot_de_passe": PASSWORD}).json() == {
            "etape": "recapitulatif"
        }
        recap = api.get(f"/api/inscriptions/{reg_id}/recapitulatif").json()
        assert recap["piece_identite"] == {"franceconnect": True}
        assert recap["identifiant"] == body["identifiant_provisoire"]

    with httpx.Client(base_url=env.ref_url) as api:
        callback = api_authorize(env, api, "connexion", login)
        response = api.get("/api/franceconnect/retour", params=callback)
        assert response.status_code == 200 and response.json() == {"intention": "connexion", "role": "non_allocataire"}
        espace = api.get("/api/espace").json()
        assert espace["identifiant"] == body["identifiant_provisoire"]
        assert api.get("/api/donnees-personnelles").json()["piece_identite"] == {"franceconnect": True}

        logout = api.delete("/api/franceconnect/session")
        assert logout.status_code == 200 and api.get("/api/espace").status_code == 401
        with httpx.Client(follow_redirects=False) as provider_browser:
            back = provider_browser.get(logout.json()["url_deconnexion"])
        assert back.status_code == 303 and back.headers["location"].startswith(
            f"{env.ref_url}/franceconnect/deconnexion?state="
        )
        assert httpx.get(back.headers["location"]).status_code == 200
        assert httpx.get(back.headers["location"]).status_code == 400  # the logout state is used once


def test_creating_twice_with_the_same_franceconnect_identity_is_refused(env):
    person, login = env.new_identity()
    with httpx.Client(base_url=env.ref_url) as api:
        reg_id = api.get("/api/franceconnect/retour", params=api_authorize(env, api, "creation", login)).json()["id"]
        email = f"twice{login}@exemple.fr"
        api.post(f"/api/inscriptions/{reg_id}/coordonnees", json={"canal": "email", "valeur": email})
        api.post(f"/api/inscriptions/{reg_id}/code", json={"code": outbox_code(env, email)})
        assert api.post(f"/api/inscriptions/{reg_id}/mot-de-passe", json={"mot_de_passe": PASSWORD}).status_code == 200
        before = env.counts()
        response = api.get("/api/franceconnect/retour", params=api_authorize(env, api, "creation", login))
        assert response.status_code == 409
        assert response.json()["erreurs"][0]["regle"] == "CNX-NIR"
        assert env.counts() == before


def test_logging_in_with_franceconnect_links_an_account_created_with_nir_and_password(env):
    person, login = env.new_identity()
    with httpx.Client(base_url=env.ref_url) as api:
        reg_id = api.post("/api/inscriptions", json={}).json()["id"]
        api.post(
            f"/api/inscriptions/{reg_id}/etat-civil",
            json={
                "nir": person["nir"],
                "civilite": person["civilite"],
                "nom_naissance": person["nom_naissance"],
                "prenoms": person["prenoms"],
                "date_naissance": person["date_naissance"],
                "lieu_naissance": person["lieu_naissance"],
            },
        )
        api.post(f"/api/inscriptions/{reg_id}/piece-identite", json=person["pieces"][0])
        email = f"nir{login}@exemple.fr"
        api.post(f"/api/inscriptions/{reg_id}/coordonnees", json={"canal": "email", "valeur": email})
        api.post(f"/api/inscriptions/{reg_id}/code", json={"code": outbox_code(env, email)})
        assert api.post(f"/api/inscriptions/{reg_id}/mot-de-passe", json={"mot_de_passe": PASSWORD}).status_code == 200
        response = api.get("/api/franceconnect/retour", params=api_authorize(env, api, "connexion", login))
        assert response.status_code == 200 and api.get("/api/espace").json()["identifiant"] == person["nir"]
        # its document was checked at ⑤: the identity is not « fournie par FranceConnect »
        assert api.get("/api/donnees-personnelles").json()["piece_identite"]["type_titre"] == "passeport"


# ── the error paths: a clear French message, nothing created ──────────────────
def alert_of(page: httpx.Response) -> str:
    return Page.of(page.text).alert


def test_an_identity_matching_no_registry_person_creates_nothing(env):
    before = env.counts()
    with httpx.Client(follow_redirects=True) as browser:
        page = browser.get(f"{env.ref_url}/creer-un-compte")
        page = fc_login(browser, click(browser, page, FC_BUTTON), UNKNOWN_ACCOUNT.login)
        assert page.status_code == 422 and page.url.path == "/franceconnect/retour"
        assert "ne correspond à aucune personne connue de la Caf" in alert_of(page)
        assert "Aucun compte n'a été créé" in alert_of(page)
        assert "inscription" not in browser.cookies
    with httpx.Client(base_url=env.ref_url) as api:
        response = api.get(
            "/api/franceconnect/retour", params=api_authorize(env, api, "creation", UNKNOWN_ACCOUNT.login)
        )
        assert response.status_code == 422
        assert [(e["regle"], e["champ"]) for e in response.json()["erreurs"]] == [("FC-CREATION", "identite")]
    assert env.counts() == before


def test_logging_in_with_an_identity_without_account_opens_nothing(env):
    person, login = env.new_identity()
    with httpx.Client(base_url=env.ref_url) as api:
        response = api.get("/api/franceconnect/retour", params=api_authorize(env, api, "connexion", login))
        assert response.status_code == 404
        assert response.json()["erreurs"][0]["regle"] == "FC-CONNEXION"
        assert "session" not in api.cookies


@pytest.mark.parametrize("cancel_at", ["choix", "connexion"])
def test_a_login_cancelled_at_the_provider_creates_nothing(env, cancel_at):
    before = env.counts()
    with httpx.Client(follow_redirects=True) as browser:
        page = browser.get(f"{env.ref_url}/creer-un-compte")
        page = click(browser, click(browser, page, FC_BUTTON), "Revenir sur le site")
        assert page.status_code == 401 and page.url.path == "/franceconnect/retour"
        assert parse_qs(page.url.query.decode())["error"] == ["access_denied"]
        assert "Vous avez annulé la connexion avec FranceConnect" in alert_of(page)
    with httpx.Client(base_url=env.ref_url) as api:
        callback = api_authorize(env, api, "creation", None, cancel_at=cancel_at)
        assert callback["error"] == "access_denied" and "code" not in callback
        response = api.get("/api/franceconnect/retour", params=callback)
        assert response.status_code == 401
        assert response.json()["erreurs"][0]["regle"] == "FC-CREATION"
        assert "annulé" in response.json()["erreurs"][0]["message"]
    assert env.counts() == before


def test_a_state_mismatch_creates_nothing(env):
    person, login = env.new_identity()
    before = env.counts()
    with httpx.Client(follow_redirects=False) as browser:
        response = click(browser, browser.get(f"{env.ref_url}/creer-un-compte"), FC_BUTTON)
        authorize = browser.get(response.headers["location"])
        page = click(browser, click(browser, authorize, "impots.gouv.fr"), "Se connecter", login=login, password="123")
        callback = page.headers["location"]
        state = parse_qs(urlsplit(callback).query)["state"][0]
        page = browser.get(callback.replace(state, "X" + state[1:]))  # another state than the browser's
        assert page.status_code == 400
        assert "n'a pas pu être vérifiée" in alert_of(page) and "Aucun compte n'a été créé" in alert_of(page)
        assert "inscription" not in browser.cookies
        # the request is used up: the right state, afterwards, is refused too
        assert browser.get(callback).status_code == 400

    with httpx.Client(base_url=env.ref_url) as api:  # the callback from a browser that did not ask for it
        callback = api_authorize(env, api, "creation", login)
        with httpx.Client(base_url=env.ref_url) as other:
            response = other.get("/api/franceconnect/retour", params=callback)
        assert response.status_code == 400
        assert [(e["regle"], e["champ"]) for e in response.json()["erreurs"]] == [("FC-CONNEXION", "state")]
    with httpx.Client(base_url=env.ref_url) as api:  # a state the site never issued
        callback = api_authorize(env, api, "creation", login)
        response = api.get("/api/franceconnect/retour", params=callback | {"state": "inconnu"})
        assert response.status_code == 400 and response.json()["erreurs"][0]["regle"] == "FC-CREATION"
    assert env.counts() == before


def test_a_child_under_the_age_limit_cannot_create_with_franceconnect(env):
    child = make_person(nom="PETIT", prenoms="Léo Paul", civilite="Monsieur", born=years_ago(12))
    foyer = {
        "membres": [make_person(nom="PETIT", prenoms="Anne") | {"role": "responsable"}, child | {"role": "enfant"}]
    }
    assert httpx.post(f"{env.ref_url}/__test__/foyers", json=foyer).status_code == 201
    login = "leo.petit"
    assert httpx.post(f"{env.sim_url}/__test__/comptes", json=child | {"login": login}).status_code == 201
    before = env.counts()
    with httpx.Client(base_url=env.ref_url) as api:
        response = api.get("/api/franceconnect/retour", params=api_authorize(env, api, "creation", login))
    assert response.status_code == 422 and response.json()["erreurs"][0]["regle"] == "ROLE-ENFANT-AGE"
    assert env.counts() == before


def test_an_unknown_intention_is_refused(env):
    response = httpx.get(f"{env.ref_url}/api/franceconnect/autorisation", params={"intention": "autre"})
    assert response.status_code == 422 and response.json()["erreurs"][0]["champ"] == "intention"


# ── the client refuses forged answers ─────────────────────────────────────────
def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class Tampering(httpx.BaseTransport):
    """Calls the provider for real, then replaces one endpoint's answer."""

    def __init__(self, path: str, forge):
        self.inner = httpx.HTTPTransport()
        self.path, self.forge = path, forge

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path != self.path:
            return response
        response.read()
        status, content_type, body = self.forge(response)
        return httpx.Response(status, headers={"content-type": content_type}, content=body.encode())


OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "cle-simulateur"})  # same kid, another key

USERINFO_FORGERIES = {
    "alg none": lambda r: (200, "application/jwt", f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(r.text))}."),
    "signed with another key": lambda r: (
        200,
        "application/jwt",
        jwt.encode(
            {"alg": "RS256", "kid": "cle-simulateur"}, _claims(r.text) | {"family_name": "USURPATEUR"}, OTHER_KEY
        ),
    ),
    "HS256 keyed with the client secret": lambda r: (
        200,
        "application/jwt",
        jwt.encode(
            {"alg": "HS256"},
            _claims(r.text),
            __import__("joserfc.jwk", fromlist=["OctKey"]).OctKey.import_key(CLIENT_SECRET.encode() * 2),
            algorithms=["HS256"],
        ),
    ),
    "plain JSON": lambda r: (200, "application/json", json.dumps(_claims(r.text))),
    "another sub": lambda r: (
        200,
        "application/jwt",
        jwt.encode({"alg": "RS256", "kid": "cle-simulateur"}, _claims(r.text) | {"sub": "quelquun-dautre"}, SIM_KEY),
    ),
}


def _with_id_token(change: dict):
    def forge(response: httpx.Response):
        token = response.json()
        claims = _claims(token["id_token"]) | change
        claims = {k: v for k, v in claims.items() if v is not None}
        token["id_token"] = jwt.encode({"alg": "RS256", "kid": "cle-simulateur"}, claims, SIM_KEY)
        return 200, "application/json", json.dumps(token)

    return forge


ID_TOKEN_FORGERIES = {
    "another nonce": _with_id_token({"nonce": "pas-le-bon"}),
    "no nonce": _with_id_token({"nonce": None}),
    "another audience": _with_id_token({"aud": "un-autre-client"}),
    "another issuer": _with_id_token({"iss": "https://faux-fournisseur.example"}),
    "expired": _with_id_token({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}),
    "signed with another key": lambda r: (
        200,
        "application/json",
        json.dumps(
            r.json()
            | {
                "id_token": jwt.encode(
                    {"alg": "RS256", "kid": "cle-simulateur"}, _claims(r.json()["id_token"]), OTHER_KEY
                )
            }
        ),
    ),
}


@pytest.mark.parametrize(
    "endpoint, forgery", [("/userinfo", f) for f in USERINFO_FORGERIES] + [("/token", f) for f in ID_TOKEN_FORGERIES]
)
def test_the_client_refuses_forged_tokens(env, endpoint, forgery):
    forge = (USERINFO_FORGERIES if endpoint == "/userinfo" else ID_TOKEN_FORGERIES)[forgery]
    app = reference_app(env.sim_url, Tampering(endpoint, forge))
    person, login = env.new_identity()
    with TestClient(app) as api:
        api.post("/__test__/personnes", json=person)
        response = api.get("/api/franceconnect/autorisation", params={"intention": "creation"})
        with httpx.Client() as provider_browser:
            page = provider_browser.get(response.json()["url"])
            page = click(
                provider_browser,
                click(provider_browser, page, "impots.gouv.fr"),
                "Se connecter",
                login=login,
                password="123",
            )
        location = page.headers["location"]
        assert location.startswith("http://testserver/franceconnect/retour?")
        response = api.get(location)
        assert response.status_code == 502, response.text
        assert "n'a pas pu être vérifiée" in alert_of(response) and "Aucun compte n'a été créé" in alert_of(response)
        with app.state.service.sessions.begin() as db:
            assert db.scalar(select(func.count()).select_from(Registration)) == 0


def test_the_untampered_path_of_the_forgery_test_works(env):
    """The same set-up without forgery creates the registration (so the refusals above are the checks')."""
    app = reference_app(env.sim_url, Tampering("/nothing", None))
    person, login = env.new_identity()
    with TestClient(app) as api:
        api.post("/__test__/personnes", json=person)
        response = api.get("/api/franceconnect/autorisation", params={"intention": "creation"})
        with httpx.Client() as provider_browser:
            page = provider_browser.get(response.json()["url"])
            page = click(
                provider_browser,
                click(provider_browser, page, "impots.gouv.fr"),
                "Se connecter",
                login=login,
                password="123",
            )
        response = api.get(page.headers["location"])
        assert response.status_code == 200 and response.url.path == "/inscription/coordonnees"


# ── the stand-in provider, mounted in-process ─────────────────────────────────
REDIRECT = "https://moncompte.test/franceconnect/retour"
POST_LOGOUT = "https://moncompte.test/franceconnect/deconnexion"


@pytest.fixture
def provider():
    app = create_simulator(
        "https://fc.test",
        [
            SimClient("client-a", "secret-a", (REDIRECT,), (POST_LOGOUT,)),
            SimClient("client-b", "secret-b", ("https://autre.test/retour",)),
            SimClient("client-sans-code", "secret-c", (REDIRECT,), grant_types=()),
        ],
        key=SIM_KEY,
    )
    with TestClient(app, base_url="https://fc.test", follow_redirects=False) as test_client:
        yield test_client


AUTHORIZE = {
    "response_type": "code",
    "client_id": "client-a",
    "redirect_uri": REDIRECT,
    "scope": "openid given_name family_name birthdate gender birthplace birthcountry",
    "state": "s" * 32,
    "nonce": "n" * 32,
    "acr_values": "eidas1",
}


def provider_code(provider, login="agnes.etienne", **params) -> str:
    page = provider.get("/authorize", params=AUTHORIZE | params)
    assert page.status_code == 200, page.text
    page = click(provider, page, "ameli.fr")
    back = click(provider, page, "Se connecter", login=login, password="123")
    assert back.status_code == 303
    return parse_qs(urlsplit(back.headers["location"]).query)["code"][0]


def token_request(provider, code, *, basic=False, client=("client-a", "secret-a"), **changes):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT} | changes
    if basic:
        return provider.post("/token", data=data, auth=client)
    return provider.post("/token", data=data | {"client_id": client[0], "client_secret": client[1]})


def test_discovery_and_jwks(provider):
    metadata = provider.get("/.well-known/openid-configuration").json()
    assert metadata["issuer"] == "https://fc.test"
    assert metadata["end_session_endpoint"] == "https://fc.test/session/end"
    assert metadata["acr_values_supported"] == ["eidas1"]
    assert set(metadata["token_endpoint_auth_methods_supported"]) == {"client_secret_post", "client_secret_basic"}
    (key,) = provider.get("/jwks").json()["keys"]
    assert key["kid"] == "cle-simulateur" and "d" not in key


@pytest.mark.parametrize(
    "change, error",
    [
        ({"state": None}, "invalid_request"),
        ({"nonce": None}, "invalid_request"),
        ({"acr_values": None}, "invalid_request"),
        ({"acr_values": "eidas9"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"response_type": None}, "invalid_request"),
        ({"scope": "given_name family_name"}, "invalid_scope"),
        ({"client_id": "client-sans-code"}, "unauthorized_client"),
    ],
)
def test_authorize_errors_go_back_to_the_client(provider, change, error):
    params = {k: v for k, v in (AUTHORIZE | change).items() if v is not None}
    response = provider.get("/authorize", params=params)
    assert response.status_code == 303
    assert response.headers["location"].startswith(REDIRECT + "?")
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["error"] == [error] and query["error_description"]
    assert query.get("state") == ([params["state"]] if "state" in params else None)


@pytest.mark.parametrize(
    "change, error",
    [
        ({"client_id": "inconnu"}, "invalid_client"),
        ({"client_id": None}, "invalid_client"),
        ({"redirect_uri": "https://pirate.test/retour"}, "invalid_request"),
        ({"redirect_uri": None}, "invalid_request"),
        ({"client_id": "client-b"}, "invalid_request"),  # client-a's redirect_uri, not client-b's
    ],
)
def test_authorize_errors_that_cannot_go_back_are_an_error_page(provider, change, error):
    params = {k: v for k, v in (AUTHORIZE | change).items() if v is not None}
    response = provider.get("/authorize", params=params)
    assert response.status_code == 400 and "location" not in response.headers
    assert f"Erreur : {error}" in Page.of(response.text).alert


def test_token_with_client_secret_post_and_basic(provider):
    for basic in (False, True):
        response = token_request(provider, provider_code(provider), basic=basic)
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        body = response.json()
        assert body["token_type"] == "Bearer"
        claims = jwt.decode(body["id_token"], SIM_KEY, algorithms=["RS256"]).claims
        assert claims["iss"] == "https://fc.test" and claims["aud"] == "client-a" and claims["nonce"] == "n" * 32
        assert claims["acr"] == "eidas1" and claims["sub"] == pairwise_sub("client-a", "agnes.etienne")
        assert claims["exp"] > time.time()


def test_userinfo_is_the_pivot_identity_as_a_signed_jwt(provider):
    token = token_request(provider, provider_code(provider, login="frederique.begue")).json()
    response = provider.get("/userinfo", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/jwt"
    claims = jwt.decode(response.text, SIM_KEY, algorithms=["RS256"]).claims
    assert {
        k: claims[k] for k in ("given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry")
    } == {
        "given_name": "Frédérique Margaux",
        "family_name": "BÈGUE",
        "birthdate": "1948-03-09",
        "gender": "female",
        "birthplace": "",
        "birthcountry": "99139",
    }  # born in Portugal
    assert claims["sub"] == _claims(token["id_token"])["sub"]
    token = token_request(provider, provider_code(provider, login="timothee.traore")).json()
    claims = _claims(provider.get("/userinfo", headers={"Authorization": f"Bearer {token['access_token']}"}).text)
    assert (claims["gender"], claims["birthplace"], claims["birthcountry"]) == ("male", "2A004", "99100")
    assert provider.get("/userinfo").status_code == 401
    assert provider.get("/userinfo", headers={"Authorization": "Bearer faux"}).json()["error"] == "invalid_token"


@pytest.mark.parametrize(
    "case, status, error",
    [
        ("wrong secret", 401, "invalid_client"),
        ("unknown client", 401, "invalid_client"),
        ("no client authentication", 401, "invalid_client"),
        ("both authentication methods", 400, "invalid_request"),
        ("code used twice", 400, "invalid_grant"),
        ("unknown code", 400, "invalid_grant"),
        ("another redirect_uri", 400, "invalid_grant"),
        ("code of another client", 400, "invalid_grant"),
        ("no code", 400, "invalid_request"),
        ("other grant type", 400, "unsupported_grant_type"),
        ("client not allowed the code flow", 400, "unauthorized_client"),
    ],
)
def test_token_errors(provider, case, status, error):
    code = provider_code(provider)
    if case == "wrong secret":
        response = token_request(provider, code, client=("client-a", "faux"))
    elif case == "unknown client":
        response = token_request(provider, code, basic=True, client=("inconnu", "secret-a"))
        assert response.headers["www-authenticate"].startswith("Basic")
    elif case == "no client authentication":
        response = provider.post(
            "/token", data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
        )
    elif case == "both authentication methods":
        response = provider.post(
            "/token",
            auth=("client-a", "secret-a"),
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "client_secret": "secret-a",
            },
        )
    elif case == "code used twice":
        first = token_request(provider, code).json()
        response = token_request(provider, code)
        # what the code gave is revoked
        assert (
            provider.get("/userinfo", headers={"Authorization": f"Bearer {first['access_token']}"}).status_code == 401
        )
    elif case == "unknown code":
        response = token_request(provider, "inconnu")
    elif case == "another redirect_uri":
        response = token_request(provider, code, redirect_uri="https://moncompte.test/ailleurs")
    elif case == "code of another client":
        response = token_request(provider, code, client=("client-b", "secret-b"))
    elif case == "no code":
        response = token_request(provider, "")
    elif case == "other grant type":
        response = token_request(provider, code, grant_type="client_credentials")
    else:
        response = token_request(provider, code, client=("client-sans-code", "secret-c"))
    assert response.status_code == status and response.json()["error"] == error


def test_codes_are_short_lived():
    app = create_simulator("https://fc.test", [SimClient("client-a", "secret-a", (REDIRECT,))], code_seconds=0)
    with TestClient(app, base_url="https://fc.test", follow_redirects=False) as provider:
        response = token_request(provider, provider_code(provider))
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_wrong_password_at_the_provider(provider):
    page = click(provider, provider.get("/authorize", params=AUTHORIZE), "impots.gouv.fr")
    page = click(provider, page, "Se connecter", login="agnes.etienne", password="faux")
    assert page.status_code == 401 and "Identifiant ou mot de passe incorrect." in Page.of(page.text).alert


def test_session_end(provider):
    token = token_request(provider, provider_code(provider)).json()
    sid = _claims(token["id_token"])["sid"]
    assert sid in provider.app.state.provider.sessions
    logout = {
        "id_token_hint": token["id_token"],
        "state": "etat-de-deconnexion",
        "post_logout_redirect_uri": POST_LOGOUT,
    }
    for change in (
        {"id_token_hint": None},
        {"state": None},
        {"post_logout_redirect_uri": "https://pirate.test/"},
        {"id_token_hint": jwt.encode({"alg": "RS256"}, {"aud": "client-a", "sid": sid}, OTHER_KEY)},
    ):
        response = provider.get("/session/end", params={k: v for k, v in (logout | change).items() if v})
        assert response.status_code == 400 and "Erreur : invalid_request" in Page.of(response.text).alert
    assert sid in provider.app.state.provider.sessions
    response = provider.get("/session/end", params=logout)
    assert response.status_code == 303
    assert response.headers["location"] == f"{POST_LOGOUT}?state=etat-de-deconnexion"
    assert sid not in provider.app.state.provider.sessions


# ── the test accounts ─────────────────────────────────────────────────────────
def test_every_registry_person_has_a_matching_test_account(app):
    accounts = accounts_from_registry()
    assert accounts[-1] == UNKNOWN_ACCOUNT and len({a.login for a in accounts}) == len(accounts)
    with app.state.service.sessions.begin() as db:
        for account in accounts:
            place = account.birthplace if account.birthcountry == "99100" else account.birthcountry
            found = registry.find_by_identity(
                db,
                civilite={"male": "Monsieur", "female": "Madame"}[account.gender],
                nom=account.family_name,
                prenoms=account.given_name,
                born=date.fromisoformat(account.birthdate),
                lieu=place,
            )
            assert (found is None) == (account is UNKNOWN_ACCOUNT), account.login


def test_account_formats():
    abroad = account_from_person(
        {
            "civilite": "Monsieur",
            "nom_naissance": "Faivre",
            "prenoms": "Franck  Richard",
            "date_naissance": "1990-02-14",
            "lieu_naissance": "99350",
        }
    )
    assert (abroad.login, abroad.family_name, abroad.given_name) == ("franck.faivre", "FAIVRE", "Franck Richard")
    assert (abroad.gender, abroad.birthplace, abroad.birthcountry) == ("male", "", "99350")


def test_fc_simulator_is_a_moncompte_command():
    import argparse

    from moncompte.harness.cli import COMMANDS
    from moncompte.reference_impl.franceconnect import simulator

    assert "fc-simulator" in COMMANDS
    parser = argparse.ArgumentParser()
    simulator.add_arguments(parser)
    args = parser.parse_args(
        [
            "--port",
            "9100",
            "--client-id",
            "c",
            "--client-secret",
            "s",
            "--redirect-uri",
            "http://127.0.0.1:8000/franceconnect/retour",
        ]
    )
    assert (args.port, args.client_id, args.client_secret, args.redirect_uri) == (
        9100,
        "c",
        "s",
        ["http://127.0.0.1:8000/franceconnect/retour"],
    )

"""The ``http`` driver: the site's own pages over HTTP, without JavaScript, with the browser's locators.

- How a page is read without a browser (``steps.drivers.html_forms``): accessible names and roles, each kind
  of locator, the kinds of fields and how each is set, a form's entries as a browser sends them. The pages
  here are written by hand and look nothing like the reference's (another markup, other words).
- The driver on pages served by ``httpx.MockTransport`` (no server): a form sent with its hidden fields and
  the pressed button's own name, redirects and cookies; a page that needs JavaScript is *not applicable*.
- End to end: ``moncompte check --driver http`` on the reference.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from moncompte.harness import targets
from moncompte.steps.drivers import html_forms
from moncompte.steps.drivers.base import NotApplicable, TargetError
from moncompte.steps.drivers.fields import CannotSet
from moncompte.steps.drivers.html_forms import HtmlDocument, Node
from moncompte.steps.drivers.http_pages import HttpPagesDriver
from moncompte.steps.locators import ELEMENTS, LocatorSpec, action, field, submit
from tests.schemacheck import read_report

REPO = Path(__file__).resolve().parents[1]

# ── a page unlike the reference's: a « Bootstrap-like » registration form ─────────
PAGE = """<!doctype html><html><head><title>Inscription</title><script type="application/ld+json">{}</script></head>
<body>
<div class="navbar"><a class="brand" href="/"><img src="/logo.png" alt="Accueil Caf"></a>
  <span class="visually-hidden" hidden>Menu caché</span></div>
<div class="container" role="main">
 <h2 class="h4">Vos informations</h2>
 <div class="callout callout-danger" data-testid="problemes" role="alert" hidden><p>caché</p></div>
 <form action="enregistrer?x=1" method="POST" id="f1" class="form-horizontal">
  <input type="hidden" name="_jeton" value="J-42">
  <label class="form-label">Votre numéro de Sécurité sociale <small>(15 chiffres)</small>
    <input class="form-control" name="secu" value=""></label>
  <span id="lbl-nom">Nom à la naissance</span>
  <input class="form-control" name="nom" aria-labelledby="lbl-nom" aria-describedby="nom-aide nom-err" aria-invalid="true">
  <small id="nom-aide" class="text-muted">Tel qu'écrit sur l'acte de naissance.</small>
  <div id="nom-err" class="invalid-feedback">Indiquez votre nom de naissance.</div>
  <input class="form-control" name="prenom" aria-label="Prénom(s)">
  <div role="radiogroup" aria-labelledby="civ-titre"><span id="civ-titre">Vous êtes</span>
    <input type="radio" name="civ" value="2" id="c2"><label for="c2">une femme</label>
    <input type="radio" name="civ" value="1" id="c1"><label for="c1">un homme</label></div>
  <div role="group" aria-labelledby="naissance-titre"><p id="naissance-titre">Date de naissance</p>
    <select name="a" aria-label="Année"><option value="">----</option><option>1985</option><option>1986</option></select>
    <input name="j" aria-label="Jour" size="2"><input name="m" placeholder="Mois" maxlength="2"></div>
  <label for="lieu">Commune de naissance</label><input id="lieu" name="lieu" list="communes">
  <datalist id="communes"><option value="Lyon"><option value="59350">Lille</option></datalist>
  <label for="type">Type de document</label>
  <select id="type" name="type"><option value="">Choisir…</option><option value="P">Passeport</option>
    <option value="C" selected>Carte d'identité</option></select>
  <label for="quand">Délivré le</label><input type="date" id="quand" name="quand">
  <input type="checkbox" name="cgu" id="cgu"><label for="cgu">J'accepte les conditions</label>
  <textarea name="note" aria-label="Remarque"></textarea>
  <input type="submit" name="op" value="Annuler" formnovalidate>
  <button class="btn btn-primary" name="op" value="suite">Étape suivante <span aria-hidden="true">→</span></button>
 </form>
 <p><a href="/aide"><img src="i.png" alt="Aide en ligne"></a> · <a href="/compte">Accéder à <b>mon</b> compte</a></p>
 <dl class="row"><dt>Statut :</dt><dd>En cours</dd></dl>
 <table class="table"><tr><th>Nom</th><td>DURAND</td></tr><tr><td>Ville</td><td>Lyon</td></tr></table>
 <ul><li>Courriel : c@exemple.fr</li></ul>
</div></body></html>"""


@pytest.fixture
def doc() -> HtmlDocument:
    return HtmlDocument(PAGE, "https://recette.exemple.fr/inscription/etape-1")


def found(doc: HtmlDocument, spec: LocatorSpec) -> list[str]:
    """What ``spec`` finds, each as ``tag[name]`` (or its tag and text)."""
    return [f"{t.name}[{t.get('name') or doc.name(t) or t.get_text(strip=True)[:20]}]" for t in doc.resolve(spec)]


def by_name(doc: HtmlDocument, name: str) -> Node:
    return Node(doc, doc.soup.find(attrs={"name": name}))


# ── accessible names and roles ───────────────────────────────────────────────────
def test_accessible_names_follow_labelledby_label_legend_content_and_alt(doc):
    names = {
        "secu": "Votre numéro de Sécurité sociale (15 chiffres)",  # wrapping <label>, its own value aside
        "nom": "Nom à la naissance",  # aria-labelledby
        "prenom": "Prénom(s)",  # aria-label
        "lieu": "Commune de naissance",  # <label for>
        "j": "Jour",
        "m": "Mois",  # placeholder, nothing else
    }
    assert {n: doc.name(by_name(doc, n).tag) for n in names} == names
    button = doc.soup.find("button")
    assert doc.name(button) == "Étape suivante"  # content, the aria-hidden arrow left out
    assert doc.name(doc.soup.find("input", type="submit")) == "Annuler"  # value
    assert [doc.name(a) for a in doc.by_role("link")] == ["Accueil Caf", "Aide en ligne", "Accéder à mon compte"]
    assert doc.name(doc.by_role("radiogroup")[0]) == "Vous êtes"
    assert doc.name(doc.by_role("group")[0]) == "Date de naissance"
    assert [doc.name(r) for r in doc.by_role("radio")] == ["une femme", "un homme"]


def test_roles_are_explicit_or_implicit_and_hidden_elements_have_none(doc):
    assert [t.name for t in doc.by_role("main")] == ["div"]
    assert [doc.name(t) for t in doc.by_role("combobox")] == ["Année", "Commune de naissance", "Type de document"]
    assert [doc.name(t) for t in doc.by_role("checkbox")] == ["J'accepte les conditions"]
    assert doc.by_role("alert") == []  # hidden
    assert [doc.name(t) for t in doc.by_role("heading")] == ["Vos informations"]
    assert doc.by_role("form") == []  # a form without a name has no role
    fieldset = HtmlDocument('<fieldset><legend>Civilité <abbr title="obligatoire">*</abbr></legend></fieldset>')
    assert doc.name(doc.soup.find("table")) == "" and fieldset.name(fieldset.by_role("group")[0]) == "Civilité *"


# ── the kinds of locators ────────────────────────────────────────────────────────
def test_each_kind_of_locator_finds_what_playwright_finds(doc):
    assert found(doc, field("Numéro de sécurité sociale")) == ["input[secu]"]  # « Votre », case, a hint after
    assert found(doc, field("Nom de naissance", "Nom à la naissance")) == ["input[nom]"]
    assert found(doc, field("Prénom(s)")) == ["input[prenom]"]
    assert found(doc, field("Civilité", "Vous êtes")) == ["div[Vous êtes]"]
    assert found(doc, field("Date de naissance")) == ["div[Date de naissance]"]
    assert found(doc, LocatorSpec("label", "Commune", exact=False)) == ["input[lieu]"]
    assert found(doc, LocatorSpec("label", "Commune")) == []  # exact: the whole label
    assert found(doc, action("Étape suivante")) == ["button[op]"]
    assert found(doc, action("Aide en ligne", "Accéder à mon compte")) == [
        "a[Aide en ligne]",
        "a[Accéder à mon compte]",
    ]
    assert found(doc, LocatorSpec("role", "button", "/suivante/i")) == ["button[op]"]
    assert found(doc, LocatorSpec("text", "/en cours/i")) == ["dd[En cours]"]  # the deepest element
    assert found(doc, LocatorSpec("text", "Lyon")) == ["td[Lyon]"]
    assert found(doc, LocatorSpec("testid", "problemes")) == ["div[caché]"]
    assert found(doc, LocatorSpec("css", "form .form-control[name^=pre]")) == ["input[prenom]"]
    # the submit button of the field's form: « Annuler » (formnovalidate, and its words) is not it
    elements = {**ELEMENTS, "nom_naissance": field("Nom à la naissance")}
    assert [t.get("value") for t in doc.resolve(submit("nom_naissance"), elements=elements)] == ["suite"]


def test_a_field_state_separates_its_error_from_its_hint(doc):
    assert html_forms.field_state(by_name(doc, "nom")) == {
        "invalid": True,
        "texts": ["Indiquez votre nom de naissance."],
    }
    assert html_forms.field_state(by_name(doc, "prenom")) == {"invalid": False, "texts": []}


def test_texts_read_as_shown(doc):
    node = Node(doc, doc.soup.find("table"))
    assert node.inner_text() == "Nom\tDURAND\nVille\tLyon"
    assert not Node(doc, doc.soup.find(class_="visually-hidden")).is_visible()
    main = Node(doc, doc.by_role("main")[0])
    assert html_forms.recap_pairs(main) == [
        ("Statut", "En cours"),
        ("Nom", "DURAND"),
        ("Ville", "Lyon"),
        ("Courriel", "c@exemple.fr"),
    ]


# ── fields: kinds, values, entries ───────────────────────────────────────────────
def group(doc: HtmlDocument, spec: LocatorSpec) -> Node:
    return Node(doc, doc.resolve(spec)[0])


def test_each_kind_of_field_is_recognised(doc):
    kinds = {
        "secu": by_name(doc, "secu"),
        "civ": group(doc, field("Vous êtes")),
        "naissance": group(doc, field("Date de naissance")),
        "type": by_name(doc, "type"),
        "quand": by_name(doc, "quand"),
        "cgu": by_name(doc, "cgu"),
        "radio": by_name(doc, "civ"),
        "note": by_name(doc, "note"),
        "bouton": Node(doc, doc.soup.find("button")),
    }
    assert {k: html_forms.kind_of(n).kind for k, n in kinds.items()} == {
        "secu": "text",
        "civ": "radio",
        "naissance": "date-parts",
        "type": "select",
        "quand": "date",
        "cgu": "checkbox",
        "radio": "checkbox",  # one radio of a group, found by its own label
        "note": "text",
        "bouton": "button",
    }
    assert html_forms.choices(by_name(doc, "type")) == ["Passeport", "Carte d'identité"]
    assert html_forms.choices(group(doc, field("Vous êtes"))) == ["une femme", "un homme"]


def test_fields_are_set_as_a_person_sets_them_and_sent_as_a_browser_sends_them(doc):
    clicked = []
    values = [
        (by_name(doc, "secu"), "2 84 05 69 123 456 78"),
        (by_name(doc, "nom"), "D'ARTAGNAN"),
        (group(doc, field("Vous êtes")), "un homme"),
        (group(doc, field("Date de naissance")), "07/03/1985"),  # day, month, year found by their names
        (by_name(doc, "lieu"), "Lyon"),  # an autocomplete: the typed text is sent
        (by_name(doc, "type"), "passeport"),
        (by_name(doc, "quand"), "14/07/2020"),
        (by_name(doc, "cgu"), "oui"),
        (by_name(doc, "note"), "ligne 1\nligne 2"),
    ]
    for node, value in values:
        html_forms.set_field(node, value, clicked.append)
    form = doc.soup.find("form")
    button = doc.soup.find("button")
    assert html_forms.form_entries(doc, form, button) == [
        ("_jeton", "J-42"),
        ("secu", "2 84 05 69 123 456 78"),
        ("nom", "D'ARTAGNAN"),
        ("prenom", ""),
        ("civ", "1"),
        ("a", "1985"),
        ("j", "07"),
        ("m", "03"),
        ("lieu", "Lyon"),
        ("type", "P"),
        ("quand", "2020-07-14"),
        ("cgu", "on"),
        ("note", "ligne 1\r\nligne 2"),
        ("op", "suite"),  # the button pressed, not « Annuler »
    ]
    sent = html_forms.submission_of(doc, form, button)
    assert (sent.method, sent.url) == ("POST", "https://recette.exemple.fr/inscription/enregistrer?x=1")
    assert sent.content_type == "application/x-www-form-urlencoded" and b"_jeton=J-42" in sent.body
    assert not clicked


def test_what_a_field_cannot_take_is_said(doc):
    with pytest.raises(CannotSet, match="la liste ne propose pas « Permis »"):
        html_forms.set_field(by_name(doc, "type"), "Permis", print)
    with pytest.raises(CannotSet, match="n'est pas une date"):
        html_forms.set_field(by_name(doc, "quand"), "31/02/1985", print)
    with pytest.raises(CannotSet, match="le groupe ne propose pas « Mademoiselle »"):
        html_forms.set_field(group(doc, field("Vous êtes")), "Mademoiselle", print)
    html_forms.set_field(by_name(doc, "m"), "123", print)
    assert by_name(doc, "m").input_value() == "12"  # maxlength: a person cannot type more
    html_forms.set_field(by_name(doc, "lieu"), "lille", print)
    assert by_name(doc, "lieu").input_value() == "59350"  # the suggestion picked: its value
    html_forms.set_field(by_name(doc, "lieu"), "Paris", print)
    assert by_name(doc, "lieu").input_value() == "Paris"  # no suggestion: what is typed


# ── the driver on pages served without a server ──────────────────────────────────
Handler = Callable[[httpx.Request], httpx.Response]


def serve(pages: dict[tuple[str, str], Handler | str]) -> tuple[HttpPagesDriver, list[httpx.Request]]:
    """A driver on https://site.test whose pages are ``(method, path) → HTML or handler``; the requests made."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        page = pages.get((request.method, request.url.path))
        if page is None:
            return httpx.Response(404, html="<h1>Introuvable</h1>")
        return page(request) if callable(page) else httpx.Response(200, html=page)

    client = httpx.Client(transport=httpx.MockTransport(handle), follow_redirects=False)
    driver = HttpPagesDriver(
        "https://site.test", pages={"connexion": "/s-identifier"}, reference_pages=False, client=client
    )
    return driver, seen


LOGIN = """<html><body><main><h1>Connexion</h1>
<form method="post" action="/s-identifier/verifier"><input type="hidden" name="csrf_token" value="tok-1">
<p><label>Identifiant <input name="login"></label></p>
<p><label>Mot de passe <input type="password" name="pwd"></label></p>
<button name="action" value="login">Se connecter</button><input type="image" name="go" src="ok.png" alt="Connexion">
<button type="button" onclick="aide()">Aide</button>
</form></main></body></html>"""
ESPACE = "<html><body><main><h1>Votre espace</h1><p>Bonjour.</p></main></body></html>"


def test_a_form_is_sent_with_its_hidden_fields_and_the_buttons_name_then_redirects_keep_cookies():
    def check(request: httpx.Request) -> httpx.Response:
        return httpx.Response(303, headers={"location": "/espace", "set-cookie": "sid=abc; HttpOnly; Path=/"})

    def espace(request: httpx.Request) -> httpx.Response:
        ok = request.headers.get("cookie") == "sid=abc"
        return httpx.Response(200, html=ESPACE) if ok else httpx.Response(302, headers={"location": "/s-identifier"})

    driver, seen = serve(
        {("GET", "/s-identifier"): LOGIN, ("POST", "/s-identifier/verifier"): check, ("GET", "/espace"): espace}
    )
    outcome = driver.login("1850399123456", "Secret-2024")
    assert outcome.accepted and driver.page.url == "https://site.test/espace"
    post = next(r for r in seen if r.method == "POST")
    assert parse_qsl(post.content.decode()) == [
        ("csrf_token", "tok-1"),
        ("login", "1850399123456"),
        ("pwd", "Secret-2024"),
        ("action", "login"),
    ]
    assert post.headers["origin"] == "https://site.test" and post.headers["referer"] == "https://site.test/s-identifier"
    assert [(r.method, r.url.path) for r in seen] == [
        ("GET", "/s-identifier"),
        ("POST", "/s-identifier/verifier"),
        ("GET", "/espace"),  # 303: GET, with the cookie just set
    ]
    assert driver.session_cookies() == {
        "sid": {"value": "abc", "https": True, "httponly": True, "secure": False, "samesite": None}
    }


def test_a_get_form_puts_its_fields_in_the_address():
    page = """<main><form action="/recherche"><label for="q">Votre question</label><input id="q" name="q">
    <input type="hidden" name="page" value="2"><button>Demander au Chatbot</button></form>
    <section aria-label="Réponse du Chatbot"><p>Une réponse</p></section></main>"""
    driver, seen = serve({("GET", "/"): page, ("GET", "/recherche"): page})
    driver.open_home()
    driver._set("chatbot_question", "un mot & un autre")
    driver._activate("chatbot_demander")
    assert urlsplit(str(seen[-1].url)).query == "q=un+mot+%26+un+autre&page=2"


def test_a_page_that_needs_javascript_is_not_applicable():
    shell = """<html><head><script src="/app.js" defer></script></head><body><div id="app"></div>
    <noscript>Activez JavaScript pour utiliser ce site.</noscript></body></html>"""
    driver, _ = serve({("GET", "/"): shell, ("GET", "/s-identifier"): shell})
    with pytest.raises(NotApplicable, match=r"affiche son contenu avec JavaScript, que le pilote http n'exécute pas"):
        driver.start_registration()
    with pytest.raises(NotApplicable, match="JavaScript"):
        driver.login("x", "y")
    # a page that works without scripts (a tracking pixel for those without) and lacks the element: an error
    tracked = LOGIN.replace("<main>", '<main><script src="/stats.js"></script><noscript><img src="/px.gif"></noscript>')
    driver, _ = serve({("GET", "/"): tracked})
    with pytest.raises(TargetError, match=r"« Mon Compte » \(bouton ou lien\) introuvable|« Aides et démarches »"):
        driver.start_registration()


def test_a_button_that_only_a_script_makes_work_is_not_applicable_and_a_missing_one_is_an_error():
    driver, _ = serve({("GET", "/s-identifier"): LOGIN})
    driver._goto("connexion")
    with pytest.raises(NotApplicable, match=r"n'agit qu'avec JavaScript"):
        driver._click(Node(driver.doc, driver.doc.soup.find("button", type="button")), "se_connecter")
    with pytest.raises(
        TargetError, match=r"Élément « Créer un compte » \(bouton ou lien\) introuvable sur https://site.test"
    ):
        driver._activate("creer_un_compte")


# The intents the http driver takes as the browser driver wrote them: they act on a page only through the
# primitives it overrides (finding, clicking, setting, reading). A new intent of the browser driver is not
# taken silently: decide whether it works as is over HTTP, needs an override, or is not applicable.
INHERITED = {
    "ask_chatbot",
    "attempt",
    "choose_any_prestation",
    "choose_password",
    "choose_prestation",
    "choose_theme",
    "current_step",
    "demarches",
    "espace_identity",
    "fill_civil_status",
    "follow",
    "franceconnect",
    "is_offered",
    "login",
    "logout",
    "offered_actions",
    "open_home",
    "page_shown",
    "request_code",
    "request_prestation",
    "resend_code",
    "set_procuration",
    "start_registration",
    "step_indicator",
    "submit_code",
    "submit_identity_document",
    "themes",
}


def test_every_intent_taken_from_the_browser_driver_is_one_that_works_over_http():
    from moncompte.steps.drivers.base import Driver
    from moncompte.steps.drivers.browser import BrowserDriver

    taken = {
        name
        for name in dir(Driver)
        if not name.startswith("_")
        and name in BrowserDriver.__dict__
        and getattr(HttpPagesDriver, name) is getattr(BrowserDriver, name)
    }
    assert taken == INHERITED
    with pytest.raises(NotApplicable, match="l'accessibilité se vérifie sur les pages"):
        serve({})[0].use_keyboard_only()


# ── end to end, on the reference ─────────────────────────────────────────────────
def test_check_with_the_http_driver_on_the_reference(tmp_path):
    """The whole suite through the reference's pages over HTTP: every rule conforming, navigation ① ② ③
    included, but accessibility (the browser's), not applicable here."""
    proc = subprocess.run(
        [*targets.MONCOMPTE, "check", "--driver", "http", "--report", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    document = read_report(tmp_path)
    assert document["drivers"] == ["http"]
    not_passing = {e["id"]: e["verdict"] for e in document["rules"] if e["verdict"] != "pass"}
    accessibility = {e["id"] for e in document["rules"] if e["id"].startswith("A11Y-")}
    assert len(accessibility) == 6
    assert not_passing == dict.fromkeys(accessibility, "not_applicable"), json.dumps(not_passing, indent=1)
    navigation = [e for e in document["rules"] if e["id"].startswith("NAV-")]
    assert navigation and all(e["verdict"] == "pass" and e["counts"]["passed"] for e in navigation)
    assert re.search(r"Pilote http : \d+ scénarios : \d+ réussis, 0 échoués", proc.stdout), proc.stdout[-2000:]

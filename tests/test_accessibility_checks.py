"""The RGAA check building blocks (``steps/drivers/accessibility.py``) on handwritten pages.

One Chromium for the module (``find_chromium``, as the browser driver launches it), a fresh page per
test filled with ``page.set_content``. Each check finds a realistic defect and passes ``GOOD``: an
accessible form after a refusal (labels, errors tied with aria-describedby, a role=alert summary,
visible focus, a fluid layout).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import sync_playwright

from moncompte.steps.browser_setup import find_chromium
from moncompte.steps.drivers.accessibility import (
    ZOOM_200_WIDTH,
    axe_violations,
    horizontal_overflow,
    keyboard_walk,
    outline_screenshot,
    unlabelled_fields,
    untied_errors,
)

HEAD = '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Créer mon compte</title>'

GOOD = (
    HEAD
    + """<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: sans-serif; max-width: 40rem; margin: 0 auto; padding: 1rem; }
  .champ { margin: 1rem 0; }
  label { display: block; }
  input[type=email], input[type=text], select { width: 100%; box-sizing: border-box; }
  .erreur { color: #ce0500; }
  :focus { outline: 3px solid #0a76f6; outline-offset: 2px; }
</style></head>
<body><main>
<h1>Créer mon compte</h1>
<div role="alert" id="recapitulatif">
  <h2>Le formulaire contient 2 erreurs</h2>
  <ul><li><a href="#email">Adresse électronique</a></li><li><a href="#mme">Civilité</a></li></ul>
</div>
<form action="#" method="post" novalidate>
  <div class="champ">
    <label for="email">Adresse électronique</label>
    <input id="email" name="email" type="email" autocomplete="email" aria-invalid="true" aria-describedby="email-erreur">
    <p id="email-erreur" class="erreur">Format attendu : nom@domaine.fr</p>
  </div>
  <fieldset class="champ" aria-describedby="civilite-erreur">
    <legend>Civilité</legend>
    <p id="civilite-erreur" class="erreur">Choisissez une civilité</p>
    <input type="radio" id="mme" name="civilite" value="mme"><label for="mme">Madame</label>
    <input type="radio" id="m" name="civilite" value="m"><label for="m">Monsieur</label>
  </fieldset>
  <div class="champ"><label>Département <select name="departement"><option>Ain</option><option>Aisne</option></select></label></div>
  <div class="champ"><input type="text" name="ville" aria-label="Ville de naissance"></div>
  <div class="champ"><span id="nom-etiquette">Nom de naissance</span> <input type="text" name="nom" aria-labelledby="nom-etiquette"></div>
  <div class="champ"><label><input type="checkbox" name="cgu"> J'accepte les conditions</label></div>
  <input type="hidden" name="jeton" value="x">
  <button type="submit">Valider</button>
</form>
</main></body></html>"""
)


def page_of(body: str, style: str = "") -> str:
    return f"{HEAD}<style>{style}</style></head><body><main><h1>Créer mon compte</h1>{body}</main></body></html>"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    executable, args = find_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def context(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    yield context
    context.close()


@pytest.fixture
def page(context) -> Iterator:
    page = context.new_page()
    yield page
    page.close()


def show(page, html: str):
    page.set_content(html)
    return page


# ── good page: no false positive ───────────────────────────────────────────
def test_an_accessible_form_passes_every_check(page):
    show(page, GOOD)
    assert axe_violations(page) == []
    assert unlabelled_fields(page) == []
    assert untied_errors(page, expect_errors=True) == []
    report = keyboard_walk(page)
    assert report.findings == (), [f.text for f in report.findings]
    assert report.complete and report.shift_tab_returns is True and not report.trap
    assert [s.description for s in report.stops][:3] == [
        "a « Adresse électronique »",
        "a « Civilité »",
        "input[type=email]#email « Adresse électronique »",
    ]
    assert report.stops[-1].description == "button « Valider »"
    assert all(stop.visible_focus for stop in report.stops)
    assert horizontal_overflow(page) is None
    assert horizontal_overflow(page, ZOOM_200_WIDTH, 720) is None
    assert page.viewport_size == {"width": 1280, "height": 900}


# ── 1. axe-core ────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    "body, rule",
    [
        ('<form><input type="image" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></form>', "input-image-alt"),
        ('<form><input type="text" name="nom"></form>', "label"),  # axe takes a placeholder for a name
        (
            '<form><button type="submit"><img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></button></form>',
            "button-name",
        ),
    ],
    ids=["image-button", "field", "button-with-image"],
)
def test_axe_reports_serious_violations_with_their_nodes(page, body, rule):
    show(page, page_of(body))
    violations = axe_violations(page)
    assert [v.rule for v in violations] == [rule]
    violation = violations[0]
    assert violation.impact in ("serious", "critical") and violation.help_url.startswith("https://")
    assert violation.nodes[0].target and violation.nodes[0].html.startswith(("<input", "<button"))
    assert f"axe-core « {rule} » (impact critique)" in violation.text
    assert axe_violations(page, impacts=("minor",)) == []


def test_axe_help_is_in_french(page):
    show(page, page_of('<form><input type="text" name="nom"></form>'))
    (violation,) = axe_violations(page)
    assert violation.help == "Chaque élément de formulaire doit avoir une étiquette"
    assert "Form elements must have labels" not in violation.text


def test_axe_snippets_are_cut(page):
    attributes = " ".join(f'data-a{i}="v{i}"' for i in range(40))
    show(page, page_of(f'<form><input type="text" name="nom" {attributes}></form>'))
    (violation,) = axe_violations(page)
    assert len(violation.nodes[0].html) == 200 and violation.nodes[0].html.endswith("…")


def test_axe_checks_the_content_of_iframes(page):
    """On a real origin (set_content's about:blank has none), axe reports what is inside an iframe."""
    pages = {
        "/": page_of('<iframe title="Simulateur" src="/cadre"></iframe>'),
        "/cadre": page_of('<form><input type="text" name="montant"></form>'),
    }
    page.route(
        "http://site.test/**", lambda route: route.fulfill(body=pages[route.request.url[16:]], content_type="text/html")
    )
    page.goto("http://site.test/")
    (violation,) = axe_violations(page)
    assert violation.rule == "label" and violation.nodes[0].target == "iframe → input"


# ── 2. fields without a name ───────────────────────────────────────────────
@pytest.mark.parametrize(
    "field",
    [
        '<input type="text" id="nom" placeholder="Nom de naissance">',
        '<label for="nom"></label><input type="text" id="nom">',
        '<input type="text" id="nom" aria-labelledby="absent">',
        '<label><select id="nom"><option>Ain</option></select></label>',
        '<textarea id="nom" aria-label="  "></textarea>',
    ],
    ids=["placeholder", "empty-label", "labelledby-missing", "label-with-only-the-select", "blank-aria-label"],
)
def test_a_field_without_a_name_is_found(page, field):
    show(page, page_of(f'<form>{field}<input type="hidden" name="x"><button>Valider</button></form>'))
    (finding,) = unlabelled_fields(page)
    assert finding.criterion == "11.1" and finding.selector == "#nom"
    assert finding.text.startswith("RGAA 11.1 — ") and "champ sans étiquette" in finding.text
    assert page.locator(finding.selector).count() == 1


@pytest.mark.parametrize(
    "field",
    [
        '<label for="nom">Nom</label><input id="nom">',
        "<label>Nom <input></label>",
        '<input aria-label="Nom">',
        '<span id="l">Nom</span><input aria-labelledby="l">',
        '<input title="Nom">',
        '<input type="submit" value="Valider"><input type="image" alt="Valider" src="">',
        '<input placeholder="caché" style="display:none">',
    ],
)
def test_a_named_or_hidden_field_is_not_reported(page, field):
    show(page, page_of(f"<form>{field}</form>"))
    assert unlabelled_fields(page) == []


# ── 3. error messages ─────────────────────────────────────────────────────
UNTIED = """<form>
  <div><label for="email">Adresse électronique</label><input id="email" type="email" {attrs}>
  <span {message}>Adresse électronique invalide</span></div>
  <div><label for="nom">Nom</label><input id="nom"></div>
</form>"""


@pytest.mark.parametrize(
    "attrs, message",
    [
        ('aria-invalid="true"', 'class="fr-error-text"'),
        ("", 'style="color: #d4351c"'),
        ('aria-errormessage="m"', 'id="m" class="error"'),  # aria-errormessage counts only with aria-invalid
    ],
    ids=["class", "red-text", "errormessage-without-invalid"],
)
def test_an_untied_message_and_an_unannounced_refusal_are_found(page, attrs, message):
    show(page, page_of(UNTIED.format(attrs=attrs, message=message)))
    untied, silent = untied_errors(page)
    assert (untied.criterion, untied.selector) == ("11.10", "#email")
    assert "« Adresse électronique invalide » n'est pas relié au champ" in untied.text
    assert silent.criterion == "7.5" and silent.selector == "" and "pas annoncé" in silent.text


def test_a_message_in_a_flat_form_belongs_to_the_field_before_it(page):
    show(
        page,
        page_of(
            '<form role="alert"><label for="a">Nom</label><input id="a"><span class="error">Le nom est obligatoire</span>'
            '<label for="b">Prénom</label><input id="b"></form>'
        ),
    )
    (untied,) = untied_errors(page)
    assert untied.selector == "#a"


def test_a_field_marked_invalid_without_a_message_is_found(page):
    show(
        page,
        page_of(
            '<div role="alert">Erreur de saisie</div><form><label for="n">Nom</label><input id="n" aria-invalid="true"></form>'
        ),
    )
    (finding,) = untied_errors(page)
    assert finding.selector == "#n" and "aucun message d'erreur ne lui est relié" in finding.text


@pytest.mark.parametrize(
    "announce, focus",
    [
        ('<div role="alert">Le formulaire contient une erreur</div>', None),
        ('<p role="status">1 erreur : corrigez le champ signalé</p>', None),
        ('<div aria-live="polite"><p>Veuillez corriger l\'adresse</p></div>', None),
        ('<div id="recap" tabindex="-1"><h2>Il y a une erreur</h2></div>', "#recap"),
        ("", "#email"),  # the focus on the field whose error is tied: its description is read
    ],
    ids=["alert", "status", "live-polite", "focused-summary", "focused-field"],
)
def test_tied_errors_announced_any_way_pass(page, announce, focus):
    form = UNTIED.format(attrs='aria-invalid="true" aria-describedby="m"', message='id="m" class="erreur"')
    show(page, page_of(announce + form))
    if focus:
        page.focus(focus)
    assert untied_errors(page) == []


@pytest.mark.parametrize(
    "message",
    [
        '<label for="email">Adresse électronique <span class="error">invalide, format nom@domaine.fr</span></label>',
        '<p id="m" class="error" role="alert">Adresse électronique invalide</p>',
    ],
)
def test_a_message_in_the_label_or_described_is_tied(page, message):
    described = 'aria-describedby="m"' if 'id="m"' in message else ""
    show(
        page, page_of(f'<div role="alert">Erreur</div><form><div>{message}<input id="email" {described}></div></form>')
    )
    assert untied_errors(page) == []


def test_a_summary_listing_the_errors_belongs_to_no_field(page):
    """A role=alert list of the errors (no link, no heading) beside the form and another one-field form."""
    summary = '<div role="alert" class="erreurs"><p>Des erreurs empêchent de continuer :</p><ul><li>Nom obligatoire</li></ul></div>'
    form = '<form><div><label for="n">Nom</label><input id="n" aria-invalid="true" aria-describedby="e"><p id="e" class="erreur">Nom obligatoire</p></div></form>'
    aside = '<aside><form><label for="q">Votre question</label><input id="q"></form></aside>'
    show(page, page_of(summary + form + aside))
    assert untied_errors(page) == []


def test_a_page_without_errors_is_reported_only_when_errors_were_expected(page):
    show(
        page,
        page_of(
            '<form><label for="n">Nom</label><input id="n" aria-describedby="aide"><p id="aide">En majuscules</p></form>'
        ),
    )
    assert untied_errors(page) == []
    (finding,) = untied_errors(page, expect_errors=True)
    assert finding.text == (
        "RGAA 11.10 — aucune erreur n'est affichée ni aucun champ marqué invalide après le refus du formulaire"
    )


# ── 4. keyboard ───────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    "button",
    [
        '<button type="submit" tabindex="-1">Valider</button>',
        '<div class="bouton" onclick="this.closest(\'form\').submit()">Valider</div>',
        '<div class="bouton" style="cursor: pointer">Valider</div>',
    ],
    ids=["tabindex-1", "div-onclick", "div-listener"],
)
def test_a_submit_button_tab_never_reaches_is_found(page, button):
    show(page, page_of(f'<form><label for="n">Nom</label><input id="n">{button}</form>'))
    report = keyboard_walk(page)
    assert [s.description for s in report.stops] == ["input[type=text]#n « Nom »"]
    (unreached,) = report.unreached
    assert "Valider" in unreached.description
    (finding,) = report.findings
    assert finding.criterion == "12.8" and "jamais atteint avec la touche Tab" in finding.text


def test_an_invisible_focus_is_found_and_a_border_change_is_visible(page):
    style = "input:focus { outline: none; border-color: #000091; } button:focus { outline: none; }"
    show(page, page_of('<form><label for="n">Nom</label><input id="n"><button>Valider</button></form>', style))
    report = keyboard_walk(page)
    assert [s.visible_focus for s in report.stops] == [True, False]
    assert "border-top-color" in report.stops[0].focus_change
    (finding,) = report.findings
    assert finding.criterion == "10.7" and finding.element == "button « Valider »"


@pytest.mark.parametrize(
    "style, visible",
    [
        ("button:focus { outline: none; box-shadow: 0 0 0 3px #000091; }", True),
        ("button:focus { outline: none; } p:focus-within { background: #e3e3fd; }", True),
        ("button:focus { outline: none; } button:focus::after { content: ''; border-bottom: 2px solid; }", True),
        (
            "button { transition: box-shadow .3s .5s; } button:focus { outline: none; box-shadow: 0 0 0 3px #000091; }",
            True,
        ),
        ("button:focus { outline: 2px solid transparent; }", False),
        ("button:focus { outline: 0 solid red; }", False),
    ],
    ids=[
        "box-shadow",
        "parent-focus-within",
        "after-underline",
        "delayed-transition",
        "transparent-outline",
        "zero-outline",
    ],
)
def test_focus_indicators_other_than_the_outline(page, style, visible):
    show(page, page_of("<form><p><button>Valider</button></p><a href='#'>Aide</a></form>", style))
    assert keyboard_walk(page).stops[0].visible_focus is visible


def test_tab_through_an_iframe_is_no_trap(page):
    frame = "".join(f"<input aria-label=&quot;Champ {i}&quot;>" for i in range(4))
    show(page, page_of(f'<form><iframe title="Cadre" srcdoc="{frame}"></iframe><button>Valider</button></form>'))
    report = keyboard_walk(page)
    assert not report.trap and report.unreached == ()
    assert [s.description for s in report.stops] == ["iframe « Cadre »", "button « Valider »"]


TRAPS = {
    "keydown": "n.addEventListener('keydown', e => { if (e.key === 'Tab') e.preventDefault(); });",
    "blur": "n.addEventListener('blur', () => setTimeout(() => n.focus(), 0));",
}


@pytest.mark.parametrize("script", TRAPS.values(), ids=TRAPS.keys())
def test_a_keyboard_trap_is_found(page, script):
    body = f'<form><label for="n">Nom</label><input id="n"><label for="p">Prénom</label><input id="p"><button id="v">Valider</button></form><script>{script}</script>'
    show(page, page_of(body))
    report = keyboard_walk(page)
    assert [s.selector for s in report.trap] == ["#n"] and report.complete
    assert {u.selector for u in report.unreached} == {"#p", "#v"}
    assert any(f.criterion == "12.9" and "piège au clavier" in f.text for f in report.findings)


def test_focus_cycling_among_some_elements_is_a_trap(page):
    script = "b.addEventListener('keydown', e => { if (e.key === 'Tab' && !e.shiftKey) { e.preventDefault(); a.focus(); } });"
    show(
        page,
        page_of(
            f'<form><input id="a" aria-label="A"><input id="b" aria-label="B"><button>Valider</button></form><script>{script}</script>'
        ),
    )
    report = keyboard_walk(page)
    assert [s.selector for s in report.trap] == ["#a", "#b"]
    assert "entre 2 éléments" in next(f.text for f in report.findings if f.criterion == "12.9")


def test_a_focus_kept_in_an_open_modal_dialog_is_no_trap(page):
    script = """
const d = document.querySelector('dialog');
d.showModal();
"""
    show(
        page,
        page_of(
            f'<form><input aria-label="Nom"></form><dialog><button>OK</button><button>Annuler</button></dialog><script>{script}</script>'
        ),
    )
    report = keyboard_walk(page)
    assert not report.trap and report.unreached == ()


def test_shift_tab_hijacked_on_the_last_element_is_found(page):
    script = (
        "v.addEventListener('keydown', e => { if (e.key === 'Tab' && e.shiftKey) { e.preventDefault(); a.focus(); } });"
    )
    show(
        page,
        page_of(
            f'<form><input id="a" aria-label="A"><input id="b" aria-label="B"><button id="v">Valider</button></form><script>{script}</script>'
        ),
    )
    report = keyboard_walk(page)
    assert report.shift_tab_returns is False
    assert [f.text for f in report.findings] == [
        "RGAA 12.8 — button#v « Valider » : Maj+Tab depuis le dernier élément atteint ne ramène pas à l'élément précédent"
    ]


def test_a_walk_cut_short_only_reports_controls_before_its_end(page):
    show(page, page_of("<form>" + "".join(f'<input aria-label="Champ {i}">' for i in range(10)) + "</form>"))
    report = keyboard_walk(page, max_presses=4)
    assert not report.complete and len(report.stops) == 4 and report.unreached == ()


# ── 5. reflow ─────────────────────────────────────────────────────────────
TABLE = '<table id="tarifs" style="width: 500px"><tr><td>Tarif</td></tr></table>'


@pytest.mark.parametrize(
    "width, element, style",
    [
        (360, TABLE, ""),
        (ZOOM_200_WIDTH, '<div id="bandeau" style="width: 700px">Bandeau</div>', ""),
        (360, TABLE, "html, body { overflow-x: hidden }"),
    ],
    ids=["phone", "zoom-200", "clipped-by-body"],
)
def test_a_fixed_width_element_overflows_a_narrow_viewport(page, width, element, style):
    show(page, page_of(f"<p>Texte</p>{element}", style))
    finding = horizontal_overflow(page, width=width)
    assert finding is not None and finding.client_width <= width < finding.scroll_width
    assert [e.selector for e in finding.elements] == ["#" + element.split('id="')[1].split('"')[0]]
    assert finding.text.startswith(f"RGAA 10.11 — à {width} × 740 px, le contenu déborde horizontalement")
    assert page.viewport_size == {"width": 1280, "height": 900}


def test_a_scrolling_table_in_its_own_container_does_not_overflow_the_page(page):
    table = '<div style="overflow-x: auto"><table style="width: 500px"><tr><td>Tarif</td></tr></table></div>'
    show(page, page_of(table))
    assert horizontal_overflow(page) is None


# ── 6. screenshot ─────────────────────────────────────────────────────────
def test_outline_screenshot_outlines_then_puts_the_style_back(page, tmp_path):
    show(page, page_of('<p id="a" style="outline: 1px dotted blue">Texte</p><p class="b">Autre</p>'))
    before = page.screenshot()
    path = tmp_path / "capture.png"
    assert outline_screenshot(page, ["#a", ".b", "#absent", "::not a selector"], path) == 2
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.read_bytes() != before
    assert page.evaluate("document.getElementById('a').style.outline") == "blue dotted 1px"
    assert page.evaluate("document.querySelector('.b').getAttribute('style')") in ("", None)
    assert page.screenshot() == before

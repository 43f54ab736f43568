"""report.html: the French report a product owner reads, rendered in a real Chromium."""

import base64
import json

import pytest
from playwright.sync_api import sync_playwright

from moncompte.harness import conformance, report_html
from moncompte.rules import guide
from moncompte.steps.browser_setup import find_chromium

# A 1×1 red PNG, written literally.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


@pytest.fixture
def report(tmp_path):
    shot = tmp_path / "artefacts" / "mdp" / "echec.png"
    shot.parent.mkdir(parents=True)
    shot.write_bytes(PNG)
    trace = shot.with_name("trace.zip")
    trace.write_bytes(b"PK")
    results = [
        {
            "scenario": "Un mot de passe de 25 caractères est refusé",
            "feature": "Choisir son mot de passe",
            "driver": "browser",
            "outcome": "failed",
            "message": "Attendu : « Le mot de passe doit faire entre 8 et 24 caractères. »\nObservé : aucun message",
            "rule_ids": ["MDP-LONGUEUR"],
            "artefacts": {"screenshot": str(shot), "trace": str(trace)},
        },
        {
            "scenario": "Une clé fausse est refusée",
            "feature": "État civil",
            "driver": "api",
            "outcome": "passed",
            "rule_ids": ["NIR-CLE"],
        },
    ]
    doc = conformance.build(
        results,
        target="http://127.0.0.1:1",
        profile="default",
        drivers=["api", "browser"],
        started_at="2026-11-27T10:00:00",
        finished_at="2026-11-27T10:01:00",
    )
    (tmp_path / "conformance.json").write_text(json.dumps(doc), encoding="utf-8")
    return report_html.write(doc, tmp_path)


def test_passages_cut_the_guide_by_step():
    passages = guide.passages()
    assert list(passages) == ["Introduction", "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "Bon à savoir"]
    assert passages["⑧"].startswith("⑧ Je choisis mon mot de passe.")
    assert "- mon lieu de naissance." in passages["④"]
    assert "procuration" in passages["Bon à savoir"]


def test_report_is_one_file_with_the_screenshot_inline(report):
    html = report.read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html
    assert 'href="artefacts/mdp/trace.zip"' in html
    assert '<html lang="fr">' in html


def test_report_opens_in_chromium_with_steps_verdicts_and_screenshot(report):
    executable, args = find_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args, headless=True)
        page = browser.new_page()
        page.goto(report.as_uri())
        headings = page.get_by_role("heading", level=2).all_inner_texts()
        assert headings[:4] == ["Résumé", "Vue d'ensemble", "Introduction", "Étape ①"]
        assert "Étape ⑨" in headings and "Bon à savoir" in headings
        summary = page.get_by_role("list").first.inner_text()
        assert "Conforme : 1" in summary and "Non conforme : 1" in summary
        assert "Règles MUST non conformes : MDP-LONGUEUR" in page.locator(".glance.fail").inner_text()
        # the overview: a row per rule, a verdict per driver, the counts
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name="MDP-LONGUEUR", exact=True))
        assert "Non conforme" in row.inner_text() and "1 échoués" in row.inner_text()

        def overview_row(rule_id):
            return page.get_by_role("row").filter(has=page.get_by_role("link", name=rule_id, exact=True)).inner_text()

        assert "choix du projet" in overview_row("CODE-TENTATIVES") and "choix du projet" not in overview_row("NIR-CLE")
        rule = page.locator("#MDP-LONGUEUR")
        assert rule.locator(".badge").first.inner_text() == "Non conforme"
        assert rule.locator("details").get_attribute("open") is not None  # a failure: unfolded
        assert "Observé : aucun message" in rule.inner_text()
        image = rule.get_by_role("img")
        assert image.evaluate("img => img.complete && img.naturalWidth") == 1
        passing = page.locator("#NIR-CLE")
        assert passing.locator(".badge").first.inner_text() == "Conforme"
        assert passing.locator("details").get_attribute("open") is None  # folded
        for width in (1280, 360):  # readable on a desktop and on a phone: no page wider than the screen
            page.set_viewport_size({"width": width, "height": 800})
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        browser.close()

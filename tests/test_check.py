"""``moncompte check``: its pieces on literal inputs, the report plugin on a tiny suite, and end to end."""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from moncompte import rules
from moncompte.harness import check, ci_formats, console, suite, targets
from moncompte.harness.cli import main
from tests.schemacheck import read_report

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*targets.MONCOMPTE, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


# ── exit code 2: the run cannot be made ───────────────────────────────────────


def test_unreachable_target_is_a_french_error_with_exit_code_2(tmp_path):
    url = f"http://127.0.0.1:{targets.free_port()}"  # nothing listens there any more
    start = time.monotonic()
    proc = run_cli("check", "--target", url, "--driver", "api", "--report", str(tmp_path), timeout=30)
    assert time.monotonic() - start < 10
    assert proc.returncode == 2
    assert f"la cible {url} est injoignable" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "conformance.json").exists()


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ('name = "x"\n[parameters.MDP-LONGUEUR]\nmin = 10\n', "reference"),  # an override needs its reference
        ('name = "x"\n[parameters.INCONNUE]\nmin = 1\nreference = "t"\n', "Règle inconnue dans le profil : INCONNUE"),
        ("name = \n", "TOML invalide"),
    ],
)
def test_invalid_profile_exits_2(tmp_path, capsys, profile, expected):
    path = tmp_path / "site.toml"
    path.write_text(profile, encoding="utf-8")
    assert main(["check", "--profile", str(path), "--target", "http://127.0.0.1:9", "--report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and str(path) in err


def test_the_profile_base_url_is_the_default_target(tmp_path, capsys):
    url = f"http://127.0.0.1:{targets.free_port()}"
    path = tmp_path / "recette.toml"
    path.write_text(f'name = "recette"\nbase_url = "{url}"\n', encoding="utf-8")
    assert main(["check", "--profile", str(path), "--report", str(tmp_path)]) == 2
    assert f"la cible {url} est injoignable" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--rule", "MDP-INCONNUE"], "règle inconnue : MDP-INCONNUE"),
        (["--workers", "0"], "--workers doit valoir au moins 1"),
        (["--target", "ftp://exemple.fr"], "adresse de cible invalide : ftp://exemple.fr"),
    ],
)
def test_bad_options_exit_2(tmp_path, capsys, args, expected):
    assert main(["check", "--report", str(tmp_path), *args]) == 2
    assert expected in capsys.readouterr().err


# ── how pytest is called ──────────────────────────────────────────────────────


def test_marker_expression():
    assert check.marker_expression(None, None) is None
    assert check.marker_expression("etape_8 or etape_4", None) == "(etape_8 or etape_4)"
    assert check.marker_expression(None, "MDP-LONGUEUR") == "MDP-LONGUEUR"
    assert check.marker_expression("not securite", "MDP-LONGUEUR") == "(not securite) and MDP-LONGUEUR"
    assert (
        check.marker_expression("etape_8", ["MDP-LONGUEUR", "MDP-CHIFFRE"])
        == "(etape_8) and (MDP-LONGUEUR or MDP-CHIFFRE)"
    )


def test_several_rules_repeated_or_comma_separated(tmp_path, capsys):
    assert (
        main(
            [
                "check",
                "--rule",
                "mdp-longueur,MDP-CHIFFRE",
                "--rule",
                "NIR-CLE",
                "--rule",
                "PAS-UNE-REGLE",
                "--report",
                str(tmp_path),
            ]
        )
        == 2
    )
    assert "règle inconnue : PAS-UNE-REGLE (la liste : « moncompte rules »)" in capsys.readouterr().err


def test_pytest_command_adds_selection_and_workers(tmp_path):
    base = suite.pytest_command("browser", "http://h", "default", tmp_path, None, 1)
    assert base[1:4] == ["-m", "pytest", str(suite.SUITE)]
    assert ["--driver", "browser"] == base[base.index("--driver") : base.index("--driver") + 2]
    assert "-n" not in base and base.count("-m") == 1
    full = suite.pytest_command("api", "http://h", "default", tmp_path, "(etape_8) and MDP-LONGUEUR", 3)
    assert full[-6:] == ["-m", "(etape_8) and MDP-LONGUEUR", "-n", "3", "--dist", "worksteal"]
    retry = suite.pytest_command("browser", "http://h", "default", tmp_path, None, 1, tests=["steps/t.py::test_a"])
    assert retry[1:4] == ["-m", "pytest", "steps/t.py::test_a"] and str(suite.SUITE) not in retry


# ── merging the per-driver reports ────────────────────────────────────────────

JUNIT_API = """<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest"
 errors="0" failures="1" skipped="0" tests="2" time="1.5"><testcase classname="test_conformite" name="test_a"
 time="0.5"/><testcase classname="test_conformite" name="test_b" time="1.0"><failure message="m">t</failure>
</testcase></testsuite></testsuites>"""
JUNIT_BROWSER = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="0"
 skipped="1" tests="2" time="2.25"><testcase classname="test_conformite" name="test_a" time="2"><skipped
 message="non applicable : x"/></testcase><testcase classname="test_conformite" name="test_b" time="0.25">
<error message="e"/></testcase></testsuite></testsuites>"""


def test_merge_junit_one_suite_per_driver():
    root = ET.fromstring(ci_formats.merge_junit({"api": JUNIT_API, "browser": JUNIT_BROWSER}))
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root.findall("testsuite")] == ["conformite-api", "conformite-browser"]
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped", "time")} == {
        "tests": "4",
        "failures": "1",
        "errors": "1",
        "skipped": "1",
        "time": "3.750",
    }
    assert [c.get("classname") for c in root.iter("testcase")] == [
        "api.test_conformite",
        "api.test_conformite",
        "browser.test_conformite",
        "browser.test_conformite",
    ]


def test_merge_junit_with_no_part():
    root = ET.fromstring(ci_formats.merge_junit({}))
    assert root.get("tests") == "0" and root.findall("testsuite") == []


def test_merge_cucumber_concatenates_and_names_the_driver():
    api = [{"id": "features/mdp.feature", "name": "Mot de passe", "elements": [{"name": "s"}]}]
    browser = [
        {"id": "features/mdp.feature", "name": "Mot de passe", "elements": []},
        {"id": "features/code.feature", "name": "Code", "elements": []},
    ]
    assert ci_formats.merge_cucumber({"api": api, "browser": browser}) == [
        {"id": "api;features/mdp.feature", "name": "Mot de passe (pilote api)", "elements": [{"name": "s"}]},
        {"id": "browser;features/mdp.feature", "name": "Mot de passe (pilote browser)", "elements": []},
        {"id": "browser;features/code.feature", "name": "Code (pilote browser)", "elements": []},
    ]


def test_merge_cucumber_spells_the_tags_as_cucumber_does():
    """pytest-bdd writes the tags without their « @ »; Cucumber (and the tools that read its JSON) with it."""
    feature = {
        "id": "f",
        "name": "Mot de passe",
        "tags": [{"name": "etape_8", "line": 1}],
        "elements": [{"name": "s", "tags": [{"name": "MDP-LONGUEUR", "line": 4}, {"name": "@securite", "line": 4}]}],
    }
    [merged] = ci_formats.merge_cucumber({"api": [feature]})
    assert merged["tags"] == [{"name": "@etape_8", "line": 1}]
    assert merged["elements"][0]["tags"] == [{"name": "@MDP-LONGUEUR", "line": 4}, {"name": "@securite", "line": 4}]
    assert feature["tags"] == [{"name": "etape_8", "line": 1}]  # the input is left as it was


def record(scenario, outcome, steps, message="", tags=("MDP-LONGUEUR", "etape_8")):
    return {
        "nodeid": f"steps/test_conformite.py::test_{scenario}",
        "feature": "Mot de passe",
        "feature_file": "mot_de_passe/mdp.feature",
        "feature_line": 2,
        "rule": None,
        "scenario": scenario,
        "line": 10,
        "tags": list(tags),
        "rule_ids": ["MDP-LONGUEUR"],
        "driver": "api",
        "outcome": outcome,
        "message": message,
        "steps": steps,
        "artefacts": {},
    }


def step(name, failed=False):
    return {"keyword": "Alors", "name": name, "line": 11, "failed": failed, "duration": 0.5}


def test_cucumber_rebuilt_from_results():
    features = ci_formats.cucumber_from_results(
        [
            record("ok", "passed", [step("a"), step("b")]),
            record("ko", "failed", [step("a"), step("b", True), step("c", True)], message="Refus attendu."),
            record("na", "not_applicable", [step("a"), step("b")], message="non applicable : x"),
            record("setup", "not_applicable", [], message="non applicable : y"),
            record(
                "na-intent", "not_applicable", [step("a"), step("b", True), step("c", True)], message="non applicable"
            ),
        ]
    )
    assert len(features) == 1
    feature = features[0]
    assert (feature["uri"], feature["name"], feature["line"]) == ("mot_de_passe/mdp.feature", "Mot de passe", 2)
    assert [e["name"] for e in feature["elements"]] == ["ok", "ko", "na", "na-intent"]
    statuses = [[s["result"]["status"] for s in e["steps"]] for e in feature["elements"]]
    assert statuses == [
        ["passed", "passed"],
        ["passed", "failed", "failed"],
        ["passed", "skipped"],
        ["passed", "skipped", "skipped"],
    ]
    ko_steps = feature["elements"][1]["steps"]
    assert ko_steps[1]["result"]["error_message"] == "Refus attendu."
    assert "error_message" not in ko_steps[2]["result"]
    assert ko_steps[0]["result"]["duration"] == 500_000_000
    assert feature["elements"][0]["tags"] == [{"name": "@MDP-LONGUEUR", "line": 9}, {"name": "@etape_8", "line": 9}]
    assert feature["elements"][0]["id"] == "test_ok"


# ── the console lines ─────────────────────────────────────────────────────────

DOCUMENT = {
    "summary": {"pass": 0, "fail": 2, "warning": 1, "not_applicable": 1, "not_run": 1},
    "rules": [
        {
            "id": "MDP-LONGUEUR",
            "title": "Mot de passe de 8 à 24 caractères",
            "level": "MUST",
            "verdict": "fail",
            "scenarios": [
                {
                    "name": "25 caractères",
                    "feature": "Mot de passe",
                    "driver": "api",
                    "outcome": "failed",
                    "message": "Le mot de passe de 25 caractères a été accepté.\nattendu : refus",
                },
                {
                    "name": "8 caractères",
                    "feature": "Mot de passe",
                    "driver": "api",
                    "outcome": "passed",
                    "message": "",
                },
            ],
        },
        {
            "id": "MDP-CHIFFRE",
            "title": "Au moins 1 chiffre",
            "level": "MUST",
            "verdict": "fail",
            "scenarios": [
                {"name": f"s{i}", "feature": "Mot de passe", "driver": "api", "outcome": "failed", "message": "m"}
                for i in range(5)
            ],
        },
        {
            "id": "CHATBOT",
            "title": "Chatbot",
            "level": "SHOULD",
            "verdict": "warning",
            "scenarios": [
                {"name": "question", "feature": "Chatbot", "driver": "browser", "outcome": "failed", "message": ""}
            ],
        },
        {"id": "X", "title": "Non applicable", "level": "MUST", "verdict": "not_applicable", "scenarios": []},
        {
            "id": "FC",
            "title": "FranceConnect",
            "level": "MUST",
            "verdict": "not_run",
            "scenarios": [],
            "reason": "non vérifié : aucune identité de test du profil ne convient",
        },
    ],
}


def test_rule_lines():
    assert console.rule_lines(DOCUMENT) == [
        "non conforme    MDP-LONGUEUR  Mot de passe de 8 à 24 caractères",
        "                ↳ [api] Mot de passe / 25 caractères : Le mot de passe de 25 caractères a été accepté.",
        "non conforme    MDP-CHIFFRE   Au moins 1 chiffre",
        "                ↳ [api] Mot de passe / s0 : m",
        "                ↳ [api] Mot de passe / s1 : m",
        "                ↳ [api] Mot de passe / s2 : m",
        "                ↳ … et 2 autres scénarios en échec (conformance.json)",
        "avertissement   CHATBOT       Chatbot",
        "                ↳ [browser] Chatbot / question",
        "non applicable  X             Non applicable",
        "non vérifié     FC            FranceConnect",
        "                ↳ non vérifié : aucune identité de test du profil ne convient",
    ]


def test_summary_line():
    assert console.summary_line(DOCUMENT) == (
        "Résumé (5 règles) : conforme : 0, non conforme : 2, avertissement : 1, non applicable : 1,"
        " non vérifié : 1. Règles MUST en échec : MDP-LONGUEUR, MDP-CHIFFRE. Règles MUST non vérifiées : FC."
    )
    passing = {**DOCUMENT, "rules": DOCUMENT["rules"][2:]}
    assert console.summary_line(passing).endswith(". Aucune règle MUST en échec. Règles MUST non vérifiées : FC.")


def test_exit_code_strict_and_on_warnings():
    failing, passing = DOCUMENT, {**DOCUMENT, "rules": DOCUMENT["rules"][2:]}  # CHATBOT warning, FC not run
    assert check.exit_code(failing) == 1
    assert check.exit_code(passing) == 0
    assert check.exit_code(passing, strict=True) == 1  # FC, a MUST rule, is « non vérifiée »
    assert check.exit_code(passing, fail_on_warning=True) == 1  # CHATBOT, a SHOULD rule, failed
    clean = {**DOCUMENT, "rules": [DOCUMENT["rules"][3]]}  # only a not applicable rule
    assert check.exit_code(clean, strict=True, fail_on_warning=True) == 0


# ── the report plugin on a tiny suite (with and without pytest-xdist) ─────────

FEATURE = """\
# language: fr
@etape_8
Fonctionnalité: Mot de passe

  @MDP-LONGUEUR
  Scénario: accepté
    Étant donné un mot de passe
    Alors il est accepté

  @MDP-LONGUEUR @MDP-CHIFFRE @securite
  Scénario: Un caractère spécial est refusé
    Étant donné un mot de passe
    Alors il est refusé

  @MDP-CHIFFRE
  Scénario: pas pour ce pilote
    Étant donné un mot de passe
    Alors il ne s'applique pas

  @MDP-MAJUSCULE
  Scénario: ignoré
    Étant donné un mot de passe
    Alors il est ignoré

  @MDP-MINUSCULE
  Plan du scénario: longueur
    Étant donné un mot de passe
    Alors il fait <n> caractères

    Exemples:
      | n  | verdict |
      | 8  | accepté |

    @MDP-LONGUEUR
    Exemples: trop long
      | n  | verdict |
      | 24 | refusé  |
"""

STEPS = """\
import pytest
from pytest_bdd import given, parsers, scenarios, then

scenarios("features")


@given("un mot de passe")
def _():
    pass


@then("il est accepté")
def _():
    pass


@then("il est refusé")
def _(request):
    request.node.user_properties.append(("screenshot", "captures/refuse.png"))
    assert False, "Le mot de passe de 25 caractères a été accepté.\\nattendu : un refus\\nobservé : accepté"


@then("il ne s'applique pas")
def _():
    pytest.skip("non applicable : pas de page pour ce pilote")


@then("il est ignoré")
def _():
    pytest.skip("autre raison")


@then(parsers.parse("il fait {n:d} caractères"))
def _(n):
    assert n == 8, f"{n} caractères refusés"
"""

CONFTEST = """\
def pytest_addoption(parser):
    parser.addoption("--driver", default="api")
    for name in ("--target", "--profile", "--report-dir"):
        parser.addoption(name)


def pytest_configure(config):
    for tag in ("etape_8", "securite", "MDP-LONGUEUR", "MDP-CHIFFRE", "MDP-MAJUSCULE", "MDP-MINUSCULE"):
        config.addinivalue_line("markers", tag)
"""


def write_tiny_suite(directory: Path) -> Path:
    """A feature with each kind of outcome, its steps, and the options of the real suite."""
    (directory / "features").mkdir(parents=True, exist_ok=True)
    (directory / "features" / "mdp.feature").write_text(FEATURE, encoding="utf-8")
    (directory / "test_mdp.py").write_text(STEPS, encoding="utf-8")
    (directory / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (directory / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return directory / "test_mdp.py"


def run_tiny_suite(tmp_path: Path, *extra: str, conftest: str = "") -> list[dict]:
    """Run the tiny suite with the report plugin (``conftest``: more code in its conftest.py)."""
    write_tiny_suite(tmp_path)
    with open(tmp_path / "conftest.py", "a", encoding="utf-8") as file:
        file.write(conftest)
    results = tmp_path / "out" / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "moncompte.steps.report",
            "--results-file",
            str(results),
            "-q",
            "-p",
            "no:cacheprovider",
            "--driver",
            "browser",
            "--junitxml",
            str(tmp_path / "out" / "junit.xml"),
            *extra,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=targets._env(),
        timeout=120,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # two scenarios fail
    return sorted(json.loads(results.read_text(encoding="utf-8")), key=lambda r: r["nodeid"])


EXPECTED_RECORDS = [  # (scenario, outcome, message, rule IDs, artefacts), in node id order
    ("accepté", "passed", "", ["MDP-LONGUEUR"], {}),
    ("ignoré", "skipped", "autre raison", ["MDP-MAJUSCULE"], {}),
    ("longueur [24, refusé]", "failed", "24 caractères refusés", ["MDP-LONGUEUR", "MDP-MINUSCULE"], {}),  # Exemples tag
    ("longueur [8, accepté]", "passed", "", ["MDP-MINUSCULE"], {}),
    ("pas pour ce pilote", "not_applicable", "non applicable : pas de page pour ce pilote", ["MDP-CHIFFRE"], {}),
    (
        "Un caractère spécial est refusé",
        "failed",
        "Le mot de passe de 25 caractères a été accepté.\nattendu : un refus\nobservé : accepté",
        ["MDP-LONGUEUR", "MDP-CHIFFRE"],
        {"screenshot": "captures/refuse.png"},
    ),
]


@pytest.mark.parametrize("extra", [(), ("-n", "2")], ids=["un processus", "xdist"])
def test_report_plugin_records_every_scenario(tmp_path, extra):
    records = run_tiny_suite(tmp_path, *extra)
    assert [(r["scenario"], r["outcome"], r["message"], r["rule_ids"], r["artefacts"]) for r in records] == (
        EXPECTED_RECORDS
    )
    assert {(r["feature"], r["driver"]) for r in records} == {("Mot de passe", "browser")}
    refused = records[-1]
    assert refused["tags"] == ["MDP-CHIFFRE", "MDP-LONGUEUR", "etape_8", "securite"]
    assert [(s["name"], s["failed"]) for s in refused["steps"]] == [("un mot de passe", False), ("il est refusé", True)]
    # JUnit: the scenario's name as written (pytest's node id: test_longueur[24-refus\xe9]), the rule IDs
    assert junit_cases(tmp_path / "out" / "junit.xml") == EXPECTED_JUNIT


EXPECTED_JUNIT = [  # (class, name, rule IDs), in name order
    ("Mot de passe", "Un caractère spécial est refusé", ["MDP-LONGUEUR", "MDP-CHIFFRE"]),
    ("Mot de passe", "accepté", ["MDP-LONGUEUR"]),
    ("Mot de passe", "ignoré", ["MDP-MAJUSCULE"]),
    ("Mot de passe", "longueur [24, refusé]", ["MDP-LONGUEUR", "MDP-MINUSCULE"]),
    ("Mot de passe", "longueur [8, accepté]", ["MDP-MINUSCULE"]),
    ("Mot de passe", "pas pour ce pilote", ["MDP-CHIFFRE"]),
]


def junit_cases(path: Path, prefix: str = "") -> list[tuple[str, str, list[str]]]:
    """(class, name, rule IDs) of the test cases of a JUnit file (of the suites named ``prefix…``), sorted."""
    text = path.read_text(encoding="utf-8")
    cases = sorted(
        (
            case.get("classname"),
            case.get("name"),
            [p.get("value") for p in case.iter("property") if p.get("name") == "regle"],
        )
        for suite in ET.fromstring(text).iter("testsuite")
        if suite.get("name", "").startswith(prefix)
        for case in suite.iter("testcase")
    )
    assert all(f'name="{name}"' in text for _, name, _ in cases)  # UTF-8, the characters themselves
    return cases


TEARDOWN_ERROR = """

import pytest


@pytest.fixture(autouse=True)
def teardown_error(request):
    yield
    if "refus" in request.node.name:
        raise RuntimeError("démontage")
"""


@pytest.mark.parametrize("extra", [(), ("-n", "2")], ids=["un processus", "xdist"])
def test_junit_names_the_test_case_of_a_teardown_error_too(tmp_path, extra):
    """After a failed call, a teardown error is a second JUnit test case: it gets the scenario's name too."""
    run_tiny_suite(tmp_path, *extra, conftest=TEARDOWN_ERROR)
    cases = junit_cases(tmp_path / "out" / "junit.xml")
    assert [name for _, name, _ in cases] == [
        "Un caractère spécial est refusé",
        "Un caractère spécial est refusé",
        "accepté",
        "ignoré",
        "longueur [24, refusé]",
        "longueur [24, refusé]",
        "longueur [8, accepté]",
        "pas pour ce pilote",
    ]


# ── the whole of check, with the tiny suite in place of the features ─────────


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def tiny_target():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_check_writes_the_merged_reports(tmp_path, monkeypatch, capsys, tiny_target, workers):
    monkeypatch.setattr(suite, "SUITE", write_tiny_suite(tmp_path / "suite"))
    report = tmp_path / "rapports"
    code = main(["check", "--target", tiny_target, "--report", str(report), "--workers", workers])
    assert code == 1  # MDP-LONGUEUR, a MUST rule, fails

    document = read_report(report)
    verdicts = {e["id"]: e["verdict"] for e in document["rules"] if e["verdict"] != "not_selected"}
    # MDP-MAJUSCULE's only scenario was skipped (« autre raison »): not checked, so not conforming
    assert verdicts == {
        "MDP-LONGUEUR": "fail",
        "MDP-CHIFFRE": "fail",
        "MDP-MINUSCULE": "fail",
        "MDP-MAJUSCULE": "not_run",
    }
    assert document["drivers"] == ["api", "browser"] and document["target"] == tiny_target
    assert document["profile"] == "default"
    assert len(document["rules"]) == len(rules.RULES)
    assert {
        s["driver"] for s in document["rules"][[e["id"] for e in document["rules"]].index("MDP-LONGUEUR")]["scenarios"]
    } == {"api", "browser"}

    junit = ET.parse(report / "junit.xml").getroot()
    assert [(s.get("name"), s.get("tests")) for s in junit] == [("conformite-api", "6"), ("conformite-browser", "6")]
    for driver in ("api", "browser"):  # each test case named as the console shows it, with its rule IDs
        assert junit_cases(report / "junit.xml", f"conformite-{driver}") == [
            (f"{driver}.{classname}", name, rule_ids) for classname, name, rule_ids in EXPECTED_JUNIT
        ]
    cucumber = json.loads((report / "cucumber.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in cucumber] == ["Mot de passe (pilote api)", "Mot de passe (pilote browser)"]
    assert all(len(f["elements"]) == 6 for f in cucumber)
    # tags as Cucumber writes them: pytest-bdd's file (1 worker), rebuilt from the records (xdist)
    refused = next(e for e in cucumber[0]["elements"] if e["name"] == "Un caractère spécial est refusé")
    assert {"@MDP-LONGUEUR", "@MDP-CHIFFRE", "@securite"} <= {t["name"] for t in refused["tags"]}
    assert all(t["name"].startswith("@") for f in cucumber for e in [f, *f["elements"]] for t in e["tags"])

    out = capsys.readouterr().out
    # the progress lines: feature and scenario as written (pytest's node id: test_longueur[24-refus\xe9])
    assert re.search(r"\] ÉCHEC +Mot de passe / Un caractère spécial est refusé  \(échecs : \d\)", out), out
    assert re.search(r"\] ÉCHEC +Mot de passe / longueur \[24, refusé\]  \(échecs", out), out
    assert "\\x" not in out
    assert "non conforme    MDP-LONGUEUR" in out
    assert "Règles MUST en échec : MDP-LONGUEUR, MDP-CHIFFRE, MDP-MINUSCULE." in out


def test_a_suite_that_cannot_be_collected_exits_2(tmp_path, monkeypatch, capsys, tiny_target):
    broken = write_tiny_suite(tmp_path / "suite")
    broken.write_text("import introuvable\n", encoding="utf-8")
    monkeypatch.setattr(suite, "SUITE", broken)
    assert main(["check", "--target", tiny_target, "--driver", "api", "--report", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "les scénarios n'ont pas pu s'exécuter avec le pilote api" in err and "introuvable" in err


def test_a_bad_tag_expression_exits_2(tmp_path, monkeypatch, capsys, tiny_target):
    monkeypatch.setattr(suite, "SUITE", write_tiny_suite(tmp_path / "suite"))
    args = ["check", "--target", tiny_target, "--driver", "api", "--tags", "etape_8 and (", "--report", str(tmp_path)]
    assert main(args) == 2
    assert "erreur d'utilisation de pytest" in capsys.readouterr().err


# ── end to end, against the reference implementation ──────────────────────────

needs_reference = pytest.mark.skipif(
    not (suite.SUITE.exists() and (REPO / "reference_impl" / "server.py").exists()),
    reason="les scénarios (steps/test_conformite.py) ou « moncompte serve » ne sont pas encore là",
)
# Navigation is checked on the pages: with the API driver these rules are not applicable, with a reason.
BROWSER_ONLY = [
    "NAV-AIDES-DEMARCHES",
    "NAV-ICONE-MON-COMPTE",
    "NAV-MES-DEMARCHES",
    "NAV-BANDEAU-THEMES",
    "NAV-CHOIX-PRESTATION",
    "NAV-FAIRE-LA-DEMANDE",
    "NAV-CREER-UN-COMPTE",
    "RECAP-SE-CONNECTER",
]


def must_verdicts(document: dict) -> dict[str, str]:
    return {e["id"]: e["verdict"] for e in document["rules"] if e["level"] == "MUST"}


@needs_reference
def test_check_passes_on_the_reference_with_the_api_driver(tmp_path):
    proc = run_cli("check", "--driver", "api", "--report", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("conformance.json", "junit.xml", "cucumber.json"):
        assert (tmp_path / name).exists(), name
    document = read_report(tmp_path)
    assert [e["id"] for e in document["rules"]] == [r.id for r in rules.RULES]
    assert document["drivers"] == ["api"]
    verdicts = must_verdicts(document)
    assert {i: v for i, v in verdicts.items() if v != "pass"} == {
        **{rule_id: "not_applicable" for rule_id in BROWSER_ONLY},
    }
    for entry in document["rules"]:
        if entry["id"] in BROWSER_ONLY:
            assert all(s["message"].startswith("non applicable : ") for s in entry["scenarios"]), entry
    assert [s.get("name") for s in ET.parse(tmp_path / "junit.xml").getroot()] == ["conformite-api"]
    assert json.loads((tmp_path / "cucumber.json").read_text(encoding="utf-8"))
    assert "Aucune règle MUST en échec." in proc.stdout


@needs_reference
def test_the_browser_driver_proves_the_navigation_rules(tmp_path):
    proc = run_cli("check", "--driver", "browser", "--tags", " or ".join(BROWSER_ONLY), "--report", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    verdicts = must_verdicts(read_report(tmp_path))
    assert {rule_id: verdicts[rule_id] for rule_id in BROWSER_ONLY} == dict.fromkeys(BROWSER_ONLY, "pass")


# The reference server with one rule broken, without touching its source: the
# password validator is wrapped so that it no longer enforces the maximum length.
BROKEN_PASSWORD_MAX = """
import sys
import moncompte.rules.mot_de_passe as password

_validate = password.validate_password


def validate_password(value, settings=password.DEFAULTS):
    refusals = _validate(value, settings)
    if len(value or "") > settings["MDP-LONGUEUR"]["max"]:  # too long is accepted now
        refusals = [r for r in refusals if r.rule_id != "MDP-LONGUEUR"]
    return refusals


password.validate_password = validate_password
from moncompte.harness.cli import main
sys.exit(main(sys.argv[1:]))
"""


@needs_reference
def test_a_broken_rule_fails_the_check(tmp_path):
    with targets.reference_server(launcher=(sys.executable, "-c", BROKEN_PASSWORD_MAX)) as url:
        proc = run_cli("check", "--target", url, "--driver", "api", "--rule", "MDP-LONGUEUR", "--report", str(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    document = read_report(tmp_path)
    verdicts = {e["id"]: e["verdict"] for e in document["rules"]}
    assert verdicts["MDP-LONGUEUR"] == "fail"
    assert "non conforme    MDP-LONGUEUR" in proc.stdout
    too_long = [
        s for e in document["rules"] if e["id"] == "MDP-LONGUEUR" for s in e["scenarios"] if s["outcome"] == "failed"
    ]
    assert too_long and all("25" in s["name"] for s in too_long), too_long  # only the 25-character example


def test_a_secret_starting_with_a_dash_is_not_taken_for_an_option():
    """token_urlsafe() may start with « - »: the options are passed as --name=value."""
    import argparse

    stand_in = targets.FranceConnectStandIn("http://127.0.0.1:1", "client", "-secret")
    parser = argparse.ArgumentParser()
    for name in ("--fc-discovery-url", "--fc-client-id", "--fc-client-secret"):
        parser.add_argument(name)
    assert parser.parse_args(stand_in.serve_options()).fc_client_secret == "-secret"


@needs_reference
def test_a_browser_failure_gets_a_screenshot_and_the_trace_of_a_retry(tmp_path):
    """Tracing is off for the run (it costs a third of its time); the failed scenarios are run again
    with tracing, and each failure gets that trace, the verdict staying the first run's."""
    with targets.reference_server(launcher=(sys.executable, "-c", BROKEN_PASSWORD_MAX)) as url:
        proc = run_cli(
            "check", "--target", url, "--driver", "browser", "--rule", "MDP-LONGUEUR", "--report", str(tmp_path)
        )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "scénario(s) en échec rejoué(s) avec la trace Playwright" in proc.stdout
    document = read_report(tmp_path)
    failures = [
        s for e in document["rules"] if e["id"] == "MDP-LONGUEUR" for s in e["scenarios"] if s["outcome"] == "failed"
    ]
    assert failures and all("25" in s["name"] for s in failures), failures
    for failure in failures:
        assert failure["retry"] == "échec reproduit"
        screenshot, trace = Path(failure["artefacts"]["screenshot"]), Path(failure["artefacts"]["trace"])
        assert screenshot.read_bytes().startswith(b"\x89PNG")
        assert trace.is_relative_to(tmp_path / "browser" / suite.RETRY_FOLDER)
        assert zipfile.is_zipfile(trace) and any(n.endswith(".trace") for n in zipfile.ZipFile(trace).namelist())
    passed = [s for e in document["rules"] for s in e["scenarios"] if s["outcome"] == "passed"]
    assert passed and not any("trace" in s.get("artefacts", {}) for s in passed)  # no trace for a success
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "scénario rejoué pour la trace, échec reproduit" in html


def test_retrace_attaches_the_retry_trace_and_what_the_retry_did(tmp_path, monkeypatch):
    """The mapping of ``retrace`` (the real retry is in the test above): the failed scenarios, and
    only them, are run again with « --browser-trace toujours »; each failure gets the retry's trace."""
    calls = []

    def fake_run_suite(
        driver,
        url,
        profile,
        out,
        selection,
        workers,
        ws_endpoint=None,
        fc_provider=None,
        *,
        tests=(),
        extra=(),
        what="",
    ):
        calls.append({"driver": driver, "tests": list(tests), "extra": list(extra), "workers": workers})
        return [
            {"nodeid": "t::a", "outcome": "failed", "artefacts": {"trace": "nouvel-essai/a/trace.zip"}},
            {"nodeid": "t::b", "outcome": "passed", "artefacts": {"trace": "nouvel-essai/b/trace.zip"}},
        ]

    monkeypatch.setattr(suite, "run_suite", fake_run_suite)
    results = [
        {"nodeid": "t::a", "outcome": "failed", "artefacts": {"screenshot": "a.png"}},
        {"nodeid": "t::b", "outcome": "failed"},
        {"nodeid": "t::c", "outcome": "passed"},
    ]
    suite.retrace(results, "http://h", "default", tmp_path, workers=4)
    assert calls == [
        {"driver": "browser", "tests": ["t::a", "t::b"], "extra": ["--browser-trace", "toujours"], "workers": 2}
    ]
    assert results[0] == {
        "nodeid": "t::a",
        "outcome": "failed",
        "retry": "échec reproduit",
        "artefacts": {"screenshot": "a.png", "trace": "nouvel-essai/a/trace.zip"},
    }
    assert results[1]["outcome"] == "failed"  # the verdict stays the first run's
    assert results[1]["retry"] == "réussi au nouvel essai : échec intermittent ?"
    assert results[2] == {"nodeid": "t::c", "outcome": "passed"}  # a success is not run again
    calls.clear()
    suite.retrace([{"nodeid": "t::c", "outcome": "passed"}], "http://h", "default", tmp_path, workers=1)
    assert calls == []  # nothing failed: no retry at all


@needs_reference
def test_a_profile_with_its_own_value_is_checked_at_that_value_on_the_reference(tmp_path):
    """« exemple-mdp-10 » (10 characters at least): the reference is started with that minimum; 9 characters
    are refused, 10 accepted, and the guide's 8-character examples are judged by the site's value."""
    proc = run_cli(
        "check", "--profile", "exemple-mdp-10", "--driver", "api", "--tags", "etape_8", "--report", str(tmp_path)
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    document = read_report(tmp_path)
    entries = {e["id"]: e for e in document["rules"]}
    entry = entries["MDP-LONGUEUR"]
    assert entry["verdict"] == "pass" and entry["counts"]["passed"] >= 7
    by_name = {s["name"]: s for e in entries.values() for s in e["scenarios"]}
    assert by_name["Un mot de passe trop court ou trop long est refusé [min − 1, 7]"]["outcome"] == "passed"
    assert by_name["Un mot de passe aux bornes de longueur est accepté [min, 8]"]["outcome"] == "passed"
    judged = by_name["Un mot de passe qui respecte la règle est accepté [Abcdefg1, 8, le minimum du guide]"]
    assert judged["message"] == (
        "exemple du guide jugé selon les valeurs du site : 8 caractères, hors de 10 à 24, donc refusé"
    )

"""``moncompte merge`` (shard report folders into one) and ``moncompte compare`` (two runs of a profile).

The report folders are made as ``moncompte check`` makes them (``conformance.build`` and
``check.write_reports`` on hand-made scenario records); the expected verdicts of a merge are those
``conformance.build`` gives for every record at once. One end-to-end test compares a real run on the
reference with a run on the reference with a fault of ``tests/faults/catalogue.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest

from faults.catalogue import BY_ID as FAULTS_BY_ID
from moncompte import rules
from moncompte.harness import check, conformance, merge, schemas, targets
from moncompte.harness.cli import main
from moncompte.rules.model import Level
from tests.schemacheck import read_report
from tests.test_faults import CHECK_TIMEOUT, REPO, faulty_server, run_check

TARGET = "https://recette.exemple.fr"
DEVIATIONS = {"MDP-MAJUSCULE": {"reason": "majuscule non exigée en recette", "ticket": "RECETTE-12"}}
NOT_APPLICABLE = {"CHATBOT": "le site n'a pas d'assistant en ligne"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16  # enough of a PNG for report.html to inline it


def record(
    n: int, rule_ids: list[str], outcome: str, driver: str = "api", message: str = "", feature: str = "Mot de passe"
) -> dict[str, Any]:
    """A ``steps.report`` record of scenario number ``n``."""
    name = f"Scénario {n} [{', '.join(rule_ids)}]"
    return {
        "nodeid": f"test_conformite.py::test_scenario_{n}",
        "feature": feature,
        "feature_file": f"{feature.lower().replace(' ', '_')}.feature",
        "feature_line": 2,
        "rule": None,
        "scenario": name,
        "line": 10 + n,
        "tags": [*rule_ids, "etape_8"],
        "rule_ids": rule_ids,
        "driver": driver,
        "outcome": outcome,
        "message": message,
        "steps": [
            {
                "keyword": "Quand",
                "name": "je choisis un mot de passe",
                "line": 11 + n,
                "duration": 0.01,
                "failed": False,
            },
            {
                "keyword": "Alors",
                "name": "il est refusé",
                "line": 12 + n,
                "duration": 0.02,
                "failed": outcome == "failed",
            },
        ],
        "artefacts": {},
        "duration": 0.5,
    }


# every record of one run: a rule failing on one driver only, a SHOULD rule failing, a scenario not
# checked, one not applicable, a known deviation, a rule the profile says is not applicable (no scenario)
ALL = [
    record(1, ["MDP-LONGUEUR"], "passed"),
    record(2, ["MDP-LONGUEUR"], "passed", "browser"),
    record(3, ["MDP-LONGUEUR", "MDP-CHIFFRE"], "failed", "browser", "Attendu : refusé. Observé : accepté."),
    record(4, ["MDP-CHIFFRE"], "passed"),
    record(5, ["CODE-FORMAT"], "passed", feature="Code"),
    record(6, ["CODE-FORMAT"], "failed", feature="Code", message="Le code a 8 chiffres."),
    record(7, ["EC-CHAMPS"], "passed", feature="État civil"),
    record(8, ["EC-CHAMPS"], "not_run", feature="État civil", message="non vérifié : identité de test manquante"),
    record(9, ["NAV-AIDES-DEMARCHES"], "not_applicable", "api", "non applicable : pages seulement"),
    record(10, ["MDP-MAJUSCULE"], "failed", message="Attendu : refusé. Observé : accepté."),
    record(11, ["MDP-MINUSCULE"], "passed", "browser"),
]


def build(results: list[dict], **overrides: Any) -> dict[str, Any]:
    drivers = [d for d in check.DRIVERS if any(r["driver"] == d for r in results)] or ["api"]
    options = {
        "target": TARGET,
        "profile": "recette",
        "drivers": drivers,
        "started_at": "2025-06-02T10:00:00+00:00",
        "finished_at": "2025-06-02T10:05:00+00:00",
        "deviations": DEVIATIONS,
        "not_applicable": NOT_APPLICABLE,
        "about": schemas.environment(),
        **overrides,
    }
    return conformance.build(results, **options)


def junit(results: list[dict]) -> str:
    """The JUnit XML pytest would write for these records (one driver)."""
    cases = []
    for r in results:
        inner = (
            f"<failure message={quoteattr(r['message'])}>trace</failure>"
            if r["outcome"] == "failed"
            else f"<skipped message={quoteattr(r['message'])}/>"
            if r["outcome"] != "passed"
            else ""
        )
        cases.append(
            f'<testcase classname="{r["feature"]}" name={quoteattr(r["scenario"])} time="0.5">{inner}</testcase>'
        )
    failures = sum(r["outcome"] == "failed" for r in results)
    skipped = sum(r["outcome"] not in ("passed", "failed") for r in results)
    return (
        f'<testsuites><testsuite name="pytest" errors="0" failures="{failures}" skipped="{skipped}"'
        f' tests="{len(results)}" time="{0.5 * len(results)}" timestamp="2025-06-02T10:00:00">'
        + "".join(cases)
        + "</testsuite></testsuites>"
    )


def write_report(folder: Path, results: list[dict], **overrides: Any) -> dict[str, Any]:
    """A report folder as ``moncompte check`` writes it."""
    document = build(results, **overrides)
    for driver in document["drivers"]:
        (folder / driver).mkdir(parents=True, exist_ok=True)
        own = [r for r in results if r["driver"] == driver]
        (folder / driver / "junit.xml").write_text(junit(own), encoding="utf-8")
    check.write_reports(folder, document, document["drivers"], results)
    return document


def shards(tmp_path: Path) -> tuple[Path, Path]:
    """Two disjoint shards of ``ALL``, the second started earlier and finished later."""
    first, second = tmp_path / "fragment-1", tmp_path / "fragment-2"
    write_report(first, ALL[0::2])
    write_report(
        second,
        ALL[1::2],
        started_at="2025-06-02T09:58:00+00:00",
        finished_at="2025-06-02T10:07:00+00:00",
    )
    return first, second


def scenario_set(entry: dict) -> list[tuple]:
    return sorted((s["name"], s["driver"], s["outcome"], s["message"]) for s in entry["scenarios"])


# ── merge ─────────────────────────────────────────────────────────────────────


def test_merging_two_disjoint_shards_gives_the_verdicts_of_one_run_of_every_scenario(tmp_path, capsys):
    first, second = shards(tmp_path)
    out = tmp_path / "fusion"
    expected = build(ALL, started_at="2025-06-02T09:58:00+00:00", finished_at="2025-06-02T10:07:00+00:00")

    code = main(["merge", str(first), str(second), "--report", str(out)])

    merged = read_report(out)  # validated against the schema of conformance.json
    assert code == check.exit_code(expected) == 1
    assert merged["summary"] == expected["summary"]
    assert merged.get("deviations_resolved") == expected.get("deviations_resolved")
    assert [e["id"] for e in merged["rules"]] == [r.id for r in rules.RULES]
    for got, want in zip(merged["rules"], expected["rules"]):
        assert (got["verdict"], got["counts"], got.get("reason"), got.get("deviation")) == (
            want["verdict"],
            want["counts"],
            want.get("reason"),
            want.get("deviation"),
        ), got["id"]
        assert scenario_set(got) == scenario_set(want), got["id"]
    for key in ("target", "profile", "drivers", "started_at", "finished_at", "schema_version", "tool", "environment"):
        assert merged[key] == expected[key], key
    # not vacuous: recomputed verdicts that no shard had, and the profile's declarations kept
    verdicts = {e["id"]: e["verdict"] for e in merged["rules"]}
    alone = {e["id"]: e["verdict"] for e in read_report(second)["rules"]}
    assert verdicts["MDP-LONGUEUR"] == "fail" and alone["MDP-LONGUEUR"] == "pass"
    assert verdicts["CODE-FORMAT"] == "warning" and verdicts["EC-CHAMPS"] == "not_run"
    assert verdicts["MDP-MAJUSCULE"] == "expected_fail" and verdicts["CHATBOT"] == "not_applicable"
    # the console says what check says
    printed = capsys.readouterr().out
    assert "Règles MUST en échec : MDP-LONGUEUR, MDP-CHIFFRE." in printed and "non conforme" in printed
    # every record, the api driver's first
    results = json.loads((out / check.RESULTS_FILE).read_text(encoding="utf-8"))
    assert sorted(r["nodeid"] + r["driver"] for r in results) == sorted(r["nodeid"] + r["driver"] for r in ALL)
    assert [r["driver"] for r in results] == sorted((r["driver"] for r in ALL), key=check.DRIVERS.index)
    assert (out / "report.html").read_text(encoding="utf-8").count("MDP-LONGUEUR") >= 1


def test_the_merged_junit_has_one_suite_per_driver_with_every_shard_s_cases(tmp_path):
    first, second = shards(tmp_path)
    out = tmp_path / "fusion"
    main(["merge", str(first), str(second), "--report", str(out)])

    root = ET.parse(out / "junit.xml").getroot()
    assert [s.get("name") for s in root] == ["conformite-api", "conformite-browser"]
    for suite in root:
        driver = suite.get("name").removeprefix("conformite-")
        own = [r for r in ALL if r["driver"] == driver]
        cases = suite.findall("testcase")
        assert sorted(c.get("name") for c in cases) == sorted(r["scenario"] for r in own)
        assert all(c.get("classname").startswith(f"{driver}.") for c in cases)
        assert int(suite.get("tests")) == len(own)
        assert int(suite.get("failures")) == sum(r["outcome"] == "failed" for r in own)
        assert int(suite.get("skipped")) == sum(r["outcome"] in ("not_run", "not_applicable") for r in own)
    shard_totals = [ET.parse(f / "junit.xml").getroot() for f in (first, second)]
    for key in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(key)) == sum(int(t.get(key)) for t in shard_totals), key
    assert int(root.get("tests")) == len(ALL)


def test_the_merged_cucumber_has_each_feature_once_with_every_shard_s_scenarios(tmp_path):
    first, second = shards(tmp_path)
    out = tmp_path / "fusion"
    main(["merge", str(first), str(second), "--report", str(out)])

    features = json.loads((out / "cucumber.json").read_text(encoding="utf-8"))
    ids = [f["id"] for f in features]
    assert len(ids) == len(set(ids))
    assert sorted(e["name"] for f in features for e in f["elements"]) == sorted(r["scenario"] for r in ALL)
    api_passwords = next(f for f in features if f["id"] == "api;mot_de_passe.feature")
    assert len(api_passwords["elements"]) == sum(r["driver"] == "api" and r["feature"] == "Mot de passe" for r in ALL)


def test_the_merged_artefacts_resolve_from_the_merged_folder_once_the_shards_are_moved_or_gone(tmp_path):
    machine = tmp_path / "machine" / "fragment-2"
    shot = machine / "browser" / "artefacts" / "test_scenario_3" / "screenshot.png"
    trace = machine / "browser" / "nouvel-essai" / "artefacts" / "test_scenario_3" / "trace.zip"
    for path, content in ((shot, PNG), (trace, b"PK trace")):
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
    failed = {**ALL[2], "artefacts": {"screenshot": str(shot), "trace": str(trace)}, "retry": "échec reproduit"}
    write_report(tmp_path / "fragment-1", [r for r in ALL if r is not ALL[2]])
    write_report(machine, [failed])
    downloaded = tmp_path / "telechargement" / "fragment-2"  # CI downloads the folder elsewhere
    shutil.move(machine, downloaded)
    out = tmp_path / "fusion"

    assert main(["merge", str(tmp_path / "fragment-1"), str(downloaded), "--report", str(out)]) == 1
    shutil.rmtree(downloaded)

    results = json.loads((out / check.RESULTS_FILE).read_text(encoding="utf-8"))
    artefacts = next(r for r in results if r["nodeid"] == failed["nodeid"])["artefacts"]
    assert artefacts == {
        "screenshot": "browser/artefacts/test_scenario_3/screenshot.png",
        "trace": "browser/nouvel-essai/artefacts/test_scenario_3/trace.zip",
    }
    assert (out / artefacts["screenshot"]).read_bytes() == PNG
    assert (out / artefacts["trace"]).read_bytes() == b"PK trace"
    entry = next(e for e in read_report(out)["rules"] if e["id"] == "MDP-LONGUEUR")
    assert next(s for s in entry["scenarios"] if s["outcome"] == "failed")["artefacts"] == artefacts
    html = (out / "report.html").read_text(encoding="utf-8")
    assert (
        "data:image/png;base64," in html and 'href="browser/nouvel-essai/artefacts/test_scenario_3/trace.zip"' in html
    )


def test_shards_of_the_reference_on_different_ports_are_the_same_target(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_report(first, ALL[:3], target="http://127.0.0.1:41001")
    write_report(second, ALL[3:], target="http://127.0.0.1:41002")
    assert main(["merge", str(first), str(second), "--report", str(tmp_path / "fusion")]) == 1
    assert read_report(tmp_path / "fusion")["target"] == "http://127.0.0.1:41001"
    assert not merge.same_target("https://recette-a.exemple.fr", "https://recette-b.exemple.fr")


DESKTOP, PHONE = "bureau (1280 × 900)", "Pixel 7 (412 × 839)"


def test_shards_split_by_device_do_not_overlap_but_the_same_device_twice_does(tmp_path, capsys):
    desktop = {**ALL[1], "device": DESKTOP}
    phone = {**ALL[1], "device": PHONE, "outcome": "failed", "message": "Le bouton sort de l'écran."}
    write_report(tmp_path / "a", [desktop])
    write_report(tmp_path / "b", [phone])
    write_report(tmp_path / "c", [phone])
    assert main(["merge", str(tmp_path / "a"), str(tmp_path / "b"), "--report", str(tmp_path / "fusion")]) == 1
    assert len(json.loads((tmp_path / "fusion" / check.RESULTS_FILE).read_text(encoding="utf-8"))) == 2
    assert main(["merge", str(tmp_path / "b"), str(tmp_path / "c"), "--report", str(tmp_path / "f2")]) == 2
    assert f"[browser, {PHONE}] {phone['nodeid']} (b et c)" in capsys.readouterr().err


def test_compare_matches_scenarios_device_by_device(tmp_path, capsys):
    desktop = {**ALL[1], "device": DESKTOP}
    phone = {**ALL[1], "device": PHONE}
    phone_failing = {**phone, "outcome": "failed", "message": "Le bouton sort de l'écran."}
    assert compare(tmp_path, [desktop, phone], [desktop, phone_failing]) == 1
    out = capsys.readouterr().out
    assert "Scénarios dont le résultat a changé (1) :" in out
    assert f"[browser, {PHONE}] Mot de passe / {phone['scenario']} (MDP-LONGUEUR) : réussi → échoué" in out


def _set(folder: Path, key: str, value: Any) -> None:
    path = folder / "conformance.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document[key] = value
    path.write_text(json.dumps(document), encoding="utf-8")


def test_merge_says_which_parts_are_missing(tmp_path, capsys):
    first, second = shards(tmp_path)
    _set(first, "shard", "1/3")
    _set(second, "shard", "3/3")
    assert main(["merge", str(first), str(second), "--report", str(tmp_path / "fusion")]) == 1
    assert "attention, part(s) absente(s) : 2/3" in capsys.readouterr().err
    assert "shard" not in read_report(tmp_path / "fusion")
    _set(second, "shard", "2/2")
    main(["merge", str(first), str(second), "--report", str(tmp_path / "fusion")])
    assert "parts de découpages différents (1/3, 2/2)" in capsys.readouterr().err
    _set(second, "shard", "2/3")
    write_report(tmp_path / "troisieme", [record(12, ["MDP-CHOIX"], "passed")])
    _set(tmp_path / "troisieme", "shard", "3/3")
    main(["merge", str(first), str(second), str(tmp_path / "troisieme"), "--report", str(tmp_path / "fusion")])
    assert "attention" not in capsys.readouterr().err


def _other_tool_version(folder: Path) -> None:
    path = folder / "conformance.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["tool"]["version"] = "0.0.1"
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize(
    ("second_shard", "expected"),
    [
        (lambda folder: write_report(folder, ALL[1::2], profile="autre"), "profils différents"),
        (lambda folder: write_report(folder, ALL[1::2], target="https://autre.exemple.fr"), "cibles différentes"),
        (
            lambda folder: (write_report(folder, ALL[1::2]), _other_tool_version(folder)),
            "versions de l'outil différentes",
        ),
        (
            lambda folder: (write_report(folder, ALL[1::2]), (folder / "results.json").unlink()),
            "results.json absent",
        ),
        (
            lambda folder: (write_report(folder, ALL[1::2]), (folder / "conformance.json").unlink()),
            "conformance.json absent",
        ),
        (lambda folder: (write_report(folder, ALL[1::2]), (folder / "results.json").write_text("[{")), "illisible"),
        (lambda folder: write_report(folder, ALL[1::2] + ALL[0:1]), "des fragments se recouvrent : 1 scénario"),
    ],
    ids=["profil", "cible", "version", "sans-results", "sans-conformance", "illisible", "recouvrement"],
)
def test_merge_refuses_reports_that_are_not_shards_of_one_run(tmp_path, capsys, second_shard, expected):
    first, second = tmp_path / "fragment-1", tmp_path / "fragment-2"
    write_report(first, ALL[0::2])
    second.mkdir()
    second_shard(second)
    out = tmp_path / "fusion"

    assert main(["merge", str(first), str(second), "--report", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("moncompte merge : ") and expected in err and "Traceback" not in err
    assert not (out / "conformance.json").exists()


def test_merge_refuses_to_write_into_one_of_its_shards(tmp_path, capsys):
    first, second = shards(tmp_path)
    assert main(["merge", str(first), str(second), "--report", str(second)]) == 2
    assert "ne peut pas être l'un des dossiers à fusionner" in capsys.readouterr().err


def test_merge_exit_code_follows_strict_and_echec_sur_avertissement(tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    write_report(first, [ALL[4], ALL[6]])  # CODE-FORMAT, EC-CHAMPS: passed
    write_report(second, [ALL[5], ALL[7]])  # CODE-FORMAT failed (SHOULD), EC-CHAMPS not checked (MUST)
    folders = [str(first), str(second)]
    assert main(["merge", *folders, "--report", str(tmp_path / "o1")]) == 0
    assert main(["merge", *folders, "--report", str(tmp_path / "o2"), "--strict"]) == 1
    assert main(["merge", *folders, "--report", str(tmp_path / "o3"), "--echec-sur-avertissement"]) == 1
    printed = capsys.readouterr().out
    assert "--strict : des règles MUST sont non vérifiées" in printed
    assert "--echec-sur-avertissement : règles SHOULD ou MAY en échec : CODE-FORMAT" in printed


# ── compare ───────────────────────────────────────────────────────────────────


def compare(tmp_path: Path, previous: list[dict], current: list[dict], *options: str, **overrides: Any) -> int:
    """``moncompte compare`` of two report folders (the previous one) or ``conformance.json`` files."""
    write_report(tmp_path / "avant", previous)
    write_report(tmp_path / "apres", current, **overrides)
    return main(["compare", str(tmp_path / "avant"), str(tmp_path / "apres" / "conformance.json"), *options])


def test_a_must_rule_newly_failing_exits_1_and_is_named_with_the_flipped_scenario(tmp_path, capsys):
    previous = [record(1, ["MDP-LONGUEUR"], "passed"), record(2, ["MDP-CHIFFRE"], "passed")]
    current = [
        record(1, ["MDP-LONGUEUR"], "failed", message="Attendu : refusé (25 caractères). Observé : accepté."),
        record(2, ["MDP-CHIFFRE"], "passed"),
    ]
    assert rules.BY_ID["MDP-LONGUEUR"].level is Level.MUST

    assert compare(tmp_path, previous, current) == 1

    out = capsys.readouterr().out
    section = out.split("Règles désormais en échec (1) :")[1]
    assert "MDP-LONGUEUR" in section and "conforme → non conforme" in section and "MDP-CHIFFRE" not in out
    assert "[api] Mot de passe / Scénario 1 [MDP-LONGUEUR] (MDP-LONGUEUR) : réussi → échoué" in out
    assert "après : Attendu : refusé (25 caractères). Observé : accepté." in out
    assert "Régression : règles MUST désormais non conformes : MDP-LONGUEUR (code de sortie 1)." in out


def test_a_should_rule_newly_failing_is_listed_without_failing_the_comparison(tmp_path, capsys):
    assert compare(tmp_path, [ALL[4]], [ALL[5]]) == 0
    out = capsys.readouterr().out
    assert "Règles désormais en échec (1) :" in out and "CODE-FORMAT" in out and "conforme → avertissement" in out
    assert "Aucune règle MUST n'a régressé." in out


def test_a_rule_newly_passing(tmp_path, capsys):
    previous = [record(1, ["MDP-LONGUEUR"], "failed", message="Observé : accepté.")]
    current = [record(1, ["MDP-LONGUEUR"], "passed")]
    assert compare(tmp_path, previous, current) == 0
    out = capsys.readouterr().out
    assert "Règles désormais conformes (1) :" in out and "non conforme → conforme" in out
    assert "avant : Observé : accepté." in out and "après : (sans message)" in out


def test_a_must_rule_newly_not_checked_fails_the_comparison_only_with_strict(tmp_path, capsys):
    previous = [record(1, ["EC-CHAMPS"], "passed")]
    current = [record(1, ["EC-CHAMPS"], "not_run", message="non vérifié : identité de test manquante")]
    assert compare(tmp_path, previous, current) == 0
    out = capsys.readouterr().out
    assert "Règles désormais non vérifiées (1) :" in out
    assert "conforme → non vérifié" in out and "(non vérifié : identité de test manquante)" in out
    assert compare(tmp_path, previous, current, "--strict") == 1
    assert "EC-CHAMPS (code de sortie 1)" in capsys.readouterr().out


def test_a_flipped_scenario_shows_both_outcomes_and_both_messages(tmp_path, capsys):
    previous = [record(1, ["MDP-LONGUEUR"], "failed", "browser", "Le champ n'a pas d'étiquette.")]
    current = [record(1, ["MDP-LONGUEUR"], "not_run", "browser", "non vérifié : la page ne répond pas")]
    assert compare(tmp_path, previous, current) == 0  # fail → not_run is no regression
    out = capsys.readouterr().out
    assert "Scénarios dont le résultat a changé (1) :" in out
    assert "[browser] Mot de passe / Scénario 1 [MDP-LONGUEUR] (MDP-LONGUEUR) : échoué → non vérifié" in out
    assert "avant : Le champ n'a pas d'étiquette." in out and "après : non vérifié : la page ne répond pas" in out


def test_identical_runs_say_nothing_changed(tmp_path, capsys):
    assert compare(tmp_path, ALL, ALL, finished_at="2025-06-03T08:00:00+00:00") == 0
    out = capsys.readouterr().out
    assert "Rien n'a changé" in out and "désormais" not in out and "→ non" not in out


def test_the_json_diff(tmp_path, capsys):
    previous = [record(1, ["MDP-LONGUEUR"], "passed"), record(2, ["EC-CHAMPS"], "passed")]
    current = [record(1, ["MDP-LONGUEUR"], "failed", message="Observé : accepté."), record(2, ["EC-CHAMPS"], "not_run")]
    assert compare(tmp_path, previous, current, "--format", "json", "--strict") == 1
    diff = json.loads(capsys.readouterr().out)
    assert diff["regressions"] == ["EC-CHAMPS", "MDP-LONGUEUR"]  # in catalogue order
    assert diff["exit_code"] == 1 and diff["changed"]
    assert [(c["id"], c["previous"], c["current"]) for c in diff["rules"]["newly_failing"]] == [
        ("MDP-LONGUEUR", "pass", "fail")
    ]
    assert [c["id"] for c in diff["rules"]["newly_not_run"]] == ["EC-CHAMPS"]
    flipped = [s for s in diff["scenarios"]["flipped"] if s["rule_ids"] == ["MDP-LONGUEUR"]]
    assert flipped[0]["previous"] == {"outcome": "passed", "message": ""}
    assert flipped[0]["current"] == {"outcome": "failed", "message": "Observé : accepté."}
    assert diff["previous"]["profile"] == diff["current"]["profile"] == "recette"


def test_compare_refuses_other_profiles_and_unreadable_reports_and_warns_of_other_targets(tmp_path, capsys):
    assert compare(tmp_path, [ALL[0]], [ALL[0]], profile="autre") == 2
    assert "profils différents" in capsys.readouterr().err
    assert main(["compare", str(tmp_path / "avant"), str(tmp_path / "nulle-part")]) == 2
    assert "pas de rapport de conformité ici" in capsys.readouterr().err
    (tmp_path / "casse.json").write_text("{", encoding="utf-8")
    assert main(["compare", str(tmp_path / "avant"), str(tmp_path / "casse.json")]) == 2
    assert "illisible" in capsys.readouterr().err
    assert compare(tmp_path, [ALL[0]], [ALL[0]], target="https://autre.exemple.fr") == 0
    captured = capsys.readouterr()
    assert "attention, cibles différentes" in captured.err and "Rien n'a changé" in captured.out


# ── end to end: the reference, then the reference with a fault ────────────────

FAULT = "MDP-MAX-30"  # the API accepts a 30-character password: MDP-LONGUEUR (MUST) fails


def test_compare_names_the_must_rule_a_fault_breaks_between_two_real_runs(tmp_path):
    fault = FAULTS_BY_ID[FAULT]
    assert fault.rule == "MDP-LONGUEUR" and fault.expected_verdict == "fail" and "api" in fault.drivers
    before, after = tmp_path / "A", tmp_path / "B"
    proc = subprocess.run(
        [*targets.MONCOMPTE, "check", "--driver", "api", "--rule", fault.rule, "--report", str(before)],
        cwd=REPO,
        env=targets._env(),
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with faulty_server(FAULT, tmp_path) as (url, _):
        proc = run_check(url, "api", after, rule=fault.rule)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    read_report(before), read_report(after)

    proc = subprocess.run(
        [*targets.MONCOMPTE, "compare", str(before), str(after)],
        cwd=REPO,
        env=targets._env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    failing = proc.stdout.split("Règles désormais en échec")[1].split("\n\n")[0]
    assert any(fault.rule in line and "MUST    conforme → non conforme" in line for line in failing.splitlines())
    assert f"Régression : règles MUST désormais non conformes : {fault.rule}" in proc.stdout
    assert "réussi → échoué" in proc.stdout

"""The tool as a QA team installs it: the wheel, with its locked versions, in a fresh virtual environment
outside the checkout, run from an empty folder, next to an unrelated PyPI package named ``rules``.

The commands are those of the CI recipes in ``docs/CI.md``, read from that file and run as they are.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from moncompte import rules
from tests.schemacheck import read_report

REPO = Path(__file__).resolve().parents[1]
RECIPES = REPO / "docs" / "CI.md"
UNRELATED = "rules"  # a PyPI package whose import name was ours before the moncompte namespace


def recipe_commands(name: str = "commandes-ci") -> list[str]:
    """The shell commands between the « commandes-ci » (or ``name``) markers of docs/CI.md."""
    text = RECIPES.read_text(encoding="utf-8")
    block = re.search(rf"<!-- {name} : début -->\s*```sh\n(.*?)```\s*<!-- {name} : fin -->", text, re.S)
    assert block, f"docs/CI.md : bloc « {name} » introuvable"
    return [line for line in block.group(1).splitlines() if line.strip()]


def yaml_blocks() -> list[Any]:
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", RECIPES.read_text(encoding="utf-8"), re.S)]


def test_the_github_and_gitlab_recipes_run_exactly_the_documented_commands():
    github, gitlab, *_ = yaml_blocks()
    steps = github["jobs"]["conformite"]["steps"]
    run = next(s["run"] for s in steps if "run" in s)
    assert run.strip().splitlines() == recipe_commands()
    assert any(
        s.get("uses", "").startswith("actions/upload-artifact")
        and s["with"]["path"] == "reports/"
        and s.get("if") == "always()"
        for s in steps
    )
    job = gitlab["conformite"]
    assert job["script"] == recipe_commands()
    assert job["artifacts"]["paths"] == ["reports/"] and job["artifacts"]["reports"]["junit"] == "reports/junit.xml"


def test_the_4_shard_recipes_run_exactly_the_documented_commands():
    *_, github, gitlab = yaml_blocks()
    shard, merge = recipe_commands("commandes-fragment"), recipe_commands("commandes-fusion")
    jobs = github["jobs"]
    assert jobs["fragment"]["strategy"]["matrix"]["part"] == [1, 2, 3, 4]
    assert next(s["run"] for s in jobs["fragment"]["steps"] if "run" in s).strip().splitlines() == shard
    assert jobs["fusion"]["needs"] == "fragment" and jobs["fusion"]["if"] == "always()"
    assert next(s["run"] for s in jobs["fusion"]["steps"] if "run" in s).strip().splitlines() == merge
    assert gitlab["fragment"]["parallel"] == 4 and gitlab["fragment"]["script"] == shard
    assert gitlab["fusion"]["script"][0].strip().splitlines() == merge
    assert gitlab["fusion"]["cache"]["paths"] == ["precedent/"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a machine without this checkout: no PYTHONPATH, no active virtual environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS")}
    return {**env, **extra}


def run(cmd: str, cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The recipe's commands, in an empty folder, with the wheel built from this checkout."""
    wheels = tmp_path_factory.mktemp("roue")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("moncompte_conformite-*.whl")
    folder = tmp_path_factory.mktemp("equipe-qa")
    env = clean_env(
        MONCOMPTE_PAQUET=str(wheel),
        MONCOMPTE_VERSIONS=str(REPO / "requirements" / "runtime.txt"),
        MONCOMPTE_PROFIL="default",
        MONCOMPTE_OPTIONS="--driver api",
    )
    commands = recipe_commands()
    # the unrelated « rules » package, installed right after the tool: it must not break it
    commands.insert(2, f".moncompte/bin/python -m pip install --quiet {UNRELATED}")
    outputs = []
    for command in commands:
        proc = run(command, folder, env)
        outputs.append((command, proc))
        if proc.returncode != 0:
            break
    return {"folder": folder, "env": env, "outputs": outputs, "wheel": wheel}


def test_the_recipe_installs_the_wheel_and_checks_the_embedded_reference(installed):
    for command, proc in installed["outputs"]:
        assert proc.returncode == 0, f"$ {command}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert len(installed["outputs"]) == len(recipe_commands()) + 1
    version = next(p.stdout for c, p in installed["outputs"] if c.endswith("moncompte --version"))
    assert re.fullmatch(r"moncompte \d+\.\d+\.\d+\S*\n", version), version
    document = read_report(installed["folder"] / "reports")
    assert document["tool"]["version"] == version.split()[1]
    assert {e["id"] for e in document["rules"]} == {r.id for r in rules.RULES}
    verdicts = {e["id"]: e["verdict"] for e in document["rules"] if e["level"] == "MUST"}
    assert set(verdicts.values()) <= {"pass", "not_applicable"}, verdicts
    assert verdicts["MDP-LONGUEUR"] == "pass" and verdicts["NIR-CLE"] == "pass"
    for name in ("junit.xml", "cucumber.json", "report.html"):
        assert (installed["folder"] / "reports" / name).stat().st_size > 0, name


def venv_command(installed: dict[str, Any], args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return run(f".moncompte/bin/{args}", installed["folder"], installed["env"], timeout)


def test_the_unrelated_rules_package_is_there_and_ours_is_not_touched(installed):
    proc = venv_command(
        installed, "python -c 'import rules, moncompte.rules as ours; print(rules.__file__); print(len(ours.RULES))'"
    )
    assert proc.returncode == 0, proc.stderr
    theirs, count = proc.stdout.split()
    assert "/site-packages/rules/" in theirs and int(count) == len(rules.RULES)


def test_rules_schema_and_profile_commands_work_from_the_empty_folder(installed):
    table = venv_command(installed, "moncompte rules")
    assert table.returncode == 0 and "MDP-LONGUEUR" in table.stdout, table.stderr
    schema = venv_command(installed, "moncompte schema profile")
    assert schema.returncode == 0 and '"title": "Profil de site' in schema.stdout, schema.stderr
    doc = venv_command(installed, "moncompte profile doc")
    assert doc.returncode == 0 and "[formulaires]" in doc.stdout, doc.stderr
    written = venv_command(
        installed, "moncompte profile init https://recette.exemple.fr --sans-parcours --output profil.toml"
    )
    assert written.returncode == 0, written.stdout + written.stderr
    checked = venv_command(installed, "moncompte rules --profile profil.toml --format json")
    assert checked.returncode == 0, checked.stderr
    unknown = venv_command(installed, "moncompte check --profile inexistant")
    assert unknown.returncode == 2 and "Profil intégré inconnu : inexistant" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_the_browser_driver_works_from_the_installed_wheel(installed):
    """``check --driver browser`` on the embedded reference, one rule: Chromium found, pages driven."""
    proc = venv_command(installed, "moncompte check --driver browser --rule MDP-LONGUEUR --report navigateur", 900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    document = read_report(installed["folder"] / "navigateur")
    entry = next(e for e in document["rules"] if e["id"] == "MDP-LONGUEUR")
    assert entry["verdict"] == "pass" and entry["counts"]["passed"] > 0
    assert document["environment"]["browser"].startswith("Chromium ")


def test_serve_and_profile_check_work_from_the_installed_wheel(installed):
    """``moncompte serve`` from the wheel (templates, registry data) and ``profile check`` on it (browser)."""
    from moncompte.net import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    folder = installed["folder"]
    server = subprocess.Popen(
        [
            str(folder / ".moncompte" / "bin" / "moncompte"),
            "serve",
            "--test-mode",
            "--port",
            str(port),
            "--database",
            f"sqlite:///{folder / 'ref.db'}",
        ],
        cwd=folder,
        env=installed["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        from moncompte.harness import targets

        targets.wait_until_up(url, server, folder / "absent.log")
        checked = venv_command(installed, f"moncompte profile check default --target {url}")
        assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_shard_recipe_two_machines_then_the_merge_then_the_comparison(installed):
    """The recipe « fragments » for 2 parts (one after the other here), then « fusion » twice: the first
    merges (no previous run), the second also compares with the first."""
    folder = installed["folder"]  # its virtual environment: the recipe's first command keeps it
    if (folder / "reports").exists():  # the first recipe's report (read by its own test), out of the way
        (folder / "reports").rename(folder / "recette-entiere")
    for part in ("1", "2"):
        # a part of the suite (the whole one is the recipe above): what is shown here is the cutting and merging
        options = "--driver api --tags etape_8"
        env = {**installed["env"], "MONCOMPTE_PART": part, "MONCOMPTE_PARTS": "2", "MONCOMPTE_OPTIONS": options}
        for command in recipe_commands("commandes-fragment"):
            proc = run(command, folder, env)
            assert proc.returncode == 0, f"$ {command}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    merge = "\n".join(recipe_commands("commandes-fusion"))
    first = run(merge, folder, installed["env"])
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "Fusion de 2 rapport(s)" in first.stdout and "Comparaison du profil" not in first.stdout
    document = read_report(folder / "reports")
    parts = [json.loads((folder / f"reports-{k}" / "results.json").read_text(encoding="utf-8")) for k in (1, 2)]
    assert all(parts)
    nodeids = [r["nodeid"] for part in parts for r in part]
    assert len(nodeids) == len(set(nodeids))
    verdicts = {e["id"]: e["verdict"] for e in document["rules"] if e["level"] == "MUST"}
    assert set(verdicts.values()) <= {"pass", "not_applicable", "not_selected"}, verdicts
    assert verdicts["MDP-LONGUEUR"] == "pass" and verdicts["MDP-CHIFFRE"] == "pass"
    second = run(merge, folder, installed["env"])
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "Comparaison du profil" in second.stdout and "Rien n'a changé" in second.stdout, second.stdout[-2000:]

"""The bench's own arithmetic (the bench itself runs on demand: ``make bench``)."""

from moncompte.bench.runner import (
    ARRANGEMENT_SELECTION,
    IN_BROWSER,
    TARGETS,
    busy_cores,
    compare_arrangements,
    compute,
    failed_runs,
    prepared,
    same_verdicts,
    suite,
    summary,
    table,
)


def test_busy_cores_is_the_share_of_the_machine_kept_busy():
    assert busy_cores((1000, 4000), (1800, 5000), cores=2) == 1.6  # 800 busy ticks of 1000
    assert busy_cores(None, (1, 2), cores=2) is None  # no /proc/stat: not measured
    assert busy_cores((5, 9), (5, 9), cores=2) is None  # no time went by


def test_summary_is_median_min_max():
    assert summary([3.0, 1.0, 2.0, None]) == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3}
    assert summary([None]) is None


def test_the_table_says_which_targets_are_met_and_the_speedup_this_machine_allows():
    figures = {
        "api_ratio": summary([0.93]),
        "browser_ratio": summary([1.25]),
        "parallel_speedup": summary([1.2]),
        "throughput_ratio": summary([0.16]),
        "busy_cores_n1": summary([1.6]),
        "parallel_speedup_bound": summary([1.25]),
    }
    text = table({"figures": figures, "memory": {}})
    assert "API : harnais / script httpx" in text and "objectif ≤ 1.5 : atteint" in text
    assert "objectif ≤ 1.2 : NON atteint" in text  # browser 1.25
    assert "objectif ≥ 80% : NON atteint" in text and "16%" in text
    assert "Accélération maximale possible ici (cœurs ÷ cœurs occupés à -n 1)" in text and "1.25" in text
    # the 2-worker speed-up is shown, without a target
    speedup = next(line for line in text.splitlines() if line.startswith("Accélération -n 2 / -n 1"))
    assert "1.20" in speedup and "objectif" not in speedup.replace("sans objectif", "")
    assert "≥ 1.7" not in text


def test_the_targets_of_issue_17():
    assert "parallel_speedup" not in TARGETS
    assert TARGETS["arrangement_ratio"][:2] == ("<=", 0.35)
    assert TARGETS["http_ratio"][:2] == ("<=", 1.5)
    assert TARGETS["browser_ratio"][:2] == ("<=", 1.2)
    assert "tout dans le navigateur" in TARGETS["browser_ratio"][2]  # the label says how both sides run
    assert TARGETS["shards_ratio"][:2] == ("<=", 1.1) and TARGETS["api_ratio"][:2] == ("<=", 1.5)
    assert TARGETS["throughput_ratio"][:2] == (">=", 0.8)


def test_the_browser_suite_command_takes_extra_pytest_options(tmp_path):
    cmd = suite("browser", "http://127.0.0.1:1", tmp_path / "out", ARRANGEMENT_SELECTION, extra=IN_BROWSER)
    assert cmd[-2:] == ["--arrangement", "navigateur"]
    selections = [cmd[i + 1] for i, arg in enumerate(cmd) if arg == "-m"]  # "-m pytest", then the markers
    assert selections == ["pytest", "etape_7 or etape_8"]
    whole = suite("browser", "http://127.0.0.1:1", tmp_path / "all", None)
    assert [whole[i + 1] for i, arg in enumerate(whole) if arg == "-m"] == ["pytest"]  # no selection: the whole suite


def run(seconds, **extra):
    return {"seconds": seconds, "code": 0, **extra}


def test_the_ratios_are_taken_repeat_by_repeat():
    runs = {
        "api_harnais": [run(10.0), run(12.0), run(11.0)],
        "http_harnais": [run(13.0), run(12.0), run(22.0)],
        "browser_harnais": [run(60.0), run(66.0), run(63.0)],
        "browser_script": [run(50.0), run(60.0), run(60.0)],
        "arrangement_http": [run(10.0), run(12.0), run(9.0)],
        "arrangement_navigateur": [run(40.0), run(30.0), run(36.0)],
        "arrangement_comparaison": [
            {"ratio": 0.25, "same": True, "prepared": {"http": 8}},
            {"ratio": 0.4, "same": True, "prepared": {"http": 8}},
            {"ratio": 0.25, "same": True, "prepared": {"http": 7, "http puis navigateur": 1}},
        ],
        "navigateur_n1": [run(60.0, busy_cores=1.6)],
        "navigateur_n2": [run(50.0, busy_cores=1.9)],
    }
    figures, memory = compute(runs, cores=2)
    # 13/10, 12/12, 22/11: the median of the repeats' ratios, not the ratio of the medians (13/11)
    assert figures["http_ratio"] == {"median": 1.3, "min": 1.0, "max": 2.0, "n": 3}
    assert figures["arrangement_ratio"] == {"median": 0.25, "min": 0.25, "max": 0.4, "n": 3}
    assert figures["arrangement_same_verdicts"] is True
    assert figures["arrangement_prepared"] == {"http": 7, "http puis navigateur": 1}  # the last repeat's
    assert figures["browser_ratio"]["median"] == 1.1  # 1.2, 1.1, 1.05
    assert figures["parallel_speedup"]["median"] == 1.2 and figures["parallel_speedup_bound"]["median"] == 1.25
    # not asked for: no whole-suite comparison, no figure
    assert figures["arrangement_whole_ratio"] is None and figures["arrangement_whole_same_verdicts"] is None
    assert figures["arrangement_comparaison"] is None  # a comparison has no time of its own
    assert memory == {}
    runs["arrangement_comparaison"][1]["same"] = False  # one repeat's verdicts differ: the figure says so
    assert compute(runs, cores=2)[0]["arrangement_same_verdicts"] is False


def test_the_table_shows_the_arrangement_and_http_figures():
    figures, _ = compute(
        {
            "api_harnais": [run(10.0)],
            "http_harnais": [run(12.0)],
            "arrangement_http": [run(9.0)],
            "arrangement_navigateur": [run(30.0)],
            "arrangement_comparaison": [{"ratio": 0.3, "same": True, "prepared": {"http": 7, "navigateur": 1}}],
        },
        cores=2,
    )
    text = table({"figures": figures, "memory": {}})
    lines = text.splitlines()

    def line(start):
        return next(x for x in lines if x.startswith(start))

    assert "0.30" in line("navigateur ⑦ ⑧ : préparé en HTTP / tout dans le navigateur")
    assert line("navigateur ⑦ ⑧ : préparé en HTTP").endswith("objectif ≤ 0.35 : atteint")
    assert line("http : suite pilote http / suite pilote API").endswith("objectif ≤ 1.5 : atteint")  # 1.2
    assert "1.20 (min 1.20, max 1.20)" in line("http : suite pilote http")
    assert line("Navigateur ⑦ ⑧ : préparés en http / http puis navigateur / navigateur").endswith("7 / 0 / 1")
    assert line("Navigateur ⑦ ⑧ : mêmes scénarios et verdicts").endswith("oui")
    assert "9.00 s" in line("Navigateur ⑦ ⑧ : préparation en HTTP (défaut)")
    assert "30.00 s" in line("Navigateur ⑦ ⑧ : tout dans le navigateur (--arrangement navigateur)")
    assert line("navigateur, tout dans le navigateur : harnais / script Playwright").endswith("non mesuré")
    assert "toute la suite" not in text  # measured on demand only
    whole, _ = compute(
        {
            "arrangement_entier_http": [run(100.0)],
            "arrangement_entier_navigateur": [run(250.0)],
            "arrangement_entier_comparaison": [{"ratio": 0.4, "same": False, "prepared": {"http": 3}}],
        },
        cores=2,
    )
    text = table({"figures": whole, "memory": {}})
    ratio = next(x for x in text.splitlines() if x.startswith("Navigateur toute la suite : préparé en HTTP /"))
    assert "0.40" in ratio and "sans objectif" in ratio and "objectif ≤" not in ratio
    assert next(x for x in text.splitlines() if "toute la suite : mêmes scénarios" in x).endswith("NON")


def test_failed_runs_are_the_ones_that_could_not_run():
    runs = {"http_harnais": [run(1.0), {**run(1.0), "code": 1}, {**run(1.0), "code": 4, "output": "h.log"}]}
    assert failed_runs(runs) == ["Attention (http_harnais, mesure 3) : code de sortie 4, voir h.log"]


def _results(folder, records):
    import json

    folder.mkdir()
    (folder / "results.json").write_text(json.dumps(records), encoding="utf-8")
    return folder


def rec(n, outcome, rule="MDP-LONGUEUR", **extra):
    return {
        "nodeid": f"t::{n}",
        "driver": "api",
        "outcome": outcome,
        "rule_ids": [rule],
        "scenario": n,
        "feature": "f",
        **extra,
    }


def test_the_shards_put_together_are_the_run_once_each_with_its_verdicts(tmp_path):

    whole = _results(tmp_path / "entier", [rec("a", "passed"), rec("b", "failed"), rec("c", "passed", "MDP-CHIFFRE")])
    one = _results(tmp_path / "p1", [rec("a", "passed"), rec("c", "passed", "MDP-CHIFFRE")])
    two = _results(tmp_path / "p2", [rec("b", "failed")])
    assert same_verdicts(whole, [one, two]) == {"same": True, "scenarios": 3, "rules_differing": []}
    passing = _results(tmp_path / "p3", [rec("b", "passed")])  # the part's outcome differs: the verdict too
    assert same_verdicts(whole, [one, passing])["rules_differing"] == ["MDP-LONGUEUR"]
    assert not same_verdicts(whole, [one, two, two])["same"]  # a scenario in two parts
    assert not same_verdicts(whole, [one])["same"]  # a part missing


def test_two_runs_of_one_selection_compared_by_their_verdicts(tmp_path):
    browser = _results(tmp_path / "navigateur", [rec("a", "passed"), rec("b", "passed", "MDP-CHIFFRE")])
    http = _results(tmp_path / "http", [rec("a", "passed"), rec("b", "passed", "MDP-CHIFFRE")])
    assert same_verdicts(browser, [http]) == {"same": True, "scenarios": 2, "rules_differing": []}
    failing = _results(tmp_path / "echec", [rec("a", "passed"), rec("b", "failed", "MDP-CHIFFRE")])
    assert same_verdicts(browser, [failing]) == {"same": False, "scenarios": 2, "rules_differing": ["MDP-CHIFFRE"]}
    crashed = tmp_path / "sans-resultats"  # a run that wrote no results.json: not the same, and said so
    found = same_verdicts(browser, [crashed])
    assert not found["same"] and found["missing_results"] == [str(crashed)]


def test_how_the_default_run_prepared_its_scenarios(tmp_path):
    folder = _results(
        tmp_path / "http",
        [
            rec("a", "passed", arrangement="http"),
            rec("b", "passed", arrangement="http"),
            rec("c", "passed", arrangement="http puis navigateur (« resend_code » : la page demande JavaScript)"),
            rec("d", "passed", arrangement="navigateur"),
            rec("e", "skipped"),  # skipped before its driver was made: no arrangement
        ],
    )
    assert prepared(folder) == {"http": 2, "http puis navigateur": 1, "navigateur": 1}
    assert prepared(tmp_path / "absent") == {"http": 0, "http puis navigateur": 0, "navigateur": 0}


def test_the_arrangement_comparison_runs_both_ways_and_compares_them(tmp_path):
    commands = []
    recorded = {}

    def command(folder, extra):
        commands.append((folder.name, list(extra)))
        how = "navigateur" if extra else "http"
        _results(folder, [rec("a", "passed", arrangement=how), rec("b", "passed", "MDP-CHIFFRE", arrangement=how)])
        return ["true", folder.name]

    def record(name, result):
        recorded.setdefault(name, []).append(result)
        return result

    def fake_timed(cmd, log_path, out):
        return run({"arrangement-http": 10.0, "arrangement-navigateur": 40.0}[cmd[1]])

    import moncompte.bench.runner as runner

    original, runner.timed = runner.timed, fake_timed
    try:
        result = compare_arrangements(record, "arrangement", command, tmp_path / "log", tmp_path, http_first=False)
    finally:
        runner.timed = original
    assert commands == [("arrangement-navigateur", IN_BROWSER), ("arrangement-http", [])]  # this repeat: browser first
    assert list(recorded) == ["arrangement_navigateur", "arrangement_http", "arrangement_comparaison"]
    assert result["ratio"] == 0.25 and result["same"] is True and result["scenarios"] == 2
    assert result["prepared"] == {"http": 2, "http puis navigateur": 0, "navigateur": 0}


def test_a_median_that_rounds_to_its_bound_is_shown_with_one_more_digit():
    text = table({"figures": {"browser_ratio": summary([1.204]), "throughput_ratio": summary([0.797])}, "memory": {}})
    assert "1.204 (min 1.204, max 1.204)  objectif ≤ 1.2 : NON atteint" in text
    assert "79.7% (min 79.7%, max 79.7%)  objectif ≥ 80% : NON atteint" in text
    assert "1.15 (min" in table({"figures": {"browser_ratio": summary([1.15])}, "memory": {}})

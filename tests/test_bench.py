"""The bench's own arithmetic (the bench itself runs on demand: ``make bench``)."""

from moncompte.bench.runner import busy_cores, summary, table


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
        "browser_ratio": summary([1.4]),
        "parallel_speedup": summary([1.2]),
        "throughput_ratio": summary([0.16]),
        "busy_cores_n1": summary([1.6]),
        "parallel_speedup_bound": summary([1.25]),
    }
    text = table({"figures": figures, "memory": {}})
    assert "API : harnais / script httpx" in text and "objectif ≤ 1.5 : atteint" in text
    assert "objectif ≤ 1.3 : NON atteint" in text  # browser 1.4
    assert "objectif ≥ 80% : NON atteint" in text and "16%" in text
    assert "Accélération maximale possible ici (cœurs ÷ cœurs occupés à -n 1)" in text and "1.25" in text


def _results(folder, records):
    import json

    folder.mkdir()
    (folder / "results.json").write_text(json.dumps(records), encoding="utf-8")
    return folder


def test_the_shards_put_together_are_the_run_once_each_with_its_verdicts(tmp_path):
    from moncompte.bench.runner import same_verdicts

    def rec(n, outcome, rule="MDP-LONGUEUR"):
        return {
            "nodeid": f"t::{n}",
            "driver": "api",
            "outcome": outcome,
            "rule_ids": [rule],
            "scenario": n,
            "feature": "f",
        }

    whole = _results(tmp_path / "entier", [rec("a", "passed"), rec("b", "failed"), rec("c", "passed", "MDP-CHIFFRE")])
    one = _results(tmp_path / "p1", [rec("a", "passed"), rec("c", "passed", "MDP-CHIFFRE")])
    two = _results(tmp_path / "p2", [rec("b", "failed")])
    assert same_verdicts(whole, [one, two]) == {"same": True, "scenarios": 3, "rules_differing": []}
    passing = _results(tmp_path / "p3", [rec("b", "passed")])  # the part's outcome differs: the verdict too
    assert same_verdicts(whole, [one, passing])["rules_differing"] == ["MDP-LONGUEUR"]
    assert not same_verdicts(whole, [one, two, two])["same"]  # a scenario in two parts
    assert not same_verdicts(whole, [one])["same"]  # a part missing

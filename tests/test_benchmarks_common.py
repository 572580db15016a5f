"""benchmarks/_common.save: where a benchmark script's ``-o`` goes.

Until 7 Dec 2026 ``python benchmarks/<x>.py -o results/x.json`` (a path, as a user following the docs writes it)
went to ``benchmarks/results/results/x.json`` — or failed, that folder missing — and some scripts kept only the
file name of any path (``-o /tmp/x.json`` written into benchmarks/results/)."""
import ast
import importlib
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def common(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    sys.modules.pop("_common", None)
    mod = importlib.import_module("_common")
    monkeypatch.setattr(mod, "RESULTS", tmp_path / "repo" / "benchmarks" / "results")
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    yield mod
    sys.modules.pop("_common", None)


def test_a_bare_name_goes_under_benchmarks_results(common, tmp_path):
    path = common.save("x.json", {"a": 1})
    assert path == tmp_path / "repo" / "benchmarks" / "results" / "x.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": 1}


@pytest.mark.parametrize("given", ["results/x.json", "./x.json", "out/deeper/x.json"])
def test_a_path_with_a_folder_is_taken_as_given(common, tmp_path, given):
    path = common.save(given, {"a": 1})
    assert path.resolve() == (tmp_path / "repo" / given).resolve()
    assert json.loads((tmp_path / "repo" / given).read_text(encoding="utf-8")) == {"a": 1}
    assert not (tmp_path / "repo" / "benchmarks" / "results" / "results").exists()


def test_an_absolute_path_is_taken_as_given(common, tmp_path):
    path = common.save(str(tmp_path / "elsewhere" / "x.json"), {"a": 1})
    assert path == tmp_path / "elsewhere" / "x.json" and path.exists()
    assert not (tmp_path / "repo" / "benchmarks" / "results" / "x.json").exists()


def test_no_script_keeps_only_the_file_name_of_its_output(common):
    # the scripts that cut -o to its last part (args.out.split('/')[-1]) wrote -o /tmp/x.json into results/
    for script in sorted(BENCHMARKS.glob("*.py")):
        text = script.read_text(encoding="utf-8")
        assert "args.out.split(" not in text and "args.out.rsplit(" not in text, script.name
        assert "RESULTS / args.out" not in text, script.name


def _writes_results(tree: ast.Module) -> bool:
    """The script writes a results file: it calls _common.save / results_path or names RESULTS."""
    return any(isinstance(n, ast.Name) and n.id in ("save", "results_path", "RESULTS") for n in ast.walk(tree))


def _out_option(tree: ast.Module) -> ast.Call | None:
    for n in ast.walk(tree):
        if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "add_argument"
                and any(isinstance(a, ast.Constant) and a.value == "-o" for a in n.args)):
            return n
    return None


def test_every_script_that_writes_results_takes_o():
    # segmentation, ticket_context, io_speed, review_latency, normalise_once, tag_cpu, tag_throughput, tag_scale,
    # freq_scale and dask_one_file took no -o and wrote over their committed benchmarks/results/ file;
    # review_learning_curve, review_teach_variants, themes_quality and themes_speed took only --out
    writers = []
    for script in sorted(BENCHMARKS.glob("*.py")):
        if script.name.startswith("_"):
            continue
        source = script.read_text(encoding="utf-8")
        tree = ast.parse(source)
        if not _writes_results(tree):
            continue
        writers.append(script.name)
        option = _out_option(tree)
        assert option is not None, f"{script.name} writes results but takes no -o"
        assert [a.value for a in option.args] == ["-o", "--out"], script.name
        fixed = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                 and n.func.attr in ("write_text", "write_bytes", "open") and "RESULTS" in ast.unparse(n.func.value)]
        assert not fixed, f"{script.name} writes a fixed file of results/: {fixed}"
        # the results file is where -o says: save / results_path is given args.out (or args.out or a default)
        targets = [n.args[0] for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                   and n.func.id in ("save", "results_path") and n.args]
        if any(k.arg == "type" and ast.unparse(k.value) == "results_path" for k in option.keywords):
            continue  # -o is turned into the path by argparse (themes_quality, themes_speed)
        assert targets, script.name
        for target in targets:
            names = {ast.unparse(n) for n in ast.walk(target) if isinstance(n, ast.Attribute)}
            assert "args.out" in names or ast.unparse(target) in ("name", "path"), \
                f"{script.name}: {ast.unparse(target)} is not -o"
    assert {"segmentation.py", "ticket_context.py", "io_speed.py", "review_latency.py",
            "review_learning_curve.py", "themes_quality.py", "items_support.py"} <= set(writers)


@pytest.mark.parametrize("script", ["segmentation.py", "io_speed.py", "review_latency.py", "themes_curated_next_month.py"])
def test_o_is_parsed_to_the_given_path(script, monkeypatch, tmp_path):
    # the scripts' argparse, run up to parse_args (nothing is measured): -o and --out both land in args.out
    import argparse

    class Parsed(Exception):
        pass

    seen = []

    def parse_args(self, args=None, namespace=None):
        seen.append(argparse.ArgumentParser.parse_known_args(self, args, namespace)[0])
        raise Parsed

    # a script with no parser would run whole (and write over its results): fail instead
    assert "ArgumentParser(" in (BENCHMARKS / script).read_text(encoding="utf-8"), f"{script} takes no options"
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", parse_args)
    mod = importlib.import_module(script[:-3])
    for argv in (["-o", str(tmp_path / "x.json")], ["--out", str(tmp_path / "x.json")]):
        monkeypatch.setattr(sys, "argv", [script, *argv])
        with pytest.raises(Parsed):
            mod.main()
        assert str(seen[-1].out) == str(tmp_path / "x.json")
    monkeypatch.setattr(sys, "argv", [script])
    with pytest.raises(Parsed):
        mod.main()
    assert seen[-1].out == script.replace(".py", ".json")


def test_themes_quality_sums_up_ours_over_seeds(common):
    """One seed's theme count moves by about ±5 on real turns: with several seeds the report gives each of
    our rows' mean, minimum and maximum, and leaves single-seed rows (the baselines) out of it."""
    mod = importlib.import_module("themes_quality")

    def row(method, n, npmi):
        return {"method": method, "n_topics": n, "npmi_mean": npmi, "diversity": 0.8, "outlier_share_after": 0.05}

    rows = [row("ours-use@42", 11, 0.108), row("ours-use-subthemes@42", 30, 0.09), row("ours-use@7", 15, 0.080),
            row("ours-use-subthemes@7", 28, 0.07), row("ours-use@11", 14, 0.115), row("lda-our-vectorizer", 11, 0.01)]
    summary = mod._over_seeds(rows, [42, 7, 11])
    assert set(summary) == {"ours-use", "ours-use-subthemes"}
    assert summary["ours-use"]["seeds"] == [42, 7, 11]
    assert summary["ours-use"]["n_topics"] == {"mean": round(40 / 3, 4), "min": 11.0, "max": 15.0}
    assert summary["ours-use"]["npmi_mean"]["min"] == 0.08 and summary["ours-use"]["npmi_mean"]["max"] == 0.115
    assert summary["ours-use-subthemes"]["seeds"] == [42, 7]
    assert mod._span(summary["ours-use"]["n_topics"], ".1f") == "13.3 [11.0, 15.0]"


def test_a_write_that_fails_leaves_the_committed_result_whole(common, tmp_path, monkeypatch):
    # was: path.write_text over the committed file in place — a disk filled (or a run stopped) halfway left half a
    # JSON file in benchmarks/results/; now io.writers.atomic_path: the old result whole, no temporary beside it
    results = tmp_path / "repo" / "benchmarks" / "results"
    path = common.save("x.json", {"committed": list(range(50))})
    before = path.read_text(encoding="utf-8")

    def half_then_full(self, text, *args, **kwargs):
        with open(self, "w", encoding="utf-8") as fh:
            fh.write(text[: len(text) // 2])
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m, pytest.raises(OSError):
        m.setattr(Path, "write_text", half_then_full)
        common.save("x.json", {"new": list(range(500))})
    assert path.read_text(encoding="utf-8") == before and json.loads(before)["committed"][-1] == 49
    assert sorted(p.name for p in results.iterdir()) == ["x.json"]
    with monkeypatch.context() as m, pytest.raises(OSError):  # a new result's folder is not left behind either
        m.setattr(Path, "write_text", half_then_full)
        common.save("new/deeper/y.json", {"a": 1})
    assert not (tmp_path / "repo" / "new").exists()

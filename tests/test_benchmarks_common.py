"""benchmarks/_common.save: where a benchmark script's ``-o`` goes.

Until 7 Dec 2026 ``python benchmarks/<x>.py -o results/x.json`` (a path, as a user following the docs writes it)
went to ``benchmarks/results/results/x.json`` — or failed, that folder missing — and some scripts kept only the
file name of any path (``-o /tmp/x.json`` written into benchmarks/results/)."""
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

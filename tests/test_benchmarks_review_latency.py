"""benchmarks/review_latency.py on a small project.

Until 7 Dec 2026 ``python benchmarks/review_latency.py --n 2000`` stopped in IndexError: its warm-up wrote
5,000 earlier decisions, which decided every one of the 2,000 statements, and the page after it took the last
rank of an empty page. The app was right (an empty page past the end: tests/review/test_review_app.py)."""
import importlib
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def latency(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    sys.modules.pop("review_latency", None)
    yield importlib.import_module("review_latency")
    sys.modules.pop("review_latency", None)


def test_the_earlier_decisions_leave_the_phase_its_own(latency):
    assert latency.earlier_decisions(99_700, 5000, 300) == 5000  # the default 100,000: as before
    assert latency.earlier_decisions(1_730, 5000, 300) == 1_380  # 2,000 statements: 300 and a page left
    assert latency.earlier_decisions(200, 5000, 300) == 0


@pytest.mark.slow
def test_a_small_project_runs_to_the_end(latency, monkeypatch, tmp_path):
    out = tmp_path / "rl.json"
    monkeypatch.setattr(sys, "argv", ["review_latency.py", "--n", "400", "--decisions", "40", "-o", str(out)])
    latency.main()
    res = json.loads(out.read_text(encoding="utf-8"))
    warm = res["earlier_decisions"]
    assert 0 < warm < 400
    assert res["fresh"]["decide"]["n"] == 40
    assert res[f"after_{warm}_decisions"]["decide"]["n"] > 0

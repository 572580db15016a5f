"""voc audit on a hand-computed fixture (scores are reported to two decimals): weights by tier, one veto, two waves.

The expected numbers were worked out by hand from tests/data/audit/*.csv:
core-store weights A1 20, A2 10, B1 10 (out of 5 points), C1 20 (veto); province
weights A1 10, A2 10, B1 20, C1 20.
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, weights_from_gap
from voiceofcustomer.cli import main
from voiceofcustomer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"


@pytest.fixture(scope="module")
def result():
    return score_audit(read_checklist(DATA / "checklist.csv"), read_visits(DATA / "visits.csv"))


def _store(result, store, wave):
    row = result.stores[(result.stores.store == store) & (result.stores.wave == wave)]
    assert len(row) == 1
    return row.iloc[0]


def test_visit_scores_match_hand_computation(result):
    v = result.visits.set_index("visit_id")
    assert v.loc["S1@2026-10-05", "score"] == pytest.approx(80.0, abs=0.005)          # (20+0+8+20)/60
    assert v.loc["S2@2026-10-06", "raw_score"] == pytest.approx(200 / 3, abs=0.005)   # (20+10+10+0)/60
    assert v.loc["S2@2026-10-06", "score"] == 0.0                          # vetoed by C1
    assert v.loc["S2@2026-10-06", "veto_items"] == "C1"
    assert v.loc["S3@2026-10-07", "score"] == pytest.approx(75.0, abs=0.005)          # B1 不适用: (0+10+20)/40
    assert v.loc["S3@2026-10-07", "n_not_applicable"] == 1
    assert v.loc["S1@2026-11-03", "score"] == pytest.approx(280 / 3, abs=0.005)       # (20+10+6+20)/60
    assert v.loc["S1@2026-11-20", "score"] == pytest.approx(200 / 3, abs=0.005)       # (0+10+10+20)/60
    assert int(result.visits["vetoed"].sum()) == 1


def test_store_scores_ranking_and_change(result):
    assert _store(result, "S1", "2026-11")["score"] == pytest.approx(80.0, abs=0.005)  # mean of two visits
    assert _store(result, "S1", "2026-10")["rank_in_tier"] == 1
    assert _store(result, "S2", "2026-10")["rank_in_tier"] == 2
    assert _store(result, "S3", "2026-10")["rank_in_tier"] == 1            # ranked within its own tier
    assert _store(result, "S2", "2026-11")["score"] == pytest.approx(220 / 3, abs=0.005)
    assert _store(result, "S2", "2026-11")["change"] == pytest.approx(220 / 3, abs=0.005)
    assert _store(result, "S3", "2026-11")["change"] == pytest.approx(25.0, abs=0.005)
    assert _store(result, "S1", "2026-11")["change"] == pytest.approx(0.0, abs=0.005)
    assert pd.isna(_store(result, "S1", "2026-10")["change"])


def test_aspect_subscores(result):
    a = result.aspects
    s1 = a[a.visit_id == "S1@2026-10-05"].set_index("aspect")["score"]
    assert s1["服务意识"] == pytest.approx(200 / 3, abs=0.005)
    assert s1["环境设施"] == pytest.approx(80.0, abs=0.005)
    assert s1["服务结果"] == pytest.approx(100.0, abs=0.005)


def test_unknown_item_is_reported_not_dropped(result):
    assert result.problems["item_id"].tolist() == ["Z9"]
    assert result.problems["row"].tolist() == [14]


def test_flag_mode_keeps_the_score():
    r = score_audit(read_checklist(DATA / "checklist.csv"), read_visits(DATA / "visits.csv"), veto_mode="flag")
    v = r.visits.set_index("visit_id")
    assert v.loc["S2@2026-10-06", "score"] == pytest.approx(200 / 3, abs=0.005)
    assert bool(v.loc["S2@2026-10-06", "vetoed"])


def test_weights_from_gap_favour_the_largest_weighted_shortfall():
    book = read_checklist(DATA / "checklist.csv")
    dims = pd.DataFrame({"dimension": ["responsiveness", "assurance", "tangibles", "reliability"],
                         "gap": [-1.5, -0.2, -0.5, -1.0], "importance": [30, 20, 10, 40]})
    revised, info = weights_from_gap(book, dims)
    for col in ("weight:省内", "weight:核心店"):
        assert revised[col].sum() == pytest.approx(book[col].sum(), abs=0.005)        # totals kept
    share_before = book.set_index("item_id")["weight:核心店"] / book["weight:核心店"].sum()
    share_after = revised.set_index("item_id")["weight:核心店"] / revised["weight:核心店"].sum()
    # reliability: 40 × 1.0 = 40 and responsiveness 30 × 1.5 = 45 outweigh assurance 20 × 0.2 = 4
    assert share_after["A1"] > share_before["A1"]
    assert share_after["A2"] < share_before["A2"]
    assert info["factors"]["responsiveness"] > info["factors"]["tangibles"]


def test_cli_writes_report_in_chinese(tmp_path):
    out = tmp_path / "audit"
    res = CliRunner().invoke(main, ["audit", str(DATA / "visits.csv"), "--checklist", str(DATA / "checklist.csv"),
                                    "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = (out / "audit_report.html").read_text(encoding="utf-8")
    assert "类别内排名" in html and "一票否决" in html and "业务办理准确" in html
    stores = pd.read_csv(out / "stores.csv", dtype={"wave": str})
    assert set(stores["store"]) == {"S1", "S2", "S3"}
    assert (out / "audit_report.xlsx").stat().st_size > 0


def test_markup_in_store_names_is_rendered_as_text(tmp_path):
    visits = (DATA / "visits.csv").read_text(encoding="utf-8").replace("S3,", "<script>x</script>,")
    (tmp_path / "v.csv").write_text(visits, encoding="utf-8")
    out = tmp_path / "a"
    res = CliRunner().invoke(main, ["audit", str(tmp_path / "v.csv"), "--checklist", str(DATA / "checklist.csv"),
                                    "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = (out / "audit_report.html").read_text(encoding="utf-8")
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("content, message", [
    ("门店,门店类型,日期,编号\nS1,核心店,2026-10-01,A1\n", "score"),
    ("门店,门店类型,日期,编号,得分\nS1,旗舰店,2026-10-01,A1,是\n", "旗舰店"),
    ("门店,门店类型,日期,编号,得分\nS1,核心店,十月,A1,是\n", "row 2"),
])
def test_bad_visits_give_one_line_errors(tmp_path, content, message):
    (tmp_path / "v.csv").write_text(content, encoding="utf-8")
    res = CliRunner().invoke(main, ["audit", str(tmp_path / "v.csv"), "--checklist", str(DATA / "checklist.csv"),
                                    "-o", str(tmp_path / "out")])
    assert res.exit_code == 2
    assert message in res.output and len(res.output.strip().splitlines()) == 1


def test_bad_result_cell_is_listed():
    visits = read_visits(DATA / "visits.csv")
    visits.loc[0, "score"] = "优秀"
    r = score_audit(read_checklist(DATA / "checklist.csv"), visits)
    assert r.problems["problem"].str.contains("优秀").sum() == 1
    with pytest.raises(InputError):
        score_audit(read_checklist(DATA / "checklist.csv"), visits, veto_mode="strict")


# -- dates (QA: a pandas "Could not infer format" warning came before the one-line error) ----------------
def test_a_bad_first_date_is_one_line_without_a_warning(tmp_path):
    import subprocess
    import sys

    (tmp_path / "v.csv").write_text("门店,门店类型,日期,编号,得分\nS1,核心店,2025-13-45,A1,是\nS1,核心店,2026-10-05,A2,是\n",
                                    encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "voiceofcustomer", "audit", str(tmp_path / "v.csv"), "--checklist",
                           str(DATA / "checklist.csv"), "-o", str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'v.csv'}: row 2: date '2025-13-45' is not a date; use 2026-11-05 (or add a 'wave' column)"]
    assert not (tmp_path / "o").exists()


def test_visit_dates_in_every_usual_form_whatever_the_first_row(tmp_path, recwarn):
    rows = ["2026/10/5", "2026年10月5日", "2026-10-05", "2026.10.05", "2026-10-05 00:00:00", "20261005",
            "2026 年 11 月 2 日"]
    (tmp_path / "v.csv").write_text("门店,门店类型,日期,编号,得分\n" + "".join(f"S1,核心店,{d},A1,是\n" for d in rows),
                                    encoding="utf-8")
    visits = read_visits(tmp_path / "v.csv")
    assert visits["wave"].tolist() == ["2026-10"] * 6 + ["2026-11"]
    assert not [w for w in recwarn if "infer format" in str(w.message)]


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "十月五日", "10/05/2026"])
def test_impossible_or_ambiguous_dates_are_refused(bad):
    from voiceofcustomer.audit.scoring import visit_dates

    assert visit_dates(pd.Series(["2026-10-05", bad])).isna().tolist() == [False, True]


def test_an_interrupted_audit_leaves_the_earlier_report(tmp_path, monkeypatch):
    out = tmp_path / "audit"
    args = ["audit", str(DATA / "visits.csv"), "--checklist", str(DATA / "checklist.csv"), "-o", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("voiceofcustomer.audit.report._ENV.get_template", interrupted)  # the last file
    res = CliRunner().invoke(main, args + ["--veto-mode", "flag"])
    assert res.exit_code == 130 and "interrupted" in res.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

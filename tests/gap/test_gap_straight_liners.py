"""voc gap --drop-straight-liners: respondents who gave one answer down the whole E matrix and one down the
whole P matrix can be left out, as speeders can (--drop-speeders), and the page and summary say who and how many.

Found by a questionnaire designer: the gap report warned about a respondent who gave 7 to every item (R017) but
counted them, and only speeders had an option to be left out.
Fixture (written for these tests): tests/data/gap/responses_straight_liners.csv — r4 answered 7 everywhere,
r5 7 to every E and 4 to every P in 60 s (a speeder too, under a third of the median 380 s).
"""

import json
from pathlib import Path

from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"


def _analysis(**kw):
    return gap_analysis(read_responses(DATA / "responses_straight_liners.csv"), read_codebook(DATA / "codebook.csv"),
                        **kw)


def test_straight_liners_are_kept_by_default_and_listed():
    r = _analysis()
    assert r.summary["n_used"] == 5 and r.summary["left_out"] == {"without_pairs": 0, "speeders": 0}
    assert r.summary["straight_lining"] == {"n": 2, "rows": [5, 6], "respondents": ["r4", "r5"], "dropped": False,
                                            "n_in_tables": 2}
    message = next(w["message"] for w in r.summary["warnings"] if w["kind"] == "straight_lining")
    assert message.endswith("kept — check whether they read the statements, or leave them out with "
                            "--drop-straight-liners")


def test_drop_straight_liners_leaves_them_out_of_every_table():
    r = _analysis(drop_straight_liners=True)
    assert r.summary["n_used"] == 3 and r.summary["left_out"] == {"without_pairs": 0, "speeders": 0,
                                                                   "straight_liners": 2}
    assert r.summary["straight_lining"]["dropped"] is True
    assert sorted(r.respondents["respondent"] if "respondent" in r.respondents else r.respondents.iloc[:, 0]) == [
        "r1", "r2", "r3"]
    assert r.items.set_index("item_id").loc["T1", "n"] == 3
    # a straight-lining speeder is counted once, as a speeder: the counts still add up to every row
    both = _analysis(drop_straight_liners=True, drop_speeders=True)
    assert both.summary["left_out"] == {"without_pairs": 0, "speeders": 1, "straight_liners": 1}
    assert both.summary["n_used"] + sum(both.summary["left_out"].values()) == both.summary["n_respondents"] == 5


def test_the_command_line_and_the_page_say_who_was_left_out(tmp_path):
    out = tmp_path / "gap"
    res = CliRunner().invoke(main, ["gap", str(DATA / "responses_straight_liners.csv"), "--codebook",
                                    str(DATA / "codebook.csv"), "-o", str(out), "--drop-straight-liners"])
    assert res.exit_code == 0, res.output
    assert "(3 of 5 respondents, 6 items, pairwise, straight-liners left out: 2)" in res.output
    assert "left out of every table (--drop-straight-liners)" in res.output
    page = (out / "gap_report.html").read_text(encoding="utf-8")
    assert ("有效受访者 3 / 5（未计入 2 人：已剔除直线作答 2 人（所有期望题同一答案、所有感知题也同一答案）："
            "第 5 [r4]、6 [r5] 行）") in page
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["straight_lining"]["respondents"] == ["r4", "r5"]
    kept = tmp_path / "kept"
    res = CliRunner().invoke(main, ["gap", str(DATA / "responses_straight_liners.csv"), "--codebook",
                                    str(DATA / "codebook.csv"), "-o", str(kept)])
    assert res.exit_code == 0, res.output
    assert "有效受访者 5 / 5（含过快作答 1 人，见数据提示）（含直线作答 2 人，见数据提示；可用 --drop-straight-liners 剔除）" in (
        kept / "gap_report.html").read_text(encoding="utf-8")


def test_a_straight_lining_speeder_left_out_by_one_option_is_not_said_kept_by_the_other(tmp_path):
    # Found by a questionnaire designer: 3 respondents of 96 answered 非常同意 everywhere in under a minute;
    # --drop-straight-liners left them out, and the speeders' warning still said 'kept — check them' and the page
    # 有效受访者 93 / 96（…）（含过快作答 3 人，见数据提示）, though none of the 93 was a speeder.
    out = tmp_path / "gap"
    res = CliRunner().invoke(main, ["gap", str(DATA / "responses_straight_liners.csv"), "--codebook",
                                    str(DATA / "codebook.csv"), "-o", str(out), "--drop-straight-liners"])
    assert res.exit_code == 0, res.output
    assert ("in 所用时间): 1 (rows 6 [r5]); left out as straight-liners (--drop-straight-liners)") in res.output
    page = (out / "gap_report.html").read_text(encoding="utf-8")
    assert "含过快作答" not in page
    assert "已作为直线作答剔除（--drop-straight-liners）" in page
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["speeders"]["n"] == 1 and summary["speeders"]["n_in_tables"] == 0
    assert summary["straight_lining"]["n_in_tables"] == 0
    # the other way round: r5 left out as a speeder, r4 a straight-liner kept
    r = _analysis(drop_speeders=True)
    message = next(w["message"] for w in r.summary["warnings"] if w["kind"] == "straight_lining")
    assert message.endswith("2 (rows 5 [r4], 6 [r5]); 1 kept — check them, or leave them out with "
                            "--drop-straight-liners; 1 left out as speeders (--drop-speeders)")
    assert r.summary["straight_lining"]["n_in_tables"] == 1
    from voiceofcustomer.gap.report import _left_out_note
    assert _left_out_note(r.summary).endswith("（含直线作答 1 人，见数据提示；可用 --drop-straight-liners 剔除）")

"""voc gap read by a survey analyst presenting to management: every respondent left out is accounted for.

Found in a survey-analyst QA pass: of 191 respondents, 2 answered the E page only (no gap anywhere) and 5 were
speeders left out with --drop-speeders. The summary line said '184 of 191 respondents, …, speeders left out: 5'
and the report page '有效受访者 184 / 191（已剔除过快作答 5 人…）': 184 + 5 is 189, and the 2 were nowhere in the
sum. With --listwise the speeders were counted whether or not listwise had already left them out.
Fixture: tests/data/gap/responses_timed.csv (six respondents; r3 at 95 s is the only speeder).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"


def _responses(tmp_path, without_pairs):
    df = pd.read_csv(DATA / "responses_timed.csv", dtype=str)
    df.loc[df["respondent_id"].isin(without_pairs), [c for c in df if c.startswith("P_")]] = np.nan  # E page only
    path = tmp_path / "responses.csv"
    df.to_csv(path, index=False)
    return path


def test_every_respondent_left_out_is_counted_once_with_its_reason(tmp_path):
    path = _responses(tmp_path, ["r6"])
    res = CliRunner().invoke(main, ["gap", str(path), "--codebook", str(DATA / "codebook.csv"),
                                    "-o", str(tmp_path / "gap"), "--drop-speeders"])
    assert res.exit_code == 0, res.output
    assert "(4 of 6 respondents, 6 items, pairwise, with no E/P pair left out: 1, speeders left out: 1)" in res.output
    summary = json.loads((tmp_path / "gap" / "summary.json").read_text(encoding="utf-8"))
    assert summary["left_out"] == {"without_pairs": 1, "speeders": 1}
    assert summary["n_used"] + sum(summary["left_out"].values()) == summary["n_respondents"]
    page = (tmp_path / "gap" / "gap_report.html").read_text(encoding="utf-8")
    assert "有效受访者 4 / 6（未计入 2 人：没有一道题同时回答期望和感知的 1 人；已剔除过快作答 1 人：" in page
    assert "缺失处理：成对删除（pairwise）" in page  # the page is Chinese: the policy too


def test_a_speeder_already_left_out_is_not_counted_again(tmp_path):
    book = read_codebook(DATA / "codebook.csv")
    r = gap_analysis(read_responses(_responses(tmp_path, ["r3"])), book, drop_speeders=True)  # r3: the speeder
    assert r.summary["n_used"] == 5 and r.summary["left_out"] == {"without_pairs": 1, "speeders": 0}
    whole = gap_analysis(read_responses(_responses(tmp_path, ["r3", "r5"])), book, listwise=True, drop_speeders=True)
    assert whole.summary["left_out"] == {"listwise": 2, "speeders": 0} and whole.summary["n_used"] == 4
    assert gap_analysis(read_responses(DATA / "responses_timed.csv"), book).summary["left_out"] == {
        "without_pairs": 0, "speeders": 0}  # speeders named and kept are not left out

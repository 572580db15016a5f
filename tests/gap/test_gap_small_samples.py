"""voc gap on few respondents: a test or an α that is undefined says so, and one on too few respondents is warned.

Found in a survey-analyst QA pass: two respondents whose gaps were all the same got t = −inf and p = 0 (an
"infinitely significant" gap) in items.csv and on the page, and a store's Cronbach's α of 3 respondents was shown
beside the others without a word; the page's data warnings were English after Chinese titles.
Fixtures (written for these tests): tests/data/gap/codebook_three_items.csv (T1, T2 有形性; R1 可靠性),
responses_same_gap.csv (two respondents, every gap the same), responses_small_stores.csv (two stores of three;
光谷店 answered 7 to every E item of 有形性).
"""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses
from voiceofcustomer.gap.stats import ALPHA_MIN_N, alpha_note, cronbach_alpha, t_summary

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"


def _run(tmp_path, responses, *args):
    out = tmp_path / "gap"
    res = CliRunner().invoke(main, ["gap", str(DATA / responses), "--codebook", str(DATA / "codebook_three_items.csv"),
                                    "-o", str(out), *args])
    assert res.exit_code == 0, res.output
    return res.output, out


def _warnings(out):
    return {w["kind"]: w for w in json.loads((out / "summary.json").read_text(encoding="utf-8"))["warnings"]}


def _page_warnings(out) -> str:
    page = (out / "gap_report.html").read_text(encoding="utf-8")
    return page.split("<h2>数据提示</h2>")[1].split("<h2>")[0]


def test_every_gap_the_same_gives_no_t_but_the_reason(tmp_path):
    output, out = _run(tmp_path, "responses_same_gap.csv")
    items = pd.read_csv(out / "items.csv", encoding="utf-8-sig", keep_default_na=False)
    assert items["t"].tolist() == ["", "", ""] and items["p_value"].tolist() == ["", "", ""]  # was -inf and 0.0
    assert items["ci_low"].tolist() == ["", "", ""] and items["gap"].tolist() == [-1.0, -1.0, -3.0]
    assert items["test_note"].tolist() == ["no variance"] * 3
    dims = pd.read_csv(out / "dimensions.csv", encoding="utf-8-sig", keep_default_na=False)
    assert dims["test_note"].tolist() == ["no variance", "no variance"] and dims["ci_low"].tolist() == ["", ""]
    w = _warnings(out)["test_undefined"]
    assert w["count"] == 5 and w["message"] == (
        "paired t-test undefined, t, p and the 95% interval left empty (the gap is shown): T1, T2, R1, dimension "
        "tangibles, dimension reliability — no variance: every respondent's gap P − E is the same")
    assert "warning: paired t-test undefined" in output
    shown = _page_warnings(out)
    assert ("<b>配对 t 检验无法进行</b>（5）：配对 t 检验无法进行，t 值、p 值和 95% 置信区间留空（差距照常列出）："
            "T1、T2、R1、维度 有形性、维度 可靠性——无差异：所有受访者的差距 P − E 都相同") in shown
    page = (out / "gap_report.html").read_text(encoding="utf-8")
    assert "inf" not in re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert page.count("无差异（所有受访者的差距相同），无法检验") == 5  # the 检验说明 of 3 items and 2 dimensions


def test_t_summary_says_why_a_test_is_undefined():
    x = np.array([[1.0, 2.0, np.nan, 1 / 3], [1.0, 4.0, 2.0, 1 / 3], [1.0, 3.0, np.nan, 1 / 3]])
    t = t_summary(x)
    assert t["reason"].tolist() == ["no variance", "", "too few respondents", "no variance"]  # thirds: no rounding t
    assert np.isnan(t["t"][[0, 2, 3]]).all() and np.isnan(t["p_value"][[0, 2, 3]]).all()
    assert np.isfinite(t["t"][1]) and np.isfinite(t["ci_low"][1])


def test_alpha_of_a_store_of_three_is_warned_and_an_alpha_without_variance_left_empty(tmp_path):
    output, out = _run(tmp_path, "responses_small_stores.csv", "--by", "store")
    w = _warnings(out)
    few = w["segment_alpha_few_respondents"]
    assert few["count"] == 2 and "光谷店 (3)" in few["message"] and "东湖店 (3)" in few["message"]
    assert f"fewer than {ALPHA_MIN_N} respondents" in few["message"]
    assert "东湖店（3 人）" in few["message_zh"] and "不足 30 人" in few["message_zh"]
    assert w["alpha_few_respondents"]["count"] == 6  # the whole sample is 6 < 30 too
    by_store = pd.read_csv(out / "dimensions_by_store.csv", encoding="utf-8-sig", keep_default_na=False)
    gg = by_store[(by_store["segment"] == "光谷店") & (by_store["dimension"] == "tangibles")].iloc[0]
    assert gg["alpha_e"] == "" and gg["alpha_e_note"] == "no variance"  # every E of 有形性 is 7 in 光谷店
    assert gg["alpha_p_note"] == "few respondents" and gg["alpha_p"] != ""
    assert "warning: segments of store whose Cronbach's α rests on fewer than 30 respondents" in output
    shown = _page_warnings(out)
    assert "<b>分组的信度（Cronbach&#x27;s α）所基于的受访者过少</b>（2）：store 中 Cronbach&#x27;s α" in shown
    page = (out / "gap_report.html").read_text(encoding="utf-8")
    assert "无差异（所有受访者回答相同），无法计算" in page and "受访者不足 30 人，α 仅供参考" in page


def test_alpha_with_an_item_nobody_answered_differently():
    # two items, one constant: α = 0 and the note says why; all constant: no α, "no variance"
    x = np.array([[7.0, 1.0], [7.0, 3.0], [7.0, 5.0]])
    assert cronbach_alpha(x)[0] == 0.0 and alpha_note(x) == "few respondents; item without variance"
    assert np.isnan(cronbach_alpha(np.full((40, 3), 7.0))[0]) and alpha_note(np.full((40, 3), 7.0)) == "no variance"
    big = np.random.default_rng(1).integers(1, 8, (40, 3)).astype(float)
    assert alpha_note(big) == "" and alpha_note(big[:, :1]) == "one item" and alpha_note(big[:1]) == "too few respondents"
    book = read_codebook(DATA / "codebook_three_items.csv")
    df = read_responses(DATA / "responses_small_stores.csv")
    df["P_T1"] = "4"
    r = gap_analysis(df, book)
    w = {x["kind"]: x for x in r.summary["warnings"]}
    assert w["item_without_variance"]["message"].startswith("T1 (P) of tangibles: every respondent gave the same")
    assert w["item_without_variance"]["message_zh"].startswith("维度 有形性 的 T1（感知）：所有受访者的回答都相同")


def test_the_page_says_every_data_warning_in_chinese(tmp_path):
    # the warnings were English after their Chinese titles ('没有重要性分配题：no W_<dimension> importance columns; …')
    _, out = _run(tmp_path, "responses_small_stores.csv", "--by", "store")
    shown = re.sub(r"<[^>]+>", "", _page_warnings(out))
    assert "没有 W_&lt;维度&gt; 重要性分配列；不计算加权 SQ" in shown
    assert "编码表中没有以下维度的题目：响应性、保证性、移情性；SQ 取现有 2 个维度的平均" in shown
    # no English sentence left: only ids, column names and the term Cronbach's α are Latin
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", shown.replace("Cronbach&#x27;s", "")), shown
    w = _warnings(out)
    assert w["no_importance"]["message"] == "no W_<dimension> importance columns; the weighted SQ is not computed"
    assert all(x["message_zh"] for x in w.values())


def test_the_alpha_note_of_few_respondents_is_said_once_under_each_table(tmp_path):
    # a questionnaire designer: 「受访者不足 30 人，α 仅供参考」 stood in both α 说明 columns of every store's row,
    # so the 各维度（按store） table was hard to read; now each such cell holds ※ and the table says it once below
    _, out = _run(tmp_path, "responses_small_stores.csv", "--by", "store")
    page = re.sub(r"<script.*?</script>", "", (out / "gap_report.html").read_text(encoding="utf-8"), flags=re.S)
    seg = page.split("<h3>各维度（按store）</h3>")[1].split("<h3>")[0]
    cells = re.findall(r"<td>(.*?)</td>", seg)
    assert "受访者不足 30 人，α 仅供参考" not in "".join(cells)
    assert cells.count("※") == 3  # 东湖店 有形性 E and P, 光谷店 有形性 P (its E: no variance, said in full)
    assert "无差异（所有受访者回答相同），无法计算" in cells
    assert seg.count("※ 受访者不足 30 人，α 仅供参考（人数见 α 样本列）") == 1
    overall = page.split("<h2>各维度</h2>")[1].split("<h2>")[0]  # the whole sample is 6 < 30: marked too
    assert "※</td>" in overall and overall.count("受访者不足 30 人，α 仅供参考") == 1
    # the CSV keeps its English code in every row, for scripts
    by_store = pd.read_csv(out / "dimensions_by_store.csv", encoding="utf-8-sig", keep_default_na=False)
    assert (by_store["alpha_p_note"] == "few respondents").sum() == 2

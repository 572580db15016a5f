"""voc gap as a questionnaire designer at a provincial operator meets it the first time (designer QA pass 3):
a response file typed by hand with a header typo, and the report page read in Chinese."""

import html
import re

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import ColumnError
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses
from voiceofcustomer.gap.report import render_html


def _page_text(result) -> str:
    page = re.sub(r"<script.*?</script>", "", render_html(result), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# Before: a GBK response file of 34 columns whose P_Q16 was typed P_Q61 stopped with 'missing column P_Q16; …;
# columns are: respondent_id, 营业厅, E_Q01, … P_Q12 …' — the list stopped after 30 columns, before P_Q61, so the
# message never showed the column that was meant. Now it names the E_/P_ columns no codebook item has, each with
# the missing column it most likely is.

def test_a_header_typo_is_named_with_the_column_it_should_be(data_dir, tmp_path):
    gap_dir = data_dir / "gap"
    res = CliRunner().invoke(main, ["gap", str(gap_dir / "responses_typo_header_gbk.csv"), "--codebook",
                                    str(gap_dir / "codebook_sixteen.csv"), "-o", str(tmp_path / "gap")])
    assert res.exit_code == 2, res.output
    line = res.output.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert "responses_typo_header_gbk.csv: missing column P_Q16;" in line
    assert "P_Q61 (is it P_Q16?)" in line and "rename it" in line
    assert not (tmp_path / "gap").exists()


def test_stray_columns_are_paired_with_their_own_side():
    book = pd.DataFrame({"item_id": ["A1", "A2"], "dimension": ["tangibles"] * 2, "e_text": ["甲", "乙"],
                         "p_text": ["甲1", "乙1"]})
    df = pd.DataFrame({"E_A1": [6, 7], "e_a2": [6, 5], "P_A1": [5, 4], "P-A2": [4, 4]})
    try:
        gap_analysis(df, book)
    except ColumnError as e:
        said = str(e)
    else:
        raise AssertionError("no error")
    assert "missing columns E_A2, P_A2" in said
    assert "e_a2 (is it E_A2?)" in said and "P-A2 (is it P_A2?)" in said


# Before: the page's 组间差异检验 table was headed n_segments, anova_f, anova_p, welch_f, welch_df1, welch_df2,
# welch_p, significant with False / True in it, and its 无效答案 table said 'rating outside 1–7' and 'not a number'
# under the Chinese headings 行 受访者 列 值 问题.

def test_the_page_says_the_segment_tests_and_problems_in_chinese(data_dir):
    gap_dir = data_dir / "gap"
    responses = read_responses(gap_dir / "responses.csv")
    responses["store"] = ["东湖店", "汉口店"] * (len(responses) // 2) + ["东湖店"] * (len(responses) % 2)
    responses = responses.astype({"E_T1": object, "P_T1": object})
    responses.loc[0, "E_T1"] = "9"
    responses.loc[1, "P_T1"] = "很好"
    text = _page_text(gap_analysis(responses, read_codebook(gap_dir / "codebook.csv"), by="store"))
    for english in ("n_segments", "anova_f", "anova_p", "welch_f", "welch_df1", "welch_df2", "welch_p",
                    "significant", "False", "True", "rating outside", "not a number"):
        assert english not in text, english
    assert "差异显著（Welch p < 0.05）" in text and "Welch p 值" in text and "分组数" in text
    assert "评分超出 1–7" in text and "不是数字" in text


def test_the_csv_keeps_the_english_codes(data_dir):
    gap_dir = data_dir / "gap"
    responses = read_responses(gap_dir / "responses.csv")
    responses = responses.astype({"E_T1": object, "P_T1": object})
    responses.loc[0, "E_T1"] = "9"
    result = gap_analysis(responses, read_codebook(gap_dir / "codebook.csv"))
    assert result.problems["problem"].tolist() == ["rating outside 1–7"]


# Before: the page's 加权 SQ row gave its number beside 有效受访者 59 / 60 without a word that it rested on the
# respondents whose importance points could be used (here 1 of 3 fewer).

def test_the_weighted_sq_says_how_many_it_rests_on_when_fewer():
    book = pd.DataFrame({"item_id": ["A1", "B1"], "dimension": ["tangibles", "empathy"], "e_text": ["甲", "乙"],
                         "p_text": ["甲1", "乙1"]})
    df = pd.DataFrame({"E_A1": [6, 7, 6], "P_A1": [5, 4, 6], "E_B1": [7, 6, 5], "P_B1": [4, 5, 5],
                       "W_tangibles": [50, 60, None], "W_empathy": [50, 40, None]})
    result = gap_analysis(df, book)
    assert result.summary["n_used"] == 3 and result.summary["n_weighted"] == 2
    assert "基于重要性分值可用的 2 人，不是全部 3 名有效受访者" in _page_text(result)
    df.loc[2, ["W_tangibles", "W_empathy"]] = [30, 70]
    assert "基于重要性分值可用的" not in _page_text(gap_analysis(df, book))

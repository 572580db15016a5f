"""A survey's open answers (one answer a row) are split as a table, but they are no tickets: source_kind says so.

Fixture tests/data/survey_open_answers.csv: a 问卷星-like export (答卷编号, 提交答卷时间, 所用时间) of 3 answers to
您对我们的服务还有什么建议？."""
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.text.split import SplitSummary, split_inputs

DATA = Path(__file__).resolve().parents[1] / "data"
SURVEY = DATA / "survey_open_answers.csv"
QUESTION = "您对我们的服务还有什么建议？"


def _split(paths, **kw):
    summary = SplitSummary()
    return pd.concat(list(split_inputs(paths, summary=summary, **kw))), summary


def test_a_survey_export_is_read_as_answers_not_tickets():
    df, summary = _split(SURVEY, text_col=QUESTION)
    assert list(df["source_kind"]) == ["other"] * 3
    assert list(df["ticket_id"]) == ["1", "2", "3"]  # its 答卷编号 (until 7 Dec 2026 the row: survey_open_answers:1)
    assert (summary.rows, summary.answers) == (3, 3)


def test_kind_survey_reads_any_table_as_answers(tmp_path):
    plain = tmp_path / "answers.csv"
    plain.write_text("序号,回答\n1,希望账单能写清楚每一项费用。\n2,营业厅排队时间太长了。\n", encoding="utf-8")
    df, _ = _split(plain, text_col="回答")
    assert set(df["source_kind"]) == {"ticket"}  # nothing in it says survey: a ticket export, as before
    df, summary = _split(plain, text_col="回答", kind="survey")
    assert set(df["source_kind"]) == {"other"} and summary.answers == 2


def test_each_input_says_its_kind():
    df, _ = _split([DATA / "focus_group_turns.csv", DATA.parent.parent / "corpora" / "samples" / "tickets.csv"])
    kinds = df.groupby("source")["source_kind"].unique()
    assert list(kinds["focus_group_turns.csv"]) == ["focus_group"]
    assert list(kinds["tickets.csv"]) == ["ticket"]


def test_an_unknown_kind_names_survey():
    with pytest.raises(InputError, match="auto, transcript, tickets or survey"):
        next(split_inputs(SURVEY, kind="answers"))


def test_voc_split_says_survey_answers(tmp_path):
    out = tmp_path / "st.csv"
    res = CliRunner().invoke(main, ["split", str(SURVEY), "--text-col", QUESTION, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "0 ticket rows, 3 survey answers" in res.output
    assert set(pd.read_csv(out, dtype=str)["source_kind"]) == {"other"}


IDS = DATA / "survey_ids"


def test_a_wjx_answer_is_named_by_its_number_and_told_from_another_respondents():
    """问卷星's 序号 (beside 提交答卷时间) names each answer as the platform does: a filtered export's answers 101, 102,
    104, 107 were wjx_numbered_answers:1 … :4, which a researcher finds nowhere, and the second respondent writing
    希望资费再便宜一点。 was taken for a repeat of the first (one speaker for a file without ids: not counted)."""
    df, summary = _split(IDS / "wjx_numbered_answers.csv", text_col=QUESTION)
    assert list(df["ticket_id"]) == ["101", "102", "104", "104", "107"]
    assert list(df["statement_id"]) == [f"wjx_numbered_answers:{r}-s{s:02d}" for r, s in ((1, 1), (2, 1), (3, 1),
                                                                                         (3, 2), (4, 1))]
    # a respondent saying a sentence twice is one statement; two respondents saying it are two
    assert list(df["is_duplicate"]) == [False, False, False, True, False]
    assert summary.duplicates == 1


def test_answer_numbers_are_a_surveys_own():
    """Two surveys both number their answers from 1: answer 1 of each is another respondent."""
    other = DATA / "text_cols" / "survey_open_answers.csv"  # 答卷编号 1: 希望营业厅周末多开几个窗口。
    df, _ = _split([IDS / "wjx_numbered_answers.csv", other, IDS / "wjx_numbered_answers.csv"], text_col=QUESTION)
    same = df[df["text"].eq("希望营业厅周末多开几个窗口。")]
    assert list(zip(same["source"], same["ticket_id"], same["is_duplicate"])) == [
        ("wjx_numbered_answers.csv", "101", False), ("survey_open_answers.csv", "1", False),
        ("wjx_numbered_answers.csv#2", "101", True)]  # the same file given twice: its answers read again


def test_a_survey_without_answer_numbers_keeps_its_row_ids():
    df, _ = _split(IDS / "answers_without_number.csv", text_col=QUESTION)
    assert list(df["ticket_id"]) == ["answers_without_number:1", "answers_without_number:2"]


def test_an_id_column_given_wins_over_the_answer_number(tmp_path):
    df, _ = _split(IDS / "wjx_numbered_answers.csv", text_col=QUESTION, id_col="来源")
    assert list(df["ticket_id"])[:2] == ["手机提交", "微信"]


def test_a_split_surveys_answers_are_the_threads_of_their_sentences():
    """voc tag reads a split answer's sentences as one thread (a follow-up takes its subject), keyed by the file and
    the answer number: answer 1 of two surveys are two threads."""
    from voiceofcustomer.labels.context import ticket_threads

    df, _ = _split([IDS / "wjx_numbered_answers.csv", DATA / "text_cols" / "survey_open_answers.csv"], text_col=QUESTION)
    keys = ticket_threads(df.reset_index(drop=True))
    assert keys[2] == keys[3] != keys[4]  # answer 104's two sentences; 107
    assert len(set(keys)) == 7  # 4 + 3 answers

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
    assert list(df["ticket_id"]) == ["survey_open_answers:1", "survey_open_answers:2", "survey_open_answers:3"]
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

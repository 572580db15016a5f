"""``--text-col`` given once per column: a survey export (text in 您对我们的服务还有什么建议？) and a ticket export
(text in 投诉内容) split and analysed in one run. Before, --text-col applied to every input, so one of the two was
always refused ('survey.csv: no column '投诉内容' for the text'), and without it the survey's column was found by
no name."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli import main
from voiceofcustomer.errors import ColumnError
from voiceofcustomer.io.readers import open_table
from voiceofcustomer.text.split import split_inputs

SURVEY_COL = "您对我们的服务还有什么建议？"


@pytest.fixture
def files(data_dir):
    d = data_dir / "text_cols"
    return d / "survey_open_answers.csv", d / "complaint_tickets.csv", d / "tickets_own_words.csv"


def test_each_table_reads_the_given_column_it_has(files):
    survey, tickets, _ = files
    assert open_table(survey, text_col=[SURVEY_COL, "投诉内容"]).text_col == SURVEY_COL
    assert open_table(tickets, text_col=[SURVEY_COL, "投诉内容"]).text_col == "投诉内容"
    assert open_table(tickets, text_col=["投诉内容"]).text_col == "投诉内容"  # a list of one is that one


def test_split_reads_a_survey_and_a_ticket_export_in_one_run(files, tmp_path):
    survey, tickets, _ = files
    out = tmp_path / "st.csv"
    res = CliRunner().invoke(main, ["split", str(survey), str(tickets), "-o", str(out), "-q",
                                    "--text-col", SURVEY_COL, "--text-col", "投诉内容"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df.groupby("source")["text"].apply(list).to_dict() == {
        "survey_open_answers.csv": ["希望营业厅周末多开几个窗口。", "宽带报修以后上门太慢了。", "套餐资费说明能不能写清楚一点。"],
        "complaint_tickets.csv": ["用户反映家里宽带晚上总掉线，报修三次没有解决。", "客户称营业厅排队等了四十分钟，工作人员态度冷淡。"]}
    assert df.groupby("source")["source_kind"].first().to_dict() == {
        "survey_open_answers.csv": "other", "complaint_tickets.csv": "ticket"}
    # neither text column goes through as another column of the other file's rows
    assert SURVEY_COL not in df.columns and "投诉内容" not in df.columns


def test_one_text_col_still_applies_to_every_input_and_names_the_file_lacking_it(files, tmp_path):
    survey, tickets, _ = files
    res = CliRunner().invoke(main, ["split", str(survey), str(tickets), "-o", str(tmp_path / "st.csv"), "-q",
                                    "--text-col", "投诉内容"])
    assert res.exit_code == 2 and not (tmp_path / "st.csv").exists()
    assert res.stderr.strip().splitlines() == [
        f"Error: {survey}: no column '投诉内容' for the text; columns are: 答卷编号, 提交答卷时间, 您的年龄段, {SURVEY_COL}"]


def test_a_file_with_none_of_the_given_columns_is_named_in_one_line(files, tmp_path):
    survey, tickets, own_words = files
    res = CliRunner().invoke(main, ["split", str(survey), str(tickets), str(own_words), "-o", str(tmp_path / "s.csv"),
                                    "-q", "--text-col", SURVEY_COL, "--text-col", "投诉内容"])
    assert res.exit_code == 2 and not (tmp_path / "s.csv").exists()
    assert res.stderr.strip().splitlines() == [
        f"Error: {own_words}: no column for the text among those given ('{SURVEY_COL}', '投诉内容'); give its column "
        "with one more --text-col; columns are: 工单编号, 受理时间, 备注, 客户原话"]


def test_a_file_with_two_of_the_given_columns_is_refused(files):
    _, tickets, _ = files
    with pytest.raises(ColumnError, match=r"complaint_tickets.csv: has '投诉内容' and '处理状态', several of the "
                                          r"columns given for the text"):
        list(split_inputs([tickets], text_col=["投诉内容", "处理状态"]))


@pytest.mark.slow
def test_analyze_reads_both_exports_in_one_run(files, tmp_path):
    survey, tickets, _ = files
    res = CliRunner().invoke(main, ["analyze", str(survey), str(tickets), "-o", str(tmp_path / "an"), "-q",
                                    "--embedding", "lsa", "--text-col", SURVEY_COL, "--text-col", "投诉内容"])
    assert res.exit_code == 0, res.output
    st = pd.read_excel(tmp_path / "an" / "statements.xlsx", dtype=str, engine="openpyxl")
    assert sorted(st["source"].value_counts().items()) == [("complaint_tickets.csv", 2),
                                                           ("survey_open_answers.csv", 3)]

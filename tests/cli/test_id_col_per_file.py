"""``--id-col`` given once per column, as ``--text-col`` is: a ticket export numbered by 工单编号 and one numbered by
受理流水 split in one run, each file's tickets named by the id column it has. Before, the last --id-col given applied to
every input (click kept one), so the other file was refused ('complaint_tickets.csv: no column '受理流水' for the
id'), and without it the 受理流水 tickets were named by their row (tickets_liushui:1)."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli import main
from voiceofcustomer.errors import ColumnError, InputError
from voiceofcustomer.io.readers import open_table
from voiceofcustomer.text.split import split_inputs


@pytest.fixture
def files(data_dir):
    return (data_dir / "text_cols" / "complaint_tickets.csv", data_dir / "id_cols" / "tickets_liushui.csv",
            data_dir / "id_cols" / "tickets_both_ids.csv", data_dir / "text_cols" / "tickets_own_words.csv")


def test_each_table_uses_the_given_id_column_it_has(files):
    gd, ls, _, _ = files
    assert open_table(gd, id_col=["工单编号", "受理流水"]).id_col == "工单编号"
    assert open_table(ls, id_col=["工单编号", "受理流水"]).id_col == "受理流水"


def test_split_names_each_exports_tickets_by_its_own_id(files, tmp_path):
    gd, ls, _, _ = files
    out = tmp_path / "st.csv"
    res = CliRunner().invoke(main, ["split", str(gd), str(ls), "-o", str(out), "-q",
                                    "--id-col", "工单编号", "--id-col", "受理流水"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df.groupby("source")["ticket_id"].apply(list).to_dict() == {
        "complaint_tickets.csv": ["GD001", "GD002"], "tickets_liushui.csv": ["LS20261101-07", "LS20261101-09"]}


def test_a_file_with_none_of_the_given_id_columns_is_named_in_one_line(files, tmp_path):
    gd, ls, _, own_words = files
    res = CliRunner().invoke(main, ["split", str(ls), str(own_words), "-o", str(tmp_path / "s.csv"), "-q",
                                    "--text-col", "投诉内容", "--text-col", "客户原话",
                                    "--id-col", "受理流水", "--id-col", "投诉单号"])
    assert res.exit_code == 2 and not (tmp_path / "s.csv").exists()
    assert res.stderr.strip().splitlines() == [
        f"Error: {own_words}: no column for the id among those given ('受理流水', '投诉单号'); give its column with "
        "one more --id-col; columns are: 工单编号, 受理时间, 备注, 客户原话"]


def test_a_file_with_two_of_the_given_id_columns_is_refused(files):
    gd, _, both, _ = files
    with pytest.raises(ColumnError, match=r"tickets_both_ids.csv: has '工单编号' and '受理流水', several of the "
                                          r"columns given for the id"):
        list(split_inputs([gd, both], id_col=["工单编号", "受理流水"]))


@pytest.mark.slow
def test_themes_reads_the_given_text_and_id_column_of_each_file(data_dir, files, tmp_path):
    """voc themes takes --text-col and --id-col repeated as voc split does (the same reader): before, a survey
    export and a ticket export could not go through it in one run ('survey_open_answers.csv: no column '投诉内容'
    for the text')."""
    gd, ls, _, _ = files
    survey = data_dir / "text_cols" / "survey_open_answers.csv"
    res = CliRunner().invoke(main, ["themes", str(survey), str(gd), str(ls), "-o", str(tmp_path / "th"), "-q",
                                    "--embedding", "lsa", "--text-col", "您对我们的服务还有什么建议？",
                                    "--text-col", "投诉内容", "--id-col", "工单编号", "--id-col", "受理流水",
                                    "--id-col", "答卷编号"])
    assert res.exit_code == 0, res.output
    st = pd.read_csv(tmp_path / "th" / "statement_topics.csv", dtype=str, keep_default_na=False)
    assert st.groupby("source")["ticket_id"].apply(list).to_dict() == {
        "complaint_tickets.csv": ["GD001", "GD002"], "survey_open_answers.csv": ["1", "2", "3"],
        "tickets_liushui.csv": ["LS20261101-07", "LS20261101-09"]}
    assert st.groupby("source")["text"].apply(len).to_dict() == {
        "complaint_tickets.csv": 2, "survey_open_answers.csv": 3, "tickets_liushui.csv": 2}


def test_themes_takes_text_col_repeated(data_dir, tmp_path, monkeypatch):
    """The quick check of the same: the options reach run_themes as the readers take them (a tuple, one a file's)."""
    got = {}

    def fake(inputs, out_dir, **kw):
        got.update(kw)
        raise InputError("stop here")

    monkeypatch.setattr("voiceofcustomer.themes.run_themes", fake)
    res = CliRunner().invoke(main, ["themes", str(data_dir / "text_cols" / "survey_open_answers.csv"),
                                    "-o", str(tmp_path / "th"), "-q", "--text-col", "您对我们的服务还有什么建议？",
                                    "--text-col", "投诉内容", "--id-col", "答卷编号"])
    assert res.exit_code == 2, res.output
    assert (got["text_col"], got["id_col"]) == (("您对我们的服务还有什么建议？", "投诉内容"), "答卷编号")

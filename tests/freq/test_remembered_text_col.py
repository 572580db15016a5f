"""voc tag X --text-col COL: the tagged output remembers COL, so voc freq and voc review find it without the option."""

import pandas as pd
import pytest

from voiceofcustomer.errors import ColumnError
from voiceofcustomer.freq.tables import count_table
from voiceofcustomer.io.readers import TEXT_COLUMN_NAMES, named_columns, open_table
from voiceofcustomer.labels.workflow import tag_table
from voiceofcustomer.statements import TEXT_COL_PROPERTY, open_statements, read_statements

ROWS = [("GD4001", "2026-10-03", "回访两次", "家里宽带晚上总是掉线，打了三次客服都没人上门"),
        ("GD4002", "2026-10-05", "已转派", "营业厅排队一个多小时，窗口只开了一个"),
        ("GD4003", "2026-10-21", "已回访", "新办的套餐资费和营业员说的不一样")]


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "export.csv"
    pd.DataFrame(ROWS, columns=["工单编号", "受理时间", "备注", "工单摘要"]).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_freq_and_review_find_the_text_col_given_to_tag(export, tmp_path, suffix):
    out = tmp_path / f"tagged{suffix}"
    tag_table(export, out, text_col="工单摘要", n_jobs=1)
    result, _ = count_table(out)
    assert result.rows_counted == 3
    assert result.examples and all(ex.text in {r[3] for r in ROWS} for exs in result.examples.values() for ex in exs)
    df = read_statements(out)  # what voc review opens a project on
    assert df["text"].tolist() == [r[3] for r in ROWS]
    assert open_statements(out, text_col="备注").text_col == "备注"  # an explicit choice still wins


def test_a_remembered_column_renamed_since_falls_back_to_the_names(export, tmp_path):
    out = tmp_path / "tagged.parquet"
    tag_table(export, out, text_col="工单摘要", n_jobs=1)
    df = pd.read_parquet(out).rename(columns={"工单摘要": "投诉内容"})
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table.replace_schema_metadata({TEXT_COL_PROPERTY: "工单摘要"}), out)
    assert open_statements(out).text_col == "投诉内容"


def test_a_csv_output_still_needs_the_option(export, tmp_path):
    out = tmp_path / "tagged.csv"
    tag_table(export, out, text_col="工单摘要", n_jobs=1)
    with pytest.raises(ColumnError, match="text_col="):
        count_table(out)
    assert count_table(out, text_col="工单摘要")[0].rows_counted == 3


@pytest.mark.parametrize("name", ["客户诉求/投诉内容", "投诉内容（客户原话）", "诉求 | 内容"])
def test_a_name_made_of_text_names_is_the_text(data_dir, name):
    assert named_columns(["工单编号", name, "区县"], TEXT_COLUMN_NAMES) == [name]


def test_a_compound_text_header_is_read(data_dir):
    assert open_table(data_dir / "tickets_compound_text_header.csv").text_col == "客户诉求/投诉内容"


def test_a_known_name_still_wins_over_a_compound_one():
    assert named_columns(["投诉内容", "客户诉求/备注"], TEXT_COLUMN_NAMES) == ["投诉内容"]
    assert named_columns(["备注/说明", "受理时间"], TEXT_COLUMN_NAMES) == []


def test_review_opens_a_csv_output_with_text_col(export, tmp_path):
    from voiceofcustomer.review.project import open_project

    out = tmp_path / "tagged.csv"
    tag_table(export, out, text_col="工单摘要", n_jobs=1)
    with pytest.raises(ColumnError, match="text_col="):
        open_project([out], tmp_path / "a.sqlite")
    store = open_project([out], tmp_path / "b.sqlite", text_col="工单摘要")
    assert len(store) == 3


def _two_coders(export, tmp_path, suffix):
    """Two coders' copies of one tagged export (voc tag X --text-col 工单摘要); in a CSV, b changed one issue."""
    import shutil

    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    tag_table(export, a, text_col="工单摘要", n_jobs=1)
    if suffix != ".csv":
        shutil.copy(a, b)  # Parquet and Excel remember the column in both copies
        return a, b
    df = pd.read_csv(a, dtype=str, keep_default_na=False)
    df.loc[0, "issue"] = "billing" if df.loc[0, "issue"] != "billing" else "network"
    df.to_csv(b, index=False)
    return a, b


def test_agreement_reads_a_csv_output_with_text_col(export, tmp_path):
    """voc agreement had no --text-col: two CSV outputs of voc tag --text-col 工单摘要 (which a CSV cannot
    remember) could not be compared without renaming the column in both files."""
    from voiceofcustomer.review.agreement import agreement_from_tables

    a, b = _two_coders(export, tmp_path, ".csv")
    with pytest.raises(ColumnError, match="text_col="):
        agreement_from_tables(a, b)
    res = agreement_from_tables(a, b, text_col="工单摘要")
    issue = res.pairs.set_index("field").loc["issue"]
    assert (issue["n"], round(issue["agree"], 3)) == (3, round(2 / 3, 3))
    assert res.disagreements["text"].tolist() == [ROWS[0][3]]  # the texts of the column given


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_agreement_finds_the_text_col_given_to_tag(export, tmp_path, suffix):
    from voiceofcustomer.review.agreement import agreement_from_tables

    a, b = _two_coders(export, tmp_path, suffix)
    res = agreement_from_tables(a, b, key="text")  # matched on the remembered column's texts
    assert res.pairs.set_index("field").loc["issue", "n"] == 3


def test_voc_agreement_takes_text_col(export, tmp_path):
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main
    from voiceofcustomer.review.project import open_project

    a, b = _two_coders(export, tmp_path, ".csv")
    r = CliRunner().invoke(main, ["agreement", str(a), str(b), "--text-col", "工单摘要"])
    assert r.exit_code == 0, r.output
    assert "issue" in r.output and "n=3" in r.output
    project = tmp_path / "review.sqlite"
    open_project([a], project, text_col="工单摘要").close()
    r = CliRunner().invoke(main, ["agreement", str(project), "--text-col", "工单摘要"])
    assert r.exit_code == 2 and "leave --text-col out" in r.output, r.output

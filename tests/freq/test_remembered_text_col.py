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

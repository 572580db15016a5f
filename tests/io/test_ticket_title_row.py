"""A ticket export with a title row over its header (``2026年10月全省投诉工单明细`` in A1, merged across the columns,
as ticket systems export a month; or that sheet saved as CSV: ``2026年11月全省投诉工单明细,,,,,``) is read by the header
in row 2. Before, the title was the only column's name and the first ticket stopped the run ('line 2: has a value in
column B ('受理时间') beyond the 1 named columns (2026年10月全省投诉工单明细)')."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli import main
from voiceofcustomer.io.readers import open_table

HEADER_OCT = ["工单编号", "受理时间", "地市", "业务类型", "投诉内容", "处理结果"]


def _read(source):
    return pd.concat(list(source.chunks()), ignore_index=True)


def test_a_workbook_under_a_merged_title_is_read_by_its_header(data_dir):
    source = open_table(data_dir / "title_row" / "tickets_oct_title.xlsx", on_bad_rows="skip")
    assert source.columns == HEADER_OCT
    assert (source.text_col, source.id_col, source.header_row) == ("投诉内容", "工单编号", 2)
    assert source.title == "2026年10月全省投诉工单明细"
    df = _read(source)
    assert df["ticket_id"].tolist() == ["GD2026100001", "GD2026100002", "GD2026100003", "GD2026100004"]
    assert df["地市"].tolist() == ["温州", "宁波", "杭州", "杭州"]
    assert df["投诉内容"].fillna("").tolist()[1] == "这个月话费多扣了三十块钱，我根本没有订过这个增值业务。"
    assert df["_row"].tolist() == [1, 2, 3, 4]  # ids of rows without one count data rows, as before
    # the bad row is named by its sheet row: title 1, header 2, tickets 3–6, this one 7
    assert len(source.bad_rows) == 1 and source.bad_rows[0][0] == 7
    assert "column G ('备注挤到了右边')" in source.bad_rows[0][1]
    assert source.counts["records"] == 5 and source.counts["empty_rows"] == 0


def test_a_gbk_csv_saved_from_a_titled_sheet_is_read_by_its_header(data_dir):
    source = open_table(data_dir / "title_row" / "tickets_nov_title_gbk.csv", on_bad_rows="skip")
    assert source.columns == ["工单编号", "受理时间", "地市", "业务类型", "问题描述", "处理结果"]
    assert (source.text_col, source.title) == ("问题描述", "2026年11月全省投诉工单明细")
    df = _read(source)
    assert df["ticket_id"].tolist() == ["GD2026110001", "GD2026110002"]
    assert df["问题描述"].tolist() == ["光猫指示灯一直闪红灯，宽带断了两天。", "莫名其妙被开通了视频会员，要求取消并退费。"]
    assert source.bad_rows == [(5, "has 7 fields, expected 6 (工单编号, 受理时间, 地市, 业务类型, 问题描述, 处理结果)")]


@pytest.mark.parametrize("first, second, text_col, title", [
    (["2026年10月工单", None, None], ["工单编号", "投诉内容", "地市"], None, "2026年10月工单"),
    (["2026年10月工单", "", ""], ["编号", "客户原话", "地市"], "客户原话", "2026年10月工单"),
    (["投诉内容"], ["宽带断了三天"], None, None),  # a one-column export: its header, not a title
    (["投诉内容", None], ["宽带断了三天", "GD1"], None, None),  # a ticket in row 2 names no column
    (["2026年10月工单", None], ["工单编号", "地市"], None, None),  # row 2 names no text column
    (["工单编号", "投诉内容"], ["GD1", "投诉内容"], None, None),  # two names in row 1: the header
])
def test_which_first_rows_are_a_title(first, second, text_col, title):
    from voiceofcustomer.io.readers import ticket_title

    assert ticket_title(first, second, text_col) == title


def test_voc_tag_reads_the_titled_october_workbook(data_dir, tmp_path):
    out = tmp_path / "tagged.csv"
    res = CliRunner().invoke(main, ["tag", str(data_dir / "title_row" / "tickets_oct_title.xlsx"), "-o", str(out),
                                    "--on-bad-rows", "skip"])
    assert res.exit_code == 0, res.output
    assert "row 7: has a value in column G" in res.output and "tagged 4 rows" in res.output
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert df["工单编号"].tolist() == ["GD2026100001", "GD2026100002", "GD2026100003", "GD2026100004"]
    assert df.loc[df["工单编号"] == "GD2026100001", "issue"].item() == "broadband"
    assert "2026年10月全省投诉工单明细" not in df.columns

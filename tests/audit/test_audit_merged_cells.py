"""Visit sheets with cells merged down, as teams keep them in Excel (auditor QA, 7 Dec 2026).

The workbooks are written by the tests (invented stores) with the checklist ``blank_weights_checklist.csv``: a sheet
of one row per item whose 门店, 门店类型 and 暗访日期 are merged over each visit's rows, and a sheet of one row per
visit whose 暗访日期 and 暗访员 are merged over the visits of one day."""

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit
from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
BOOK = DATA / "blank_weights_checklist.csv"


def _long(path: Path, merged: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["门店", "门店类型", "暗访日期", "编号", "得分", "备注"])
    visits = [("河西营业厅", "旗舰店", "2026-11-05", [("A1", "4分", ""), ("A2", "否", "未道别"), ("B1", "否", ""),
                                                     ("C1", "是", "")]),
              ("湖滨营业厅", "社区店", "2026-11-06", [("A1", "５", ""), ("B1", "是", "工牌未戴"), ("C2", "9", "")])]
    row = 2
    for store, tier, date, items in visits:
        first = row
        for item, score, note in items:
            ws.append([store, tier, date] if row == first else [None, None, None])
            ws.cell(row, 4, item), ws.cell(row, 5, score), ws.cell(row, 6, note or None)
            row += 1
        if merged:
            for col in "ABC":
                ws.merge_cells(f"{col}{first}:{col}{row - 1}")
    wb.save(path)
    return path


def _score(path):
    book = read_checklist(BOOK)
    return score_audit(book, read_visits(path, checklist=book))


# Before: "long.xlsx: row 3: date '' is not a date; use 2026-11-05 (or add a 'wave' column)" — a merged cell keeps
# its value in its first row only, and the visit's other rows were read as blanks.
def test_a_visits_cells_merged_over_its_item_rows_are_its_rows(tmp_path):
    r = _score(_long(tmp_path / "long.xlsx"))
    v = r.visits.set_index("store")
    # 河西: A1 4/5·10 + A2 0 + B1 10 + C1 20 = 38 of 50; 湖滨: A1 10 + B1 0 (工牌未戴: 是, a veto) + C2 9/10·15 of 35
    assert v[["raw_score", "n_items", "n_missing"]].to_dict("index") == {
        "河西营业厅": {"raw_score": 76.0, "n_items": 4, "n_missing": 0},
        "湖滨营业厅": {"raw_score": 67.14, "n_items": 3, "n_missing": 0}}
    assert v.loc["湖滨营业厅", "vetoed"] and r.problems.empty
    assert r.failed[["store", "item_id", "row"]].values.tolist() == [["河西营业厅", "A1", 2], ["河西营业厅", "A2", 3],
                                                                ["湖滨营业厅", "B1", 7], ["湖滨营业厅", "C2", 8]]
    res = CliRunner().invoke(main, ["audit", str(tmp_path / "long.xlsx"), "--checklist", str(BOOK),
                                    "-o", str(tmp_path / "out")])
    assert res.exit_code == 0 and "2 visits of 2 stores" in res.stderr, res.output


def test_blank_cells_that_are_not_merged_still_stop_with_their_row(tmp_path):
    with pytest.raises(InputError, match=r"blank.xlsx: row 3: empty store \(门店\); give every row its store$"):
        _score(_long(tmp_path / "blank.xlsx", merged=False))


def test_a_date_merged_over_the_visits_of_one_day_is_each_visits_date(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for values in (["门店", "门店类型", "暗访日期", "暗访员", "A1", "A2", "B1", "C1", "C2"],
                   ["河西营业厅", "旗舰店", "2026-11-05", "王敏", "5", "5", "否", "是", None],
                   ["城南营业厅", "旗舰店", None, None, "4", "否", "否", "是", None],
                   ["湖滨营业厅", "社区店", "2026-11-06", "李强", "5", None, "否", None, "10分"]):
        ws.append(values)
    ws.merge_cells("C2:C3"), ws.merge_cells("D2:D3")
    wb.save(tmp_path / "wide.xlsx")
    r = _score(tmp_path / "wide.xlsx")
    v = r.visits.set_index("store")
    assert v["date"].to_dict() == {"河西营业厅": "2026-11-05", "城南营业厅": "2026-11-05", "湖滨营业厅": "2026-11-06"}
    assert r.failed.set_index("item_id").loc["A2", ["store", "auditor"]].tolist() == ["城南营业厅", "王敏"]
    assert v["raw_score"].to_dict() == {"河西营业厅": 100.0, "城南营业厅": 76.0, "湖滨营业厅": 100.0}

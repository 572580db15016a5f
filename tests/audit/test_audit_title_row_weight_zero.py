"""voc audit on a store-check export whose first row is a title, and on a checklist with informational items
(weight 0): leads left from the survey / mystery-shopping user tests.

- A checklist or visit sheet with a title in A1 (``2026年11月门店暗访评分表``) and the header in row 2 stopped with
  'row 2 looks like the header …; delete the rows above it', where ``voc gap`` read such a sheet. Now the header is
  found under the title as ``voc gap`` finds it (``io.readers.title_above_header``), the run says which row it read
  as the header, and the visits score as without the title: 湖滨 75.00 (A1 10 + B1 20 of 40), 城东 50.00 (A1 + A2
  20 of 40), each result keeping its row in the sheet.
- A store that failed an item of weight 0 (宣传折页摆放（仅记录）) had it among its 失分项 though it cost nothing:
  湖滨营业厅 scored 100.00 with one 失分项. Now only items with a weight (or a veto) are 失分项.
"""

import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report
from voiceofcustomer.cli import main
from voiceofcustomer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"


def _as_workbook(csv_path: Path, path: Path) -> Path:
    """The CSV as a workbook whose title cell is merged across the header's width, as a team's export has it."""
    rows = pd.read_csv(csv_path, header=None, dtype=str, keep_default_na=False).values.tolist()
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append([c if c != "" else None for c in row])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[1]))
    wb.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_title_row_above_the_header_is_read_and_said(tmp_path, kind):
    checklist, visits = DATA / "title_checklist.csv", DATA / "title_visits.csv"
    if kind == "xlsx":
        checklist = _as_workbook(checklist, tmp_path / "检查表.xlsx")
        visits = _as_workbook(visits, tmp_path / "评分表.xlsx")
    book = read_checklist(checklist)
    rows = read_visits(visits, checklist=book)
    assert rows["row"].tolist() == [3, 4, 5, 6, 7, 8]  # the header is row 2, the title row 1
    result = score_audit(book, rows)
    assert result.visits.set_index("store")["score"].to_dict() == {"湖滨营业厅": 75.0, "城东营业厅": 50.0}
    assert result.problems.empty
    assert result.failed[["store", "item_id", "row", "note"]].values.tolist() == [
        ["城东营业厅", "B1", 8, "地上有纸屑"], ["湖滨营业厅", "A2", 4, "没有道别"]]
    assert result.settings["title_rows"] == [
        {"file": checklist.name, "title": "2026年11月门店暗访检查表", "header_row": 2, "title_row": 1},
        {"file": visits.name, "title": "2026年11月门店暗访评分表", "header_row": 2, "title_row": 1}]
    html = write_audit_report(result, tmp_path / "out").read_text(encoding="utf-8")
    assert f"{visits.name} 第 1 行是标题（“2026年11月门店暗访评分表”），不是表头：表头是第 2 行" in html


def test_the_cli_says_which_row_it_read_as_the_header(tmp_path):
    # blank lines above and under the title, as a CSV typed by hand: the header is line 4, its first record line 5
    visits = tmp_path / "visits.csv"
    lines = (DATA / "title_visits.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    visits.write_text("\n" + lines[0] + "\n" + "".join(lines[1:]), encoding="utf-8")
    res = CliRunner().invoke(main, ["audit", str(visits), "--checklist", str(DATA / "title_checklist.csv"),
                                    "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert ("title_checklist.csv: header in row 2, under the title '2026年11月门店暗访检查表' in row 1; "
            "visits.csv: header in row 4, under the title '2026年11月门店暗访评分表' in row 2") in res.output
    failed = pd.read_csv(tmp_path / "out" / "failed_items.csv", encoding="utf-8-sig")
    assert failed["row"].tolist() == [10, 6]  # lines of the file
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["title_rows"][1]["header_row"] == 4


def test_a_row_naming_one_column_under_a_title_is_no_header(tmp_path):
    # the rule gap reads by: the row under the title must name the columns (two of them here); else it still stops
    path = tmp_path / "c.csv"
    path.write_text("2026年11月门店暗访检查表,,,\n说明：请按门店类型填写,,,\n方面,编号,检查项目,权重_标准店\n"
                    "服务意识,A1,问候,10\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3 looks like the header \(方面, 编号, 检查项目, 权重_标准店\), under a title"):
        read_checklist(path)


def test_items_of_weight_zero_are_no_points_lost(tmp_path):
    book = read_checklist(DATA / "weight_zero_checklist.csv")
    result = score_audit(book, read_visits(DATA / "weight_zero_visits.csv"))
    assert result.visits.set_index("store")["score"].to_dict() == {"湖滨营业厅": 100.0, "城东营业厅": 75.0}
    # before: B2 (weight 0) was a 失分项 of both stores, 湖滨营业厅 at 100.00 with one lost point
    assert result.failed[["store", "item_id"]].values.tolist() == [["城东营业厅", "A2"]]
    assert result.settings["unweighted_results"] == [{"tier": "标准店", "item_id": "B2", "n": 2}]
    out = tmp_path / "out"
    html = write_audit_report(result, out).read_text(encoding="utf-8")
    assert "宣传折页摆放" not in pd.read_excel(out / "audit_report.xlsx", sheet_name="失分项").to_string()
    assert "折页放在柜台后面" not in html.split("失分项与评语")[1]


def test_a_veto_item_of_weight_zero_that_vetoes_stays_a_lost_point(tmp_path):
    checklist = tmp_path / "c.csv"
    shutil.copy(DATA / "weight_zero_checklist.csv", checklist)
    checklist.write_text(checklist.read_text(encoding="utf-8").replace("（仅记录）,0,否", ",0,是"), encoding="utf-8")
    result = score_audit(read_checklist(checklist), read_visits(DATA / "weight_zero_visits.csv"))
    assert result.visits["vetoed"].tolist() == [True, True]
    assert sorted(result.failed["item_id"].tolist()) == ["A2", "B2", "B2"]

"""An .xlsx text cell holding a formula with no saved value (a workbook written by a script and
never opened in Excel) says so in the row's note, instead of a bare "empty text"."""

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.io.readers import ROW_NOTE, open_table


def _workbook(path, formulas=True):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工单"
    ws.append(["编号", "内容", "备注"])
    ws.append(["GD1", None, "a"])
    ws.append(["GD2", "宽带晚上老掉线", "b"])
    ws.append(["GD3", None, "c"])  # really empty
    ws.append([None, None, None])  # an empty row between rows
    ws.append([None, None, None])  # row 6: nothing but the formula below
    if formulas:
        ws["B2"] = "=A2"
        ws["B6"] = '=CONCAT("营业厅", "排队")'
    ws.append(["GD7", "信号差", "d"])
    wb.save(path)
    return path


def _rows(path):
    src = open_table(path)
    return src, pd.concat(list(src.chunks()), ignore_index=True)


def test_formula_without_value_is_named_in_the_rows_note(tmp_path):
    src, df = _rows(_workbook(tmp_path / "t.xlsx"))
    assert df["_row"].tolist() == [1, 2, 3, 4, 5, 6]  # the formula-only row 6 is a row, not formatting
    notes = dict(zip(df["_row"], df[ROW_NOTE]))
    for row, cell in ((1, "B2"), (5, "B6")):
        assert f"text cell {cell} holds a formula with no saved value" in notes[row]
        assert "open and save it in Excel or LibreOffice" in notes[row]
    assert all(notes[r] is None for r in (2, 3, 4, 6))
    assert src.counts["rows"] == 6


def test_workbook_without_formulas_is_read_once(tmp_path, monkeypatch):
    """Empty text cells in a workbook without formulas: no second read of the workbook."""
    opened = []
    real = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **kw: opened.append(kw) or real(*a, **kw))
    src, df = _rows(_workbook(tmp_path / "t.xlsx", formulas=False))
    assert ROW_NOTE not in df.columns
    assert [kw.get("data_only") for kw in opened] == [True, True]  # open_table's header, then the rows


def test_only_formulas_without_values_is_one_line_naming_them(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "内容"])
    ws.append([None, "=A1"])
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(InputError, match=r"f.xlsx: the text cells \(e.g. B2\) hold.* formula with no saved value"):
        _rows(tmp_path / "f.xlsx")


@pytest.mark.parametrize("command", [["split"], ["tag"], ["tag", "--jobs", "1"], ["split+tag"]])
def test_split_and_tag_outputs_carry_the_formula_note(tmp_path, command):
    path = _workbook(tmp_path / "t.xlsx")
    out = tmp_path / "out.csv"
    if command == ["split+tag"]:
        assert CliRunner().invoke(main, ["split", str(path), "-o", str(tmp_path / "s.csv"), "-q"]).exit_code == 0
        path, command = tmp_path / "s.csv", ["tag"]
    res = CliRunner().invoke(main, [*command, str(path), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    notes = df["note"].tolist()
    assert len(df) == 6 and ROW_NOTE not in df.columns
    assert "B2 holds a formula with no saved value" in notes[0] and "B6 holds a formula" in notes[4]
    assert notes[2] == notes[3] == "empty text" and notes[1] == notes[5] == ""

"""voc survey finds the review sheet of a workbook saved under other sheet names.

A reviewer who pastes the items into a new WPS or Excel workbook saves them as Sheet1 beside the empty Sheet2 and
Sheet3, or renames the sheet (题目评审) and keeps voc items' readme: until 8 Dec 2026 each stopped with "no sheet named
'items' … rename the review sheet to 'items'" though one sheet alone held the review columns. Now the one sheet whose
header holds item_id, servqual, e_text, p_text and decision is read; when several do, the command names them."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.items.survey import load_reviewed

from test_survey import COLUMNS, FINAL, ROWS


def _book(path, sheets):
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name, index=False)
    return path


def _items():
    return pd.DataFrame(ROWS, columns=COLUMNS)


def test_a_wps_workbook_with_empty_sheets_beside_the_items(tmp_path):
    book = _book(tmp_path / "评审.xlsx", {"Sheet1": _items(), "Sheet2": pd.DataFrame(), "Sheet3": pd.DataFrame()})
    items = load_reviewed(book)
    assert dict(zip(items.item_id, items.p_text)) == {k: v[2] for k, v in FINAL.items()}
    res = CliRunner().invoke(main, ["survey", str(book), "-o", str(tmp_path / "survey"), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("5 items (3 with edited wording")


def test_a_renamed_review_sheet_beside_the_readme(tmp_path):
    readme = pd.DataFrame({"说明": ["decision: accept / edit / reject"]})
    book = _book(tmp_path / "items.xlsx", {"题目评审": _items(), "coverage": pd.DataFrame({"theme": ["排队"]}),
                                           "readme": readme})
    assert list(load_reviewed(book).item_id) == ["T01", "T02", "R01", "R02", "A01"]


def test_two_sheets_with_the_review_columns_are_named(tmp_path):
    book = _book(tmp_path / "items.xlsx", {"第一轮": _items(), "第二轮": _items()})
    with pytest.raises(InputError) as err:
        load_reviewed(book)
    assert str(err.value) == (f"{book}: no sheet named 'items', and 2 sheets hold the review columns (第一轮, 第二轮); "
                              "rename the one to field to 'items'")


def test_no_sheet_with_the_review_columns_still_says_what_to_do(tmp_path):
    book = _book(tmp_path / "items.xlsx", {"Sheet1": pd.DataFrame({"a": [1]}), "Sheet2": pd.DataFrame({"b": [2]})})
    with pytest.raises(InputError) as err:
        load_reviewed(book)
    assert str(err.value) == (f"{book}: no sheet named 'items' and none holds the review columns (item_id, servqual, "
                              "e_text, p_text, decision) in its first row (sheets: Sheet1, Sheet2); rename the review "
                              "sheet to 'items'")

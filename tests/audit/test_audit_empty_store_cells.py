"""A visit row without its store or its store type (auditor QA, 7 Dec 2026): stopped with the row, never scored."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits
from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError

BOOK = Path(__file__).resolve().parents[1] / "data" / "audit" / "blank_weights_checklist.csv"


# Before: a row of one visit with an empty 门店 cell was scored and ranked as a store named '' (visit '@2026-11-06,
# 100.00); an empty 门店类型 stopped with 'store tier(s)  have no weight column in the checklist (it has weights for:
# 旗舰店, 社区店); add weight_<tier> columns', naming no row, or with "store '河西营业厅' is 旗舰店 in row 2 but  in row 3".
@pytest.mark.parametrize("text, said", [
    ("门店,门店类型,暗访日期,A1,A2,B1,C1,C2\n河西营业厅,旗舰店,2026-11-05,4,5,否,是,\n,社区店,2026-11-06,5,,否,,10\n",
     "row 3: empty store (门店); give every row its store"),
    ("门店,门店类型,暗访日期,A1,A2,B1,C1,C2\n河西营业厅,旗舰店,2026-11-05,4,5,否,是,\n湖滨营业厅,,2026-11-06,5,,否,,10\n",
     "row 3: empty store type (门店类型) of store '湖滨营业厅'; give every row its store type"),
    ("门店,门店类型,暗访日期,编号,得分\n河西营业厅,旗舰店,2026-11-05,A1,4\n河西营业厅,,2026-11-05,A2,5\n",
     "row 3: empty store type (门店类型) of store '河西营业厅'; give every row its store type (a cell merged over a "
     "visit's rows and saved as CSV keeps its value in its first row only: fill the cells, or read the .xlsx)"),
])
def test_an_empty_store_or_store_type_stops_naming_its_row(tmp_path, text, said):
    path = tmp_path / "visits.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_visits(path, checklist=read_checklist(BOOK))
    assert str(e.value) == f"{path}: {said}"
    res = CliRunner().invoke(main, ["audit", str(path), "--checklist", str(BOOK), "-o", str(tmp_path / "out")])
    assert res.exit_code == 2 and res.stderr.strip() == f"Error: {path}: {said}" and not (tmp_path / "out").exists()

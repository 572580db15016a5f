"""What a visit or a wave leaves out is counted where the manager reads it (mystery-shopping manager QA).

Before: in a firm's sheet (one column per item) a skipped item is an empty cell: problems.csv listed it, but
visits.csv said 未记录项数 (n_missing) 0 for the visit, as it counted only items with no row at all.
"""

from pathlib import Path

import pytest

from voiceofcustomer.audit import read_checklist, read_visits, score_audit

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"


def _wide(tmp_path, text):
    path = tmp_path / "visits.csv"
    path.write_text("门店,门店类型,暗访日期,批次,A1,A2,B1,C1,C2,C3,D1\n" + text, encoding="utf-8")
    return path


def test_an_empty_cell_in_a_wide_sheet_counts_as_a_missing_item(tmp_path):
    book = read_checklist(DATA / "reverse_checklist.csv")
    path = _wide(tmp_path, "湖滨营业厅,旗舰店,2026-02-03,2026Q1,是,,否,不适用,4,否,\n"
                           "瓜沥营业厅,社区店,2026-02-05,2026Q1,是,是,否,,5,否,是\n")
    r = score_audit(book, read_visits(path, checklist=book))
    v = r.visits.set_index("store")
    # 湖滨: A2 and D1 left empty; 瓜沥: C1 empty but it weighs 0 for a 社区店 (not applicable, not missing)
    assert v.loc["湖滨营业厅", "n_missing"] == 2 and v.loc["瓜沥营业厅", "n_missing"] == 0
    assert r.problems["item_id"].tolist() == ["A2", "D1"] and r.problems["row"].tolist() == [2, 2]
    assert v.loc["湖滨营业厅", "score"] == pytest.approx(92.0)  # A1 10 + B1 10 + C2 16 + C3 10 = 46 of 50

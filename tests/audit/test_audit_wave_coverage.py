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


# Before: a store renamed between quarters (江南营业厅 → 江南旗舰营业厅) came out as two stores — the old name
# dropped out of 2026Q2's ranking and the new one stood there without a change — and a store a firm did not visit
# in a quarter dropped out of its ranking, all without a word: the summary, summary.json and the page were silent.

def test_stores_a_wave_leaves_out_or_adds_are_named(tmp_path):
    from click.testing import CliRunner

    from voiceofcustomer.audit import write_audit_report
    from voiceofcustomer.cli.main import main

    book = DATA / "reverse_checklist.csv"
    path = _wide(tmp_path, "江南营业厅,旗舰店,2026-02-03,2026Q1,是,是,否,是,5,否,是\n"
                           "湖滨营业厅,旗舰店,2026-02-04,2026Q1,是,否,否,是,5,否,是\n"
                           "瓜沥营业厅,社区店,2026-02-05,2026Q1,是,是,否,,5,否,是\n"
                           "江南旗舰营业厅,旗舰店,2026-05-03,2026Q2,是,是,否,是,4,否,是\n"
                           "湖滨营业厅,旗舰店,2026-05-04,2026Q2,是,是,否,是,5,否,是\n"
                           "瓜沥营业厅,社区店,2026-08-05,2026Q3,是,是,否,,5,否,否\n")
    r = score_audit(read_checklist(book), read_visits(path, checklist=read_checklist(book)))
    assert r.settings["stores_not_visited"] == {"2026Q2": ["江南营业厅", "瓜沥营业厅"],
                                                "2026Q3": ["江南旗舰营业厅", "湖滨营业厅"]}
    assert r.settings["stores_new"] == {"2026Q2": ["江南旗舰营业厅"]}  # 瓜沥 is back in Q3: its change is from Q1
    st = r.stores.set_index(["store", "wave"])
    assert st.loc[("瓜沥营业厅", "2026Q3"), "change"] == -25.0  # D1 否: 60 of 80 against 100 in Q1

    page = write_audit_report(r, tmp_path / "audit").read_text(encoding="utf-8")
    assert ("上一批次（2026Q1）暗访过、本批次没有暗访记录的门店（不在本批次排名中）：江南营业厅、瓜沥营业厅。"
            "本批次首次出现的门店（此前批次没有得分，不计较上批次变化）：江南旗舰营业厅。"
            "如其中有门店更名，请在各批次的表中使用同一门店名称（或加“门店编码”列），才能计算其变化。") in page.replace("\n", "")

    res = CliRunner().invoke(main, ["audit", str(path), "--checklist", str(book), "-o", str(tmp_path / "cli")])
    assert res.exit_code == 0, res.output
    assert ("; 2 stores of the previous wave not visited in 2026Q2 (江南营业厅, 瓜沥营业厅); 1 store new in 2026Q2, "
            "without a change (江南旗舰营业厅); 2 stores of the previous wave not visited in 2026Q3 (江南旗舰营业厅, "
            "湖滨营业厅); a renamed store needs one name in every wave, or a store code column (门店编码), for its "
            "change; report:") in res.output

"""A sheet of one row per visit whose item columns are headed as firms head them (auditor QA, 7 Dec 2026).

Fixture (written for these tests, invented stores): ``wide_item_headers.csv`` with the checklist
``blank_weights_checklist.csv``; its columns are 'A1 进门主动问候', 'A2.离店道别' (and its comment 'A2（说明）'),
'未佩戴工牌(一票否决)', '排队等候不超过15分钟（20分）', 'C2、主动推荐适合的套餐' and the sheet's own 总分."""

from pathlib import Path

from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit
from voiceofcustomer.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
BOOK = DATA / "blank_weights_checklist.csv"
VISITS = DATA / "wide_item_headers.csv"


# Before: "wide_item_headers.csv: visit results lack column(s) item_id, score; columns are: store, tier, date, A1 进门
# 主动问候, A2.离店道别 … (or give one column per checklist item, headed by its id or its 检查项目)" — no column was
# read as an item, though each names one by its id and text, or its text with a note in brackets.
def test_item_columns_headed_by_id_and_text_or_with_a_note_are_the_items():
    book = read_checklist(BOOK)
    rows = read_visits(VISITS, checklist=book)
    assert rows[rows["row"] == 2][["item_id", "score"]].values.tolist() == [
        ["A1", "4分"], ["A2", "否"], ["B1", "否"], ["C1", "是"], ["C2", "８"]]
    r = score_audit(book, rows)
    v = r.visits.set_index("store")
    # 河西 (旗舰店): A1 4/5·10 + A2 0 + B1 10 + C1 20 = 38 of 50; 湖滨 (社区店): A1 10 + B1 0 (未佩戴工牌: 是) + C2 15
    assert v["raw_score"].to_dict() == {"河西营业厅": 76.0, "湖滨营业厅": 71.43}
    assert v.loc["湖滨营业厅", "vetoed"] and not v.loc["河西营业厅", "vetoed"]
    assert v.loc["河西营业厅", "note"] == "A2：店员未道别"  # A2（说明） is A2's comment, not a second A2
    assert r.problems.empty


def test_the_cli_scores_such_a_sheet(tmp_path):
    res = CliRunner().invoke(main, ["audit", str(VISITS), "--checklist", str(BOOK), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith("2 visits of 2 stores in 1 wave; 1 vetoed")

"""A header of two rows under merged cells is read as one (mystery-shopping manager QA).

Before: a visiting firm's sheet headed 门店信息 (merged over 门店, 门店类型, 暗访日期) and 服务意识 (merged over
A1, A2) above the row of column names stopped with "row 2 looks like the header …, under a title ('门店信息');
delete the rows above it" — every firm's file edited by hand each quarter; a sheet whose 门店 cell is merged
down over both rows, its item ids under merged aspect cells, stopped with 'lack column(s) item_id, score'; a
checklist with 权重 merged over 旗舰店 / 社区店 stopped on its sub-header as a weight ('权重' = '旗舰店').
"""

import pytest

from voiceofcustomer.audit import read_checklist, read_visits, score_audit


@pytest.fixture
def checklist(tmp_path, merged_book):
    # 方面 / 编号 / 检查项目 / 一票否决 merged down over both rows, 权重 merged across its tiers
    return read_checklist(merged_book(tmp_path / "检查表.xlsx", [
        ["方面", "编号", "检查项目", "权重", None, "一票否决"],
        [None, None, None, "旗舰店", "社区店", None],
        ["服务意识", "A1", "进门主动问候", 10, 10, "否"],
        [None, "A2", "主动询问需求", 30, 10, "否"],
        ["环境设施", "D1", "厅内整洁", 20, 20, "是"]], ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2", "A3:A4"]))


def test_a_checklist_with_weight_merged_over_its_tiers(checklist):
    assert list(checklist["item_id"]) == ["A1", "A2", "D1"]
    assert list(checklist["weight:旗舰店"]) == [10, 30, 20] and list(checklist["weight:社区店"]) == [10, 10, 20]
    assert list(checklist["aspect"]) == ["服务意识", "服务意识", "环境设施"] and list(checklist["veto"]) == [False, False, True]


def test_a_visit_sheet_with_a_merged_group_row_above_its_header(tmp_path, checklist, merged_book):
    path = merged_book(tmp_path / "华信调研.xlsx", [
        ["门店信息", None, None, "服务意识", None, "环境设施", "评语"],
        ["门店", "门店类型", "暗访日期", "A1", "A2", "D1", None],
        ["湖滨营业厅", "旗舰店", "2026-02-03", "是", "否", "是", "营业员热情"],
        ["瓜沥营业厅", "社区店", "2026-02-05", "是", None, "是", "未见引导"]], ["A1:C1", "D1:E1", "G1:G2"])
    visits = read_visits(path, checklist=checklist)
    assert sorted(set(visits["row"])) == [3, 4]  # each visit's row in the sheet, the two header rows above
    r = score_audit(checklist, visits)
    v = r.visits.set_index("store")
    assert v.loc["湖滨营业厅", "score"] == pytest.approx(100 * 30 / 60)  # A1 10 + D1 20 of 10 + 30 + 20
    assert v.loc["瓜沥营业厅", "score"] == 100.0  # A2 left empty: left out, and said
    assert list(r.problems["row"]) == [4] and list(r.problems["item_id"]) == ["A2"]


def test_a_visit_sheet_whose_item_ids_sit_under_merged_aspect_cells(tmp_path, checklist, merged_book):
    path = merged_book(tmp_path / "明镜咨询.xlsx", [
        ["门店", "门店类型", "暗访日期", "服务意识", None, "环境设施"],
        [None, None, None, "A1", "A2", "D1"],
        ["湖滨营业厅", "旗舰店", "2026-02-03", "1", "1", "0"]], ["A1:A2", "B1:B2", "C1:C2", "D1:E1"])
    r = score_audit(checklist, read_visits(path, checklist=checklist))
    assert r.visits["score"].tolist() == [0.0] and r.visits["veto_items"].tolist() == ["D1"]
    assert r.visits["raw_score"].tolist() == [66.67]  # A1 10 + A2 30 of 60
    assert r.problems.empty


def test_a_title_row_is_no_header_of_two_rows(tmp_path, checklist, merged_book):
    # a title merged over the header is a title (read under it since 7 Dec 2026, survey29), not a group of columns
    path = merged_book(tmp_path / "v.xlsx", [["2026年第一季度暗访明细"], ["门店", "门店类型", "暗访日期", "A1"],
                                      ["湖滨营业厅", "旗舰店", "2026-02-03", "是"]], ["A1:D1"])
    rows = read_visits(path, checklist=checklist)
    assert rows[["store", "item_id", "row"]].values.tolist() == [["湖滨营业厅", "A1", 3]]
    assert rows.attrs["title_rows"][0]["title"] == "2026年第一季度暗访明细"

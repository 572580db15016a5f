"""A title row above a header of two rows under merged cells (as WPS / 问卷星 export a checklist or a visit sheet).

Before: each was read alone — a title over the header, or a header of two rows — but not both: a checklist
titled 2025年门店暗访检查表 over 方面 / 编号 / 权重 (merged over 旗舰店, 标准店, 社区店) / 满分 merged down stopped
with "row 3: max_score '满分' is not a positive number" (the merged 满分 cell read as a data row), and a visit
sheet titled over 门店信息 / 环境 (group cells) above 门店, 门店类型, 暗访日期, E1 … stopped with "row 3 looks like
the header …; delete the rows above it".
"""

import pytest

from voiceofcustomer.audit import read_checklist, read_visits, score_audit


@pytest.fixture
def checklist(tmp_path, merged_book):
    return read_checklist(merged_book(tmp_path / "检查表.xlsx", [
        ["2025年门店暗访检查表", None, None, None, None, None, None],
        ["方面", "编号", "检查项目", "权重", None, "满分", "一票否决"],
        [None, None, None, "旗舰店", "社区店", None, None],
        ["环境", "E1", "厅内整洁", 10, 10, None, "否"],
        [None, "E2", "自助终端可用", 10, None, None, "否"],
        ["服务态度", "S1", "主动问候", 20, 20, 5, "否"]],
        ["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "G2:G3", "A4:A5"]))


def test_a_titled_checklist_with_weight_merged_over_its_tiers(checklist):
    assert list(checklist["item_id"]) == ["E1", "E2", "S1"]
    assert list(checklist["weight:旗舰店"]) == [10, 10, 20] and list(checklist["weight:社区店"]) == [10, 0, 20]
    assert list(checklist["aspect"]) == ["环境", "环境", "服务态度"]
    assert list(checklist["max_score"].fillna(1)) == [1, 1, 5]


def test_a_titled_visit_sheet_with_a_merged_group_row_above_its_header(tmp_path, checklist, merged_book):
    path = merged_book(tmp_path / "暗访记录.xlsx", [
        ["2026年10-11月门店暗访记录", None, None, None, None, None, None, None],
        ["门店信息", None, None, "环境", None, "服务态度", "备注", None],
        ["门店", "门店类型", "暗访日期", "E1", "E2", "S1", None, "暗访员"],
        ["朝阳旗舰店", "旗舰店", "2026-10-03", "否", "是", 4, "地面有水", "王五"],
        ["东城社区店", "社区店", "2026.11.3", "是", "不适用", 3, None, "张三"]],
        ["A1:H1", "A2:C2", "D2:E2", "G2:G3"])
    visits = read_visits(path, checklist=checklist)
    assert sorted(set(visits["row"])) == [4, 5]  # each visit's own row, under the title and two header rows
    r = score_audit(checklist, visits)
    v = r.visits.set_index("store")
    assert v.loc["朝阳旗舰店", "score"] == pytest.approx(100 * (0 + 10 + 20 * 4 / 5) / 40)  # 65.0
    assert v.loc["东城社区店", "score"] == 73.33  # 100 × (10 + 20 × 3/5) / 30, E2 不适用
    assert v.loc["朝阳旗舰店", "note"] == "地面有水"
    assert r.problems.empty
    assert r.settings["title_rows"][0]["title"] == "2025年门店暗访检查表"


# Before: the summary said "暗访记录.xlsx: header in row 3, under the title … in row 1" of a header spanning rows 2–3
# (门店信息 / 环境 over 门店, 暗访日期, E1 …), and the page "表头是第 2 行，记录从第 3 行起" of the checklist whose
# records start in row 4.
def test_the_run_says_a_header_of_two_rows_spans_both(tmp_path, merged_book):
    from click.testing import CliRunner

    from voiceofcustomer.cli import main

    merged_book(tmp_path / "检查表.xlsx", [
        ["2025年门店暗访检查表", None, None, None, None, None, None],
        ["方面", "编号", "检查项目", "权重", None, "满分", "一票否决"],
        [None, None, None, "旗舰店", "社区店", None, None],
        ["环境", "E1", "厅内整洁", 10, 10, None, "否"],
        ["服务态度", "S1", "主动问候", 20, 20, 5, "否"]],
        ["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "G2:G3"])
    merged_book(tmp_path / "暗访记录.xlsx", [
        ["2026年11月门店暗访记录", None, None, None, None],
        ["门店信息", None, None, "环境", "服务态度"],
        ["门店", "门店类型", "暗访日期", "E1", "S1"],
        ["朝阳旗舰店", "旗舰店", "2026-11-03", "否", 4]],
        ["A1:E1", "A2:C2"])
    out = tmp_path / "audit"
    run = CliRunner().invoke(main, ["audit", str(tmp_path / "暗访记录.xlsx"), "--checklist",
                                    str(tmp_path / "检查表.xlsx"), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "检查表.xlsx: header in rows 2–3, under the title '2025年门店暗访检查表' in row 1" in run.output
    assert "暗访记录.xlsx: header in rows 2–3, under the title '2026年11月门店暗访记录' in row 1" in run.output
    page = (out / "audit_report.html").read_text(encoding="utf-8")
    assert "表头是第 2–3 行，记录从第 4 行起" in page and "表头是第 2 行" not in page

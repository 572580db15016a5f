"""The 检查清单 sheet of audit_report.xlsx heads its columns in Chinese, as the checklist was written.

Before: beside 编号, 方面, 检查项目 and 一票否决项 the sheet read description, dimension, max_score, weight:旗舰店,
weight:社区店 — the tool's own names, in the workbook a coordinator reads.
"""

import pandas as pd

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report

DATA = "tests/data/audit/"


def test_the_checklist_sheet_has_chinese_headings(tmp_path):
    book = read_checklist(DATA + "weight_not_applicable_checklist.csv")
    write_audit_report(score_audit(book, read_visits(DATA + "weight_not_applicable_visits.csv", checklist=book)),
                       tmp_path / "audit")
    sheet = pd.read_excel(tmp_path / "audit" / "audit_report.xlsx", sheet_name="检查清单", engine="openpyxl")
    assert list(sheet.columns) == ["编号", "方面", "检查项目", "说明", "一票否决项", "反向（是=出现问题）", "维度", "满分",
                                   "权重_旗舰店", "权重_社区店"]
    assert list(sheet["权重_社区店"]) == [10, 0, 0, 20] and list(sheet["满分"]) == [1, 1, 1, 5]

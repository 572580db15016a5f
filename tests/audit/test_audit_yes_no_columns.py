"""The yes/no columns an auditor reads: 是 / 否 in the workbook, True / False kept in the CSV tables.

Fixture: ``two_visits_one_day_wide.csv`` (written for these tests, invented stores) — the second visit of 河西营业厅
sees the reverse veto item B1 未佩戴工牌."""

from pathlib import Path

import openpyxl
import pandas as pd

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
BOOK = DATA / "two_visits_one_day_checklist.csv"
WIDE = DATA / "two_visits_one_day_wide.csv"


def _score(path):
    book = read_checklist(BOOK)
    return score_audit(book, read_visits(path, checklist=book))


def test_the_workbook_reads_yes_and_no_where_the_csv_keeps_true_and_false(tmp_path):
    # before: 一票否决项 of 失分项 and 检查清单, 一票否决 of 暗访明细 and 反向 read TRUE / FALSE in the workbook
    write_audit_report(_score(WIDE), tmp_path / "out")
    book = openpyxl.load_workbook(tmp_path / "out" / "audit_report.xlsx")

    def column(sheet, name):
        rows = list(book[sheet].iter_rows(values_only=True))
        k = rows[0].index(name)
        return [r[k] for r in rows[1:]]

    assert column("失分项", "一票否决项") == ["否", "否", "是", "否"]
    assert column("暗访明细", "一票否决") == ["否", "是", "否"]
    assert column("检查清单", "一票否决项") == ["否", "否", "是", "否"]
    assert column("检查清单", "反向（是=出现问题）") == ["否", "否", "是", "否"]
    failed = pd.read_csv(tmp_path / "out" / "failed_items.csv", dtype=str, keep_default_na=False)
    visits = pd.read_csv(tmp_path / "out" / "visits.csv", dtype=str, keep_default_na=False)
    assert failed["veto"].tolist() == ["False", "False", "True", "False"]  # the machine's columns are stable
    assert visits["vetoed"].tolist() == ["False", "True", "False"]

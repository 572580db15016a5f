"""Two visits of one store on one day in a sheet without a 暗访员 or 暗访编号 column.

Fixtures (written for these tests, invented stores): ``two_visits_one_day_long.csv`` (one row per item) and
``two_visits_one_day_wide.csv`` (one row per visit) each hold two visits of 河西营业厅 on 2026-11-05 — the first
passes A1 and C1 and fails A2 (score 80), the second sees the reverse item B1 未佩戴工牌 (a veto: 0, 20 before the
veto) — and one of 湖滨营业厅 (100)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit
from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
BOOK = DATA / "two_visits_one_day_checklist.csv"
LONG = DATA / "two_visits_one_day_long.csv"
WIDE = DATA / "two_visits_one_day_wide.csv"


def _score(path):
    book = read_checklist(BOOK)
    return score_audit(book, read_visits(path, checklist=book))


def test_two_visits_in_a_sheet_of_one_row_per_visit_are_two_visits():
    # before: one visit 河西营业厅@2026-11-05 scored 80 (the first row's results), with 3 'item scored twice in one
    # visit; the first result is used' problems; the second visit, vetoed, was dropped
    r = _score(WIDE)
    v = r.visits.set_index("visit_id")
    assert list(v.index) == ["河西营业厅@2026-11-05#1", "河西营业厅@2026-11-05#2", "湖滨营业厅@2026-11-05"]
    assert (v.loc["河西营业厅@2026-11-05#1", "score"], v.loc["河西营业厅@2026-11-05#2", "score"]) == (80.0, 0.0)
    assert v.loc["河西营业厅@2026-11-05#2", "raw_score"] == 20.0 and v.loc["河西营业厅@2026-11-05#2", "vetoed"]
    assert not r.problems["problem"].str.contains("scored twice").any()
    store = r.stores.set_index("store").loc["河西营业厅"]
    assert (store["n_visits"], store["score"], store["vetoed_visits"]) == (2, 40.0, 1)


def test_a_wide_visit_sent_twice_is_still_scored_once(tmp_path):
    sent_twice = tmp_path / "v.csv"
    sent_twice.write_text("门店,门店类型,暗访日期,A1,A2,B1,C1\n河西营业厅,旗舰店,2026-11-05,是,否,否,是\n"
                          "河西营业厅,旗舰店,2026-11-05,是,否,否,是\n", encoding="utf-8")
    r = _score(sent_twice)
    assert r.visits["visit_id"].tolist() == ["河西营业厅@2026-11-05#2"]
    assert r.problems["problem"].str.startswith("duplicate visit: row 2 repeats").sum() == 1


def test_two_visits_in_a_sheet_of_one_row_per_item_stop_naming_store_date_and_column():
    # before: scored as one visit, rows 6–9 each 'item scored twice in one visit; the first result is used'
    with pytest.raises(InputError) as e:
        _score(LONG)
    assert str(e.value) == (
        f"{LONG}: rows 2 and 6: item 'A1' answered twice for 河西营业厅 on 2026-11-05 — two visits that the sheet "
        "does not tell apart; add a 暗访员 (checker) or 暗访编号 (visit id) column giving each visit's rows their "
        "own value (or delete the row entered twice)")
    res = CliRunner().invoke(main, ["audit", str(LONG), "--checklist", str(BOOK), "-o", "unused"])
    assert res.exit_code != 0 and len(res.stderr.strip().splitlines()) == 1, res.output
    assert "answered twice for 河西营业厅 on 2026-11-05" in res.stderr and "Traceback" not in res.output


def test_a_checker_column_names_only_the_visit_id_to_add(tmp_path):
    text = LONG.read_text(encoding="utf-8").splitlines()
    one_checker = tmp_path / "v.csv"
    one_checker.write_text("\n".join([text[0] + ",暗访员"] + [ln + ",王敏" for ln in text[1:]]) + "\n",
                           encoding="utf-8")
    with pytest.raises(InputError, match=r"河西营业厅 on 2026-11-05 by 王敏 — two visits that the sheet does not "
                                         r"tell apart; add a 暗访编号 \(visit id\) column giving"):
        _score(one_checker)
    two_checkers = tmp_path / "w.csv"  # the checker column tells them apart: two visits, as before
    two_checkers.write_text("\n".join([text[0] + ",暗访员"] + [ln + (",王敏" if k < 4 or k >= 8 else ",赵雪")
                                                               for k, ln in enumerate(text[1:])]) + "\n",
                            encoding="utf-8")
    r = _score(two_checkers)
    assert r.stores.set_index("store").loc["河西营业厅", "n_visits"] == 2
    with_ids = tmp_path / "x.csv"  # an 暗访编号 column: its visits are as it says, an item twice a problem line
    with_ids.write_text("\n".join([text[0] + ",暗访编号"] + [ln + ",V1" if k < 8 else ln + ",V2"
                                                             for k, ln in enumerate(text[1:])]) + "\n",
                        encoding="utf-8")
    assert _score(with_ids).problems["problem"].str.contains("scored twice").sum() == 4


# Before: with a 暗访编号 column, 王敏's two visits of 河西营业厅 on 2026-11-05 (MS-0105, MS-0106;
# two_visits_one_day_wide_ids.csv) were told apart on the page's 失分项与评语 by 行 2 and 行 3 of the sheet, where the
# checker and the team look a visit up by its MS-0106; now by the visit's 暗访编号 (a sheet without one: its rows, as
# before).
def test_two_visits_of_one_checker_on_one_day_are_named_by_their_visit_ids(tmp_path):
    import re

    from voiceofcustomer.audit import write_audit_report

    r = _score(DATA / "two_visits_one_day_wide_ids.csv")
    page = write_audit_report(r, tmp_path / "out").read_text(encoding="utf-8")
    table = page[page.index("<h3>失分项与评语"):]
    rows = [re.findall(r"<t[dh]>(.*?)</t[dh]>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", table[:table.index("</table>")], re.S)]
    assert rows[0] == ["门店", "日期", "暗访员", "暗访编号", "编号", "检查项目", "结果", "评语/备注"]
    assert [(row[3], row[4]) for row in rows[1:]] == [("MS-0105", "A2"), ("MS-0106", "A1"), ("MS-0106", "B1"),
                                                      ("MS-0106", "C1")]
    assert r.settings["visit_ids_given"] and not _score(WIDE).settings["visit_ids_given"]
    res = CliRunner().invoke(main, ["audit", str(DATA / "two_visits_one_day_wide_ids.csv"), "--checklist", str(BOOK),
                                    "-o", str(tmp_path / "cli")])
    assert res.exit_code == 0, res.output
    assert "<td>MS-0106</td>" in (tmp_path / "cli" / "audit_report.html").read_text(encoding="utf-8")

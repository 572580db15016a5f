"""An item phrased as the fault (未佩戴工牌, 泄露客户信息) is scored as the fault (mystery-shopping manager QA).

Before: a checklist's veto items 未佩戴工牌 and 泄露客户信息 were scored as if 是 were a pass — a store whose
checker saw no badge problem (否) was vetoed to 0, one that leaked a customer's data (是) kept its score; a
programme of 81 visits came out with 80 vetoed and no word of why. A 反向 column marks such items (是 = the
fault happened: 0 points; 否 = full points), and a checklist without one stops when an item reads as a fault.
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report
from voiceofcustomer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"


def test_reverse_items_score_the_fault_by_hand():
    r = score_audit(read_checklist(DATA / "reverse_checklist.csv"), read_visits(DATA / "reverse_visits.csv"))
    v = r.visits.set_index("store")
    # 湖滨 (旗舰店): A1 10 + A2 0 + B1 否 → 10 + C1 不适用 (left out) + C2 4/5 of 20 = 16 + C3 否 → 10 + D1 20
    # = 66 of 80 (C1's 20 left out of both sums)
    assert v.loc["湖滨营业厅", "score"] == pytest.approx(82.5) and not v.loc["湖滨营业厅", "vetoed"]
    # 瓜沥 (社区店, C1 weighs 0): 10 + 10 + B1 × → 10 + C2 20 + C3 √ (a leak) → 0 + D1 × → 0 = 50 of 80, vetoed by C3
    assert v.loc["瓜沥营业厅", "raw_score"] == pytest.approx(62.5)
    assert v.loc["瓜沥营业厅", "score"] == 0 and v.loc["瓜沥营业厅", "veto_items"] == "C3"
    # 城南 (旗舰店, 1/0): B1 1 (no badge) → 0 and vetoes; C3 0 (no leak) → 10; C1 0 → 0: 10+10+0+0+20+10+20 = 70 of 100
    assert v.loc["城南营业厅", "raw_score"] == pytest.approx(70.0)
    assert v.loc["城南营业厅", "score"] == 0 and v.loc["城南营业厅", "veto_items"] == "B1"
    assert list(r.vetoes["item"]) == ["泄露客户信息", "未佩戴工牌"]
    assert r.settings["reverse_items"] == ["B1 未佩戴工牌", "C3 泄露客户信息"]


def test_the_report_page_says_which_items_are_reverse(tmp_path):
    r = score_audit(read_checklist(DATA / "reverse_checklist.csv"), read_visits(DATA / "reverse_visits.csv"))
    page = write_audit_report(r, tmp_path / "audit").read_text(encoding="utf-8")
    assert "反向计分项（“是”表示出现该问题，记 0 分；“否”记满分）：B1 未佩戴工牌、C3 泄露客户信息。" in page
    sheet = pd.read_excel(tmp_path / "audit" / "audit_report.xlsx", sheet_name="检查清单", engine="openpyxl")
    assert "反向（是=出现问题）" in sheet.columns and "一票否决项" in sheet.columns


def test_a_checklist_without_reverse_column_stops_on_an_item_phrased_as_a_fault(tmp_path):
    lines = (DATA / "reverse_checklist.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "checklist.csv"
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_checklist(path)
    assert str(err.value) == (f"{path}: row 4: item 'B1' ('未佩戴工牌') is phrased as a fault, so its 是 would be "
                              "scored as a pass; add a 反向 column with 是 for the items whose 是 means the fault "
                              "happened (and 否 for this one if its 是 is a pass)")


def test_a_reverse_item_in_points_and_an_unknown_mark_stop_with_their_row(tmp_path):
    path = tmp_path / "checklist.csv"
    path.write_text("方面,编号,检查项目,权重,满分,反向\n服务意识,A1,主动问候,10,,\n,A2,讲解不清,10,5,是\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3: item 'A2' is 反向 \(reverse\) and has 满分 '5'"):
        read_checklist(path)
    path.write_text("方面,编号,检查项目,权重,反向\n服务意识,A1,主动问候,10,也许\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2: reverse \(反向\) '也许' is neither yes nor no; write 是 \(or √, ★\) "
                                         r"for an item phrased as the fault"):
        read_checklist(path)


def test_voc_audit_scores_a_reverse_veto_item(tmp_path):
    from voiceofcustomer.cli.main import main

    out = tmp_path / "audit"
    res = CliRunner().invoke(main, ["audit", str(DATA / "reverse_visits.csv"), "--checklist",
                                    str(DATA / "reverse_checklist.csv"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "3 visits of 3 stores in 1 wave; 2 vetoed" in res.output
    stores = pd.read_csv(out / "stores.csv").set_index("store")
    assert stores.loc["湖滨营业厅", "score"] == 82.5 and stores.loc["湖滨营业厅", "rank_in_tier"] == 1


def test_the_summary_counts_one_visit_in_the_singular(tmp_path):
    # was '1 visits of 1 stores in 1 wave(s)': the other parts of the line count with errors.plural
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    (tmp_path / "checklist.csv").write_text("aspect,item_id,item,weight_旗舰店,veto\n环境,A1,门店整洁,1,否\n",
                                            encoding="utf-8")
    (tmp_path / "visits.csv").write_text("store,tier,date,item_id,score\n一号店,旗舰店,2026-11-03,A1,1\n",
                                         encoding="utf-8")
    res = CliRunner().invoke(main, ["audit", str(tmp_path / "visits.csv"), "--checklist",
                                    str(tmp_path / "checklist.csv"), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "1 visit of 1 store in 1 wave; 0 vetoed" in res.output

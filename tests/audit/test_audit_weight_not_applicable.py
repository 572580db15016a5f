"""A checklist's 权重 cell written 不适用 (or N/A, —, /) for a tier that does not check the item.

Before: a coordinator's checklist whose 权重_社区店 cell read 不适用 for 叫号系统正常 (社区店 have no queue machine)
stopped with "row 5: weight '权重_社区店' = '不适用' is not a non-negative number", naming nothing to do, though a
blank cell there means exactly that (the item does not count in that tier) and the visit sheet's 不适用 is read.
"""

import pytest

from voiceofcustomer.audit import read_checklist, read_visits, score_audit
from voiceofcustomer.errors import InputError

DATA = "tests/data/audit/"


def test_a_weight_written_not_applicable_is_no_weight_in_that_tier():
    book = read_checklist(DATA + "weight_not_applicable_checklist.csv")
    assert list(book["weight:社区店"]) == [10, 0, 0, 20]  # E1, E3 不适用, W2 N/A, S1
    assert list(book["weight:旗舰店"]) == [10, 5, 10, 20]
    visits = read_visits(DATA + "weight_not_applicable_visits.csv", checklist=book)
    r = score_audit(book, visits)
    v = r.visits.set_index("store")
    assert v.loc["东城社区店", "score"] == 73.33  # (E1 10 + S1 20 × 3/5) / 30; E3, W2 not checked in 社区店
    assert v.loc["朝阳旗舰店", "score"] == 68.89  # (E1 0 + E3 5 + W2 10 + S1 20 × 4/5) / 45
    assert r.problems.empty


def test_a_weight_that_is_no_number_says_what_to_write(tmp_path):
    path = tmp_path / "检查表.csv"
    path.write_text("方面,编号,检查项目,权重_旗舰店,权重_社区店\n环境,E1,厅内整洁,10,十\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_checklist(path)
    msg = str(err.value)
    assert "row 2" in msg and "'十'" in msg and "权重_社区店" in msg
    assert "leave it blank (or 不适用)" in msg

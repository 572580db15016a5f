"""A composed wording that is no item as it stands is listed after every other candidate, not dropped.

Found by a questionnaire designer: voc items offered NEW-N001 该运营商合成一张 (three wishes to have the bills
combined; 合成 what? flagged 未写明评价对象) at the top of items.xlsx, above bank items usable as worded, by its
support of 3. Dropping it would lose a need the bank lacks, with the quotes to write its item from; so it stays,
flagged, below them all, and the summary line and the readme sheet count such items.
Fixture (written for this test): tests/data/items/composed_no_item_quotes.csv.
"""

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.items.candidates import candidate_items, no_item_as_worded

QUOTES = Path(__file__).resolve().parents[1] / "data" / "items" / "composed_no_item_quotes.csv"


def test_a_composed_wording_that_is_no_item_comes_after_the_usable_ones():
    items = candidate_items(pd.read_csv(QUOTES, dtype=str)).items
    assert list(items.p_text) == ["该运营商用客户听得懂的话解释资费", "该营业厅缩短客户排队等候的时间", "该运营商合成一张"]
    last = items.iloc[-1]
    assert last.item_id == "NEW-N001" and last.support == 3 and "no_object" in last.check_codes
    assert "合成一张" in last.evidence  # its quotes kept to write the item from
    assert no_item_as_worded(items).tolist() == [False, False, True]


def test_the_summary_and_the_readme_count_them(tmp_path):
    out = tmp_path / "items.xlsx"
    res = CliRunner().invoke(main, ["items", str(QUOTES), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert ("3 candidate items (1 composed for needs the bank lacks, 2 with weak support, 1 fail a quality check, "
            "1 of them composed wordings that are no item as they stand, listed last to rewrite or reject, see "
            "'checks')") in res.output
    sheet = pd.read_excel(out, sheet_name="items", dtype=str, engine="openpyxl")
    assert sheet["item_id"].iloc[-1] == "NEW-N001"
    readme = " ".join(pd.read_excel(out, sheet_name="readme", dtype=str, engine="openpyxl")["说明"])
    assert "如 该运营商合成一张；本次 1 条）排在全部其他题目之后" in readme

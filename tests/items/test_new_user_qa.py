"""Bugs of the new-user QA pass on `voc items`: a stock closing phrase became the only item,
--min-support above every candidate crashed, and --min-support 0 returned the whole bank."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.items.candidates import ITEM_COLUMNS, candidate_items, write_items_workbook
from voiceofcustomer.items.compose import names_attribute, need_phrase

# ten tickets about unrelated things, labelled by hand (servqual, demand, issue)
_TICKETS = [
    ("宽带晚上老是掉线", "reliability", "delivery", "broadband"),
    ("话费莫名其妙多扣了二十元", "reliability", "function", "billing"),
    ("电梯里手机信号很差，打电话总是断", "reliability", "delivery", "signal"),  # 电梯里: 小区里 was evidence of 在电梯里… until 7 Dec
    ("营业员态度很差，问两句就不耐烦", "assurance", "delivery", "attitude"),
    ("手机营业厅app一直闪退登录不上", "reliability", "channel", "other"),
    ("营业厅排队等了一个多小时", "responsiveness", "delivery", "efficiency"),
    ("装宽带约好了师傅却一直没上门", "responsiveness", "function", "install_repair"),
    ("套餐降档申请了三次都没有办成", "reliability", "function", "handling"),
    ("流量没用多少就提示超出了", "reliability", "function", "billing"),
    ("客服电话一直打不通，转人工要等很久", "responsiveness", "channel", "efficiency"),
]


def _tickets(suffix: str = "") -> pd.DataFrame:
    rows = [{"statement_id": f"S{i}", "ticket_id": f"T{i}", "text": text + suffix, "servqual": sq, "demand": dem,
             "issue": issue, "stance": "complaint"} for i, (text, sq, dem, issue) in enumerate(_TICKETS)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("phrase, named", [
    ("尽快处理", False), ("尽快给答复", False), ("重视一下", False), ("尽快恢复正常", False),
    ("尽快恢复网络", True), ("一个小时内回复", True), ("显示预计等候时间", True), ("开具电子发票", True),
])
def test_a_request_to_act_names_no_attribute(phrase, named):
    assert names_attribute(phrase) is named


def test_request_clause_is_no_need_but_a_later_wish_is():
    assert need_phrase("宽带晚上老是掉线，希望尽快处理") is None
    assert need_phrase("希望尽快给我一个答复") is None
    assert need_phrase("希望尽快处理，希望营业厅能告诉我还要等多久") == "告知预计等候时间"


@pytest.mark.parametrize("suffix", ["，希望尽快处理", "，希望你们能提高服务质量"])
def test_stock_closing_phrase_is_no_item_and_the_complaints_keep_their_bank_items(suffix):
    plain = candidate_items(_tickets())
    stock = candidate_items(_tickets(suffix))
    assert not (stock.items.source == "composed").any(), stock.items[["item_id", "p_text"]]
    assert not stock.items.p_text.str.contains("尽快处理|服务质量").any()
    assert len(stock.items) >= 6  # the real complaints behind the phrase
    # every statement that supports a bank item without the phrase supports the same one with it
    a = plain.assignments.set_index("statement_id").item_id
    b = stock.assignments.set_index("statement_id").item_id
    assert (a != "").sum() >= 6
    assert (b[a != ""] == a[a != ""]).all()


def test_a_need_shared_within_one_issue_is_still_composed():
    """The stock-phrase rule looks at the spread of issues, not at the count of statements."""
    texts = ["报销要用发票，希望能开电子版的发票", "希望能开电子发票，纸质的容易丢",
             "每个月都要寄纸质发票，希望能开电子发票"]
    df = pd.DataFrame({"statement_id": ["e1", "e2", "e3"], "ticket_id": ["T1", "T2", "T3"], "text": texts,
                       "servqual": "reliability", "demand": "function", "issue": "billing", "stance": "suggestion"})
    composed = candidate_items(df).items.query("source == 'composed'")
    assert list(composed.p_text) == ["该运营商开具电子发票"] and composed.support.iloc[0] == 3


def test_theme_named_only_by_request_words_gets_no_composed_item():
    """A theme whose key phrases are 尽快 · 处理 (what its tickets share) yields no NEW-T item."""
    empty_bank = pd.DataFrame(columns=["item_id", "servqual", "demand", "issue", "e_text", "p_text", "keywords"])
    df = _tickets().assign(topic=0, topic_label="尽快 · 处理")
    items = candidate_items(df, bank=empty_bank).items
    assert len(items) == 0 and list(items.columns[: len(ITEM_COLUMNS)]) == ITEM_COLUMNS
    named = candidate_items(df.assign(topic_label="宽带 · 掉线"), bank=empty_bank).items
    assert list(named.item_id) == ["NEW-T000"] and "宽带" in named.p_text.iloc[0]


def test_no_supported_candidate_gives_an_empty_items_sheet(tmp_path):
    bank = pd.DataFrame({"item_id": ["X1"], "servqual": ["tangibles"], "demand": ["delivery"], "issue": ["environment"],
                         "e_text": ["优秀的营业厅应当提供饮用水"], "p_text": ["该营业厅提供饮用水"], "keywords": [["饮用水"]]})
    res = candidate_items(_tickets(), bank=bank)
    assert res.items.empty and {"support", "support_score", "evidence_ids"} <= set(res.items.columns)
    write_items_workbook(res, tmp_path / "i.xlsx")
    assert pd.read_excel(tmp_path / "i.xlsx", sheet_name="items").columns[0] == "item_id"


def test_min_support_above_every_candidate_says_what_the_best_has():
    best = int(candidate_items(_tickets()).items.support.max())
    with pytest.raises(InputError, match=rf"no candidate item has 20 supporting statements; lower min_support= "
                                         rf"\(the best has {best}\)"):
        candidate_items(_tickets(), min_support=20)


@pytest.mark.parametrize("value", [0, -1])
def test_min_support_below_one_is_refused(value):
    with pytest.raises(InputError, match="min_support= must be at least 1"):
        candidate_items(_tickets(), min_support=value)


@pytest.mark.parametrize("value, message", [
    ("20", "no candidate item has 20 supporting statements; lower --min-support (the best has"),
    ("0", "--min-support must be at least 1 (a whole number: a candidate item needs a supporting statement), not 0"),
    ("-1", "--min-support must be at least 1 (a whole number: a candidate item needs a supporting statement), not -1"),
])
def test_items_cli_min_support_errors_are_one_line(tmp_path, value, message):
    src = tmp_path / "st.csv"
    _tickets().to_csv(src, index=False, encoding="utf-8-sig")
    out = tmp_path / "items.xlsx"
    res = CliRunner().invoke(main, ["items", str(src), "-o", str(out), "--min-support", value])
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit), res.output  # no traceback
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in res.output
    assert not out.exists()

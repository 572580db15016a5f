"""The item checks a Chinese questionnaire designer reads (a designers' pass: every check but the newest,
未写明评价对象, was written in English in the workbook's checks column and on the review app's card —
'double-barrelled (和/及/并且 joins two ideas)', 'object left out (通知 what?): …').

Each check has one Chinese message — its name, the words at fault quoted, how to fix it — and a stable
code (``ItemCheck.code``, the sheet's ``check_codes``) for a script or a test to key on.
"""

import re
from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import CHECKS, ItemCheck, candidate_items, check_item, write_items_workbook

ROOT = Path(__file__).resolve().parents[2]
LONG_E = "优秀的电信运营商应当保证每一个基站的信号系统都能够长期稳定地正常运行下去"

# code → (E, P, the message it gives, in full: name, the words quoted, the fix)
EXAMPLES = {
    "double_barrelled": ("", "该营业厅环境整洁和服务热情", "一题两问：“环境整洁”和“服务热情”是两件事，请拆成两题，每题只问一件事"),
    "negative": ("", "该营业厅让客户不用排队", "否定表述：“让客户不用排队”里有否定字眼“不”，请改为正面说法（如 不用排队 → 排队等候时间短）"),
    "too_long": (LONG_E, "该运营商的基站信号稳定",
                 f"表述过长：期望（E）“{LONG_E}”有 36 个字，超过 30 个字，请删去修饰语，压缩到 30 字以内"),
    "jargon": ("", "该运营商的室分信号稳定", "行业术语：“室分”是内部用语，受访者未必懂，请换成日常说法"),
    "symbol": ("", "该运营商尽快升级光猫.昨天", "含标点或符号：“.”，题目只写一句关于服务的陈述，请删去符号及其后的残句"),
    "abusive": ("", "该运营商的收费坑爹", "粗俗用语：“坑爹”，请改用中性的书面表述"),
    "change": ("", "该运营商换成多给点通话时长", "写的是改法：“换成”说的是要改成什么，不是可评价的服务属性，请写服务应有的状态"
                                     "（如 换成多给点通话时长 → 套餐的通话时长充足）"),
    "request_now": ("", "该运营商尽快修好路由器", "写的是一次性要求：“尽快”是要求对这一次的事立刻行动，不是受访者能评价的服务属性，"
                                            "请写服务应有的状态（如 尽快修好 → 在承诺时间内修复故障）"),
    "subject_twice": ("", "该运营商换一家运营商", "主语重复：“该运营商…运营商”，请删去重复的主语或改写"),
    "deixis": ("", "该运营商的客服说明这些资费", "指代前文：“这些”指向座谈中的前文，受访者看不到，请写明所指的内容"),
    "no_comparison": ("", "该运营商给客户更多的套餐选择", "比较对象不明：“更多”是比较，却没有说和什么比，受访者无从评价，"
                                                "请写明比较对象（比以前、比其他运营商 …）或写服务应有的状态（如 更多的套餐选择 → 多种套餐供客户选择）"),
    "spoken": ("", "该运营商派个懂行的来", "口语表述：“派个”是口语，请改为书面语（如 派个懂行的来 → 安排专业人员上门）"),
    "fragment": ("", "该运营商每个季度结账的时候", "不成句：“每个季度结账的时候”只是半句话，没有说服务怎样，请补全为完整陈述"),
    "question": ("", "该运营商告知维修由谁负责", "问句：“谁”是问句，请改为受访者可以表示同意与否的陈述句"),
    "customer_action": ("", "该运营商能够及时充值", "主语不当：“充值”是客户自己的动作，不是该运营商做的事，"
                                               "请写成 该运营商支持客户… 或写明该运营商做什么"),
    "object_left_out": ("", "该运营商提供统一的清单", "缺少宾语：“提供统一的清单”没有说是什么的清单（对象在客户前面的话里），请写明"),
    "clause_after_provide": ("", "该营业厅提供人从头跟到尾", "提供的不是服务：提供 后面是半句话“人从头跟到尾”，请写明提供的服务"
                                                     "（如 提供专人全程跟进）"),
    "no_object": ("", "该运营商公开透明", "未写明评价对象：“公开透明”没有说评价的是哪项服务或事物，请写明（如 该运营商的收费标准公开透明）"),
    "no_quality": ("", "该运营商讲广州话", "未写明服务标准：“讲广州话”只陈述了一件事，没有说服务应达到的品质或标准，受访者无从评价，"
                                      "请写明服务怎样才算好（如 该营业厅的员工能用广州话接待客户）"),
}


def test_every_check_has_an_example():
    assert set(EXAMPLES) == set(CHECKS)


@pytest.mark.parametrize("code", list(EXAMPLES))
def test_each_check_says_in_chinese_what_is_wrong_and_how_to_fix_it(code):
    e, p, message = EXAMPLES[code]
    failed = {c.code: c for c in check_item(e, p)}
    assert code in failed, check_item(e, p)
    assert failed[code] == ItemCheck(code, message) and str(failed[code]) == message


def _english(text: str) -> list[str]:
    """Latin words of three letters or more, but for quoted jargon (SLA, KPI …)."""
    return re.findall(r"[A-Za-z]{3,}", re.sub(r"“[^”]*”", "", text))


def test_no_check_message_is_in_english():
    gold = pd.read_csv(ROOT / "tests" / "data" / "items" / "composed_wording_gold.csv")
    wordings = [("", p) for p in gold.p_text] + [(e, p) for e, p, _ in EXAMPLES.values()]
    messages = [c.message for e, p in wordings for c in check_item(e, p)]
    assert len(messages) > 60
    assert {m for m in messages if _english(m)} == set()
    assert all(m.startswith(CHECKS[c.code][0] + "：") for e, p in wordings for c in check_item(e, p) for m in [c.message])


def test_the_gold_lists_faults_are_flagged_by_their_codes():
    """The gold list's kind of fault is a check's code: the item reading badly is flagged by that check."""
    gold = pd.read_csv(ROOT / "tests" / "data" / "items" / "composed_wording_gold.csv", dtype=str).fillna("")
    judged = gold[(gold.reads_well == "no") & gold.kind.isin(list(CHECKS))].drop_duplicates("p_text")
    missed = {r.p_text: r.kind for r in judged.itertuples() if r.kind not in {c.code for c in check_item("", r.p_text)}}
    assert len(judged) > 30 and len(missed) <= 3, missed


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    st = pd.DataFrame([
        {"statement_id": "s1", "speaker": "甲", "session": "x", "text": "能不能派个懂行的来，每次来的都不会修",
         "servqual": "assurance", "demand": "function", "issue": "other", "stance": "suggestion"},
        {"statement_id": "s2", "speaker": "乙", "session": "x", "text": "希望营业厅里能提供饮用水",
         "servqual": "tangibles", "demand": "function", "issue": "other", "stance": "suggestion"},
    ])
    path = write_items_workbook(candidate_items(st), tmp_path_factory.mktemp("items") / "items.xlsx")
    return pd.read_excel(path, sheet_name=None, dtype=str)


def test_the_workbook_gives_the_chinese_messages_and_their_codes(book):
    items = book["items"].fillna("").set_index("p_text")
    flagged = items.loc["该运营商派个懂行的来"]
    assert flagged.checks == ("口语表述：“派个”是口语，请改为书面语（如 派个懂行的来 → 安排专业人员上门）；"
                              "未写明评价对象：“派个懂行的来”没有说评价的是哪项服务或事物，请写明（如 该运营商的收费标准公开透明）")
    assert flagged.check_codes == "spoken, no_object"
    passed = items[items.checks == "ok"]
    assert len(passed) and (passed.check_codes == "").all()


def test_the_readme_sheet_lists_every_check_in_chinese_with_its_code(book):
    readme = book["readme"]["说明"].astype(str).tolist()
    for code, (name, what) in CHECKS.items():
        assert f"{code}　{name}：{what}" in readme, code
    assert any("check_codes" in line for line in readme)


def test_docs_list_every_check_with_its_code_and_chinese_name():
    doc = (ROOT / "docs" / "items.md").read_text(encoding="utf-8")
    for code, (name, _) in CHECKS.items():
        assert f"| `{code}` | {name} |" in doc, code

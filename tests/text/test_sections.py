"""A ticket's staff sections (【处理过程】, 处理结果：, 回访情况：, 答复 …) are the operator's words, not the customer's.

QA: a ticket export whose text cell holds the whole history ("…要求尽快处理。【处理过程】已派单…【处理结果】已解决。
【工单回访】客户表示满意。") gave one customer statement per staff sentence: 已解决 and 客户表示满意 were counted in
every share and made themes of their own. Now each such sentence is a row with the role ``staff``: kept with its
text and ticket, never counted."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.statements import STAFF, counted_mask
from voiceofcustomer.text.sections import section_rule, ticket_sections
from voiceofcustomer.text.split import SplitSummary, split_inputs


@pytest.mark.parametrize("text, parts", [
    ("客户来电反映宽带掉线，要求尽快处理。【处理过程】已派单。【处理结果】已解决。【工单回访】客户表示满意。",
     [(False, ""), (True, "处理过程"), (True, "处理结果"), (True, "工单回访")]),
    ("投诉内容：话费多扣了五十块。处理结果：已解释。回访情况：客户认可。",
     [(False, "投诉内容"), (True, "处理结果"), (True, "回访情况")]),
    ("客户反映网慢【处理过程】已派单\n回复客户：已处理", [(False, ""), (True, "处理过程"), (True, "回复客户")]),
    ("【回访记录】：满意【客户补充】还是断网", [(True, "回访记录"), (False, "客户补充")]),
    # a label word inside a sentence opens no section; nor a colon that follows no sentence's end
    ("我要个答复：为什么扣钱？客服说的处理结果不对。", [(False, "")]),
    ("手机没信号", [(False, "")]),
])
def test_a_ticket_text_is_cut_at_its_section_labels_and_nothing_is_lost(text, parts):
    got = ticket_sections(text)
    assert [(s.staff, s.label) for s in got] == parts
    assert "".join(s.text for s in got) == text


def test_a_label_the_user_names_opens_a_staff_section():
    text = "宽带装机拖了一周。【二次处理】已加急派单。"
    assert [s.staff for s in ticket_sections(text)] == [False]
    assert [s.staff for s in ticket_sections(text, section_rule(["【二次处理】"]))] == [False, True]


def _split(data_dir, **kw):
    summary = SplitSummary()
    df = pd.concat(list(split_inputs([data_dir / "tickets_staff_sections.csv"], summary=summary, **kw)),
                   ignore_index=True)
    return df, summary


def test_staff_sentences_are_rows_with_role_staff_kept_and_never_counted(data_dir):
    df, summary = _split(data_dir)
    staff = df[df["role"] == STAFF]
    assert staff["text"].tolist() == [
        "【处理过程】已派单装维上门检测，更换光猫。", "【处理结果】已解决。", "【工单回访】客户表示满意。",
        "处理结果：已核实为流量包扣费，已向客户解释。", "回访情况：客户认可。",
        "【回复内容】已向营业厅核实并致歉。", "回复客户：已处理",
        "【处理意见】已转计费中心核查。", "【答复】已答复客户。"]
    assert staff["ticket_id"].tolist() == ["S01"] * 3 + ["S02"] * 2 + ["S04"] * 2 + ["S05"] * 2
    assert staff["note"].iloc[1].startswith("staff section 处理结果:")
    # the customer's words stay customer statements: text before any label and under 客户反映 / 投诉内容
    customer = df.loc[counted_mask(df), "text"].tolist()
    assert customer == ["客户来电反映家中宽带晚上频繁掉线，要求尽快处理。", "投诉内容：这个月话费多扣了五十块，要求退还。",
                        "手机在家里一格信号都没有，电话老是打不出去。", "【客户反映】营业厅排队等了一个多小时。", "没人管。",
                        "话费又多扣了钱。", "账单看不懂。", "套餐扣费不清楚。",
                        "我要个答复：为什么宽带一直断？", "客服说的处理结果不对。",
                        "宽带装机拖了一周还没装好。", "【二次处理】已加急派单。"]
    assert (df["role"].fillna("") == "").sum() == len(customer)  # every row comes out: customer + staff
    assert (summary.staff, summary.staff_tickets, summary.rows) == (9, 4, 7)
    # sentence numbers run on through the ticket: every statement keeps its own id
    assert df["statement_id"].is_unique and df.loc[df["ticket_id"] == "S01", "sent"].tolist() == [1, 2, 3, 4]


def test_voc_split_staff_section_option_and_summary(data_dir, tmp_path):
    out = tmp_path / "statements.csv"
    res = CliRunner().invoke(main, ["split", str(data_dir / "tickets_staff_sections.csv"), "-o", str(out),
                                    "--staff-section", "二次处理"])
    assert res.exit_code == 0, res.output
    assert "10 of staff sections (处理过程, 处理结果, 回访 …) in 5 tickets, kept with role staff and not counted" \
        in res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df.loc[df["role"] == "staff", "text"].iloc[-1] == "【二次处理】已加急派单。"

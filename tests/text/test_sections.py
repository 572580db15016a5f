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
from voiceofcustomer.text.sections import customer_text, section_rule, ticket_sections
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
    # a 【…】 label in no list is a field of the ticket: not the customer's words either (see below)
    assert [(s.staff, s.kind) for s in ticket_sections(text)] == [(False, ""), (True, "field")]
    assert [(s.staff, s.kind) for s in ticket_sections(text, section_rule(["【二次处理】"]))] == \
        [(False, ""), (True, "staff")]


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
        "【处理意见】已转计费中心核查。", "【答复】已答复客户。", "【二次处理】已加急派单。"]
    assert staff["ticket_id"].tolist() == ["S01"] * 3 + ["S02"] * 2 + ["S04"] * 2 + ["S05"] * 2 + ["S07"]
    assert staff["note"].iloc[1].startswith("staff section 处理结果:")
    # the customer's words stay customer statements: text before any label and under 客户反映 / 投诉内容
    # (their labels 投诉内容：/【客户反映】 are no words of theirs: left out of text, kept in text_raw)
    customer = df.loc[counted_mask(df), "text"].tolist()
    assert customer == ["客户来电反映家中宽带晚上频繁掉线，要求尽快处理。", "这个月话费多扣了五十块，要求退还。",
                        "手机在家里一格信号都没有，电话老是打不出去。", "营业厅排队等了一个多小时。", "没人管。",
                        "话费又多扣了钱。", "账单看不懂。", "套餐扣费不清楚。",
                        "我要个答复：为什么宽带一直断？", "客服说的处理结果不对。",
                        "宽带装机拖了一周还没装好。"]
    assert df.loc[counted_mask(df), "text_raw"].iloc[1] == "投诉内容：这个月话费多扣了五十块，要求退还。"
    assert (df["role"].fillna("") == "").sum() == len(customer)  # every row comes out: customer + staff
    # 【二次处理】, in no list, is a field of the ticket: kept with role staff, not counted
    assert df.loc[df["text"] == "【二次处理】已加急派单。", "note"].item().startswith("staff section 二次处理: a field")
    assert (summary.staff, summary.staff_tickets, summary.rows) == (10, 5, 7)
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


# -- the customer's labels, traditional labels, a comma before a label, 【…】 labels in no list --------------

@pytest.mark.parametrize("text, parts", [
    # traditional labels are labels (a Big5 or Hong Kong / Taiwan export): named by their simplified name
    ("【投訴內容】寬頻經常斷線【處理過程】已派單", [(False, "投诉内容", "customer"), (True, "处理过程", "staff")]),
    ("網速很慢。處理結果：已處理。回覆：已致歉", [(False, "", ""), (True, "处理结果", "staff"), (True, "回复", "staff")]),
    ("客戶反映：網速很慢", [(False, "客户反映", "customer")]),
    # a comma or a space before a label of four characters or more opens it
    ("用户反映宽带晚上频繁掉线，处理结果：已派单", [(False, "", ""), (True, "处理结果", "staff")]),
    ("宽带掉线, 处理过程:已派单、回访记录：满意", [(False, "", ""), (True, "处理过程", "staff"), (True, "回访记录", "staff")]),
    ("宽带掉线 处理结果：已派单", [(False, "", ""), (True, "处理结果", "staff")]),
    # … but not one a customer says (客服回复, 答复: short, or what the customer was told), nor one glued to a word
    ("我问了客服，客服回复：等通知", [(False, "", "")]),
    ("打了好几次，答复：没办法", [(False, "", "")]),
    ("宽带掉线处理结果：已派单", [(False, "", "")]),
    # 【…】 labels in no list where a sentence starts are fields of the ticket; 备注 in brackets is the staff's
    ("【工单号】20261106001【用户反映】排队太久【回访】认可【备注】已致歉",
     [(True, "工单号", "field"), (False, "用户反映", "customer"), (True, "回访", "staff"), (True, "备注", "staff")]),
    ("排队太久。【受理渠道】营业厅", [(False, "", ""), (True, "受理渠道", "field")]),
    ("排队太久。【某某说明】营业厅", [(False, "", ""), (True, "某某说明", "field")]),
    # … inside a sentence (an SMS's sign) or not a word of 2–8 Chinese characters, nothing; 备注： may be the customer's
    ("收到短信【某某通信】提示已订购彩铃", [(False, "", "")]),
    ("套餐【5G】太贵了。【！】", [(False, "", "")]),
    ("宽带掉线。备注：我是老用户", [(False, "", "")]),
])
def test_traditional_comma_and_bracket_labels(text, parts):
    got = ticket_sections(text)
    assert [(s.staff, s.label, s.kind) for s in got] == parts
    assert "".join(s.text for s in got) == text


def test_the_customer_label_the_user_names_keeps_a_bracket_label_the_customers():
    text = "【紧急诉求】三天没网了【处理结果】已派单"
    assert [s.kind for s in ticket_sections(text)] == ["field", "staff"]
    assert [s.kind for s in ticket_sections(text, section_rule(customer_sections=["紧急诉求"]))] == ["customer", "staff"]
    assert customer_text(text, section_rule(customer_sections=["紧急诉求"])) == "三天没网了"


@pytest.mark.parametrize("text, own", [
    # the customer's labels are not read: 投诉内容 · 宽带 was a theme's key phrase
    ("【投诉内容】用户反映宽带晚上频繁掉线【处理结果】已派单维修，用户表示满意", "用户反映宽带晚上频繁掉线"),
    ("投诉内容：话费多扣了三十块；处理过程：已退费。", "话费多扣了三十块；"),
    ("问题描述：装机没人上门。客户诉求：尽快安装", "装机没人上门。尽快安装"),
    ("【客户反映】网慢【客户补充】还掉线", "网慢。还掉线"),
    ("【工单号】123【用户反映】排队太久", "排队太久"),
    ("手机没信号", "手机没信号"),
    ("【处理结果】已解决。", "【处理结果】已解决。"),  # nothing but the staff's: read as it is
])
def test_customer_text_is_the_customers_words_without_their_labels(text, own):
    assert customer_text(text) == own


def test_split_keeps_the_customers_words_in_text_and_every_label_in_text_raw(data_dir):
    df = pd.concat(list(split_inputs([data_dir / "tickets_section_labels.csv"])), ignore_index=True)
    counted = df[counted_mask(df)]
    assert counted["text"].tolist() == [
        "用户反映宽带晚上频繁掉线，看视频一直卡。", "这个月流量费多扣了三十块，要求退还；", "宽频晚上经常断线，打电话没人处理。",
        "手机信号在地下室一格都没有，电话打不出去，", "营业厅办业务排队一个多小时，工作人员态度冷淡。",
        "宽带装机预约了三次都没人上门。", "尽快安装并赔偿损失。", "收到短信【某某通信】提示已订购视频彩铃，我从来没订过，要求退订退费。",
        "我问了客服，客服回复：等通知。", "到现在也没人联系我。", "网速很慢，晚上根本打不开网页。"]
    assert counted["text_raw"].tolist()[:3] == [
        "【投诉内容】用户反映宽带晚上频繁掉线，看视频一直卡。", "投诉内容：这个月流量费多扣了三十块，要求退还；",
        "【投訴內容】寬頻晚上經常斷線，打電話沒人處理。"]
    staff = df[df["role"] == STAFF]
    assert staff["text"].tolist() == [
        "【处理结果】已派单维修，用户表示满意。", "处理过程：已核实为流量包到期后按标准资费计费，已退费。",
        "【处理过程】已派单装维上门。", "【处理结果】已更换光猫。", "处理结果：已上报基站优化。", "【工单号】20261106001",
        "【回访】客户认可处理。", "【备注】已致歉。", "处理意见：已协调装维今日上门。", "【受理渠道】10000号", "回复：已处理。"]
    assert staff.loc[staff["text"] == "【工单号】20261106001", "note"].item() == \
        "staff section 工单号: a field of the ticket (its record), not the customer's words; not counted"
    # nothing is lost: a ticket's text_raw joined is its cell
    cells = pd.read_csv(data_dir / "tickets_section_labels.csv", dtype=str).set_index("工单编号")["投诉内容"]
    for tid, rows in df.groupby("ticket_id", sort=False):
        assert "".join(rows["text_raw"]).replace("\n", "") == cells[tid].replace("\n", ""), tid


def test_a_label_with_nothing_under_it_goes_into_the_next_rows_text_raw():
    from voiceofcustomer.text.split import _section_pieces
    from voiceofcustomer.text.normalize import BoilerplateReport
    got = _section_pieces(ticket_sections("【投诉内容】【处理结果】已解决。"), BoilerplateReport())
    assert got == [("【处理结果】已解决。", "【投诉内容】【处理结果】已解决。", ("处理结果", "staff"))]


def test_voc_split_customer_section_option(data_dir, tmp_path):
    out = tmp_path / "statements.csv"
    res = CliRunner().invoke(main, ["split", str(data_dir / "tickets_section_labels.csv"), "-o", str(out), "-q",
                                    "--customer-section", "受理渠道"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df.loc[df["text_raw"] == "【受理渠道】10000号", "role"].item() == ""


@pytest.mark.parametrize("text, parts", [
    # a field holds its value only: the sentence after it, with no label, is the customer's again
    ("工单号：A001。用户反映宽带掉线", [("field", "工单号：A001。"), ("", "用户反映宽带掉线")]),
    ("客户姓名：王先生，客户称套餐被变更", [("field", "客户姓名：王先生，"), ("", "客户称套餐被变更")]),
    ("来电时间：2026-10-01 10:00 用户来电表示没人来", [("field", "来电时间：2026-10-01 10:00 "), ("", "用户来电表示没人来")]),
    ("受理渠道：营业厅\n网速太慢", [("field", "受理渠道：营业厅\n"), ("", "网速太慢")]),
    # … but a comma with no opener after it, or a 【…】 label in no list, runs on to the next label
    ("来电时间：10:00，周二", [("field", "来电时间：10:00，周二")]),
    ("【二次处理】已加急派单。已上门。", [("field", "【二次处理】已加急派单。已上门。")]),
    # a staff section reports the customer in its own words: 客户称 there opens nothing
    ("处理意见：已派单。客户称已恢复。", [("staff", "处理意见：已派单。客户称已恢复。")]),
])
def test_a_field_ends_with_its_value(text, parts):
    got = ticket_sections(text)
    assert [(s.kind, s.text) for s in got] == parts


def test_the_customers_words_after_a_field_are_counted_the_staffs_are_not(data_dir):
    """A complaint export writes the customer's words after 工单号：…。 or 受理渠道：…。 with no label of their own
    (用户反映…, 客户来电反映…, 客户称…): they were the field's, role staff, not counted."""
    df = pd.concat(list(split_inputs([data_dir / "tickets_fields_then_words.csv"])), ignore_index=True)
    counted = df[counted_mask(df)]
    assert counted["text"].tolist() == [
        "用户反映家里宽带晚上总掉线，要求上门检修。", "客户来电反映上个月话费多扣了二十元，要求退还。",
        "客户称营业厅排队太久，没人引导。", "宽带提速后网速反而变慢。", "尽快恢复。",
        "用户来电表示信号太差，家里打不了电话。", "故障现象：室内无信号。",  # a NAME： in no list is left as text
        "客户称套餐被私自变更。", "用户来电表示宽带装机等了一个星期还没人来。", "网速太慢了。"]
    staff = df[df["role"] == STAFF]
    assert staff["text"].tolist() == [
        "工单号：A001。", "处理意见：已派单装维。", "回访情况：客户表示满意。", "受理渠道：10000号。", "回复内容：已核实并退费。",
        "处理意见：已转营业厅整改。", "处理意见：已调整端口。", "处理意见：已提交网优。", "客户姓名：王先生，",
        "回访情况：客户仍不满意，称要投诉到工信部。", "来电时间：2026-10-01 10:00", "【受理渠道】营业厅。", "【二次处理】已加急派单。",
        "已上门。"]
    assert customer_text("工单号：A001。用户反映宽带掉线。处理意见：已派单。") == "用户反映宽带掉线。"


@pytest.mark.parametrize("text, parts", [
    ("【转发微博】打客服热线46次都没人接。再不解决就去工信部投诉。",
     [(False, "转发微博", "【转发微博】打客服热线46次都没人接。再不解决就去工信部投诉。")]),
    ("宽带断了11天。【转发微博】", [(False, "", "宽带断了11天。"), (False, "转发微博", "【转发微博】")]),
    ("【转发】宽带晚上断网。【处理结果】已派单。", [(False, "转发", "【转发】宽带晚上断网。"), (True, "处理结果", "【处理结果】已派单。")]),
    ("【受理渠道】微博。宽带断网。", [(True, "受理渠道", "【受理渠道】微博。"), (False, "", "宽带断网。")]),  # a field still
])
def test_a_posts_repost_marker_is_no_field(text, parts):
    assert [(p.staff, p.label, p.text) for p in ticket_sections(text)] == parts
    assert "".join(p.text for p in ticket_sections(text)) == text


def test_a_reposted_weibo_complaint_is_counted_not_kept_as_staff(data_dir):
    """November's export: a Weibo post starting 【转发微博】 had its complaint (both sentences) kept as a field of the
    ticket, role staff, not counted — said only as 工单中的客服处理记录 on the report."""
    summary = SplitSummary()
    df = pd.concat(list(split_inputs([data_dir / "tickets_weibo_repost_markers.csv"], summary=summary)),
                   ignore_index=True)
    own = df[df["role"].fillna("") != STAFF]
    by_ticket = own.groupby("ticket_id")["text"].apply(list).to_dict()
    assert by_ticket["GD2026110346"] == ["打客服热线46次都没人接，转人工要等十几分钟。", "再不解决就去工信部投诉。"]
    assert by_ticket["GD2026110063"] == ["光猫指示灯一直闪红灯，宽带断了11天，影响孩子上网课。"]
    assert by_ticket["GD2026110400"] == ["#杭州电信# 宽带晚上经常断网。"]
    assert by_ticket["GD2026110401"] == ["莫名其妙被开通了视频会员，要求退费。"]
    staff = df[df["role"].fillna("") == STAFF]
    assert staff["text"].tolist() == ["【处理结果】已派单上门检测。", "【受理渠道】微博。"]
    assert counted_mask(df).sum() == 5
    # the marker is kept in text_raw: the rows still hold the whole cell
    assert df.loc[df["ticket_id"] == "GD2026110346", "text_raw"].iloc[0].startswith("【转发微博】")
    assert df.loc[df["ticket_id"] == "GD2026110063", "text_raw"].iloc[-1].endswith("【转发微博】")

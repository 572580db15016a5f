"""Hard-wrapped transcripts (a focus-group researcher's lead): a transcript copied out of a PDF, or saved by a
word processor's fixed-width export, has its turns cut into lines of one width, and a line often ends
mid-sentence or mid-word (``…觉得排队情况怎么`` / ``样？``).

Before: a line break ended a sentence unless the line ended with a comma, so each wrapped line became a statement
of its own ("快一个小时，工作人员就开了一个窗口，旁边几个窗口"), labelled and counted alone, and the moderator's
question was read with a space where its line was cut ("宽带用得 怎么样"). tests/data/transcript_hard_wrapped.txt
gave 24 statements, 10 of them pieces of a sentence; it gives 14 whole sentences.
"""

from pathlib import Path

import pandas as pd
import pytest

import voiceofcustomer.io.transcript as transcript
from voiceofcustomer.io.transcript import parse_transcript, read_transcript
from voiceofcustomer.statements import prompt_questions
from voiceofcustomer.text.split import detect_kind, split_inputs

REPO = Path(__file__).resolve().parents[2]


def test_a_hard_wrapped_transcript_gives_whole_sentences(data_dir):
    path = data_dir / "transcript_hard_wrapped.txt"
    df = pd.concat(split_inputs([path]))
    said = df[df.role == "participant"].groupby("turn")["text"].apply(list).tolist()
    assert said == [
        ["上个月我去补卡，前面排了二十多个号，等了快一个小时，工作人员就开了一个窗口，旁边几个窗口都挂着暂停服务的牌子。"],
        ["我跟王先生差不多。", "我是周六上午去的，取号机显示前面还有三十多人，我就先回家了，下午再去还是排了四十分钟。"],
        ["我觉得十五分钟以内还行，超过半个小时就受不了了，我们老年人腿脚也不方便，营业厅里能坐的地方又少。"],
        # a paragraph's last line (short, no mark at its end) still ends where it ends
        ["我家的Wi-Fi路由器是去年新换的，可是晚上八点以后网速还是特别慢，孩子上网课经常卡住听不清老师说话",
         "后来我们只好加钱升级了套餐，也没有好多少。"],
        ["我说两点：", "一、报修以后上门太慢；", "二、师傅来了也说不清原因。"],  # a list's lines are its items
        ["我家宽带倒还好，就是每个月的账单看不懂，里面好几项费用我都不知道是什么意思，打客服电话问了半天也没说明白。"],
    ]
    assert len(df) == 14  # 24 before: 10 pieces of a sentence
    assert prompt_questions(df)[-1] == "好的。接下来聊聊宽带，大家家里的宽带用得怎么样，有没有遇到过断网或者网速慢的问题？"
    # the raw text of a statement is the lines it was said over, without the breaks
    row = df[df.text.str.startswith("上个月")].iloc[0]
    assert row.text_raw == row.text


def test_the_header_of_a_hard_wrapped_transcript_stays_metadata(data_dir):
    path = data_dir / "transcript_hard_wrapped.txt"
    assert detect_kind(path) == "transcript"
    tr = read_transcript(path)
    assert tr.meta["moderator"] == "林晓" and tr.meta["recorder"] == "周雨"
    assert tr.meta["participants"] == ["王先生（个体户）", "陈女士", "赵阿姨（退休）"]
    # the header's 主持人：林晓 names the moderator of the plain 主持人：… turns
    assert [t.speaker for t in tr.turns] == ["林晓", "王先生", "陈女士", "林晓", "赵阿姨", "林晓", "陈女士", "王先生",
                                             "赵阿姨"]
    assert tr.turns[0].text == "大家平时去营业厅办业务，觉得排队情况怎么样？有印象深的事也可以说说。"


def test_the_briefs_two_wrapped_turns_are_read_whole():
    lines = ["主持人：大家平时去营业厅办业务，觉得排队的情况怎么", "样？",
             "王先生：上个月我去补卡，前面排了二十多个号，等了快一", "个小时，工作人员就开了一个窗口。"]
    turns = parse_transcript(lines, Path("x.txt")).turns
    assert [t.text for t in turns] == ["大家平时去营业厅办业务，觉得排队的情况怎么样？",
                                       "上个月我去补卡，前面排了二十多个号，等了快一个小时，工作人员就开了一个窗口。"]


def test_words_of_letters_cut_at_a_line_keep_a_space_between_them():
    lines = ["主持人：大家说说办卡的时候营业厅的人是怎么跟你们讲的？", "Tom：他们说办卡那天要记得带上你自己的 passport and the",
             "visa，我第一次去就是因为没带签证被叫回去了，后来又跑了一", "趟才办好。"]
    turns = parse_transcript(lines, Path("x.txt")).turns
    assert turns[1].text == "他们说办卡那天要记得带上你自己的 passport and the visa，我第一次去就是因为没带签证被叫回去了，后来又跑了一趟才办好。"


@pytest.mark.parametrize("lines, text", [
    # lines of a turn that are not wrapped: short, or of widths that vary; each ends its sentence, as before
    (["王先生：宽带又断了", "客服电话打不通"], "宽带又断了\n客服电话打不通"),
    (["王先生：我家宽带晚上老断，报修以后师傅来看过两次还是没修好", "后来干脆换了别家的宽带",
      "营业厅那边也不管，打了好几次电话都说在处理中让我们再等一等"],
     "我家宽带晚上老断，报修以后师傅来看过两次还是没修好\n后来干脆换了别家的宽带\n营业厅那边也不管，打了好几次电话都说在处理中让我们再等一等"),
    # wrapped lines, but a blank line or a list's item after a line ends it
    (["王先生：我家宽带晚上老断，报修以后师傅来看过两次还是没修", "好，后来干脆换了别家的宽带，营业厅那边也一直都不管我们",
      "", "打了好几次电话都说在处理中让我们再等一等，等到现在也没有", "人来，我都不知道该找谁了。"],
     "我家宽带晚上老断，报修以后师傅来看过两次还是没修好，后来干脆换了别家的宽带，营业厅那边也一直都不管我们\n"
     "打了好几次电话都说在处理中让我们再等一等，等到现在也没有人来，我都不知道该找谁了。"),
    (["王先生：我提几条意见，报修以后师傅来看过两次还是没修好的", "问题，营业厅那边也不管，让我们自己想办法，我说两点意见",
      "1、上门要快", "2、说清原因"],
     "我提几条意见，报修以后师傅来看过两次还是没修好的问题，营业厅那边也不管，让我们自己想办法，我说两点意见\n1、上门要快\n2、说清原因"),
], ids=["short lines", "widths that vary", "a blank line", "a list"])
def test_lines_that_are_not_wrapped_end_where_they_end(lines, text):
    turns = parse_transcript(["主持人：大家说说宽带吧？", *lines], Path("x.txt")).turns
    assert turns[1].text == text


def test_a_speaker_label_alone_on_its_line_speaks_the_line_below():
    lines = ["主持人：大家平时去营业厅办业务，觉得排队的情况怎么", "样？", "王先生：",
             "上个月我去补卡，前面排了二十多个号，等了快一个小时，工", "作人员就开了一个窗口。"]
    turns = parse_transcript(lines, Path("x.txt")).turns
    assert [(t.speaker, t.text) for t in turns] == [
        ("主持人", "大家平时去营业厅办业务，觉得排队的情况怎么样？"),
        ("王先生", "上个月我去补卡，前面排了二十多个号，等了快一个小时，工作人员就开了一个窗口。")]


def _transcripts() -> list[Path]:
    return [p for folder in ("tests/data", "corpora/samples", "benchmarks/focus_groups_heldout")
            for p in sorted((REPO / folder).rglob("*.txt")) if detect_kind(p) == "transcript"]


def test_transcripts_that_are_not_wrapped_give_the_same_statements(monkeypatch):
    """Every transcript of the repo but the wrapped one gives exactly the statements it gave before wrapped lines
    were read (its lines joined by line breaks, as parse_transcript did)."""
    paths = [p for p in _transcripts() if not p.name.startswith("transcript_hard_wrapped")]
    assert len(paths) >= 25
    columns = ["statement_id", "speaker", "role", "turn", "prompt_turn", "text", "text_raw", "section"]
    now = pd.concat(split_inputs(paths))[columns]
    monkeypatch.setattr(transcript, "_wrap_width", lambda raw_turns: None)  # every line break as before
    before = pd.concat(split_inputs(paths))[columns]
    pd.testing.assert_frame_equal(now.reset_index(drop=True), before.reset_index(drop=True))


def test_a_speaker_label_cut_by_the_wrap_starts_that_speakers_turn(data_dir):
    """A transcript whose turns run on in one paragraph, hard-wrapped: the width ends inside a speaker's label
    (``…得下楼去打电话。孙女`` / ``士：我家也是这样…``). Before, 孙女士's words were 刘先生's, 周阿姨's a turn of
    a speaker 阿姨 (周 left at the end of 孙女士's words), and the moderator's thanks 刘先生's."""
    tr = read_transcript(data_dir / "transcript_hard_wrapped_cut_labels.txt")
    # the header's 主持人：何静 names the moderator of the plain 主持人：… turns
    assert [(t.speaker, t.role, t.text) for t in tr.turns] == [
        ("何静", "moderator", "各位好，今天想听听大家对手机信号和营业厅服务的看法。先说说信号吧，平时在家里、在单位信号怎么样？"),
        ("刘先生", "participant", "我住在十八楼，客厅信号还行，卧室经常只有一格，打电话说着说着就断了，只能跑到阳台去接，"
                                  "有时候阳台也不行，得下楼去打电话。"),
        ("孙女士", "participant", "我家也是这样，地下车库完全没有信号，停车缴费的时候扫码都扫不出来。"),
        ("何静", "moderator", "那大家有没有打电话反映过？"),
        # a known speaker's name cut by the wrap in someone's words (隔壁的刘 / 先生：…) is not a label
        ("周阿姨", "participant", "我打过一次，客服说给我登记，让我回家等通知，到现在也没人联系我。"
                                  "我还问过隔壁的刘先生：你们那栋楼修好了没有？他说也没有。"),
        ("孙女士", "participant", "我去营业厅问过，工作人员态度倒是挺好的，就是说不清楚什么时候能解决，只让再等。"),
        ("周阿姨", "participant", "对，我们小区的人都是这么被打发的，等了大半年了。"),
        ("何静", "moderator", "明白了。那营业厅办业务的时候，排队、等候这些方面大家觉得怎么样？"),
        ("刘先生", "participant", "排队时间倒不算长，一般十来分钟，就是取号机老坏，进门找不到人问，只能排着队等。"),
        ("何静", "moderator", "好的，谢谢刘先生。其他人还有补充吗？"),
        ("孙女士", "participant", "营业厅里的座位太少了，老人站着等很累。"),
    ]
    assert [t.line for t in tr.turns][1:3] == [8, 10]  # the turn starts on the line its label starts on
    df = pd.concat(split_inputs([data_dir / "transcript_hard_wrapped_cut_labels.txt"]))
    assert "阿姨" not in set(df.speaker) and not df.text.str.contains("孙女士：|主持人：").any()


def test_lines_that_end_in_a_name_like_character_go_on_as_before(data_dir):
    """The same wrap, but the words cut are someone's: a known speaker named in a sentence (隔壁的孙女 / 士：…),
    a word that looks like a name after a full stop (老 / 实说：…, 小王说 / ：…). Every turn stays whole."""
    tr = read_transcript(data_dir / "transcript_hard_wrapped_name_ends.txt")
    assert [t.speaker for t in tr.turns] == ["何静", "刘先生", "孙女士", "周阿姨"]  # the header's 主持人：何静
    assert tr.turns[1].text == ("我上次报修等了三天师傅才来，来了以后说是光猫坏了，换了一个新的。我还问过隔壁的孙女士：你们家修好了吗？"
                                "她说足足等了一个礼拜。老实说：这个速度谁都受不了，现在上网课开会都离不开宽带。")
    assert tr.turns[3].text.endswith("他人挺热心的。小王说：阿姨您别急，我帮您催一催。")


def test_no_other_transcript_reads_otherwise_for_cut_labels(monkeypatch):
    """Every transcript of the repo but the one with cut labels gives the statements it gave before."""
    paths = [p for p in _transcripts() if p.name != "transcript_hard_wrapped_cut_labels.txt"]
    now = pd.concat(split_inputs(paths))
    monkeypatch.setattr(transcript, "_cut_labels_joined", lambda raw_turns, lines, wrap, known: raw_turns)
    before = pd.concat(split_inputs(paths))
    pd.testing.assert_frame_equal(now.reset_index(drop=True), before.reset_index(drop=True))

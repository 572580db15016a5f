"""A moderator's label that names her (主持人（马丽）：…) keeps her name: the lead saw 马丽 lost, the speaker 主持人."""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.io.transcript import parse_transcript, speaker_attributes
from voiceofcustomer.text.split import split_inputs

_TURNS = ["{m}：各位好，大家平时觉得网速怎么样？", "张女士（退休教师）：晚上看电视经常卡。",
          "李先生（出租车司机，45岁）：地下车库一点信号都没有。", "{m}：那营业厅呢？", "张女士（退休教师）：排队太久。"]


@pytest.mark.parametrize("label, speaker", [
    ("主持人（马丽）", "马丽"), ("主持人(马丽)", "马丽"), ("主持人 马丽", "马丽"), ("主持人马丽", "马丽"),
    ("马丽（主持人）", "马丽"), ("主持人（马丽，市场部）", "马丽"), ("主持人（马老师）", "马老师"),
    ("访谈员（欧阳娜娜）", "欧阳娜娜"),
    # a bracket that names no one, or a number, keeps the role word as the speaker
    ("主持人（市场部）", "主持人"), ("主持人", "主持人"), ("主持人1", "主持人1"),
])
def test_a_moderator_named_in_her_label_keeps_her_name_and_her_role(label, speaker):
    tr = parse_transcript([t.format(m=label) for t in _TURNS], Path("fg.txt"))
    assert [(t.speaker, t.role) for t in tr.turns] == [
        (speaker, "moderator"), ("张女士", "participant"), ("李先生", "participant"), (speaker, "moderator"),
        ("张女士", "participant")]
    # the participants' brackets are who they are; the moderator's is no participant's attribute
    assert speaker_attributes(tr.meta) == {"张女士": "退休教师", "李先生": "出租车司机，45岁"}


def test_the_name_in_the_label_names_the_session_moderator_and_her_plain_turns(tmp_path):
    path = tmp_path / "fg.txt"
    path.write_text("客户群：公众用户\n\n" + "\n".join(t.format(m="主持人（马丽）") for t in _TURNS)
                    + "\n马丽：最后说说账单吧？\n李先生：账单看不懂。\n", encoding="utf-8")
    df = pd.concat(list(split_inputs([path])), ignore_index=True)
    who = df.drop_duplicates("speaker").set_index("speaker")
    assert who["role"].to_dict() == {"马丽": "moderator", "张女士": "participant", "李先生": "participant"}
    assert who["speaker_attrs"].to_dict() == {"马丽": "", "张女士": "退休教师", "李先生": "出租车司机，45岁"}
    assert df.loc[df["speaker"] == "马丽", "text"].tolist() == ["各位好，大家平时觉得网速怎么样？", "那营业厅呢？",
                                                             "最后说说账单吧？"]


def test_a_header_moderator_is_not_replaced_by_a_turns_label():
    tr = parse_transcript(["主持人：周婷", "", "主持人（马丽）：大家好？", "张女士：你好。", "周婷：网速呢？", "张女士：慢。"],
                          Path("fg.txt"))
    assert tr.meta["moderator"] == "周婷"
    assert [(t.speaker, t.role) for t in tr.turns] == [
        ("马丽", "moderator"), ("张女士", "participant"), ("周婷", "moderator"), ("张女士", "participant")]


_PLAIN = ["主持人：各位好，大家平时觉得网速怎么样？", "张女士：晚上看电视经常卡。", "主持人：那营业厅呢？",
          "李先生：排队太久。", "马丽：最后说说账单吧？", "李先生：账单看不懂。"]


@pytest.mark.parametrize("header", ["主持人：马丽", "主持人：马丽（市场部）", "主持人：马丽 记录：王强"])
def test_plain_moderator_turns_take_the_one_moderator_the_header_names(header):
    tr = parse_transcript([header, "参与者：张女士、李先生", "", *_PLAIN], Path("fg.txt"))
    assert tr.meta["moderator"] == "马丽"
    assert [(t.speaker, t.role) for t in tr.turns] == [
        ("马丽", "moderator"), ("张女士", "participant"), ("马丽", "moderator"), ("李先生", "participant"),
        ("马丽", "moderator"), ("李先生", "participant")]


def test_m_labels_under_a_header_moderator_are_hers_too():
    tr = parse_transcript(["主持人：马丽", "", "M：网速怎么样？", "张女士：晚上卡。", "M：营业厅呢？", "张女士：排队久。"],
                          Path("fg.txt"))
    assert [t.speaker for t in tr.turns if t.role == "moderator"] == ["马丽", "马丽"]


@pytest.mark.parametrize("lines", [
    ["主持人：马丽、王敏", "参与者：张女士、李先生", ""],  # two moderators: a plain 主持人 is neither in particular
    ["主持人：马丽 王敏", "参与者：张女士、李先生", ""],
    ["参与者：张女士、李先生", ""],  # no moderator named
    ["主持人：周婷", "", "主持人（王敏）：先做个介绍吧？", "张女士：好的。"],  # a turn names another moderator
])
def test_plain_moderator_turns_stay_as_written_when_the_header_names_not_exactly_one(lines):
    tr = parse_transcript([*lines, *_PLAIN[:4]], Path("fg.txt"))
    plain = [t for t in tr.turns if t.text in ("各位好，大家平时觉得网速怎么样？", "那营业厅呢？")]
    assert [(t.speaker, t.role) for t in plain] == [("主持人", "moderator"), ("主持人", "moderator")]


def test_split_gives_the_header_moderator_her_plain_turns(tmp_path):
    path = tmp_path / "fg.txt"
    path.write_text("客户群：公众用户\n主持人：马丽\n\n" + "\n".join(_PLAIN) + "\n", encoding="utf-8")
    df = pd.concat(list(split_inputs([path])), ignore_index=True)
    assert set(df["speaker"]) == {"马丽", "张女士", "李先生"}
    assert df.loc[df["speaker"] == "马丽", "role"].unique().tolist() == ["moderator"]
    assert df.loc[df["speaker"] == "马丽", "text"].tolist() == ["各位好，大家平时觉得网速怎么样？", "那营业厅呢？",
                                                             "最后说说账单吧？"]


def test_a_header_naming_two_moderators_by_a_space_names_the_first_not_both_run_together():
    tr = parse_transcript(["主持人：马丽 王敏", "参与者：张女士", "", "张女士：网速慢。"], Path("fg.txt"))
    assert tr.meta["moderator"] == "马丽"  # it was 马丽王敏, a name no one has
    assert tr.meta["moderator_note"] == "马丽 王敏"

"""A speaker's whole label in the middle of a line starts that speaker's turn (a session typed as one paragraph),
when the label names a speaker of the transcript and follows the end of a sentence; other colons stay words."""

from pathlib import Path

from voiceofcustomer.io.transcript import parse_transcript

HEADER = ["座谈会名称：营业厅服务座谈会", "主持人：王敏", "参与者：张女士（退休教师）、李先生、赵阿姨", ""]


def _turns(lines):
    return [(t.speaker, t.role, t.text) for t in parse_transcript(lines, Path("x.txt")).turns]


def test_a_label_inside_a_line_starts_a_turn():
    turns = _turns([*HEADER, "王敏：大家说说营业厅吧。",
                    "张女士：我觉得排队太久。李先生：我也是，上次等了一个小时。",
                    "赵阿姨：取号机老坏！ 王敏：好的，我们记下来。"])
    assert turns == [("王敏", "moderator", "大家说说营业厅吧。"), ("张女士", "participant", "我觉得排队太久。"),
                     ("李先生", "participant", "我也是，上次等了一个小时。"), ("赵阿姨", "participant", "取号机老坏！"),
                     ("王敏", "moderator", "好的，我们记下来。")]


def test_a_speaker_who_starts_a_line_elsewhere_is_split_at_too():
    turns = _turns(["主持人：排队的情况怎么样？", "周先生：挺好的。吴女士：我不同意，上周排了四十分钟。",
                    "吴女士：而且叫号不准。"])
    assert [(s, t) for s, _, t in turns] == [("主持人", "排队的情况怎么样？"), ("周先生", "挺好的。"),
                                             ("吴女士", "我不同意，上周排了四十分钟。"), ("吴女士", "而且叫号不准。")]


def test_ordinary_colons_and_unknown_names_stay_in_the_turn():
    turns = _turns([*HEADER, "王敏：大家说说营业厅吧。",
                    "李先生：人最多的是周末。时间：下午三点左右。比如说：上个月那次。",
                    "张女士：我选了套餐A：每月五十九。营业员说：等着吧。孙女士：这个人我不认识。"])
    assert [t for _, _, t in turns][1:] == ["人最多的是周末。时间：下午三点左右。比如说：上个月那次。",
                                            "我选了套餐A：每月五十九。营业员说：等着吧。孙女士：这个人我不认识。"]

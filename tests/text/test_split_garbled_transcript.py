"""A garbled sentence of a transcript (mojibake, 锟斤拷, lost characters as ???) comes out of the reader as a
ticket's does: no text, its text_raw, the note, counted apart (voc split's line, voc analyze's report), never
counted as a statement — not only once voc tag has read it."""

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.io.readers import GARBLED_NOTE
from voiceofcustomer.statements import counted_mask
from voiceofcustomer.text.split import SplitSummary, split_inputs

MOJI = "晚上宽带老是掉线，打客服也没人管。".encode("utf-8").decode("gbk", errors="replace")


def _transcript(tmp_path):
    p = tmp_path / "宽带座谈会.txt"
    p.write_text("座谈会名称：宽带用户座谈会\n主持人：王敏\n参与者：张女士、李先生、赵阿姨\n\n"
                 "王敏：大家说说宽带用得怎么样？\n"
                 f"张女士：网速还可以。{MOJI}\n"
                 "李先生：锟斤拷锟斤拷锟斤拷\n"
                 "赵阿姨：?? ??? 1000M ????\n"
                 "张女士：装机师傅来得很快，服务挺好。\n", encoding="utf-8")
    return p


def test_a_garbled_sentence_has_no_text_and_the_note(tmp_path):
    summary = SplitSummary()
    df = pd.concat(list(split_inputs([_transcript(tmp_path)], summary=summary)), ignore_index=True)
    assert df["text"].tolist() == ["大家说说宽带用得怎么样？", "网速还可以。", "", "", "", "装机师傅来得很快，服务挺好。"]
    assert df["note"].tolist()[2:5] == [GARBLED_NOTE] * 3
    assert df["text_raw"].tolist()[2:4] == [MOJI, "锟斤拷锟斤拷锟斤拷"] and "1000M ????" in df["text_raw"][4]
    assert (summary.garbled, summary.empty) == (3, 0)
    assert counted_mask(df).sum() == 2  # 网速还可以, 装机师傅…: the moderator and the garbled rows are not counted


def test_voc_split_says_how_many(tmp_path):
    res = CliRunner().invoke(main, ["split", str(_transcript(tmp_path)), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.output
    assert "3 garbled" in res.output and "0 empty" in res.output and "--encoding" in res.output

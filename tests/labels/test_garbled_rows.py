"""A garbled text (mojibake of UTF-8 read as GBK, 锟斤拷, ??????) comes out with its reason, flagged, and is never
counted as a statement — in voc tag, voc split, voc freq, voc analyze and the report alike.

tests/data/tickets_gbk_garbled.csv (a GBK export written for these tests): G002 is UTF-8 read as GBK (瀹藉甫…),
G004 锟斤拷, G006 ??????????, G007 empty, the last row a totals row; G008 ends in ？？？ and is a ticket."""

import glob
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq.tables import count_table
from voiceofcustomer.io.readers import GARBLED_NOTE, TOTALS_NOTE, open_table
from voiceofcustomer.labels.tagging import tag
from voiceofcustomer.labels.workflow import tag_table
from voiceofcustomer.statements import counted_mask
from voiceofcustomer.text.garbled import _CJK, _MISREAD_AS, garbled_text, looks_garbled
from voiceofcustomer.text.split import SplitSummary, split_inputs

ROOT = Path(__file__).resolve().parents[2]
EXPORT = "tickets_gbk_garbled.csv"
#: a tagged table whose garbled rows are the point of its test (tests/freq/test_garbled_untagged.py)
GARBLED_FIXTURES = {EXPORT, "tagged_before_garbled_note.csv"}
GARBLED_IDS = ["G002", "G004", "G006"]


def _moji(text: str, codec: str = "gbk") -> str:
    """UTF-8 bytes of ``text`` read as ``codec``, a character it cannot write kept as '?' (as an export does)."""
    return text.encode("utf-8").decode(codec, errors="replace").replace("\ufffd", "?")


@pytest.mark.parametrize("text", [
    _moji("宽带网速太慢，晚上根本打不开网页"), _moji("营业厅排队"), _moji("话费多扣了30元"),
    _moji("我要投诉你们的客服态度很差，打了三次10086都没人处理"), _moji("宽带网速太慢了", "latin-1"),
    # missed before (round trips with as many Chinese characters as replacements, or a third of the text's)
    _moji("又断网了！！！"), _moji("网络稳定最重要，别的都是次要的。"), _moji("信号差到爆！！！"),
    _moji("营业厅的工作人员态度很好", "cp1252"), _moji("这个月的话费怎么多了五十块", "cp1252"),
    "锟斤拷锟斤拷", "烫烫烫烫", "屯屯屯屯", "\ufffd\ufffd\ufffd", "??????????", "?? ??? 1000M ????",
])
def test_garbled_texts(text):
    assert looks_garbled(text)


@pytest.mark.parametrize("text", [
    "宽带网速太慢，晚上根本打不开网页", "为什么？？？", "怎么回事???", "???", "我家宽带1000M?", "ok", "水很烫烫的",
    "", "  ", None,
    # random strings of frequent characters whose GBK bytes read as UTF-8 give 2 Chinese characters and 2
    # replacements: flagged while as many as the replacements were enough below 4 (a sentence piece of voc split)
    "如并查法业", "设级络安", "验不点保", "块护随建",
])
def test_words_are_not_garbled(text):
    assert not looks_garbled(text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
@settings(max_examples=400, deadline=None)
def test_a_text_without_a_high_byte_of_a_western_codec_never_reads_as_chinese_in_it(text):
    """The premise of looks_garbled's cheap skip: a text with no character cp1252 / latin-1 write as a byte of
    0x80 or more encodes to ASCII there, and ASCII decodes to no Chinese, so that round trip can be skipped."""
    for codec, high in _MISREAD_AS:
        if high is not None and not high.search(text):
            back = text.encode(codec, errors="replace").decode("utf-8", errors="replace")
            assert not _CJK.search(back)


@given(st.text(alphabet="宽带网速慢营业厅排队话费多扣了客服态度差信号不好装机师傅没来“”…—，。！?？1234 abc", max_size=40))
@settings(max_examples=300, deadline=None)
def test_chinese_words_with_quotes_dashes_and_question_marks_are_never_garbled(text):
    """Chinese quotes, dashes and ellipses are written as bytes of 0x80 or more in cp1252: the round trips run."""
    assert not looks_garbled(text)


def _texts_of(path: Path):
    raw = path.read_bytes()
    # the fixtures not in UTF-8 are read in their own encoding (Big5 read as GBK is garbled, rightly)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("big5" if "big5" in path.name else "gb18030")
    if path.suffix == ".jsonl":
        for line in text.splitlines():
            if line.strip():
                yield from (v for v in json.loads(line).values() if isinstance(v, str))
    else:
        yield from text.splitlines()


def test_no_text_of_the_corpora_looks_garbled(data_dir):
    """No false positive on the shipped corpora and the fixtures: every labelled statement, every sample."""
    paths = [Path(p) for p in glob.glob(str(ROOT / "corpora/labelled/*.jsonl"))]
    paths += [p for p in (ROOT / "corpora/samples").rglob("*") if p.suffix in (".txt", ".csv", ".jsonl", ".tsv")]
    paths += [p for p in data_dir.glob("*") if p.suffix in (".txt", ".csv", ".jsonl", ".tsv") and p.name not in GARBLED_FIXTURES]
    texts = []
    for p in paths:
        texts += list(_texts_of(p))
    assert len(texts) > 10_000
    assert [t for t, g in zip(texts, garbled_text(texts)) if g] == []


def test_voc_tag_notes_flags_and_does_not_count_them(data_dir, tmp_path):
    out = tmp_path / "tagged.csv"
    summary = tag_table(data_dir / EXPORT, out, n_jobs=1)
    df = pd.concat(list(open_table(out).chunks()), ignore_index=True).set_index("工单编号")
    assert df.loc[GARBLED_IDS, "note"].tolist() == [GARBLED_NOTE] * 3
    assert "--encoding" in GARBLED_NOTE and "garbled" in GARBLED_NOTE
    assert df.loc[GARBLED_IDS, "needs_review"].tolist() == ["True"] * 3
    assert df.loc[GARBLED_IDS, "issue"].tolist() == ["other"] * 3  # an empty text's placeholder labels
    assert df.loc["G008", "note"] in ("", None) and df.loc["G008", "issue"] != "other"  # ？？？ beside words
    assert (summary.rows, summary.garbled_rows, summary.empty_rows, summary.totals_rows) == (9, 3, 1, 1)
    result, _ = count_table(out)
    notes = result.tables["notes"].set_index("note")["count"]
    assert notes["garbled rows excluded"] == 3 and notes["rows with no text excluded"] == 1
    assert result.rows_counted == 4
    assert result.tables["overall"].query("field == 'issue'")["count"].sum() == 4


def test_the_library_tag_notes_them_too():
    df = pd.DataFrame({"text": ["宽带晚上经常断线", _moji("宽带网速太慢，晚上根本打不开网页"), "??????????"]})
    out = tag(df)
    assert out["note"].tolist() == ["", GARBLED_NOTE, GARBLED_NOTE]
    assert out["needs_review"].tolist()[1:] == [True, True]
    assert counted_mask(out).tolist() == [True, False, False]


def test_split_gives_no_text_keeps_text_raw_and_counts_it_apart(data_dir):
    summary = SplitSummary()
    df = pd.concat(list(split_inputs([data_dir / EXPORT], summary=summary)), ignore_index=True)
    rows = df[df["ticket_id"].isin(GARBLED_IDS)]
    assert rows["text"].tolist() == ["", "", ""] and rows["note"].tolist() == [GARBLED_NOTE] * 3
    assert rows["text_raw"].iloc[1] == "锟斤拷锟斤拷锟斤拷锟斤拷"
    assert (summary.garbled, summary.empty, summary.totals_rows) == (3, 1, 1)
    assert counted_mask(df).sum() == 4


def test_counted_mask_leaves_a_noted_garbled_row_out():
    df = pd.DataFrame({"text": ["宽带总掉线", "瀹藉甫"], "note": ["", GARBLED_NOTE]})
    assert counted_mask(df).tolist() == [True, False]


def test_voc_tag_summary_counts_review_as_the_report_does(data_dir, tmp_path):
    """'N need review' counted the empty, totals and garbled rows (flagged for their placeholder labels), while
    the report's 需复核 counts only the statements it counts: both now count the counted statements flagged."""
    out = tmp_path / "tagged.csv"
    res = CliRunner().invoke(main, ["tag", str(data_dir / EXPORT), "-o", str(out), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    counted_review = int((counted_mask(df.rename(columns={"投诉内容": "text"}))
                          & df["needs_review"].eq("True")).sum())
    assert f"({counted_review} of the counted statements need review" in res.output
    assert "1 empty row, not counted" in res.output
    assert "3 rows whose text looks garbled" in res.output and "--encoding" in res.output
    assert TOTALS_NOTE in res.output


def test_voc_analyze_report_says_how_many(data_dir, tmp_path):
    res = CliRunner().invoke(main, ["analyze", str(data_dir / EXPORT), "-o", str(tmp_path / "a"), "--jobs", "1",
                                    "-q"])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    assert "乱码行 3 条" in page and "乱码 3（不计" in page
    assert "计入统计的陈述中需复核" in page

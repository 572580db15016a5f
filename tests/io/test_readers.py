import json

import pandas as pd
import pytest

from voiceofcustomer.errors import BadRowError, ColumnError, InputError
from voiceofcustomer.io.readers import detect_encoding, open_table

ROWS = [("GD001", "2026-08-01", "宽带晚上总掉线，要求上门检修"), ("GD002", "2026-08-02", "营业厅排队一个小时"),
        ("", "2026-08-03", "话费多扣了30元")]


def _csv(path, encoding="utf-8", sep=","):
    lines = [sep.join(["工单编号", "受理时间", "投诉内容"])] + [sep.join(r) for r in ROWS]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _all(source):
    return pd.concat(list(source.chunks()), ignore_index=True)


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")])
def test_csv_encodings_are_detected(tmp_path, encoding, expected):
    path = _csv(tmp_path / "t.csv", encoding)
    assert detect_encoding(path) == expected
    src = open_table(path)
    df = _all(src)
    assert src.text_col == "投诉内容" and src.id_col == "工单编号"
    assert df["投诉内容"].tolist() == [r[2] for r in ROWS]


def test_missing_id_gets_stable_file_row_id(tmp_path):
    df = _all(open_table(_csv(tmp_path / "t.csv")))
    assert df["ticket_id"].tolist() == ["GD001", "GD002", "t:3"]
    assert df["_row"].tolist() == [1, 2, 3]


def test_tsv(tmp_path):
    df = _all(open_table(_csv(tmp_path / "t.tsv", sep="\t")))
    assert len(df) == 3 and df.loc[1, "投诉内容"] == "营业厅排队一个小时"


def test_encoding_override(tmp_path):
    path = _csv(tmp_path / "t.csv", "gbk")
    with pytest.raises(InputError, match="encoding='gbk'"):
        _all(open_table(path, encoding="utf-8"))
    assert len(_all(open_table(path, encoding="gbk"))) == 3
    # the advice is the encoding the file's bytes suggest, not a fixed other one (QA: a GBK export
    # given --encoding big5 was told to try utf-8)
    with pytest.raises(InputError, match="cannot decode as big5; try encoding='gbk'"):
        _all(open_table(path, encoding="big5"))
    utf8 = tmp_path / "u.csv"
    utf8.write_text("编号,投诉内容\nA1,宽带晚上老掉线，报修三天没人来\n", encoding="utf-8")
    with pytest.raises(InputError, match="try encoding='utf-8'"):
        _all(open_table(utf8, encoding="gbk"))


def test_xlsx_and_sheet_choice(tmp_path):
    path = tmp_path / "t.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame(ROWS, columns=["工单编号", "受理时间", "投诉内容"]).to_excel(xw, sheet_name="工单", index=False)
        pd.DataFrame({"x": [1]}).to_excel(xw, sheet_name="说明", index=False)
    with pytest.raises(InputError, match="choose one with sheet="):
        open_table(path)
    df = _all(open_table(path, sheet="工单"))
    assert df["投诉内容"].tolist()[0] == ROWS[0][2] and len(df) == 3


def test_parquet_and_jsonl(tmp_path):
    frame = pd.DataFrame(ROWS, columns=["id", "date", "content"])
    frame.to_parquet(tmp_path / "t.parquet")
    src = open_table(tmp_path / "t.parquet", chunksize=2)
    chunks = list(src.chunks())
    assert [len(c) for c in chunks] == [2, 1] and src.text_col == "content"
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps(dict(zip(frame.columns, r)), ensure_ascii=False)
                                                for r in ROWS), encoding="utf-8")
    assert _all(open_table(tmp_path / "t.jsonl"))["content"].tolist() == [r[2] for r in ROWS]


@pytest.mark.parametrize("values, kind", [([["宽带", "断网"], ["收费"]], "list<"), ([{"x": 1}, {"x": 2}], "struct<"),
                                          ([b"\xe5\xae\xbd", b"x"], "binary")])
def test_parquet_text_column_of_lists_records_or_bytes_is_refused(tmp_path, values, kind):
    """QA (bad-input sweep): a Parquet file whose text column holds lists was tagged with each cell's Python
    spelling (['宽带' '断网']) as the text, and that was written back in place of the user's value."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a", "b"], "content": values}), tmp_path / "t.parquet")
    with pytest.raises(ColumnError, match=rf"t.parquet: column 'content' holds {kind}.* values, not text; give the "
                                          r"column that holds the text with text_col=.*columns are: id, content"):
        open_table(tmp_path / "t.parquet")
    assert _all(open_table(tmp_path / "t.parquet", text_col="id"))["id"].tolist() == ["a", "b"]


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_two_columns_with_the_name_of_the_text_or_id_column_are_not_guessed_between(tmp_path, ext):
    """QA (bad-input sweep): an export with two columns named 投诉内容 was labelled on the first, silently; the
    second went through as 投诉内容_2 (the same for two 工单编号: the ids were the first's)."""
    path = tmp_path / f"t.{ext}"
    frame = pd.DataFrame([["G1", "（见附件）", "宽带断网三天"], ["G2", "（见附件）", "话费多扣"]])
    header = ["工单编号", "投诉内容", "投诉内容"]
    if ext == "csv":
        path.write_text(",".join(header) + "\n" + frame.to_csv(index=False, header=False), encoding="utf-8")
    else:
        frame.set_axis(header, axis=1).to_excel(path, index=False)
    with pytest.raises(ColumnError, match=r"t\.(csv|xlsx): columns 2 and 3 are both named '投诉内容', so which holds "
                                          r"the text is not clear; rename one in the file, or give text_col='投诉内容' "
                                          r"for the first or text_col='投诉内容_2' for the second"):
        open_table(path)
    assert _all(open_table(path, text_col="投诉内容_2"))["投诉内容_2"].tolist() == ["宽带断网三天", "话费多扣"]
    assert open_table(path, text_col="投诉内容").text_col == "投诉内容"  # given: the first, as asked

    ids = tmp_path / "ids.csv"
    ids.write_text("工单编号,工单编号,投诉内容\nG1,H1,宽带断网\n", encoding="utf-8")
    with pytest.raises(ColumnError, match=r"columns 1 and 2 are both named '工单编号', so which holds the id"):
        open_table(ids)
    assert open_table(ids, id_col="工单编号_2").id_col == "工单编号_2"


@pytest.mark.parametrize("ext", ["csv", "xlsx", "parquet"])
def test_a_text_column_of_numbers_only_is_not_the_text(tmp_path, ext):
    """QA (bad-input sweep): an export whose 投诉内容 held numbers only (an id or amount column under that name)
    was labelled none/other in every row with no word said."""
    path = tmp_path / f"t.{ext}"
    frame = pd.DataFrame({"工单编号": ["G1", "G2", "G3"], "投诉内容": ["1000", " 2026-06-01 ", ""]})
    {"csv": lambda: frame.to_csv(path, index=False), "xlsx": lambda: frame.to_excel(path, index=False),
     "parquet": lambda: frame.to_parquet(path)}[ext]()
    with pytest.raises(ColumnError, match=r"t\.\w+: column '投诉内容' holds no words, only numbers \(e\.g\. '1000', "
                                          r"in all 2 rows with a value\), so it is not the text; give the column "
                                          r"that holds the text with text_col=; nothing was written; columns are: "
                                          r"工单编号, 投诉内容"):
        _all(open_table(path))
    assert len(_all(open_table(path, text_col="投诉内容"))) == 3  # given: read as given
    frame.loc[2, "投诉内容"] = "宽带断网"  # one text with words: the column is the text, its numbers are rows
    {"csv": lambda: frame.to_csv(path, index=False), "xlsx": lambda: frame.to_excel(path, index=False),
     "parquet": lambda: frame.to_parquet(path)}[ext]()
    assert len(_all(open_table(path, chunksize=1))) == 3


def test_a_text_column_of_punctuation_or_emoji_only_is_read(tmp_path):
    """Posts of only "，" or "😀" are posts, not numbers: the numbers-only check refused them ("holds no
    words, only numbers (e.g. '，')"), and every row of a valid CSV was lost to one line (found by the
    soak run of tests/io/test_fuzz.py)."""
    path = tmp_path / "t.csv"
    pd.DataFrame({"工单编号": ["G1", "G2", "G3"], "投诉内容": ["，", "😀", "。。"]}).to_csv(path, index=False)
    assert _all(open_table(path))["投诉内容"].tolist() == ["，", "😀", "。。"]


@pytest.mark.parametrize("ext", ["xlsx", "docx"])
def test_a_zip_of_other_files_or_text_named_as_an_office_file_says_what_it_is(tmp_path, ext):
    """QA (bad-input sweep): a zip holding a CSV, named .docx or .xlsx, was 'cannot open as a Word .docx file
    (KeyError); save it again as .docx' — the file is no document to save again."""
    import zipfile

    from voiceofcustomer.io.transcript import read_transcript

    read = open_table if ext == "xlsx" else read_transcript
    what = "an Excel workbook" if ext == "xlsx" else "a Word document"
    path = tmp_path / f"t.{ext}"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("data.csv", "工单编号,投诉内容\nG1,宽带断网\n")
    with pytest.raises(InputError, match=rf"t\.{ext}: is a zip archive of other files \(data\.csv\), not {what}; "
                                         r"unzip it and give the file inside"):
        read(path)
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(InputError, match=rf"t\.{ext}: is a damaged or incomplete zip file, not {what}"):
        read(path)
    if ext == "docx":
        path.write_text("主持人：大家好\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"t\.docx: is text, not a Word document; if it is a transcript or CSV, "
                                             r"rename it to \.txt or \.csv"):
            read(path)


@pytest.mark.parametrize("ext", ["csv", "xlsx", "parquet", "txt"])
def test_a_column_named_text_is_read_as_given_even_of_numbers_only(tmp_path, ext):
    """A table whose column is named text (the tool's own name, which the user chose) was refused as 'holds no
    words, only numbers' when it had no statement_id, and read when it had one; a .txt of numbers was refused
    with 'give the column that holds the text', naming the one column it has (nothing-lost QA pass, item 3)."""
    from voiceofcustomer.statements import open_statements

    path = tmp_path / f"nums.{ext}"
    frame = pd.DataFrame({"id": ["1", "2"], "text": ["1000", "2000"]})
    {"csv": lambda: frame.to_csv(path, index=False), "xlsx": lambda: frame.to_excel(path, index=False),
     "parquet": lambda: frame.to_parquet(path),
     "txt": lambda: path.write_text("1000\n2000\n", encoding="utf-8")}[ext]()
    assert _all(open_table(path))["text"].tolist() == ["1000", "2000"]
    # open_statements' fallback (no statement_id: the table is read as an export) reads it as a voc split table's
    assert open_statements(path).read()["text"].tolist() == ["1000", "2000"]
    if ext != "txt":  # the same numbers under an export's name are still a wrong guess
        frame.rename(columns={"text": "content"}).pipe(
            lambda f: {"csv": lambda: f.to_csv(path, index=False), "xlsx": lambda: f.to_excel(path, index=False),
                       "parquet": lambda: f.to_parquet(path)}[ext]())
        with pytest.raises(ColumnError, match="column 'content' holds no words, only numbers"):
            open_statements(path).read()


def test_txt_one_ticket_per_line(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("第一条投诉\n\n第二条投诉\n", encoding="utf-8")
    df = _all(open_table(path))
    assert df["text"].tolist() == ["第一条投诉", "第二条投诉"] and df["_row"].tolist() == [1, 3]


def test_txt_saved_by_excel_as_unicode_text_is_a_table(tmp_path):
    """QA (a complaint team's export): Excel's 另存为 "Unicode 文本" writes a .txt in UTF-16 with tab-separated
    columns. It was read as one ticket per line: the header line became a ticket and every ticket's text
    was its whole line, id, date and city included."""
    from pathlib import Path

    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    path = Path(__file__).parents[1] / "data" / "tickets_excel_unicode_text.txt"
    src = open_table(path)
    df = _all(src)
    assert (src.kind, src.text_col, src.id_col) == ("tsv", "投诉内容", "工单编号")
    assert df["ticket_id"].tolist() == [f"TS202611010{i}" for i in range(1, 7)]
    assert df["投诉内容"].tolist() == ["家里信号只有一格，打电话老是断", "宽带晚上八点以后就掉线", "光猫亮红灯\n两天上不了网", "",
                                   '说好"48小时"回电，一周没人联系', "这个月话费多扣了五十块"]
    assert df["地市"].tolist()[:2] == ["广州", "深圳"]
    out = tmp_path / "st.csv"
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert pd.read_csv(out, dtype=str, keep_default_na=False)["ticket_id"].unique().tolist() == df["ticket_id"].tolist()


def test_txt_with_tabs_but_no_header_of_columns_stays_one_ticket_per_line(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("宽带坏了\t请尽快处理\n信号差\t已经第二次投诉\n", encoding="utf-8")
    assert _all(open_table(path))["text"].tolist() == ["宽带坏了\t请尽快处理", "信号差\t已经第二次投诉"]
    path.write_text("编号\t正文\nA1\t宽带坏了\n", encoding="utf-8")  # columns, but none is the text: lines
    assert _all(open_table(path))["text"].tolist() == ["编号\t正文", "A1\t宽带坏了"]
    assert _all(open_table(path, text_col="正文"))["正文"].tolist() == ["宽带坏了"]


def test_a_wrongly_guessed_encoding_is_named_when_no_text_column_is_found(tmp_path):
    """QA: a Big5 export is read as GB18030 (it decodes), its column names come out garbled, and the message
    only said to give --text-col. It now names the encoding it guessed and says to give the right one."""
    from pathlib import Path

    path = Path(__file__).parents[1] / "data" / "tickets_big5.csv"
    with pytest.raises(ColumnError, match=r"; the file was read as gb18030 \(detected\): if these names look "
                                          r"garbled, give its encoding \(e\.g\. encoding='big5'\)$"):
        open_table(path)
    # the encoding given: the names are right, and 投訴內容 is a known name of the text column
    assert open_table(path, encoding="big5").text_col == "投訴內容"
    assert _all(open_table(path, encoding="big5", text_col="投訴內容"))["投訴內容"].tolist()[0] == "家裡訊號只有一格，電話常常斷線"
    utf8 = tmp_path / "u.csv"
    utf8.write_text("编号,正文\n1,宽带坏了\n", encoding="utf-8")
    with pytest.raises(ColumnError) as plain:
        open_table(utf8)
    assert "detected" not in str(plain.value)


def test_explicit_and_ambiguous_text_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("编号,内容,问题描述\n1,a,b\n", encoding="utf-8")
    with pytest.raises(ColumnError, match="text_col=; columns are: 编号, 内容, 问题描述"):
        open_table(path)
    assert open_table(path, text_col="问题描述").text_col == "问题描述"
    with pytest.raises(ColumnError, match="no column '正文'"):
        open_table(path, text_col="正文")


def test_no_known_text_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ColumnError, match="columns are: a, b"):
        open_table(path)


@pytest.mark.parametrize("content, match", [(b"", "empty"), (b"\x00\x01\x02\x03binary\x00", "binary"),
                                            (b"PK\x03\x04zipdata", "zip/Excel")])
def test_bad_files(tmp_path, content, match):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=match):
        open_table(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        open_table(tmp_path / "nope.csv")


def test_malformed_row_is_reported_or_skipped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("编号,内容\n1,好的\n2,有,三个字段\n3,最后一行\n", encoding="utf-8")
    with pytest.raises(BadRowError, match="line 3: has 3 fields, expected 2"):
        _all(open_table(path))
    src = open_table(path, on_bad_rows="skip")
    df = _all(src)
    assert df["内容"].tolist() == ["好的", "最后一行"]
    assert src.bad_rows == [(3, "has 3 fields, expected 2 (编号, 内容)")]


def _workbook(path, sheets):
    with pd.ExcelWriter(path) as xw:
        for name in sheets:
            pd.DataFrame({"编号": [f"{path.stem}-{name}-1"], "内容": [f"{name}：宽带很慢"]}).to_excel(
                xw, sheet_name=name, index=False)
    return path


def test_file_colon_sheet_picks_that_workbooks_sheet(tmp_path):
    """`FILE.xlsx:SHEET` names one workbook's sheet and wins over --sheet (which applies to every workbook)."""
    from voiceofcustomer.io.readers import input_sheet

    a = _workbook(tmp_path / "a.xlsx", ["投诉", "说明"])
    assert input_sheet(f"{a}:说明", "投诉") == (a, "说明")
    assert input_sheet(a, "投诉") == (a, "投诉")
    odd = tmp_path / "b.xlsx:x"  # a file really named so stays that file
    odd.write_bytes(b"x")
    assert input_sheet(odd) == (odd, None)
    assert _all(open_table(f"{a}:说明", sheet="投诉"))["内容"].tolist() == ["说明：宽带很慢"]
    with pytest.raises(InputError) as err:
        open_table(f"{a}:咨询")
    assert str(err.value) == f"{a}: no sheet '咨询'; its sheets are: 投诉, 说明"


def test_sheet_missing_in_one_of_several_workbooks_names_that_file_and_its_sheets(tmp_path):
    b = _workbook(tmp_path / "b.xlsx", ["Sheet1"])
    with pytest.raises(InputError) as err:
        open_table(b, sheet="投诉")
    assert str(err.value) == (f"{b}: no sheet '投诉'; its sheets are: Sheet1; sheet= applies to every workbook "
                              f"given: name this file's sheet as {b}:SHEET")


@pytest.mark.parametrize("columns, text", [
    (["工单号", "客户诉求", "地市"], "客户诉求"),          # another ticket system's name
    (["編號", "投訴內容"], "投訴內容"),                    # Traditional characters
    (["工单编号", "投诉内容", "工单描述"], "投诉内容"),      # a usual name wins: such a table reads as before
])
def test_more_names_of_the_text_column(tmp_path, columns, text):
    # QA (a complaint team): 客户诉求, 工单描述, 问题详情 and Traditional names were "no column with a
    # known name", though the table has one text column
    path = tmp_path / "t.csv"
    pd.DataFrame([[f"{c}{i}" if c != text else "宽带晚上老掉线" for c in columns] for i in range(2)],
                 columns=columns).to_csv(path, index=False)
    assert open_table(path).text_col == text

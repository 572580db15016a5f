import re

import docx
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import ColumnError, DataQualityError, InputError
from voiceofcustomer.gap.analysis import read_codebook
from voiceofcustomer.items.survey import (
    DEMOGRAPHICS,
    SCALE_LABELS,
    WJX_PAGE_BREAK,
    build_survey,
    expectation_form,
    load_reviewed,
    parse_formats,
)

# A review sheet as voc items writes it, after a designer went through it.
ROWS = [
    # item_id, servqual, e_text, p_text, decision, edited_text, reverse
    ("R01", "reliability", "优秀的电信运营商应当提供稳定的宽带", "该运营商提供稳定的宽带", "accept", "", "false"),
    ("T01", "tangibles", "优秀的营业厅应当整洁明亮", "该营业厅整洁明亮", "接受", "", ""),
    ("S01", "responsiveness", "优秀的电信运营商应当快速上门维修", "该运营商快速上门维修", "reject", "", ""),
    ("A01", "assurance", "优秀的营业厅应当准确解释资费", "该营业厅准确解释资费", "edit", "该营业厅的员工能准确解释资费", ""),
    ("M01", "empathy", "优秀的营业厅应当营业时间方便", "该营业厅营业时间方便", "", "", ""),
    ("R02", "可靠性", "优秀的电信运营商应当账单准确", "该运营商账单准确", "修改",
     "E: 优秀的电信运营商应当\n每月账单准确无误\nP: 该运营商每月账单准确无误", "true"),
    ("S02", "responsiveness", "优秀的电信运营商应当及时回复投诉", "该运营商及时回复投诉", "拒绝", "", ""),
    ("T02", "tangibles", "优秀的营业厅应当有舒适的座椅", "该营业厅有舒适的座椅", "Accept ", "P: 该营业厅的等候座椅舒适", ""),
]
COLUMNS = ["item_id", "servqual", "e_text", "p_text", "decision", "edited_text", "reverse"]
REJECTED = ["优秀的电信运营商应当快速上门维修", "该运营商快速上门维修", "优秀的电信运营商应当及时回复投诉",
            "该运营商及时回复投诉", "优秀的营业厅应当营业时间方便", "该营业厅营业时间方便"]
REPLACED = ["优秀的营业厅应当准确解释资费", "该营业厅准确解释资费", "优秀的电信运营商应当账单准确",
            "该运营商账单准确", "该营业厅有舒适的座椅"]
FINAL = {  # item_id: (dimension, e_text, p_text)
    "T01": ("tangibles", "优秀的营业厅应当整洁明亮", "该营业厅整洁明亮"),
    "T02": ("tangibles", "优秀的营业厅应当有舒适的座椅", "该营业厅的等候座椅舒适"),
    "R01": ("reliability", "优秀的电信运营商应当提供稳定的宽带", "该运营商提供稳定的宽带"),
    "R02": ("reliability", "优秀的电信运营商应当每月账单准确无误", "该运营商每月账单准确无误"),
    "A01": ("assurance", "优秀的营业厅应当做到员工能准确解释资费", "该营业厅的员工能准确解释资费"),
}


def _workbook(path, rows=ROWS, columns=COLUMNS, extra_sheet=True):
    df = pd.DataFrame([r[: len(columns)] for r in rows], columns=columns)
    df["theme"], df["support"], df["evidence"] = "排队", 3, "s1: 排队太久"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        df.to_excel(xw, sheet_name="items", index=False)
        if extra_sheet:  # voc items writes coverage/scale/readme sheets too
            pd.DataFrame({"说明": ["…"]}).to_excel(xw, sheet_name="readme", index=False)
    return path


@pytest.fixture
def reviewed(tmp_path):
    return _workbook(tmp_path / "items.xlsx")


@pytest.fixture
def runner():
    return CliRunner()


def _docx_text(path):
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return "\n".join(parts), d


def _wjx_questions(text):
    """Parse the wjx text the way wjx's importer reads it: numbered title lines with a
    [type] tag, body lines up to the next blank line, page breaks and section lines."""
    blocks, current = [], None
    for line in text.splitlines():
        m = re.match(r"^(\d+)\. (.+)\[(\S+?)\]$", line)
        if m:
            current = {"number": int(m.group(1)), "title": m.group(2), "type": m.group(3), "body": []}
            blocks.append(current)
        elif not line.strip():
            current = None
        elif current is not None:
            current["body"].append(line)
    return blocks


def test_load_reviewed_keeps_accepted_and_edited_with_new_wording(reviewed):
    items = load_reviewed(reviewed)
    assert list(items["item_id"]) == ["T01", "T02", "R01", "R02", "A01"]  # taxonomy order, then sheet order
    assert list(items["number"]) == [1, 2, 3, 4, 5]
    for item_id, (dim, e, p) in FINAL.items():
        row = items.set_index("item_id").loc[item_id]
        assert (row["dimension"], row["e_text"], row["p_text"]) == (dim, e, p)
    assert items.set_index("item_id")["reverse"].to_dict() == {"T01": False, "T02": False, "R01": False,
                                                              "R02": True, "A01": False}
    assert set(items.loc[items["wording"] == "edited", "item_id"]) == {"A01", "R02", "T02"}


@pytest.mark.parametrize("p_text, e_text", [
    ("该营业厅整洁明亮", "优秀的营业厅应当整洁明亮"),
    ("该运营商提供稳定的宽带", "优秀的电信运营商应当提供稳定的宽带"),
    ("该公司会及时通知停机", "优秀的电信运营商应当及时通知停机"),
    ("该营业厅的环境整洁舒适", "优秀的营业厅应当做到环境整洁舒适"),
    ("营业厅整洁明亮", None),
    ("该营业厅", None),
])
def test_expectation_form_rule(p_text, e_text):
    assert expectation_form(p_text) == e_text


def test_build_all_formats(reviewed, tmp_path):
    items = load_reviewed(reviewed)
    out = build_survey(items, tmp_path / "survey", "docx,wjx,csv")
    assert set(out) == {"docx", "wjx", "codebook", "responses_template"}
    assert all(p.exists() for p in out.values())
    assert not list((tmp_path / "survey").glob(".*.tmp"))  # atomic writes leave no temp files


def test_a_rerun_leaves_one_runs_questionnaire_and_the_users_own_files(reviewed, tmp_path, monkeypatch):
    """A rerun with fewer formats removed nothing: questionnaire.docx of the earlier items stayed beside
    the new codebook, and would have been fielded and analysed with the wrong one (found in QA)."""
    out_dir = tmp_path / "survey"
    build_survey(load_reviewed(reviewed), out_dir, "docx,wjx,csv")
    (out_dir / "notes.txt").write_text("mine", encoding="utf-8")
    out = build_survey(load_reviewed(reviewed), out_dir, "csv")
    assert set(out) == {"codebook", "responses_template"} and all(p.parent == out_dir for p in out.values())
    assert not (out_dir / "questionnaire.docx").exists() and not (out_dir / "questionnaire_wjx.txt").exists()
    assert (out_dir / "notes.txt").read_text(encoding="utf-8") == "mine"
    before = (out_dir / "codebook.csv").read_bytes()

    import voiceofcustomer.items.survey as survey

    def broken(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(survey, "wjx_text", broken)  # fails after the docx is written
    with pytest.raises(OSError):
        build_survey(load_reviewed(reviewed), out_dir, "docx,wjx,csv")
    assert not (out_dir / "questionnaire.docx").exists()  # nothing of the failed run
    assert (out_dir / "codebook.csv").read_bytes() == before
    assert sorted(p.name for p in out_dir.iterdir() if not p.name.startswith(".")) == \
        ["codebook.csv", "notes.txt", "responses_template.csv"]


def test_docx_has_every_final_item_and_no_rejected_or_replaced_wording(reviewed, tmp_path):
    out = build_survey(load_reviewed(reviewed), tmp_path, ["docx"])
    text, doc = _docx_text(out["docx"])
    for _, e, p in FINAL.values():
        assert e in text and p in text
    for gone in REJECTED + REPLACED:
        assert gone not in text, gone
    e_table, p_table, w_table = doc.tables
    for table, col in ((e_table, 1), (p_table, 2)):
        assert len(table.rows) == 1 + len(FINAL) and len(table.columns) == 9  # no., statement, 1–7
        assert [r.cells[1].text for r in table.rows[1:]] == [FINAL[i][col] for i in ["T01", "T02", "R01", "R02", "A01"]]
    # points over the three dimensions the items measure (no responsiveness or empathy item was accepted)
    assert [w_table.cell(r, 0).text for r in range(len(w_table.rows))] == ["方面", "有形性", "可靠性", "保证性", "合计"]
    assert w_table.cell(4, 2).text == "100"
    for name, question, options in DEMOGRAPHICS:
        assert question in text
        assert all(o in text for o in options or [])


def test_wjx_structure(reviewed, tmp_path):
    out = build_survey(load_reviewed(reviewed), tmp_path, ["wjx"], ask_store=False)
    text = out["wjx"].read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    questions = _wjx_questions(text)
    assert [q["number"] for q in questions] == list(range(1, len(questions) + 1))  # continuous numbering
    types = [q["type"] for q in questions]
    assert types == ["矩阵量表题", "矩阵量表题", "比重题"] + ["单选题"] * 4 + ["填空题"]
    e_matrix, p_matrix, weights = questions[:3]
    for matrix, col in ((e_matrix, 1), (p_matrix, 2)):
        columns = matrix["body"][0].split()
        assert columns == list(SCALE_LABELS) and len(columns) == 7
        rows = matrix["body"][1:]
        assert sorted(rows) == sorted(v[col] for v in FINAL.values())  # each item exactly once
    assert [b.split("：")[0] for b in weights["body"]] == ["有形性", "可靠性", "保证性"]  # the measured ones
    assert text.count(WJX_PAGE_BREAK) == 3
    assert text.count("[段落说明]") == 4
    for gone in REJECTED + REPLACED:
        assert gone not in text
    for q, (_, _, options) in zip(questions[3:], DEMOGRAPHICS):
        assert q["body"] == list(options or [])
        assert all(" " not in o for o in q["body"])  # wjx splits option lines at spaces


def test_wjx_lines_cannot_break_the_format(tmp_path):
    rows = [("T01", "tangibles", "优秀的营业厅应当[整洁]\n明亮", "该营业厅 [整洁]\n明亮", "accept", "", "")]
    out = build_survey(load_reviewed(_workbook(tmp_path / "i.xlsx", rows)), tmp_path, "wjx", ask_store=False)
    questions = _wjx_questions(out["wjx"].read_text(encoding="utf-8"))
    assert questions[0]["body"][1:] == ["优秀的营业厅应当〔整洁〕 明亮"]
    assert questions[1]["body"][1:] == ["该营业厅 〔整洁〕 明亮"]


def test_codebook_and_template(reviewed, tmp_path):
    out = build_survey(load_reviewed(reviewed), tmp_path, ["csv"])
    assert set(out) == {"codebook", "responses_template"}
    raw = out["codebook"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    cb = pd.read_csv(out["codebook"], encoding="utf-8-sig", dtype=str)
    assert list(cb.columns) == ["item_id", "dimension", "e_text", "p_text", "reverse"]
    assert list(cb["item_id"]) == ["T01", "T02", "R01", "R02", "A01"]
    assert list(cb["reverse"]) == ["false", "false", "false", "true", "false"]
    assert read_codebook(out["codebook"])["reverse"].tolist() == [False, False, False, True, False]  # voc gap reads it
    header = pd.read_csv(out["responses_template"], encoding="utf-8-sig").columns.tolist()
    ids = ["T01", "T02", "R01", "R02", "A01"]
    assert header == (["respondent_id", "营业厅"] + [f"E_{i}" for i in ids] + [f"P_{i}" for i in ids]
                      + ["W_tangibles", "W_reliability", "W_assurance"] + ["客户类型", "年龄段", "使用年限", "主要办理渠道", "所在区县"])


def test_codebook_neutralizes_formulas(tmp_path):
    rows = [("T01", "tangibles", "-1+2 优秀的营业厅应当整洁", "@该营业厅整洁", "accept", "", "")]
    out = build_survey(load_reviewed(_workbook(tmp_path / "i.xlsx", rows)), tmp_path, "csv")
    cb = pd.read_csv(out["codebook"], encoding="utf-8-sig", dtype=str)
    assert cb.loc[0, "e_text"] == "'-1+2 优秀的营业厅应当整洁" and cb.loc[0, "p_text"] == "'@该营业厅整洁"


def test_reads_the_workbook_voc_items_writes(tmp_path):
    import openpyxl

    from voiceofcustomer.items.candidates import ITEM_COLUMNS, ItemCandidates, write_items_workbook

    cands = pd.DataFrame([{c: "" for c in ITEM_COLUMNS} | {"item_id": i, "servqual": d, "e_text": e, "p_text": p,
                                                            "support": 2, "share": 0.1}
                          for i, d, e, p, *_ in ROWS[:3]])
    path = write_items_workbook(ItemCandidates(items=cands, coverage=pd.DataFrame({"servqual": []})),
                                tmp_path / "items.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["items"]
    col = {c.value: c.column for c in sheet[1]}
    sheet.cell(2, col["decision"], "accept")
    sheet.cell(3, col["decision"], "edit")
    sheet.cell(3, col["edited_text"], "该营业厅的地面干净")
    book.save(path)
    items = load_reviewed(path)
    assert list(items["item_id"]) == ["T01", "R01"]
    assert items.loc[0, "e_text"] == "优秀的营业厅应当做到地面干净"


def test_single_sheet_and_csv_inputs(tmp_path):
    single = _workbook(tmp_path / "single.xlsx", extra_sheet=False)
    assert len(load_reviewed(single)) == 5
    pd.DataFrame([r for r in ROWS], columns=COLUMNS).to_csv(tmp_path / "r.csv", index=False, encoding="gbk")
    assert list(load_reviewed(tmp_path / "r.csv")["item_id"]) == ["T01", "T02", "R01", "R02", "A01"]


@pytest.mark.parametrize("rows, columns, error, words", [
    (ROWS, ["item_id", "e_text", "p_text", "edited_text"], ColumnError, ["servqual", "decision"]),
    ([r[:4] + ("reject",) + r[5:] for r in ROWS], COLUMNS, DataQualityError, ["no item is accepted", "accept/edit"]),
    ([("X1", "tangibles", "e", "p", "edit", "", "")], COLUMNS, DataQualityError, ["X1", "edited_text is empty"]),
    ([("X1", "tangibles", "e", "p", "maybe", "", "")], COLUMNS, DataQualityError, ["row 2", "'maybe'", "accept"]),
    ([("X1", "quality", "e", "p", "accept", "", "")], COLUMNS, DataQualityError, ["X1", "'quality'", "tangibles"]),
    ([("X1", "none", "e", "p", "accept", "", "")], COLUMNS, DataQualityError, ["X1", "'none'"]),
    ([("X1", "tangibles", "e", "p", "accept", "", "maybe")], COLUMNS, DataQualityError, ["X1", "reverse"]),
    ([("X1", "tangibles", "e", "p", "accept", "", ""), ("X1", "empathy", "e", "p", "edit", "P: 该营业厅好", "")],
     COLUMNS, DataQualityError, ["row 3", "'X1'", "unique"]),
    ([("X1", "tangibles", "e", "p", "edit", "营业厅很好", "")], COLUMNS, DataQualityError, ["X1", "'E: …'"]),
    ([("X1", "tangibles", "e", "p", "edit", "备注\nE: 优秀的营业厅应当好", "")], COLUMNS, DataQualityError,
     ["X1", "mixes"]),
    ([("X1", "tangibles", "e", "p", "edit", "该营业厅好", "")], COLUMNS[:5], ColumnError, ["edited_text"]),
])
def test_load_errors(tmp_path, rows, columns, error, words):
    path = _workbook(tmp_path / "bad.xlsx", rows, columns)
    with pytest.raises(error) as exc:
        load_reviewed(path)
    msg = str(exc.value)
    assert "\n" not in msg and str(path) in msg
    for w in words:
        assert w in msg, (w, msg)


def test_file_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_reviewed(tmp_path / "nope.xlsx")
    (tmp_path / "fake.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(InputError, match="Excel"):
        load_reviewed(tmp_path / "fake.xlsx")
    with pd.ExcelWriter(tmp_path / "two.xlsx") as xw:
        for name in ("a", "b"):
            pd.DataFrame({"x": [1]}).to_excel(xw, sheet_name=name, index=False)
    with pytest.raises(InputError, match="'items'"):
        load_reviewed(tmp_path / "two.xlsx")


def test_parse_formats():
    assert parse_formats("wjx, DOCX") == ["docx", "wjx"]
    with pytest.raises(InputError, match="pdf"):
        parse_formats("docx,pdf")
    with pytest.raises(InputError):
        parse_formats("")


def test_cli_writes_the_chosen_formats(runner, reviewed, tmp_path):
    out = tmp_path / "survey"
    res = runner.invoke(main, ["survey", str(reviewed), "-o", str(out), "--format", "wjx,csv"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir() if p.name != ".voc-outputs.json") == \
        ["codebook.csv", "questionnaire_wjx.txt", "responses_template.csv"]
    assert "5 items (3 with edited wording" in res.output
    res = runner.invoke(main, ["survey", str(reviewed), "-o", str(out), "--title", "某区营业厅服务调查", "-q"])
    assert res.exit_code == 0 and res.output == ""
    assert (out / "questionnaire.docx").exists()
    assert _docx_text(out / "questionnaire.docx")[0].startswith("某区营业厅服务调查")


@pytest.mark.parametrize("args, words", [
    (["--format", "docx,pdf"], ["pdf", "docx,wjx,csv"]),
    ([], ["no item is accepted"]),
])
def test_cli_errors(runner, tmp_path, args, words):
    path = _workbook(tmp_path / "items.xlsx", [r[:4] + ("",) + r[5:] for r in ROWS])
    res = runner.invoke(main, ["survey", str(path), "-o", str(tmp_path / "o"), *args])
    assert res.exit_code == 2
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1
    for w in words:
        assert w in res.output
    assert not (tmp_path / "o").exists()


def test_cli_help_has_example(runner):
    res = runner.invoke(main, ["survey", "--help"])
    assert res.exit_code == 0 and "Example:" in res.output and "voc survey" in res.output


def test_survey_cli_imports_on_its_own():
    import importlib
    import subprocess
    import sys

    code = "import voiceofcustomer.cli.survey as m; print(m.survey_cmd.name)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.strip() == "survey", res.stderr
    assert importlib.import_module("voiceofcustomer.cli.survey").survey_cmd.name == "survey"


def test_store_question_when_items_name_a_store(reviewed, tmp_path):
    """Items say 该营业厅: the survey asks which store (a choice list when given), so gaps per store work."""
    items = load_reviewed(reviewed)
    out = build_survey(items, tmp_path, ["wjx", "csv"], stores=["和平路营业厅", "南开 大学城厅"])
    first = _wjx_questions(out["wjx"].read_text(encoding="utf-8"))[0]
    assert first["type"] == "单选题" and first["body"] == ["和平路营业厅", "南开大学城厅"]
    assert "营业厅" in pd.read_csv(out["responses_template"]).columns
    plain = items.assign(e_text="优秀的电信运营商应当账单准确", p_text="该运营商账单准确")
    out = build_survey(plain, tmp_path / "plain", ["wjx"])
    assert _wjx_questions(out["wjx"].read_text(encoding="utf-8"))[0]["type"] == "矩阵量表题"


def test_docx_is_a4_with_east_asian_fonts(reviewed, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    out = build_survey(load_reviewed(reviewed), tmp_path, ["docx"])
    doc = Document(str(out["docx"]))
    sec = doc.sections[0]
    assert abs(sec.page_width.cm - 21.0) < 0.05 and abs(sec.page_height.cm - 29.7) < 0.05
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert any("哪一家营业厅" in p.text for p in doc.paragraphs)

"""Export: one Excel row per statement with final labels; the .qdpx follows the REFI-QDA project schema
(Project.xsd 1.0, checked structurally: namespace, element order, required attributes, GUIDs, references)."""

import re
import zipfile
from xml.etree import ElementTree as ET

import pandas as pd
import pytest

from voiceofcustomer.errors import InputError
from voiceofcustomer.review.export import QDA_NS, coded_table, export_excel, export_qdpx

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
PROJECT_ORDER = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs",
                 "Description", "NoteRef"]
TEXTSOURCE_ORDER = ["Description", "PlainTextContent", "PlainTextSelection", "Coding", "NoteRef", "VariableValue"]
CASE_ORDER = ["Description", "CodeRef", "VariableValue", "SourceRef", "SelectionRef"]


def q(tag):
    return f"{{{QDA_NS}}}{tag}"


def _in_order(children, order):
    pos = [order.index(c.tag.split("}")[1]) for c in children]
    return pos == sorted(pos)


def _decide(project):
    project.decide("t:1-s01", {"issue": "install_repair"}, "wang")
    project.decide("t:2-s01", {"stance": "suggestion"}, "li")
    project.con.execute("UPDATE statements SET speaker_attrs = '退休教师' WHERE statement_id = 't:1-s01'")


def test_excel_has_final_labels_and_the_quote(project, tmp_path):
    _decide(project)
    out = export_excel(project.path, tmp_path / "coded.xlsx")
    df = pd.read_excel(out).set_index("statement_id")
    assert len(df) == 30
    assert df.loc["t:1-s01", "issue"] == "install_repair" and df.loc["t:1-s01", "model_issue"] == "broadband"
    assert df.loc["t:1-s01", "coders"] == "wang" and bool(df.loc["t:1-s01", "decided"])
    assert df.loc["t:1-s01", "speaker_attrs"] == "退休教师"
    assert df.loc["t:3-s01", "issue"] == df.loc["t:3-s01", "model_issue"] and not bool(df.loc["t:3-s01", "decided"])
    assert df.loc["t:5-s01", "quote"].endswith('onerror="alert(2)">')


def test_qdpx_structure_follows_the_refi_qda_schema(project, tmp_path):
    _decide(project)
    out = export_qdpx(project.path, tmp_path / "coded.qdpx")
    z = zipfile.ZipFile(out)
    root = ET.fromstring(z.read("project.qde"))
    assert root.tag == q("Project") and root.get("name") and GUID.match(root.get("creatingUserGUID"))
    assert _in_order(list(root), PROJECT_ORDER)
    users = {u.get("guid"): u.get("name") for u in root.iter(q("User"))}
    assert set(users.values()) == {"voc-model", "wang", "li"}
    codes = {}
    for c in root.find(q("CodeBook")).find(q("Codes")).iter(q("Code")):
        assert GUID.match(c.get("guid")) and c.get("name") and c.get("isCodable") in ("true", "false")
        codes[c.get("guid")] = c.get("name")
    assert len(codes) == 4 + 6 + 8 + 12 + 4 and len(set(codes)) == len(codes)
    all_guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(all_guids) == len(set(all_guids))
    sources = root.find(q("Sources")).findall(q("TextSource"))
    assert {s.get("name") for s in sources} == {"a.csv", "b.csv"}
    n_sel, coded = 0, {}
    for s in sources:
        assert _in_order(list(s), TEXTSOURCE_ORDER) and s.find(q("PlainTextContent")) is None
        path = s.get("plainTextPath")
        assert path == f"internal://{s.get('guid')}.txt"
        text = z.read(f"Sources/{s.get('guid')}.txt").decode("utf-8")
        for sel in s.findall(q("PlainTextSelection")):
            n_sel += 1
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            assert 0 <= start < end <= len(text)
            assert text[start:end].startswith(("宽带", "营业厅", "话费", "希望", "装维", "客服", "家里", "没经过", "总接到"))
            for coding in sel.findall(q("Coding")):
                assert coding.get("creatingUser") in users
                ref = coding.find(q("CodeRef")).get("targetGUID")
                assert ref in codes
                coded.setdefault(sel.get("name"), []).append((codes[ref], users[coding.get("creatingUser")]))
    assert n_sel == 30
    assert ("issue: install_repair 装机维修", "wang") in coded["t:1-s01"]
    assert ("stance: suggestion 建议/期望", "li") in coded["t:2-s01"]
    assert any(u == "voc-model" for _, u in coded["t:3-s01"])
    cases = root.find(q("Cases"))
    assert cases is not None and all(_in_order(list(c), CASE_ORDER) for c in cases)
    sel_guids = {s.get("guid") for s in root.iter(q("PlainTextSelection"))}
    assert all(r.get("targetGUID") in sel_guids for r in cases.iter(q("SelectionRef")))
    assert any(c.findtext(q("Description")) == "退休教师" for c in cases)
    (var,) = root.find(q("Variables")).findall(q("Variable"))
    assert var.get("name") == "speaker_attrs" and var.get("typeOfVariable") == "Text" and GUID.match(var.get("guid"))
    values = [v for c in cases for v in c.findall(q("VariableValue"))]
    assert [v.find(q("VariableRef")).get("targetGUID") for v in values] == [var.get("guid")]
    assert [v.findtext(q("TextValue")) for v in values] == ["退休教师"]
    # the same project exports the same codes and selections
    again = ET.fromstring(zipfile.ZipFile(export_qdpx(project.path, tmp_path / "again.qdpx")).read("project.qde"))
    assert [e.get("guid") for e in again.iter()] == [e.get("guid") for e in root.iter()]


DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")  # xsd:dateTime, in UTC


def test_an_unchanged_project_exports_the_same_qdpx_byte_for_byte(project, tmp_path):
    """QA (a researcher keeping exports under version control): every export stamped creationDateTime with
    the time of the export, and the zip its entries with it, so an unchanged project gave another file each
    time. The times are the project's own: when it was made, and when each decision was given."""
    import time

    _decide(project)
    first = export_qdpx(project.path, tmp_path / "first.qdpx").read_bytes()
    time.sleep(2.1)  # past a second (the XML's times) and two (a zip entry's)
    second = export_qdpx(project.path, tmp_path / "second.qdpx").read_bytes()
    assert first == second

    made = project.con.execute("SELECT value FROM meta WHERE key = 'created'").fetchone()[0]
    at = dict(project.con.execute("SELECT coder, at FROM decisions"))
    z = zipfile.ZipFile(tmp_path / "first.qdpx")
    root = ET.fromstring(z.read("project.qde"))
    stamped = [e.get("creationDateTime") for e in root.iter() if e.get("creationDateTime")]
    assert stamped and all(DATETIME.match(t) for t in stamped)
    assert root.get("creationDateTime") == made[:19] + "Z"
    assert root.get("modifiedDateTime") == max(at.values())[:19] + "Z"  # the latest decision's
    by_user = {u.get("guid"): u.get("name") for u in root.iter(q("User"))}
    codings = {(sel.get("name"), by_user[c.get("creatingUser")]): c.get("creationDateTime")
               for sel in root.iter(q("PlainTextSelection")) for c in sel.findall(q("Coding"))}
    assert codings[("t:1-s01", "wang")] == at["wang"][:19] + "Z"  # a coder's coding: when it was given
    assert codings[("t:3-s01", "voc-model")] == made[:19] + "Z"  # the model's: when the project was made
    *day, second = (int(x) for x in re.findall(r"\d+", max(at.values())[:19]))
    assert {i.date_time for i in z.infolist()} == {(*day, second - second % 2)}  # a zip keeps even seconds

    project.decide("t:3-s01", {"issue": "billing"}, "wang")  # a change to the coding is a change to the file
    third = export_qdpx(project.path, tmp_path / "third.qdpx").read_bytes()
    assert third != first


def test_a_project_that_records_no_time_exports_the_fixed_one(project, tmp_path):
    from voiceofcustomer.review.export import NO_TIME

    project.con.execute("DELETE FROM meta WHERE key = 'created'")
    root = ET.fromstring(zipfile.ZipFile(export_qdpx(project.path, tmp_path / "x.qdpx")).read("project.qde"))
    assert root.get("creationDateTime") == root.get("modifiedDateTime") == NO_TIME == "1980-01-01T00:00:00Z"


def test_wrong_suffix_is_a_clear_error(project, tmp_path):
    with pytest.raises(InputError, match=".qdpx"):
        export_qdpx(project.path, tmp_path / "x.zip")


def test_theme_ids_are_exported_as_numbers(tmp_path):
    # Found in the QA pass: the noise theme's id -1 (stored as text) reached coded.xlsx and coded.csv
    # as "'-1", guarded as if it were a formula, and made the whole topic column text.
    from test_review_themes import themed_project

    store = themed_project(tmp_path)
    store.close()
    for name in ("coded.xlsx", "coded.csv"):
        out = export_excel(tmp_path / "themes.sqlite", tmp_path / name)
        df = pd.read_excel(out) if name.endswith("xlsx") else pd.read_csv(out)
        assert df["topic"].tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, -1, -1], name
    assert str(coded_table(tmp_path / "themes.sqlite")["topic"].dtype) == "Int64"


def test_a_merged_themes_rows_carry_the_surviving_themes_id_and_name(tmp_path):
    # Issue 11 QA: after 信号 (2) was merged into 宽带 · 掉线 (0) in the themes view, voc export still gave its
    # rows topic 2 and topic_label 信号 beside theme 宽带 · 掉线 — a pivot on topic counted a theme that is gone
    from test_review_themes import themed_project

    from voiceofcustomer.review.themes import ThemeBook

    store = themed_project(tmp_path)
    book = ThemeBook(store)
    book.merge("2", "0", "wang")
    book.rename("0", "宽带故障", "wang")
    book.move("t:6-s01", "0", "wang")  # a statement moved by hand follows too
    store.close()
    for name in ("coded.xlsx", "coded.csv"):
        out = export_excel(tmp_path / "themes.sqlite", tmp_path / name)
        df = pd.read_excel(out) if name.endswith("xlsx") else pd.read_csv(out)
        assert df["topic"].tolist() == [0, 0, 0, 0, 0, 0, 1, 1, 0, 0, -1, -1], name
        assert df["topic_label"].tolist() == ["宽带故障"] * 6 + ["话费 · 扣费"] * 2 + ["宽带故障"] * 2 + ["未归类"] * 2
        assert (df["topic_label"] == df["theme"]).all(), name


# -- a ticket export's own columns ---------------------------------------------------------------------------
TICKETS = __import__("pathlib").Path(__file__).resolve().parents[1] / "data" / "tickets_own_columns.csv"
OWN = ["工单编号", "受理时间", "区县", "渠道", "承办工号", "theme", "投诉内容", "回访满意度"]


@pytest.fixture(scope="module")
def ticket_project(tmp_path_factory):
    """voc tag on a ticket export → a review project (the library, as `voc review` opens it) with one decision."""
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main
    from voiceofcustomer.review.project import open_project

    d = tmp_path_factory.mktemp("tickets")
    res = CliRunner().invoke(main, ["tag", str(TICKETS), "-o", str(d / "tagged.xlsx"), "--jobs", "1", "-q"])
    assert res.exit_code == 0, res.output
    store = open_project([d / "tagged.xlsx"], d / "review.sqlite")
    store.decide("G0102", {"issue": "efficiency"}, "wang")
    store.close()
    return d


def test_voc_tag_keeps_the_exports_columns_in_their_order(ticket_project):
    tagged = pd.read_excel(ticket_project / "tagged.xlsx", dtype=str, keep_default_na=False)
    assert tagged.columns.tolist()[:len(OWN)] == OWN
    assert tagged["承办工号"].tolist() == ["007", "012", "007", "103"]  # as the export wrote them
    assert tagged["区县"].tolist() == ["南开区", "", "河西区", "和平区"]


def test_excel_export_keeps_the_ticket_exports_own_columns(ticket_project, tmp_path):
    # Found by a complaint team: coded.xlsx had the labels but not the export's 受理时间, 区县, 渠道 …, so the
    # coded rows could not go back into their own reports (the review page shows them; the export dropped them).
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    out = tmp_path / "coded.xlsx"
    res = CliRunner().invoke(main, ["export", str(ticket_project / "review.sqlite"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_excel(out, dtype=str, keep_default_na=False)
    cols = df.columns.tolist()
    # voc's own columns first, as before; then the export's, in the export's order, without its text column
    # (投诉内容 is the row's `text`); its `theme` does not replace voc's curated theme
    assert cols[cols.index("text") + 1:] == ["工单编号", "受理时间", "区县", "渠道", "承办工号", "theme_input",
                                             "回访满意度"]
    df = df.set_index("statement_id")
    assert df.loc["G0101", "受理时间"] == "2026-07-01 08:30:00" and df.loc["G0101", "区县"] == "南开区"
    assert df["渠道"].tolist() == ["10000热线", "营业厅", "网上营业厅", "10000热线"]
    assert df["承办工号"].tolist() == ["007", "012", "007", "103"]  # text stays text: the zeros are kept
    assert df.loc["G0102", "区县"] == "" and df.loc["G0102", "回访满意度"] == ""
    assert df["theme_input"].tolist() == ["宽带", "", "资费", ""] and (df["theme"] == "").all()
    assert df.loc["G0102", "issue"] == "efficiency" and df.loc["G0102", "coders"] == "wang"
    assert df.loc["G0103", "text"].startswith("这个月话费")


def test_every_table_format_carries_the_own_columns(ticket_project, tmp_path):
    for name in ("coded.csv", "coded.parquet", "coded.jsonl"):
        out = export_excel(ticket_project / "review.sqlite", tmp_path / name)
        df = {"csv": lambda p: pd.read_csv(p, dtype=str, keep_default_na=False), "parquet": pd.read_parquet,
              "jsonl": lambda p: pd.read_json(p, lines=True, dtype=False)}[name.split(".")[1]](out)
        assert df["受理时间"].tolist()[:2] == ["2026-07-01 08:30:00", "2026-07-01 09:45:00"], name
        assert df["承办工号"].tolist() == ["007", "012", "007", "103"], name


def test_an_older_project_without_the_columns_still_exports(ticket_project, tmp_path):
    import shutil

    from voiceofcustomer.review.store import ReviewStore

    db = shutil.copy(ticket_project / "review.sqlite", tmp_path / "old.sqlite")
    store = ReviewStore(db)
    store.con.execute("UPDATE statements SET extra = NULL")
    store.close()
    df = coded_table(db)
    assert df.columns[-1] == "text" and len(df) == 4 and "受理时间" not in df.columns


def test_qdpx_makes_each_ticket_a_case_with_its_columns(ticket_project, tmp_path):
    out = export_qdpx(ticket_project / "review.sqlite", tmp_path / "coded.qdpx")
    root = ET.fromstring(zipfile.ZipFile(out).read("project.qde"))
    assert _in_order(list(root), PROJECT_ORDER)
    variables = root.find(q("Variables")).findall(q("Variable"))
    assert [v.get("name") for v in variables] == ["工单编号", "受理时间", "区县", "渠道", "承办工号", "theme", "回访满意度"]
    assert all(v.get("typeOfVariable") == "Text" and GUID.match(v.get("guid")) for v in variables)
    name = {v.get("guid"): v.get("name") for v in variables}
    cases = {c.get("name"): c for c in root.find(q("Cases"))}
    assert sorted(cases) == ["G0101", "G0102", "G0103", "G0104"]
    assert all(_in_order(list(c), CASE_ORDER) for c in cases.values())

    def values(case):
        return {name[v.find(q("VariableRef")).get("targetGUID")]: v.findtext(q("TextValue"))
                for v in case.findall(q("VariableValue"))}

    assert values(cases["G0101"]) == {"工单编号": "G0101", "受理时间": "2026-07-01 08:30:00", "区县": "南开区",
                                      "渠道": "10000热线", "承办工号": "007", "theme": "宽带", "回访满意度": "3"}
    assert values(cases["G0102"]) == {"工单编号": "G0102", "受理时间": "2026-07-01 09:45:00", "渠道": "营业厅",
                                      "承办工号": "012"}  # empty cells are no values
    selections = {s.get("guid"): s.get("name") for s in root.iter(q("PlainTextSelection"))}
    assert [selections[r.get("targetGUID")] for r in cases["G0103"].findall(q("SelectionRef"))] == ["G0103"]


# -- themes as codes (issue 11 item 3) ----------------------------------------------------------------------
def _codes_tree(root):
    """{parent code name: {child name: (guid, description, {grandchild name: guid})}} of the code book."""
    out = {}
    for parent in root.find(q("CodeBook")).find(q("Codes")).findall(q("Code")):
        out[parent.get("name")] = {c.get("name"): (c.get("guid"), c.findtext(q("Description")),
                                                   {g.get("name"): g.get("guid") for g in c.findall(q("Code"))})
                                   for c in parent.findall(q("Code"))}
    return out


def _coded_with(root, guids):
    """statement id → the names of the codes in ``guids`` ({guid: name}) its selection is coded with, and by whom."""
    users = {u.get("guid"): u.get("name") for u in root.iter(q("User"))}
    out = {}
    for sel in root.iter(q("PlainTextSelection")):
        for coding in sel.findall(q("Coding")):
            ref = coding.find(q("CodeRef")).get("targetGUID")
            if ref in guids:
                out.setdefault(sel.get("name"), []).append((guids[ref], users[coding.get("creatingUser")]))
    return out


def test_qdpx_carries_the_projects_themes_after_a_merge_and_a_rename(tmp_path):
    # Issue 11 item 3: researchers treat themes as codes, but the .qdpx carried the four label fields only —
    # the themes the team shaped in the themes view (renamed, merged) were in coded.xlsx and nowhere in NVivo
    from test_review_themes import themed_project

    from voiceofcustomer.review.themes import ThemeBook

    store = themed_project(tmp_path)
    book = ThemeBook(store)
    book.merge("2", "0", "wang")  # 信号 into 宽带 · 掉线
    book.rename("0", "宽带故障", "wang")
    book.move("t:8-s01", "0", "li")  # a 话费 statement moved by hand
    store.close()
    root = ET.fromstring(zipfile.ZipFile(export_qdpx(tmp_path / "themes.sqlite", tmp_path / "a.qdpx"))
                         .read("project.qde"))
    tree = _codes_tree(root)
    themes = tree["theme 主题"]
    # the surviving names only: 信号 merged away, 未归类 (noise) is no theme
    assert list(themes) == ["宽带故障", "话费 · 扣费"]
    assert themes["宽带故障"][1] == "theme 0; merged in: 信号 (2)" and themes["话费 · 扣费"][1] == "theme 1"
    parent = root.find(q("CodeBook")).find(q("Codes")).findall(q("Code"))[-1]
    assert parent.get("isCodable") == "false" and all(c.get("isCodable") == "true" for c in parent)
    coded = _coded_with(root, {g: name for name, (g, _, _) in themes.items()})
    # the merged theme's statements are coded with the surviving theme, the moved one with its new theme by its mover
    assert {sid for sid, c in coded.items() if c[0][0] == "宽带故障"} == {
        "t:1-s01", "t:2-s01", "t:3-s01", "t:4-s01", "t:5-s01", "t:8-s01", "t:9-s01", "t:10-s01"}
    assert coded["t:6-s01"] == [("话费 · 扣费", "voc-model")] and coded["t:8-s01"] == [("宽带故障", "li")]
    assert coded["t:9-s01"] == [("宽带故障", "voc-model")]
    assert "t:11-s01" not in coded and "t:12-s01" not in coded  # 未归类: no theme code
    assert all(len(c) == 1 for c in coded.values())
    # each selection keeps its four labels beside the theme
    sel = next(s for s in root.iter(q("PlainTextSelection")) if s.get("name") == "t:9-s01")
    assert len(sel.findall(q("Coding"))) == 5
    assert _in_order(list(root), PROJECT_ORDER)
    all_guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(all_guids) == len(set(all_guids))


def test_qdpx_theme_codes_leave_out_noise_and_follow_an_undo(tmp_path):
    from test_review_themes import themed_project

    from voiceofcustomer.review.themes import ThemeBook

    store = themed_project(tmp_path)
    book = ThemeBook(store)
    book.set_noise("1", True, "wang")
    book.merge("2", "0", "wang")
    book.undo()  # the merge taken back: 信号 is a theme again
    store.close()
    root = ET.fromstring(zipfile.ZipFile(export_qdpx(tmp_path / "themes.sqlite", tmp_path / "a.qdpx"))
                         .read("project.qde"))
    themes = _codes_tree(root)["theme 主题"]
    assert list(themes) == ["宽带 · 掉线", "信号"]  # 话费 · 扣费 marked as noise
    coded = _coded_with(root, {g: name for name, (g, _, _) in themes.items()})
    assert sorted(coded) == ["t:1-s01", "t:10-s01", "t:2-s01", "t:3-s01", "t:4-s01", "t:5-s01", "t:9-s01"]


def test_qdpx_sub_themes_are_codes_under_their_theme(tmp_path):
    # a voc themes output with sub-themes (subtopic 0.1, 0.2): each a code under its theme, its statements coded
    # with both; after 信号 is merged into 宽带 its statements have the theme, and a moved statement no sub-theme
    from voiceofcustomer.review.store import create_project
    from voiceofcustomer.review.themes import ThemeBook

    from review_fixtures import tagged_frame

    df = tagged_frame(12)
    df["topic"] = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, -1, -1]
    df["topic_label"] = df["topic"].map({0: "宽带 · 掉线", 1: "话费 · 扣费", 2: "信号", -1: "未归类"})
    df["subtopic"] = ["0.1", "0.1", "0.1", "0.2", "0.2", "", "", "", "", "", "", ""]
    df["subtopic_label"] = ["晚上掉线"] * 3 + ["修不好"] * 2 + [""] * 7
    store = create_project(df, tmp_path / "themes.sqlite")
    book = ThemeBook(store)
    book.merge("2", "0", "wang")
    book.move("t:5-s01", "1", "wang")
    store.close()
    root = ET.fromstring(zipfile.ZipFile(export_qdpx(tmp_path / "themes.sqlite", tmp_path / "a.qdpx"))
                         .read("project.qde"))
    themes = _codes_tree(root)["theme 主题"]
    assert list(themes["宽带 · 掉线"][2]) == ["晚上掉线", "修不好"] and themes["话费 · 扣费"][2] == {}
    guids = {g: name for name, (g, _, subs) in themes.items()}
    guids.update({g: name for _, (_, _, subs) in themes.items() for name, g in subs.items()})
    coded = _coded_with(root, guids)
    assert [c for c, _ in coded["t:1-s01"]] == ["宽带 · 掉线", "晚上掉线"]
    assert [c for c, _ in coded["t:4-s01"]] == ["宽带 · 掉线", "修不好"]
    assert [c for c, _ in coded["t:5-s01"]] == ["话费 · 扣费"]  # moved out of its sub-theme's theme
    assert [c for c, _ in coded["t:9-s01"]] == ["宽带 · 掉线"]  # merged in, no sub-theme of its own
    sub = next(c for c in root.iter(q("Code")) if c.get("name") == "晚上掉线")
    assert [e.tag for e in sub] == [q("Description")] and sub.findtext(q("Description")) == "sub-theme 0.1"


def test_qdpx_with_themes_exports_the_same_xml_again(tmp_path):
    # the same project gives the same project.qde and sources, but for the time of export (creationDateTime)
    from test_review_themes import themed_project

    from voiceofcustomer.review.themes import ThemeBook

    store = themed_project(tmp_path)
    ThemeBook(store).merge("2", "0", "wang")
    store.close()
    stamp = re.compile(rb'creationDateTime="[^"]*"')
    out = []
    for name in ("a.qdpx", "b.qdpx"):
        z = zipfile.ZipFile(export_qdpx(tmp_path / "themes.sqlite", tmp_path / name))
        out.append({n: stamp.sub(b"", z.read(n)) for n in z.namelist()})
    assert out[0] == out[1]
    assert b"\xe4\xb8\xbb\xe9\xa2\x98" in out[0]["project.qde"]  # 主题


def test_a_focus_groups_export_keeps_its_city_turn_and_question(data_dir, tmp_path):
    """The export of a focus group's project had no city (kept in the project beside the input's columns), no
    turn and no prompt_turn, so coded statements taken to Excel or NVivo could be compared by group but not by
    city, nor read with the moderator question they answer (found exporting written transcripts as a researcher
    would, transcript QA pass)."""
    from voiceofcustomer.labels.taxonomy import FIELDS
    from voiceofcustomer.review.store import create_project
    from voiceofcustomer.text.split import split_inputs

    rows = pd.concat(split_inputs([data_dir / "transcript_small.txt"]), ignore_index=True)
    for f in FIELDS:  # any labels: the export is about the statements' columns
        rows[f], rows[f"{f}_conf"] = {"servqual": "none", "demand": "none", "issue": "other",
                                      "stance": "neutral"}[f], 0.5
    create_project(rows, tmp_path / "review.sqlite").close()
    for name in ("coded.xlsx", "coded.csv"):
        out = export_excel(tmp_path / "review.sqlite", tmp_path / name)
        df = (pd.read_excel(out) if name.endswith("xlsx") else pd.read_csv(out, dtype=str)).set_index("statement_id")
        assert set(df["city"]) == {"天津"}, name
        said = rows.set_index("statement_id")
        assert df["turn"].astype(int).tolist() == said["turn"].astype(int).tolist(), name
        answered = said["prompt_turn"].notna()
        assert answered.any() and (df.loc[answered, "prompt_turn"].astype(float).astype(int).astype(str).tolist()
                                   == said.loc[answered, "prompt_turn"].astype(int).astype(str).tolist()), name
        assert df.loc[~answered, "prompt_turn"].isna().all(), name
    csv = pd.read_csv(tmp_path / "coded.csv", dtype=str)
    assert not csv["prompt_turn"].dropna().str.contains(r"\.").any()  # 3, not 3.0


def test_a_focus_groups_section_and_date_are_voc_splits_beside_the_turn_and_shown_first(data_dir, tmp_path):
    """A transcript's section and session_date (voc split's) were taken for the input's own columns: voc export
    wrote them after the quote and the model's labels, where a ticket export's 受理时间 goes (found checking
    TOOL_COLUMNS against voc split's transcript columns, transcript QA pass). They go beside turn and prompt_turn,
    and voc review still shows them beside the row, before the input's own."""
    from voiceofcustomer.labels.taxonomy import FIELDS
    from voiceofcustomer.review.store import create_project
    from voiceofcustomer.text.split import split_inputs

    rows = pd.concat(split_inputs([data_dir / "transcript_sections.txt"]), ignore_index=True)
    rows["session_date"] = "2026-11-03"
    rows["渠道"] = "座谈会"  # an own column of the input's
    for f in FIELDS:
        rows[f], rows[f"{f}_conf"] = {"servqual": "none", "demand": "none", "issue": "other",
                                      "stance": "neutral"}[f], 0.5
    store = create_project(rows, tmp_path / "review.sqlite")
    said = rows.loc[rows["section"].fillna("") != ""].iloc[0]
    # and the session's title (its header's 座谈会名称) after them, since the title is voc split's column too
    assert [c[0] for c in store.row(said["statement_id"], "wang")["columns"]] == ["section", "session_date",
                                                                                  "session_title", "渠道"]
    store.close()
    df = coded_table(tmp_path / "review.sqlite")
    cols = list(df.columns)
    assert cols[cols.index("prompt_turn") + 1:cols.index("prompt_turn") + 4] == ["section", "session_date",
                                                                                "session_title"]
    assert cols[-1] == "渠道" and "section_input" not in cols
    assert df.set_index("statement_id").loc[said["statement_id"], "section"] == said["section"]


def test_the_export_says_which_rows_count_so_its_theme_counts_are_the_themes_views(tmp_path):
    # Found in a two-coder QA pass: coded.xlsx gave a theme 3 rows where the themes view (and the .qdpx) gave 2:
    # the third was a repeat of a ticket, and moderator turns swelled 未归类, with no column to tell them by
    from test_review_themes import counts, tagged_frame

    from voiceofcustomer.review.store import create_project
    from voiceofcustomer.review.themes import ThemeBook

    df = tagged_frame(12)
    df["topic"] = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, -1, -1]
    df["topic_label"] = df["topic"].map({0: "宽带 · 掉线", 1: "话费 · 扣费", 2: "信号", -1: "未归类"})
    df["is_duplicate"] = False
    df.loc[10, "role"] = "moderator"
    df.loc[4, "is_duplicate"] = True  # a repeat of the ticket before it
    store = create_project(df, tmp_path / "p.sqlite")
    shown = counts(ThemeBook(store))
    store.close()
    for name in ("coded.xlsx", "coded.csv"):
        out = export_excel(tmp_path / "p.sqlite", tmp_path / name)
        got = pd.read_excel(out) if name.endswith("xlsx") else pd.read_csv(out)
        assert got["counted"].tolist() == [True] * 4 + [False] + [True] * 5 + [False, True], name
        pivot = got[got["counted"]].groupby("theme").size().to_dict()
        assert {k: pivot.get(k, 0) for k in shown} == shown, name


def test_qdpx_keeps_each_coders_coding_of_a_statement_two_coders_decided(project, tmp_path):
    # Two-coder QA pass: 王 and 李 coded an overlapping set and the team exported to NVivo to compare them
    # (its coding comparison reads each user's codings), but a statement both decided carried only the
    # later coder's four codings: 王's 20 overlapping rows were gone from the .qdpx, and so was every
    # disagreement (t:1-s01: 王 install_repair, 李 billing → only 李's billing).
    project.decide("t:1-s01", {"issue": "install_repair"}, "王")
    project.decide("t:1-s01", {"issue": "billing"}, "李")
    project.decide("t:2-s01", {"stance": "suggestion"}, "王")
    project.decide("t:4-s01", {"stance": "praise"}, "李")
    project.decide("t:4-s01", {}, "李")  # 李 changed her mind: her later decision stands, once
    root = ET.fromstring(zipfile.ZipFile(export_qdpx(project.path, tmp_path / "coded.qdpx")).read("project.qde"))
    codes = {c.get("guid"): c.get("name") for c in root.iter(q("Code"))}
    coded = _coded_with(root, codes)
    one = coded["t:1-s01"]
    assert ("issue: install_repair 装机维修", "王") in one and ("issue: billing 计费资费", "李") in one
    assert sorted(u for name, u in one if name.startswith("issue:")) == ["李", "王"]
    assert sorted(u for name, u in one if name.startswith("stance:")) == ["李", "王"]  # every field, each coder
    assert not any(u == "voc-model" for _, u in one)
    assert [u for name, u in coded["t:2-s01"] if name.startswith("stance:")] == ["王"]
    four = [(name, u) for name, u in coded["t:4-s01"] if name.startswith("stance:")]
    assert len(four) == 1 and four[0][1] == "李" and four[0][0] != "stance: praise 表扬"
    assert [u for _, u in coded["t:3-s01"]] == ["voc-model"] * 4
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids))


def test_a_speakers_case_carries_its_sessions_group_city_and_title(tmp_path):
    """QA (a researcher going on in NVivo with a public and a business focus group): a speaker's case had only
    speaker_attrs, so no case attribute told 张女士 of the public group from 郑先生 of the business one and no
    query could compare the groups; now each speaker's case has group (公众用户 / 对公用户, as the page names
    them), city and session_title, the session's, as text variables."""
    from review_fixtures import tagged_frame

    from voiceofcustomer.review.store import create_project

    df = tagged_frame(8)
    df["session"] = ["fg1" if i % 2 else "fg2" for i in range(len(df))]
    df["source"] = df["session"] + ".txt"
    df["group"] = df["session"].map({"fg1": "public", "fg2": "business"})
    df["city"] = "武汉"
    df["session_title"] = df["session"].map({"fg1": "城区公众用户座谈会", "fg2": "对公用户座谈会"})
    df["speaker_attrs"] = "退休教师"
    store = create_project(df, tmp_path / "review.sqlite")
    store.close()
    root = ET.fromstring(zipfile.ZipFile(export_qdpx(tmp_path / "review.sqlite", tmp_path / "c.qdpx"))
                         .read("project.qde"))
    names = {v.get("guid"): v.get("name") for v in root.find(q("Variables")).findall(q("Variable"))}
    assert sorted(names.values()) == ["city", "group", "session_title", "speaker_attrs"]
    cases = {c.get("name"): {names[v.find(q("VariableRef")).get("targetGUID")]: v.findtext(q("TextValue"))
                             for v in c.findall(q("VariableValue"))} for c in root.find(q("Cases"))}
    assert cases["fg1/用户1"] == {"speaker_attrs": "退休教师", "group": "公众用户", "city": "武汉",
                                 "session_title": "城区公众用户座谈会"}
    assert cases["fg2/用户0"]["group"] == "对公用户" and cases["fg2/用户0"]["session_title"] == "对公用户座谈会"
    assert all(_in_order(list(c), CASE_ORDER) for c in root.find(q("Cases")))


def test_a_focus_groups_source_text_says_who_speaks(project, tmp_path):
    """QA (a researcher reading the transcript on in QualCoder): the source held the statements one a line with no
    speaker, so the document read as one voice; now a line with a speaker starts with the name (用户1：…) and the
    statement's selection is the statement alone, as before."""
    z = zipfile.ZipFile(export_qdpx(project.path, tmp_path / "c.qdpx"))
    root = ET.fromstring(z.read("project.qde"))
    texts = coded_table(project.path).set_index("statement_id")
    for s in root.find(q("Sources")).findall(q("TextSource")):
        text = z.read(f"Sources/{s.get('guid')}.txt").decode("utf-8")
        lines = text.split("\n")
        for line, sel in zip(lines, s.findall(q("PlainTextSelection")), strict=True):
            sid = sel.get("name")
            speaker, quote = texts.loc[sid, "speaker"], texts.loc[sid, "quote"]
            assert line == f"{speaker}：{quote}"
            assert text[int(sel.get("startPosition")):int(sel.get("endPosition"))] == quote


def test_export_says_the_counts_the_page_shows(tmp_path):
    # `voc export` said only "wrote coded.xlsx": nothing to check the file against the page's 我已标注 N / M
    from click.testing import CliRunner
    from review_fixtures import tagged_frame

    from voiceofcustomer.cli.main import main
    from voiceofcustomer.review.store import create_project

    df = tagged_frame()
    df.loc[2, "role"] = "moderator"  # counts nowhere: not in the page's total
    store = create_project(df, tmp_path / "review.sqlite")
    for sid in ("t:1-s01", "t:2-s01", "t:3-s01", "t:4-s01"):
        store.decide(sid, {"issue": "billing"}, "wang")
    store.undo("wang")  # t:4-s01 undone: no longer decided
    store.decide("t:2-s01", {"stance": "praise"}, "li")
    store.decide("t:5-s01", {"stance": "praise"}, "li")
    page = {c: store.progress(c) for c in ("li", "wang")}
    store.close()
    assert page == {"li": {"done": 2, "total": 29, "uncounted": 1}, "wang": {"done": 2, "total": 29, "uncounted": 1}}
    out = tmp_path / "coded.xlsx"
    r = CliRunner().invoke(main, ["export", str(tmp_path / "review.sqlite"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == (f"wrote {out}: 30 statements (29 that count), 4 decided; by coder, decided of those "
                                "that count (the page's 我已标注): li 2 / 29, wang 2 / 29")
    coded = pd.read_excel(out)
    assert len(coded) == 30 and coded["decided"].sum() == 4 and coded["counted"].sum() == 29


def test_a_rows_note_leaves_with_it(tmp_path):
    # The page's meta line says why a row's labels are what they are ("a moderator's question is neutral (guide
    # C14)", a team's own note); coded.xlsx had no note column and the .qdpx no note: a researcher reading a row
    # that counts nowhere, or its labels, in Excel or NVivo could not tell why
    from review_fixtures import tagged_frame

    from voiceofcustomer.review.store import create_project

    df = tagged_frame()
    df["note"] = ""
    df.loc[2, ["role", "note"]] = ["moderator", "a moderator's question is neutral (guide C14)"]
    df.loc[6, "note"] = "复核：客户原话不完整"
    store = create_project(df, tmp_path / "review.sqlite")
    store.decide("t:7-s01", {"issue": "billing"}, "wang")
    store.close()
    coded = pd.read_excel(export_excel(tmp_path / "review.sqlite", tmp_path / "coded.xlsx"), dtype=object)
    coded = coded.set_index("statement_id")
    assert list(coded.columns).index("note") == list(coded.columns).index("counted") + 1
    assert coded.loc["t:3-s01", "note"] == "a moderator's question is neutral (guide C14)"
    assert not bool(coded.loc["t:3-s01", "counted"])
    assert coded.loc["t:7-s01", "note"] == "复核：客户原话不完整"
    assert coded["note"].isna().sum() == 28  # an empty cell where a row has none

    root = ET.fromstring(zipfile.ZipFile(export_qdpx(tmp_path / "review.sqlite", tmp_path / "c.qdpx")).read(
        "project.qde"))
    assert _in_order(list(root), PROJECT_ORDER)
    notes = {n.get("guid"): n for n in root.find(q("Notes")).findall(q("Note"))}
    assert len(notes) == 2 and all(GUID.match(g) and n.get("creatingUser") and DATETIME.match(n.get("creationDateTime"))
                                   for g, n in notes.items())
    by_sel = {}
    for sel in root.iter(q("PlainTextSelection")):
        assert _in_order(list(sel), ["Description", "Coding", "NoteRef"])
        for ref in sel.findall(q("NoteRef")):
            by_sel[sel.get("name")] = notes[ref.get("targetGUID")].findtext(q("PlainTextContent"))
    assert by_sel == {"t:3-s01": "a moderator's question is neutral (guide C14)", "t:7-s01": "复核：客户原话不完整"}

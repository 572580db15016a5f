"""Coders' notes leave with the project: coded.xlsx's coder_note beside the row's own note, each coder's note a
REFI-QDA memo on the coded selection in the .qdpx, and voc agreement's disagreeing rows with each side's note."""

import zipfile
from xml.etree import ElementTree as ET

import pandas as pd

from test_review_export import DATETIME, GUID, PROJECT_ORDER, _in_order, q
from test_review_notes import ASK, SCRIPT, UNSURE


def _noted(project):
    project.decide("t:1-s01", {"issue": "billing"}, "wang", note=UNSURE)
    project.decide("t:1-s01", {"issue": "signal"}, "li", note=ASK)
    project.set_note("t:2-s01", "zhao", SCRIPT)  # a coder who noted and decided nothing


def test_excel_carries_each_coders_note_beside_the_rows_own(project, tmp_path):
    from voiceofcustomer.review.export import export_excel

    _noted(project)
    coded = pd.read_excel(export_excel(project.path, tmp_path / "coded.xlsx"), dtype=object, engine="openpyxl")
    cols = list(coded.columns)
    assert cols.index("coder_note") == cols.index("note") + 1
    coded = coded.set_index("statement_id")
    assert coded.loc["t:1-s01", "coder_note"] == f"li: {ASK}\nwang: {UNSURE}"
    assert coded.loc["t:2-s01", "coder_note"] == f"zhao: {SCRIPT}"
    assert coded["coder_note"].isna().sum() == 28


def test_qdpx_carries_each_coders_note_as_their_memo_on_the_selection(project, tmp_path):
    from voiceofcustomer.review.export import export_qdpx

    _noted(project)
    root = ET.fromstring(zipfile.ZipFile(export_qdpx(project.path, tmp_path / "c.qdpx")).read("project.qde"))
    assert _in_order(list(root), PROJECT_ORDER)
    users = {u.get("guid"): u.get("name") for u in root.iter(q("User"))}
    assert set(users.values()) == {"voc-model", "wang", "li", "zhao"}
    notes = {n.get("guid"): n for n in root.find(q("Notes")).findall(q("Note"))}
    assert len(notes) == 3
    assert all(GUID.match(g) and DATETIME.match(n.get("creationDateTime")) for g, n in notes.items())
    by_sel = {}
    for sel in root.iter(q("PlainTextSelection")):
        assert _in_order(list(sel), ["Description", "Coding", "NoteRef"])
        for ref in sel.findall(q("NoteRef")):
            n = notes[ref.get("targetGUID")]
            by_sel.setdefault(sel.get("name"), []).append(
                (users[n.get("creatingUser")], n.get("name"), n.findtext(q("PlainTextContent"))))
    assert by_sel == {"t:1-s01": [("li", "note t:1-s01 (li)", ASK), ("wang", "note t:1-s01 (wang)", UNSURE)],
                      "t:2-s01": [("zhao", "note t:2-s01 (zhao)", SCRIPT)]}
    # the same project exports the same notes again
    again = ET.fromstring(zipfile.ZipFile(export_qdpx(project.path, tmp_path / "d.qdpx")).read("project.qde"))
    assert ET.tostring(again) == ET.tostring(root)


def test_agreements_disagreeing_rows_say_each_coders_note(project, tmp_path):
    from voiceofcustomer.review.agreement import agreement_from_project

    _noted(project)
    project.decide("t:3-s01", {"issue": "billing"}, "wang")
    project.decide("t:3-s01", {"issue": "signal"}, "li")
    res = agreement_from_project(project.path)
    dis = res.disagreements.set_index(["field", "coder_a", "coder_b", "statement_id"])
    assert dis.loc[("issue", "li", "wang", "t:1-s01"), ["note_a", "note_b"]].tolist() == [ASK, UNSURE]
    assert dis.loc[("issue", "li", "wang", "t:3-s01"), ["note_a", "note_b"]].tolist() == ["", ""]
    assert dis.loc[("issue", "model", "wang", "t:1-s01"), ["note_a", "note_b"]].tolist() == ["", UNSURE]
    sheet = pd.read_excel(res.write(tmp_path / "agreement.xlsx"), sheet_name="disagreements", dtype=object,
                          engine="openpyxl")
    assert list(sheet.columns)[4:8] == ["value_a", "value_b", "note_a", "note_b"]
    assert sheet.loc[(sheet.coder_a == "li") & (sheet.statement_id == "t:1-s01"), "note_b"].tolist() == [UNSURE]


def test_agreement_of_two_exported_tables_says_each_coders_note(project, tmp_path):
    # Two coders each coded their own project and exported it (coded.xlsx has coder_note); voc agreement a.xlsx
    # b.xlsx left note_a and note_b empty on their disagreement, the notes in both tables.
    from review_fixtures import tagged_frame

    from voiceofcustomer.review.agreement import agreement_from_tables
    from voiceofcustomer.review.export import export_excel
    from voiceofcustomer.review.store import create_project

    other = create_project(tagged_frame(), tmp_path / "li.sqlite")
    project.decide("t:1-s01", {"issue": "billing"}, "wang", note=UNSURE)
    project.decide("t:2-s01", {"issue": "billing"}, "wang")
    other.decide("t:1-s01", {"issue": "signal"}, "li", note=ASK)
    other.decide("t:2-s01", {"issue": "signal"}, "li")
    other.set_note("t:3-s01", "li", SCRIPT)  # a note on a row both coded alike: no disagreement to carry it
    other.close()
    a = export_excel(project.path, tmp_path / "wang.xlsx")
    b = export_excel(tmp_path / "li.sqlite", tmp_path / "li.xlsx")
    res = agreement_from_tables(a, b)
    dis = res.disagreements.set_index(["field", "coder_a", "coder_b", "statement_id"])
    assert dis.loc[("issue", "wang", "li", "t:1-s01"), ["note_a", "note_b"]].tolist() == [f"wang: {UNSURE}",
                                                                                         f"li: {ASK}"]
    assert dis.loc[("issue", "wang", "li", "t:2-s01"), ["note_a", "note_b"]].tolist() == ["", ""]
    assert len(dis) == 2
    # a table without the column (a voc tag output): its side empty, the other's note still said
    plain = tmp_path / "plain.csv"
    pd.read_excel(b, dtype=object, engine="openpyxl").drop(columns=["coder_note"]).to_csv(plain, index=False,
                                                                                           encoding="utf-8-sig")
    dis = agreement_from_tables(a, plain).disagreements.set_index("statement_id")
    assert dis.loc["t:1-s01", ["note_a", "note_b"]].tolist() == [f"wang: {UNSURE}", ""]

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

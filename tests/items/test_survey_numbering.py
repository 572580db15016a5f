"""The Word questionnaire and the 问卷星 import number their questions alike (a questionnaire designer's lead).

Before: a designer checking questionnaire.docx against questionnaire_wjx.txt found no number alike. 问卷星
numbered every question on (the store question 1, the expectation matrix 2, the perception matrix 3, the
100 points 4, the profile 5–9); the Word file left the store question and the 100 points unnumbered, had no
numbered question above the two tables, numbered the expectation statements 1…n and the perception statements
1…n again, and the profile questions 1…5. Both now take their numbers from items.survey.numbered_questions:
questions 1…N, a matrix's statement k numbered N.k in the Word table (问卷星 shows a matrix's rows unnumbered,
in the same order).
"""

import re

import docx
import pandas as pd
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from test_survey import _wjx_questions as wjx_blocks

from voiceofcustomer.items.survey import DEMOGRAPHICS, build_survey, codebook

ITEMS = pd.DataFrame([
    # item_id, dimension, e_text, p_text, reverse
    ("T01", "tangibles", "优秀的营业厅应当干净整洁", "该营业厅干净整洁", False),
    ("T02", "tangibles", "优秀的营业厅应当有足够的座位", "该营业厅的座位足够", False),
    ("R01", "reliability", "优秀的电信运营商应当让宽带晚上也不掉线", "该运营商的宽带晚上也不掉线", False),
    ("S01", "responsiveness", "优秀的电信运营商应当让客户长时间排队", "该运营商让客户长时间排队", True),  # reverse-coded
    ("M01", "empathy", "优秀的营业厅应当在周末也开门", "该营业厅周末也开门", False),
], columns=["item_id", "dimension", "e_text", "p_text", "reverse"])


def _word_questions(path) -> list[dict]:
    """The Word file's numbered questions in document order (``N. 题干`` paragraphs), with the rows of the
    table under each: ``(序号, 陈述)``."""
    doc = docx.Document(str(path))
    out: list[dict] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            m = re.match(r"^(\d+)\. (.+)$", Paragraph(child, doc).text)
            if m:
                out.append({"number": int(m.group(1)), "text": m.group(2), "rows": []})
        elif tag == "tbl" and out:
            rows = Table(child, doc).rows
            if rows[0].cells[0].text == "序号":  # a matrix of statements
                out[-1]["rows"] = [(r.cells[0].text, r.cells[1].text) for r in rows[1:]]
    return out


def _wjx_questions(path) -> list[dict]:
    """The 问卷星 import's questions as its importer reads them (``test_survey._wjx_questions``), a matrix's
    rows numbered by their place: row k of question N is N.k."""
    out = []
    for q in wjx_blocks(path.read_text(encoding="utf-8")):
        rows = q["body"][1:] if q["type"] == "矩阵量表题" else []
        out.append({"number": q["number"], "text": q["title"],
                    "rows": [(f"{q['number']}.{k}", text) for k, text in enumerate(rows, 1)]})
    return out


@pytest.mark.parametrize("stores, ask_store", [(["和平路营业厅", "南开大学城厅"], None), (None, None), (None, False)],
                         ids=["store from a list", "store filled in", "no store question"])
def test_word_and_wjx_number_every_question_alike(tmp_path, stores, ask_store):
    out = build_survey(ITEMS, tmp_path, ["docx", "wjx"], stores=stores, ask_store=ask_store)
    word, wjx = _word_questions(out["docx"]), _wjx_questions(out["wjx"])
    assert [(q["number"], q["text"]) for q in word] == [(q["number"], q["text"]) for q in wjx]
    assert [q["rows"] for q in word] == [q["rows"] for q in wjx]  # question by question, statement by statement
    assert [q["number"] for q in word] == list(range(1, len(word) + 1))
    store = ask_store is not False
    assert len(word) == store + 3 + len(DEMOGRAPHICS)
    assert [q["text"] for q in word[-len(DEMOGRAPHICS):]] == [text for _, text, _ in DEMOGRAPHICS]


def test_an_items_expectation_and_perception_share_their_row_number(tmp_path):
    """Statement k of the expectations and of the perceptions is item k of the codebook, reverse-coded or not,
    in both files: E 2.4 and P 3.4 are S01's pair."""
    out = build_survey(ITEMS, tmp_path, ["docx", "wjx", "csv"], ask_store=False)
    book = pd.read_csv(out["codebook"], dtype=str)
    for questions in (_word_questions(out["docx"]), _wjx_questions(out["wjx"])):
        e_rows, p_rows = questions[0]["rows"], questions[1]["rows"]
        assert [n for n, _ in e_rows] == [f"1.{k}" for k in range(1, len(ITEMS) + 1)]
        assert [n for n, _ in p_rows] == [f"2.{k}" for k in range(1, len(ITEMS) + 1)]
        assert [t for _, t in e_rows] == list(book["e_text"]) and [t for _, t in p_rows] == list(book["p_text"])
    assert list(book["reverse"]) == list(codebook(ITEMS)["reverse"]) == ["false", "false", "false", "true", "false"]

"""The importance question asks for points on the dimensions the questionnaire measures.

Until 7 Dec 2026 ``voc survey`` on a review sheet with no accepted tangibles item asked respondents to share
100 points over all five dimensions (有形性 too), wrote a W_tangibles column in responses_template.csv, and
``voc gap`` on the filled template warned that the codebook has no tangibles items. Now the 比重题 of the Word
questionnaire and of the 问卷星 file, the template's W_ columns and the codebook name the same dimensions."""
import json
from pathlib import Path

import docx
import numpy as np
import pandas as pd
from click.testing import CliRunner

from test_survey import _wjx_questions, _workbook
from voiceofcustomer.cli.main import main

# a review sheet whose one tangibles item was rejected: item_id, servqual, e_text, p_text, decision, edited_text, reverse
NO_TANGIBLES = [tuple(r) for r in pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "survey_no_tangibles.csv",
                                              dtype=str, keep_default_na=False).itertuples(index=False)]
MEASURED = ["reliability", "responsiveness", "assurance", "empathy"]
MEASURED_ZH = ["可靠性", "响应性", "保证性", "移情性"]


def _survey(tmp_path, rows):
    out = tmp_path / "survey"
    res = CliRunner().invoke(main, ["survey", str(_workbook(tmp_path / "items.xlsx", rows)), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_no_tangibles_item_no_tangibles_points(tmp_path):
    out = _survey(tmp_path, NO_TANGIBLES)
    header = pd.read_csv(out / "responses_template.csv", encoding="utf-8-sig").columns.tolist()
    assert [c for c in header if c.startswith("W_")] == [f"W_{d}" for d in MEASURED]
    codebook = pd.read_csv(out / "codebook.csv", encoding="utf-8-sig")
    assert sorted(set(codebook["dimension"])) == sorted(MEASURED)
    wjx = (out / "questionnaire_wjx.txt").read_text(encoding="utf-8")
    weights = [q for q in _wjx_questions(wjx) if q["type"] == "比重题"]
    assert len(weights) == 1 and [b.split("：")[0] for b in weights[0]["body"]] == MEASURED_ZH
    assert "四个方面" in weights[0]["title"] and "有形性" not in wjx and "五" not in wjx
    assert "这四个方面" in wjx and "四项分数之和必须等于 100" in wjx
    doc = docx.Document(str(out / "questionnaire.docx"))
    w_table = next(t for t in doc.tables if t.cell(0, 0).text == "方面")
    assert [r.cells[0].text for r in w_table.rows] == ["方面", *MEASURED_ZH, "合计"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "有形性" not in text and "这四个方面" in text


def test_gap_reads_the_filled_template_without_a_warning_of_dimensions(tmp_path):
    out = _survey(tmp_path, NO_TANGIBLES)
    header = pd.read_csv(out / "responses_template.csv", encoding="utf-8-sig").columns.tolist()
    rng = np.random.default_rng(3)
    rows = []
    for i in range(24):
        row = {c: "" for c in header}
        row.update({"respondent_id": f"r{i:02d}", "营业厅": "东门营业厅"})
        for c in header:
            if c[:2] in ("E_", "P_"):
                row[c] = int(rng.integers(3, 8))
        row.update({"W_reliability": 40, "W_responsiveness": 30, "W_assurance": 20, "W_empathy": 10})
        rows.append(row)
    pd.DataFrame(rows, columns=header).to_csv(tmp_path / "responses.csv", index=False, encoding="utf-8-sig")
    res = CliRunner().invoke(main, ["gap", str(tmp_path / "responses.csv"), "--codebook", str(out / "codebook.csv"),
                                    "-o", str(tmp_path / "gap")])
    assert res.exit_code == 0, res.output
    assert "no items for" not in res.output and "importance" not in res.output
    summary = json.loads((tmp_path / "gap" / "summary.json").read_text(encoding="utf-8"))
    kinds = json.dumps(summary, ensure_ascii=False)
    assert "dimensions_without_items" not in kinds and "no_importance" not in kinds
    assert "weighted SQ" in res.output


def test_one_dimension_asks_for_no_points(tmp_path):
    rows = [r for r in NO_TANGIBLES if r[1] == "reliability"]
    out = _survey(tmp_path, rows)
    header = pd.read_csv(out / "responses_template.csv", encoding="utf-8-sig").columns.tolist()
    assert not [c for c in header if c.startswith("W_")]
    wjx = (out / "questionnaire_wjx.txt").read_text(encoding="utf-8")
    assert "比重题" not in wjx and "重要程度" not in wjx
    assert "第三部分 基本情况" in wjx and "第四部分" not in wjx
    doc = docx.Document(str(out / "questionnaire.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["第一部分 您的期望", "第二部分 您的实际感受", "第三部分 基本情况"]

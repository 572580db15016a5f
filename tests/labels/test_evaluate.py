import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.evaluate import KeywordBaseline, evaluate
from voiceofcustomer.labels.model import load_corpus


def test_keyword_baseline():
    pred = KeywordBaseline().predict(["宽带老掉线", "营业厅排队太久", "今天天气不错"])
    assert pred.issue.tolist()[:2] == ["broadband", "efficiency"]
    assert pred.issue.tolist()[2] == "other"


def test_evaluate_cli_writes_side_by_side(tmp_path):
    df = pd.DataFrame({
        "text": ["宽带晚上老掉线", "营业厅排队一个多小时", "希望周末也营业", "客服态度很好，点赞", "大家好"],
        "servqual": ["reliability", "responsiveness", "empathy", "assurance", "none"],
        "demand": ["delivery", "delivery", "channel", "delivery", "none"],
        "issue": ["broadband", "efficiency", "other", "other", "other"],
        "stance": ["complaint", "complaint", "suggestion", "praise", "neutral"],
    })
    src = tmp_path / "labelled.csv"
    df.to_csv(src, index=False)
    res = CliRunner().invoke(main, ["evaluate", str(src), "-o", str(tmp_path / "eval"), "-q"])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "eval" / "summary.json").read_text(encoding="utf-8"))
    assert summary["n"] == 5
    for f in ("servqual", "demand", "issue", "stance"):
        assert set(summary["fields"][f]) == {"model", "keyword_baseline"}
        assert (tmp_path / "eval" / f"confusion_{f}_model.png").stat().st_size > 1000
    side = pd.read_csv(tmp_path / "eval" / "summary.csv", encoding="utf-8-sig")
    assert {"model_macro_f1", "keyword_baseline_macro_f1"} <= set(side.columns)


def test_evaluate_rejects_labels_outside_taxonomy(tmp_path):
    src = tmp_path / "bad.csv"
    pd.DataFrame({"text": ["x"], "servqual": ["speed"], "demand": ["none"], "issue": ["other"],
                  "stance": ["neutral"]}).to_csv(src, index=False)
    res = CliRunner().invoke(main, ["evaluate", str(src), "-o", str(tmp_path / "e")])
    assert res.exit_code == 2 and "outside the taxonomy" in res.output


DATA = Path(__file__).resolve().parents[1] / "data" / "labelled"


def _one_line_error(res):
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1, res.output
    return lines[0]


def test_evaluate_reads_a_gbk_csv_as_the_other_commands_do(tmp_path):
    """QA: a complaint team's labelled sample saved from Excel as GBK CSV stopped with "cannot read as labelled
    data ('utf-8' codec can't decode byte 0xbc …); give a UTF-8 .jsonl, .csv or .xlsx", where voc tag and voc split
    read the same export (encoding detected). Now it is read, and its numbers are those of the UTF-8 copy."""
    gbk = DATA / "tickets_labelled_gbk.csv"
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text(gbk.read_bytes().decode("gbk"), encoding="utf-8")
    res = CliRunner().invoke(main, ["evaluate", str(gbk), "-o", str(tmp_path / "e_gbk"), "-q"])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(main, ["evaluate", str(utf8), "-o", str(tmp_path / "e_utf8"), "-q"])
    assert res.exit_code == 0, res.output
    a = json.loads((tmp_path / "e_gbk" / "summary.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "e_utf8" / "summary.json").read_text(encoding="utf-8"))
    assert a == b and a["n"] == 8
    df = load_corpus(gbk)
    assert df["text"].iloc[1] == "营业厅排队排了一个多小时"


def test_label_typos_are_named_with_their_line_and_the_id_meant(tmp_path):
    """QA: a sample with 'Reliability', '可靠性', a blank demand, 'compliment' and 'None' said only
    "column servqual has values outside the taxonomy: Reliability, 可靠性" — no line, nothing of the other
    columns, nothing of what to write. Now one line names each value's line, the id meant where it is plain
    (a capital, the Chinese name), the blank cell, and what to write; spaces around an id are no typo."""
    res = CliRunner().invoke(main, ["evaluate", str(DATA / "tickets_label_typos.csv"), "-o", str(tmp_path / "e")])
    line = _one_line_error(res)
    assert "tickets_label_typos.csv" in line
    assert "column servqual" in line
    assert "'Reliability' (line 2; is it 'reliability'?)" in line
    assert "'可靠性' (line 4; is it 'reliability'?)" in line
    assert "'None' (line 8; is it 'none'?)" in line
    assert "column demand: no label on line 5" in line
    assert "column stance: 'compliment' (line 7)" in line and "is it 'complaint'" not in line
    assert "channel" not in line.split("column demand")[1].split(";")[0].replace("no label on line 5", "")
    assert "complaint, suggestion, praise, neutral" in line  # what to write
    assert not (tmp_path / "e").exists() or not any((tmp_path / "e").iterdir())


def test_blank_label_is_refused_not_scored_as_a_miss(tmp_path):
    """QA: a row whose demand cell was left empty was scored: it was left out of the confusion table (59 rows)
    yet counted as a miss in the accuracy (55/60 = 0.917 where the table says 55/59 = 0.932), and n said 60;
    voc train on such a file stopped in a traceback (ValueError: Input contains NaN). Now both say the row."""
    df = pd.read_csv(DATA / "tickets_labelled_gbk.csv", encoding="gbk", dtype=str)
    df.loc[2, "demand"] = ""
    src = tmp_path / "blank.csv"
    df.to_csv(src, index=False)
    for cmd in (["evaluate", str(src), "-o", str(tmp_path / "e")], ["train", str(src), "-o", str(tmp_path / "m")]):
        line = _one_line_error(CliRunner().invoke(main, cmd))
        assert "blank.csv: column demand: no label on line 4" in line, line
        assert "fill it in" in line
    with pytest.raises(InputError, match="line 4"):
        evaluate(src, tmp_path / "e2")


def test_blank_text_is_refused_with_its_line(tmp_path):
    df = pd.read_csv(DATA / "tickets_labelled_gbk.csv", encoding="gbk", dtype=str)
    df.loc[5, "text"] = "  "
    src = tmp_path / "notext.csv"
    df.to_csv(src, index=False)
    line = _one_line_error(CliRunner().invoke(main, ["evaluate", str(src), "-o", str(tmp_path / "e")]))
    assert "notext.csv: column text: no text on line 7" in line


def test_a_workbook_with_the_chinese_column_names_is_read(tmp_path):
    """QA: a team's .xlsx headed 投诉内容 / SERVQUAL维度 / 需求类别 / 问题类别 / 陈述类型 (the names voc's report gives the
    four fields) said "labelled data lacks columns: text, servqual, demand, issue, stance" and nothing of what to do.
    Now those names are read as the fields; other names are said with what to name them and the file's columns."""
    df = pd.read_csv(DATA / "tickets_labelled_gbk.csv", encoding="gbk", dtype=str)
    zh = df.rename(columns={"text": "投诉内容", "servqual": "SERVQUAL维度", "demand": "需求类别", "issue": "问题类别",
                            "stance": "陈述类型"})
    zh.to_excel(tmp_path / "zh.xlsx", index=False)
    res = CliRunner().invoke(main, ["evaluate", str(tmp_path / "zh.xlsx"), "-o", str(tmp_path / "e"), "-q"])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "e" / "summary.json").read_text(encoding="utf-8"))["n"] == 8
    assert load_corpus(tmp_path / "zh.xlsx")[["text", "servqual"]].equals(df[["text", "servqual"]])
    other = zh.rename(columns={"SERVQUAL维度": "服务质量维度", "陈述类型": "诉求类型"})
    other.to_excel(tmp_path / "other.xlsx", index=False)
    line = _one_line_error(CliRunner().invoke(main, ["evaluate", str(tmp_path / "other.xlsx"), "-o",
                                                     str(tmp_path / "e2")]))
    assert "other.xlsx: labelled data lacks columns servqual, stance" in line
    assert "name them servqual (or SERVQUAL维度), stance (or 陈述类型)" in line
    assert "columns are: id, 投诉内容, 服务质量维度, 需求类别, 问题类别, 诉求类型" in line

import json

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.labels.evaluate import KeywordBaseline


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

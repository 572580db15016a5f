"""Label audit: the lines a cross-validated model confidently rejects (tools/label_suspects.py)."""

import subprocess
import sys
from pathlib import Path

import pandas as pd

from voiceofcustomer.labels.train import SUSPECT_COLUMNS, label_suspects

ROOT = Path(__file__).resolve().parents[2]
FAULTS = ["家里宽带又断网了", "宽带晚上一直掉线", "光猫红灯亮着上不了网", "宽带网速慢得打不开网页", "宽带天天断，看视频卡死"]
PRAISE = ["这个月账单列得很清楚", "话费明细一目了然，谢谢", "客服把扣费讲明白了，点赞", "账单短信准时又清楚", "查话费很方便，清清楚楚"]


def _corpus() -> pd.DataFrame:
    rows = []
    for k in range(8):
        for t in FAULTS:
            rows.append((f"{t}，第{k}次了", "reliability", "delivery", "broadband", "complaint"))
        for t in PRAISE:
            rows.append((f"{t}，第{k}个月", "assurance", "function", "billing", "praise"))
    df = pd.DataFrame(rows, columns=["text", "servqual", "demand", "issue", "stance"])
    df.insert(0, "id", [f"T{i:04d}" for i in range(len(df))])
    return df


def test_a_line_labelled_against_its_kind_is_a_suspect_and_clean_lines_are_not():
    df = _corpus()
    df.loc[df.index[3], "issue"] = "billing"  # a broadband fault labelled billing: the drift the audit looks for
    out = label_suspects(df, folds=3)
    assert list(out.columns) == SUSPECT_COLUMNS
    issue = out[out.field == "issue"]
    assert issue.id.tolist() == ["T0003"]
    row = issue.iloc[0]
    assert row.label == "billing" and row.model == "broadband" and row.p_label < 0.05 and row.p_model >= 0.8
    assert set(out.id) == {"T0003"}  # no line labelled like its kind is listed
    assert label_suspects(_corpus(), folds=3).empty


def test_thresholds_decide_what_counts_as_confident():
    df = _corpus()
    df.loc[df.index[3], "issue"] = "billing"
    assert label_suspects(df, folds=3, min_model_prob=1.01).empty
    assert label_suspects(df, folds=3, max_label_prob=0.0).empty


def test_tool_writes_csv_and_names_a_missing_corpus(tmp_path):
    part = tmp_path / "part_t.jsonl"
    df = _corpus()
    df.loc[df.index[3], "issue"] = "billing"
    df.to_json(part, orient="records", lines=True, force_ascii=False)
    out = tmp_path / "s.csv"
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "label_suspects.py"), str(tmp_path), "-o", str(out),
                          "--folds", "3"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "1 suspects (issue 1)" in res.stdout
    assert pd.read_csv(out, encoding="utf-8-sig").id.tolist() == ["T0003"]
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "label_suspects.py"), str(tmp_path / "nope"), "-o",
                          str(out)], capture_output=True, text=True)
    assert res.returncode == 2 and "nope" in res.stderr and "Traceback" not in res.stderr

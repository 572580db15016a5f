"""``voc themes`` into a folder used before: the folder holds one run's files (QA: a
topics_by_issue.csv and topics_over_time.csv of an earlier run survived with stale topic ids)."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main


@pytest.fixture
def tickets_csv(tmp_path, themes_corpus):
    texts = themes_corpus[0][:80]
    df = pd.DataFrame({"工单编号": [f"GD{i:05d}" for i in range(len(texts))],
                       "受理时间": pd.date_range("2026-01-01", periods=len(texts), freq="D").strftime("%Y-%m-%d"),
                       "渠道": ["热线" if i % 3 else "营业厅" for i in range(len(texts))], "内容": texts})
    path = tmp_path / "tickets.csv"
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def _themes(*args):
    res = CliRunner().invoke(main, ["themes", *map(str, args), "--embedding", "lsa", "-q"])
    assert res.exit_code == 0, res.output
    return res


def test_a_rerun_without_by_or_date_col_leaves_no_stale_tables(tickets_csv, tmp_path, cache_dir):
    out = tmp_path / "themes"
    _themes(tickets_csv, "-o", out, "--by", "渠道", "--date-col", "受理时间", "--cache-dir", cache_dir)
    assert (out / "topics_by_渠道.csv").exists() and (out / "topics_over_time.csv").exists()
    (out / "备注.md").write_text("我的笔记", encoding="utf-8")
    _themes(tickets_csv, "-o", out, "--cache-dir", cache_dir)
    assert not (out / "topics_by_渠道.csv").exists() and not (out / "topics_over_time.csv").exists()
    assert (out / "备注.md").read_text(encoding="utf-8") == "我的笔记"  # the user's own file stays
    listed = __import__("json").loads((out / "themes.json").read_text(encoding="utf-8"))["outputs"]
    ours = [p.name for p in out.iterdir() if p.suffix in (".csv", ".html", ".json") and not p.name.startswith(".")]
    assert sorted(ours) == sorted(listed)  # exactly the files this run wrote


def test_interrupted_themes_leave_the_earlier_output(tickets_csv, tmp_path, cache_dir, monkeypatch):
    out = tmp_path / "themes"
    _themes(tickets_csv, "-o", out, "--cache-dir", cache_dir)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # after the CSV tables, before themes.json and themes.html

    monkeypatch.setattr("voiceofcustomer.themes.report.themes_html", interrupted)
    res = CliRunner().invoke(main, ["themes", str(tickets_csv), "-o", str(out), "--embedding", "lsa", "--by", "渠道",
                                    "--cache-dir", str(cache_dir), "-q"])
    assert res.exit_code == 130 and "interrupted" in res.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["themes", "tickets.csv"]

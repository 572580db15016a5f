"""Bugs found by using the commands one after another as a new user would (issue 10)."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main





@pytest.fixture
def runner():
    return CliRunner()


def _ok(res):
    assert res.exit_code == 0, res.output
    return res


def test_items_reads_a_tag_export_of_tickets(runner, data_dir, tmp_path):
    tagged = tmp_path / "t.csv"
    _ok(runner.invoke(main, ["tag", str(data_dir / "tickets_small.csv"), "-o", str(tagged), "-q", "--jobs", "1"]))
    _ok(runner.invoke(main, ["items", str(tagged), "-o", str(tmp_path / "items.xlsx"), "-q"]))
    items = pd.read_excel(tmp_path / "items.xlsx", sheet_name="items")
    assert len(items) > 0
    cited = " ".join(items["evidence"].astype(str))
    assert "T0" in cited  # evidence cites the export's own ticket ids


def test_split_transcript_then_tickets_keeps_the_ticket_columns(runner, data_dir, tmp_path):
    out = tmp_path / "out.csv"
    _ok(runner.invoke(main, ["split", str(data_dir / "transcript_small.txt"), str(data_dir / "tickets_small.csv"),
                             "-o", str(out), "-q"]))
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert {"ticket_id", "工单编号", "受理时间", "区县", "渠道"} <= set(df.columns)
    tickets = df[df["source"] == "tickets_small.csv"]
    assert tickets["ticket_id"].str.startswith("T").all() and tickets["渠道"].ne("").all()
    assert df.loc[df["source"] == "transcript_small.txt", "ticket_id"].eq("").all()  # missing values empty
    assert df.columns[-1] == "note"


def test_evaluate_missing_file_is_one_line(runner, tmp_path):
    res = runner.invoke(main, ["evaluate", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "e")])
    assert res.exit_code == 2
    assert "missing.csv: file not found" in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_identical_ticket_texts_under_different_ids_are_counted(runner, data_dir, tmp_path):
    out = tmp_path / "st.csv"
    _ok(runner.invoke(main, ["split", str(data_dir / "tickets_small.csv"), "-o", str(out), "-q"]))
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    flagged = df[df["is_duplicate"] == "True"]
    # T001 and T004 say the same thing: two complaints; T012 repeats its own sentence: one
    assert flagged["ticket_id"].tolist() == ["T012"]


def test_analyze_passes_every_stage_option_through(runner, data_dir, tmp_path, monkeypatch):
    seen = {}

    class Result:
        out_dir = tmp_path
        n_statements = n_topics = n_items = long_cells = 0
        files = {"statements.skipped.csv": tmp_path / "statements.skipped.csv"}  # analyze writes it

        class summary:
            bad_rows = [("x.csv", 3, "has 2 fields, expected 5")]
            no_moderator = []
            no_group = []
            city_from_title = []
            detected_moderators = []
            unlisted_speakers = []
            same_transcripts = []
            title_rows = []

    def fake(inputs, out_dir, **kwargs):
        seen.update(kwargs)
        return Result()

    monkeypatch.setattr("voiceofcustomer.analyze.analyze", fake)
    res = _ok(runner.invoke(main, ["analyze", str(data_dir / "tickets_small.csv"), "-o", str(tmp_path / "r"),
                                   "--on-bad-rows", "skip", "--review-below", "0.3", "--by", "渠道,区县", "--by", "city",
                                   "--date-col", "受理时间", "--seed", "7", "--jobs", "1", "--moderator", "说话人1",
                                   "-q"]))
    assert seen["on_bad_rows"] == "skip" and seen["review_below"] == 0.3
    assert seen["by"] == ["渠道", "区县", "city"] and seen["date_col"] == "受理时间"
    assert seen["seed"] == 7 and seen["n_jobs"] == 1 and seen["moderators"] == ["说话人1"]
    # skipped rows are listed, not lost (analyze writes them into the report folder it puts in place)
    assert "skipped 1 malformed row (listed in" in res.output and "x.csv: line 3" in res.output


def test_analyze_names_a_missing_by_column(runner, data_dir, tmp_path):
    res = runner.invoke(main, ["analyze", str(data_dir / "tickets_small.csv"), "-o", str(tmp_path / "r"),
                               "--by", "nope", "--jobs", "1", "-q"])
    assert res.exit_code == 2 and "no column 'nope' for --by" in res.output


@pytest.mark.parametrize("option", ["--by", "--date-col"])
def test_analyze_refuses_a_missing_column_before_labelling(runner, data_dir, tmp_path, monkeypatch, option):
    """voc analyze labelled every statement (minutes on a large input) before it said that --by named no column,
    and its message named no file (found in a transcript QA pass: --by grup on a focus group)."""
    import voiceofcustomer.analyze as analyze_module

    def no_tagging(*_a, **_k):
        raise AssertionError("labelled before the options were checked")

    monkeypatch.setattr(analyze_module, "tag_chunks", no_tagging)
    transcript = data_dir / "transcript_small.txt"
    res = runner.invoke(main, ["analyze", str(transcript), "-o", str(tmp_path / "r"), option, "nope", "--jobs", "1"])
    assert res.exit_code == 2, res.output
    assert f"Error: {transcript}: no column 'nope' for {option}" in res.output
    assert "tag:" not in res.output and not (tmp_path / "r").exists()

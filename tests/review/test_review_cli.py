"""The review commands from the command line: one-line errors, exports, agreement, a clean Ctrl-C."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from review_fixtures import tagged_frame
from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.review.project import apply_speakers, open_project, read_speakers


def test_a_weight_the_adapter_would_ignore_is_refused_and_a_missing_project_says_what_to_give(tmp_path):
    # voc train --add review.sqlite --weight 5 ran the default adapter, which weighs nothing, without a word
    db = tmp_path / "none.sqlite"
    r = CliRunner().invoke(main, ["train", "--add", str(db), "--weight", "5", "-o", str(tmp_path / "m")])
    assert r.exit_code == 2 and "--weight needs --add (a review project) and --method refit" in r.output
    assert not (tmp_path / "m").exists()
    r = CliRunner().invoke(main, ["agreement", str(db)])
    assert r.exit_code == 2 and "no such project file; give the .sqlite that `voc review --db` wrote" in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_bad_inputs_are_one_line_errors(tmp_path):
    r = CliRunner().invoke(main, ["review", "--no-browser"])
    assert r.exit_code == 2 and "give a tagged table" in r.output
    r = CliRunner().invoke(main, ["review", "--db", str(tmp_path / "none.sqlite"), "--no-browser"])
    assert r.exit_code == 2 and "no such project file" in r.output
    untagged = tmp_path / "plain.csv"
    pd.DataFrame({"text": ["宽带断了"]}).to_csv(untagged, index=False)
    r = CliRunner().invoke(main, ["review", str(untagged), "--no-browser"])
    assert r.exit_code == 2 and "run `voc tag`" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["export", str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and "no such review project" in r.output
    r = CliRunner().invoke(main, ["review", str(untagged), "--write-dir", str(tmp_path / "nope"), "--no-browser"])
    assert r.exit_code == 2 and "--write-dir must be an existing folder" in r.output


def test_review_and_agreement_name_no_option_they_do_not_have(tmp_path):
    """QA (issue 11): the shared table reader's advice was written for voc tag — voc review and voc agreement
    on a tagged table whose text column has no known name said 'give it with --text-col', which neither has."""
    df = tagged_frame(4).rename(columns={"text": "备注"})
    tagged = tmp_path / "tagged.csv"
    df.to_csv(tagged, index=False)
    for args in (["review", str(tagged), "--no-browser"], ["agreement", str(tagged), str(tagged)]):
        r = CliRunner().invoke(main, args)
        line = r.output.strip()
        assert r.exit_code == 2 and len(line.splitlines()) == 1, r.output
        assert "cannot tell which column holds the text" in line and "text_col" not in line, line
        # both take --text-col (voc review since the QA pass on a monthly export, voc agreement since the next)
        assert "give it with --text-col" in line, line
    assert not (tmp_path / "review.sqlite").exists()
    for args in (["review", str(tagged), "--no-browser"], ["agreement", str(tagged), str(tagged)]):
        r = CliRunner().invoke(main, [*args, "--text-col", "nope"])
        assert r.exit_code == 2 and "no column 'nope' for the text" in r.output, r.output


def test_a_project_reopened_with_another_input_of_the_same_ids_is_refused(tmp_path):
    # Found in a market-researcher QA pass: a second group's transcript (same file name, so the same
    # statement ids) given with the first group's project said "48 statements (0 new)" and served the
    # first group's texts: every statement of the input was dropped, silently.
    first = tmp_path / "first.csv"
    tagged_frame(6).to_csv(first, index=False)
    db = tmp_path / "review.sqlite"
    store = open_project([first], db)
    store.decide("t:2-s01", {"issue": "signal"}, "wang")
    store.close()
    other = tagged_frame(8)
    other.loc[1, "text"] = "小区电梯里一点信号都没有"  # t:2-s01, another statement under the same id
    other.loc[3, "text"] = "营业厅只开了一个窗口"
    second = tmp_path / "second.csv"
    other.to_csv(second, index=False)
    before = db.read_bytes()
    with pytest.raises(InputError, match="other text"):
        open_project([second], db)
    r = CliRunner().invoke(main, ["review", str(second), "--db", str(db), "--no-browser"])
    line = r.output.strip()
    assert r.exit_code == 2 and len(line.splitlines()) == 1 and "Traceback" not in line, r.output
    assert "2 of the input's 8 statements" in line and "t:2-s01" in line and "小区电梯里" in line, line
    assert "another input" in line and "--db NEW.sqlite" in line and "db=" not in line, line
    assert db.read_bytes() == before  # nothing added, the decision kept
    grown = tagged_frame(8)  # the same input grown by two rows reopens as before
    grown.to_csv(second, index=False)
    store = open_project([second], db)
    assert store.added == 2 and store.row("t:2-s01", "wang")["human"]["issue"] == "signal"
    store.close()


def test_speakers_csv_fills_speaker_attrs(tmp_path):
    people = tmp_path / "people.csv"
    pd.DataFrame({"speaker": ["用户1", "用户2"], "attrs": ["退休教师", "个体户"]}).to_csv(people, index=False)
    df = apply_speakers(tagged_frame(4), read_speakers(people))
    assert df.set_index("statement_id")["speaker_attrs"].to_dict() == {
        "t:1-s01": "", "t:2-s01": "退休教师", "t:3-s01": "个体户", "t:4-s01": ""}
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"name": ["x"]}).to_csv(bad, index=False)
    with pytest.raises(Exception, match="speaker_attrs"):
        read_speakers(bad)


def test_a_speakers_file_that_replaces_the_headers_attributes_says_so(tmp_path):
    # found in a two-coder QA pass: --speakers silently replaced 教师，45岁 from the transcript header
    src = tmp_path / "tagged.csv"
    df = tagged_frame(4)
    df["speaker_attrs"] = ["", "教师，45岁", "", ""]  # 用户1 as the header described her
    df.to_csv(src, index=False)
    people = tmp_path / "people.csv"
    pd.DataFrame({"speaker": ["用户1", "用户2"], "speaker_attrs": ["教师（江夏）", "个体户"]}).to_csv(people, index=False)
    said = []
    store = open_project([src], tmp_path / "p.sqlite", speakers=people, progress=said.append)
    store.close()
    assert f"{people}: the file's attributes replace the transcript header's for 1 speaker " \
           "(e.g. 用户1: 教师，45岁 → 教师（江夏）)" in said, said


def test_agreement_and_export_commands(tmp_path):
    src = tmp_path / "tagged.csv"
    tagged_frame().to_csv(src, index=False)
    store = open_project([src], None)
    assert store.path == tmp_path / "review.sqlite"  # default: beside the input
    for i in range(1, 7):
        store.decide(f"t:{i}-s01", {"issue": "billing"}, "wang")
        store.decide(f"t:{i}-s01", {"issue": "billing" if i < 4 else "signal"}, "li")
    store.close()
    r = CliRunner().invoke(main, ["agreement", str(store.path), "-o", str(tmp_path / "agree.xlsx")])
    assert r.exit_code == 0, r.output
    assert re.search(r"issue\s+li vs wang: n=6\s+agree=50.0%", r.output)
    assert "issue     model vs li" in r.output
    r = CliRunner().invoke(main, ["export", str(store.path), "-o", str(tmp_path / "coded.qdpx")])
    assert r.exit_code == 0 and (tmp_path / "coded.qdpx").stat().st_size > 500
    r = CliRunner().invoke(main, ["export", str(store.path), "-o", str(tmp_path / "coded.txt")])
    assert r.exit_code == 2 and ".qdpx" in r.output and "Traceback" not in r.output  # every choice named
    assert not (tmp_path / "coded.txt").exists()
    # two coders who used one value only: κ is undefined and shows as "–", as on the review page
    for name in ("a", "b"):
        pd.DataFrame({"text": ["宽带断了", "话费多扣", "信号差"], "issue": ["billing"] * 3}).to_csv(
            tmp_path / f"{name}.csv", index=False)
    r = CliRunner().invoke(main, ["agreement", str(tmp_path / "a.csv"), str(tmp_path / "b.csv")])
    assert r.exit_code == 0 and "kappa=–" in r.output and "nan" not in r.output, r.output
    r = CliRunner().invoke(main, ["agreement", str(src)])  # a table, not a project file
    assert r.exit_code == 2 and "not a review project file" in r.output and "new file name" not in r.output


@pytest.mark.slow
def test_voc_review_serves_and_stops_cleanly_on_ctrl_c(tmp_path):
    src = tmp_path / "tagged.csv"
    tagged_frame().to_csv(src, index=False)
    (tmp_path / "models").mkdir()
    proc = subprocess.Popen([sys.executable, "-c", "from voiceofcustomer.cli.main import main; main()", "review",
                             str(src), "--no-browser", "--coder", "zhao", "--write-dir", str(tmp_path / "models")],
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            start_new_session=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", line)
        assert m, line
        req = urllib.request.Request(f"http://127.0.0.1:{m.group(1)}/api/decide", method="POST",
                                     data=b'{"statement_id": "t:2-s01", "labels": {"stance": "praise"}}',
                                     headers={"Content-Type": "application/json", "X-Review-Token": m.group(2)})
        assert urllib.request.urlopen(req, timeout=10).status == 200
        req = urllib.request.Request(f"http://127.0.0.1:{m.group(1)}/api/jobs/teach",
                                     headers={"X-Review-Token": m.group(2)})
        job = json.loads(urllib.request.urlopen(req, timeout=10).read())  # the buttons write into --write-dir
        assert job["state"] == "idle" and job["root"] == str((tmp_path / "models").resolve())
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        err = proc.communicate(timeout=20)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "stopped" in err and "Traceback" not in err
    store = open_project([], tmp_path / "review.sqlite")  # reopen: the decision is there
    assert store.coder_labels().set_index("statement_id").loc["t:2-s01", "stance"] == "praise"
    store.close()


def test_the_readme_example_opens_the_shipped_ticket_sample(tmp_path):
    # `voc tag tickets.csv -o tagged.xlsx && voc review tagged.xlsx`: the sample exports ticket
    # GD2026080300175 twice; the review refused the whole table until repeated rows were kept once
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "corpora" / "samples" / "tickets.csv"
    tagged = tmp_path / "tagged.csv"
    r = CliRunner().invoke(main, ["tag", str(sample), "-o", str(tagged)])
    assert r.exit_code == 0, r.output
    said = []
    store = open_project([tagged], None, progress=said.append)
    assert len(store) == 319 and store.repeated == 1  # 320 rows, one of them a repeat
    assert "GD2026080300175" in set(store.statements_frame()["statement_id"])
    assert any("1 repeated row" in m for m in said)
    store.close()


def test_voc_review_says_how_many_candidate_items_it_loaded(tmp_path, monkeypatch):
    # Found using the workbench as a new coder: `voc review … --items items.xlsx` said nothing of the
    # items, so a wrong or empty workbook went unnoticed until the items view was opened.
    from test_review_items import write_items

    import voiceofcustomer.review.app as review_app

    src = tmp_path / "tagged.csv"
    tagged_frame().to_csv(src, index=False)
    write_items(tmp_path / "items.xlsx")
    monkeypatch.setattr(review_app, "serve", lambda store, **kw: None)  # no server: only the opening lines
    args = ["review", str(src), "--no-browser", "--coder", "zhao", "--items", str(tmp_path / "items.xlsx")]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "4 candidate items (4 new) in the items view" in r.output
    r = CliRunner().invoke(main, args)  # reopened: the same items, none new
    assert "4 candidate items (0 new)" in r.output
    # a second coder reopening without --items is told the items are there too (found in a two-coder QA pass:
    # the opening line said nothing of the 26 items already in the items view)
    r = CliRunner().invoke(main, args[:-2] + ["--coder", "li"])
    assert r.exit_code == 0, r.output
    assert "; 4 candidate items in the items view" in r.output, r.output


def test_review_counts_one_uncounted_row_in_the_singular(tmp_path, monkeypatch):
    import voiceofcustomer.review.app as review_app

    src = tmp_path / "tagged.csv"
    df = tagged_frame()
    df.loc[len(df)] = df.iloc[0]  # one repeat: the same id and text as the first row, kept once
    df.loc[len(df)] = {**df.iloc[1].to_dict(), "statement_id": "m:1", "role": "moderator", "text": "大家怎么看？"}
    df.to_csv(src, index=False)
    monkeypatch.setattr(review_app, "serve", lambda store, **kw: None)
    r = CliRunner().invoke(main, ["review", str(src), "--no-browser", "--coder", "zhao"])
    assert r.exit_code == 0, r.output
    assert "1 repeated row (same id and text as an earlier row) kept once" in r.output
    assert "1 moderator turn, repeat or empty row not in the queue" in r.output, r.output


def test_review_and_agreement_say_what_they_leave_out(tmp_path, monkeypatch):
    # Moderator turns and repeats count nowhere: voc review says they are not in the queue, and voc agreement
    # leaves decisions on them out of κ and α and says so (an older project may hold some).
    from test_review_store import focus_group_frame

    import voiceofcustomer.review.app as review_app

    src = tmp_path / "tagged.csv"
    focus_group_frame().to_csv(src, index=False)
    monkeypatch.setattr(review_app, "serve", lambda store, **kw: None)  # no server: only the opening lines
    r = CliRunner().invoke(main, ["review", str(src), "--no-browser", "--coder", "wang"])
    assert r.exit_code == 0, r.output
    assert "8 statements (8 new)" in r.output and "3 moderator turns, repeats and empty rows not in the queue" in r.output
    store = open_project([], tmp_path / "review.sqlite")
    for coder in ("wang", "li"):
        store.decide("t:4-s01", {}, coder)
        store.decide("t:2-s01", {}, coder)
    store.close()
    r = CliRunner().invoke(main, ["agreement", str(tmp_path / "review.sqlite")])
    assert r.exit_code == 0, r.output
    assert "1 decided moderator turn or repeat left out: it counts nowhere" in r.output and "(s)" not in r.output
    assert re.search(r"issue\s+li vs wang: n=1\s", r.output)


def test_agreement_at_chance_is_reported_as_zero_not_negative_zero(tmp_path):
    """QA: two coders who agree exactly at chance printed kappa=-0.000 and agreement.xlsx held -3.469447e-17
    (float noise); κ and α are reported rounded, never as negative zero."""
    a = ["billing", "billing", "billing", "signal", "billing"]
    b = ["other", "other", "signal", "other", "billing"]  # po = pe = 0.2: κ = 0 exactly, -3.5e-17 in floats
    for name, issue in (("a", a), ("b", b)):
        pd.DataFrame({"statement_id": list("12345"), "text": ["甲", "乙", "丙", "丁", "戊"],
                      "issue": issue}).to_csv(tmp_path / f"{name}.csv", index=False)
    out = tmp_path / "agree.xlsx"
    r = CliRunner().invoke(main, ["agreement", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "kappa=0.000" in r.output and "-0.000" not in r.output, r.output
    kappa = pd.read_excel(out, sheet_name="pairs").query("field == 'issue'").kappa.iloc[0]
    assert kappa == 0 and not np.signbit(kappa)

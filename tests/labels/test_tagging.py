from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.labels.tagging import LABEL_COLUMNS, tag, tag_chunks

DATA = Path(__file__).resolve().parents[1] / "data"
TEXTS = ["宽带晚上老掉线", "", "营业厅排队一个多小时", "=SUM(A1) 扣费不对", "信号太差了！！"] * 3


def _frame():
    return pd.DataFrame({"工单编号": [f"G{i}" for i in range(len(TEXTS))], "渠道": ["热线"] * len(TEXTS),
                         "投诉内容": TEXTS})


def test_tag_dataframe_keeps_rows_and_columns():
    df = _frame()
    out = tag(df, text_col="投诉内容")
    assert list(out.columns[:3]) == ["工单编号", "渠道", "投诉内容"]
    assert all(c in out.columns for c in LABEL_COLUMNS + ["note"])
    assert out["工单编号"].tolist() == df["工单编号"].tolist()
    empty = out[out["投诉内容"] == ""]
    assert (empty.issue == "other").all() and (empty.servqual == "none").all() and empty.needs_review.all()
    assert (empty.note == "empty text").all()


def test_review_threshold():
    df = _frame()
    assert tag(df, text_col="投诉内容", review_below=1.0).needs_review.all()
    lax = tag(df, text_col="投诉内容", review_below=0.0)
    assert lax.needs_review.tolist() == (lax["投诉内容"] == "").tolist()


def test_parallel_equals_serial():
    chunks = [_frame().iloc[i:i + 4] for i in range(0, len(TEXTS), 4)]
    serial = pd.concat(tag_chunks(chunks, "投诉内容", n_jobs=1), ignore_index=True)
    parallel = pd.concat(tag_chunks(chunks, "投诉内容", n_jobs=2), ignore_index=True)
    pd.testing.assert_frame_equal(serial, parallel)
    assert serial["工单编号"].tolist() == _frame()["工单编号"].tolist()


_INTERRUPTED = """
import multiprocessing as mp, os, signal, sys, time
import click
import pandas as pd
from voiceofcustomer.cli.support import library_call
from voiceofcustomer.labels.tagging import tag_chunks

SIG, GROUP = getattr(signal, sys.argv[1]), sys.argv[2] == "group"

def chunks():
    for i in range(8):
        if i == 4:  # Ctrl-C in a terminal signals every process of the group; `kill -INT PID` only this one
            for child in mp.active_children() if GROUP else ():
                os.kill(child.pid, SIG)
            time.sleep(0.5)  # a worker that takes it as KeyboardInterrupt prints its traceback now
            os.kill(os.getpid(), SIG)
        yield pd.DataFrame({"text": ["宽带晚上老掉线", "营业厅排队一个多小时", "信号太差了"]})

@click.command()
@library_call
def run():
    for _ in tag_chunks(chunks(), "text", n_jobs=2):
        time.sleep(0.1)  # workers answer while the parent is stopping

run(args=[])
"""


@pytest.mark.parametrize("sig, target", [("SIGINT", "group"), ("SIGINT", "parent")])
def test_an_interrupt_stops_the_worker_processes_with_one_line(sig, target):
    # Found in the scale QA pass: Ctrl-C in a terminal reaches every process of the group, and each
    # tagging worker printed its own KeyboardInterrupt traceback (90 lines above voc's one line);
    # workers so interrupted while idle could leave the pool's shutdown waiting for ever.
    from interrupted_run import run_script

    returncode, err = run_script(_INTERRUPTED, sig, target, timeout=60)
    assert returncode == 130, err  # 128 + SIGINT
    assert err == "Error: interrupted; the outputs were left as they were before this run\n"


_STOPPED_AS_IT_STARTS = """
import os, signal, sys
import click
import pandas as pd
from voiceofcustomer.cli.support import library_call
from voiceofcustomer.labels import tagging

FLAG, real = sys.argv[1], tagging._quiet_worker

def stopped_before_its_first_line():
    # the pool's stop (SIGTERM) reaching a worker before its initializer ran: a run that stops as its
    # workers start (a malformed row on an export's first lines) stops them at that moment
    if not os.path.exists(FLAG):
        open(FLAG, "w").close()
        os.kill(os.getpid(), signal.SIGTERM)
    real()

tagging._quiet_worker = stopped_before_its_first_line

@click.command()
@library_call
def run():
    chunks = [pd.DataFrame({"text": ["宽带晚上老掉线", "信号太差了"]})] * 3
    assert sum(len(c) for c in tagging.tag_chunks(chunks, "text", n_jobs=2)) == 6

run(args=[])
"""


def test_a_worker_stopped_before_its_initializer_ran_says_nothing(tmp_path):
    # Found in a complaint-team QA pass: `voc tag bad_gbk.csv` (a complaint with an unquoted comma on
    # line 11) said its one line, and above it a worker printed a 20-line `Terminated` traceback: the
    # run stopped the pool while a worker, forked with voc's SIGTERM handler, had not yet set it back.
    from interrupted_run import run_script

    returncode, err = run_script(_STOPPED_AS_IT_STARTS, str(tmp_path / "stopped"), timeout=120)
    assert (tmp_path / "stopped").exists()  # a worker was stopped so
    assert returncode == 0 and err == "", err  # and died without a word; the pool put another in its place


@pytest.mark.parametrize("ext", ["csv", "xlsx", "parquet", "jsonl"])
def test_cli_tag_gbk_csv_all_formats(tmp_path, ext):
    src = tmp_path / "t.csv"
    _frame().to_csv(src, index=False, encoding="gbk")
    out = tmp_path / f"out.{ext}"
    res = CliRunner().invoke(main, ["tag", str(src), "-o", str(out), "--chunk-size", "4", "-q"])
    assert res.exit_code == 0, res.output
    if ext == "csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
        got = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
        assert got.loc[3, "投诉内容"].startswith("'=")  # formula neutralised
    else:
        got = {"xlsx": pd.read_excel, "parquet": pd.read_parquet,
               "jsonl": lambda p: pd.read_json(p, lines=True)}[ext](out)
    assert len(got) == len(TEXTS)
    assert got["工单编号"].tolist() == _frame()["工单编号"].tolist()
    assert set(LABEL_COLUMNS) <= set(got.columns)


def test_cli_tag_errors(tmp_path):
    src = tmp_path / "t.csv"
    src.write_text("a,b\n1,2\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["tag", str(src), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "--text-col" in res.output
    assert not (tmp_path / "o.csv").exists()
    res = CliRunner().invoke(main, ["tag", str(src), "-o", str(tmp_path / "o.txt"), "--text-col", "a"])
    assert res.exit_code == 2 and "unsupported output" in res.output


def test_reuse_tags_only_new_texts(tmp_path):
    first = tmp_path / "oct.csv"
    _frame().iloc[:6].to_csv(first, index=False)
    grown = tmp_path / "nov.csv"
    extra = pd.DataFrame({"工单编号": ["N1", "N2"], "渠道": ["APP", "APP"], "投诉内容": ["携号转网被拒", "宽带晚上老掉线"]})
    pd.concat([_frame(), extra]).to_csv(grown, index=False)
    runner = CliRunner()
    assert runner.invoke(main, ["tag", str(first), "-o", str(tmp_path / "oct_tagged.csv"), "-q"]).exit_code == 0
    res = runner.invoke(main, ["tag", str(grown), "-o", str(tmp_path / "nov_tagged.csv"),
                               "--reuse", str(tmp_path / "oct_tagged.csv")])
    assert res.exit_code == 0, res.output
    # 17 rows; every text but 携号转网被拒 was labelled in October (the export repeats its texts)
    assert "16 with labels reused" in res.output
    out = pd.read_csv(tmp_path / "nov_tagged.csv", encoding="utf-8-sig", keep_default_na=False)
    fresh = tag(pd.concat([_frame(), extra], ignore_index=True), text_col="投诉内容")
    assert out["工单编号"].tolist() == fresh["工单编号"].tolist()
    for col in ("servqual", "demand", "issue", "stance", "needs_review"):
        assert out[col].astype(str).tolist() == fresh[col].astype(str).tolist(), col
    assert (out["issue_conf"] - fresh["issue_conf"]).abs().max() < 1e-3


def test_reuse_rejects_a_file_that_is_not_tagged(tmp_path):
    src = tmp_path / "t.csv"
    _frame().to_csv(src, index=False)
    res = CliRunner().invoke(main, ["tag", str(src), "-o", str(tmp_path / "o.csv"), "--reuse", str(src)])
    assert res.exit_code == 2 and "not a `voc tag` output" in res.output


@pytest.mark.parametrize("suffix, text_name, text_col", [
    (".xlsx", "投诉内容", None),   # the export's own names, found as every stage finds them
    (".csv", "客户原话", "客户原话"),  # a column the user renamed, given as --text-col gives it
])
def test_previous_labels_read_a_tag_export_with_the_users_column_names(tmp_path, suffix, text_name, text_col):
    from voiceofcustomer.labels.tagging import PreviousLabels
    from voiceofcustomer.labels.workflow import tag_table

    src = tmp_path / "oct.csv"
    frame = _frame().rename(columns={"投诉内容": text_name})
    frame.to_csv(src, index=False)
    tagged = tmp_path / f"oct_tagged{suffix}"  # the tag export in the format under test
    tag_table(src, tagged, text_col=text_col, n_jobs=1)
    prev = PreviousLabels.read(tagged, text_col=text_col)
    assert len(prev) == len(TEXTS)
    texts = ["信号太差了！！", "从没见过的一句话", "=SUM(A1) 扣费不对"]  # CSV quotes the formula-like text on write
    found, labels = prev.lookup(texts, review_below=0.5)
    assert found.tolist() == [True, False, True]
    written = (pd.read_excel(tagged, dtype=str) if suffix == ".xlsx"
               else pd.read_csv(tagged, dtype=str, keep_default_na=False)).fillna("")
    for i, text in ((0, texts[0]), (1, texts[2])):
        row = written[written[text_name].str.lstrip("'") == text].iloc[0]  # the labels the tag export holds
        assert [labels[f].iloc[i] for f in ("servqual", "demand", "issue", "stance")] == \
            [row[f] for f in ("servqual", "demand", "issue", "stance")]
        assert abs(labels["issue_conf"].iloc[i] - float(row["issue_conf"])) < 1e-4
    # and as `--reuse` of a grown export: nothing labelled before is tagged again
    grown = tmp_path / "nov.csv"
    more = pd.concat([frame, pd.DataFrame({"工单编号": ["N1"], "渠道": ["APP"], text_name: ["携号转网被拒"]})])
    more.to_csv(grown, index=False)
    summary = tag_table(grown, tmp_path / f"nov_tagged{suffix}", text_col=text_col, reuse=tagged, n_jobs=1)
    assert (summary.reused, summary.tagged) == (len(TEXTS), 1)


def test_previous_labels_read_a_tagged_statements_table(tmp_path):
    from voiceofcustomer.labels.tagging import PreviousLabels
    from voiceofcustomer.labels.workflow import tag_table

    st = tmp_path / "st.csv"
    CliRunner().invoke(main, ["split", str(DATA / "tickets_small.csv"), "-o", str(st), "-q"], catch_exceptions=False)
    tag_table(st, tmp_path / "st_tagged.csv", n_jobs=1)
    statements = pd.read_csv(st, keep_default_na=False)
    prev = PreviousLabels.read(tmp_path / "st_tagged.csv")
    found, _ = prev.lookup(statements["text"].tolist(), review_below=0.5)
    assert found.all()  # keyed on the statements' text, not the ticket export's columns


# -- --reuse and the model that labelled the earlier output ------------------------------------------
def _other_model(tmp_path, corpus_parts) -> Path:
    """A real model other than the shipped one (a team's taught model, a newer release): small and fast."""
    from voiceofcustomer.labels.model import LabelModel, save_model

    corpus = corpus_parts("a").groupby("issue").head(15).reset_index(drop=True)
    folder = tmp_path / "my-model"
    folder.mkdir()
    save_model(LabelModel(C=10, min_df=1).fit(corpus["text"].tolist(), corpus), folder / "labels.joblib")
    (folder / "metrics.json").write_text('{"trained": "2027-01-15"}', encoding="utf-8")
    return folder


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_reuse_refuses_labels_of_another_model(tmp_path, corpus_parts, suffix):
    # After `voc train --add … -o my-model/`, `voc tag nov.csv --model my-model/ --reuse oct_tagged` kept the
    # shipped model's labels for every October text and gave my-model's to the new ones, in one table.
    first, grown = tmp_path / "oct.csv", tmp_path / "nov.csv"
    _frame().iloc[:6].to_csv(first, index=False)
    _frame().to_csv(grown, index=False)
    earlier = tmp_path / f"oct_tagged{suffix}"
    runner = CliRunner()
    assert runner.invoke(main, ["tag", str(first), "-o", str(earlier), "-q"]).exit_code == 0
    mine = _other_model(tmp_path, corpus_parts)
    res = runner.invoke(main, ["tag", str(grown), "-o", str(tmp_path / "nov_tagged.csv"), "--model", str(mine),
                               "--reuse", str(earlier)])
    assert res.exit_code == 2, res.output
    msg = res.output.strip()
    assert "\n" not in msg and "Traceback" not in msg
    assert str(earlier) in msg and "shipped model" in msg and str(mine) in msg and "2027-01-15" in msg
    assert "without --reuse" in msg
    assert not (tmp_path / "nov_tagged.csv").exists()
    # the same model reuses, as before; and the new model's own output is reusable with it
    res = runner.invoke(main, ["tag", str(grown), "-o", str(tmp_path / "nov_same.csv"), "--reuse", str(earlier)])
    assert res.exit_code == 0 and "with labels reused" in res.output and "note:" not in res.output, res.output
    mine_out = tmp_path / f"oct_mine{suffix}"
    assert runner.invoke(main, ["tag", str(first), "-o", str(mine_out), "--model", str(mine), "-q"]).exit_code == 0
    res = runner.invoke(main, ["tag", str(grown), "-o", str(tmp_path / "nov_mine.csv"), "--model", str(mine),
                               "--reuse", str(mine_out)])
    assert res.exit_code == 0, res.output


def test_reuse_of_an_output_that_cannot_say_its_model_keeps_it_with_a_note(tmp_path):
    from voiceofcustomer.io.readers import file_properties
    from voiceofcustomer.labels.workflow import MODEL_PROPERTY, tag_table

    first, grown = tmp_path / "oct.csv", tmp_path / "nov.csv"
    _frame().iloc[:6].to_csv(first, index=False)
    _frame().to_csv(grown, index=False)
    tag_table(first, tmp_path / "oct_tagged.csv", n_jobs=1)
    tag_table(first, tmp_path / "oct_tagged.parquet", n_jobs=1)
    assert file_properties(tmp_path / "oct_tagged.csv") == {}  # CSV has no place for it
    assert MODEL_PROPERTY in file_properties(tmp_path / "oct_tagged.parquet")
    out = pd.read_parquet(tmp_path / "oct_tagged.parquet")  # the metadata does not disturb pandas' own
    assert out["工单编号"].tolist() == _frame().iloc[:6]["工单编号"].tolist()
    summary = tag_table(grown, tmp_path / "nov_tagged.csv", reuse=tmp_path / "oct_tagged.csv", n_jobs=1)
    assert summary.reused > 0 and len(summary.notes) == 1 and "oct_tagged.csv" in summary.notes[0]
    summary = tag_table(grown, tmp_path / "nov_tagged2.csv", reuse=tmp_path / "oct_tagged.parquet", n_jobs=1)
    assert summary.reused > 0 and summary.notes == []


def test_reuse_never_lends_a_text_the_labels_it_had_in_another_context(tmp_path):
    """An output records no context, and --reuse looked labels up by text alone: "请尽快处理。" of a
    ticket about broadband took the labels it had had as a ticket of its own (found in the ticket-context
    pass). A row with a context is labelled again; a row without one is still reused."""
    runner = CliRunner()
    split = tmp_path / "st.csv"
    assert runner.invoke(main, ["split", "tests/data/tickets_followups.csv", "-o", str(split), "-q"]).exit_code == 0
    table = pd.read_csv(split, dtype=str, keep_default_na=False)
    earlier = tmp_path / "earlier.csv"
    table[table["ticket_id"] == "F03"].to_csv(earlier, index=False)  # 请尽快处理。 as a ticket of its own
    assert runner.invoke(main, ["tag", str(earlier), "-o", str(tmp_path / "earlier.parquet"), "-q"]).exit_code == 0
    res = runner.invoke(main, ["tag", str(split), "-o", str(tmp_path / "now.parquet"), "--jobs", "1",
                               "--reuse", str(tmp_path / "earlier.parquet")])
    assert res.exit_code == 0, res.output
    assert "1 with labels reused" in res.output  # F03's own sentence, read alone in both
    now = pd.read_parquet(tmp_path / "now.parquet").set_index("statement_id")
    assert runner.invoke(main, ["tag", str(split), "-o", str(tmp_path / "fresh.parquet"), "--jobs", "1",
                                "-q"]).exit_code == 0
    fresh = pd.read_parquet(tmp_path / "fresh.parquet").set_index("statement_id")
    assert now.loc["tickets_followups:1-s02", "text"] == "请尽快处理。"
    assert now.loc["tickets_followups:1-s02", "issue"] == "broadband"
    assert now[["servqual", "demand", "issue", "stance"]].equals(fresh[["servqual", "demand", "issue", "stance"]])

"""Every command's output is a valid input of the next, and no column is lost on the way.

Files are written by one command and read by the next through the CLI, as a user
would chain them: split → tag → themes → freq → items → survey → gap, plus the short
cuts tag → items, tag → themes and split(mixed inputs) → tag.
"""

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.statements import LABEL_COLUMNS, STATEMENT_COLUMNS, TOPIC


DATA = Path(__file__).parent / "data"


def run(*args):
    res = CliRunner().invoke(main, [*map(str, args), "-q"])
    assert res.exit_code == 0, f"voc {' '.join(map(str, args))}: {res.output}"
    return res


def columns(path) -> list[str]:
    return pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns.tolist()


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def assert_kept(before, after, what):
    lost = [c for c in columns(before) if c not in columns(after)]
    assert not lost, f"{what} lost columns {lost}"


@pytest.fixture(scope="module")
def split_tag(tmp_path_factory):
    """split(transcript + tickets) → tag: the quick first half of the chain."""
    d = tmp_path_factory.mktemp("chain")
    run("split", DATA / "transcript_small.txt", DATA / "tickets_small.csv", "-o", d / "statements.csv")
    run("tag", d / "statements.csv", "-o", d / "tagged.csv", "--jobs", "1")
    return d


def test_split_mixed_then_tag_keeps_every_column(split_tag):
    d = split_tag
    assert {*STATEMENT_COLUMNS, "ticket_id", "工单编号", "渠道", "受理时间"} <= set(columns(d / "statements.csv"))
    assert_kept(d / "statements.csv", d / "tagged.csv", "voc tag")
    tagged = read(d / "tagged.csv")
    assert set(LABEL_COLUMNS) <= set(tagged.columns)
    assert tagged["statement_id"].tolist() == read(d / "statements.csv")["statement_id"].tolist()
    assert tagged.loc[tagged["source"] == "tickets_small.csv", "ticket_id"].str.startswith("T").all()


def test_tag_export_then_items(tmp_path, data_dir):
    run("tag", data_dir / "tickets_small.csv", "-o", tmp_path / "t.csv", "--jobs", "1")
    assert_kept(data_dir / "tickets_small.csv", tmp_path / "t.csv", "voc tag")
    run("items", tmp_path / "t.csv", "-o", tmp_path / "items.xlsx")
    items = pd.read_excel(tmp_path / "items.xlsx", sheet_name="items")
    assert len(items) and items["evidence"].astype(str).str.contains(r"T0\d\d:").all()


def test_split_tag_then_freq(split_tag, tmp_path):
    run("freq", split_tag / "tagged.csv", "-o", tmp_path / "freq", "--by", "渠道", "--date-col", "受理时间")
    notes = read(tmp_path / "freq" / "notes.csv").set_index("note")["count"]
    tagged = read(split_tag / "tagged.csv")
    expected = ((tagged["role"] != "moderator") & (tagged["is_duplicate"] != "True")
                & (tagged["text"].str.strip() != "")).sum()
    assert int(notes["rows counted"]) == expected
    assert (tmp_path / "freq" / "by_渠道.csv").exists()


@pytest.mark.slow
def test_tag_export_then_themes(tmp_path, data_dir):
    run("tag", data_dir / "tickets_small.csv", "-o", tmp_path / "t.csv", "--jobs", "1")
    run("themes", tmp_path / "t.csv", "-o", tmp_path / "themes", "--embedding", "lsa", "--n-topics", "2")
    assert_kept(tmp_path / "t.csv", tmp_path / "themes" / "statement_topics.csv", "voc themes")
    st = read(tmp_path / "themes" / "statement_topics.csv")
    assert st["工单编号"].tolist() == [f"T{i:03d}" for i in range(1, 13)]  # one row per ticket, in order



@pytest.mark.slow
def test_themes_of_an_untagged_export_then_tag(tmp_path, data_dir):
    """docs/themes.md's curated-set recipe: themes first, then `voc tag out/statement_topics.csv`.
    That table keeps the export's 投诉内容 beside the tool's own text column; voc tag stopped with
    'several candidates' (found by running the docs' commands)."""
    run("themes", data_dir / "tickets_small.csv", "-o", tmp_path / "themes", "--embedding", "lsa", "--n-topics", "2")
    topics = tmp_path / "themes" / "statement_topics.csv"
    # an untagged export is split into statements, as voc split and voc analyze split it
    assert {"text", "statement_id", "ticket_id"} <= set(columns(topics))
    assert read(topics)["statement_id"].str.startswith("tickets_small:").all()
    run("tag", topics, "-o", tmp_path / "tagged.csv", "--jobs", "1")
    assert_kept(topics, tmp_path / "tagged.csv", "voc tag")
    tagged = read(tmp_path / "tagged.csv")
    assert tagged["statement_id"].tolist() == read(topics)["statement_id"].tolist()
    assert set(LABEL_COLUMNS) <= set(tagged.columns)
    # an export tagged directly is read as it is: its statement_topics.csv keeps 投诉内容 beside text
    run("tag", data_dir / "tickets_small.csv", "-o", tmp_path / "export_tagged.csv", "--jobs", "1")
    run("themes", tmp_path / "export_tagged.csv", "-o", tmp_path / "themes2", "--embedding", "lsa", "--n-topics", "2")
    topics = tmp_path / "themes2" / "statement_topics.csv"
    assert {"投诉内容", "text", "statement_id"} <= set(columns(topics))
    run("tag", topics, "-o", tmp_path / "again.csv", "--jobs", "1")
    assert_kept(topics, tmp_path / "again.csv", "voc tag")

def _accept_first(items_xlsx, n: int) -> None:
    book = openpyxl.load_workbook(items_xlsx)
    ws = book["items"]
    header = [c.value for c in ws[1]]
    col = header.index("decision") + 1
    for row in range(2, min(ws.max_row, n + 1) + 1):
        ws.cell(row=row, column=col, value="accept")
    book.save(items_xlsx)


def _responses(template, out, n: int = 40) -> None:
    cols = columns(template)
    rng = np.random.default_rng(0)
    rows = {}
    for c in cols:
        if c.startswith(("E_", "P_")):
            rows[c] = rng.integers(1, 8, n)
        elif c.startswith("W_"):
            rows[c] = [0] * n
        else:
            rows[c] = [f"r{i}" for i in range(n)]
    weights = [c for c in cols if c.startswith("W_")]
    for i in range(n):  # importance points sum to 100
        for j, c in enumerate(weights):
            rows[c][i] = 100 - 20 * (len(weights) - 1) if j == 0 else 20
    pd.DataFrame(rows, columns=cols).to_csv(out, index=False)


@pytest.mark.slow
def test_whole_chain_split_to_gap(split_tag, tmp_path):
    d = split_tag
    run("themes", d / "tagged.csv", "-o", tmp_path / "themes", "--embedding", "lsa", "--n-topics", "3")
    topics = tmp_path / "themes" / "statement_topics.csv"
    assert_kept(d / "tagged.csv", topics, "voc themes")
    assert TOPIC in columns(topics)

    run("freq", topics, "-o", tmp_path / "freq", "--by", "topic_label")
    assert (tmp_path / "freq" / "by_topic_label.csv").exists()

    run("items", topics, "-o", tmp_path / "items.xlsx")
    items = pd.read_excel(tmp_path / "items.xlsx", sheet_name="items")
    ids = set(read(topics)["statement_id"])
    cited = {e.split(": ")[0] for ev in items["evidence"].dropna() for e in str(ev).split(" | ")}
    assert cited and cited <= ids  # evidence points at statements of the input

    _accept_first(tmp_path / "items.xlsx", 6)
    run("survey", tmp_path / "items.xlsx", "-o", tmp_path / "survey", "--format", "csv")
    codebook = read(tmp_path / "survey" / "codebook.csv")
    assert len(codebook) == 6

    _responses(tmp_path / "survey" / "responses_template.csv", tmp_path / "responses.csv")
    run("gap", tmp_path / "responses.csv", "--codebook", tmp_path / "survey" / "codebook.csv", "-o", tmp_path / "gap")
    gap_items = read(tmp_path / "gap" / "items.csv")
    assert set(codebook["item_id"]) <= set(gap_items["item_id"])

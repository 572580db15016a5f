"""``voc themes`` end to end: outputs, offline HTML, escaping, per-class and over-time tables, errors."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main

SAMPLES = Path(__file__).resolve().parents[2] / "corpora" / "samples"
DATA = Path(__file__).resolve().parents[1] / "data"

EVIL = "<script>alert('x')</script>宽带掉线"


@pytest.fixture(scope="module")
def tickets_csv(tmp_path_factory, themes_corpus):
    texts, _subjects = themes_corpus
    n = len(texts)
    df = pd.DataFrame({
        "工单编号": [f"GD{i:05d}" for i in range(n)],
        "受理时间": pd.date_range("2026-01-01", periods=n, freq="D").strftime("%Y-%m-%d %H:%M:%S"),
        "渠道": ["热线" if i % 3 else "营业厅" for i in range(n)],
        "内容": texts,
    })
    df.loc[5, "内容"] = EVIL
    path = tmp_path_factory.mktemp("tickets") / "tickets.csv"
    df.to_csv(path, index=False, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ticket_run(tickets_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "themes"
    res = CliRunner().invoke(main, ["themes", str(tickets_csv), "-o", str(out), "--embedding", "lsa",
                                    "--by", "渠道", "--date-col", "受理时间", "--period", "month", "-q"])
    assert res.exit_code == 0, res.output
    return out


def test_outputs_exist_with_their_columns(ticket_run):
    topics = pd.read_csv(ticket_run / "topics.csv", encoding="utf-8-sig")
    assert {"topic", "parent", "level", "label", "keywords", "size", "share", "representative_ids",
            "representative_texts"} <= set(topics)
    st = pd.read_csv(ticket_run / "statement_topics.csv", encoding="utf-8-sig")
    assert {"statement_id", "text", "topic", "subtopic", "topic_label", "topic_conf", "reason"} <= set(st)
    assert len(st) >= 300 and st["statement_id"].is_unique  # a ticket may hold several sentences
    assert set(st["ticket_id"]) == {f"GD{i:05d}" for i in range(300)}
    by = pd.read_csv(ticket_run / "topics_by_渠道.csv", encoding="utf-8-sig")
    assert set(by["class"]) == {"热线", "营业厅"}
    tot = pd.read_csv(ticket_run / "topics_over_time.csv", encoding="utf-8-sig")
    assert tot["period"].nunique() == 10  # 300 days from January
    info = json.loads((ticket_run / "themes.json").read_text(encoding="utf-8"))
    for key in ("method", "embedding", "clustering", "n_topics", "outlier_share_before", "outlier_share_after"):
        assert key in info
    assert info["embedding"]["backend"] == "lsa" and info["by"] == ["渠道"]


def test_html_is_offline_and_escaped(ticket_run):
    page = (ticket_run / "themes.html").read_text(encoding="utf-8")
    assert page.count("plotly.js v") <= 2 and len(re.findall(r"Plotly\.newPlot", page)) >= 3
    assert not re.search(r"<script[^>]+src=[\"']https?:", page), "plotly.js must be inline, not from a CDN"
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(" in page or "alert" not in page
    # plotly writes figure text as JSON (non-ASCII as \\u escapes)
    for title in ("主题分布图", "各渠道的主题占比", "主题随时间变化"):
        assert title in page or json.dumps(title)[1:-1] in page, title
    assert "<h2>主题与子主题 (themes and sub-themes)</h2>" in page and "<details class='theme'>" in page


def test_transcript_input_and_cache(tmp_path):
    runner = CliRunner()
    args = ["themes", str(SAMPLES / "focus_group_public_tianjin.txt"), "--embedding", "lsa", "-q"]
    first = runner.invoke(main, [*args, "-o", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    assert (tmp_path / ".voc_cache").is_dir()  # next to the output folder
    second = runner.invoke(main, [*args, "-o", str(tmp_path / "b")])
    assert second.exit_code == 0, second.output
    info = json.loads((tmp_path / "b" / "themes.json").read_text(encoding="utf-8"))
    assert info["embedding"]["cached"] == info["n_fitted"]
    a = (tmp_path / "a" / "statement_topics.csv").read_bytes()
    assert a == (tmp_path / "b" / "statement_topics.csv").read_bytes()
    st = pd.read_csv(tmp_path / "a" / "statement_topics.csv", encoding="utf-8-sig")
    assert (st["reason"] == "moderator").sum() > 10


def test_statements_table_input(tmp_path, focus_group):
    path = tmp_path / "statements.csv"
    focus_group.to_csv(path, index=False, encoding="utf-8-sig")
    res = CliRunner().invoke(main, ["themes", str(path), "-o", str(tmp_path / "out"), "--embedding", "lsa",
                                    "--n-topics", "5", "--by", "speaker"])
    assert res.exit_code == 0, res.output
    assert "5 themes" in res.output
    st = pd.read_csv(tmp_path / "out" / "statement_topics.csv", encoding="utf-8-sig")
    assert st["statement_id"].tolist() == focus_group["statement_id"].tolist()
    # the input's own columns come along, so the file goes straight on to voc freq / voc items
    assert {"speaker", "role", "group", "tokens", "topic", "topic_label"} <= set(st.columns)


#: the theme columns of last month's statement_topics.csv (a fitted run's, a curated run's) and of a voc analyze
#: statements.xlsx, all holding values no run of this month gives
LAST_MONTH = {"topic": 99, "subtopic": "99.1", "topic_label": "上个月的主题", "subtopic_label": "上个月的子主题",
              "topic_conf": 0.99, "topic_similarity": 0.99, "reason": "上个月", "topic_reason": "上个月",
              "nearest_label": "上个月的主题", "suggested_theme": "new9", "suggested_label": "上个月的建议"}


def test_a_themed_file_themed_again_carries_this_runs_themes(tmp_path, focus_group):
    """statement_topics.csv kept the input's topic columns and dropped the new ones, so voc themes on last
    month's statement_topics.csv (or a voc analyze statements.xlsx) wrote last month's themes beside this
    run's topics.csv (QA pass 'nothing lost, nothing silently changed', item 1)."""
    focus_group.to_csv(tmp_path / "plain.csv", index=False, encoding="utf-8-sig")
    focus_group.assign(**LAST_MONTH).to_csv(tmp_path / "themed.csv", index=False, encoding="utf-8-sig")
    args = ["--embedding", "lsa", "--n-topics", "5", "-q"]
    for name in ("plain", "themed"):
        res = CliRunner().invoke(main, ["themes", str(tmp_path / f"{name}.csv"), "-o", str(tmp_path / name), *args])
        assert res.exit_code == 0, res.output
    plain, themed = (pd.read_csv(tmp_path / n / "statement_topics.csv", encoding="utf-8-sig") for n in ("plain", "themed"))
    assert list(themed.columns) == list(plain.columns)  # no old theme column is left beside the new ones
    pd.testing.assert_frame_equal(themed, plain)
    topics = pd.read_csv(tmp_path / "themed" / "topics.csv", encoding="utf-8-sig")
    assert set(themed["topic_label"]) <= set(topics["label"]) | {"未归类"}


@pytest.mark.parametrize("extra, message", [
    (["--by", "nope"], "no column 'nope' for --by"),
    (["--date-col", "nope"], "no column 'nope' for --date-col"),
])
def test_user_errors_are_one_line(tickets_csv, tmp_path, extra, message):
    """A misspelt --by or --date-col was told after 'themes: split … into 40 statements', in a message naming no
    file (found in a transcript QA pass); now its one line names the input, and nothing is said before it."""
    res = CliRunner().invoke(main, ["themes", str(tickets_csv), "-o", str(tmp_path / "o"), *extra])
    assert res.exit_code == 2 and message in res.output
    assert "Traceback" not in res.output
    assert res.output.strip().splitlines()[0].startswith(f"Error: {tickets_csv}: no column 'nope'")
    assert len(res.output.strip().splitlines()) == 1 and not (tmp_path / "o").exists()


def test_help_has_an_example():
    res = CliRunner().invoke(main, ["themes", "--help"])
    assert res.exit_code == 0 and "Example:" in res.output and "--embedding" in res.output



# -- QA (Python API pass): `voc themes tickets.csv` read a raw export as a statements table (the statement_id the
# opener adds made every table look like one): a ticket was one unsplit statement with its ticket id as statement
# id, where `voc analyze` splits it into sentences (`tickets:1-s01`) — other statements, other theme ids
def _themes_run(runner, inputs, out, *extra):
    res = runner.invoke(main, ["themes", *map(str, inputs), "-o", str(out), "--embedding", "lsa", "-q", *extra])
    assert res.exit_code == 0, res.output
    return pd.read_csv(out / "statement_topics.csv", encoding="utf-8-sig", dtype=str)


def _analyze_run(runner, inputs, out):
    res = runner.invoke(main, ["analyze", *map(str, inputs), "-o", str(out), "--embedding", "lsa", "--jobs", "1",
                               "-q"])
    assert res.exit_code == 0, res.output
    return pd.read_csv(out / "themes" / "statement_topics.csv", encoding="utf-8-sig", dtype=str)


def _same_themes(a: pd.DataFrame, b: pd.DataFrame) -> None:
    for col in ("statement_id", "ticket_id", "topic", "subtopic", "topic_label", "reason"):
        assert a[col].fillna("").tolist() == b[col].fillna("").tolist(), col


@pytest.fixture(scope="module")
def six_subjects(tmp_path_factory):
    """``voc analyze`` of a ticket export whose short follow-ups (等你们回电。) its tagging calls servqual none."""
    export = Path(__file__).resolve().parents[1] / "data" / "tickets_six_subjects.csv"
    return export, _analyze_run(CliRunner(), [export], tmp_path_factory.mktemp("six") / "report")


def test_a_ticket_export_gets_the_themes_voc_analyze_gives_it(tmp_path):
    export = SAMPLES / "tickets.csv"  # no statement of it is tagged servqual none
    runner = CliRunner()
    alone = _themes_run(runner, [export], tmp_path / "themes")
    assert alone["statement_id"].str.fullmatch(r"tickets:\d+-s\d\d").all()
    assert len(alone) > 320 and alone["ticket_id"].nunique() == 319  # a ticket of several sentences
    report = _analyze_run(runner, [export], tmp_path / "report")
    info = json.loads((tmp_path / "report" / "themes" / "themes.json").read_text("utf-8"))
    if "split_by_issue" not in info["clustering"].get("ticket", {}):
        _same_themes(alone, report)
        return
    # the report is tagged, and a theme of several issues is split by them (docs/themes.md): the same
    # statements, and more themes than the untagged run's
    for col in ("statement_id", "ticket_id", "text"):
        assert alone[col].fillna("").tolist() == report[col].fillna("").tolist(), col
    assert report["topic"].nunique() > alone["topic"].nunique()


def test_an_untagged_export_has_the_statements_of_voc_analyze(six_subjects, tmp_path):
    export, report = six_subjects
    alone = _themes_run(CliRunner(), [export], tmp_path / "themes")
    for col in ("statement_id", "ticket_id", "text"):
        assert alone[col].fillna("").tolist() == report[col].fillna("").tolist(), col
    # voc analyze tags first and sets servqual-none statements aside; voc themes does not tag tickets
    # (docs/themes.md): here the theme ids may differ, and the report's reason column says where
    assert (report["reason"] == "no service content").sum() > 50
    assert "no service content" not in set(alone["reason"])


def test_split_tag_themes_give_the_themes_of_voc_analyze(six_subjects, tmp_path):
    # the route docs/themes.md gives for the report's themes, statement for statement
    export, report = six_subjects
    runner = CliRunner()
    for args in (["split", str(export), "-o", str(tmp_path / "st.csv"), "-q"],
                 ["tag", str(tmp_path / "st.csv"), "-o", str(tmp_path / "tagged.csv"), "--jobs", "1", "-q"]):
        res = runner.invoke(main, args)
        assert res.exit_code == 0, res.output
    alone = _themes_run(runner, [tmp_path / "tagged.csv"], tmp_path / "themes")
    _same_themes(alone, report)
    # and the same table: the statements' own columns (the export's 受理时间, the labels) before the topic
    # columns — the report's had only the topic columns (themes follow-through, issue 9 item 6 /
    # issue 11 item 3)
    assert list(report.columns) == list(alone.columns)
    for col in ("工单编号", "受理时间", "servqual", "issue", "stance"):
        assert report[col].fillna("").tolist() == alone[col].fillna("").tolist(), col


def test_unit_ticket_themes_an_export_row_by_row_as_a_tagged_export_is_read(tmp_path):
    """Split into sentences, the closing requests of the six-subject export (请尽快处理。希望给个说法。)
    are statements of their own (they take their ticket's theme: test_themes_tickets.py); --unit ticket
    reads each row whole, the unit `voc tag tickets.csv` gives (found re-running
    benchmarks/themes_granularity.py)."""
    export = Path(__file__).resolve().parents[1] / "data" / "tickets_six_subjects.csv"
    runner = CliRunner()
    whole = _themes_run(runner, [export], tmp_path / "whole", "--unit", "ticket")
    raw = pd.read_csv(export, dtype=str)
    assert whole["statement_id"].tolist() == raw["工单编号"].tolist()  # one statement per row, every row
    assert whole["text"].tolist() == raw["投诉内容"].tolist()
    split = _themes_run(runner, [export], tmp_path / "split")
    assert len(split) > len(whole) and split["ticket_id"].nunique() == len(raw)
    labels = pd.read_csv(tmp_path / "whole" / "topics.csv", encoding="utf-8-sig", dtype=str)["label"]
    assert not labels.str.contains("说法|回电|重视").any(), labels.tolist()  # no theme of a closing request
    bad = runner.invoke(main, ["themes", str(export), "-o", str(tmp_path / "x"), "--unit", "row"])
    assert bad.exit_code == 2 and "--unit" in bad.output


def test_the_summary_line_counts_the_statements_that_count(tmp_path):
    """``voc themes`` of an export that repeats one ticket and has an empty text said '1 themes, 0 sub-themes in 12
    of 13 statements (…; 未归类 23.1% of all statements)' while its topics.csv counted 11 statements (found by a
    notebook user comparing it with voc freq's 11); the line says the statements that count, as topics.csv
    (themes.model.theme_size) and voc freq count them, beside the rows read."""
    export = Path(__file__).resolve().parents[1] / "data" / "tickets_api.csv"  # A103 twice, A105 empty
    res = CliRunner().invoke(main, ["themes", str(export), "-o", str(tmp_path / "t"), "--embedding",
                                   "lsa"])
    assert res.exit_code == 0, res.output
    line = res.stderr.strip().splitlines()[-1]
    topics = pd.read_csv(tmp_path / "t" / "topics.csv")
    on_themes = int(topics.loc[(topics["level"] == 1) & (topics["topic"] != -1), "count"].sum())
    unassigned = topics.loc[topics["topic"] == -1, "share"].sum()
    assert f": {on_themes} on a theme of the 11 statements that count, 未归类 {unassigned:.1%} (13 rows read;" in line, line


def test_id_col_keeps_the_teams_ticket_ids_through_voc_themes(tmp_path):
    # voc themes had no --id-col ("No such option"), so an export whose id column has a name of its own (受理流水)
    # came out numbered by file and row; voc tag, voc analyze and voc freq take --id-col
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["themes", str(DATA / "tickets_own_id_name.csv"), "-o", str(out), "--embedding",
                                    "lsa", "--unit", "ticket", "--id-col", "受理流水", "-q"])
    assert res.exit_code == 0, res.output
    st = pd.read_csv(out / "statement_topics.csv", encoding="utf-8-sig")
    assert st["statement_id"].tolist() == ["SL-7781", "SL-7782", "SL-7783", "SL-7784"]


def test_themes_takes_moderator_and_says_what_it_took_as_voc_split_does(tmp_path):
    # voc themes of a 说话人1/2/3 export took 说话人1 for the moderator without a word, said nothing of a transcript
    # whose moderator could not be told, and had no --moderator ('No such option') to undo or give it
    clear, unclear = DATA / "transcript_stt_moderator_clear.txt", DATA / "transcript_stt_moderator_unclear.txt"
    runner = CliRunner()
    res = runner.invoke(main, ["themes", str(clear), "-o", str(tmp_path / "a"), "--embedding", "lsa", "-q"])
    assert res.exit_code == 0, res.output
    assert [ln for ln in res.stderr.splitlines() if "moderator" in ln and "customer group" not in ln] == [
        f"note: {clear}: names no moderator; took 说话人1 for the moderator (speaks first, asks in 4 of 4 turns and "
        "speaks between the others 3 times; the others ask in 0 of 8); if that is wrong, give --moderator NAME, or "
        "--moderator none for no moderator"]
    res = runner.invoke(main, ["themes", str(unclear), "-o", str(tmp_path / "b"), "--embedding", "lsa", "-q"])
    assert res.exit_code == 0, res.output
    assert f"warning: {unclear}: no turn is the moderator's" in res.stderr and "took" not in res.stderr
    res = runner.invoke(main, ["themes", str(unclear), "-o", str(tmp_path / "c"), "--embedding", "lsa", "-q",
                               "--moderator", "说话人1"])
    assert res.exit_code == 0 and not [ln for ln in res.stderr.splitlines() if "moderator" in ln and "customer group" not in ln], res.output
    st = pd.read_csv(tmp_path / "c" / "statement_topics.csv", encoding="utf-8-sig")
    assert set(st.loc[st["speaker"] == "说话人1", "role"]) == {"moderator"}
    assert set(st.loc[st["speaker"] != "说话人1", "role"]) == {"participant"}
    res = runner.invoke(main, ["themes", str(clear), "-o", str(tmp_path / "d"), "--embedding", "lsa", "-q",
                               "--moderator", "none"])
    assert res.exit_code == 0 and not [ln for ln in res.stderr.splitlines() if "moderator" in ln and "customer group" not in ln], res.output
    assert set(pd.read_csv(tmp_path / "d" / "statement_topics.csv", encoding="utf-8-sig")["role"]) == {"participant"}


@pytest.mark.parametrize("args, said", [
    (["--save-curated", "p.sqlite", "--id-col", "受理流水"],
     "Error: --save-curated reads no input file, so --id-col 受理流水 does not apply"),
    (["st.csv", "--model", "cur", "--add-suggestion", "new1", "--id-col", "受理流水", "--moderator", "说话人1"],
     "Error: --add-suggestion reads the statement_topics.csv of a --model run, whose statements keep that run's "
     "ids and roles, so --id-col 受理流水 and --moderator 说话人1 do not apply; drop it"),
    # before: --text-col, --encoding and --sheet were taken and did nothing, without a word (the set is saved from
    # the project's statements; no input is read again)
    (["--save-curated", "p.sqlite", "--text-col", "投诉内容"],
     "Error: --save-curated reads no input file, so --text-col 投诉内容 does not apply: the project's statements "
     "keep the texts, ids and roles they were opened with (give these options to the voc themes run the project "
     "came from); drop it"),
    (["--save-curated", "p.sqlite", "--encoding", "gbk", "--sheet", "工单"],
     "Error: --save-curated reads no input file, so --encoding gbk and --sheet 工单 do not apply"),
    (["--save-curated", "p.sqlite", "--text-col", "内容", "--encoding", "gbk", "--sheet", "工单"],
     "Error: --save-curated reads no input file, so --text-col 内容, --encoding gbk and --sheet 工单 do not apply"),
])
def test_options_the_curated_set_commands_cannot_use_are_refused_in_one_line(tmp_path, args, said):
    # --add-suggestion and --save-curated took --id-col and did nothing with it, without a word
    for name in ("p.sqlite", "st.csv"):
        (tmp_path / name).write_text("statement_id,text\n", encoding="utf-8")
    (tmp_path / "cur").mkdir()
    args = [str(tmp_path / a) if a in ("p.sqlite", "st.csv", "cur") else a for a in args]
    res = CliRunner().invoke(main, ["themes", *args, "-o", str(tmp_path / "out")])
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1, res.output
    assert res.stderr.startswith(said), res.stderr


def test_themes_json_records_whose_turns_were_taken_for_the_moderator(tmp_path):
    # before: themes.json had no word of the moderator — neither the --moderator given nor the speaker detected —
    # so a reader of the output could not see whose questions were left out of the themes
    clear, unclear = DATA / "transcript_stt_moderator_clear.txt", DATA / "transcript_stt_moderator_unclear.txt"
    runner = CliRunner()
    res = runner.invoke(main, ["themes", str(clear), str(unclear), "-o", str(tmp_path / "a"), "--embedding", "lsa",
                               "-q"])
    assert res.exit_code == 0, res.output
    info = json.loads((tmp_path / "a" / "themes.json").read_text(encoding="utf-8"))["moderators"]
    st = pd.read_csv(tmp_path / "a" / "statement_topics.csv", encoding="utf-8-sig")
    excluded = int(((st["source"] == clear.name) & (st["role"] == "moderator")).sum())
    assert excluded > 0
    assert info["option"] == [] and info["none_found"] == [unclear.name]
    assert [{k: v for k, v in t.items() if k != "why"} for t in info["taken"]] == [
        {"source": clear.name, "speaker": "说话人1", "statements": excluded, "how": "detected"}]
    assert info["taken"][0]["why"].startswith("speaks first, asks in 4 of 4 turns")
    res = runner.invoke(main, ["themes", str(unclear), "-o", str(tmp_path / "b"), "--embedding", "lsa", "-q",
                               "--moderator", "说话人1"])
    assert res.exit_code == 0, res.output
    info = json.loads((tmp_path / "b" / "themes.json").read_text(encoding="utf-8"))["moderators"]
    st = pd.read_csv(tmp_path / "b" / "statement_topics.csv", encoding="utf-8-sig")
    assert info["option"] == ["说话人1"] and info["none_found"] == []
    assert info["taken"] == [{"source": unclear.name, "speaker": "说话人1", "how": "--moderator",
                              "statements": int((st["role"] == "moderator").sum())}]
    res = runner.invoke(main, ["themes", str(clear), "-o", str(tmp_path / "c"), "--embedding", "lsa", "-q",
                               "--moderator", "none"])
    info = json.loads((tmp_path / "c" / "themes.json").read_text(encoding="utf-8"))["moderators"]
    assert info == {"option": ["none"], "taken": [], "none_found": []}

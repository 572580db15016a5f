import json
import re
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import ColumnError, DataQualityError, InputError
from voiceofcustomer.freq.tables import count_table, frequencies, open_tagged, wilson_interval, write_frequencies
from voiceofcustomer.labels.taxonomy import LABELS

statsmodels_proportion = pytest.importorskip("statsmodels.stats.proportion")
Z95 = 1.959963984540054  # statsmodels' alpha=0.05 quantile

# statement_id, role, is_duplicate, group, city, date, text, servqual, demand, issue, stance, issue_conf
ROWS = [
    ("s1", "moderator", False, "public", "津", "2024-01-03", "请大家谈谈", "none", "none", "other", "neutral", 0.99),
    ("s2", "participant", False, "public", "津", "2024-01-10", "信号太差", "reliability", "delivery", "signal",
     "complaint", 0.9),
    ("s3", "participant", False, "public", "津", "2024-01-15", "地下室没信号", "reliability", "delivery", "signal",
     "complaint", 0.7),
    ("s4", "participant", True, "public", "津", "2024-01-15", "信号太差", "reliability", "delivery", "signal",
     "complaint", 0.95),
    ("s5", "participant", False, "business", "京", "2024-03-02", "宽带老掉线", "reliability", "delivery",
     "broadband", "complaint", 0.8),
    ("s6", "participant", False, "business", "京", "2024年3月9日", "账单多扣钱", "reliability", "function",
     "billing", "complaint", 0.6),
    ("s7", "participant", False, "business", "京", "not a date", "营业员态度差", "assurance", "delivery",
     "attitude", "complaint", 0.85),
    ("s8", "participant", False, "public", "京", "", "信号一直不好", "reliability", "delivery", "signal",
     "complaint", 0.5),
    ("s9", "participant", False, "public", "津", "2024-03-20", "希望大厅多放几把椅子", "tangibles", "delivery",
     "environment", "suggestion", 0.4),
    ("s10", "participant", False, "public", "津", "2024-01-28", "信号满格打不出电话", "reliability", "delivery",
     "signal", "complaint", 0.6),
]
COLUMNS = ["statement_id", "role", "is_duplicate", "group", "city", "date", "text", "servqual", "demand", "issue",
           "stance", "issue_conf"]


@pytest.fixture
def tagged():
    df = pd.DataFrame(ROWS, columns=COLUMNS)
    for f in ("servqual", "demand", "stance"):
        df[f"{f}_conf"] = 0.8
    return df


def _cell(table, **where):
    mask = np.ones(len(table), dtype=bool)
    for col, value in where.items():
        mask &= (table[col] == value).to_numpy()
    rows = table[mask]
    assert len(rows) == 1, where
    return rows.iloc[0]


# -- Wilson interval ----------------------------------------------------------------------------
@pytest.mark.parametrize("k,n", [(0, 1), (0, 8), (1, 8), (4, 8), (8, 8), (3, 1000), (997, 1000), (5, 7)])
def test_wilson_matches_statsmodels(k, n):
    low, high = statsmodels_proportion.proportion_confint(k, n, alpha=0.05, method="wilson")
    assert wilson_interval(k, n, z=Z95) == pytest.approx((low, high), abs=1e-12)
    assert wilson_interval(k, n) == pytest.approx((low, high), abs=2e-4)  # z = 1.96


def test_wilson_arrays_and_edges():
    low, high = wilson_interval(np.array([0, 2, 5]), np.array([0, 4, 5]))
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert low[1] < 0.5 < high[1] and high[2] == 1.0
    assert wilson_interval(0, 10)[0] == 0.0
    # exactly 0 and 1 at the edges: by_section.csv of a focus group showed ci_low 2.7755575615628914e-17 for a
    # count of 0 in 11 (found reading voc freq's tables as a researcher, transcript QA pass)
    n = np.arange(1, 500)
    assert (wilson_interval(np.zeros_like(n), n)[0] == 0.0).all() and (wilson_interval(n, n)[1] == 1.0).all()
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


# -- counts ----------------------------------------------------------------------------------------
def test_overall_counts_shares_and_intervals(tagged):
    res = frequencies(tagged)
    t = res.tables["overall"]
    issue = t[t.field == "issue"]
    assert list(issue.label) == list(LABELS["issue"])  # every label, taxonomy order, zeros included
    counts = dict(zip(issue.label, issue["count"]))
    assert counts == {"signal": 4, "broadband": 1, "install_repair": 0, "billing": 1, "handling": 0,
                      "marketing": 0, "attitude": 1, "efficiency": 0, "notification": 0, "security": 0,
                      "environment": 1, "other": 0}  # s1 (moderator) and s4 (duplicate) left out
    signal = _cell(t, field="issue", label="signal")
    assert (signal["n"], signal["share"], signal["label_zh"]) == (8, 0.5, "网络信号")
    low, high = statsmodels_proportion.proportion_confint(4, 8, method="wilson")
    assert (signal["ci_low"], signal["ci_high"]) == pytest.approx((low, high), abs=2e-4)
    zero = _cell(t, field="issue", label="security")
    assert zero["count"] == 0 and zero["ci_low"] == 0 and zero["ci_high"] > 0
    assert len(t) == sum(len(v) for v in LABELS.values())
    assert res.rows_read == 10 and res.rows_counted == 8


def test_examples_are_the_most_confident_statements(tagged):
    res = frequencies(tagged)
    signal = _cell(res.tables["overall"], field="issue", label="signal")
    assert signal["examples"] == "s2: 信号太差 | s3: 地下室没信号 | s10: 信号满格打不出电话"
    cell = res.examples[("overall", "issue", "signal", "")]
    assert [e.statement_id for e in cell] == ["s2", "s3", "s10"] and cell[0].conf == 0.9
    assert ("overall", "issue", "security", "") not in res.examples
    assert frequencies(tagged, examples=1).examples[("overall", "issue", "signal", "")][0].text == "信号太差"


def test_by_group_columns(tagged):
    res = frequencies(tagged, by="city, group")
    city = res.tables["by_city"]
    assert list(city.columns[:5]) == ["field", "label", "label_zh", "city", "count"]
    assert _cell(city, field="issue", label="signal", city="津")[["count", "n"]].tolist() == [3, 4]
    assert _cell(city, field="issue", label="signal", city="京")[["count", "n"]].tolist() == [1, 4]
    assert _cell(city, field="issue", label="environment", city="京")["count"] == 0
    assert len(city[city.field == "issue"]) == 2 * len(LABELS["issue"])
    assert _cell(res.tables["by_group"], field="demand", label="function", group="business")["count"] == 1
    assert res.examples[("by_city", "issue", "signal", "京")][0].statement_id == "s8"


def test_blank_group_values_are_kept(tagged):
    tagged.loc[tagged.statement_id == "s9", "city"] = None
    city = frequencies(tagged, by=["city"]).tables["by_city"]
    assert list(dict.fromkeys(city.city)) == ["京", "津", "(blank)"]
    assert _cell(city, field="issue", label="environment", city="(blank)")["count"] == 1


def test_moderator_and_duplicates_can_be_counted(tagged):
    res = frequencies(tagged, include_moderator=True, include_duplicates=True)
    t = res.tables["overall"]
    assert _cell(t, field="issue", label="signal")["count"] == 5
    assert _cell(t, field="issue", label="other")["count"] == 1
    assert res.rows_counted == 10
    notes = res.tables["notes"].set_index("note")["count"]
    assert notes["moderator statements excluded"] == 0 and notes["duplicates excluded"] == 0


def test_notes_say_what_was_left_out(tagged):
    tagged.loc[tagged.statement_id == "s9", "stance"] = "maybe"
    res = frequencies(tagged, date_col="date")
    notes = res.tables["notes"].set_index("note")
    assert notes.loc["rows read", "count"] == 10
    assert notes.loc["moderator statements excluded", "count"] == 1
    assert notes.loc["duplicates excluded", "count"] == 1
    assert notes.loc["rows counted", "count"] == 8
    assert notes.loc["no stance label", "count"] == 1 and "maybe" in notes.loc["no stance label", "detail"]
    assert notes.loc["no date", "count"] == 2
    assert "1 blank, 1 unparseable" in notes.loc["no date", "detail"] and "not a date" in notes.loc["no date", "detail"]
    stance = res.tables["overall"].query("field == 'stance'")
    assert stance["n"].iloc[0] == 7 and stance["count"].sum() == 7


def test_chinese_label_names_are_accepted(tagged):
    tagged.loc[tagged.statement_id == "s2", "issue"] = "网络信号"
    assert _cell(frequencies(tagged).tables["overall"], field="issue", label="signal")["count"] == 4


def test_periods_with_changes(tagged):
    res = frequencies(tagged, date_col="date", period="month")
    t = res.tables["by_period"]
    assert list(t.columns[:3]) == ["period", "field", "label"]
    assert {"change", "change_pct"} <= set(t.columns)
    assert list(dict.fromkeys(t.period)) == ["2024-01", "2024-02", "2024-03"]  # empty February is listed
    sig = t[(t.field == "issue") & (t.label == "signal")].set_index("period")
    assert sig["count"].tolist() == [3, 0, 0] and sig["n"].tolist() == [3, 0, 3]
    assert pd.isna(sig.loc["2024-01", "change"]) and sig.loc["2024-02", "change"] == -3
    assert sig.loc["2024-02", "change_pct"] == -1.0 and np.isnan(sig.loc["2024-03", "change_pct"])
    assert np.isnan(sig.loc["2024-02", "share"])
    bb = t[(t.field == "issue") & (t.label == "broadband")].set_index("period")
    assert bb.loc["2024-03", "count"] == 1 and bb.loc["2024-03", "change"] == 1  # 2024年3月9日 parsed too
    assert _cell(t, period="2024-03", field="issue", label="billing")["count"] == 1
    assert len(t) == 3 * sum(len(v) for v in LABELS.values())


def test_weeks_are_iso_weeks(tagged):
    t = frequencies(tagged, date_col="date", period="week").tables["by_period"]
    weeks = list(dict.fromkeys(t.period))
    assert weeks[0] == "2024-W02" and weeks[-1] == "2024-W12" and len(weeks) == 11


def test_cross_tables(tagged):
    res = frequencies(tagged)
    x = res.tables["issue_x_servqual"]
    assert list(x.columns[:5]) == ["field", "label", "label_zh", "servqual", "servqual_zh"]
    assert _cell(x, label="signal", servqual="reliability")[["count", "n"]].tolist() == [4, 6]
    assert _cell(x, label="attitude", servqual="assurance")[["count", "n"]].tolist() == [1, 1]
    assert len(x) == len(LABELS["issue"]) * len(LABELS["servqual"])
    d = res.tables["demand_x_group"]
    assert _cell(d, label="delivery", group="public")[["count", "n"]].tolist() == [5, 5]
    assert _cell(d, label="delivery", group="business")[["count", "n"]].tolist() == [2, 3]


def test_cross_without_customer_group_is_skipped_and_noted(tagged):
    res = frequencies(tagged.drop(columns=["group"]))
    assert "demand_x_group" not in res.tables
    assert "demand_x_group" in " ".join(res.tables["notes"]["detail"])


def test_chunks_give_the_same_tables(tagged):
    whole = frequencies(tagged, by=["city"], date_col="date")
    parts = frequencies([tagged.iloc[:3], tagged.iloc[3:7], tagged.iloc[7:]], by=["city"], date_col="date")
    for name, table in whole.tables.items():
        pd.testing.assert_frame_equal(table, parts.tables[name])
    assert whole.examples == parts.examples


# -- errors ----------------------------------------------------------------------------------------
def test_missing_group_column_names_it(tagged):
    with pytest.raises(ColumnError, match=r"no column 'channel' for by=; give by= one of the columns, checking the spelling: .*city"):
        frequencies(tagged, by=["city", "channel"])


def test_period_needs_a_date_column(tagged):
    with pytest.raises(ColumnError, match="period= needs date_col=.*no column has a known date name"):
        frequencies(tagged.rename(columns={"date": "when"}), period="month")
    with pytest.raises(InputError, match="week or month"):
        frequencies(tagged, period="day", date_col="date")
    with pytest.raises(ColumnError, match="no column 'when' for date_col=; give date_col= one of the columns"):
        frequencies(tagged, date_col="when")


def test_no_dates_at_all_is_an_error(tagged):
    tagged["date"] = "unknown"
    with pytest.raises(DataQualityError, match="holds no dates"):
        frequencies(tagged, date_col="date")


def test_untagged_table_and_nothing_left(tagged):
    with pytest.raises(ColumnError, match=r"voc\.tag\(df\)"):
        frequencies(tagged[["statement_id", "text"]])
    with pytest.raises(DataQualityError, match="include_moderator=True"):
        frequencies(tagged[tagged.role == "moderator"])


# -- output ----------------------------------------------------------------------------------------
def test_write_frequencies(tagged, tmp_path):
    tagged.loc[tagged.statement_id == "s9", "city"] = "=SUM(1,2)"
    tagged.loc[tagged.statement_id == "s8", "city"] = "<img src=x onerror=alert(1)>"
    paths = write_frequencies(frequencies(tagged, by=["city"], date_col="date"), tmp_path / "out")
    assert {"workbook", "charts", "overall", "by_city", "by_period", "issue_x_servqual", "notes"} <= set(paths)

    overall = pd.read_csv(paths["overall"], encoding="utf-8-sig")
    assert _cell(overall, field="issue", label="signal")["label_zh"] == "网络信号"
    by_city = pd.read_csv(paths["by_city"], encoding="utf-8-sig")
    assert "'=SUM(1,2)" in set(by_city.city)  # formula injection neutralised

    book = openpyxl.load_workbook(paths["workbook"])
    assert book.sheetnames[0] == "notes" and {"overall", "by_city", "by_period"} <= set(book.sheetnames)
    ws = book["overall"]
    header = [c.value for c in ws[1]]
    share_col = header.index("share") + 1
    assert ws.freeze_panes == "A2"
    assert ws.cell(2, share_col).number_format == "0.0%"
    assert header[header.index("label") + 1] == "label_zh"
    examples_letter = openpyxl.utils.get_column_letter(header.index("examples") + 1)
    assert ws.column_dimensions[examples_letter].width > 20

    page = paths["charts"].read_text(encoding="utf-8")
    assert "<script src" not in page and "Plotly.newPlot" in page
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "网络信号".encode("unicode_escape").decode() in page  # plotly's JSON escapes non-ASCII


def test_charts_page_speaks_chinese(tagged, tmp_path):
    # complaint teams read it beside the Chinese report of voc analyze; its titles, axes and notes were English
    # ('Issue frequencies', 'issue (issue): share of statements, 95% Wilson interval', 'count', 'rows counted')
    paths = write_frequencies(frequencies(tagged, by=["city"], date_col="date"), tmp_path / "out")
    page = paths["charts"].read_text(encoding="utf-8")
    text = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert "<title>问题频次</title>" in text and "<h1>问题频次</h1>" in text
    assert '<h2 id="overall">总体</h2>' in text and '<h2 id="by_city">按city</h2>' in text
    assert '<h2 id="by_period">按时间</h2>' in text and '<h2 id="issue_x_servqual">问题类别 × SERVQUAL维度</h2>' in text
    assert "<td>计入统计的陈述</td><td>8</td><td>各表背后的陈述</td>" in text
    assert "<td>无问题类别标签</td>" in text and "<td>占比</td>" in text
    esc = lambda s: json.dumps(s)[1:-1]  # noqa: E731  plotly writes titles as JSON (non-ASCII escaped)
    for title in ("问题类别：陈述占比（95% Wilson 区间）", "问题类别按city：各city内的占比（格中为陈述数）",
                  "问题类别：各时期陈述数", "问题类别 × SERVQUAL维度：各SERVQUAL维度内的占比（格中为陈述数）", "陈述数"):
        assert esc(title) in page, title
    for english in ("Issue frequencies", "share of statements", "by period: statements", "count in the cell",
                    '"title":{"text":"count"}', '"title":{"text":"share"}', "Sections:", "statements counted"):
        assert english not in page, english
    overall = pd.read_csv(paths["overall"], encoding="utf-8-sig")
    assert list(overall.columns[:4]) == ["field", "label", "label_zh", "count"]  # the data keep their column ids
    notes = pd.read_csv(paths["notes"], encoding="utf-8-sig")
    assert "rows counted" in set(notes["note"])


def test_write_into_a_file_is_an_error(tagged, tmp_path):
    f = tmp_path / "taken"
    f.write_text("x")
    with pytest.raises(InputError, match="is a file"):
        write_frequencies(frequencies(tagged), f)


def test_open_tagged_export_without_statement_ids(tmp_path):
    df = pd.DataFrame({"工单编号": ["T1", "T2"], "投诉内容": ["信号差", "宽带慢"], "issue": ["signal", "broadband"],
                       "issue_conf": [0.9, 0.8]})
    path = tmp_path / "tickets_tagged.csv"
    df.to_csv(path, index=False, encoding="gbk")
    source = open_tagged(path)
    res = frequencies(source.chunks(), text_col=source.text_col)
    assert res.examples[("overall", "issue", "signal", "")][0] == ("T1", "信号差", 0.9)
    assert list(dict.fromkeys(res.tables["overall"].field)) == ["issue"]


# -- CLI ---------------------------------------------------------------------------------------------
@pytest.fixture
def tagged_csv(tagged, tmp_path):
    path = tmp_path / "tagged.csv"
    tagged.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_cli_freq(tagged_csv, tmp_path):
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(tagged_csv), "-o", str(out), "--by", "city,group", "--period",
                                    "month", "--date-col", "date"])
    assert res.exit_code == 0, res.output
    assert "counted 8 of 10 statements" in res.output
    assert (out / "frequencies.xlsx").exists() and (out / "charts.html").exists()
    by_city = pd.read_csv(out / "by_city.csv", encoding="utf-8-sig")
    assert _cell(by_city, field="issue", label="signal", city="津")["count"] == 3
    period = pd.read_csv(out / "by_period.csv", encoding="utf-8-sig")
    assert _cell(period, period="2024-01", field="issue", label="signal")["count"] == 3


def test_cli_include_flags(tagged_csv, tmp_path):
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(tagged_csv), "-o", str(out), "-q", "--include-moderator",
                                    "--include-duplicates"])
    assert res.exit_code == 0, res.output
    assert _cell(pd.read_csv(out / "overall.csv", encoding="utf-8-sig"), field="issue", label="signal")["count"] == 5


@pytest.mark.parametrize("args,message", [
    (["--by", "channel"], "no column 'channel' for --by; give --by one of the columns, checking the spelling:"),
    (["--date-col", "受理时间"], "no column '受理时间' for --date-col; give --date-col one of the columns"),
])
def test_cli_errors_exit_2(tagged_csv, tmp_path, args, message):
    res = CliRunner().invoke(main, ["freq", str(tagged_csv), "-o", str(tmp_path / "o"), *args])
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output
    assert not (tmp_path / "o" / "frequencies.xlsx").exists()


def test_cli_missing_file(tmp_path):
    res = CliRunner().invoke(main, ["freq", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 2 and "file not found" in res.output


def test_cli_help_has_example():
    res = CliRunner().invoke(main, ["freq", "--help"])
    assert res.exit_code == 0 and "Example" in res.output


def test_freq_cli_imports_on_its_own():
    proc = subprocess.run([sys.executable, "-c", "import voiceofcustomer.cli.freq"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# -- a re-used output folder holds one run's tables (QA) -----------------------------------------------
def test_rerun_into_the_same_folder_removes_the_earlier_runs_tables(tagged_csv, tmp_path):
    out = tmp_path / "f"
    res = CliRunner().invoke(main, ["freq", str(tagged_csv), "-o", str(out), "--by", "city,group", "-q"])
    assert res.exit_code == 0, res.output
    assert (out / "by_city.csv").exists() and (out / "by_group.csv").exists()
    (out / "我的说明.txt").write_text("用户自己的文件", encoding="utf-8")
    res = CliRunner().invoke(main, ["freq", str(tagged_csv), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert not (out / "by_city.csv").exists() and not (out / "by_group.csv").exists()
    sheets = set(openpyxl.load_workbook(out / "frequencies.xlsx").sheetnames)
    assert {p.stem for p in out.glob("*.csv")} == sheets  # the CSVs are exactly the workbook's tables
    assert (out / "我的说明.txt").read_text(encoding="utf-8") == "用户自己的文件"  # never the user's files


def test_a_folder_of_an_earlier_version_loses_its_stale_tables_too(tagged, tmp_path):
    out = tmp_path / "f"
    write_frequencies(frequencies(tagged, by=["city"]), out)
    (out / ".voc-outputs.json").unlink()  # as an earlier version left it: no record
    (out / "by_区县_mine.csv").write_text("mine", encoding="utf-8")
    write_frequencies(frequencies(tagged), out)
    assert not (out / "by_city.csv").exists()  # a sheet of the old workbook: the tool wrote it
    assert (out / "by_区县_mine.csv").exists()


def test_interrupted_write_leaves_the_earlier_tables(tagged, tmp_path, monkeypatch):
    out = tmp_path / "f"
    write_frequencies(frequencies(tagged, by=["city"]), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("voiceofcustomer.freq.charts.write_charts", interrupted)  # the last file
    with pytest.raises(KeyboardInterrupt):
        write_frequencies(frequencies(tagged, by=["group"]), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_skipped_rows_are_listed_inside_the_folder(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("工单编号,投诉内容,issue\nT1,信号差,signal\nT2,宽带慢,broadband,extra\nT3,扣费,billing\n",
                    encoding="utf-8")
    res = CliRunner().invoke(main, ["freq", str(path), "-o", str(tmp_path / "f"), "--on-bad-rows", "skip", "-q"])
    assert res.exit_code == 0, res.output
    assert f"listed in {tmp_path / 'f' / 'frequencies.skipped.csv'}" in res.output
    assert pd.read_csv(tmp_path / "f" / "frequencies.skipped.csv", encoding="utf-8-sig")["line"].tolist() == [3]


# -- one duplicate rule: a voc tag export has no is_duplicate column (QA) --------------------------------
def _tag_export(tmp_path, rows, *, ids=True, suffix=".csv"):
    """A table as `voc tag` writes it for a raw export: the export's columns plus the labels."""
    df = pd.DataFrame(rows, columns=["工单编号", "投诉内容"])
    if not ids:
        df = df.drop(columns=["工单编号"])
    df = df.assign(servqual="reliability", demand="function", issue="broadband", stance="complaint",
                   servqual_conf=0.9, demand_conf=0.9, issue_conf=0.9, stance_conf=0.9, needs_review=False)
    path = tmp_path / f"tagged{suffix}"
    if suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False, encoding="utf-8-sig")
    return path


QA_ROWS = [("A1", "宽带断网三天了"), ("A2", "宽带断网三天了"), ("A1", "宽带断网三天了")]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])  # the text reader and the typed Parquet reader
def test_tag_export_without_is_duplicate_counts_as_analyze_does(tmp_path, suffix):
    from voiceofcustomer.text.split import split_inputs

    raw = tmp_path / "tickets.csv"
    pd.DataFrame(QA_ROWS, columns=["工单编号", "投诉内容"]).to_csv(raw, index=False)
    flagged = pd.concat(list(split_inputs([raw])))["is_duplicate"]
    assert flagged.tolist() == [False, False, True]  # what voc analyze leaves out

    out = tmp_path / "f"
    res = CliRunner().invoke(main, ["freq", str(_tag_export(tmp_path, QA_ROWS, suffix=suffix)), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "counted 2 of 3 statements (0 moderator, 0 with no text, 1 duplicate left out)" in res.output
    overall = pd.read_csv(out / "overall.csv", encoding="utf-8-sig")
    assert _cell(overall, field="issue", label="broadband")["count"] == 2  # A1 and A2: two customers
    notes = pd.read_csv(out / "notes.csv", encoding="utf-8-sig").set_index("note")
    assert "same 工单编号 word for word" in notes.loc["duplicates excluded", "detail"]

    res = CliRunner().invoke(main, ["freq", str(_tag_export(tmp_path, QA_ROWS, suffix=suffix)), "-o", str(out),
                                    "--include-duplicates", "-q"])
    assert _cell(pd.read_csv(out / "overall.csv", encoding="utf-8-sig"), field="issue", label="broadband")["count"] == 3


def test_tag_export_without_ids_is_one_source(tmp_path):
    path = _tag_export(tmp_path, [("", "宽带断网三天了"), ("", "宽带断网三天了"), ("", "信号差")], ids=False)
    result, _ = count_table(path)
    assert result.rows_counted == 2
    notes = result.tables["notes"].set_index("note")
    assert "no id column" in notes.loc["duplicates excluded", "detail"]


def test_a_table_with_is_duplicate_keeps_its_flags(tagged):
    tagged.loc[tagged.statement_id == "s3", "text"] = "信号太差"  # same text, another statement: not a repeat
    result = frequencies(tagged)
    assert result.rows_counted == 8  # the moderator and the one flagged row (s4) left out, as before


def test_dates_as_ticket_systems_write_them(tmp_path):
    """QA (a complaint team's export): 2026年11月2日14:05 (the time right after 日) and a column mixing
    times with and without a zone (…+08:00, …Z, plain) are dates. The first was 'holds no dates'; the
    second stopped voc freq with a traceback. A zone is dropped, keeping the written time (as for a
    column whose every time has one)."""
    from pathlib import Path

    from voiceofcustomer.freq.tables import period_labels

    src = Path(__file__).parents[1] / "data" / "tickets_tagged_mixed_dates.csv"
    dates = pd.read_csv(src, dtype=str)["受理时间"]
    assert period_labels(dates, "week").tolist() == ["2026-W45", "2026-W45", "2026-W45", "2026-W46", "2026-W47",
                                                     "2026-W47", "2026-W48"]
    res = CliRunner().invoke(main, ["freq", str(src), "-o", str(tmp_path / "f"), "--date-col", "受理时间",
                                    "--period", "week", "-q"])
    assert res.exit_code == 0, res.output
    notes = pd.read_csv(tmp_path / "f" / "notes.csv", encoding="utf-8-sig").set_index("note")
    assert notes.loc["no date", "count"] == 0 and "2026-W45 … 2026-W48" in notes.loc["periods", "detail"]
    sig = pd.read_csv(tmp_path / "f" / "by_period.csv", encoding="utf-8-sig").query("field == 'issue' and label == 'signal'")
    assert sig.set_index("period")["count"].to_dict() == {"2026-W45": 1, "2026-W46": 0, "2026-W47": 1, "2026-W48": 0}


def test_partial_first_and_last_periods_are_noted(tmp_path):
    """QA: a month's export (1–30 November) starts and ends inside weeks; the last week held one day, its
    counts fell, and --alerts tested it against whole weeks ('0 of 0 tested') without a word about it."""
    from pathlib import Path

    src = Path(__file__).parents[1] / "data" / "tickets_tagged_mixed_dates.csv"  # Mon 2 Nov … Tue 24 Nov 23:59
    df = pd.read_csv(src, dtype=str)
    notes = frequencies(df, date_col="受理时间", period="week", alerts=True).tables["notes"].set_index("note")
    assert notes.loc["partial periods", "count"] == 1
    assert notes.loc["partial periods", "detail"].startswith(
        "the last week 2026-W48 has dates 2026-11-23 … 2026-11-24 only (2 of 7 days): ")
    assert "alerts" in notes.loc["partial periods", "detail"]
    month = frequencies(df, date_col="受理时间", period="month").tables["notes"].set_index("note")
    assert month.loc["partial periods", "detail"].startswith(
        "the only month 2026-11 has dates 2026-11-02 … 2026-11-24 only (23 of 30 days)")
    whole = df.iloc[:-1].assign(受理时间=["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-10", "2026-11-17",
                                      "2026-11-22"])  # Monday 2 … Sunday 22 November: whole weeks
    assert "partial periods" not in frequencies(whole, date_col="受理时间", period="week").tables["notes"]["note"].tolist()
    res = CliRunner().invoke(main, ["freq", str(src), "-o", str(tmp_path / "f"), "--date-col", "受理时间",
                                    "--period", "week"])
    assert res.exit_code == 0 and "partial periods: the last week 2026-W48" in res.stderr


def test_unix_times_in_the_date_column_get_a_message_that_says_so(tagged, tmp_path):
    """QA: a JSON Lines export from a ticket system (or pandas' to_json) writes dates as milliseconds since
    1970; voc freq --date-col 受理时间 answered 'choose the date column with --date-col', the column given."""
    tagged["受理时间"] = [1794392700000 + i * 86_400_000 for i in range(len(tagged))]
    path = tmp_path / "tagged.jsonl"
    tagged.to_json(path, orient="records", lines=True, force_ascii=False)
    res = CliRunner().invoke(main, ["freq", str(path), "-o", str(tmp_path / "f"), "--date-col", "受理时间",
                                    "--period", "month"])
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1
    assert "'受理时间' holds no dates (e.g. 17944" in res.stderr and "Unix times" in res.stderr
    assert "export the dates as text" in res.stderr and "choose the date column" not in res.stderr
    assert not (tmp_path / "f").exists()


def test_period_and_alerts_find_the_date_column_by_its_name(tagged, tmp_path):
    """QA (a complaint team): voc freq --period month said "needs --date-col" for an export with
    a 受理时间 column, which voc analyze finds by itself; both now use one list of names."""
    given = frequencies(tagged, period="month", date_col="date")
    found = frequencies(tagged, period="month")
    assert found.date_col == "date" and found.tables["by_period"].equals(given.tables["by_period"])
    notes = found.tables["notes"].set_index("note")
    assert "found by its name" in notes.at["periods", "detail"]
    assert "found by its name" not in given.tables["notes"].set_index("note").at["periods", "detail"]
    src = tmp_path / "t.csv"
    tagged.rename(columns={"date": "受理时间"}).to_csv(src, index=False)
    res = CliRunner().invoke(main, ["freq", str(src), "-o", str(tmp_path / "f"), "--period", "week"])
    assert res.exit_code == 0, res.output
    assert "dates from column '受理时间' (found by its name" in res.output
    assert len(pd.read_csv(tmp_path / "f" / "by_period.csv", encoding="utf-8-sig")) > 0
    tagged.drop(columns="date").to_csv(src, index=False)  # no date column at all: one line, nothing written
    res = CliRunner().invoke(main, ["freq", str(src), "-o", str(tmp_path / "g"), "--period", "week"])
    assert res.exit_code == 2 and "--period needs --date-col" in res.output and "受理时间" in res.output
    assert not (tmp_path / "g" / "frequencies.xlsx").exists()

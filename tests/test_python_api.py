"""The stages from Python, on a DataFrame an analyst reads herself (pd.read_csv of a ticket export):
the same rows, labels and numbers as the `voc` commands on the file (found in the Python-API QA
pass: the library used a column named ``text`` only, so ``voc.tag(df)`` stopped, ``frequencies``
counted the empty text and took two tickets' identical complaints for one, ``candidate_items``
stopped with 'run `voc tag` on it first' on a tagged table, and the report listed every statement
without its text or id)."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import voiceofcustomer as voc
from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import ColumnError, InputError
from voiceofcustomer.freq.tables import frequencies
from voiceofcustomer.items.candidates import candidate_items
from voiceofcustomer.labels.taxonomy import FIELDS
from voiceofcustomer.report.page import build_report
from voiceofcustomer.statements import as_statements
from voiceofcustomer.themes import ThemeModel

EXPORT = Path(__file__).parent / "data" / "tickets_api.csv"  # 投诉内容, 工单编号; A101 = A104's text; A105 empty; A103 twice


@pytest.fixture(scope="module")
def export() -> pd.DataFrame:
    df = pd.read_csv(EXPORT)
    df.index = [f"r{i}" for i in range(len(df))]  # an analyst's own index
    return df


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> Path:
    """``voc tag`` of the export and ``voc freq`` of that, as a complaint team runs them."""
    out = tmp_path_factory.mktemp("cli")
    for args in (["tag", str(EXPORT), "-o", str(out / "tagged.csv"), "--jobs", "1", "-q"],
                 ["freq", str(out / "tagged.csv"), "-o", str(out / "freq"), "--by", "区县", "-q"]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def tagged(export) -> pd.DataFrame:
    return voc.tag(export)


def test_tag_finds_the_text_column_by_name_as_voc_tag_does(export, tagged, cli):
    before = export.copy(deep=True)
    assert tagged.equals(voc.tag(export, text_col="投诉内容"))
    assert export.equals(before)  # the input is not changed
    assert list(tagged.index) == list(export.index)
    on_file = pd.read_csv(cli / "tagged.csv", encoding="utf-8-sig")
    assert tagged[list(FIELDS)].to_numpy().tolist() == on_file[list(FIELDS)].to_numpy().tolist()
    assert tagged.loc["r4", "note"] == "empty text"
    with pytest.raises(ColumnError, match="text_col="):
        voc.tag(export.drop(columns="投诉内容"))  # no text column: says what to give
    lone = voc.tag(export[["投诉内容"]].rename(columns={"投诉内容": "意见反馈"}))  # a lone column is the text
    assert lone[list(FIELDS)].equals(tagged[list(FIELDS)])
    with pytest.raises(ColumnError, match="no column '内容'"):
        voc.tag(export, text_col="内容")


def test_frequencies_of_the_frame_are_voc_freqs_of_the_file(tagged, cli):
    result = frequencies(tagged, by="区县")
    for name in ("overall", "by_区县"):
        got, want = result.tables[name], pd.read_csv(cli / "freq" / f"{name}.csv", encoding="utf-8-sig")
        assert got["count"].tolist() == want["count"].tolist(), name
        assert got["n"].tolist() == want["n"].tolist(), name
    # 11 statements: the empty text and A103's repeat are left out, A101 and A104 (two customers, one
    # wording) both count
    assert set(result.tables["overall"]["n"]) == {11}
    examples = " ".join(result.tables["overall"]["examples"].dropna())
    assert "A104: 家里宽带" in examples or "A101: 家里宽带" in examples


def test_candidate_items_and_the_report_read_the_tagged_frame(tagged, cli):
    res = CliRunner().invoke(main, ["items", str(cli / "tagged.csv"), "-o", str(cli / "items.xlsx"), "-q"])
    assert res.exit_code == 0, res.output
    items = candidate_items(tagged)
    want = pd.read_excel(cli / "items.xlsx", sheet_name="items", engine="openpyxl")
    assert len(items.items) == len(want) > 0
    assert items.items["item_id"].tolist() == want["item_id"].tolist()
    assert items.items["evidence"].tolist() == want["evidence"].tolist()

    page = build_report(tagged, cli / "index.html", items=items).read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="voc-data">(.*?)</script>', page, re.S).group(1))
    rows = {r[0]: r[3] for r in data["st"].values()}
    assert rows["A102"] == tagged.loc["r1", "投诉内容"]
    assert all(rows.values())  # every statement behind a number has its id and its text
    # (A103 twice: a report with items of a ticket id the export repeats is written too)


def test_themes_of_a_frame_keep_its_index_and_columns(export):
    """ThemeModel.fit_transform gave its rows a new 0…n-1 index (``df.join(themed)`` paired the wrong
    rows), renamed the export's 投诉内容 to ``text``, and read a pd.NA text as the words '<NA>'."""
    frame = export.astype({"投诉内容": object})
    frame.loc["r1", "投诉内容"] = pd.NA
    themed = ThemeModel(embedding="lsa", random_state=0).fit_transform(frame)
    assert list(themed.index) == list(frame.index)
    assert themed["投诉内容"].equals(frame["投诉内容"])  # the export's own column, as voc themes keeps it
    assert themed.loc["r5", "text"] == frame.loc["r5", "投诉内容"]
    assert themed.loc["r1", "text"] == "" and themed.loc["r1", "topic_reason"] == "empty text"
    assert themed.loc["r4", "topic_reason"] == "empty text"


def test_a_missing_text_of_a_string_column_is_an_empty_text(export):
    """pd.NA (a ``string`` column, ``convert_dtypes()``) was tagged as the words '<NA>', without the
    'empty text' note NaN gets."""
    frame = export.convert_dtypes()
    assert frame["投诉内容"].isna().sum() == 1
    tagged = voc.tag(frame)
    assert tagged.loc["r4", "note"] == "empty text" and tagged.loc["r4", "needs_review"]
    assert tagged[list(FIELDS)].equals(voc.tag(export)[list(FIELDS)])


def test_split_inputs_takes_one_path_as_well_as_a_list():
    """``split_inputs("tickets.csv")`` iterated the characters of the path: '/: unsupported file type'."""
    one = pd.concat(list(voc.split_inputs(EXPORT)), ignore_index=True)
    assert one.equals(pd.concat(list(voc.split_inputs([str(EXPORT)])), ignore_index=True))
    assert len(one) >= 13


def test_review_below_out_of_range_is_refused_as_the_cli_refuses_it(export):
    """``voc tag --review-below 2`` is refused by the CLI; ``voc.tag(df, review_below=2)`` flagged every row."""
    with pytest.raises(InputError, match="review_below= must be from 0 to 1"):
        voc.tag(export, review_below=2)


def test_every_stage_is_reachable_from_the_package_without_slowing_its_import():
    # an analyst found only voc.tag and voc.split_inputs at the top; the stages after it needed their modules' paths
    import subprocess
    import sys

    import voiceofcustomer.audit.scoring as audit
    import voiceofcustomer.gap.analysis as gap
    import voiceofcustomer.items.survey as survey

    assert voc.frequencies is frequencies and voc.candidate_items is candidate_items
    assert voc.build_report is build_report and voc.ThemeModel is ThemeModel
    assert voc.gap_analysis is gap.gap_analysis and voc.score_audit is audit.score_audit
    assert voc.build_survey is survey.build_survey
    assert {"frequencies", "ThemeModel", "build_report"} <= set(voc.__all__) and "frequencies" in dir(voc)
    with pytest.raises(AttributeError):
        voc.no_such_stage
    loaded = subprocess.run([sys.executable, "-c", "import sys, voiceofcustomer; "
                             "print(sorted(m for m in sys.modules if m.startswith(('voiceofcustomer.freq', "
                             "'voiceofcustomer.themes', 'voiceofcustomer.report', 'bertopic'))))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"  # imported when first used, not by `import voiceofcustomer`


def test_library_writers_refuse_a_folder_or_a_wrong_kind_of_name_in_one_line(export, tmp_path):
    # build_report into a folder raised IsADirectoryError naming the temporary '.out2.PID-….voc-tmp';
    # write_items_workbook wrote an Excel workbook under the name items.csv
    tagged = voc.tag(export)
    (tmp_path / "report.html").mkdir()
    with pytest.raises(InputError) as err:
        voc.build_report(tagged, tmp_path / "report.html")
    assert "is a folder" in str(err.value) and "voc-tmp" not in str(err.value) and "\n" not in str(err.value)
    items = voc.candidate_items(tagged)
    with pytest.raises(InputError, match="xlsx"):
        voc.write_items_workbook(items, tmp_path / "items.csv")
    assert not (tmp_path / "items.csv").exists()


def test_a_stage_given_a_series_a_path_or_texts_says_which_parameter_takes_a_frame(export, tagged):
    """``voc.tag(df["投诉内容"])``, ``voc.frequencies("tagged.csv")``, ``gap_analysis(path, path)`` and
    ``score_audit`` of the sheets as read by pandas stopped inside pandas ('Series' object has no attribute
    'columns', 'str' object has no attribute 'attrs', KeyError: 'store') with a traceback (found in the
    Python-API QA pass, a notebook user's ordinary mistakes)."""
    from voiceofcustomer.audit import read_checklist, read_visits

    audit = Path(__file__).parent / "data" / "audit"
    gap = Path(__file__).parent / "data" / "gap"
    calls = [
        (lambda: voc.tag(export["投诉内容"]), "df=", "Series"),
        (lambda: voc.tag(export["投诉内容"].tolist()), "df=", "pd.DataFrame({'text': texts})"),
        (lambda: voc.tag(str(EXPORT)), "df=", "voc.open_statements(path).read()"),
        (lambda: voc.tag(None), "df=", "NoneType"),
        (lambda: voc.frequencies(str(EXPORT)), "data=", "voc.open_statements(path).read()"),
        (lambda: voc.frequencies(tagged["issue"]), "data=", "Series"),
        (lambda: voc.frequencies(iter([tagged, "more"])), "data=", "a str"),
        (lambda: voc.candidate_items(EXPORT), "statements=", "voc.open_statements(path).read()"),
        (lambda: voc.build_report(tagged["issue"], Path("unused.html")), "statements=", "Series"),
        (lambda: voc.gap_analysis(str(gap / "responses.csv"), str(gap / "codebook.csv")), "responses=",
         "read_responses(path)"),
        (lambda: voc.score_audit(pd.read_csv(audit / "checklist.csv"), read_visits(audit / "visits.csv")),
         "checklist=", "read_checklist(path)"),
        (lambda: voc.score_audit(read_checklist(audit / "checklist.csv"), pd.read_csv(audit / "visits.csv")),
         "visits=", "lacks the column(s) store, tier"),
    ]
    for call, param, says in calls:
        with pytest.raises(voc.VocError) as err:
            call()
        message = str(err.value)
        assert message.startswith(param) and says in message and "\n" not in message, message
        assert err.value.params == (param[:-1],)
    assert not Path("unused.html").exists()
    # a frame's chunks are counted as before
    statements = as_statements(tagged)
    chunks = voc.frequencies([statements.iloc[:6], statements.iloc[6:]])
    assert chunks.tables["overall"]["count"].tolist() == voc.frequencies(tagged).tables["overall"]["count"].tolist()


def test_tag_given_a_path_advises_a_read_that_reads_a_gbk_export():
    """``voc.tag("tickets.csv")`` said 'read the file first with pd.read_csv(path)', and docs/python.md showed
    ``voc.tag(pd.read_csv("tickets.csv"))``: on a complaint team's GBK export (the README's own workflow) that stops in
    a UnicodeDecodeError (found following the README as a new user). The advice is now voc.open_statements(path).read(),
    which reads the file as voc tag does, and voc.tag labels what it gives."""
    gbk = Path(__file__).parent / "data" / "tickets_api_gbk.csv"  # 工单编号, 受理时间, 区县, 投诉内容 in GBK
    with pytest.raises(UnicodeDecodeError):
        pd.read_csv(gbk)
    with pytest.raises(voc.VocError) as err:
        voc.tag(str(gbk))
    assert "voc.open_statements(path).read()" in str(err.value) and "pd.read_csv" not in str(err.value)
    tagged = voc.tag(voc.open_statements(gbk).read())
    assert tagged["工单编号"].tolist() == ["G001", "G002", "G003"]
    assert tagged["投诉内容"].iloc[1] == "本月话费多扣了二十元，要求退还。" and tagged["issue"].iloc[1] == "billing"


def test_build_report_refuses_a_group_column_it_cannot_show(tagged, tmp_path):
    """``voc.build_report(tagged, "r.html", group_col="城市")`` on a table whose column is 区县 wrote a page without
    its table by group, and so did a ``freq`` counted without ``by=`` that column, without a word (found in the
    Python-API QA pass: a typo cost the page its district table)."""
    with pytest.raises(ColumnError, match=r"no column '城市' for group_col=; give group_col= one of the columns, checking the spelling: .*区县") as err:
        voc.build_report(tagged, tmp_path / "r.html", group_col="城市")
    assert err.value.params == ("group_col",)
    with pytest.raises(ColumnError, match=r"freq has no by_区县 table .* frequencies\(\.\.\., by='区县'\)"):
        voc.build_report(tagged, tmp_path / "r.html", freq=voc.frequencies(tagged), group_col="区县")
    assert not (tmp_path / "r.html").exists()
    page = voc.build_report(tagged, tmp_path / "r.html", group_col="区县").read_text(encoding="utf-8")
    assert "按客户群（区县）" in page and "东城区" in page  # the table by group, counted here
    voc.build_report(tagged, tmp_path / "r.html")  # no group column given: none needed, as before


def test_frequencies_counts_chunks_of_a_raw_export_as_the_whole_table():
    """Found in a Python-API QA pass: chunks of a tagged export with its own column names (投诉内容,
    工单号) were counted by their own columns, blank texts and repeats included (13 where the whole
    frame gave 11); every chunk is now read with the columns found on the first."""
    df = pd.DataFrame({"工单号": ["A1", "A2", "A2", "A3", "A4", "A5"],
                       "投诉内容": ["宽带断了", "话费多扣", "话费多扣", "", "信号差", "营业厅排队"],
                       "servqual": ["reliability"] * 6, "demand": ["delivery"] * 6,
                       "issue": ["broadband", "billing", "billing", "other", "signal", "efficiency"],
                       "stance": ["complaint"] * 6})
    whole = voc.frequencies(df)
    chunked = voc.frequencies([df.iloc[:3], df.iloc[3:]])
    notes = lambda r: r.tables["notes"].set_index("note")["count"].iloc[:5].to_dict()  # noqa: E731
    assert notes(chunked) == notes(whole)
    assert notes(whole)["rows counted"] == 4
    assert whole.tables["overall"].equals(chunked.tables["overall"])


def test_a_number_given_as_text_is_refused_naming_its_parameter(export, tagged):
    """``voc.tag(df, review_below="0.5")`` stopped with a TypeError ('<=' not supported between 'int' and 'str'),
    and so did the other stages' numbers given as text, deep inside pandas or scikit-learn (found in the
    Python-API QA pass); each says, in one line, which parameter takes what number (statements.number_param)."""
    from voiceofcustomer.audit import read_checklist, read_visits

    audit, gap = Path(__file__).parent / "data" / "audit", Path(__file__).parent / "data" / "gap"
    checklist, visits = read_checklist(audit / "checklist.csv"), read_visits(audit / "visits.csv")
    responses, codebook = pd.read_csv(gap / "responses.csv"), pd.read_csv(gap / "codebook.csv")
    calls = [
        ("review_below", lambda v: voc.tag(export, review_below=v)),
        ("examples", lambda v: voc.frequencies(tagged, examples=v)),
        ("n_topics", lambda v: voc.ThemeModel(embedding="lsa", n_topics=v).fit(export)),
        ("min_topic_size", lambda v: voc.ThemeModel(embedding="lsa", min_topic_size=v).fit(export)),
        ("min_conf", lambda v: voc.ThemeModel(embedding="lsa", min_conf=v).fit(export)),
        ("min_support", lambda v: voc.candidate_items(tagged, min_support=v)),
        ("merge_threshold", lambda v: voc.candidate_items(tagged, merge_threshold=v)),
        ("evidence_k", lambda v: voc.candidate_items(tagged, evidence_k=v)),
        ("scale", lambda v: voc.gap_analysis(responses, codebook, scale=v)),
        ("speeder_fraction", lambda v: voc.gap_analysis(responses, codebook, speeder_fraction=v)),
        ("partial", lambda v: voc.score_audit(checklist, visits, partial=v)),
    ]
    for name, call in calls:
        for value in ("0.5", "abc", True, float("nan")):
            with pytest.raises(voc.VocError) as err:
                call(value)
            message = str(err.value)
            assert message.startswith(f"{name}= must be") and repr(value) in message and "\n" not in message, message
            assert err.value.params == (name,)
    with pytest.raises(InputError, match=r"^review_below= must be from 0 to 1 \(a number: .*\), not '0.5'; give it "
                                         r"without quotes$"):
        voc.tag(export, review_below="0.5")
    with pytest.raises(InputError, match=r"^n_topics= must be at least 1 \(a whole number: themes to find\), not 2.5$"):
        voc.ThemeModel(embedding="lsa", n_topics=2.5).fit(export)
    # numbers of other kinds are numbers: a whole float, NumPy's
    import numpy as np

    assert voc.tag(export, review_below=np.float32(0.75))["needs_review"].equals(tagged["needs_review"])
    assert voc.candidate_items(tagged, min_support=np.int64(1), evidence_k=3.0).items.equals(
        voc.candidate_items(tagged).items)


def test_two_columns_of_one_name_are_refused_by_every_stage_naming_the_column(export, tagged, tmp_path):
    """A frame with two 投诉内容 (after a careless pd.concat of the export with its text) stopped with an
    AttributeError ('DataFrame' object has no attribute 'str') inside the stage (found in the Python-API QA
    pass); every stage refuses it in the one check of its frames (statements.table_param)."""
    twice = pd.concat([export, export[["投诉内容"]]], axis=1)
    twice_tagged = pd.concat([tagged, tagged[["投诉内容", "issue"]]], axis=1)
    calls = [
        ("df", lambda: voc.tag(twice)),
        ("data", lambda: voc.frequencies(twice_tagged)),
        ("data", lambda: voc.frequencies([tagged.iloc[:5], twice_tagged.iloc[5:]])),
        ("statements", lambda: voc.candidate_items(twice_tagged)),
        ("statements", lambda: voc.ThemeModel(embedding="lsa").fit_transform(twice)),
        ("statements", lambda: voc.build_report(twice_tagged, tmp_path / "r.html")),
    ]
    for param, call in calls:
        with pytest.raises(ColumnError) as err:
            call()
        message = str(err.value)
        assert message.startswith(f"{param}= has more than one column named '投诉内容'") and "\n" not in message, message
        assert err.value.params == (param,)
    with pytest.raises(ColumnError, match="named '投诉内容' and 'issue'"):
        voc.frequencies(twice_tagged)
    assert not (tmp_path / "r.html").exists()


def test_a_reader_given_a_frame_says_it_takes_a_path_and_what_takes_the_frame(export):
    """``voc.split_inputs(df)`` and ``read_visits(df)`` iterated the column names ('投诉内容: file not found');
    ``read_checklist(df)`` and ``open_statements(df)`` stopped in pathlib with a TypeError (found in the
    Python-API QA pass)."""
    from voiceofcustomer.audit import read_checklist, read_visits
    from voiceofcustomer.gap.analysis import read_codebook, read_responses

    calls = [
        (lambda: list(voc.split_inputs(export)), "paths=", "voc.tag(df)"),
        (lambda: read_visits(export), "path=", "score_audit(visits=)"),
        (lambda: read_checklist(export), "path=", "score_audit(checklist=)"),
        (lambda: voc.open_statements(export), "path=", "voc.frequencies(df)"),
        (lambda: voc.open_statements(export["投诉内容"]), "path=", "voc.frequencies(df)"),
        (lambda: read_responses(export), "path=", "gap_analysis(responses=df"),
        (lambda: read_codebook(export), "path=", "codebook=df"),
    ]
    for call, param, says in calls:
        with pytest.raises(InputError) as err:
            call()
        message = str(err.value)
        assert message.startswith(f"{param} takes a file's path, not a") and says in message, message
        assert "\n" not in message and "not found" not in message
        assert err.value.params == (param[:-1],)


def test_library_messages_name_the_call_and_the_parameter_the_cli_names_the_command_and_flag(export, tagged, cli):
    """A Python caller was told to "run `voc tag`" and to use "--include-duplicates" (found in the Python-API
    QA pass); the library names voc.tag(df) and include_duplicates=True, and voc freq says its flags, voc items
    its command (errors.reword_params, cli.support.cli_words)."""
    from voiceofcustomer.cli.support import cli_message

    with pytest.raises(ColumnError) as err:
        voc.frequencies(export)
    assert "tag the table first with voc.tag(df)" in str(err.value) and "`voc tag`" not in str(err.value)
    assert "tag the table first with `voc tag`;" in cli_message(err.value)
    with pytest.raises(ColumnError) as err:
        voc.candidate_items(export)
    assert str(err.value).endswith("label them first with voc.tag(df)")
    assert cli_message(err.value).endswith("label them first with `voc tag`")

    details = " ".join(voc.frequencies(tagged).tables["notes"]["detail"])
    assert "use include_duplicates=True to count them" in details and "--include" not in details
    counted = " ".join(voc.frequencies(tagged, include_duplicates=True).tables["notes"]["detail"])
    assert "duplicates counted (include_duplicates=True)" in counted
    on_file = " ".join(pd.read_csv(cli / "freq" / "notes.csv", encoding="utf-8-sig")["detail"])
    assert "use --include-duplicates to count them" in on_file and "include_duplicates=" not in on_file


def test_tag_takes_a_model_folder_as_voc_tag_model_does_and_a_project_file_is_named_for_what_it_is(export, tmp_path):
    # voc.tag(df, model="my-model/") after voc train --add stopped with AttributeError: 'str' object has no
    # attribute 'predict', and voc tag --model review.sqlite said "cannot load the model (UnpicklingError);
    # retrain it with `voc train`", though the file was the review project the model is taught from
    from voiceofcustomer.labels.model import load_model
    from voiceofcustomer.resources import model_dir
    from voiceofcustomer.review.store import create_project

    folder = model_dir()
    by_path = voc.tag(export, model=str(folder))
    pd.testing.assert_frame_equal(by_path, voc.tag(export, model=load_model(folder)))
    pd.testing.assert_frame_equal(voc.tag(export, model=folder / "labels.joblib"), by_path)
    with pytest.raises(InputError, match=r"^model= takes a model folder's path \(what voc train -o wrote\) or a "
                                         r"loaded model, not int$"):
        voc.tag(export, model=3)
    create_project(voc.tag(export).rename(columns={"投诉内容": "text", "工单编号": "statement_id"}),
                   tmp_path / "review.sqlite").close()
    with pytest.raises(voc.VocError, match="review.sqlite: a review project file"):
        voc.tag(export, model=tmp_path / "review.sqlite")
    r = CliRunner().invoke(main, ["tag", str(EXPORT), "-o", str(tmp_path / "t.xlsx"), "--model",
                                  str(tmp_path / "review.sqlite")])
    assert r.exit_code == 2 and r.output == (
        f"Error: {tmp_path / 'review.sqlite'}: a review project file (`voc review --db`), not a model; teach a model "
        "from it with `voc train --add review.sqlite -o my-model/` and tag with `voc tag --model my-model/`\n")
    assert not (tmp_path / "t.xlsx").exists()

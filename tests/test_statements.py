"""The statements-table contract: one opener, one counting rule, one truthy parser."""

import pandas as pd
import pytest

from voiceofcustomer import statements as S
from voiceofcustomer.errors import ColumnError, InputError
from voiceofcustomer.text.split import DuplicateTracker


def test_truthy_reads_every_writer_the_same_way():
    s = pd.Series(["True", "false", "1", "0", "1.0", "是", "", None, "yes", " TRUE "], dtype=object)
    assert S.truthy(s).tolist() == [True, False, True, False, True, True, False, False, True, True]
    assert S.truthy(pd.Series([True, False])).tolist() == [True, False]
    assert S.truthy(pd.Series([1, 0, float("nan")])).tolist() == [True, False, False]


def test_counted_mask_leaves_out_moderator_and_duplicates():
    df = pd.DataFrame({"role": ["moderator", "participant", "Moderator ", "", None],
                       "is_duplicate": ["False", "True", "false", "1", None]})
    assert S.counted_mask(df).tolist() == [False, False, False, False, True]
    assert S.counted_mask(df, include_moderator=True).tolist() == [True, False, True, False, True]
    assert S.counted_mask(df, include_duplicates=True).tolist() == [False, True, False, True, True]
    assert S.counted_mask(pd.DataFrame({"x": [1, 2]})).tolist() == [True, True]


def test_counted_mask_leaves_out_rows_with_no_text():
    """A row whose text is blank (a [听不清]-only turn, an empty cell) is no statement: never counted,
    whatever else is asked for; the test is the tagger's (``not text.strip()``)."""
    df = pd.DataFrame({"text": ["信号差", "", "  ", None, "\u3000", "\t好\n", float("nan")],
                       "role": ["participant"] * 7, "is_duplicate": ["False"] * 7})
    expected = [True, False, False, False, False, True, False]
    assert S.counted_mask(df).tolist() == expected
    assert S.counted_mask(df, include_moderator=True, include_duplicates=True).tolist() == expected
    assert S.counted(df)["text"].tolist() == ["信号差", "\t好\n"]
    assert S.blank_text(df["text"]).tolist() == [not e for e in expected]


def test_union_columns_keeps_first_seen_order_and_note_last():
    assert S.union_columns([["a", "note", "b"], ["b", "c"], ["note", "d"]]) == ["a", "b", "c", "d", "note"]


def test_duplicates_are_repeats_by_the_same_speaker_or_ticket():
    dup = DuplicateTracker()
    assert dup("信号差", "T1") is False
    assert dup("信号差", "T2") is False  # another customer's identical complaint counts
    assert dup("信号差", "T1") is True   # the same ticket saying it again does not
    assert dup("", "T1") is False


def _write(df: pd.DataFrame, path):
    if path.suffix == ".csv":
        df.to_csv(path, index=False, encoding="utf-8-sig")
    elif path.suffix == ".xlsx":
        df.to_excel(path, index=False)
    elif path.suffix == ".parquet":
        df.astype(str).to_parquet(path)
    else:
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    return path


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".parquet", ".jsonl"])
def test_open_statements_maps_a_tag_export_with_user_names(tmp_path, ext):
    df = pd.DataFrame({"工单编号": ["T1", "T2"], "投诉内容": ["信号差", "宽带慢"], "issue": ["network", "network"],
                       "issue_conf": [0.9, 0.8], "needs_review": [False, True]})
    source = S.open_statements(_write(df, tmp_path / f"tagged{ext}"))
    assert source.text_col == "投诉内容" and source.id_col == "工单编号"
    out = source.read()
    assert out["text"].tolist() == ["信号差", "宽带慢"]
    assert out["statement_id"].tolist() == ["T1", "T2"]
    assert out["ticket_id"].tolist() == ["T1", "T2"]
    assert {"工单编号", "投诉内容"} <= set(out.columns)  # the user's columns stay
    assert out["issue_conf"].tolist() == [0.9, 0.8]
    assert out["needs_review"].tolist() == [False, True]


def test_open_statements_keeps_a_split_tables_own_ticket_ids(tmp_path):
    df = pd.DataFrame({"statement_id": ["f:1-s01", "s-t0001-s01"], "text": ["信号差", "好"],
                       "ticket_id": ["T9", ""], "role": ["", "moderator"], "is_duplicate": ["False", "True"],
                       "topic": [3, -1]})
    out = S.read_statements(_write(df, tmp_path / "st.csv"))
    assert out.columns.tolist() == df.columns.tolist()
    assert out["ticket_id"].fillna("").tolist() == ["T9", ""]
    assert out["topic"].tolist() == [3, -1] and out["is_duplicate"].tolist() == [False, True]
    assert S.counted(out)["statement_id"].tolist() == ["f:1-s01"]


def test_open_statements_streams_in_chunks(tmp_path):
    df = pd.DataFrame({"statement_id": [f"s{i}" for i in range(25)], "text": ["x"] * 25})
    chunks = list(S.open_statements(_write(df, tmp_path / "st.csv"), chunksize=10).chunks())
    assert [len(c) for c in chunks] == [10, 10, 5]


def test_open_statements_names_the_text_column_when_it_cannot_tell(tmp_path):
    df = pd.DataFrame({"a": ["x"], "b": ["y"]})
    with pytest.raises(ColumnError, match="text_col="):
        S.open_statements(_write(df, tmp_path / "x.csv"))


def test_is_statements_table():
    assert S.is_statements_table(["statement_id", "text"])
    assert S.is_statements_table(["投诉内容", "servqual", "demand", "issue", "stance"])
    assert not S.is_statements_table(["工单编号", "投诉内容"])


def test_a_raw_export_is_not_a_statements_table_once_opened(tmp_path):
    # the opener adds statement_id to every table: told by the file's own columns (voc themes split no export)
    export = _write(pd.DataFrame({"工单编号": ["T1"], "投诉内容": ["宽带掉线。"]}), tmp_path / "export.csv")
    source = S.open_statements(export)
    assert "statement_id" in source.columns and source.file_columns == ["工单编号", "投诉内容"]
    assert not S.is_statements_table(source.file_columns)
    split = _write(pd.DataFrame({"statement_id": ["export:1-s01"], "text": ["宽带掉线。"]}), tmp_path / "st.csv")
    assert S.is_statements_table(S.open_statements(split).file_columns)


def test_prompt_questions_give_each_statement_the_question_it_answers():
    df = pd.DataFrame({"session": ["a", "a", "a", "a", "b", "b"], "turn": [1, 2, 2, 3.0, 1, 2],
                       "role": ["moderator", "participant", "participant", "moderator", "participant", "participant"],
                       "prompt_turn": [None, 1, "1", 1, None, 1],
                       "text": ["排队久不久？", "很久。", "一个钟头。", "那态度呢？", "我先说。", "对。"]})
    assert S.prompt_questions(df) == ["", "排队久不久？", "排队久不久？", "排队久不久？", "", ""]
    assert S.prompt_questions(df.drop(columns=["prompt_turn"])) == [""] * 6  # tickets
    assert S.turn_number("3.0") == 3 and S.turn_number(None) is None and S.turn_number("x") is None


def test_own_columns_are_the_inputs_and_never_a_column_voc_writes():
    from voiceofcustomer.labels.tagging import label_columns
    from voiceofcustomer.themes.model import THEME_COLUMNS

    # split, tag, themes (statement_topics.csv's reason; with --model nearest_label, suggested_theme and
    # suggested_label, which voc review showed under each row as the input's own until 6 Dec 2026)
    # a transcript's section and session_date: voc split's, which voc export wrote among the input's own columns and
    # voc themes named as the input's only columns ('columns are: section, session_date') until 6 Dec 2026
    written = [*S.STATEMENT_COLUMNS, S.SPEAKER_ATTRS, S.SECTION, S.SESSION_DATE, S.THREAD, S.TICKET_ID,
               *label_columns(), S.ISSUE_2, S.NOTE, *sorted(THEME_COLUMNS)]
    assert S.own_columns(written) == []
    # a split ticket export: its own columns after the tool's; a taught model's team field is the tool's too
    cols = [*S.STATEMENT_COLUMNS, S.TICKET_ID, "工单编号", "受理时间", "区县", "渠道", "churn_risk", "churn_risk_conf",
            S.NOTE]
    assert S.own_columns(cols) == ["工单编号", "受理时间", "区县", "渠道"]


def test_input_name_never_takes_a_tool_columns_name():
    assert S.input_name("区县", ["text", "theme"]) == "区县"
    assert S.input_name("theme", ["text", "theme"]) == "theme_input"
    assert S.input_name("theme", ["theme", "theme_input", "theme_input2"]) == "theme_input3"


def test_a_tagged_table_with_two_columns_of_one_label_is_refused(tmp_path):
    """QA (bad-input sweep): a tagged table with two servqual columns (a corrected copy pasted beside the model's)
    was counted by voc freq on the first, silently."""
    path = tmp_path / "tagged.csv"
    path.write_text("statement_id,text,servqual,issue,servqual\ns1,宽带断网,reliability,broadband,responsiveness\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"tagged\.csv: columns 3 and 5 are both named 'servqual', so which holds "
                                         r"the labels is not clear; keep one of them"):
        S.open_statements(path)
    from voiceofcustomer.themes.pipeline import load_inputs

    with pytest.raises(InputError, match="both named 'servqual'"):  # voc themes: not split as an export instead
        load_inputs([path])
    path.write_text("statement_id,text,servqual,issue,note,note\ns1,宽带断网,reliability,broadband,,\n",
                    encoding="utf-8")
    assert S.open_statements(path).read()["servqual"].tolist() == ["reliability"]  # other names: NAME_2, as before

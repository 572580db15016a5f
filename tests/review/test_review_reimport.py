"""A coded.xlsx of `voc export` fed back into `voc review` (a second coding round, a new coder given the export).

The fixture ``tests/data/review/coded_round1.csv`` is such an export, written by us: four tickets of our own with
their 受理时间 and 区县, the team field ``channel`` (codebook_fixtures.CODEBOOK) and two rows decided by wang.
"""

from pathlib import Path

import pandas as pd
import pytest
from codebook_fixtures import CODEBOOK
from review_fixtures import tagged_frame

from voiceofcustomer import statements as st
from voiceofcustomer.errors import ColumnError
from voiceofcustomer.review.export import coded_table, export_excel
from voiceofcustomer.review.project import open_project
from voiceofcustomer.review.store import create_project, own_columns

CODED = Path(__file__).resolve().parents[1] / "data" / "review" / "coded_round1.csv"


def _row(store, sid):
    return store.con.execute("SELECT * FROM statements WHERE statement_id = ?", (sid,)).fetchone()


def test_a_reimported_export_shows_only_the_tickets_own_columns(tmp_path):
    # before: servqual_zh, demand_zh …, decided, coders, model_servqual … filled the eight columns shown under a
    # row, and the ticket's own 受理时间 and 区县 were not shown at all
    store = open_project([CODED], tmp_path / "round2.sqlite")
    try:
        assert own_columns(_row(store, "GD-001")) == [["受理时间", "2026-11-01 09:12"], ["区县", "西湖区"]]
    finally:
        store.close()


def test_an_exported_xlsx_given_back_shows_its_own_columns_and_exports_them_once(tmp_path):
    first = create_project(tagged_frame(6), tmp_path / "round1.sqlite")
    first.decide("t:1-s01", {"servqual": "empathy", "stance": "suggestion"}, "wang")
    first.close()
    coded = export_excel(tmp_path / "round1.sqlite", tmp_path / "coded.xlsx")
    store = open_project([coded], tmp_path / "round2.sqlite")
    try:
        assert own_columns(_row(store, "t:1-s01")) == [["受理时间", "2026-11-01"]]
    finally:
        store.close()
    again = coded_table(tmp_path / "round2.sqlite")
    # the export's columns once each, no decided_input or servqual_zh_input; the input's own after them
    assert list(again.columns)[-1] == "受理时间" and not [c for c in again.columns if "_input" in c]
    # the previous round's final label (wang's empathy) is this round's suggestion, exported as the model's
    row = again.set_index(st.STATEMENT_ID).loc["t:1-s01"]
    assert (row["servqual"], row["model_servqual"], bool(row["decided"])) == ("empathy", "empathy", False)


def test_the_previous_rounds_labels_are_the_suggestions_with_confidence_one_where_a_coder_decided(tmp_path):
    # before: every confidence read 0 (the export has no servqual_conf), so the queue had no order of doubt
    store = open_project([CODED], tmp_path / "round2.sqlite")
    try:
        conf = {sid: _row(store, sid)["servqual_conf"] for sid in ("GD-001", "GD-002", "GD-003", "GD-004")}
        assert conf == {"GD-001": 1.0, "GD-002": pytest.approx(0.91), "GD-003": 1.0, "GD-004": pytest.approx(0.77)}
        # wang's demand of GD-003 (information, the model said function) is the suggestion, not a decision
        r = _row(store, "GD-003")
        assert (r["demand"], r["h_demand"]) == ("information", None)
        assert store.decisions_frame().empty
        assert r["text_raw"] == "手机App查话费一直转圈"  # quote: the statement as said
    finally:
        store.close()


def test_a_team_field_of_the_export_is_the_suggestion_of_the_codebooks_field_not_an_input_column(tmp_path):
    (tmp_path / "team.yaml").write_text(CODEBOOK, encoding="utf-8")
    store = open_project([CODED], tmp_path / "round2.sqlite", codebook=tmp_path / "team.yaml")
    try:
        row = store.row("GD-001", "li")
        assert row["model"]["channel"]["value"] == "store"
        assert [name for name, _ in row["columns"]] == ["受理时间", "区县"]
    finally:
        store.close()


def test_own_columns_of_an_export_and_of_a_ticket_export_with_the_same_names():
    cols = pd.read_csv(CODED, nrows=0).columns
    assert st.own_columns(cols) == ["受理时间", "区县"]
    # a ticket export's own theme, counted or quote is its own: only an export's columns together say it is one
    assert st.own_columns([st.STATEMENT_ID, st.TEXT, "theme", "counted", "quote", "区县"]) == [
        "theme", "counted", "quote", "区县"]


def test_freq_and_themes_suggest_no_copy_of_the_export_for_by(tmp_path):
    from voiceofcustomer.themes.pipeline import load_checked

    with pytest.raises(ColumnError) as e:
        load_checked([CODED], by=["渠道"])
    said = str(e.value).split("checking the spelling: ")[1]
    assert "受理时间, 区县" in said and "channel" in said
    for copy in ("servqual_zh", "channel_zh", "model_servqual", "decided", "coders", "quote", "coder_note"):
        assert copy not in said.split(", ")
    with pytest.raises(ColumnError) as e:
        load_checked([CODED], date_col="日期")
    assert str(e.value).endswith("checking the spelling: 受理时间, 区县")

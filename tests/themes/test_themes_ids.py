"""Statement ids of the inputs voc themes reads: unique by the rule voc review uses (statements.numbered_ids)."""

from pathlib import Path

import pandas as pd

from voiceofcustomer.statements import counted_mask
from voiceofcustomer.themes.pipeline import load_inputs

DATA = Path(__file__).resolve().parents[1] / "data"


def test_a_repeated_ticket_keeps_its_id_and_its_repeat_counts_nowhere():
    # RT02 is exported twice with the same text; RT03 has a second, other text. voc themes gave RT02#1 and
    # RT02#2, both counted, where voc review and voc freq count the ticket once and call it RT02.
    df = load_inputs([DATA / "tagged_repeated_ticket.csv"])
    assert df["statement_id"].tolist() == ["RT01", "RT02", "RT03", "RT02#2", "RT04", "RT03#2"]
    assert df["is_duplicate"].tolist() == [False, False, False, True, False, False]
    assert df.loc[counted_mask(df), "statement_id"].tolist() == ["RT01", "RT02", "RT03", "RT04", "RT03#2"]


def test_two_inputs_that_reuse_ids_keep_the_first_and_number_the_rest(tmp_path):
    # two exports numbered from 1: the second's rows are other tickets (other texts), all counted
    a, b = tmp_path / "oct.csv", tmp_path / "nov.csv"
    cols = "编号,投诉内容,servqual,demand,issue,stance\n"
    a.write_text(cols + "1,宽带晚上掉线,reliability,delivery,broadband,complaint\n", encoding="utf-8")
    b.write_text(cols + "1,营业厅排队太久,responsiveness,delivery,efficiency,complaint\n", encoding="utf-8")
    df = load_inputs([a, b])
    assert df["statement_id"].tolist() == ["1", "1#2"]
    assert counted_mask(df).all()
    pd.testing.assert_series_equal(df["text"], pd.Series(["宽带晚上掉线", "营业厅排队太久"], name="text"),
                                   check_dtype=False)


def test_an_id_column_given_names_the_tickets_of_a_raw_export():
    # 受理流水 is no name the readers know: without it the tickets were tickets_own_id_name:1 …, and voc themes
    # had no --id-col (voc tag, voc analyze and voc freq have it) to keep the team's ids
    df = load_inputs([DATA / "tickets_own_id_name.csv"], id_col="受理流水")
    assert df["ticket_id"].tolist() == ["SL-7781", "SL-7782", "SL-7783", "SL-7784"]  # as voc split gives them
    whole = load_inputs([DATA / "tickets_own_id_name.csv"], id_col="受理流水", unit="ticket")
    assert whole["statement_id"].tolist() == ["SL-7781", "SL-7782", "SL-7783", "SL-7784"]

"""by_source_kind names each source by what the statements table says, not "no ticket, so a focus group".

A statement without a ticket id was counted as 座谈会 (focus_group) whatever it was: a survey's open answers added
beside the tickets and a focus group read as one focus group of 5 statements. Fixture
(tests/data/tagged_tickets_focus_group_and_survey.csv): a focus group's 2 participants (role, session_date; billing,
signal), 3 open answers of a survey (no ticket, no role, no session: attitude, signal, handling) and 2 tickets (TK1: 2
billing statements, TK3: signal)."""
from pathlib import Path

import pandas as pd

from voiceofcustomer.freq.charts import chart_figures, write_charts
from voiceofcustomer.freq.tables import frequencies

DATA = Path(__file__).resolve().parents[1] / "data"
KINDS = DATA / "tagged_tickets_focus_group_and_survey.csv"
MIXED = DATA / "tagged_focus_group_and_split_tickets.csv"  # a focus group and tickets, nothing else


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_statements_without_a_ticket_or_a_transcript_role_are_other_texts():
    res = frequencies(_read(KINDS))
    t = res.tables["by_source_kind"]
    issue = t[t["field"] == "issue"]
    assert list(dict.fromkeys(issue["source_kind"])) == ["focus_group", "ticket", "other"]
    assert list(dict.fromkeys(issue["source_kind_zh"])) == ["座谈会", "工单", "其他文本"]
    n = issue.groupby("source_kind")["n"].first()
    assert (n["focus_group"], n["other"], n["ticket"]) == (2, 3, 3)  # the survey's 3 are no focus group's
    signal = issue[issue["label"] == "signal"].set_index("source_kind")
    assert (signal.at["focus_group", "count"], signal.at["other", "count"], signal.at["ticket", "tickets"]) == (1, 1, 1)
    notes = res.tables["notes"].set_index("note")
    assert notes.at["statements without a ticket", "count"] == 5
    assert "2 of focus groups" in notes.at["statements without a ticket", "detail"]
    assert "3 other texts" in notes.at["statements without a ticket", "detail"]
    assert res.kinds_without_ticket == {"focus_group": 2, "other": 3}


def test_charts_name_the_other_texts(tmp_path):
    res = frequencies(_read(KINDS))
    kinds = [fig for name, fig in chart_figures(res) if name == "by_source_kind"]
    assert [tr.name for tr in kinds[0].data] == ["座谈会（陈述占比）", "工单（工单占比）", "其他文本（陈述占比）"]
    page = write_charts(res, tmp_path / "charts.html").read_text(encoding="utf-8")
    assert "按来源（座谈会 / 工单 / 其他文本）" in page
    assert "其中 2 条来自座谈会、3 条为其他文本" in page


def test_a_focus_group_and_tickets_keep_two_kinds():
    res = frequencies(_read(MIXED))
    t = res.tables["by_source_kind"]
    assert list(dict.fromkeys(t["source_kind"])) == ["focus_group", "ticket"]  # no empty 其他文本
    assert res.kinds_without_ticket == {"focus_group": 3}


SPLIT_SURVEY = DATA / "tagged_split_tickets_and_survey.csv"  # voc split of a survey's answers and of tickets, tagged


def test_a_surveys_split_answers_are_other_texts_not_tickets():
    """voc split gives each answer of a survey table a ticket_id (its 答卷编号, else its row: survey:1 …), as it gives a ticket export's
    rows: 3 answers beside 2 tickets were counted as 5 tickets and no by_source_kind. source_kind says what they are."""
    res = frequencies(_read(SPLIT_SURVEY))
    assert res.tickets_counted == 2
    assert res.kinds_without_ticket == {"other": 3}
    t = res.tables["by_source_kind"]
    billing = t[(t["field"] == "issue") & (t["label"] == "billing")].set_index("source_kind")
    assert list(billing.index) == ["ticket", "other"]
    assert (billing.at["ticket", "count"], billing.at["ticket", "tickets"], billing.at["ticket", "ticket_n"]) == (2, 1, 2)
    assert (billing.at["other", "count"], billing.at["other", "n"], billing.at["other", "tickets"]) == (1, 3, 0)
    overall = res.tables["overall"].set_index(["field", "label"])
    assert overall.at[("issue", "billing"), "ticket_n"] == 2  # the survey's answers are no ticket of the share


def test_a_table_without_source_kind_is_read_as_before():
    """A statements table split before source_kind existed: its ticket ids decide, as they did."""
    res = frequencies(_read(SPLIT_SURVEY).drop(columns=["source_kind"]))
    assert res.tickets_counted == 5
    assert "by_source_kind" not in res.tables

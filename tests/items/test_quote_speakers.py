"""An evidence quote says who said it: a researcher quotes 张女士（退休教师，62岁）of session fg1, a complaint team
the ticket. Before, the quote was its statement id and words alone (fg1-t0002-s01: 营业厅排队要等一个多小时。),
and the id names neither the speaker nor a split ticket's own id (tickets:2-s01 is the export's row 2, GD001).

Fixture tests/data/items/quoted_speakers.csv (written for this test): a focus group's moderator and two
participants (one with the header's attributes, one without) and a split ticket, all about queueing at the hall."""
from pathlib import Path

import pandas as pd

from voiceofcustomer.items.candidates import candidate_items, quote_source

DATA = Path(__file__).resolve().parents[1] / "data" / "items" / "quoted_speakers.csv"


def _quotes():
    res = candidate_items(pd.read_csv(DATA, dtype=str, keep_default_na=False))
    ev = res.items.set_index("item_id").at["IB079", "evidence"]
    return dict(q.split(": ", 1) for q in ev.split(" | "))


def test_a_focus_groups_quote_names_the_speaker_their_attributes_and_the_session():
    quotes = _quotes()
    assert quotes["fg1-t0002-s01"] == "营业厅排队要等一个多小时。 ——张女士（退休教师，62岁） · fg1"
    assert quotes["fg1-t0003-s01"] == "上次去营业厅排队等了半天才轮到我。 ——李先生 · fg1"


def test_a_split_tickets_quote_names_its_ticket():
    assert _quotes()["tickets:2-s01"] == "营业厅排队太久了，等候了四十分钟。 ——工单 GD001"


def test_a_quote_whose_id_says_it_all_adds_nothing():
    df = pd.DataFrame({"statement_id": ["T001", "survey:1-s01", "x"], "ticket_id": ["T001", "survey:1", ""],
                       "source_kind": ["", "other", ""], "text": ["a", "b", "c"]})
    # a ticket export tagged directly (its id is the ticket's), a survey's answer, a row with no one named
    assert quote_source(df).tolist() == ["", "", ""]


def test_a_quote_names_the_session_by_its_title_too():
    """A researcher knows a session by its title (武汉公众用户座谈会), not by its file's id: the quote said
    ——张女士（退休教师，62岁） · fg1. Fixture tests/data/items/quoted_session_titles.csv (written): fg1 with a title,
    fg2 without one, a split ticket. The statement id stays before ': ' (the quotes are split on it)."""
    res = candidate_items(pd.read_csv(DATA.with_name("quoted_session_titles.csv"), dtype=str, keep_default_na=False))
    ev = res.items.set_index("item_id").at["IB079", "evidence"]
    quotes = dict(q.split(": ", 1) for q in ev.split(" | "))
    assert quotes["fg1-t0002-s01"] == "营业厅排队要等一个多小时。 ——张女士（退休教师，62岁） · fg1（武汉公众用户座谈会）"
    assert quotes["fg2-t0002-s01"] == "上次去营业厅排队等了半天才轮到我。 ——李先生 · fg2"  # no title: the id alone
    assert quotes["tickets:2-s01"] == "营业厅排队太久了，等候了四十分钟。 ——工单 GD001"


def test_a_survey_answers_quote_names_the_answer_by_its_number():
    """A split survey's answer has the platform's answer number as its ticket_id (答卷编号 17): its quote said nothing
    after the words (wjx_answers:2-s01 names the file's row, not the answer), where a ticket's says 工单 GD001.
    Fixture tests/data/items/quoted_survey_answers.csv (written): answers 17 and 23 of a 问卷星 export, answer 1 of a
    survey without answer numbers (ticket_id answers:1, its row) and a split ticket, all about queueing at the hall."""
    df = pd.read_csv(DATA.with_name("quoted_survey_answers.csv"), dtype=str, keep_default_na=False)
    assert quote_source(df).tolist() == ["答卷 17", "答卷 23", "", "工单 GD001"]
    ev = candidate_items(df).items.set_index("item_id").at["IB079", "evidence"]
    quotes = dict(q.split(": ", 1) for q in ev.split(" | "))
    assert quotes["wjx_answers:2-s01"] == "上次去营业厅排队等了半天才轮到我。 ——答卷 23"
    assert quotes["answers:1-s01"] == "营业厅排队的人太多了，等了很久。"  # its statement id names its row already
    assert quotes["tickets:2-s01"] == "营业厅排队太久了，等候了四十分钟。 ——工单 GD001"

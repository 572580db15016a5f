"""A project coded before `voc themes` ran takes the themes when it is reopened with the themes' output."""

from pathlib import Path

import pandas as pd

from voiceofcustomer.review.export import coded_table
from voiceofcustomer.review.project import open_project
from voiceofcustomer.review.themes import ThemeBook

DATA = Path(__file__).resolve().parents[1] / "data" / "review"
TOPIC_COLUMNS = ["topic", "topic_label", "subtopic", "subtopic_label"]


def _inputs(tmp_path):
    topics = pd.read_csv(DATA / "tickets_themed_later.csv", dtype=str)
    tagged = tmp_path / "tagged_oct.csv"
    topics.drop(columns=[*TOPIC_COLUMNS, "text", "statement_id", "ticket_id", "source"]).to_csv(tagged, index=False, encoding="utf-8-sig")
    return tagged, DATA / "tickets_themed_later.csv"


def test_reopening_with_the_themes_output_gives_the_projects_statements_their_themes(tmp_path):
    # A complaint team coded its tagged export, then ran `voc themes` on it and reopened the project with the
    # statement_topics.csv: `voc review` said "0 new", every statement kept no theme and the themes view was
    # empty, silently (only new ids were read from the input).
    tagged, topics = _inputs(tmp_path)
    db = tmp_path / "review.sqlite"
    store = open_project([tagged], db)
    store.decide("GD2610002", {"issue": "handling"}, "wang")
    store.decide("GD2610005", {"stance": "neutral"}, "li")
    store.close()

    said = []
    store = open_project([topics], db, progress=said.append)
    assert store.added == 0
    book = ThemeBook(store)
    assert [(t["label"], t["n"], t["noise"]) for t in book.summary()] == [
        ("宽带、断网", 2, False), ("话费、多扣", 2, False), ("未归类", 1, True)]
    assert store.themed == 5
    assert said == ["5 statements of the project had no theme: given the input's (3 themes), decisions kept"]
    assert [s["statement_id"] for s in book.statements("1")] == ["GD2610002", "GD2610004"]
    # decisions kept, the row shows its theme, and the export carries it
    assert store.row("GD2610002", "wang")["mine"]["issue"] == "handling"
    assert store.row("GD2610003", "wang")["theme"] == "宽带、断网"
    assert store.progress("li")["done"] == 1
    store.close()
    table = coded_table(db).set_index("statement_id")
    assert table.loc["GD2610004", "theme"] == "话费、多扣"
    assert table.loc["GD2610001", "topic"] == 0
    assert table.loc["GD2610005", "theme_noise"]
    assert table.loc["GD2610002", "issue"] == "handling"

    # a statement that has a theme keeps it, and reopening again says nothing new
    store = open_project([topics], db, progress=said.append)
    assert store.themed == 0 and len(said) == 1
    store.close()

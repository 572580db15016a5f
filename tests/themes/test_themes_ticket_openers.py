"""A ticket's writer opens the customer's words with 用户反映 / 客户来电投诉 / 客户称 … (themes/tickets.py
without_openers): the themes' key phrases and names are of the customer's words without them. They stay in ``text``
(the labels read them) and in what is embedded.

Fixture (tests/data/tickets_openers_six_subjects.csv, written): 60 tickets of six subjects (宽带, 话费, 信号, 营业厅排队,
套餐变更未告知, 装机), each opened by one of ten openers (用户投诉, 客户来电投诉 among them). Before, 投诉 was a key
phrase of 5 of 10 themes and sub-themes (投诉营业厅 0.494) and named one (投诉营业厅、排队)."""
from pathlib import Path

import pandas as pd

from voiceofcustomer.themes import ThemeModel
from voiceofcustomer.themes.pipeline import load_inputs
from voiceofcustomer.themes.tickets import without_openers

EXPORT = Path(__file__).resolve().parents[1] / "data" / "tickets_openers_six_subjects.csv"
OPENER_WORDS = "投诉|反映|来电|客户|用户"


def test_openers_are_no_key_phrases_nor_theme_names(cache_dir):
    st = load_inputs([EXPORT], text_col="投诉内容")
    assert st["text"].str.contains("投诉").sum() == 12  # the statements keep their openers
    model = ThemeModel(embedding="use", cache_dir=cache_dir).fit(st)
    tree = model.topic_tree()
    topics = tree[tree["topic"].astype(float) >= 0]  # themes and sub-themes (投诉营业厅、排队 was a sub-theme)
    # each subject a theme of its own since the coarse level no longer pairs distinct subjects (test_themes_small_export.py;
    # they were 3 themes with sub-themes)
    assert (topics["level"] == 1).sum() == 6
    assert not topics["label"].str.contains(OPENER_WORDS).any(), topics["label"].tolist()
    assert not topics["keywords"].str.contains(OPENER_WORDS).any(), topics["keywords"].tolist()
    assert topics["keywords"].str.contains("营业厅").any()  # the subject after 客户来电投诉 is read
    assert model.statement_topics_["text"].str.contains("投诉").sum() == 12


def test_only_a_tickets_openers_at_a_sentences_start():
    texts = ["客户来电投诉营业厅排队等了一个多小时", "用户反映宽带掉线。客户称已重启光猫", "该用户来电咨询称套餐怎么改",
             "用户反应信号差", "客户称呼不对", "我投诉了三次都没人管", "用户反映宽带掉线"]
    role = ["", "", "", "", "", "", "participant"]
    assert without_openers(texts, pd.DataFrame({"role": role})) == [
        "营业厅排队等了一个多小时", "宽带掉线。已重启光猫", "套餐怎么改", "信号差", "客户称呼不对", "我投诉了三次都没人管",
        "用户反映宽带掉线"]  # a focus group's turn is left as said

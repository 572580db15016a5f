"""Clusters as alike as one sentence written on other days are one subject (clustering.SAME_SUBJECT,
merge_across_groups): themes of one source kind, and the sub-themes of a theme, whose centroids are at least 0.9
cosine-similar are joined.

Fixture (tests/data/themes/tickets_times.csv, written): 144 tickets of four subjects (宽带掉线, 手机信号, 营业厅排队,
话费多扣), 36 each; the signal tickets are one sentence, only its day or hour differing (每天早上, 中午, 下午, 傍晚, 晚上,
周末), as a hotline's formula gives. Before, HDBSCAN (the clustering above 1,000 statements, here from 50) made them
two themes named 手机信号、写字楼 (24 and 12), and the sub-theme split cut the signal theme into six named by the hour
(中午、听不清, 周末、听不清 …)."""
from pathlib import Path

import pandas as pd

from voiceofcustomer.themes import ThemeModel
from voiceofcustomer.themes.pipeline import load_inputs

EXPORT = Path(__file__).resolve().parents[1] / "data" / "themes" / "tickets_times.csv"


def _fit(cache_dir, **kw):
    model = ThemeModel(embedding="use", cache_dir=cache_dir, **kw).fit(load_inputs([EXPORT], text_col="投诉内容"))
    subject = pd.read_csv(EXPORT).set_index("工单编号")["主题"]
    out = model.statement_topics_
    return model, out.assign(subject=out["ticket_id"].map(subject).to_numpy())


def test_one_sentence_on_other_days_is_one_theme_of_one_name(cache_dir):
    model, out = _fit(cache_dir, small_limit=50)  # HDBSCAN, as above 1,000 statements
    themes = model.topics_[model.topics_["topic"] >= 0]
    assert not themes["label"].duplicated().any(), themes["label"].tolist()
    signal = out[out["subject"] == "信号"]
    assert signal["topic"].nunique() == 1 and len(signal) == 36
    assert model.info_["clustering"]["ticket"]["same_subject_joined"]["joined"] >= 1


def test_one_sentence_on_other_days_has_no_sub_themes(cache_dir):
    model, out = _fit(cache_dir)
    tree = model.topic_tree()
    subs = tree[tree["level"] == 2]
    assert not subs.duplicated(["parent", "label"]).any(), subs[["topic", "label"]].values.tolist()
    signal = out[out["subject"] == "信号"]
    assert signal["topic"].nunique() == 1
    assert (signal["subtopic"].astype("string").fillna("") == "").all(), signal["subtopic"].unique()
    assert len(subs) >= 6  # the other subjects keep their sub-themes (three wordings each)

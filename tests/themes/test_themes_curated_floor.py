"""A curated set's cut-off for next month: near-copies of a tight theme's members fit it, new subjects fit none.

The members' floor alone (``topic_conf`` below ``min_conf``: less similar than the least typical member)
made a tight theme — members all alike, as a hotline's templated tickets are — reject next month's copies
of its own tickets in other words. ``CuratedThemes.neighbour_floors``: a statement nearest a theme also
fits it from halfway between the theme's floor and its nearest other theme's centroid.

Fixture (written): ``tests/data/themes/tickets_templated_nov.csv``, 60 templated tickets of six subjects
(10 each, one sentence, ``subject`` column); ``tickets_templated_dec.csv``, the same tickets next month with
small wording changes (用户来电称 for 客户来电反映, 希望 for 要求, 太差 for 很差 …, other districts and
amounts) and 6 tickets of two subjects November never had (诈骗电话, 营业厅排队).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from voiceofcustomer.review.store import create_project
from voiceofcustomer.themes.curated import assign_curated, load_curated, save_curated

from conftest import DATA, KeywordEmbedder

TAGS = {"servqual": "reliability", "demand": "delivery", "issue": "other", "stance": "complaint"}


def _project(df: pd.DataFrame, topics: list[int], labels: list[str], db: Path) -> None:
    df = df.assign(topic=topics, topic_label=[labels[t] for t in topics])
    for f, v in TAGS.items():
        df[f], df[f"{f}_conf"] = v, 0.5
    create_project(df, db).close()


def test_a_tight_themes_near_copies_fit_it_and_a_new_subject_fits_none(tmp_path):
    """Two themes whose members are all alike (similarity ≈ 0.99 to their centroid); next month a
    statement at ≈ 0.9 to broadband (its members' floor ≈ 0.99, the signal theme's centroid at ≈ 0)
    fits broadband; fraud calls, at ≈ 0 to both, fit none."""
    embedder = KeywordEmbedder({"宽带": [1, 0, 0], "信号": [0, 1, 0], "网速": [0.9, 0, 0.44], "诈骗": [0, 0, 1]},
                               noise=0.01)
    texts = [f"宽带又断网了，第{i}回" for i in range(20)] + [f"手机信号很差，{i}楼" for i in range(20)]
    df = pd.DataFrame({"statement_id": [f"s{i}" for i in range(40)], "text": texts})
    _project(df, [0] * 20 + [1] * 20, ["宽带", "信号"], tmp_path / "review.sqlite")
    save_curated(tmp_path / "review.sqlite", tmp_path / "c", embedding=embedder)
    cur = load_curated(tmp_path / "c")
    new = pd.DataFrame({"statement_id": ["n1", "n2", "n3"], "text": ["家里网速太慢了", "宽带又断网了，第7回", "诈骗电话天天打来"]})
    st = assign_curated(cur, new, noise_field=None)
    assert cur.member_sims[0][0] > 0.98 and 0.85 < st.loc[0, "topic_similarity"] < 0.95  # below every member …
    assert st["topic"].tolist() == [0, 0, -1]  # … and fits 宽带: was -1 (fits none)
    assert st["reason"].tolist() == ["", "", "outlier"] and st.loc[2, "nearest_label"] in ("宽带", "信号")
    assert 0.45 < cur.neighbour_floors(0.02)[0] < 0.55  # halfway from 0.99 to ≈ 0
    # without a floor there is no cut-off to move, and a set of one theme keeps its members' floor
    assert np.isnan(cur.neighbour_floors(None)).all() and np.isnan(cur.neighbour_floors(0)).all()


def test_a_theme_with_no_neighbour_keeps_its_members_floor(tmp_path):
    embedder = KeywordEmbedder({"宽带": [1, 0, 0], "网速": [0.9, 0, 0.44]}, noise=0.01)
    df = pd.DataFrame({"statement_id": [f"s{i}" for i in range(20)], "text": [f"宽带又断网了，第{i}回" for i in range(20)]})
    _project(df, [0] * 20, ["宽带"], tmp_path / "review.sqlite")
    save_curated(tmp_path / "review.sqlite", tmp_path / "c", embedding=embedder)
    cur = load_curated(tmp_path / "c")
    assert np.isnan(cur.neighbour_floors(0.02)).all()
    st = assign_curated(cur, pd.DataFrame({"statement_id": ["n1"], "text": ["家里网速太慢了"]}), noise_field=None)
    assert st["topic"].tolist() == [-1]


@pytest.mark.slow  # ~15 s: the default embedder on 126 tickets
def test_next_months_near_copies_of_templated_tickets_land_on_their_theme(tmp_path):
    """November's 60 templated tickets as a set, December's near-copies and two new subjects applied
    (``use``): copies on their November theme 7 of 60 before (53 fit none at 0.76–0.95, the themes'
    floors 0.91–0.97), at least 57 now; the 6 new-subject tickets fit none before and now."""
    nov = pd.read_csv(DATA / "themes" / "tickets_templated_nov.csv")
    dec = pd.read_csv(DATA / "themes" / "tickets_templated_dec.csv")
    subjects = list(dict.fromkeys(nov["subject"]))
    df = pd.DataFrame({"statement_id": nov["工单号"], "text": nov["投诉内容"]})
    _project(df, [subjects.index(s) for s in nov["subject"]], subjects, tmp_path / "review.sqlite")
    save_curated(tmp_path / "review.sqlite", tmp_path / "c")
    st = assign_curated(load_curated(tmp_path / "c"),
                        pd.DataFrame({"statement_id": dec["工单号"], "text": dec["投诉内容"]}), noise_field=None)
    old = dec["subject"].isin(subjects).to_numpy()
    expected = dec.loc[old, "subject"].map(subjects.index).to_numpy()
    assert (st.loc[old, "topic"].to_numpy() == expected).sum() >= 57
    assert (st.loc[old, "topic"] == -1).sum() <= 3
    assert (st.loc[~old, "topic"] == -1).all() and (st.loc[~old, "reason"] == "outlier").all()

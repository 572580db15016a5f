"""A small ticket export's subjects are its themes (themes/clustering.py ``_coarse_level``).

Fixture (tests/data/themes/tickets_sixty_six_subjects.csv, written): 60 tickets in the hotline's style (工单号,
受理渠道, 用户反映… 要求…), 10 on each of six subjects — broadband dropping at night, a wrong charge on the bill, a
repair visit that never came, rude hotline staff, no signal in a basement or lift, a data pack not credited. Split
into sentences, as ``voc themes`` and ``voc analyze`` read it, its 60 opening sentences fell into 6 clear clusters
(silhouette 0.59 at k = 6), which the coarse level grouped into 3 themes (电话、态度 holding signal, staff and
repairs; 账单、流量 billing and data packs; 宽带): 3 subjects found, adjusted Rand 0.47."""
import re
from pathlib import Path

import pandas as pd
from sklearn.metrics import adjusted_rand_score

from voiceofcustomer.themes import ThemeModel
from voiceofcustomer.themes.pipeline import load_inputs

EXPORT = Path(__file__).resolve().parents[1] / "data" / "themes" / "tickets_sixty_six_subjects.csv"
#: words of each subject (any of them among a theme's first key phrases)
SUBJECT_WORDS = {"broadband": "宽带|断网|掉线|断线", "billing": "账单|话费|扣费|月租|多扣|退费", "repair": "维修|上门|师傅|报修",
                 "attitude": "态度|客服|接线员|热线", "signal": "信号|电梯|地下|地库", "datapack": "流量"}


def test_sixty_tickets_of_six_subjects_give_each_subject_a_theme_of_its_words(cache_dir):
    st = load_inputs([EXPORT])  # split into sentences, as voc themes reads the export
    assert st["ticket_id"].nunique() == 60
    model = ThemeModel(embedding="use", cache_dir=cache_dir).fit(st)
    out = model.statement_topics_
    subject = out["ticket_id"].map(pd.read_csv(EXPORT).set_index("工单号")["subject"]).to_numpy()
    topic = out["topic"].to_numpy()
    themed = topic >= 0
    counts = pd.crosstab(subject[themed], topic[themed])
    # a subject is found when its commonest theme is a theme of mostly its own statements
    found = {s: counts.loc[s].idxmax() for s in counts.index}
    found = {s: t for s, t in found.items() if counts[t].idxmax() == s and counts[t][s] >= 0.8 * counts[t].sum()}
    assert len(found) >= 5 and len(set(found.values())) == len(found), counts
    assert adjusted_rand_score(subject[themed], topic[themed]) >= 0.7
    keywords = model.topics_.set_index("topic")["keywords"]
    for s, t in found.items():
        first = "|".join(w.split(":")[0] for w in keywords[t].split("|")[:3])
        assert re.search(SUBJECT_WORDS[s], first), (s, keywords[t])
    info = model.info_["clustering"]["ticket"]
    assert "distinct subjects" in info["coarse_level"], info


"""Two levels, placement and noise, source kinds, and the estimator contract of ThemeModel.

Fixtures written for these tests (no real customer text):
- ``themes_two_level.tsv``: 4 subjects × 3 sub-subjects × 10 statements;
- ``focus_group_eight_subjects.txt``: a focus group on 8 known subjects with
  introductions, small talk and goodbyes.
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.exceptions import NotFittedError

from voiceofcustomer import statements as S
from voiceofcustomer.text.split import split_inputs
from voiceofcustomer.themes import ThemeModel, run_themes
from voiceofcustomer.themes.embeddings import LSAEmbedder

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "corpora" / "samples"

#: The focus group's subjects and the words a reader would recognise each by.
SUBJECTS = {
    "queue": "排队|取号|叫号",
    "attitude": "态度|营业员|工作人员",
    "install": "安装|装机|师傅",
    "billing": "账单|扣费|收费",
    "app": "app|登录",
    "signal": "信号|电梯|地下",
    "environment": "环境|座位|空调",
    "standards": "服务标准|服务规范|标准|规范",
}
_PARTICIPANT_SUBJECT = [  # the moderator's question numbers (1..8) in the order of SUBJECTS
    "queue", "attitude", "install", "billing", "app", "signal", "environment", "standards"]


@pytest.fixture(scope="module")
def two_level():
    return pd.read_csv(DATA / "themes_two_level.tsv", sep="\t")


@pytest.fixture(scope="module")
def two_level_model(two_level):
    return ThemeModel().fit(two_level["text"].tolist())  # default settings: the granularity rule finds 4


def _majority(truth: pd.Series, found: pd.Series) -> pd.Series:
    return pd.crosstab(truth.to_numpy(), found.to_numpy()).idxmax(axis=1)


def test_four_subjects_come_out_as_four_themes_with_their_sub_themes(two_level, two_level_model):
    st = two_level_model.statement_topics_
    themes = _majority(two_level["subject"], st["topic"])
    assert themes.nunique() == 4 and (themes >= 0).all(), themes.to_dict()
    purity = (st["topic"].to_numpy() == two_level["subject"].map(themes).to_numpy()).mean()
    assert purity >= 0.8
    # inside each subject's theme, its sub-subjects go to different sub-themes
    key = two_level["subject"] + "/" + two_level["sub"]
    subs = _majority(key, st["subtopic"])
    right = 0
    for subject, theme in themes.items():
        mine = subs[[k for k in subs.index if k.startswith(subject + "/")]]
        right += sum(1 for s in mine.unique() if s.startswith(f"{theme}."))
        right -= len(mine) - mine.nunique()  # two sub-subjects sharing a sub-theme count once
    assert right >= 10, subs.to_dict()  # of 12
    assert len(two_level_model.subtopics_) >= 10


def test_a_small_ticket_export_gets_its_subjects_as_themes():
    """400 written tickets, 6 subjects (broadband, billing, queues, staff attitude, signal in lifts and
    car parks, add-on subscriptions) and thank-you rows (``benchmarks/themes_granularity.py
    --write-fixture``): with the default settings each subject is a theme. The coarse level grouped
    the six into 3 themes of two subjects each (3 subjects found, adjusted Rand 0.46)."""
    from sklearn.metrics import adjusted_rand_score

    path = DATA / "tickets_six_subjects.csv"
    key = pd.read_csv(path).set_index("工单编号")["subject"]
    # whole tickets (voc themes --unit ticket, the unit of a tagged export); split into sentences, see
    # test_themes_tickets.py (docs/themes.md)
    from voiceofcustomer.themes.pipeline import load_inputs

    tickets = load_inputs([path], text_col="投诉内容", unit="ticket")
    assert len(tickets) == 400 and (tickets["statement_id"] == tickets["工单编号"]).all()
    st = ThemeModel().fit(tickets).statement_topics_
    truth = st["statement_id"].map(key)
    subj = (truth != "thanks").to_numpy()
    ct = pd.crosstab(truth[subj].to_numpy(), st["topic"][subj].to_numpy())
    found = [s for s in ct.index if ct.loc[s].idxmax() >= 0 and ct[ct.loc[s].idxmax()].idxmax() == s]
    assert len(found) >= 5, ct  # of 6
    placed = subj & (st["topic"] >= 0).to_numpy()
    assert adjusted_rand_score(truth[placed], st["topic"][placed]) >= 0.7


def test_no_statement_is_lost_between_levels(two_level, two_level_model):
    st = two_level_model.statement_topics_
    assert len(st) == len(two_level)
    placed = st[st["topic"] >= 0]
    # every statement of a split theme has a sub-theme of that theme
    split = set(two_level_model.subtopics_["parent"])
    in_split = placed[placed["topic"].isin(split)]
    assert (in_split["subtopic"].str.split(".").str[0].astype(int) == in_split["topic"]).all()
    sizes = two_level_model.subtopics_.groupby("parent")["size"].sum()
    own = two_level_model.topics_.set_index("topic")["size"]
    for parent, total in sizes.items():
        assert total == own[parent]
    tree = two_level_model.topic_tree()
    assert tree.loc[tree["level"] == 1, "size"].sum() == len(two_level)
    assert set(tree.loc[tree["level"] == 2, "parent"]) == split


def test_assignments_are_reproducible_and_transform_equals_fit(two_level, two_level_model):
    texts = two_level["text"].tolist()
    again = ThemeModel().fit_transform(texts)
    first = two_level_model.transform(texts)
    pd.testing.assert_frame_equal(again, first)
    assert (first["subtopic"].to_numpy() == two_level_model.statement_topics_["subtopic"].to_numpy()).all()


def test_topic_conf_says_how_typical_a_statement_is(two_level_model):
    st = two_level_model.statement_topics_
    conf = st[S.TOPIC_CONF]
    placed = st["topic"] >= 0
    assert conf[placed].between(0, 1).all() and conf[placed].min() >= two_level_model.min_conf
    # the most central statement of each theme is also its most confident one
    for t in st.loc[placed, "topic"].unique():
        mine = st[st["topic"] == t]
        assert mine.loc[mine["topic_similarity"].idxmax(), S.TOPIC_CONF] == mine[S.TOPIC_CONF].max()
    # a stricter threshold leaves more statements unplaced, never fewer
    strict = ThemeModel(n_topics=4, min_conf=0.5).fit(st["text"].tolist())
    assert (strict.statement_topics_["topic"] == -1).sum() > (st["topic"] == -1).sum()


def test_sub_theme_labels_differ_from_their_theme(two_level_model):
    subs = two_level_model.subtopics_
    for r in subs.itertuples():
        assert r.label and r.label != two_level_model.labels_[r.parent]
        assert len(r.label) <= 11 and re.search(r"[\u4e00-\u9fff]", r.label)


def test_noise_is_labelled_not_hidden():
    texts = ["宽带掉线好几天了", "宽带又掉线了，光猫重启也不行", "网速慢得不行，测速只有十兆",
             "营业厅排队一个小时", "营业厅排队人太多了", "流量超出被扣了两百"] * 4
    servqual = ["reliability"] * len(texts)
    texts += ["我姓王，在河西区上班，平时喜欢钓鱼", "今天天气不错啊", "好的谢谢", "@中国联通客服 http://t.cn/Ab12"]
    servqual += ["none", "none", "none", ""]
    df = pd.DataFrame({"text": texts, "servqual": servqual})
    st = ThemeModel(embedding="lsa").fit(df).statement_topics_
    tail = st.tail(4)
    assert (tail["topic"] == -1).all()
    assert tail["reason"].tolist()[:3] == ["no service content"] * 3
    assert tail["reason"].tolist()[3] in ("no content words", "empty text")  # a handle and a link only
    # without labels the introduction is a statement like any other (set aside only when tagged)
    plain = ThemeModel(embedding="lsa", noise_field=None).fit(df).statement_topics_
    assert plain["reason"].iloc[-4] != "no service content"


def test_handles_and_links_never_reach_key_phrases():
    base = ["@中国移动客服 宽带又断网了 http://t.cn/R2x9 [怒]", "@中国移动客服 宽带断网一整天 http://t.cn/Zq8",
            "@中国移动客服 流量超了扣费太多", "@中国移动客服 流量扣费不合理 http://t.cn/Kp3"]
    model = ThemeModel(embedding="lsa", n_topics=2).fit(base * 6)
    words = [w for ws in model.topic_words_.values() for w, _ in ws]
    assert words and not any("@" in w or "http" in w or "t.cn" in w or "怒" == w for w in words)
    assert model.statement_topics_["text"].iloc[0] == base[0]


def test_estimator_contract_objects_and_not_fitted(two_level):
    texts = two_level["text"].tolist()
    model = ThemeModel(embedding=LSAEmbedder(n_components=32), clustering=KMeans(n_clusters=4, n_init=3,
                                                                                   random_state=0))
    with pytest.raises(NotFittedError):
        model.transform(texts)
    out = model.fit_transform(texts)
    assert model.info_["clustering"]["ticket"]["method"] == "KMeans"
    assert model.info_["n_topics"] <= 4
    pd.testing.assert_frame_equal(out, model.transform(texts))
    # any object with embed(texts) works as the embedder
    class Hashing:
        def embed(self, docs):
            from sklearn.feature_extraction.text import HashingVectorizer

            return HashingVectorizer(analyzer="char", ngram_range=(1, 2), n_features=256).transform(docs).toarray()

    other = ThemeModel(embedding=Hashing(), n_topics=3).fit(texts)
    assert other.info_["embedding"]["backend"] == "custom-Hashing" and other.info_["n_topics"] == 3
    assert ThemeModel(seed=7).random_state == 7  # the former name still works


# -- focus groups ---------------------------------------------------------------------------


def _subjects_found(st: pd.DataFrame, topics: pd.DataFrame, labels: dict) -> set[str]:
    """Subjects whose participant statements have a distinct majority theme labelled with the subject's words."""
    fg = st[(st["role"] == "participant") & st["prompt"].notna()
            & ~st["reason"].isin(["no service content", "no content words"])]
    found = {}
    for subject, stmts in fg.groupby("prompt"):
        top = stmts["topic"].value_counts()
        top = top[top.index >= 0]
        if len(top) and top.iloc[0] >= 0.5 * len(stmts):
            found[subject] = int(top.index[0])
    ok = set()
    for subject, t in found.items():
        shared = sum(1 for v in found.values() if v == t) > 1
        if not shared and re.search(SUBJECTS[subject], labels[t] + " " + " ".join(topics.get(t, [])[:3]), re.I):
            ok.add(subject)
    return ok


def _with_prompts(st: pd.DataFrame) -> pd.DataFrame:
    """The subject each participant statement answers: the moderator's question before it (written fixture)."""
    st = st.copy()
    prompt, n = [], 0
    for role, text in zip(st["role"].fillna(""), st["text"]):
        if role == "moderator" and re.search("话题|聊聊|怎么样|体验如何|方面", str(text)) and n < 8:
            n += 1
        prompt.append(_PARTICIPANT_SUBJECT[n - 1] if n else None)
    st["prompt"] = [p if r == "participant" else None for p, r in zip(prompt, st["role"].fillna(""))]
    return st


@pytest.fixture(scope="module")
def fg_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("fg") / "themes"
    run_themes([DATA / "focus_group_eight_subjects.txt"], out, cache_dir=tmp_path_factory.mktemp("c"))
    return out


def _found(out: Path):
    st = pd.read_csv(out / "statement_topics.csv", encoding="utf-8-sig")
    topics = pd.read_csv(out / "topics.csv", encoding="utf-8-sig", dtype={"topic": str})
    level1 = topics[topics["level"] == 1]
    labels = {int(r.topic): r.label for r in level1.itertuples()}
    words = {int(r.topic): [w.rsplit(":", 1)[0] for w in str(r.keywords).split("|")] for r in level1.itertuples()
             if isinstance(r.keywords, str)}
    return st, _subjects_found(_with_prompts(st), words, labels), labels


def test_focus_group_subjects_are_separate_themes(fg_run):
    st, found, labels = _found(fg_run)
    assert len(found) >= 6, (found, labels)
    # introductions, small talk and goodbyes form no theme
    small = st[st["text"].str.contains("我姓|我是大二|谢谢|再见|拜拜|天气|路上")]
    assert len(small) >= 10 and (small["topic"] == -1).all()
    assert set(small["reason"]) <= {"no service content", "no content words", "moderator", "outlier"}


@pytest.mark.slow  # ~15 s: 450 statements embedded, plus the label model for small talk
def test_focus_group_keeps_its_subjects_among_tickets(tmp_path):
    out = tmp_path / "themes"
    run_themes([DATA / "focus_group_eight_subjects.txt", SAMPLES / "tickets.csv"], out, cache_dir=tmp_path / "c")
    st, found, labels = _found(out)
    assert len(found) >= 6, (found, labels)
    fg = st[st["role"] == "participant"]
    tickets = st[st["role"].isna() & (st["topic"] >= 0)]
    # the focus group did not collapse into one theme, and no theme mixes the two sources
    assert fg.loc[fg["topic"] >= 0, "topic"].nunique() >= 6
    assert not set(fg["topic"][fg["topic"] >= 0]) & set(tickets["topic"])

"""ThemeModel on the fixed 6-subject corpus and on a real-shaped focus group."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score

from voiceofcustomer.errors import VocError
from voiceofcustomer.themes import OUTLIER_LABEL, ThemeModel

CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_chinese_label(label: str) -> bool:
    """1-2 key phrases, at most 8 characters (or one longer compound), Chinese, no handle or link."""
    phrases = label.split("、")
    return (1 <= len(phrases) <= 2 and all(p.strip() == p and p for p in phrases) and bool(CJK.search(label))
            and (len(phrases) == 1 or len("".join(phrases)) <= 8) and "@" not in label and "http" not in label)


def test_subjects_come_out_as_separate_topics(corpus_model, themes_corpus):
    _texts, labels = themes_corpus
    topics = corpus_model.statement_topics_["topic"].to_numpy()
    assert adjusted_rand_score(labels, topics) >= 0.7
    majority = pd.crosstab(pd.Series(labels, name="subject"), pd.Series(topics, name="topic")).idxmax(axis=1)
    assert majority.nunique() == 6, majority.to_dict()


def test_labels_are_chinese_key_phrases(corpus_model):
    table = corpus_model.topics_
    for label in table.loc[table["topic"] >= 0, "label"]:
        assert _is_chinese_label(label), label
    # the fraud subject is recognisable by its label
    assert any(re.search("诈骗|骗子|骚扰", lab) for lab in table["label"])


def test_no_statement_is_lost(corpus_model, themes_corpus):
    st = corpus_model.statement_topics_
    assert len(st) == 300
    assert st["text"].tolist() == themes_corpus[0]
    assert st["statement_id"].is_unique
    assert corpus_model.topics_["size"].sum() == 300
    assert corpus_model.topics_["share"].sum() == pytest.approx(1.0, abs=0.01)


def test_transform_of_a_themed_table_gives_only_this_models_theme_columns(corpus_model, themes_corpus):
    """transform replaced its own columns but kept statement_topics.csv's reason and a curated run's
    nearest_label / suggested_theme, so a voc analyze statements.xlsx of a themed input said last month's."""
    texts, _ = themes_corpus
    old = pd.DataFrame({"text": texts[:20], "topic": 99, "reason": "上个月", "topic_reason": "上个月",
                        "nearest_label": "上个月的主题", "suggested_theme": "new9", "渠道": "微博"})
    out = corpus_model.transform(old)
    plain = corpus_model.transform(old[["text", "渠道"]])
    pd.testing.assert_frame_equal(out, plain)
    assert "reason" not in out.columns and not out["topic_reason"].eq("上个月").any()


def test_two_runs_give_identical_assignments(corpus_model, themes_corpus):
    again = ThemeModel().fit(themes_corpus[0])  # no cache: embeddings recomputed too
    pd.testing.assert_frame_equal(again.statement_topics_, corpus_model.statement_topics_)
    pd.testing.assert_frame_equal(again.topics_, corpus_model.topics_)


def test_topic_table_contents(corpus_model):
    table = corpus_model.topics_
    assert list(table.columns[:11]) == ["topic", "parent", "level", "label", "keywords", "size", "count", "share",
                                        "n_subtopics", "representative_ids", "representative_texts"]
    assert table.loc[table["topic"] >= 0, "size"].is_monotonic_decreasing
    ids = set(corpus_model.statement_topics_["statement_id"])
    for row in table[table["topic"] >= 0].itertuples():
        kws = [kw.rsplit(":", 1) for kw in row.keywords.split("|")]
        assert len(kws) == 10 and all(float(w) > 0 for _, w in kws)
        rep = row.representative_ids.split("|")
        assert len(rep) == 3 and set(rep) <= ids
        members = corpus_model.statement_topics_.set_index("statement_id").loc[rep, "topic"]
        assert (members == row.topic).all()
    info = corpus_model.info_
    assert info["clustering"]["ticket"]["method"] == "kmeans" and info["n_topics"] == 6
    assert info["embedding"]["backend"] == "use"


def test_label_distributions_when_tagged(themes_corpus):
    texts, subjects = themes_corpus
    issue = {"fraud_calls": "security", "broadband_drop": "broadband", "roaming_fee": "billing",
             "store_queue": "efficiency", "app_login": "handling", "elderly_care": "other"}
    df = pd.DataFrame({"text": texts, "issue": [issue[s] for s in subjects], "stance": "complaint"})
    model = ThemeModel(embedding="lsa", n_topics=6).fit(df)
    assert {"dist_issue", "dist_stance"} <= set(model.topics_.columns)
    for dist in model.topics_["dist_issue"]:
        shares = [float(part.rsplit(":", 1)[1]) for part in dist.split("|")]
        assert sum(shares) == pytest.approx(1.0, abs=0.02) and shares == sorted(shares, reverse=True)
    assert set(model.topics_["dist_stance"]) == {"complaint:1.00"}


def test_transform_assigns_new_statements(corpus_model):
    out = corpus_model.transform(["又接到冒充公安的诈骗电话，让我转账到安全账户", "", "嗯"])
    fraud = corpus_model.statement_topics_.loc[0, "topic"]  # the corpus starts with fraud calls
    assert out["topic"].tolist()[0] == fraud
    assert out["topic"].tolist()[1:] == [-1, -1]


def test_pickled_model_still_transforms(corpus_model):
    clone = pickle.loads(pickle.dumps(corpus_model))
    texts = ["宽带老是掉线，光猫重启也没用"]
    pd.testing.assert_frame_equal(clone.transform(texts), corpus_model.transform(texts))


def test_topics_per_class_and_over_time(corpus_model):
    n = len(corpus_model.statement_topics_)
    groups = np.where(np.arange(n) % 2 == 0, "public", "business")
    tpc = corpus_model.topics_per_class(groups)
    assert set(tpc["class"]) == {"public", "business"}
    assert tpc["count"].sum() == corpus_model.info_["n_fitted"]  # fitted statements only
    assert tpc.groupby("class")["share_in_class"].sum().round(2).eq(1.0).all()
    dates = pd.date_range("2026-01-01", periods=n, freq="D").astype(str).tolist()
    dates[0] = "not a date"
    tot = corpus_model.topics_over_time(dates, period="month")
    assert tot["period"].str.match(r"\d{4}-\d{2}-01").all()
    assert tot["count"].sum() == corpus_model.info_["n_fitted"] - 1
    assert corpus_model.info_["undated_statements"] == 1
    with pytest.raises(VocError, match="month or week"):
        corpus_model.topics_over_time(dates, period="year")


def test_focus_group_gives_several_meaningful_topics(focus_group, focus_group_model):
    st = focus_group_model.statement_topics_
    assert len(st) == len(focus_group)  # nothing lost
    assert st["statement_id"].tolist() == focus_group["statement_id"].tolist()
    moderator = focus_group["role"].eq("moderator").to_numpy()
    assert (st.loc[moderator, "topic"] == -1).all() and (st.loc[moderator, "reason"] == "moderator").all()
    topics = focus_group_model.topics_
    real = topics[topics["topic"] >= 0]
    assert len(real) >= 4
    assert (real["size"] >= 4).all()  # KMeans keeps >= 5; placement may move a member to a closer theme
    assert all(_is_chinese_label(lab) for lab in real["label"])
    # the discussion's subjects are there: broadband, the app / data plans, repairs
    # a theme is read by its label and its top key phrases
    labels = " ".join(real["label"]) + " " + " ".join(
        w.rsplit(":", 1)[0] for kw in real["keywords"] for w in kw.split("|")[:3])
    # (broadband by any of its words: with the questions in the embeddings its theme is the repair block, 报修、光猫)
    assert re.search("宽带|光猫|掉线|网速", labels) and re.search("app|流量|套餐", labels) \
        and re.search("报修|上门|维修|小时", labels)
    assert topics.loc[topics["topic"] == -1, "label"].tolist() == [OUTLIER_LABEL]


def test_statements_without_words_are_kept_with_a_reason():
    texts = ["宽带掉线好几天了", "宽带又掉线了，光猫重启", "", "好的。", "流量超出被扣费", "流量包不够用被扣费"] * 3
    model = ThemeModel(embedding="lsa").fit(texts)
    st = model.statement_topics_
    assert len(st) == len(texts)
    assert set(st.loc[st["text"] == "", "reason"]) == {"empty text"}
    assert set(st.loc[st["text"] == "好的。", "reason"]) == {"no content words"}


def test_bad_parameters_and_inputs():
    with pytest.raises(VocError, match="n_topics= must be at least 1"):
        ThemeModel(n_topics=0).fit(["宽带掉线", "流量超了"])
    with pytest.raises(VocError, match="content words"):
        ThemeModel().fit(["", "好的"])
    with pytest.raises(NotFittedError, match="not fitted"):
        ThemeModel().transform(["宽带"])


def test_more_forced_themes_than_the_statements_hold_gives_themes_not_a_crash():
    """``--n-topics 35`` on 40 statements (found by a new user): a theme with no key phrases of
    its own is named 主题N instead of crashing on BERTopic's ``get_topic`` returning False."""
    texts = [f"宽带晚上第{i}次掉线，师傅上门{i % 5}次没修好" if i % 3 else f"营业厅排队{i}分钟，工作人员态度差"
             for i in range(40)]
    model = ThemeModel(n_topics=35).fit(texts)
    assert len(model.statement_topics_) == 40
    themes = model.topics_[model.topics_["topic"] >= 0]
    assert len(themes) > 10 and themes["label"].str.len().gt(0).all()


def test_topics_over_time_reads_dates_as_voc_freq_does(corpus_model):
    """QA: voc themes --date-col had its own date parser: 2026年1月2日14:05 was no date, and a column mixing
    times with and without a zone (+08:00) stopped it with a traceback. It now uses voc freq's rule."""
    from voiceofcustomer.freq.tables import parse_dates

    n = len(corpus_model.statement_topics_)
    forms = ["{y}年{m}月{d}日14:05", "{y}-{m:02d}-{d:02d}T09:00:00+08:00", "{y}/{m}/{d} 8:30"]
    days = pd.date_range("2026-01-01", periods=n, freq="D")
    dates = [forms[i % 3].format(y=t.year, m=t.month, d=t.day) for i, t in enumerate(days)]
    tot = corpus_model.topics_over_time(dates, period="month")
    assert corpus_model.info_["undated_statements"] == 0
    assert tot["count"].sum() == corpus_model.info_["n_fitted"]
    assert parse_dates(pd.Series(dates)).dt.normalize().tolist() == list(days)


def test_theme_counts_and_shares_are_of_the_statements_that_count(focus_group, tmp_path):
    """A user comparing one voc analyze folder's pages saw a theme at 13.8 % in themes.html and 14.6 % in the
    report: topics.csv's share was size over every row (moderator turns, duplicates, blank texts), the report's
    over the statements that count. Now ``count`` and ``share`` are the counted rule's (statements.counted_mask),
    ``size`` still every row, and themes.html gives the count, the share and its denominator."""
    from voiceofcustomer.statements import counted_mask
    from voiceofcustomer.themes.report import themes_html

    df = focus_group.copy()
    said = np.flatnonzero(df["role"].ne("moderator").to_numpy())
    df.loc[said[3], "is_duplicate"] = True  # a participant repeating her own words: not counted
    df.loc[said[5], "text"] = "（笑）"          # a turn with no words: not counted
    model = ThemeModel(embedding="lsa").fit(df)
    counted = counted_mask(df)
    n = int(counted.sum())
    assert n < len(df) - 2 and model.info_["n_counted"] == n
    topic = model.statement_topics_["topic"].to_numpy()
    tree = model.topic_tree()
    level1 = tree[tree["level"] == 1]
    assert level1["size"].sum() == len(df) and level1["count"].sum() == n
    for r in model.topics_.itertuples():
        assert r.size == (topic == r.topic).sum() and r.count == ((topic == r.topic) & counted).sum()
        assert r.share == round(r.count / n, 4)
    sub = model.statement_topics_["subtopic"].astype(str).to_numpy()
    for r in model.subtopics_.itertuples():
        assert r.count == ((sub == r.topic) & counted).sum() and r.share == round(r.count / n, 4)
    duplicate = model.statement_topics_.iloc[said[3]]["topic"]
    row = model.topics_[model.topics_["topic"] == duplicate].iloc[0]
    assert row["size"] == row["count"] + 1
    page = themes_html(model)
    assert f"共 {n} 条，占比以此为分母" in page
    for r in model.topics_.itertuples():
        assert f"{r.count} 条 ({r.count / n:.1%})" in page
    out = model.topics_[model.topics_["topic"] == -1].iloc[0]  # the moderator's turns: kept, said apart
    assert f"{out['count']} 条 ({out['count'] / n:.1%})；另有 {out['size'] - out['count']} 条不计入统计" in page


@pytest.fixture(scope="module")
def model_with_repeats(themes_corpus, cache_dir):
    """The corpus as a table with a 渠道 column, 12 rows an export repeated (is_duplicate) and 6 rows without a content
    word ("好的。"): the statements that count are the corpus's 300 and the 6, as topics.csv counts them."""
    texts, _ = themes_corpus
    rows = [{"text": t, "渠道": "热线" if i % 3 else "微博", "is_duplicate": False} for i, t in enumerate(texts)]
    rows += [{"text": texts[i], "渠道": "热线", "is_duplicate": True} for i in range(1, 37, 3)]
    rows += [{"text": "好的。", "渠道": "微博", "is_duplicate": False} for _ in range(6)]
    df = pd.DataFrame(rows)
    return df, ThemeModel(cache_dir=cache_dir).fit(df)


def test_topics_per_class_shares_are_of_the_statements_that_count(model_with_repeats):
    """topics_by_<col>.csv counted and divided by the fitted statements (repeats in, the rows without a content word
    out), while topics.csv counts the statements that count: a class's theme counts summed to another total than
    topics.csv's and its share_in_class had another denominator. Now both count statements.counted_mask's rows."""
    df, model = model_with_repeats
    tpc = model.topics_per_class(df["渠道"].tolist())
    counted = ~df["is_duplicate"]
    per_class = df[counted].groupby("渠道").size()
    assert tpc.groupby("class")["count"].sum().to_dict() == per_class.to_dict()
    assert (tpc["share_in_class"] == (tpc["count"] / tpc["class"].map(per_class)).round(4)).all()
    # summed over the classes, each theme's count is topics.csv's (未归类 included)
    tree = model.topic_tree()
    level1 = tree[tree["level"] == 1].set_index("topic")["count"]
    assert tpc.groupby("topic")["count"].sum().to_dict() == level1[level1 > 0].to_dict()
    assert tpc.loc[tpc["topic"] == -1, "count"].sum() >= 6  # the rows without a content word, as in topics.csv
    dates = ["2026-01-15" if i % 2 else "2026-02-15" for i in range(len(df))]
    tot = model.topics_over_time(dates)
    assert tot["count"].sum() == counted.sum()
    assert tot.groupby("period")["share_in_period"].sum().round(2).eq(1.0).all()


def test_a_model_pickled_before_the_counts_says_to_fit_it_again(model_with_repeats, tmp_path):
    """A ThemeModel pickled before topics.csv had count (1e9879d) stopped writing its outputs with AttributeError:
    'Pandas' object has no attribute 'count'. It loads and still places statements; its tables say in one line to
    fit it again."""
    from voiceofcustomer.themes.report import write_outputs

    df, model = model_with_repeats
    old = pickle.loads(pickle.dumps(model))
    old.topics_ = old.topics_.drop(columns=["count", "share"])
    old.subtopics_ = old.subtopics_.drop(columns=["count", "share"])
    del old.counted_
    old = pickle.loads(pickle.dumps(old))
    texts = ["宽带老是掉线，光猫重启也没用"]
    pd.testing.assert_frame_equal(old.transform(texts), model.transform(texts))
    for call in (lambda: write_outputs(old, tmp_path / "out"), old.topic_tree,
                 lambda: old.topics_per_class(df["渠道"].tolist())):
        with pytest.raises(VocError, match=r"saved by an earlier version .* fit it again") as e:
            call()
        assert "\n" not in str(e.value)
    assert not (tmp_path / "out").exists()

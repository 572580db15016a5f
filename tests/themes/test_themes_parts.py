"""The parts of the themes stage, each on small inline data (no model fit)."""

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from voiceofcustomer.errors import VocError
from voiceofcustomer.themes import (
    ContentAnalyzer,
    EmbeddingCache,
    TokenIndex,
    bad_topic_words,
    build_vectorizer,
    cluster_embeddings,
    make_embedder,
    npmi_coherence,
    topic_diversity,
    topic_label,
)
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.themes.clustering import hdbscan_min_cluster_size, knn_assign, merge_across_groups
from voiceofcustomer.themes.embeddings import Embedder, LSAEmbedder, embed_texts, text_keys
from voiceofcustomer.themes.vectorizer import MIN_PHRASE_SHARE, is_phrase_word, is_theme_word, select_keyphrases

# -- vectorizer ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analyzer():
    return ContentAnalyzer()


@pytest.mark.parametrize("text, wanted, unwanted", [
    ("我家宽带晚上老是掉线，师傅上门维修了三次！", {"宽带", "晚上", "掉线", "上门维修"}, {"我", "，", "！", "了", "三次"}),
    ("营业厅 排队 一个多小时", {"营业厅", "排队"}, {" ", "一个"}),
    ("副卡每个月扣10块钱，共计120元", {"副卡"}, {"10", "120", "每个"}),
    ("4g信号差，换了4G套餐也没用，APP也打不开", {"4G", "app"}, {"4g", "APP"}),
])
def test_analyzer_keeps_content_words_only(analyzer, text, wanted, unwanted):
    terms = set(analyzer(text))
    assert wanted <= terms
    assert not (unwanted & terms)
    assert all(t.strip() == t and t for t in terms)


def test_analyzer_never_bridges_whitespace(analyzer):
    # BERTopic joins a topic's statements with " ": no bigram may span two statements.
    assert "宽带营业厅" not in analyzer("家里宽带 营业厅排队")


def test_counts_and_filler_are_not_theme_words():
    for w in ["三百", "两个", "一年", "好几个", "十块钱", "第二天", "有个", "只能"]:
        assert not is_theme_word(w), w
    for w in ["宽带", "二十四小时", "500M", "携号转网", "营业厅"]:
        assert is_theme_word(w), w


def test_analyzer_pickles(analyzer):
    clone = pickle.loads(pickle.dumps(analyzer))
    assert clone("宽带掉线上门维修") == analyzer("宽带掉线上门维修")


def test_vocabulary_limits_count_statements_not_topics(analyzer):
    texts = ["宽带掉线", "宽带又掉线了", "光猫闪红灯", "流量超了", "流量不够用"] * 2 + ["一次性的怪词汇"]
    vec = build_vectorizer([analyzer(t) for t in texts], analyzer=analyzer, min_df=2)
    assert {"宽带", "掉线", "流量"} <= set(vec.vocabulary)
    assert "怪词汇" not in vec.vocabulary
    # BERTopic refits the vectorizer on one document per topic: the vocabulary must not change.
    vec.fit(["宽带掉线 宽带又掉线了", "流量超了"])
    assert set(vec.get_feature_names_out()) == set(vec.vocabulary)


def test_default_vectorizer_is_what_goes_wrong():
    # Why the analyzer exists: the default token pattern makes clauses into "words".
    words = CountVectorizer().fit(["退费申请一个月了还没退，客服说在处理"]).get_feature_names_out()
    assert "退费申请一个月了还没退" in words


# -- labels ----------------------------------------------------------------------------


def test_label_is_short_like_a_person_would_write_it():
    # a compound phrase among the top three reads as a label on its own
    assert topic_label(["宽带", "掉线", "宽带掉线", "光猫"]) == "宽带掉线、光猫"
    assert topic_label(["排队", "窗口", "营业厅"]) == "排队、窗口"
    # a second phrase only while the label stays within 8 characters, never overlapping the first
    assert topic_label(["营业厅排队", "排队", "等候区座位"]) == "营业厅排队"
    # handles and links never make a label
    assert topic_label(["@中国联通客服", "http://t.cn/abc", "信号", "电梯"]) == "信号、电梯"
    assert topic_label(["app", "登录"]) == "app、登录"


def test_the_operators_own_name_does_not_name_a_theme():
    # every ticket is about the operator: "中国联通" covers the theme's statements best and says nothing
    from scipy.sparse import csr_matrix

    from voiceofcustomer.themes.model import _label_order

    words = [("中国联通", 1.0), ("信号", 0.9), ("基站", 0.5)]
    vocab_index = {"中国联通": 0, "信号": 1, "基站": 2}
    rows = csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [1, 0, 1], [1, 1, 0]]))
    ordered = _label_order(words, rows, vocab_index)
    assert ordered == ["信号", "基站", "中国联通"]
    assert topic_label(ordered) == "信号、基站"
    # a compound that holds the name is an ordinary phrase, and the name alone still names a theme
    # that has nothing else to say
    assert _label_order([("联通营业厅", 1.0), ("排队", 0.2)], rows[:, :2], {"联通营业厅": 0, "排队": 1})[0] == "联通营业厅"
    assert topic_label(_label_order([("中国联通", 1.0)], rows[:, :1], {"中国联通": 0})) == "中国联通"


def test_a_phrase_that_says_how_does_not_name_a_theme_with_a_subject():
    # a billing theme where every statement reads 客户反映手机莫名其妙被扣了20元增值业务费: the key phrases tie
    # on weight and cover, and 手机莫名其妙 (a noun and an idiom) was its name; 增值业务 is its subject
    from scipy.sparse import csr_matrix

    from voiceofcustomer.themes.model import _label_order

    seg = Segmenter()
    words = [("手机莫名其妙", 0.563), ("莫名其妙被扣", 0.563), ("莫名其妙", 0.563), ("增值业务", 0.563), ("被扣", 0.563)]
    vocab_index = {w: j for j, (w, _) in enumerate(words)}
    rows = csr_matrix(np.ones((4, len(words)), dtype=int))
    ordered = _label_order(words, rows, vocab_index, seg)
    assert ordered[0] == "增值业务"
    assert topic_label(ordered).startswith("增值业务")
    # an evaluation at either edge marks it (手机信号很差 → 手机信号), a dictionary noun (态度恶劣) and a subject
    # with its fault (宽带掉线) do not
    ordered = _label_order([("手机信号很差", 1.0), ("手机信号", 1.0)], rows[:, :2], {"手机信号很差": 0, "手机信号": 1}, seg)
    assert ordered[0] == "手机信号"
    ordered = _label_order([("宽带掉线", 1.0), ("宽带", 1.0)], rows[:, :2], {"宽带掉线": 0, "宽带": 1}, seg)
    assert ordered[0] == "宽带掉线"
    ordered = _label_order([("态度恶劣", 1.0), ("客服", 0.9)], rows[:, :2], {"态度恶劣": 0, "客服": 1}, seg)
    assert ordered[0] == "态度恶劣"


# -- metrics ---------------------------------------------------------------------------


def test_npmi_and_diversity_on_a_toy_corpus():
    docs = [["宽带", "掉线"], ["宽带", "掉线"], ["流量", "超出"], ["流量", "超出"]]
    index = TokenIndex(docs)
    together, apart = npmi_coherence([["宽带", "掉线"], ["宽带", "流量"]], index)
    assert together == pytest.approx(1.0)
    assert apart == -1.0
    assert npmi_coherence([["不存在的词", "宽带"]], index) == [-1.0]
    assert topic_diversity([["a", "b"], ["a", "c"]]) == 0.75


def test_token_index_matches_whole_tokens_only():
    index = TokenIndex([["上门", "维修"], ["维修", "上门"], ["上门维修"], ["4G", "信号"]])
    assert index.docs_with("上门 维修") == {0, 2}
    assert index.docs_with("上门维修") == {0, 2}
    assert index.docs_with("门维") == frozenset()
    assert index.docs_with("4g") == {3}


def test_bad_topic_words():
    bad = bad_topic_words([["宽带", "的", "，", "123", " "], ["宽带 掉线"]])
    assert bad == [["的", "，", "123", " "], []]


# -- embeddings ------------------------------------------------------------------------


class _HashEmbedder(Embedder):
    """A deterministic stand-in for a per-text encoder that counts its calls."""

    name = "hash"
    dim = 8

    def __init__(self):
        self.calls = 0

    def encode(self, texts, progress=None):
        self.calls += len(texts)
        out = np.array([[(hash(t) >> (4 * k)) % 17 + 1 for k in range(self.dim)] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_per_text_cache_embeds_each_text_once(tmp_path):
    cache = EmbeddingCache(tmp_path)
    emb = _HashEmbedder()
    texts = ["宽带掉线", "流量超了", "宽带掉线"]
    first, info = embed_texts(emb, texts, cache=cache)
    assert emb.calls == 2 and info["computed"] == 2
    again, info = embed_texts(emb, texts + ["新的一条"], cache=cache)
    assert emb.calls == 3 and info["cached"] == 2 and info["computed"] == 1
    np.testing.assert_array_equal(first, again[:3])


def test_lsa_is_normalised_deterministic_and_cached(tmp_path, themes_corpus):
    texts = themes_corpus[0][:120]
    a, info = embed_texts(LSAEmbedder(seed=1), texts, cache=EmbeddingCache(tmp_path))
    b, info_b = embed_texts(LSAEmbedder(seed=1), texts, cache=EmbeddingCache(tmp_path))
    assert info["computed"] == 120 and info_b["cached"] == 120
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(a, b)
    fresh = LSAEmbedder(seed=1).fit(texts).embed(texts)
    np.testing.assert_allclose(fresh, a, atol=1e-5)


def test_text_keys_are_stable():
    assert text_keys(["宽带"])[0] == text_keys(["宽带", "流量"])[0]
    assert text_keys(["宽带"])[0] != text_keys(["宽带 "])[0]


def test_unknown_embedding_lists_the_choices():
    with pytest.raises(VocError, match="lsa, use, e5"):
        make_embedder("bge")


# -- clustering ------------------------------------------------------------------------


def _blobs(n_per, k, dim=16, seed=0, spread=0.15):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim))
    X = np.vstack([c + spread * rng.normal(size=(n_per, dim)) for c in centres])
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32), np.repeat(np.arange(k), n_per)


def test_small_inputs_use_kmeans_with_k_by_silhouette():
    from sklearn.metrics import adjusted_rand_score

    X, y = _blobs(30, 5)
    res = cluster_embeddings(X, seed=3)
    assert res.method == "kmeans" and res.details["k"] == 5
    assert adjusted_rand_score(y, res.labels) > 0.95
    again = cluster_embeddings(X, seed=3)
    np.testing.assert_array_equal(res.labels, again.labels)


def test_the_umap_path_gives_the_same_clusters_on_every_run_when_texts_repeat():
    """A ticket export repeats sentences word for word. With exact duplicates UMAP's spectral start
    fails ("too small an eigengap … falling back to random initialisation") and the fallback was not
    seeded: the same input and seed gave other themes on every run (1,200 written tickets: 12–15)."""
    X, _ = _blobs(60, 6, dim=64, spread=0.6)
    X = np.repeat(X, 4, axis=0)  # every text four times
    first = cluster_embeddings(X, small_limit=100, seed=42)
    assert first.method == "hdbscan"
    for _ in range(2):
        np.testing.assert_array_equal(cluster_embeddings(X, small_limit=100, seed=42).labels, first.labels)


def test_n_topics_forces_k():
    X, _ = _blobs(20, 4)
    assert len(set(cluster_embeddings(X, n_topics=2).labels)) == 2


def test_large_inputs_sample_then_vote(tmp_path):
    # The UMAP step is replaced through reduce_cache (its first call compiles for ~25 s);
    # HDBSCAN, the sample and the neighbour vote are the real ones.
    X, y = _blobs(400, 4, dim=5, spread=0.05)

    def fake_reduce(name, compute):
        return X[np.sort(np.random.default_rng(42).choice(len(X), 1000, replace=False))]

    res = cluster_embeddings(X, small_limit=100, fit_sample=1000, reduce_cache=fake_reduce, seed=42)
    assert res.method == "hdbscan" and res.details["sampled"] and res.details["assigned_by_knn"] == 600
    found = res.labels[res.labels >= 0]
    assert len(set(found.tolist())) == 4
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(y[res.labels >= 0], found) > 0.95
    assert res.probabilities is not None and np.isfinite(res.probabilities).all()


def test_knn_vote():
    ref = np.eye(3, dtype=np.float32)
    labels, share = knn_assign(ref, np.array([0, 1, -1]), np.array([[0.9, 0.1, 0], [0, 0.1, 0.9]], np.float32), k=1)
    assert labels.tolist() == [0, -1] and share.tolist() == [1.0, 1.0]


def test_min_cluster_size_follows_size():
    assert hdbscan_min_cluster_size(500) == 10
    assert hdbscan_min_cluster_size(5000) == 50
    assert hdbscan_min_cluster_size(10 ** 6) == 500


def test_vote_once_per_distinct_text_gives_the_same_labels():
    # 600 rows made of 150 distinct vectors: with keys the vote runs 150 times, same result
    X, _ = _blobs(40, 4, dim=5, spread=0.05)
    rows = np.random.default_rng(1).integers(0, len(X), 600)
    Xd, keys = X[rows], rows.astype(np.uint64)

    def fake_reduce(name, compute):
        return Xd[np.sort(np.random.default_rng(42).choice(len(Xd), 200, replace=False))]

    plain = cluster_embeddings(Xd, small_limit=100, fit_sample=200, reduce_cache=fake_reduce, seed=42)
    keyed = cluster_embeddings(Xd, small_limit=100, fit_sample=200, reduce_cache=fake_reduce, seed=42, keys=keys)
    np.testing.assert_array_equal(plain.labels, keyed.labels)
    np.testing.assert_array_equal(plain.probabilities, keyed.probabilities)
    assert keyed.details["knn_distinct_texts"] < keyed.details["assigned_by_knn"] == 400


def _hierarchy(n_top, n_sub, n_per, dim=16, seed=0, sub_spread=0.7, noise=0.1):
    """Subjects made of sub-subjects: sub-centres scattered around each subject's centre."""
    rng = np.random.default_rng(seed)
    X, top = [], []
    for t in range(n_top):
        centre = rng.normal(size=dim)
        for _s in range(n_sub):
            sub_centre = centre + sub_spread * rng.normal(size=dim)
            X.append(sub_centre + noise * rng.normal(size=(n_per, dim)))
            top += [t] * n_per
    X = np.vstack(X)
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32), np.array(top)


def test_granularity_finds_the_coarse_level_of_a_hierarchy_and_keeps_flat_subjects():
    from sklearn.metrics import adjusted_rand_score

    X, top = _hierarchy(4, 3, 12)
    res = cluster_embeddings(X, seed=42)
    assert res.details["k"] == 4 and res.details["k_fine"] >= 6, res.details
    assert adjusted_rand_score(top, res.labels) > 0.9
    # flat subjects (equidistant centres, no coarser grouping): every subject stays a theme
    rng = np.random.default_rng(5)
    flat = np.vstack([c + 0.075 * rng.normal(size=(8, 32)) for c in np.eye(32)[:8]])
    flat = (flat / np.linalg.norm(flat, axis=1, keepdims=True)).astype(np.float32)
    y = np.repeat(np.arange(8), 8)
    res = cluster_embeddings(flat, seed=42)
    assert res.details["k"] == 8 and "k_fine" not in res.details, res.details
    assert adjusted_rand_score(y, res.labels) > 0.9


# -- key phrases: BERTopic's c-TF-IDF on the counts we already have --------------------


class _StubEmbedder:
    """Embeds topic words for BERTopic's ``update_topics`` (deterministic, no model)."""

    def embed(self, texts):
        return np.array([[len(t), t.count("宽"), 1.0, 0.5] for t in texts], dtype=np.float32)


def _counts_fixture(themes_corpus):
    from voiceofcustomer.themes.model import _term_matrix

    texts, labels = themes_corpus
    # whitespace, tabs and newlines inside statements: BERTopic joins a topic's statements
    # with spaces and replaces \n and \t, the counts must still add up statement by statement
    texts = list(texts[:150]) + ["宽带 掉线\n师傅上门维修", "营业厅\t排队 一个多小时", "话费  欠费停机 \n"]
    names = sorted(set(labels))
    topics = np.array([names.index(lab) for lab in labels[:150]] + [0, 1, 2])
    topics[::17] = -1  # some outliers, as after placement
    analyzer = ContentAnalyzer()
    terms = [analyzer(t) for t in texts]
    vectorizer = build_vectorizer(terms, analyzer=analyzer)
    vocab = np.array(list(vectorizer.vocabulary), dtype=object)
    return texts, topics, vectorizer, vocab, _term_matrix(terms, vocab)


def test_ctfidf_from_our_counts_equals_bertopic_joining_documents(themes_corpus):
    from sklearn.base import clone

    from voiceofcustomer.themes import _bt

    texts, topics, vectorizer, vocab, dtm = _counts_fixture(themes_corpus)
    emb = np.random.default_rng(0).normal(size=(len(texts), 8)).astype(np.float32)

    plain = _bt.make_bertopic(_StubEmbedder(), clone(vectorizer))
    plain.fit(texts, embeddings=emb, y=topics)  # no counts given: BERTopic's own path
    ours = _bt.fit_on_counts(_bt.make_bertopic(_StubEmbedder(), clone(vectorizer)), texts, topics, dtm, vocab)

    assert ours._doc_terms is None  # the counts are not kept with the model
    assert plain.topics_ == ours.topics_ and plain.topic_sizes_ == ours.topic_sizes_
    a, b = plain.c_tf_idf_.tocsr(), ours.c_tf_idf_.tocsr()
    assert a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # bit for bit, not just close
    assert plain.topic_representations_ == ours.topic_representations_
    assert plain.representative_docs_ == ours.representative_docs_
    assert ours.topic_embeddings_.shape[1] == 1  # BERTopic was given a placeholder, never the real matrix
    assert ours.topics_per_class(texts, classes=[i % 2 for i in range(len(texts))]).equals(
        plain.topics_per_class(texts, classes=[i % 2 for i in range(len(texts))]))
    pickle.loads(pickle.dumps(ours))

    # the update after themes are dropped (ThemeModel.fit) takes the same path
    new_topics = np.where(topics == 1, 0, topics)
    new_topics = np.where(new_topics > 1, new_topics - 1, new_topics).tolist()
    kw = {"vectorizer_model": vectorizer, "representation_model": plain.representation_model, "top_n_words": 10}
    plain.update_topics(texts, topics=new_topics, **kw)
    _bt.update_on_counts(ours, texts, new_topics, dtm, vocab, **kw)
    assert np.array_equal(plain.c_tf_idf_.toarray(), ours.c_tf_idf_.toarray())
    assert plain.topic_representations_ == ours.topic_representations_
    assert ours._doc_terms is None


def test_counts_must_match_the_documents_and_vocabulary(themes_corpus):
    from sklearn.base import clone

    from voiceofcustomer.themes import _bt

    texts, topics, vectorizer, vocab, dtm = _counts_fixture(themes_corpus)
    with pytest.raises(ValueError, match="rows of term counts"):
        _bt.fit_on_counts(_bt.make_bertopic(_StubEmbedder(), clone(vectorizer)), texts, topics, dtm[:-1], vocab)
    with pytest.raises(ValueError, match="vocabulary"):
        _bt.fit_on_counts(_bt.make_bertopic(_StubEmbedder(), clone(vectorizer)), texts, topics, dtm, vocab[::-1])


def test_engine_threads_follow_omp_num_threads(monkeypatch):
    import os

    from voiceofcustomer.themes.embeddings import engine_threads

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert engine_threads() == 1
    for unset in ("", "0", "two"):
        monkeypatch.setenv("OMP_NUM_THREADS", unset)
        assert engine_threads() == (os.cpu_count() or 1)
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert engine_threads() == (os.cpu_count() or 1)


def _related_pairs(per: int, spread: float, noise: float, seed: int = 1) -> tuple[np.ndarray, list[int]]:
    """Six subjects of ``per`` statements in three pairs: each subject's centre is its pair's plus ``spread``."""
    rng = np.random.default_rng(seed)
    X, y = [], []
    for pair in range(3):
        centre = rng.normal(size=16)
        for s in range(2):
            X.append(centre + spread * rng.normal(size=16) + noise * rng.normal(size=(per, 16)))
            y += [2 * pair + s] * per
    X = np.vstack(X)
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32), y


def test_big_fine_clusters_are_themes_not_grouped_in_pairs():
    """Six subjects of 60 statements in three related pairs (a small ticket export: broadband and
    lift signal, billing and add-on subscriptions, queues and staff): each subject is big enough for
    sub-themes of its own, so it is a theme; the coarse level grouped them into 3 themes."""
    from sklearn.metrics import adjusted_rand_score

    X, y = _related_pairs(60, 0.7, 0.25)
    res = cluster_embeddings(X, seed=42)
    assert res.details["k"] == 6 and "fine clusters are themes" in res.details["coarse_level"], res.details
    assert adjusted_rand_score(y, res.labels) > 0.9


def test_small_clusters_of_distinct_subjects_are_not_grouped_in_pairs():
    """Six subjects of 10 statements in three loosely related pairs, as the 60 written tickets' six subjects are
    (test_themes_small_export.py): grouped in pairs the statements lose 39 % of their silhouette (0.86 at k = 6)
    while the pairs group at 0.25, so each subject is a theme; the coarse level took the 0.25 and grouped them into
    3 themes (adjusted Rand 0.46). Closely related sub-subjects still group (the 4 × 3 hierarchy above)."""
    from sklearn.metrics import adjusted_rand_score

    X, y = _related_pairs(10, 1.6, 0.4)
    res = cluster_embeddings(X, seed=42)
    assert res.details["k"] == 6 and "distinct subjects" in res.details["coarse_level"], res.details
    assert res.details["coarse_lost"][3] > res.details["coarse_silhouette"][3] >= 0.12
    assert adjusted_rand_score(y, res.labels) > 0.9


def test_kmeans_never_chooses_a_k_with_a_cluster_under_the_minimum_size():
    from voiceofcustomer.themes.clustering import cluster_embeddings

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 16))
    X = np.vstack([c + 0.05 * rng.normal(size=(20, 16)) for c in centres] + [centres[0] + 3.0])  # one stray point
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    res = cluster_embeddings(X, min_topic_size=5, seed=0)
    assert np.bincount(res.labels).min() >= 5 or res.details["k"] == 2, res.details
    flat = cluster_embeddings(X, min_topic_size=5, seed=0, coarse_level=False)
    assert "flat subjects" in flat.details["coarse_level"]


def _directions(seed: int, k: int, dim: int = 16) -> np.ndarray:
    d = np.random.default_rng(seed).normal(size=(k, dim))
    return d / np.linalg.norm(d, axis=1, keepdims=True)


def _points(centres: np.ndarray, per: int, noise: float, seed: int) -> np.ndarray:
    x = np.repeat(centres, per, axis=0) + noise * np.random.default_rng(seed).normal(size=(len(centres) * per, centres.shape[1]))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_clusters_of_one_subject_in_several_sessions_are_joined_and_a_sessions_own_stay_apart():
    subjects = _directions(0, 4)
    # session A discussed subjects 0, 1, 2; session B 0, 1, 3 — each clustered alone (labels per session)
    xa, xb = _points(subjects[[0, 1, 2]], 10, 0.1, 1), _points(subjects[[0, 1, 3]], 10, 0.1, 2)
    X = np.vstack([xa, xb])
    labels = np.concatenate([np.repeat([0, 1, 2], 10), np.repeat([3, 4, 5], 10)])
    groups = np.array(["A"] * 30 + ["B"] * 30, dtype=object)
    merged, info = merge_across_groups(X, labels, groups, threshold=0.75)
    assert info["joined"] == 2
    assert merged[0] == merged[30] and merged[10] == merged[40]  # subjects 0 and 1: one theme each
    assert len({merged[0], merged[10], merged[20], merged[50]}) == 4  # the rest stay apart
    # A session's own clusters never join, however similar: two clusters of A on one subject stay two
    same = np.vstack([_points(subjects[[0]], 10, 0.1, 3), _points(subjects[[0]], 10, 0.1, 4)])
    m2, _ = merge_across_groups(same, np.repeat([0, 1], 10), np.array(["A"] * 20, dtype=object), threshold=0.5)
    assert len(set(m2)) == 2
    # nothing is joined under the threshold; noise (-1) stays noise; the result does not depend on the run
    apart, info = merge_across_groups(X, np.where(np.arange(60) == 5, -1, labels), groups, threshold=0.999)
    assert info["joined"] == 0 and apart[5] == -1 and len(set(apart[apart >= 0])) == 6
    again, _ = merge_across_groups(X, labels, groups, threshold=0.75)
    assert np.array_equal(merged, again)


def test_each_sessions_progress_line_names_its_file_readably():
    """``voc analyze`` said ``themes: focus group focus_group_guide_a.txtfocus_group_guide_a: 123
    statements``: the session key joins file and session with a control character a terminal shows
    as nothing (found running voc analyze on a focus group)."""
    import pandas as pd

    from voiceofcustomer.themes import ThemeModel
    from voiceofcustomer.themes.model import _sessions

    subjects = _directions(0, 3)
    X = np.vstack([_points(subjects, 10, 0.1, s) for s in (1, 2, 3)])
    df = pd.DataFrame({"source": ["guide_a.txt"] * 30 + ["第1场.txt"] * 30 + ["第1场.txt"] * 30,
                       "session": ["guide_a"] * 30 + ["第1场"] * 30 + ["第1场_2"] * 30})
    said = []
    model = ThemeModel(progress=said.append, session_merge=0.75)
    groups = model._session_groups(_sessions(df, np.arange(len(df))))
    _, info = model._cluster_sessions(X, groups, None)
    lines = [m for m in said if m.startswith("focus group")]
    assert lines == ["focus group guide_a.txt: 30 statements", "focus group 第1场.txt: 30 statements",
                     "focus group 第1场.txt, session 第1场_2: 30 statements"]
    assert list(info["sessions"]) == ["guide_a.txt", "第1场.txt", "第1场.txt, session 第1场_2"]


def test_average_linkage_does_not_chain_related_subjects_into_one_theme():
    """a ~ b and b ~ c (each pair similar) but a and c far apart: single linkage would make one theme."""
    base = _directions(5, 2)
    a, c = base[0], base[1]
    b = (a + c) / np.linalg.norm(a + c)  # between them: similar to both, cos(a, c) low
    X = np.vstack([_points(a[None], 8, 0.02, 6), _points(b[None], 8, 0.02, 7), _points(c[None], 8, 0.02, 8)])
    labels, groups = np.repeat([0, 1, 2], 8), np.repeat(np.array(["A", "B", "C"], dtype=object), 8)
    cos_ab, cos_ac = float(a @ b), float(a @ c)
    threshold = (cos_ab + (cos_ab + cos_ac) / 2) / 2  # above the a–c average after a joins b
    merged, info = merge_across_groups(X, labels, groups, threshold=threshold)
    assert info["joined"] == 1 and len(set(merged)) == 2, (cos_ab, cos_ac, threshold)


@pytest.mark.parametrize("word", ["里头", "咋个", "啥子", "一会儿", "看个", "我家", "有人", "换个", "一眼"])
def test_words_that_name_nothing_are_not_phrase_words(word):
    assert not is_phrase_word(word, Segmenter())


@pytest.mark.parametrize("word", ["排队", "宽带", "携号转网", "验证码", "营业厅", "晚上", "出国", "app", "5G", "态度"])
def test_subject_words_are_phrase_words(word):
    assert is_phrase_word(word, Segmenter())


@pytest.mark.parametrize("word", ["问要", "讲要", "要放", "查能", "人想"])
def test_words_the_segmenter_joined_around_an_auxiliary_are_not_phrase_words(word):
    """The segmenter's HMM cut 打电话问要不要贷款 into 问要 / 不要, and a theme of the written focus groups was
    named 信息、问要 (讲要, 要放, 查能: the auxiliary belongs to the words around it)."""
    assert not is_phrase_word(word, Segmenter())


@pytest.mark.parametrize("text, fragment, kept", [
    ("宽带晚上经常断网", "宽带晚上", {"宽带", "晚上", "断网"}),
    ("短信天天都有诈骗的", "短信天天", {"短信", "天天", "诈骗"}),
    ("营业厅周末人太多", "营业厅周末", {"营业厅", "周末"}),
])
def test_a_thing_and_the_time_said_of_it_make_no_phrase(analyzer, text, fragment, kept):
    """Two adjacent content words were one phrase whatever they were: a subject and its when (宽带 + 晚上) named
    themes 宽带晚上、上门 (voc analyze on the written focus group) and 短信天天、诈骗; the words stay terms."""
    terms = set(analyzer(text))
    assert fragment not in terms and kept <= terms


def test_a_time_and_what_happened_then_is_still_a_phrase(analyzer):
    assert "晚上断网" in analyzer("晚上断网好几次") and "上门维修" in analyzer("师傅上门维修")


def test_analyzer_keeps_filler_words_out_of_key_phrases(analyzer):
    terms = analyzer("里头的工作人员咋个都不理人，排队排了一会儿")
    assert "工作人员" in terms and "排队" in terms
    assert not {"里头", "咋个", "一会儿"} & set(terms)


def test_a_theme_of_one_repeated_statement_is_not_split_and_does_not_crash():
    """`voc themes` on a split ticket export stopped with sklearn's "Number of labels is 1": a theme
    of 20+ copies of 请尽快处理。 (one embedding) gave KMeans fewer distinct clusters than asked, and
    the silhouette of one label raised (found re-running benchmarks/themes_granularity.py)."""
    from voiceofcustomer.themes.clustering import SUB_MIN_THEME, split_theme

    rng = np.random.default_rng(0)
    v = rng.normal(size=(1, 512)).astype(np.float32)
    X = np.repeat(v / np.linalg.norm(v), SUB_MIN_THEME + 8, axis=0)
    cent, info = split_theme(X, seed=1)
    assert cent.shape == (0, 512) and info["split"] is False
    # two repeated statements are two sub-themes at most, never a crash
    w = rng.normal(size=(1, 512)).astype(np.float32)
    Y = np.vstack([X, np.repeat(w / np.linalg.norm(w), SUB_MIN_THEME + 10, axis=0)])
    cent, info = split_theme(Y, seed=1)
    assert len(cent) in (0, 2)


def test_a_phrase_few_statements_of_a_theme_use_does_not_label_it():
    """A campaign tag two of 150 statements carry scores high on c-TF-IDF and shares a statement with
    the best phrase, yet describes nothing of the theme: the phrases most of the theme uses come first."""
    broadband = set(range(0, 60))
    slow = set(range(10, 50))
    install = set(range(40, 70))
    tag = {1, 2}  # the rare one: with the best phrase in both its statements
    scores = [1.0, 0.9, 0.5, 0.4]  # c-TF-IDF order: broadband, tag, slow, install
    where = [broadband, tag, slow, install]
    picked = select_keyphrases(scores, where, 150, top_n=3)
    assert picked == [0, 2, 3]
    # with room for it, the rare phrase comes last, after every phrase the theme uses widely
    assert select_keyphrases(scores, where, 150, top_n=10) == [0, 2, 3, 1]
    # the old rule (co-occurrence only) put it second
    assert select_keyphrases(scores, where, 150, top_n=3, min_share=0.0) == [0, 1, 2]


def test_phrases_of_one_statement_only_fill_a_list_that_would_be_too_short():
    where = [{0, 1, 2}, {3}, {4}, {5}, {6}]
    assert select_keyphrases([5, 4, 3, 2, 1], where, 7, top_n=10) == [0, 1, 2]
    # a small theme (a focus-group subject of 6 statements): a phrase two of them use is enough
    where = [{0, 1}, {2, 3}, {4, 5}, {0}]
    assert select_keyphrases([4, 3, 2, 1], where, 6, top_n=10) == [0, 1, 2]


@given(st.lists(st.tuples(st.floats(0.0, 10.0), st.sets(st.integers(0, 49), max_size=50)), max_size=30),
       st.integers(1, 12))
@settings(max_examples=200, deadline=None)
def test_key_phrase_selection_properties(cands, top_n):
    """Distinct indices, at most top_n, every phrase of the first tier before any of a later tier, and
    a phrase of one statement only where fewer than three are chosen before it."""
    scores = [s for s, _ in cands]
    where = [w for _, w in cands]
    picked = select_keyphrases(scores, where, 50, top_n=top_n)
    assert len(picked) == len(set(picked)) <= top_n
    assert all(0 <= i < len(cands) for i in picked)
    need = max(2, math.ceil(MIN_PHRASE_SHARE * 50))
    tier = [0 if len(where[i]) >= need else 1 if len(where[i]) >= 2 else 2 for i in picked]
    assert tier == sorted(tier)
    for pos, t in enumerate(tier):
        if t == 2:
            assert pos < 3
    assert select_keyphrases(scores, where, 50, top_n=top_n) == picked  # deterministic


def test_key_phrase_support_counts_the_question_words_the_statements_were_given():
    """In a focus group the moderator's question names the subject (排队) and the answers seldom do;
    the counts a theme is fitted on give the question's words to its answers, and a key phrase's
    support is read from those counts, so the subject's name is not demoted as a rare word."""
    import pandas as pd
    from scipy import sparse

    from voiceofcustomer.themes._bt import CooccurrenceKeywords

    docs = ["等了 一个 钟头", "前面 二十 个人", "等了 半天", "叫号 太慢", "等了 好久"]
    vocab = np.array(["排队", "等了", "叫号"], dtype=object)
    # 排队 came with the question to the first and fourth answers; the texts never say it
    dtm = sparse.csr_matrix(np.array([[1, 1, 0], [0, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    documents = pd.DataFrame({"Document": docs, "ID": range(5), "Topic": [0] * 5})
    topics = {0: [("排队", 1.0), ("叫号", 0.8), ("等了", 0.7)]}

    class Fitted:
        _doc_terms = (dtm, vocab)

    rep = CooccurrenceKeywords(analyzer=str.split, top_n_words=3)
    assert [w for w, _ in rep.extract_topics(Fitted(), documents, None, topics)[0]][0] == "排队"

    class TextsOnly:
        _doc_terms = None

    # read from the texts alone, 排队 is used by no statement and goes last
    assert [w for w, _ in rep.extract_topics(TextsOnly(), documents, None, topics)[0]][-1] == "排队"


def test_participant_codes_speaker_labels_and_ids_are_no_terms():
    """"我同意P4说的" gave the term P4, "说话人2刚才讲的" 说话 and "受访者3说的" 受访者: a participant named by code,
    label or role and number, and "T1005那张工单" a ticket's id, became key phrases. An analyzer given the input's
    speaker labels (speaker_codes) leaves them out, and the words around them stay terms."""
    from voiceofcustomer.themes.vectorizer import speaker_codes

    codes = speaker_codes(["M", "P1", "P4", "A3", "张女士", "客户", "Participant 1", None])
    assert {"p4", "a3", "张女士", "participant 1"} <= codes and "客户" not in codes
    a = ContentAnalyzer(codes=codes)
    assert a("我同意P4说的，宽带晚上老掉线") == ["宽带", "晚上", "掉线"]
    assert a("我跟p4一样，A3也说了") == []
    assert "说话" not in a("说话人2刚才讲的那个营业厅排队") and "营业厅排队" in a("说话人2刚才讲的那个营业厅排队")
    assert a("受访者3说的套餐太贵") == ["套餐", "套餐太贵", "太贵"]
    assert a("同意 Participant 2 的话，5G套餐太贵") == ["5G套餐", "5G套餐太贵", "太贵"]
    assert a("T1005那张工单，单号GD20261105") == ["工单"]
    assert a("刚才张女士说的客户经理不回电话") == ["客户经理", "电话"]  # a speaker's name, which the segmenter cuts
    assert "1000M" in a("1000M宽带") and "5G" in a("5G信号")  # amounts and network names stay terms
    assert pickle.loads(pickle.dumps(a))("跟A3一样") == []


def test_a_participant_code_never_names_a_theme():
    """A focus group whose participants agree by code ("我跟P4一样", "同意P4说的") had its broadband theme named
    晚上宽带、P4, with P4 its first key phrase (tests/data/focus_group_participant_codes.txt)."""
    import pandas as pd

    from voiceofcustomer.text.split import split_inputs
    from voiceofcustomer.themes import ThemeModel

    from conftest import DATA

    df = pd.concat(list(split_inputs([DATA / "focus_group_participant_codes.txt"])), ignore_index=True)
    m = ThemeModel(embedding="lsa").fit(df)
    words = [w for ws in [*m.topic_words_.values(), *m.subtopic_words_.values()] for w, _ in ws]
    names = [*m.labels_.values(), *m.sublabels_.values()]
    assert "宽带" in words and not any(p in w for w in words + names for p in ("P1", "P4", "P6"))
    assert any("宽带" in n for n in m.labels_.values())


def test_a_theme_of_one_repeated_sentence_keeps_its_members():
    # 14 tickets of one thank-you sentence make a theme whose member similarities are 1.0000001 (row products)
    # while the same rows are placed at 0.99999994 (a matrix product): every member had topic_conf 0, and
    # min_conf sent the theme's whole membership to 未归类
    from voiceofcustomer.themes.model import TICKET, ThemeModel

    rng = np.random.default_rng(2)
    one = rng.normal(size=512).astype(np.float32)
    other = rng.normal(size=(30, 512)).astype(np.float32)
    emb = np.vstack([np.repeat(one[None] / np.linalg.norm(one), 14, axis=0),
                     other / np.linalg.norm(other, axis=1, keepdims=True)]).astype(np.float32)
    kinds = np.array([TICKET] * len(emb), dtype=object)
    model = ThemeModel()
    model._learn_centroids(emb, np.array([0] * 14 + [1] * 30), kinds)
    topic, conf, _sim = model._place(emb, kinds)
    assert (topic[:14] == 0).all() and (conf[:14] == 1.0).all()


def test_a_tagged_ticket_theme_of_several_issues_is_split_by_them():
    # one cluster holding three subjects of 20-24 tickets each, tagged apart (attitude, signal, marketing):
    # the 600 written tickets' 客服人员态度恶劣 of 115 statements over five subjects, in small
    import pandas as pd

    from voiceofcustomer.themes.model import TICKET, ThemeModel

    rng = np.random.default_rng(0)
    centres = np.eye(3, 64, dtype=np.float32)
    emb = np.vstack([c + 0.05 * rng.normal(size=(n, 64)) for c, n in zip(centres, (24, 22, 20))]).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    issue = ["attitude"] * 24 + ["signal"] * 22 + ["marketing"] * 20
    df = pd.DataFrame({"text": ["x"] * len(emb), "issue": issue})
    model = ThemeModel()
    model.kinds_ = np.array([TICKET] * len(emb), dtype=object)
    fit_idx = np.arange(len(emb))
    labels, details = model._split_mixed(emb, np.zeros(len(emb), dtype=int), df, fit_idx, {TICKET: {}})
    assert len(np.unique(labels)) == 3
    for part in (slice(0, 24), slice(24, 46), slice(46, 66)):
        assert len(np.unique(labels[part])) == 1
    assert details[TICKET]["split_by_issue"]["0"]["issues"] == ["attitude", "marketing", "signal"]
    # a theme one issue holds half of is a subject with its details: kept whole, and so is a focus group's theme
    same = model._split_mixed(emb, np.zeros(len(emb), dtype=int), df.assign(issue="signal"), fit_idx, {TICKET: {}})[0]
    assert (same == 0).all()
    model.kinds_ = np.array(["transcript"] * len(emb), dtype=object)
    assert (model._split_mixed(emb, np.zeros(len(emb), dtype=int), df, fit_idx, {"transcript": {}})[0] == 0).all()


def test_a_part_about_another_issue_leaves_a_theme_one_issue_holds_half_of():
    # a signal theme of 40 holding a hotline part of 20 (efficiency), as a month's 手机信号太差 held 客服热线、没人接:
    # the hotline part becomes a theme; a part of 12 no issue holds half of (上次、追加) stays with the theme
    import pandas as pd

    from voiceofcustomer.themes.model import TICKET, ThemeModel

    rng = np.random.default_rng(0)
    centres = np.eye(3, 64, dtype=np.float32)
    emb = np.vstack([c + 0.05 * rng.normal(size=(n, 64)) for c, n in zip(centres, (40, 20, 12))]).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    issue = ["signal"] * 40 + ["efficiency"] * 20 + ["attitude"] * 5 + ["install_repair"] * 5 + ["signal"] * 2
    df = pd.DataFrame({"text": ["x"] * len(emb), "issue": issue})
    model = ThemeModel()
    model.kinds_ = np.array([TICKET] * len(emb), dtype=object)
    labels, details = model._split_mixed(emb, np.zeros(len(emb), dtype=int), df, np.arange(len(emb)), {TICKET: {}})
    assert (labels[:40] == 0).all() and (labels[60:] == 0).all()
    assert len(np.unique(labels[40:60])) == 1 and labels[40] != 0
    assert details[TICKET]["split_by_issue"]["0"]["split_off"] == ["efficiency"]

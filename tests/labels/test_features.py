"""The fast TF-IDF blocks give exactly the fitted vectorizer's sparse matrix."""

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from voiceofcustomer.labels.features import FastCharTfidf, FastWordTfidf, accelerate, fast_vectorizer
from voiceofcustomer.labels.model import load_model
from voiceofcustomer.labels.tagging import predict_texts
from voiceofcustomer.text.segment import Segmenter

# code-point pools: CJK, Latin (upper case lower-cases, İ grows), Greek sigma, whitespace
# of several kinds, punctuation, astral-plane emoji
_POOLS = [
    [chr(c) for c in range(0x4E00, 0x4E60)],
    list("ABCDEFGabcdefgİΣσς0123456789"),
    [" ", "  ", "\t", "\n", "\u3000", "\xa0", "\u2003", "\r\n"],
    list("，。！？、()（）·-'\"=+@"),
    ["\U0001F600", "\U0001F4F1", "\U00020000"],
    ["手机", "信号", "宽带", "携号转网", "客服", "话费", "网络", "投诉"],
]


def _random_texts(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = int(rng.integers(0, 40))
        weights = np.array([5, 2, 1, 1, 0.3, 4])
        pools = rng.choice(len(_POOLS), size=k, p=weights / weights.sum())
        out.append("".join(_POOLS[p][int(rng.integers(0, len(_POOLS[p])))] for p in pools))
    return out


def _assert_same(a, b):
    assert type(a) is type(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # bit-for-bit, not approximately


@pytest.mark.parametrize("params", [
    dict(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True),
    dict(analyzer="char", ngram_range=(2, 3), min_df=1),
    dict(analyzer="char", ngram_range=(1, 2), min_df=2, max_df=0.5, binary=True, lowercase=False),
    dict(analyzer="char", ngram_range=(1, 1), norm=None, use_idf=False),
])
def test_char_block_equals_sklearn(params):
    train, test = _random_texts(400, 1), _random_texts(300, 2) + ["", " ", "\n\n", "Σ", "İİ"]
    vec = TfidfVectorizer(dtype=np.float32, **params).fit(train)
    fast = fast_vectorizer(vec)
    assert isinstance(fast, FastCharTfidf)
    _assert_same(vec.transform(test), fast.transform(test))
    _assert_same(vec.transform(train), fast.transform(train))


@pytest.mark.parametrize("tokenizer,ngrams", [
    (Segmenter(), (1, 2)),
    (Segmenter(), (2, 2)),
    (str.split, (1, 2)),
    (lambda s: list(s), (1, 1)),  # whitespace characters are tokens here
])
def test_word_block_equals_sklearn(tokenizer, ngrams):
    train, test = _random_texts(400, 3), _random_texts(300, 4) + ["", "   ", "手机 信号\n宽带"]
    vec = TfidfVectorizer(tokenizer=tokenizer, token_pattern=None, ngram_range=ngrams, min_df=1,
                          sublinear_tf=True, dtype=np.float32).fit(train)
    fast = fast_vectorizer(vec)
    assert isinstance(fast, FastWordTfidf)
    _assert_same(vec.transform(test), fast.transform(test))


def test_unsupported_vectorizer_is_kept():
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 5)).fit(_random_texts(50, 5))
    assert fast_vectorizer(vec) is vec
    vec = TfidfVectorizer(analyzer="char_wb").fit(_random_texts(50, 5))
    assert fast_vectorizer(vec) is vec


def test_shipped_model_features_and_labels_unchanged():
    model = load_model()
    fast = model.accelerated()
    assert isinstance(fast.features_, FeatureUnion)
    assert all(isinstance(step, (FastCharTfidf, FastWordTfidf)) for _, step in fast.features_.transformer_list)
    texts = _random_texts(300, 6) + ["手机信号太差，打电话老是断线", "宽带装了三天还没人来", "客服态度很好，谢谢"]
    _assert_same(model.transform_texts(texts), fast.transform_texts(texts))
    slow_pred, fast_pred = predict_texts(texts, model), predict_texts(texts, fast)
    pd.testing.assert_frame_equal(slow_pred, fast_pred)
    # the original model is untouched
    assert not any(isinstance(s, (FastCharTfidf, FastWordTfidf)) for _, s in model.features_.transformer_list)


def test_accelerate_walks_unions_and_keeps_other_steps():
    texts = _random_texts(100, 7)
    union = FeatureUnion([("c", TfidfVectorizer(analyzer="char").fit(texts)),
                          ("x", TfidfVectorizer(analyzer="char_wb").fit(texts))])
    fast = accelerate(union)
    assert isinstance(fast.transformer_list[0][1], FastCharTfidf)
    assert fast.transformer_list[1][1] is union.transformer_list[1][1]
    assert isinstance(union.transformer_list[0][1], TfidfVectorizer)  # the original is not modified

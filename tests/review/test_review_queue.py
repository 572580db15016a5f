"""The teach-fastest queue (uncertain, typical, diverse) and the teach step's training frame."""

import numpy as np

from voiceofcustomer.review.queue import teach_order, uncertainty


def test_uncertainty_uses_every_field_when_given():
    conf = np.array([[0.2, 0.9, 0.9, 0.9], [0.4, 0.4, 0.4, 0.4]])
    assert np.allclose(uncertainty(conf), [0.275, 0.6])  # unsure on all four beats unsure on one
    assert np.allclose(uncertainty(conf.min(axis=1)), [0.8, 0.6])
    rank = teach_order(["宽带断网了", "话费多扣了"], conf, seed=0, n_clusters=1)
    assert list(np.argsort(rank)) == [1, 0]


def test_a_typical_uncertain_row_comes_before_an_odd_one():
    # one cluster of broadband complaints and one odd, garbled row: equally uncertain
    texts = ["宽带晚上老是断网", "宽带又断网了", "家里宽带断网", "宽带断网好几次", "asdf qwer zxcv 1234"]
    conf = np.full(5, 0.3)
    rank = teach_order(texts, conf, seed=0, n_clusters=1)
    assert np.argsort(rank)[-1] == 4  # the odd row stands for nothing else: last
    plain = teach_order(texts, conf, seed=0, n_clusters=1, density=False)
    assert list(np.argsort(plain)) == [0, 1, 2, 3, 4]  # without density: ties in input order
    assert (teach_order(texts, conf, seed=0, n_clusters=1) == rank).all()


def test_training_frame_keeps_the_corpus_context_and_repeats_decisions():
    import pandas as pd

    from voiceofcustomer.review.teach import _training_frame

    labels = {"servqual": "reliability", "demand": "delivery", "issue": "broadband", "stance": "complaint"}
    corpus = pd.DataFrame([{"text": "宽带又断了", "context": [{"role": "customer", "text": "昨天也断"}], **labels},
                           {"text": "网速很慢", "context": [], **labels}])
    team = pd.DataFrame([{"statement_id": "b", "text": "积分换不了", **labels},
                         {"statement_id": "a", "text": "积分清零", **labels}])
    train = _training_frame(corpus, team, 3)
    assert len(train) == 2 + 2 * 3
    assert train["text"].tolist()[2:4] == ["积分清零", "积分换不了"]  # sorted by id: deterministic
    assert "昨天也断" in train.loc[0, "context"] and train["context"].tolist()[1:] == [""] * 7
    assert "context" not in _training_frame(corpus.drop(columns="context"), team, 3).columns

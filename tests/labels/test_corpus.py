"""The labelled corpus is the contract's training data: big enough, varied, consistent."""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.labels.model import load_corpus
from voiceofcustomer.labels.corpus import char_ngrams, label_conflicts, near_duplicates
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "labelled"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


def test_size_and_label_coverage(corpus):
    assert len(corpus) >= 4000
    for f in FIELDS:
        counts = corpus[f].value_counts()
        for label in LABELS[f]:
            assert counts.get(label, 0) >= 60, (f, label, counts.get(label, 0))


def test_no_near_copies(corpus):
    pairs = near_duplicates(corpus["text"].tolist(), n=5, threshold=0.6)
    shown = [(corpus.text.iloc[i], corpus.text.iloc[j], round(s, 2)) for i, j, s in pairs[:5]]
    assert not pairs, shown


def test_labels_are_consistent(corpus):
    conflicts = label_conflicts(corpus)
    assert conflicts.empty, conflicts[["text", *FIELDS]].head().to_string()


def test_none_rule_holds(corpus):
    none = corpus[corpus.servqual == "none"]
    assert (none.demand == "none").all() and (none.issue == "other").all() and (none.stance == "neutral").all()
    assert (corpus.loc[corpus.demand == "none", "servqual"] == "none").all()


def test_ids_unique_and_styles_varied(corpus):
    assert corpus["id"].is_unique
    assert corpus["style"].nunique() >= 6


def test_near_duplicate_detector_finds_copies():
    texts = ["网速太慢了，晚上根本用不了", "网速太慢了，晚上根本用不了！", "营业厅排队太久"]
    assert [(i, j) for i, j, _ in near_duplicates(texts)] == [(0, 1)]
    assert char_ngrams("abc") == {"abc"}
    df = pd.DataFrame({"text": ["a b", "ab"], "servqual": ["none", "tangibles"], "demand": ["none"] * 2,
                       "issue": ["other"] * 2, "stance": ["neutral"] * 2})
    assert len(label_conflicts(df)) == 2

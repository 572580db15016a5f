"""Statement classifier: one shared feature space, one calibrated linear head per label field.

Why this shape: character n-grams survive typos, Traditional leftovers and words
the segmenter splits oddly; word n-grams from the domain segmenter carry terms
such as 携号转网. The features are computed once per batch and shared by the four
heads (servqual, demand, issue, stance), so tagging costs one featurisation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from voiceofcustomer.errors import InputError, ModelError
from voiceofcustomer.text.normalize import normalize
from voiceofcustomer.resources import model_dir
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS

__all__ = ["LabelModel", "load_corpus", "load_model", "MODEL_FILE", "enforce_taxonomy_rules"]

MODEL_FILE = "labels.joblib"
SEED = 20261123


class LabelModel(BaseEstimator):
    """Multi-field text classifier (scikit-learn estimator conventions).

    Args:
        C: inverse regularisation of the logistic-regression heads.
        char_ngrams: character n-gram range.
        word_ngrams: word n-gram range (words from :class:`Segmenter`).
        min_df: minimum document frequency of a feature.
        segmenter: word segmenter; default the shipped telecom one.
    """

    def __init__(self, *, C: float = 30.0, char_ngrams=(1, 3), word_ngrams=(1, 2), min_df: int = 2,
                 class_weight: str | None = "balanced", segmenter: Segmenter | None = None):
        self.C = C
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.class_weight = class_weight
        self.segmenter = segmenter

    def _featurizer(self) -> FeatureUnion:
        seg = self.segmenter or Segmenter()
        return FeatureUnion([
            ("char", TfidfVectorizer(analyzer="char", ngram_range=tuple(self.char_ngrams), min_df=self.min_df,
                                     sublinear_tf=True, lowercase=True, dtype=np.float32)),
            ("word", TfidfVectorizer(tokenizer=seg, token_pattern=None, lowercase=True,
                                     ngram_range=tuple(self.word_ngrams), min_df=self.min_df,
                                     sublinear_tf=True, dtype=np.float32)),
        ])

    def fit(self, texts: Sequence[str], labels: pd.DataFrame) -> "LabelModel":
        missing = [f for f in FIELDS if f not in labels.columns]
        if missing:
            raise InputError(f"training labels lack columns: {', '.join(missing)}")
        texts = [normalize(t) for t in texts]
        self.features_ = self._featurizer()
        X = self.features_.fit_transform(texts)
        self.heads_ = {}
        for field in FIELDS:
            head = LogisticRegression(C=self.C, max_iter=3000, class_weight=self.class_weight,
                                      random_state=SEED)
            head.fit(X, labels[field].to_numpy())
            self.heads_[field] = head
        self.classes_ = {f: list(h.classes_) for f, h in self.heads_.items()}
        return self

    def _check(self):
        if not hasattr(self, "heads_"):
            raise NotFittedError("LabelModel is not fitted; call fit() or load_model()")

    def accelerated(self) -> "LabelModel":
        """A copy whose fitted TF-IDF blocks are replaced by exactly equal fast ones.

        Call once after loading, before tagging many texts: same features, same labels,
        several times faster (see :mod:`voiceofcustomer.labels.features`).
        """
        import copy

        from voiceofcustomer.labels.features import accelerate

        self._check()
        fast = copy.copy(self)
        fast.features_ = accelerate(self.features_)
        return fast

    def transform_texts(self, texts: Iterable[str]):
        self._check()
        return self.features_.transform([normalize(t or "") for t in texts])

    def predict_proba(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Per field, an (n_texts, n_classes) array in the order of ``classes_[field]``."""
        X = self.transform_texts(texts)
        return {f: h.predict_proba(X) for f, h in self.heads_.items()}

    def predict(self, texts: Sequence[str]) -> pd.DataFrame:
        """DataFrame with ``<field>`` and ``<field>_conf`` for each of the four fields."""
        proba = self.predict_proba(texts)
        out = {}
        for f in FIELDS:
            p = proba[f]
            idx = p.argmax(axis=1)
            out[f] = np.asarray(self.classes_[f], dtype=object)[idx]
            out[f"{f}_conf"] = p[np.arange(len(idx)), idx].round(4)
        return enforce_taxonomy_rules(pd.DataFrame(out))


def enforce_taxonomy_rules(pred: pd.DataFrame) -> pd.DataFrame:
    """Apply the taxonomy's hard rules to independent per-field predictions.

    - A ``servqual=none`` statement (greeting, generic prompt, off-topic) is also
      ``demand=none``, ``issue=other``, ``stance=neutral``.
    - Praise with no problem in it is ``issue=other`` (a statement predicted as praise
      carries no problem; mixed statements are predicted as complaints).

    Measured on held-out annotators' parts of the corpus, the praise rule adds 0.01–0.02
    issue macro-F1 (see models/README.md).
    """
    none = pred["servqual"] == "none"
    pred.loc[none, "demand"] = "none"
    pred.loc[none, "issue"] = "other"
    pred.loc[none, "stance"] = "neutral"
    pred.loc[pred["stance"] == "praise", "issue"] = "other"
    return pred


def load_corpus(path: str | Path) -> pd.DataFrame:
    """Load labelled statements from a folder of ``*.jsonl`` parts, a ``.jsonl`` or a ``.csv``.

    Columns: ``id``, ``text``, the four label fields (and ``style`` when present).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found; check the path")
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise InputError(f"{path}: no .jsonl files of labelled statements in this folder")
        df = pd.concat([pd.read_json(f, lines=True, dtype=False) for f in files], ignore_index=True)
    elif path.suffix in (".jsonl", ".csv", ".xlsx"):
        from voiceofcustomer.io.readers import check_input_file

        check_input_file(path)
        try:
            if path.suffix == ".jsonl":
                df = pd.read_json(path, lines=True, dtype=False)
            else:
                df = pd.read_csv(path, dtype=str) if path.suffix == ".csv" else pd.read_excel(path, dtype=str)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError, OSError) as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
            raise InputError(f"{path}: cannot read as labelled data ({first}); give a UTF-8 .jsonl, .csv or .xlsx") from None
    else:
        raise InputError(f"{path}: labelled data must be a folder of .jsonl, a .jsonl, a .csv or a .xlsx")
    missing = [c for c in ("text", *FIELDS) if c not in df.columns]
    if missing:
        raise InputError(f"{path}: labelled data lacks columns: {', '.join(missing)}")
    for f in FIELDS:
        bad = sorted(set(df[f].dropna()) - set(LABELS[f]))
        if bad:
            raise InputError(f"{path}: column {f} has values outside the taxonomy: {', '.join(map(str, bad))}")
    return df


def load_model(path: str | Path | None = None) -> LabelModel:
    """Load the shipped (or a given) model file."""
    import joblib

    path = Path(path) if path else model_dir() / MODEL_FILE
    if path.is_dir():
        path = path / MODEL_FILE
    if not path.exists():
        raise ModelError(f"{path}: model file not found; train one with `voc train corpora/labelled -o models/`")
    try:
        model = joblib.load(path)
    except Exception as exc:  # unpickling errors come in many types
        raise ModelError(f"{path}: cannot load the model ({type(exc).__name__}); retrain it with `voc train`") from None
    if not isinstance(model, LabelModel):
        raise ModelError(f"{path}: not a voiceofcustomer label model")
    return model


def model_metadata(path: str | Path | None = None) -> dict:
    path = Path(path) if path else model_dir()
    meta = path / "metrics.json"
    return json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}

"""The team adapter's class weighting: rare classes of a team's decisions count (macro-F1 rewards them),
for every field, stance included (round 5 of benchmarks/review_learning_curve.py)."""

import numpy as np
import pandas as pd
import scipy.sparse as sp

from voiceofcustomer.labels import team_adapter as ta
from voiceofcustomer.labels.taxonomy import FIELDS


def _rare_class_rows():
    """60 decisions, 3 classes; class 2 is rare (4 rows) and shares its only feature with 12 rows of class 0."""
    y = np.array([0] * 40 + [1] * 16 + [2] * 4)
    X = np.zeros((60, 3))
    X[:40, 0] = 1.0
    X[40:56, 1] = 1.0
    X[:12, 2] = 1.0  # class-0 rows that carry the rare class's feature
    X[56:, 2] = 1.0
    X[:12, 0] = 0.0
    p = np.full((60, 3), 1 / 3)
    return sp.csr_matrix(X), p, y


def test_balanced_decisions_teach_the_rare_class():
    X, p, y = _rare_class_rows()
    rare = np.flatnonzero(y == 2)
    as_given = ta.fit_field_adapter(X, p, y, balance=0.0).proba(X[rare], p[rare])
    balanced = ta.fit_field_adapter(X, p, y, balance=1.0).proba(X[rare], p[rare])
    assert (as_given.argmax(axis=1) == 0).all()  # unweighted: the 12 common rows outvote the 4 rare ones
    assert (balanced.argmax(axis=1) == 2).all()
    assert ta.DEFAULT_BALANCE == 1.0


def test_fit_adapter_balances_every_field_by_default_and_takes_one_field_s_setting(monkeypatch):
    from voiceofcustomer.labels.model import load_model
    from voiceofcustomer.review import teach

    seen = {}
    real = ta.fit_field_adapter

    def spy(X, p, y, **kw):
        seen[len(seen)] = kw["balance"]
        return real(X, p, y, **kw)

    monkeypatch.setattr(ta, "fit_field_adapter", spy)
    team = pd.DataFrame({"statement_id": ["a", "b", "c"], "text": ["宽带又断了", "话费扣错了", "谢谢你们"],
                         "servqual": ["reliability", "reliability", "none"], "demand": ["function", "business", "none"],
                         "issue": ["broadband", "billing", "other"], "stance": ["complaint", "complaint", "neutral"]})
    base = load_model(None)
    teach.fit_adapter(base, team)
    assert [seen[i] for i in range(len(FIELDS))] == [ta.DEFAULT_BALANCE] * len(FIELDS)  # stance too
    seen.clear()
    teach.fit_adapter(base, team, balance={"stance": 0.0})
    assert dict(zip(FIELDS, seen.values())) == {**{f: ta.DEFAULT_BALANCE for f in FIELDS}, "stance": 0.0}

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
    teach.fit_adapter(base, team, select=0)  # one fit per field (the selection's fold fits pass it on too)
    assert [seen[i] for i in range(len(FIELDS))] == [ta.DEFAULT_BALANCE] * len(FIELDS)  # stance too
    seen.clear()
    teach.fit_adapter(base, team, balance={"stance": 0.0}, select=0)
    assert dict(zip(FIELDS, seen.values())) == {**{f: ta.DEFAULT_BALANCE for f in FIELDS}, "stance": 0.0}


def _convention_rows(n=80, seed=0):
    """Two classes; the base model calls every row class 0 with 0.6. Rows with feature 1 are class 1 for
    this team: a convention the adapter can learn. Feature 0 is on every row."""
    rng = np.random.default_rng(seed)
    X = np.zeros((n, 3))
    X[:, 0] = 1.0
    flip = rng.random(n) < 0.4
    X[flip, 1] = 1.0
    X[~flip, 2] = 1.0
    y = flip.astype(int)
    p = np.tile([0.6, 0.4], (n, 1))
    return sp.csr_matrix(X), p, y


def test_selection_keeps_an_adapter_that_helps_on_the_team_s_own_rows():
    X, p, y = _convention_rows()
    folds = np.arange(len(y)) % 5
    adapter, report = ta.select_field_adapter(X, p, y, folds)
    assert adapter is not None and report["chosen"] != "base"
    assert report[report["chosen"]] > report["base"]
    assert (adapter.proba(X, p).argmax(axis=1) == y).all()


def test_selection_keeps_the_base_model_when_the_team_agrees_with_it():
    X, p, _ = _convention_rows()
    y = np.zeros(X.shape[0], dtype=int)  # the team confirms the base model's label everywhere
    y[:3] = 1  # and disagrees on three rows whose features say nothing about it
    adapter, report = ta.select_field_adapter(X, p, y, np.arange(len(y)) % 5)
    assert adapter is None and report["chosen"] == "base"


def test_selection_is_deterministic():
    X, p, y = _convention_rows(seed=3)
    folds = np.arange(len(y)) % 4
    a1, r1 = ta.select_field_adapter(X, p, y, folds)
    a2, r2 = ta.select_field_adapter(X, p, y, folds)
    assert r1 == r2 and np.array_equal(a1.W, a2.W)


def test_decision_folds_keep_a_thread_together():
    from voiceofcustomer.review import teach

    team = pd.DataFrame({"statement_id": [f"s{i}" for i in range(6)], "thread": ["t1"] * 3 + [""] * 3,
                         "text": ["x"] * 6})
    folds = teach._fold_of(team, 5)
    assert len(set(folds[:3])) == 1  # one thread, one fold
    assert (teach._fold_of(team, 5) == folds).all()


def test_the_convention_map_carries_a_team_s_recoding_to_posts_with_unseen_words():
    """A team codes what the base model calls class 1 as class 2. The map learns that from the model's
    choice, so it holds on held-out rows whose words no decision had; the feature weights cannot."""
    rng = np.random.default_rng(7)
    n, k = 120, 3
    base_choice = rng.integers(0, k, 2 * n)
    p = np.full((2 * n, k), 0.1)
    p[np.arange(2 * n), base_choice] = 0.8
    X = sp.identity(2 * n, format="csr")  # every row its own word: nothing shared between train and test
    team = np.where(base_choice == 1, 2, base_choice)
    train, test = slice(0, n), slice(n, 2 * n)
    plain = ta.fit_field_adapter(X[train], p[train], team[train])
    mapped = ta.fit_field_adapter(X[train], p[train], team[train], lam_map=1.0)
    assert (plain.proba(X[test], p[test]).argmax(axis=1) == team[test]).mean() < 0.8
    assert (mapped.proba(X[test], p[test]).argmax(axis=1) == team[test]).all()
    # no map asked for: none fitted, and an adapter pickled before the map existed still predicts
    assert plain.M is None
    del plain.M
    assert plain.proba(X[test], p[test]).shape == (n, k)


def test_selection_tries_the_convention_map_and_keeps_it_for_a_recoding_team():
    rng = np.random.default_rng(11)
    n, k = 150, 3
    base_choice = rng.integers(0, k, n)
    p = np.full((n, k), 0.1)
    p[np.arange(n), base_choice] = 0.8
    X = sp.identity(n, format="csr")  # no word repeats: only the model's choice can carry the convention
    team = np.where(base_choice == 1, 2, base_choice)
    adapter, report = ta.select_field_adapter(X, p, team, np.arange(n) % 5)
    assert report["chosen"] == "adapter2" and adapter.M is not None
    assert report["adapter2"] > max(report["base"], report["adapter0"], report["adapter1"])
    assert {"lam_map": ta.DEFAULT_LAM_MAP} in ta.SELECT_CANDIDATES


def test_recodings_finds_a_class_the_team_codes_as_another_and_not_scattered_disagreement():
    classes = ["a", "b", "c", "d"]
    base = np.repeat([0, 1, 2, 3], 20)
    team = base.copy()
    team[20:40] = 2  # everything the model calls b, the team calls c
    team[[0, 41, 62, 63]] = [3, 0, 1, 0]  # and a few disagreements spread over classes
    found = ta.recodings(base, team, classes)
    assert [(r["from"], r["to"], r["n"], r["n_from"], r["n_same"]) for r in found] == [("b", "c", 20, 20, 0)]
    # the sign test: 6 of 10 is no recoding, 9 of 11 is; fewer than RECODE_MIN never is
    base2 = np.zeros(10, dtype=int)
    assert ta.recodings(base2, np.array([1] * 6 + [0] * 4), classes) == []
    assert ta.recodings(np.zeros(11, dtype=int), np.array([1] * 9 + [0] * 2), classes)[0]["n"] == 9
    assert ta.recodings(np.zeros(4, dtype=int), np.ones(4, dtype=int), classes) == []
    assert ta.recodings(np.zeros(0, dtype=int), np.zeros(0, dtype=int), classes) == []


def test_a_map_on_the_recoded_pairs_fits_only_those_entries_and_carries_the_recoding():
    rng = np.random.default_rng(5)
    n, k = 160, 4
    base_choice = rng.integers(0, k, 2 * n)
    p = np.full((2 * n, k), 0.1)
    p[np.arange(2 * n), base_choice] = 0.7
    X = sp.identity(2 * n, format="csr")
    team = np.where(base_choice == 1, 3, base_choice)
    train, test = slice(0, n), slice(n, 2 * n)
    found = ta.recodings(base_choice[train], team[train], list("abcd"))
    assert [(r["from"], r["to"]) for r in found] == [("b", "d")]
    a = ta.fit_field_adapter(X[train], p[train], team[train], lam_map=ta.DEFAULT_LAM_MAP, map_pairs=[(1, 3)])
    assert a.M[1, 3] > 0 and np.count_nonzero(a.M) == 1
    assert (a.proba(X[test], p[test]).argmax(axis=1) == team[test]).all()


def test_win_share_is_the_bootstrap_share_of_resamples_a_candidate_wins():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 4, 300)
    base = np.where(rng.random(300) < 0.6, y, rng.integers(0, 4, 300))
    better = np.where(rng.random(300) < 0.5, y, base)  # right wherever base is, and on half of the rest
    assert ta.win_share(y, base, better, 4) > 0.99 and ta.win_share(y, better, base, 4) < 0.01
    assert ta.win_share(y, base, base, 4) == 0.5  # ties count half
    assert ta.win_share(y, base, better, 4) == ta.win_share(y, base, better, 4)  # fixed seed
    # a candidate that differs from base on three rows wins some resamples and loses others
    nudged = base.copy()
    nudged[:3] = (base[:3] + 1) % 4
    assert 0.0 < ta.win_share(y, base, nudged, 4) < 0.5


def test_selection_with_min_win_keeps_the_base_model_when_the_out_of_fold_gain_is_noise():
    X, p, y = _convention_rows(seed=4)
    _, report = ta.select_field_adapter(X, p, y, np.arange(len(y)) % 5, min_win=0.9)
    assert report["chosen"] != "base" and report[f"win{report['chosen'][-1]}"] >= 0.9  # a real convention passes
    rng = np.random.default_rng(0)
    n, k = 120, 3
    pn = rng.dirichlet(np.ones(k), n)
    yn = rng.integers(0, k, n)  # labels unrelated to the rows: any out-of-fold gain is chance
    Xn = sp.csr_matrix(rng.random((n, 6)))
    _, rep = ta.select_field_adapter(Xn, pn, yn, np.arange(n) % 5, min_win=0.9)
    assert rep["chosen"] == "base"


def test_recode_counts_shares_a_recoded_class_as_the_team_chose_and_keeps_the_rest():
    rng = np.random.default_rng(3)
    counts = rng.uniform(0.5, 20, size=(3, 4, 5))
    classes = ["p", "q", "r", "s"]
    # among rows the model calls q, the team chose s 30 times, r 10 times and q itself 10 times
    found = [{"from": "q", "to": "s", "n": 30, "n_from": 50, "n_same": 10},
             {"from": "q", "to": "r", "n": 10, "n_from": 50, "n_same": 10}]
    out = ta.recode_counts(counts, 1, classes, found)
    assert out.shape == counts.shape and np.isclose(out.sum(), counts.sum())
    np.testing.assert_allclose(out[:, 0], counts[:, 0])  # p untouched
    np.testing.assert_allclose(out[:, 1], counts[:, 1] * 10 / 50)
    np.testing.assert_allclose(out[:, 2], counts[:, 2] + counts[:, 1] * 10 / 50)
    np.testing.assert_allclose(out[:, 3], counts[:, 3] + counts[:, 1] * 30 / 50)
    # a class the team never uses hands all its counts on; no recoding changes nothing
    gone = ta.recode_counts(counts, 2, list("abcde"), [{"from": "a", "to": "e", "n": 7, "n_from": 7, "n_same": 0}])
    assert np.allclose(gone[:, :, 0], 0) and np.allclose(gone[:, :, 4], counts[:, :, 4] + counts[:, :, 0])
    np.testing.assert_array_equal(ta.recode_counts(counts, 0, ["x", "y", "z"], []), counts)


def test_a_merge_hands_an_unused_class_to_its_targets():
    rng = np.random.default_rng(5)
    k, d, n = 4, 6, 30
    X = sp.csr_matrix(rng.uniform(size=(n, d)))
    p = rng.dirichlet(np.ones(k), size=n)
    plain = ta.FieldAdapter(np.arange(d), np.zeros((d, k)), np.zeros(k), 1.0)
    merged = ta.FieldAdapter(np.arange(d), np.zeros((d, k)), np.zeros(k), 1.0,
                             merge=ta.recoding_matrix(list("wxyz"), [{"from": "x", "to": "z", "n": 6, "n_from": 9,
                                                                       "n_same": 0},
                                                                      {"from": "x", "to": "y", "n": 3, "n_from": 9,
                                                                       "n_same": 0}]))
    q0, q1 = plain.proba(X, p), merged.proba(X, p)
    np.testing.assert_allclose(q0, p, atol=1e-9)  # an adapter at its starting point changes nothing
    np.testing.assert_allclose(q1.sum(axis=1), 1.0)
    assert (q1[:, 1] == 0).all()  # x is never given
    np.testing.assert_allclose(q1[:, 3], q0[:, 3] + q0[:, 1] * 6 / 9)
    np.testing.assert_allclose(q1[:, 2], q0[:, 2] + q0[:, 1] * 3 / 9)
    np.testing.assert_allclose(q1[:, 0], q0[:, 0])

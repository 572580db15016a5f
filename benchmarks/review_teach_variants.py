"""Teach-method variants on the learning-curve benchmark's data, at one size (round 5 exploration).

    python benchmarks/review_teach_variants.py [--k 200] [--orders queue,random0,random1] [--labels FILE]
        [--variants "NAME;..."] [--out review_learning_curve_round5_variants.json]

The same real rows, dialogue-grouped hash splits, queue and random orders as
review_learning_curve.py (texts joined at run time, never stored; only numbers are written). Each
variant is a per-field correction of the shipped model's head probabilities, fitted on the first k
decisions and plugged in as the model's team adapter (``adapter_``), so the joint label decision, the
filler rule and the taxonomy rules run as in `voc tag`. Variants:

- ``adapter*``: labels.team_adapter.fit_field_adapter with other penalties / class weighting
  (``b only``: W held at 0; ``W only``: b held at 0; ``stance bal0``: the default before round 5).
- ``matrix scaling``: logits = log P_base · A + b (A pulled to the identity), a learnt confusion map.
- ``kNN memory``: mix in the label of the nearest corrected statements (cosine on the model's TF-IDF
  features) when the similarity is above a threshold.
- ``gate``: per field, keep the adapter only if a deterministic 5-fold split of the decisions says it
  beats the base model there (out-of-fold macro-F1 or log-loss); ``mix``: choose a geometric mixing
  weight of adapter and base the same way.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from _common import results_path, save
from review_learning_curve import load_real, scores
from scipy.optimize import minimize
from sklearn.metrics import f1_score
from sklearn.preprocessing import normalize

from voiceofcustomer.labels import team_adapter as ta
from voiceofcustomer.labels.model import load_model
from voiceofcustomer.labels.taxonomy import FIELDS
from voiceofcustomer.review.queue import random_order, teach_order


def adapter(stance_balance=1.0, **kw):
    def make(X, p, y, f):
        return ta.fit_field_adapter(X, p, y, **{"balance": stance_balance if f == "stance" else 1.0, **kw})
    return make


class KNN:
    def __init__(self, X, y, k, t=0.5, nn=1):
        self.X, self.y, self.k, self.t, self.nn = normalize(sp.csr_matrix(X, dtype=np.float64)), y, k, t, nn

    def proba(self, X, p):
        S = (normalize(sp.csr_matrix(X, dtype=np.float64)) @ self.X.T).toarray()
        out = p.copy()
        for i, near in enumerate(np.argsort(-S, axis=1)[:, :self.nn]):
            vote, m = np.zeros(self.k), 0.0
            for j in near:
                if S[i, j] > self.t:
                    w = (S[i, j] - self.t) / (1 - self.t)
                    vote[self.y[j]] += w
                    m = max(m, w)
            if vote.sum() > 0:
                out[i] = (1 - m) * p[i] + m * vote / vote.sum()
        return out


def knn(**kw):
    return lambda X, p, y, f: KNN(X, y, p.shape[1], **kw)


class Mix:
    def __init__(self, a, alpha):
        self.a, self.alpha = a, alpha

    def proba(self, X, p):
        q = self.a.proba(X, p)
        z = (1 - self.alpha) * np.log(np.clip(p, 1e-12, 1)) + self.alpha * np.log(np.clip(q, 1e-12, 1))
        z -= z.max(1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(1, keepdims=True)


class MatAdapter:
    def __init__(self, b, A):
        self.b, self.A = b, A

    def proba(self, X, p):
        Z = np.log(np.clip(p, 1e-12, 1)) @ self.A + self.b[None, :]
        Z -= Z.max(1, keepdims=True)
        e = np.exp(Z)
        return e / e.sum(1, keepdims=True)


def matrix_scaling(lam_A=10.0, lam_bias=10.0):
    def make(X, p, y, f):
        n, k = p.shape
        L = np.log(np.clip(p, 1e-12, 1.0))
        Y = np.zeros((n, k))
        Y[np.arange(n), y] = 1
        w = ta._row_weights(y, k, 1.0 if f != "stance" else 0.0)
        I = np.eye(k)

        def loss(th):
            b, A = th[:k], th[k:].reshape(k, k)
            Z = L @ A + b[None, :]
            Z = Z - Z.max(1, keepdims=True)
            lse = np.log(np.exp(Z).sum(1))
            P = np.exp(Z - lse[:, None])
            fval = float(np.sum(w * (lse - (Z * Y).sum(1)))) + .5 * lam_bias * float(b @ b) + .5 * lam_A * float(np.sum((A - I) ** 2))
            G = w[:, None] * (P - Y)
            return fval, np.concatenate([G.sum(0) + lam_bias * b, (L.T @ G + lam_A * (A - I)).ravel()])

        r = minimize(loss, np.concatenate([np.zeros(k), I.ravel()]), jac=True, method="L-BFGS-B",
                     options={"maxiter": 500})
        return MatAdapter(r.x[:k], r.x[k:].reshape(k, k))
    return make


def gated(make, K=5, crit="f1", alphas=(0.0, 1.0)):
    """Per field, the mixing weight of adapter and base with the best out-of-fold score on the decisions."""
    def m(X, p, y, f):
        n = len(y)
        fold = np.arange(n) % K
        oof = {a: p.copy() for a in alphas}
        for j in range(K):
            tr, te = np.flatnonzero(fold != j), np.flatnonzero(fold == j)
            ad = make(X[tr], p[tr], y[tr], f)
            for a in alphas:
                if a > 0:
                    oof[a][te] = Mix(ad, a).proba(X[te], p[te])

        def score(q):
            if crit == "f1":
                return f1_score(y, q.argmax(1), labels=np.unique(y), average="macro", zero_division=0)
            return float(np.mean(np.log(np.clip(q[np.arange(n), y], 1e-12, 1))))
        best = max(alphas, key=lambda a: (score(oof[a]), -a))
        if best == 0:
            return None
        ad = make(X, p, y, f)
        return Mix(ad, best) if best < 1 else ad
    return m


VARIANTS = {
    "adapter, stance bal0 (default before round 5)": adapter(stance_balance=0.0),
    "adapter, all fields balanced (round 5 default)": adapter(),
    "adapter, no class weights": lambda X, p, y, f: ta.fit_field_adapter(X, p, y, balance=0.0),
    "adapter, balance 0.5": lambda X, p, y, f: ta.fit_field_adapter(X, p, y, balance=0.5),
    "adapter, b only (lam 1e6)": adapter(stance_balance=0.0, lam=1e6),
    "adapter, W only (lam_bias 1e6)": adapter(stance_balance=0.0, lam_bias=1e6),
    "adapter, lam 3": adapter(stance_balance=0.0, lam=3.0),
    "adapter, lam 0.3": adapter(stance_balance=0.0, lam=0.3),
    "matrix scaling, lam_A 10": matrix_scaling(10.0),
    "matrix scaling, lam_A 30": matrix_scaling(30.0),
    "kNN memory, cos > 0.5": knn(t=0.5),
    "kNN memory, 5 nearest, cos > 0.3": knn(t=0.3, nn=5),
    "gate per field (5-fold macro-F1), balanced": gated(adapter()),
    "gate per field (5-fold log-loss)": gated(adapter(stance_balance=0.0), crit="ll"),
    "mix weight per field (5-fold log-loss, 0/.25/.5/.75/1)": gated(adapter(stance_balance=0.0), crit="ll",
                                                                    alphas=(0.0, .25, .5, .75, 1.0)),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=200)
    ap.add_argument("--splits", type=int, default=3)
    ap.add_argument("--orders", default="queue,random0,random1")
    ap.add_argument("--labels", type=Path, default=None)
    ap.add_argument("--variants", default="", help="semicolon-separated variant names (default all)")
    ap.add_argument("-o", "--out", default="review_learning_curve_round5_variants.json",
                    help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    names = [v for v in args.variants.split(";") if v] or list(VARIANTS)
    orders = args.orders.split(",")
    df = load_real(args.labels)
    fold = np.array([int(hashlib.md5(u.encode()).hexdigest()[:8], 16) % args.splits for u in df["dialogue_id"]])
    shipped = load_model(None)
    out = {"labels": (args.labels.name if args.labels else "stc3_real_labels.csv") + " + stc3_real_labels_more.csv (dev)",
           "group": "dialogue", "k": args.k, "splits": args.splits, "orders": orders, "shipped_model": {}, "gain": {}}
    path = results_path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    for s in range(args.splits):
        pool, test = df[fold != s].reset_index(drop=True), df[fold == s].reset_index(drop=True)
        conf = shipped.predict(pool["text"].tolist())[[f"{f}_conf" for f in FIELDS]].to_numpy(dtype=float)
        order = {"queue": np.argsort(teach_order(pool["text"].tolist(), conf, seed=20261204))}
        for r in range(2):
            order[f"random{r}"] = np.argsort(random_order(len(pool), seed=1000 + r))
        X = shipped._design(pool["text"].tolist(), None)[0].tocsr()
        p = {f: shipped.base_proba(shipped._head_input((X, None), f), f) for f in FIELDS}
        base = scores(shipped, test)
        out["shipped_model"][str(s)] = base
        for name in names:
            for o in orders:
                idx = order[o][:args.k]
                t = time.time()
                ad = {}
                for f in FIELDS:
                    classes = list(shipped.classes_[f])
                    y = np.array([classes.index(v) for v in pool[f].iloc[idx]])
                    a = VARIANTS[name](X[idx], p[f][idx], y, f)
                    if a is not None:
                        ad[f] = a
                m = copy.copy(shipped)
                m.adapter_ = ad
                sc = scores(m, test)
                out["gain"].setdefault(name, {}).setdefault(o, {})[str(s)] = {f: round(sc[f] - base[f], 4) for f in FIELDS}
                print(s, name, o, out["gain"][name][o][str(s)], f"{time.time() - t:.1f}s", flush=True)
        save(path, out)
    summary = {}
    for name, by_order in out["gain"].items():
        for o, by_split in by_order.items():
            g = {f: [v[f] for v in by_split.values()] for f in FIELDS}
            summary.setdefault(name, {})[o] = {f: {"gain": round(float(np.mean(g[f])), 4), "gain_min": min(g[f]),
                                                   "gain_max": max(g[f])} for f in FIELDS}
    out["summary"] = summary
    save(path, out)
    print("| variant | " + " | ".join(FIELDS) + " |")
    for name, by_order in summary.items():
        cells = [f"{np.mean([by_order[o][f]['gain'] for o in orders]):+.3f} "
                 f"[{min(by_order[o][f]['gain_min'] for o in orders):+.3f}, {max(by_order[o][f]['gain_max'] for o in orders):+.3f}]"
                 for f in FIELDS]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

"""Queue orders: which statement a coder sees next.

Why "uncertain, typical and diverse": a correction teaches the model most where it
is unsure, but the most uncertain rows are often near-copies of one another (the
same hard topic) or odd one-offs (a garbled post) whose correction teaches little
about the team's other posts. So statements are grouped by their character n-grams
(k-means over hashed TF-IDF) and the queue takes, in turn, the best remaining row
of each group, best group first. A row's score is its uncertainty (one minus the
model's confidence, averaged over the label fields when all four are given) times
how typical it is of its group (cosine to the group centroid): "information
density", which keeps the first corrections on rows that stand for many others —
measured to matter most for the first 50–100 corrections, where pure uncertainty
sampling fell behind a random order (benchmarks/review_learning_curve.py).
The "random" order is for unbiased audits (agreement on a random sample estimates
the agreement on everything). Both orders are deterministic (fixed seeds).
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["teach_order", "random_order", "twin_key"]

_NOT_WORD = re.compile(r"[\W_]+")  # whitespace, punctuation and symbols, full-width ones too
_LATIN_RUN = re.compile(r"[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
#: Chinese numerals: digits (two of them, 两 and 〇/零, only in numbers) and the places that make numbers of them
_ZH_DIGITS, _ZH_PLACES = "〇零一二两三四五六七八九", "十百千万亿"
_ZH_RUN = re.compile(f"[{_ZH_DIGITS}{_ZH_PLACES}]+")
#: what follows a single numeral in an amount, a count or a date: 九块, 三天, 两个月, 五号, 十分钟 (but 十分 "very")
_ZH_UNIT = re.compile(r"块|元|毛|角|分钟|秒|号|日|月|年|天|周|星期|礼拜|个月|小时|钟头|点|次|回|遍|趟|张|台|部|条|单|"
                      r"期|倍|折|岁|楼|层|户|人|位|家|兆")
#: the units after which 一 is a number too (一元, 一个月, 一小时), not the article it is in 一天到晚, 一点, 一块儿
_ZH_UNIT_ONE = re.compile(r"元|个月|小时|分钟|周|星期|号")


def twin_key(text) -> str:
    """What near-twins share: the text without whitespace, punctuation or symbols, each number one ``#``.

    A number is a run of Latin letters and digits that holds a digit (an amount, an order or phone number, a
    date, 5G), or a run of Chinese numerals that is one (:func:`_zh_number`: 十九, 二十九, 三百, 一百二十,
    二〇二六, 九 in 九块); a word of letters only (WiFi, APP) is kept, case-folded: WiFi不好 and 5G不好 are two
    subjects, not twins; so is a word that merely holds a numeral (一直, 一下, 万一, 十分, 三星, 一般, 千万).
    这个月多扣了19块 and 这个月多扣了49块！ have one key, 月租十九块 and 月租二十九块 too; a text of punctuation
    only keeps its own (stripped) text as key."""
    text = str(text or "").strip()
    bare = _LATIN_RUN.sub(_mask_numbered, _NOT_WORD.sub("", text))
    return _ZH_RUN.sub(_mask_zh_number, bare) or text


def _mask_numbered(m: re.Match) -> str:
    run = m.group(0)
    return "#" if any(c.isdigit() for c in run) else run.casefold()


def _mask_zh_number(m: re.Match) -> str:
    s = m.string
    return "#" if _zh_number(m.group(0), s[m.start() - 1:m.start()], s[m.end():m.end() + 2]) else m.group(0)


def _zh_number(run: str, before: str, after: str) -> bool:
    """Whether a run of Chinese numerals (``before``: the character before it, ``after``: the two after) is a
    number, the way a ticket writes an amount or a date, not a word that holds a numeral:

    - two or more numerals with a place (十百千万亿), opening with a digit or 十 and no two digits side by side
      (十九, 二十九, 三百, 一百二十, 一百零五, 两千五, 十一): not 万一, 千万 (opening with a place), 一五一十, 三四百
      (digits side by side: an idiom, a range);
    - three or more digits, no place and no 两 (二〇二六, a year, a number read out): not 一一, 三三两两;
    - a single numeral after 第 (第三次) or before a unit (九块, 三天, 两个月, 五号, 十分钟): not 十分 (very), 三星
      (the brand); 一 only before a unit it cannot be the article with (一元, 一个月, 一小时): not 一下, 一直,
      一般, 一点, 一个, 一天到晚."""
    digits = set(_ZH_DIGITS)
    if len(run) >= 2 and any(c in _ZH_PLACES for c in run):
        side_by_side = any(a in digits - {"零", "〇"} and b in digits - {"零", "〇"} for a, b in zip(run, run[1:]))
        return (run[0] in digits or run[0] == "十") and not side_by_side
    if len(run) >= 3:
        return "两" not in run
    if len(run) == 1:
        if before == "第":
            return run in digits or run == "十"
        if run == "一":
            return bool(_ZH_UNIT_ONE.match(after))
        return run in "二两三四五六七八九十" and bool(_ZH_UNIT.match(after))
    return False


def random_order(n: int, *, seed: int = 0) -> np.ndarray:
    """Rank (1-based) of each row in a seeded random order."""
    perm = np.random.default_rng(seed).permutation(n)
    rank = np.empty(n, dtype=np.int64)
    rank[perm] = np.arange(1, n + 1)
    return rank


def _clusters(texts: list[str], n_clusters: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Cluster of each row and its cosine to the cluster centroid (how typical it is there)."""
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    X = HashingVectorizer(analyzer="char", ngram_range=(1, 2), n_features=2 ** 14, alternate_sign=False,
                          norm=None).transform(texts)
    X = TfidfTransformer(sublinear_tf=True).fit_transform(X)
    from threadpoolctl import threadpool_limits

    km = MiniBatchKMeans(n_clusters=n_clusters, random_state=seed, n_init=1, batch_size=4096, max_iter=20)
    with threadpool_limits(1):  # OpenMP threads only add overhead on these small batches
        labels = km.fit_predict(X)
    cent = np.asarray(km.cluster_centers_, dtype=np.float64)
    norms = np.linalg.norm(cent, axis=1, keepdims=True)
    cent = np.divide(cent, norms, out=np.zeros_like(cent), where=norms > 0)
    # each row's cosine to its own centroid, one cluster at a time: ``cent[labels]`` would be a dense
    # rows × 16,384 array (2.6 GB for 20,000 statements, 13 GB for 100,000)
    typical = np.zeros(X.shape[0])
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        typical[rows] = X[rows] @ cent[c]
    return labels, typical


def uncertainty(conf) -> np.ndarray:
    """One minus the confidence: of one value per row, or the mean over the columns of a
    rows × fields array (a row unsure on several fields teaches several heads)."""
    c = np.asarray(conf, dtype=float)
    c = np.nan_to_num(c, nan=0.0)
    return 1.0 - (c.mean(axis=1) if c.ndim == 2 else c)


def teach_order(texts: list[str], conf, *, seed: int = 0, n_clusters: int | None = None,
                density: bool = True) -> np.ndarray:
    """Rank (1-based) of each row: most informative first, taking turns across text clusters.

    Args:
        texts: statement texts.
        conf: per row the lowest of the fields' confidences, or a rows × fields array of
            each field's confidence (uncertainty = one minus their mean).
        seed: k-means seed (the order is the same for the same input).
        n_clusters: number of groups; default about sqrt(n/2), between 2 and 50.
        density: weight uncertainty by how typical a row is of its group.
    """
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    unc = uncertainty(conf)
    k = n_clusters or int(np.clip(np.sqrt(n / 2), 2, 50))
    k = min(k, n)
    if k > 1:
        labels, typical = _clusters([t or "" for t in texts], k, seed)
    else:
        labels, typical = np.zeros(n, dtype=int), np.ones(n)
    score = unc * np.clip(typical, 0.0, 1.0) if density else unc
    score = np.round(score, 9)  # ties broken by input order, not by float noise
    # position of each row inside its cluster, best first (ties: input order); a repeat of a text ranked before
    # it (word for word, or a near-twin of the same :func:`twin_key`: 多扣了19块 / 多扣了49块) waits until every
    # distinct text has come: the same score put a ticket sent four times at ranks 1, 11, 21 and 31, and a
    # coder's second decision on one text teaches nothing the first did not
    by_score = np.lexsort((np.arange(n), -score))
    pos = np.empty(n, dtype=np.int64)
    repeat = np.zeros(n, dtype=bool)
    seen: dict[tuple[bool, int], int] = {}  # rows placed so far per (repeat, cluster)
    texts_seen: set[str] = set()
    keys = [twin_key(t) for t in texts]
    for i in by_score:
        key = keys[i]
        repeat[i] = key in texts_seen
        texts_seen.add(key)
        c = (bool(repeat[i]), int(labels[i]))
        pos[i] = seen.get(c, 0)
        seen[c] = pos[i] + 1
    # round r of every cluster, best first within a round; the repeats after all of them, in the same order
    order = np.lexsort((np.arange(n), -score, pos, repeat))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return rank

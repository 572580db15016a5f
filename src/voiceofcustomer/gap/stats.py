"""Statistics of the gap analysis, vectorised over columns (NaN is missing).

Kept apart from :mod:`.gap` (reading, checking, tables) so each reads in one sitting;
the tests check these against scipy and pingouin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["row_mean", "t_summary", "cronbach_alpha", "alpha_note", "item_rest_correlation", "group_tests", "vs_rest",
           "NO_VARIANCE", "TOO_FEW", "FEW_FOR_ALPHA", "ONE_ITEM", "ITEM_WITHOUT_VARIANCE",
           "SUM_WITHOUT_VARIANCE", "ALPHA_MIN_N"]

#: Why a test or an α is not given (or not to be trusted): stable codes in the tables and summary.json; the report
#: page says them in Chinese (``gap.report.NOTE_ZH``).
NO_VARIANCE = "no variance"
TOO_FEW = "too few respondents"
FEW_FOR_ALPHA = "few respondents"
ONE_ITEM = "one item"
ITEM_WITHOUT_VARIANCE = "item without variance"
SUM_WITHOUT_VARIANCE = "sum without variance"

#: Fewer respondents (answering every item of a dimension) than this and Cronbach's α is shown with a note and a
#: warning: its sampling error is too large to hold it against 0.6 or 0.7, or to compare stores by it. 30 is the
#: common rule of thumb; Yurdugül (2008, a Monte-Carlo study of the minimum sample size for α) found α stable from
#: about 30 respondents only for strongly one-dimensional scales and from about 100 otherwise, so 30 is the floor.
ALPHA_MIN_N = 30



def row_mean(x: np.ndarray) -> np.ndarray:
    """Mean of each row over its non-missing cells; NaN for a row with none."""
    ok = ~np.isnan(x)
    n = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, x, 0).sum(axis=1) / np.where(n > 0, n, np.nan)


def t_summary(x: np.ndarray, confidence: float = 0.95) -> dict[str, np.ndarray]:
    """One-sample t-test of each column's mean against 0, ignoring NaN.

    Applied to P − E this is the paired t-test (``scipy.stats.ttest_rel``) for every item
    at once; a loop over scipy calls would dominate the run time on 10⁵ respondents.

    Returns:
        Arrays ``n, mean, sd, t, p_value, ci_low, ci_high, reason``, one value per column; ``t``, ``p_value``
        and the interval are NaN where the test is undefined, and ``reason`` says why (:data:`TOO_FEW`: fewer
        than two; :data:`NO_VARIANCE`: every value the same), else ``""``.
    """
    ok = ~np.isnan(x)
    n = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, x, 0).sum(axis=0) / n
        sd = np.sqrt(np.where(ok, (x - mean) ** 2, 0).sum(axis=0) / (n - 1))
        se = sd / np.sqrt(n)
        # no variance: every difference the same (up to rounding of a mean of thirds), where t = mean / 0 came out
        # as −inf with p = 0 on two respondents — the test is undefined, not infinitely significant
        flat = sd <= 1e-12 * np.maximum(1.0, np.abs(mean))
        reason = np.where(n < 2, TOO_FEW, np.where(flat, NO_VARIANCE, "")).astype(object)
        undefined = reason != ""
        t = np.where(undefined, np.nan, mean / se)
        df = np.where(n > 1, n - 1, np.nan)
        p = np.where(undefined, np.nan, 2 * stats.t.sf(np.abs(t), df))
        half = np.where(undefined, np.nan, stats.t.ppf(0.5 + confidence / 2, df) * se)
    return {"n": n, "mean": mean, "sd": sd, "t": t, "p_value": p, "ci_low": mean - half, "ci_high": mean + half,
            "reason": reason}


def cronbach_alpha(x: np.ndarray) -> tuple[float, np.ndarray, int]:
    """Cronbach's α of the columns of ``x`` and α with each column deleted.

    Uses the respondents who answered every item (as SPSS does), so α and the
    α-if-deleted values describe the same people.

    Args:
        x: (respondents, items), NaN for missing.

    Returns:
        ``(alpha, alpha_if_deleted (items,), n_complete)``; NaN where undefined (one item,
        fewer than two respondents, no variance; α-if-deleted needs three items).
    """
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 2 or n < 2:
        return np.nan, np.full(k, np.nan), n
    cov = np.cov(x, rowvar=False, ddof=1)
    diag, total = np.diag(cov), cov.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1 - diag.sum() / total) if total > 0 else np.nan
        if k < 3:
            return float(alpha), np.full(k, np.nan), n
        total_without = total - 2 * cov.sum(axis=1) + diag
        deleted = (k - 1) / (k - 2) * (1 - (diag.sum() - diag) / total_without)
    return float(alpha), np.where(total_without > 0, deleted, np.nan), n


def alpha_note(x: np.ndarray) -> str:
    """Why the Cronbach's α of the columns of ``x`` is not given or not to be trusted, ``""`` when it is.

    Undefined (α is NaN): :data:`ONE_ITEM`, :data:`TOO_FEW` (under two complete respondents), :data:`NO_VARIANCE`
    (every respondent gave the same answer to each item), :data:`SUM_WITHOUT_VARIANCE` (items that vary but cancel
    out in their sum). Shown but with a note, ``"; "``-joined:
    :data:`FEW_FOR_ALPHA` (under :data:`ALPHA_MIN_N` complete respondents) and :data:`ITEM_WITHOUT_VARIANCE` (an
    item everyone answered alike counts in α's number of items k but adds no variance, so α is lower than the
    other items' α by k(k−2)/(k−1)²: of two items, one constant, α is 0).
    """
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 2:
        return ONE_ITEM
    if n < 2:
        return TOO_FEW
    var = x.var(axis=0, ddof=1)
    if (var <= 0).all():
        return NO_VARIANCE
    if x.sum(axis=1).var(ddof=1) <= 1e-12:  # items that cancel out (x and 8 − x, a reverse item not marked)
        return SUM_WITHOUT_VARIANCE
    notes = [FEW_FOR_ALPHA] if n < ALPHA_MIN_N else []
    return "; ".join(notes + ([ITEM_WITHOUT_VARIANCE] if (var <= 0).any() else []))


def item_rest_correlation(x: np.ndarray) -> np.ndarray:
    """Corrected item–total correlation of each column: its Pearson r with the sum of the others.

    Why: an item that correlates negatively with the rest of its dimension is usually
    reverse-worded without being marked ``reverse``, or measures something else; it is
    what drags Cronbach's α down. Complete cases only, as :func:`cronbach_alpha`.

    Args:
        x: (respondents, items), NaN for missing.

    Returns:
        (items,) correlations; NaN with fewer than two items or three respondents, or no variance.
    """
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    out = np.full(k, np.nan)
    if k < 2 or n < 3:
        return out
    total = x.sum(axis=1)
    for j in range(k):
        rest = total - x[:, j]
        if x[:, j].std() > 0 and rest.std() > 0:
            out[j] = float(np.corrcoef(x[:, j], rest)[0, 1])
    return out


def group_tests(scores: dict[str, np.ndarray], groups: np.ndarray) -> pd.DataFrame:
    """Do the groups' mean scores differ? One-way ANOVA and Welch's ANOVA per score.

    Welch's test decides ``significant`` because segments (stores, customer groups)
    rarely have equal sizes or variances; the classic F-test is shown beside it.
    Groups with fewer than two scores are left out (they have no variance).

    Returns:
        One row per score: ``scope, n_segments, n, anova_f, anova_p, welch_f, welch_df1,
        welch_df2, welch_p, significant`` (Welch p < 0.05; None when not testable),
        ``n_segments_excluded``.
    """
    rows = []
    for scope, x in scores.items():
        ok = ~np.isnan(x)
        st = pd.DataFrame({"g": groups[ok], "x": x[ok]}).groupby("g")["x"].agg(["count", "mean", "var"])
        excluded = int((st["count"] < 2).sum())
        st = st[st["count"] >= 2]
        n, m, v = (st[c].to_numpy(dtype=float) for c in ("count", "mean", "var"))
        k, big_n = len(n), n.sum()
        row = {"scope": scope, "n_segments": k, "n": int(big_n), "anova_f": np.nan, "anova_p": np.nan,
               "welch_f": np.nan, "welch_df1": np.nan, "welch_df2": np.nan, "welch_p": np.nan}
        if k >= 2:
            with np.errstate(invalid="ignore", divide="ignore"):
                grand = (n * m).sum() / big_n
                f = ((n * (m - grand) ** 2).sum() / (k - 1)) / (((n - 1) * v).sum() / (big_n - k))
                row.update(anova_f=f, anova_p=stats.f.sf(f, k - 1, big_n - k))
                if (v > 0).all():
                    w = n / v
                    mw = (w * m).sum() / w.sum()
                    tmp = ((1 - w / w.sum()) ** 2 / (n - 1)).sum()
                    welch_f = ((w * (m - mw) ** 2).sum() / (k - 1)) / (1 + 2 * (k - 2) / (k ** 2 - 1) * tmp)
                    df2 = (k ** 2 - 1) / (3 * tmp)
                    row.update(welch_f=welch_f, welch_df1=k - 1, welch_df2=df2,
                               welch_p=stats.f.sf(welch_f, k - 1, df2))
        row["significant"] = None if np.isnan(row["welch_p"]) else bool(row["welch_p"] < 0.05)
        row["n_segments_excluded"] = excluded
        rows.append(row)
    return pd.DataFrame(rows)


def vs_rest(x: np.ndarray, groups: np.ndarray) -> pd.Series:
    """Welch t-test p-value of each group's mean against everyone else's (unadjusted).

    Tells *which* segments stand out once :func:`group_tests` says some do. Computed
    from group sums so a thousand stores cost one pass over the data.

    Returns:
        p-values indexed by group; NaN where a side has fewer than two scores.
    """
    ok = ~np.isnan(x)
    g, x = groups[ok], x[ok]
    st = pd.DataFrame({"g": g, "x": x}).groupby("g")["x"].agg(["count", "mean", "var"])
    n, m = st["count"].to_numpy(dtype=float), st["mean"].to_numpy(dtype=float)
    ssd = np.nan_to_num(st["var"].to_numpy(dtype=float)) * (n - 1)
    big_n, grand = len(x), x.mean() if len(x) else np.nan
    n_rest = big_n - n
    with np.errstate(invalid="ignore", divide="ignore"):
        m_rest = (big_n * grand - n * m) / n_rest
        # Total spread = within this group + within the rest + between the two.
        ssd_rest = (((x - grand) ** 2).sum() - ssd - n * (m - grand) ** 2 - n_rest * (m_rest - grand) ** 2)
        p = stats.ttest_ind_from_stats(m, np.sqrt(ssd / (n - 1)), n, m_rest, np.sqrt(np.maximum(ssd_rest, 0) /
                                       (n_rest - 1)), n_rest, equal_var=False).pvalue
    p = np.where((n >= 2) & (n_rest >= 2), p, np.nan)
    return pd.Series(p, index=st.index, dtype=float)



"""What is rising: label × segment cells whose latest-period count is above their own baseline.

A complaint desk wants this week's spike (e.g. ``issue=network`` in one 区县) without
reading every chart. Each cell (field, label, segment) is compared with its own past,
not with other cells, so a segment that is always large is not flagged for being large.

The test, per cell: ``x`` = count in the latest period, ``s`` = total count over the
``B`` baseline periods before it (up to ``baseline`` periods; periods with no rows
count 0). Under "no change" both are Poisson with the same rate per period, so given
``x + s`` the latest count is Binomial(``x + s``, ``1 / (B + 1)``): the exact
conditional test of two Poisson rates. The one-sided p-value is
``P(Binomial ≥ x)``. It accounts for the baseline being an estimate (a plain Poisson
test against the baseline mean would not).

Which cells are tested: ``x ≥ min_count`` (default 5), at least ``min_baseline`` (3)
earlier periods, and ``x`` at least ``min_ratio`` (1.5) times the baseline mean. The
p-values of all tested cells (one family across fields, labels and segments) are
adjusted with Benjamini–Hochberg; a cell is flagged when its q-value ≤ ``alpha``
(0.05), so about 5 % of flagged cells are expected to be false alarms. A cell with
no rows in its baseline periods (a new complaint) passes the ratio rule; its ``ratio`` is
empty.

What is counted: statements, except in a split ticket export (``ticket_id`` beside ``statement_id``), where the
test runs on tickets (:func:`ticket_alerts`): a ticket cut into three statements about billing is one customer.
Beside split tickets, a focus group's statements are not in the trend at all (their only date is the session's),
and a statement without a ticket that is (another text with a date of its own) counts as one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from voiceofcustomer.labels.taxonomy import LABELS, ZH

__all__ = ["spike_alerts", "ticket_alerts", "benjamini_hochberg", "ALERT_COLUMNS", "ALERT_TICKET_COLUMNS",
           "ALERT_DEFAULTS"]

ALERT_COLUMNS = ["field", "label", "label_zh", "segment_col", "segment", "period", "count", "baseline_mean",
                 "baseline_periods", "ratio", "p_value", "q_value", "flagged"]
ALERT_DEFAULTS = dict(baseline=8, min_baseline=3, min_count=5, min_ratio=1.5, alpha=0.05)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values), in the input order."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1].clip(0, 1)
    out = np.empty(n)
    out[order] = q
    return out


def spike_alerts(counts: pd.DataFrame, periods: list, *, baseline: int = 8, min_baseline: int = 3,
                 min_count: int = 5, min_ratio: float = 1.5, alpha: float = 0.05) -> pd.DataFrame:
    """Test every cell's latest-period count against its own baseline.

    Args:
        counts: Columns ``field, label, segment_col, segment, period, count`` (cells with
            count 0 may be left out).
        periods: Every period from the first to the latest, in order (pandas Periods or
            strings, matching ``counts.period``).
        baseline, min_baseline, min_count, min_ratio, alpha: See the module docstring.

    Returns:
        One row per tested cell (columns ``ALERT_COLUMNS``), flagged cells first, then by
        q-value. Empty when there are fewer than ``min_baseline + 1`` periods.
    """
    from scipy.stats import binom

    from voiceofcustomer.freq.tables import period_text

    if len(periods) < min_baseline + 1 or counts.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    latest = periods[-1]
    base_periods = periods[-1 - baseline:-1]
    n_base = len(base_periods)
    keys = ["field", "label", "segment_col", "segment"]
    cur = counts[counts["period"] == latest].groupby(keys, sort=False)["count"].sum()
    past = counts[counts["period"].isin(base_periods)].groupby(keys, sort=False)["count"].sum()
    cells = pd.DataFrame({"count": cur}).join(pd.DataFrame({"base": past}), how="left").fillna({"base": 0})
    cells = cells[cells["count"] >= min_count]
    mean = cells["base"] / n_base
    ratio = np.where(mean > 0, cells["count"] / mean.where(mean > 0, 1), np.inf)
    cells = cells.assign(baseline_mean=mean, ratio=ratio)
    cells = cells[cells["ratio"] >= min_ratio]
    if cells.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    x = cells["count"].to_numpy(dtype=np.int64)
    total = x + cells["base"].to_numpy(dtype=np.int64)
    p = binom.sf(x - 1, total, 1.0 / (n_base + 1))  # P(X >= x)
    q = benjamini_hochberg(p)
    out = cells.reset_index()
    out["label_zh"] = [ZH[f][lab] if lab in ZH.get(f, {}) else "" for f, lab in zip(out["field"], out["label"])]
    # named as by_period names it (2026-W44): a week's pandas text (2026-10-26/2026-11-01) did not match
    out["period"] = period_text(latest) if isinstance(latest, pd.Period) else str(latest)
    out["baseline_periods"] = n_base
    out["baseline_mean"] = out["baseline_mean"].round(3)
    # A cell with no rows in its baseline is new: its ratio is not a number (it was ``inf``,
    # which no spreadsheet can hold); ``baseline_mean`` 0 says why it is empty.
    out["ratio"] = out["ratio"].replace(np.inf, np.nan).round(3)
    out["p_value"], out["q_value"] = p, q
    out["flagged"] = q <= alpha
    out["count"] = out["count"].astype(int)
    order = {f: i for i, f in enumerate(LABELS)}
    out = out.assign(_f=out["field"].map(order)).sort_values(["flagged", "q_value", "_f", "label", "segment"],
                                                            ascending=[False, True, True, True, True], kind="stable")
    return out[ALERT_COLUMNS].reset_index(drop=True)


#: the alerts of a split ticket export: ``tickets`` (the count tested) after ``count`` (the cell's statements)
ALERT_TICKET_COLUMNS = [*ALERT_COLUMNS[:ALERT_COLUMNS.index("count") + 1], "tickets",
                        *ALERT_COLUMNS[ALERT_COLUMNS.index("count") + 1:]]


def ticket_alerts(tickets: pd.DataFrame, statements: pd.DataFrame, periods: list, **options) -> pd.DataFrame:
    """:func:`spike_alerts` of a split ticket export: the test runs on ticket counts, and the statements of each
    tested cell in the latest period are given beside them.

    Why: a complaint team is alerted by tickets — a ticket cut into three billing statements is one customer
    complaining, and counted as three it made a rise of three tickets a rise of nine.

    Args:
        tickets: ``field, label, segment_col, segment, period, count`` with ``count`` the distinct tickets (and
            statements without a ticket, one each) of the cell.
        statements: The same cells' statement counts.
        periods, options: As :func:`spike_alerts`.

    Returns:
        ``ALERT_TICKET_COLUMNS``: ``tickets`` the tested count (``baseline_mean`` and ``ratio`` are of tickets too),
        ``count`` the cell's statements in the latest period.
    """
    out = spike_alerts(tickets, periods, **options).rename(columns={"count": "tickets"})
    if out.empty:
        return pd.DataFrame(columns=ALERT_TICKET_COLUMNS)
    keys = ["field", "label", "segment_col", "segment"]
    latest = statements[statements["period"] == periods[-1]].groupby(keys, sort=False)["count"].sum()
    said = out[keys].merge(latest.rename("count").reset_index(), how="left", on=keys)["count"]
    out["count"] = said.fillna(0).astype(int).to_numpy()
    return out[ALERT_TICKET_COLUMNS]

"""Completion times of survey responses and the respondents who finished too fast ("speeders").

Why: a respondent who clicks through a 44-answer SERVQUAL questionnaire in a fraction of the
time others take has not read the statements, and their answers pull every gap towards
noise. Survey platforms export how long each response took: 问卷星 as ``所用时间``
(``125秒``, ``2分5秒``), Qualtrics as ``Duration (in seconds)``. The rule used is a survey
convention, not a standard: a response faster than a share of the median completion time
(one third by default; docs/gap.md says where the convention comes from).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["DURATION_COLUMNS", "SPEEDER_FRACTION", "duration_column", "completion_seconds", "speeders"]

#: Columns holding how long a response took: 问卷星's 所用时间, 腾讯问卷's 答题时长, Qualtrics' Duration (in seconds).
DURATION_COLUMNS = ("所用时间", "答题时长", "Duration (in seconds)")
#: A response faster than this share of the median completion time is a speeder.
SPEEDER_FRACTION = 1 / 3

_UNITS = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*(?:小时|时|h))?\s*(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|min|m))?"
                    r"\s*(?:(\d+(?:\.\d+)?)\s*(?:秒钟|秒|sec|s)?)?$", re.IGNORECASE)
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")  # 0:02:05 or 02:05


def duration_column(columns) -> str | None:
    """The response file's completion-time column, if it has one (names compared without case)."""
    wanted = {c.lower() for c in DURATION_COLUMNS}
    return next((c for c in columns if str(c).strip().lower() in wanted), None)


_UNREADABLE = -1.0


def _seconds(value) -> float:
    """Seconds of one exported completion time; NaN when blank, ``_UNREADABLE`` when not a time."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    s = str(value).strip().replace(" ", "")
    if not s:
        return np.nan
    try:
        x = float(s)
        return x if x >= 0 else _UNREADABLE
    except ValueError:
        pass
    m = _CLOCK.match(s)
    if m:
        return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = _UNITS.match(s)
    if m and any(m.groups()):
        h, mi, se = (float(g) if g else 0.0 for g in m.groups())
        return h * 3600 + mi * 60 + se
    return _UNREADABLE


def completion_seconds(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(seconds, unreadable)`` of a completion-time column: ``125``, ``125秒``, ``2分5秒``,
    ``1小时2分``, ``0:02:05`` are read; blanks are NaN; anything else is NaN and ``unreadable``."""
    read = {u: _seconds(u) for u in pd.unique(col)}  # one parse per distinct value
    values = np.array([read.get(v, np.nan) for v in col], dtype=float)  # NaN keys miss: blank
    unreadable = values == _UNREADABLE
    values[unreadable] = np.nan
    return values, unreadable


def speeders(seconds: np.ndarray, fraction: float = SPEEDER_FRACTION) -> tuple[np.ndarray, float, float]:
    """``(mask, threshold, median)``: responses faster than ``fraction`` × the median completion
    time (of those with a time). NaN times are never speeders; with no times, nobody is."""
    timed = seconds[~np.isnan(seconds)]
    if not len(timed):
        return np.zeros(len(seconds), bool), np.nan, np.nan
    median = float(np.median(timed))
    threshold = fraction * median
    with np.errstate(invalid="ignore"):
        return np.nan_to_num(seconds, nan=np.inf) < threshold, threshold, median

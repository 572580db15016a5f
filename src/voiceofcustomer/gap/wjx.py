"""Map a survey-platform export (问卷星 and the like) onto the codebook's columns.

Why: a fielded 问卷星 survey exports its own headers — question numbers, question
text, matrix rows as ``7(优秀的营业厅应当…)`` or ``7、题干—行文字`` — and answers as
option text (``非常同意``) or option numbers. Renaming 40 columns to
``E_<id>``/``P_<id>`` by hand is where mistakes slip in, so the columns are matched
to the codebook by the wording the questionnaire used (``voc survey`` wrote it), and
anything that cannot be matched is reported, never guessed.

Matching, per column: the header minus a leading question number is compared with
every item's E and P wording, each dimension's importance row (有形性：…) and the
profile questions, after removing spaces and punctuation: equal, or one contains the
other (at least 6 characters), or a close match (difflib ratio ≥ 0.85). A column that
matches two targets equally well, or a target matched by two columns, is an error.
"""

from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd

from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.taxonomy import SERVQUAL_DIMENSIONS, ZH

__all__ = ["looks_like_platform_export", "map_platform_export", "scale_numbers", "points_numbers", "wording_key",
           "SKIPPED", "META_COLUMNS", "SCALE_TEXT",
           "SCALE_TEXTS", "NOT_APPLICABLE"]

#: Columns every 问卷星 (or 腾讯问卷) export has that are not answers.
META_COLUMNS = ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "IP", "总分", "答题时间", "开始时间",
                "结束时间", "填写时间", "昵称", "用户名", "Duration (in seconds)",
                "开始答题时间", "结束答题时间", "答题时长")  # the last three: 腾讯问卷's
#: Answer labels → numbers, per number of scale points: the agreement labels of ``voc survey`` and of
#: 问卷星's Likert presets, and the satisfaction and importance wordings surveys also use. An answer
#: exported as option text ("按选项文本") is read with the labels of the survey's scale.
SCALE_TEXTS = {
    7: {"非常不同意": 1, "不同意": 2, "有点不同意": 3, "比较不同意": 3, "中立": 4, "一般": 4, "说不清": 4,
        "有点同意": 5, "比较同意": 5, "同意": 6, "非常同意": 7,
        "非常不满意": 1, "不满意": 2, "有点不满意": 3, "比较不满意": 3, "有点满意": 5, "比较满意": 5, "满意": 6,
        "非常满意": 7,
        "非常不重要": 1, "不重要": 2, "有点不重要": 3, "比较不重要": 3, "有点重要": 5, "比较重要": 5, "重要": 6,
        "非常重要": 7},
    5: {"非常不同意": 1, "不同意": 2, "中立": 3, "一般": 3, "说不清": 3, "同意": 4, "非常同意": 5,
        "非常不满意": 1, "不满意": 2, "满意": 4, "非常满意": 5,
        "非常不重要": 1, "不重要": 2, "重要": 4, "非常重要": 5},
}
SCALE_TEXT = SCALE_TEXTS[7]
#: Answers that say "no opinion / does not apply": missing answers, not errors.
NOT_APPLICABLE = frozenset({"不适用", "不清楚", "不知道", "无法评价", "无法回答", "没有接触过", "n/a", "na"})
#: What 问卷星 exports for a question the respondent skipped or left empty: (跳过) and (空) when answers are
#: downloaded as text, -3 when as numbers. Blank answers, like an empty cell, not errors.
SKIPPED = frozenset({"(跳过)", "（跳过）", "跳过", "(空)", "（空）", "-3"})
_SKIPPED_NUMBER = -3
_NUMBER_TEXT = re.compile(r"^(\d+(?:\.\d+)?)\s*分?$")
_NUMBER = re.compile(r"^\s*(?:Q|q|第)?\s*(\d+)\s*(?:题)?\s*[、.．:：]?\s*")
_ROW_IN_PARENS = re.compile(r"^\s*(?:Q|q|第)?\s*\d+\s*(?:题)?\s*[(（](.+)[)）]\s*$")
_SEPARATORS = re.compile(r"\s*[—–]+\s*|\s*[-_]{1,2}>?\s*|\s*→\s*")
_PUNCT = re.compile(r"[\s\u3000，。、；：！？,.;:!?（）()“”\"'‘’【】\[\]《》<>—\-_·…]+")
_MIN_CONTAIN = 6
#: A header that says which side of the item it holds, as a survey built by hand on a platform (腾讯问卷, 问卷星)
#: heads its two questions of one statement: ``1.营业厅环境整洁(期望)`` / ``1.营业厅环境整洁(感知)``, also
#: ``【期望】…``, ``…—期望值``, ``期望：…``. The word in brackets, after a dash or before a colon at either end.
_SIDE_WORDS = {"期望": "E", "期望值": "E", "期望分": "E", "感知": "P", "感知值": "P", "感知分": "P", "实际感受": "P",
               "实际感知": "P"}
_SIDE_ALT = "|".join(sorted(map(re.escape, _SIDE_WORDS), key=len, reverse=True))
_SIDE = re.compile(rf"\s*(?:[(（【\[]\s*(?P<a>{_SIDE_ALT})\s*[)）】\]]|[—–\-_:：]+\s*(?P<b>{_SIDE_ALT}))\s*$"
                   rf"|^\s*(?:[(（【\[]\s*(?P<c>{_SIDE_ALT})\s*[)）】\]]|(?P<d>{_SIDE_ALT})\s*[—–\-_:：]+)\s*")


def wording_key(text: str) -> str:
    """Wording without spaces and punctuation: what headers are matched by (two items whose keys are
    equal cannot be told apart in an export, so ``voc survey`` refuses them)."""
    return _PUNCT.sub("", str(text)).strip()


def looks_like_platform_export(columns) -> bool:
    """True when no column is named ``E_…``/``P_…`` (so the headers are the platform's own)."""
    return not any(re.match(r"^[EP]_", str(c)) for c in columns)


def _targets(codebook: pd.DataFrame, extra_questions: dict[str, str]) -> list[tuple[str, str]]:
    out = []
    for r in codebook.itertuples():
        out += [(f"E_{r.item_id}", r.e_text), (f"P_{r.item_id}", r.p_text)]
    for d in SERVQUAL_DIMENSIONS:
        out.append((f"W_{d}", ZH["servqual"][d]))
    out += [(col, q) for col, q in extra_questions.items()]
    return out


def _candidates(header: str) -> list[str]:
    """The pieces of a header that may hold the wording: whole, minus number, matrix row."""
    h = str(header).strip()
    pieces = [h]
    m = _ROW_IN_PARENS.match(h)
    if m:
        pieces.append(m.group(1))
    rest = _NUMBER.sub("", h, count=1)
    pieces.append(rest)
    parts = _SEPARATORS.split(rest)
    if len(parts) > 1:
        pieces.append(parts[-1])
    return [p for p in dict.fromkeys(pieces) if p]


def _side(header: str) -> tuple[str | None, str]:
    """``("E", "1.营业厅环境整洁")`` of ``1.营业厅环境整洁(期望)``: the side a header names and the header without
    that word; ``(None, header)`` when it names none."""
    m = _SIDE.search(header)
    if not m:
        return None, header
    word = next(w for w in m.groups() if w)
    rest = (header[:m.start()] + " " + header[m.end():]).strip()
    return (_SIDE_WORDS[word], rest) if wording_key(rest) else (None, header)


def _score(piece: str, target: str, is_weight: bool) -> float:
    a, b = wording_key(piece), wording_key(target)
    if not a or not b:
        return 0.0
    if a == b:
        return 3.0
    if is_weight:  # importance rows start with the dimension name: 有形性：营业厅的环境…
        return 2.0 if a.startswith(b) else 0.0
    if min(len(a), len(b)) >= _MIN_CONTAIN and (a in b or b in a):
        return 2.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= 0.85 else 0.0


def _side_targets(codebook: pd.DataFrame, side: str) -> list[tuple[str, str]]:
    """The targets of a header naming its side: the side's column of each item, by either of its wordings."""
    return [(f"{side}_{r.item_id}", text) for r in codebook.itertuples() for text in (r.e_text, r.p_text)]


def map_platform_export(responses: pd.DataFrame, codebook: pd.DataFrame,
                        extra_questions: dict[str, str] | None = None) -> tuple[pd.DataFrame, dict]:
    """Rename a platform export's answer columns to ``E_<id>``, ``P_<id>``, ``W_<dim>`` and profile names.

    Args:
        responses: The export as read (one row per respondent).
        codebook: The codebook (``item_id, e_text, p_text``).
        extra_questions: Profile columns to find too: ``{column name: question text}``
            (e.g. the store question and the demographics ``voc survey`` asked).

    Returns:
        ``(renamed responses, report)``; the report has ``mapping`` (export header → column),
        ``unmapped`` (answer-looking headers left as they are) and ``missing`` (codebook
        columns no header matched). Answers stay as exported: :func:`scale_numbers` (called by
        ``gap_analysis`` on every response file) reads option text such as 非常同意.

    Raises:
        InputError: a header matches two targets equally well, or two headers one target.
    """
    src = responses.attrs.get("source", "responses")
    targets = _targets(codebook, extra_questions or {})
    mapping: dict[str, str] = {}
    taken: dict[str, str] = {}
    unmapped = []
    for col in responses.columns:
        name = str(col).strip()
        if name in META_COLUMNS or not name:
            continue
        best, best_score = [], 0.0
        # Why: '1.营业厅环境整洁(期望)' and '1.营业厅环境整洁(感知)' each matched E_T1 and P_T1 equally well (a survey
        # asking one statement twice): the run stopped, asking to rename every column. A header that names its side
        # is matched by its statement against the item's E and P wording, and is that item's E (P) column.
        side, text_part = _side(name)
        for target, text in (targets if side is None else _side_targets(codebook, side)):
            s = max(_score(p, text, target.startswith("W_")) for p in _candidates(text_part))
            if s > best_score:
                best, best_score = [target], s
            elif s == best_score and s > 0 and target not in best:
                best.append(target)
        if not best:
            unmapped.append(name)
            continue
        if len(best) > 1:
            raise InputError(f"{src}: column {name!r} matches {' and '.join(best)} equally well; "
                             "rename it to the E_/P_ id it holds")
        if best[0] in taken:
            raise InputError(f"{src}: columns {taken[best[0]]!r} and {name!r} both look like {best[0]}; "
                             "delete or rename one of them")
        taken[best[0]] = name
        mapping[name] = best[0]
    out = responses.rename(columns={c: mapping.get(str(c).strip(), c) for c in responses.columns})
    missing = [t for t, _ in targets if re.match(r"^[EP]_", t) and t not in taken]
    out.attrs.update(responses.attrs)
    return out, {"mapping": mapping, "unmapped": unmapped, "missing": missing}


def scale_numbers(col: pd.Series, scale: int = 7) -> tuple[pd.Series, np.ndarray]:
    """Answers as exported → numbers: '非常同意' → 7 (5 on a 5-point scale), '6' → 6, '7分' → 7.

    Args:
        col: One E_/P_ column as read (numbers, text or both).
        scale: Points of the survey's scale; option text is read with :data:`SCALE_TEXTS` of that scale.

    Returns:
        ``(values, not_applicable)``: the column with every recognised answer as a number, other
        text left as it was for the validator to report; and a mask of the answers in
        :data:`NOT_APPLICABLE` (不适用, 不清楚 …), which are set to missing.
    """
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return col.mask(col == _SKIPPED_NUMBER), np.zeros(len(col), bool)
    labels = SCALE_TEXTS.get(scale, {})

    def one(v):
        s = str(v).strip()
        if s in labels:
            return labels[s]
        if s.lower() in NOT_APPLICABLE:
            return _NA
        return _text_number(v)

    values = _map_distinct(col, one)
    not_applicable = (values == _NA).to_numpy(dtype=bool)
    return values.mask(not_applicable, np.nan), not_applicable


def points_numbers(col: pd.Series) -> pd.Series:
    """Importance points as exported → numbers: '20分' → 20, 问卷星's (跳过)/(空)/-3 and a no-opinion answer
    (N/A, 不适用 …: :data:`NOT_APPLICABLE`) → blank; other text stays for the validator to report."""
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return col.mask(col == _SKIPPED_NUMBER)
    return _map_distinct(col, lambda v: np.nan if str(v).strip().lower() in NOT_APPLICABLE else _text_number(v))


def _text_number(v):
    """'6', '6分', 6 → 6.0; a skipped-question marker → NaN (blank); other text as it is."""
    s = str(v).strip()
    if s in SKIPPED:
        return np.nan
    m = _NUMBER_TEXT.match(s)
    return float(m.group(1)) if m else v


def _map_distinct(col: pd.Series, one) -> pd.Series:
    """``one`` applied to each distinct non-blank value (a 10⁵-row export has a handful per column)."""
    uniques = [u for u in pd.unique(col) if not (u is None or u is pd.NA or (isinstance(u, float) and np.isnan(u)))]
    return col.map(dict(zip(uniques, (one(u) for u in uniques))))


_NA = "\x00not applicable"

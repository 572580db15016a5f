"""SERVQUAL gap analysis of fielded survey responses (``voc gap``).

Every codebook item is asked twice on a 1–7 scale (or 1–5, ``scale=5``): what the respondent expects
(``E_<item_id>``) and what they got (``P_<item_id>``). The gap P − E is negative
where the service falls short. Respondents may also split 100 importance points
over the five dimensions (``W_<dimension>``), which weights the overall score.

Bad cells never stop the analysis and never vanish: they are treated as missing,
listed in :attr:`GapResult.problems` and counted in the summary's warnings. Only
problems that make the analysis meaningless (a missing column, an unknown
dimension, no respondents left) raise.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer.errors import ColumnError, DataQualityError, InputError, plural
from voiceofcustomer.io.readers import (WORKBOOK_SUFFIXES, check_input_file, check_sheet_option, check_unique_columns,
                                        csv_separator, detect_encoding, input_sheet, open_workbook, parser_error, read_excel_sheet,
                                        title_above_header, workbook_sheet)
from voiceofcustomer.gap.speed import DURATION_COLUMNS, SPEEDER_FRACTION, completion_seconds, duration_column, speeders
from voiceofcustomer.gap.wjx import (META_COLUMNS, NOT_APPLICABLE, SCALE_TEXTS, SKIPPED, looks_like_platform_export,
                                     map_platform_export, points_numbers, scale_numbers, wording_key)
from voiceofcustomer.gap.stats import (ALPHA_MIN_N, FEW_FOR_ALPHA, ITEM_WITHOUT_VARIANCE, NO_VARIANCE, TOO_FEW,
                                      alpha_note, cronbach_alpha, group_tests, item_rest_correlation, row_mean,
                                      t_summary, vs_rest)
from voiceofcustomer.labels.taxonomy import SERVQUAL_DIMENSIONS, ZH
from voiceofcustomer.statements import number_param, path_param, table_param

__all__ = ["GapResult", "SegmentTables", "read_codebook", "validate_codebook", "read_responses", "read_questionnaire",
           "questionnaire_beside", "QUESTIONNAIRE_FILE", "gap_analysis",
           "cronbach_alpha", "group_tests", "vs_rest", "SCALE_MIN", "SCALE_MAX", "SCALES"]

SCALE_MIN, SCALE_MAX = 1, 7  # SCALE_MAX is the default; ``gap_analysis(scale=5)`` for a 5-point survey
SCALES = range(3, 12)
# Fewer answers than this say too little about which scale a survey used to hint at --scale.
_SCALE_HINT_MIN_ANSWERS = 100
POINTS_TOTAL = 100
# Hand-typed splits such as 33.3/33.3/33.4 or 33/33/33 are what respondents mean by "100".
POINTS_TOLERANCE = 1.0
ID_COLUMN_NAMES = ("respondent_id", "respondent", "id", "问卷编号", "编号", "序号", "responseid")  # responseid: Qualtrics
BLANK_SEGMENT = "(blank)"
_RATING_COLUMN = re.compile(r"^[EPW]_")
_TRUE = {"true", "1", "yes", "y", "t", "是", "反向"}
_FALSE = {"false", "0", "no", "n", "f", "否", ""}
_DIMENSION_BY_NAME = {**{d: d for d in SERVQUAL_DIMENSIONS}, **{ZH["servqual"][d]: d for d in SERVQUAL_DIMENSIONS}}


@dataclass
class SegmentTables:
    """The overall tables, once per value of one ``by`` column (each with a leading ``segment`` column).

    Attributes:
        by: The segment column.
        items: Item table rows per segment.
        dimensions: Dimension table rows per segment, plus ``p_vs_rest`` (:func:`vs_rest`).
        sq: One row per segment: ``segment, n_respondents, sq, sq_weighted, p_vs_rest``.
        tests: Whether segments differ, per dimension and ``overall``: one-way ANOVA and
            Welch's ANOVA of the per-respondent gap (see :func:`group_tests`).
    """

    by: str
    items: pd.DataFrame
    dimensions: pd.DataFrame
    sq: pd.DataFrame
    tests: pd.DataFrame


@dataclass
class GapResult:
    """Everything ``voc gap`` reports.

    Attributes:
        items: One row per codebook item: ``item_id, dimension, n, mean_e, mean_p, gap, ci_low,
            ci_high, p_value`` (paired t-test of P against E), then ``reverse, sd_gap, t,
            alpha_e_if_deleted, alpha_p_if_deleted, r_item_rest_e, r_item_rest_p, test_note`` (why the test is
            undefined: ``no variance``, ``too few respondents``; ``""`` when it is not).
        dimensions: One row per dimension with items: ``dimension, gap, alpha_e, alpha_p,
            n_items``, then ``n, mean_e, mean_p, ci_low, ci_high, n_alpha_e, n_alpha_p, importance, test_note,
            alpha_e_note, alpha_p_note`` (see :func:`~voiceofcustomer.gap.stats.alpha_note`).
        summary: ``sq``, ``sq_weighted``, ``n_respondents``, ``n_used``, ``missing_policy`` and
            ``warnings`` (a list of ``{"kind", "count", "message", "message_zh"}``: English, and Chinese for the
            report page), plus context.
        problems: Every cell treated as missing because it was invalid:
            ``row`` (spreadsheet row, header = 1), ``respondent``, ``column``, ``value``, ``problem``.
        respondents: Per respondent used: ``row, respondent``, the ``by`` columns,
            ``gap_<dimension>``, ``sq`` and ``sq_weighted``.
        segments: ``{by column: SegmentTables}``.
        codebook: The checked codebook (item wording for the report).
    """

    items: pd.DataFrame
    dimensions: pd.DataFrame
    summary: dict
    problems: pd.DataFrame
    respondents: pd.DataFrame
    segments: dict[str, SegmentTables] = field(default_factory=dict)
    codebook: pd.DataFrame | None = None


# -- reading -----------------------------------------------------------------------------------


def _read_header(path: Path, kind: str, encoding: str | None,
                 sheet: str | None) -> tuple[list[str], list[str], str | None]:
    """The header row as the file has it, so duplicate names are caught before pandas renames them, and
    the row under it (:func:`_merged_header` reads a header of two rows under merged cells)."""
    if kind == "xlsx":
        wb = open_workbook(path)
        try:
            ws = wb[workbook_sheet(path, wb, sheet)]
            rows = [["" if h is None else str(h).strip() for h in r] for r in ws.iter_rows(values_only=True, max_row=2)]
            return (rows[0] if rows else []), (rows[1] if len(rows) > 1 else []), ws.title
        finally:
            wb.close()
    try:
        with open(path, encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter="\t" if kind == "tsv" else ",")
            header, second = next(reader, []), next(reader, [])
    except UnicodeDecodeError:
        other = "gbk" if encoding.lower().startswith("utf") else "utf-8"
        raise InputError(f"{path}: cannot decode the header as {encoding}; try encoding={other!r}",
                         params=("encoding",)) from None
    except LookupError:
        raise InputError(f"{path}: unknown encoding {encoding!r}; use e.g. utf-8, gbk, gb18030") from None
    return [h.strip().lstrip("\ufeff").strip() for h in header], [c.strip() for c in second], None


def _merged_header(header: list[str], second: list[str]) -> list[str] | None:
    """One header of a header of two rows under merged cells, or None when row 2 is not such a header row.

    Some platform exports (and a sheet tidied by hand) head a matrix question with one merged cell over its
    statements in row 1 and put each statement in row 2 under it, the other columns (序号, 所用时间 …) merged
    down over both rows. Each column under a merged question is named ``question—statement`` (the dash form
    of a 问卷星 matrix column, which the platform matching reads); the others keep row 1's name. Row 2 is taken
    as header only when it is one: a statement under every empty cell of row 1 that follows a question (at
    least two), none of them an answer (a number, 非常同意, 不适用 …), and nothing, or row 1's own name, under
    the other columns. Why: such a workbook stopped with 'keep one of each (df.loc[:, ~df.columns.duplicated()])
    or rename the others' — row 1's empty cells read as columns named ''."""
    second = second + [""] * (len(header) - len(second))
    parents, parent, under = [], "", 0
    for h, s in zip(header, second):
        if h:
            parent = h
            parents.append("")
        else:
            parents.append(parent if s else "")
            under += bool(parent and s)
    if under < 2:
        return None
    for h, s, p in zip(header, second, parents):
        if not s:
            if not h and p:
                return None
            continue
        if _NUMBER_ANSWER.match(s) or s in _ANSWER_WORDS or s.lower() in NOT_APPLICABLE or s in SKIPPED:
            return None
        if h and s != h and not any(q == h for q in parents):  # text under a column that is not a question
            return None
        if not h and not p:  # a statement under no question
            return None
    out = []
    for i, (h, s, p) in enumerate(zip(header, second, parents)):
        if p:
            out.append(f"{p}—{s}")
        elif h and s and s != h:  # the question's first column: its cell holds the question, row 2 a statement
            out.append(f"{h}—{s}")
        else:
            out.append(h)
    return out


def _read_frame(path: str | Path, *, what: str, encoding: str | None = None, sheet: str | None = None,
                all_text: bool = False) -> pd.DataFrame:
    path, sheet = input_sheet(path, sheet)  # responses.xlsx:第二轮 picks that sheet
    check_input_file(path)
    check_sheet_option([path], sheet)
    suffix = path.suffix.lower()
    kind = {".csv": "csv", ".tsv": "tsv"}.get(suffix, "xlsx" if suffix in WORKBOOK_SUFFIXES else None)
    if kind is None:
        raise InputError(f"{path}: unsupported {what} file type {path.suffix!r}; use .csv, .xlsx (or .xls, .xlsb, .ods)")
    enc = None if kind == "xlsx" else (encoding or detect_encoding(path))
    if kind == "csv" and csv_separator(path, enc) == "\t":  # Excel's "Unicode text" saved as .csv
        kind = "tsv"
    header, second, sheet_name = _read_header(path, kind, enc, sheet)
    if not any(header):
        raise InputError(f"{path}: no header row; the first row must name the columns")
    title = _title_row(header, second) if what == "responses" else None
    if title is not None:
        header, second = second, []
    merged = _merged_header(header, second) if what == "responses" and title is None else None
    if merged is not None:
        header = merged
    check_unique_columns(path, header)
    # Ratings are parsed as numbers (fast); everything else stays text so store "007" keeps its zeros.
    dtype = {h: str for h in header if all_text or not _RATING_COLUMN.match(h)}
    # Only an empty cell is blank: pandas' own missing-value words (N/A, NA, #N/A, null …) are read as
    # written. Why: a survey's "N/A" (no opinion, wjx.NOT_APPLICABLE) was read by pandas as an empty
    # cell and counted among the blank answers, not the 不适用 ones, and Excel's #N/A passed unlisted.
    na = {"keep_default_na": False} if all_text else {"keep_default_na": False, "na_values": [""]}
    try:
        if kind == "xlsx":
            df = read_excel_sheet(path, sheet_name, dtype=dtype, **({} if all_text else na))
        else:
            df = pd.read_csv(path, encoding=enc, sep="\t" if kind == "tsv" else ",", dtype=dtype,
                             skipinitialspace=True, skip_blank_lines=False, **na)
    except UnicodeDecodeError:
        other = "gbk" if enc.lower().startswith("utf") else "utf-8"
        raise InputError(f"{path}: cannot decode as {enc}; try encoding={other!r}", params=("encoding",)) from None
    except pd.errors.ParserError as exc:
        raise parser_error(path, exc) from None
    df.columns = header[: len(df.columns)] + [str(c) for c in df.columns[len(header):]]
    # A column without a header: empty ones (the trailing ,, of a sheet saved as CSV) are no column; one that
    # holds something is named by its place. Why: two of them stopped the run with 'keep one of each
    # (df.loc[:, ~df.columns.duplicated()]) or rename the others', as if the file had two columns named ''.
    unnamed = [i for i, c in enumerate(df.columns) if not str(c).strip()]
    if unnamed:
        empty = [i for i in unnamed if df.iloc[:, i].astype("string").fillna("").str.strip().eq("").all()]
        df.columns = [f"column {i + 1} (no header)" if i in unnamed else c for i, c in enumerate(df.columns)]
        df = df.drop(columns=[df.columns[i] for i in empty])
    skipped = 1 if merged is not None or title is not None else _extra_header_rows(df) if what == "responses" else 0
    if skipped:
        df = df.iloc[skipped:].reset_index(drop=True)
    # Blank rows (an empty line, a row of separators ,,,, as Excel saves an empty row) are no respondents, and every
    # other row keeps its number. Why: pandas skipped an empty line, so every row under it was reported one row up,
    # and a ,,,, row was a respondent 'with no item answered on both E and P (rows 4 [])'.
    blank = _blank_rows(df)
    sheet_rows = (np.arange(len(df)) + 2 + skipped)[~blank]
    if blank.any():
        df = df[~blank].reset_index(drop=True)
    if df.empty:
        raise InputError(f"{path}: no data rows under the header; export the {what} again")
    df.attrs["source"] = str(path)
    df.attrs["header_rows_skipped"] = skipped
    df.attrs["merged_header"] = merged is not None
    df.attrs["title_row"] = title
    df.attrs["sheet_rows"] = sheet_rows.tolist()  # a list: pd.concat compares attrs
    return df


def _blank_rows(df: pd.DataFrame) -> np.ndarray:
    """Which rows hold nothing (NaN or blank text in every cell); column by column over the rows still blank, so
    a file without blank rows is done after its first full column (100,000 rows: milliseconds, not seconds)."""
    blank = np.ones(len(df), bool)
    for c in range(df.shape[1]):
        at = np.flatnonzero(blank)
        if not len(at):
            break
        col = df.iloc[at, c]
        empty = col.isna().to_numpy().copy()
        if not pd.api.types.is_numeric_dtype(col):  # text: blank when only spaces
            empty |= col.astype("string").str.strip().eq("").fillna(True).to_numpy(dtype=bool)
        blank[at] = empty
    return blank


def _title_row(header: list[str], second: list[str]) -> str | None:
    """The title of a sheet whose row 1 is a title (``2026年营业厅服务质量调查 数据导出``, alone in its first cell,
    often merged across) over the header in row 2, or None (:func:`~voiceofcustomer.io.readers.title_above_header`).
    Row 2 is the header when it names the columns: an ``E_``/``P_`` column, or a survey platform's 序号, 编号,
    提交答卷时间 …, a respondent id. Why: the title was read as a question merged over the header's cells
    (``2026年…—【期望】营业厅员工着装整齐``), and the run stopped saying no column matched the items' wording."""
    names = {c.lower() for c in (*META_COLUMNS, *ID_COLUMN_NAMES)}
    return title_above_header(header, second,
                              lambda row: any(_RATING_COLUMN.match(c) or c.lower() in names for c in row))


_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"')


_ANSWER_WORDS = frozenset(w for labels in SCALE_TEXTS.values() for w in labels) | NOT_APPLICABLE
_NUMBER_ANSWER = re.compile(r"^[-+]?\d+(?:\.\d+)?\s*分?$")


def _extra_header_rows(df: pd.DataFrame) -> int:
    """Rows under the header that are header too: a Qualtrics export puts the question text in
    row 2 and ``{"ImportId": …}`` in row 3; a legacy one only the question text. Read as answers
    they would be respondents with every cell an error."""
    for j in range(min(2, len(df))):
        if df.iloc[j].astype(str).str.match(_IMPORT_ID).any():
            return j + 1
    return 1 if len(df) and _question_text_row(df.iloc[0]) else 0


def _question_text_row(row: pd.Series) -> bool:
    """A row that holds the questions, not answers: every E_/P_ cell filled (at least 4), none an
    answer (a number, 非常同意 …, 不适用 …) and no two alike — a question per column, which no
    respondent's answers are."""
    cells = [row[c] for c in row.index if re.match(r"^[EP]_", str(c))]
    if len(cells) < 4 or any(pd.isna(v) for v in cells):
        return False
    texts = [str(v).strip() for v in cells]
    return (all(texts) and len(set(texts)) == len(texts)
            and not any(_NUMBER_ANSWER.match(t) or t in _ANSWER_WORDS or t.lower() in NOT_APPLICABLE for t in texts))


def read_codebook(path: str | Path, *, encoding: str | None = None) -> pd.DataFrame:
    """Read and check a codebook as ``voc survey`` writes it (see :func:`validate_codebook`)."""
    path = path_param(path, "path", "gap_analysis(responses, codebook=df) takes a codebook frame as it is")
    return validate_codebook(_read_frame(path, what="codebook", encoding=encoding, all_text=True))


def validate_codebook(codebook: pd.DataFrame) -> pd.DataFrame:
    """Check a codebook and bring it to canonical form.

    A wrong dimension or reverse flag would silently skew every number downstream, so
    anything unclear raises rather than being guessed.

    Args:
        codebook: Columns ``item_id`` and ``dimension`` (a taxonomy id such as ``tangibles``
            or its Chinese name 有形性), optional ``reverse`` (true/false, 1/0, yes/no, 是/否;
            blank is false), ``e_text`` and ``p_text``. ``attrs["source"]`` names it in errors.

    Returns:
        ``item_id`` (str), ``dimension`` (taxonomy id), ``reverse`` (bool), ``e_text``, ``p_text``.

    Raises:
        ColumnError: ``item_id`` or ``dimension`` is missing.
        InputError: An empty or duplicate item id, an unknown dimension or reverse flag, no items.
    """
    src = codebook.attrs.get("source", "codebook")
    cols = {str(c).strip().lower(): c for c in codebook.columns}
    for need in ("item_id", "dimension"):
        if need not in cols:
            raise ColumnError(f"{src}: no column {need!r}; a codebook needs item_id, dimension and reverse "
                              f"(as voc survey writes it); columns are: {', '.join(map(str, codebook.columns))}")
    if codebook.empty:
        raise InputError(f"{src}: the codebook lists no items")

    def text(name: str) -> list[str]:
        if name not in cols:
            return [""] * len(codebook)
        return ["" if pd.isna(v) else str(v).strip() for v in codebook[cols[name]]]

    ids, dims, revs = text("item_id"), text("dimension"), text("reverse")
    out_dims, out_revs, first_row = [], [], {}
    for i, (item, dim, rev) in enumerate(zip(ids, dims, revs)):
        where = f"{src}: row {i + 2}"
        if not item:
            raise InputError(f"{where}: empty item_id; give every item an id")
        if item in first_row:
            raise InputError(f"{where}: item_id {item!r} already used in row {first_row[item]}; "
                             "item ids must be unique")
        first_row[item] = i + 2
        canon = _DIMENSION_BY_NAME.get(dim.lower(), _DIMENSION_BY_NAME.get(dim))
        if canon is None:
            raise InputError(f"{where} (item {item}): unknown dimension {dim!r}; use one of "
                             f"{', '.join(SERVQUAL_DIMENSIONS)}")
        if rev.lower() not in _TRUE | _FALSE:
            raise InputError(f"{where} (item {item}): reverse must be true or false, not {rev!r}")
        out_dims.append(canon)
        out_revs.append(rev.lower() in _TRUE)
    out = pd.DataFrame({"item_id": ids, "dimension": out_dims, "reverse": out_revs,
                        "e_text": text("e_text"), "p_text": text("p_text")})
    out.attrs["source"] = src
    return out


def read_responses(path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read a response file (.csv, or a workbook: .xlsx, .xls, .xlsb, .ods; one row per respondent)
    for :func:`gap_analysis`.

    ``E_``/``P_``/``W_`` columns are parsed as numbers where they are clean; other columns
    stay text. The file name is kept in ``attrs["source"]`` for error messages.

    Raises:
        InputError: Missing, empty, undecodable or malformed file, or a duplicate column name.
    """
    path = path_param(path, "path", "gap_analysis(responses=df, codebook) takes a responses frame as it is")
    return _read_frame(path, what="responses", encoding=encoding, sheet=sheet)



#: The 问卷星 text import ``voc survey`` writes beside ``codebook.csv``: the option lists of its choice questions.
QUESTIONNAIRE_FILE = "questionnaire_wjx.txt"


def questionnaire_beside(codebook: pd.DataFrame | str | Path) -> Path | None:
    """The :data:`QUESTIONNAIRE_FILE` in the codebook file's folder (``voc survey`` writes them together),
    or None."""
    source = codebook.attrs.get("source") if isinstance(codebook, pd.DataFrame) else codebook
    if not source:
        return None
    path = Path(source).parent / QUESTIONNAIRE_FILE
    return path if path.is_file() else None


def read_questionnaire(path: str | Path, *, encoding: str | None = None) -> list:
    """The numbered questions of a 问卷星 text import as ``voc survey`` writes it (``questionnaire_wjx.txt``):
    :class:`~voiceofcustomer.items.survey.Question` s, a choice question's ``options`` in the order 问卷星
    numbers them (option 1 first), which reads a download by option numbers (按选项序号).

    Raises:
        InputError: missing, empty or undecodable file, or one with no numbered question.
    """
    from voiceofcustomer.items.survey import read_wjx_text

    path = Path(path)
    check_input_file(path)
    enc = encoding or detect_encoding(path)
    try:
        questions = read_wjx_text(path.read_text(encoding=enc))
    except UnicodeDecodeError:
        raise InputError(f"{path}: cannot decode as {enc}; give the questionnaire_wjx.txt voc survey wrote") from None
    if not questions:
        raise InputError(f"{path}: no numbered question ('1. 题干[单选题]'); give the {QUESTIONNAIRE_FILE} "
                         "voc survey wrote (its 问卷星 text import)")
    return questions

# -- cleaning ----------------------------------------------------------------------------------


def _numbers(col: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values (NaN where not usable), a mask of blank cells and a mask of text that is no number."""
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        values = col.to_numpy(dtype=float, na_value=np.nan, copy=True)
        return values, np.isnan(values), np.zeros(len(col), bool)
    s = col.astype("string").str.strip()
    values = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    blank = (s.isna() | (s == "")).to_numpy(dtype=bool)
    return values, blank, ~blank & np.isnan(values)


def _clean(df: pd.DataFrame, columns: list[str], low: float, high: float, what: str, problems: list,
           label: np.ndarray, row_of: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A float matrix of ``columns`` with invalid cells set to NaN and recorded in ``problems``.

    Returns the matrix, the blank mask and the invalid mask (both rows × columns).
    """
    mat = np.empty((len(df), len(columns)))
    blank = np.empty(mat.shape, bool)
    invalid = np.empty(mat.shape, bool)
    for j, c in enumerate(columns):
        values, blank[:, j], not_number = _numbers(df[c])
        out = ~np.isnan(values) & ((values < low) | (values > high))
        invalid[:, j] = not_number | out
        values[invalid[:, j]] = np.nan
        mat[:, j] = values
        for mask, reason in ((not_number, "not a number"), (out, f"{what} outside {low:g}–{high:g}")):
            rows = np.flatnonzero(mask)
            if len(rows):
                raw = df[c].iloc[rows]
                # A number parsed by pandas is shown as typed (9, not 9.0).
                shown = [f"{v:g}" if isinstance(v, (int, float, np.number)) else str(v) for v in raw]
                problems.append(pd.DataFrame({"row": row_of[rows], "respondent": label[rows], "column": c,
                                              "value": shown, "problem": reason}))
    return mat, blank, invalid


def _rows_shown(positions: np.ndarray, row_of: np.ndarray, label: np.ndarray | None, zh: bool = False) -> str:
    """'rows 5 [r4], 9 [r8] …' for a warning: spreadsheet rows (with the respondent ids when there are);
    ``zh``: '第 5 [r4]、9 [r8] … 行' for the page."""
    shown = ("、" if zh else ", ").join(f"{row_of[r]}" + (f" [{label[r]}]" if label is not None else "")
                                        for r in positions[:10])
    more = " …" if len(positions) > 10 else ""
    return f"第 {shown}{more} 行" if zh else f"rows {shown}{more}"


def _dims_zh(dims) -> str:
    """Dimension ids in the page's words (有形性、可靠性)."""
    return "、".join(ZH["servqual"].get(d, d) for d in dims)


def _weights(w: np.ndarray, w_blank: np.ndarray, w_invalid: np.ndarray, warn, row_of: np.ndarray,
             label: np.ndarray | None = None) -> np.ndarray:
    """Each respondent's importance shares (rows sum to 1; NaN rows are unusable)."""
    filled = np.where(w_blank, 0.0, w)
    total = filled.sum(axis=1)
    unusable = w_invalid.any(axis=1) | w_blank.all(axis=1) | (total <= 0)
    partial = ~unusable & w_blank.any(axis=1)
    rescaled = ~unusable & (np.abs(total - POINTS_TOTAL) > POINTS_TOLERANCE)
    if partial.any():
        warn("importance_partly_blank", partial.sum(), f"respondents who left some importance cells blank: "
             f"{partial.sum()} ({_rows_shown(np.flatnonzero(partial), row_of, label)}); a blank counts as 0 points",
             f"部分重要性分值留空的受访者 {partial.sum()} 人（{_rows_shown(np.flatnonzero(partial), row_of, label, True)}）；"
             "留空按 0 分计")
    if rescaled.any():
        at = np.flatnonzero(rescaled)
        sums = ", ".join(f"{total[r]:g}" for r in at[:10])
        warn("importance_rescaled", rescaled.sum(), f"respondents whose importance points do not sum to "
             f"{POINTS_TOTAL}: {rescaled.sum()} ({_rows_shown(at, row_of, label)}: sums {sums}); rescaled to "
             f"{POINTS_TOTAL}", f"重要性分值之和不等于 {POINTS_TOTAL} 的受访者 {rescaled.sum()} 人"
             f"（{_rows_shown(at, row_of, label, True)}：合计 {sums.replace(', ', '、')}）；已按比例换算为 {POINTS_TOTAL}")
    if unusable.any():
        warn("importance_unusable", unusable.sum(), f"respondents without usable importance points (all blank, "
             f"zero, or an invalid cell): {unusable.sum()} ({_rows_shown(np.flatnonzero(unusable), row_of, label)}); "
             "left out of the weighted SQ", f"没有可用重要性分值（全部留空、全为 0 或有无效分值）的受访者 {unusable.sum()} 人"
             f"（{_rows_shown(np.flatnonzero(unusable), row_of, label, True)}）；不计入加权 SQ")
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = filled / total[:, None]
    shares[unusable] = np.nan
    return shares


# -- tables ------------------------------------------------------------------------------------


@dataclass
class _Data:
    """Cleaned matrices (respondents × items / dimensions) shared by the overall and segment tables."""

    codebook: pd.DataFrame
    dims: list[str]
    E: np.ndarray
    P: np.ndarray
    G: np.ndarray  # per-respondent dimension gap
    GE: np.ndarray
    GP: np.ndarray
    shares: np.ndarray | None  # importance shares of the codebook's dimensions
    r_sq: np.ndarray
    r_sq_weighted: np.ndarray | None


def _respondent_scores(codebook: pd.DataFrame, dims: list[str], E: np.ndarray, P: np.ndarray,
                       shares: np.ndarray | None) -> _Data:
    """Per-respondent dimension gaps and SQ.

    A respondent's dimension gap averages the items they answered (both E and P), so
    one skipped item does not cost the whole dimension. The weighted SQ renormalises
    the importance shares over the dimensions the respondent has a gap for.
    """
    pair_ok = ~np.isnan(P - E)
    G, GE, GP = (np.empty((len(E), len(dims))) for _ in range(3))
    item_dims = codebook["dimension"].to_numpy()
    for j, dim in enumerate(dims):
        idx = item_dims == dim
        G[:, j] = row_mean((P - E)[:, idx])
        GE[:, j] = row_mean(np.where(pair_ok, E, np.nan)[:, idx])
        GP[:, j] = row_mean(np.where(pair_ok, P, np.nan)[:, idx])
    r_sq_weighted = None
    if shares is not None:
        has = ~np.isnan(G) & ~np.isnan(shares)
        weight = np.where(has, shares, 0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            r_sq_weighted = np.where(has, shares * G, 0).sum(axis=1) / weight
        r_sq_weighted[weight <= 0] = np.nan
    return _Data(codebook=codebook, dims=dims, E=E, P=P, G=G, GE=GE, GP=GP, shares=shares, r_sq=row_mean(G),
                 r_sq_weighted=r_sq_weighted)


def _item_table(d: _Data, rows) -> pd.DataFrame:
    E, P = d.E[rows], d.P[rows]
    diff = P - E
    ok = ~np.isnan(diff)
    n = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_e = np.where(ok, E, 0).sum(axis=0) / n
        mean_p = np.where(ok, P, 0).sum(axis=0) / n
    t = t_summary(diff)
    cb = d.codebook
    table = pd.DataFrame({"item_id": cb["item_id"], "dimension": cb["dimension"], "n": n, "mean_e": mean_e,
                          "mean_p": mean_p, "gap": t["mean"], "ci_low": t["ci_low"], "ci_high": t["ci_high"],
                          "p_value": t["p_value"], "reverse": cb["reverse"], "sd_gap": t["sd"], "t": t["t"],
                          "alpha_e_if_deleted": np.nan, "alpha_p_if_deleted": np.nan,
                          "r_item_rest_e": np.nan, "r_item_rest_p": np.nan, "test_note": t["reason"]})
    for dim in d.dims:
        idx = np.flatnonzero(cb["dimension"].to_numpy() == dim)
        table.loc[idx, "alpha_e_if_deleted"] = cronbach_alpha(E[:, idx])[1]
        table.loc[idx, "alpha_p_if_deleted"] = cronbach_alpha(P[:, idx])[1]
        table.loc[idx, "r_item_rest_e"] = item_rest_correlation(E[:, idx])
        table.loc[idx, "r_item_rest_p"] = item_rest_correlation(P[:, idx])
    return table


def _item_gap_mean(diff: np.ndarray) -> float:
    """The product spec's dimension score: the mean of its items' gaps (each item's mean P − E over the
    respondents who answered it; items without a gap left out). Equal to the mean over respondents of their
    dimension gap (``gap``) with complete data; not when some skipped an item (blank, 不适用)."""
    ok = ~np.isnan(diff)
    n = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        gaps = np.where(ok, diff, 0).sum(axis=0) / n
    return _nanmean(gaps)


def _dimension_table(d: _Data, rows) -> pd.DataFrame:
    G, E, P = d.G[rows], d.E[rows], d.P[rows]
    t = t_summary(G)
    out = []
    dims_of_items = d.codebook["dimension"].to_numpy()
    for j, dim in enumerate(d.dims):
        idx = np.flatnonzero(dims_of_items == dim)
        alpha_e, _, n_alpha_e = cronbach_alpha(E[:, idx])
        alpha_p, _, n_alpha_p = cronbach_alpha(P[:, idx])
        importance = np.nan
        if d.shares is not None:
            col = d.shares[rows, j]
            importance = np.nanmean(col) * POINTS_TOTAL if (~np.isnan(col)).any() else np.nan
        # the first five columns as before (scripts read them by position); the spec's figure next
        out.append({"dimension": dim, "gap": t["mean"][j], "alpha_e": alpha_e, "alpha_p": alpha_p,
                    "n_items": len(idx), "item_gap_mean": _item_gap_mean((P - E)[:, idx]), "n": int(t["n"][j]),
                    "mean_e": _nanmean(d.GE[rows, j]),
                    "mean_p": _nanmean(d.GP[rows, j]), "ci_low": t["ci_low"][j], "ci_high": t["ci_high"][j],
                    "n_alpha_e": n_alpha_e, "n_alpha_p": n_alpha_p, "importance": importance,
                    "test_note": t["reason"][j], "alpha_e_note": alpha_note(E[:, idx]),
                    "alpha_p_note": alpha_note(P[:, idx])})
    return pd.DataFrame(out)


def _nanmean(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    return float(x.mean()) if len(x) else np.nan


def _sq(d: _Data, dims: pd.DataFrame, rows) -> tuple[float, float | None]:
    sq = _nanmean(dims["gap"].to_numpy(dtype=float))
    return sq, (None if d.r_sq_weighted is None else _nanmean(d.r_sq_weighted[rows]))


def _sq_sum(items: pd.DataFrame) -> float:
    """The research plans' SQ = Σ(Pᵢ − Eᵢ) over the items (items without a gap left out)."""
    gaps = items["gap"].to_numpy(dtype=float)
    return float(np.nansum(gaps)) if (~np.isnan(gaps)).any() else np.nan


ALPHA_WARN_BELOW = 0.6


def _reliability_warnings(dims: pd.DataFrame, items: pd.DataFrame, warn) -> None:
    """Warn where a dimension's items do not hang together (α < 0.6, or an item against the rest)."""
    for r in dims.itertuples():
        low = [f"{form} α = {a:.2f}" for form, a in (("E", r.alpha_e), ("P", r.alpha_p))
               if np.isfinite(a) and a < ALPHA_WARN_BELOW]
        if low:
            warn("low_alpha", 1, f"dimension {r.dimension}: {', '.join(low)} (below {ALPHA_WARN_BELOW}); its items do "
                 "not measure one thing — check reverse-worded items and item wording before using its gap",
                 f"维度 {_dims_zh([r.dimension])}：{'，'.join(low)}（低于 {ALPHA_WARN_BELOW}）；其题目测的不是同一件事——"
                 "使用该维度的差距之前，请检查反向题和题目措辞")
    size = items.groupby("dimension", sort=False)["item_id"].transform("size")
    alpha = dims.set_index("dimension")[["alpha_e", "alpha_p"]]
    for r in items[size != 2].itertuples():
        # Why: any r that showed negative (−0.02 on one item of four, 30 respondents) was asked whether it is
        # reverse-worded, while a pair was asked only from −0.20; one rule now, REVERSE_R_WARN, for both
        sides = [(form, v, alpha.loc[r.dimension, f"alpha_{form.lower()}"], without)
                 for form, v, without in (("E", r.r_item_rest_e, r.alpha_e_if_deleted),
                                          ("P", r.r_item_rest_p, r.alpha_p_if_deleted)) if _runs_against(v)]
        if not sides:
            continue
        rises = [np.isfinite(a) and np.isfinite(w) and w > a for _, _, a, w in sides]
        neg = [f"{form} r = {v:.2f}" + (f", its {form} α {a:.2f} → {w:.2f} without it" if up else "")
               for (form, v, a, w), up in zip(sides, rises)]
        neg_zh = [f"{form} r = {v:.2f}" + (f"，删除该题后 {form} α 由 {a:.2f} 升至 {w:.2f}" if up else "")
                  for (form, v, a, w), up in zip(sides, rises)]
        # Why: an item marked reverse whose wording is not reversed was asked whether it is "reverse-worded
        # but not marked reverse" — the wrong way round; its answers, recoded, run against the rest.
        ask = ("it is marked reverse: is its wording really reversed, or is reverse set on the wrong item? "
               "If its wording is not reversed, set reverse to false for it in the codebook"
               if r.reverse else "is it reverse-worded but not marked reverse? If so, set reverse to true for it "
               "in the codebook; if not, read its wording beside the dimension's other items")
        ask_zh = ("它已标为反向题：措辞确实是反向的吗，还是反向标错了题？如措辞不是反向的，请在编码表中把它的 reverse 改为 false"
                  if r.reverse else "它是不是反向措辞、却没有标为反向题？如是，请在编码表中把它的 reverse 改为 true；"
                  "如不是，请对照同维度其他题目核对它的措辞")
        warn("negative_item_rest", 1, f"item {r.item_id} ({r.dimension}) correlates negatively with the rest of "
             f"its dimension (corrected item–total {'; '.join(neg)}; -{REVERSE_R_WARN:.2f} or lower); {ask}",
             f"题目 {r.item_id}（{_dims_zh([r.dimension])}）与同维度其余题目负相关（校正后题总相关 {'；'.join(neg_zh)}；"
             f"不高于 -{REVERSE_R_WARN:.2f}）；{ask_zh}")
    for dim, pair in items[size == 2].groupby("dimension", sort=False):
        _negative_pair_warning(dim, pair, warn)


#: An item is warned of as running against its dimension (reverse-keyed but not marked, or marked but not
#: reversed) when its corrected item–total correlation — r with the sum of the dimension's other items, SPSS's
#: "Corrected Item-Total Correlation" — is −0.20 or lower (to two decimals, as the warning shows it); in a
#: dimension of two items that r is the two items' correlation. Survey practice asks an item to correlate at
#: least 0.20 with the rest of its scale (Streiner, Norman & Cairney, *Health Measurement Scales*, 5th ed., 2015,
#: on item-total correlation; Kline's 0.30 is stricter) and reads a negative one as an item to reverse before
#: scoring (Field, *Discovering Statistics Using SPSS*, reliability analysis). −0.20 is that floor turned round:
#: an item that far below zero runs against the rest. A weaker negative r is noise on a survey's sample (its
#: standard error is about 1/√n, 0.18 with 30 respondents) and says nothing of reverse keying: until 7 Dec 2026
#: an item of a dimension of three or more was warned of down to r = −0.01, a pair only from −0.20.
REVERSE_R_WARN = 0.2


def _runs_against(r: float) -> bool:
    """Whether a corrected item–total r says the item runs against its dimension (:data:`REVERSE_R_WARN`)."""
    return bool(np.isfinite(r) and round(r, 2) <= -REVERSE_R_WARN)


def _negative_pair_warning(dim: str, pair: pd.DataFrame, warn) -> None:
    """One warning for a dimension of two items that run against each other. Why: each item's item–rest r is then
    the correlation of the two — the same number for both — so both were warned of, each asked whether *it* was
    reverse-worded, which that r cannot tell; and at r = −0.02, no correlation at all."""
    a, b = pair.itertuples()
    neg = [f"{form} r = {v:.2f}" for form, v in (("E", a.r_item_rest_e), ("P", a.r_item_rest_p))
           if _runs_against(v)]
    if not neg:
        return
    marked = [r.item_id for r in (a, b) if r.reverse]
    if len(marked) == 1:
        ask = f"{marked[0]} is marked reverse: is that the item whose wording is reversed?"
        ask_zh = f"{marked[0]} 已标为反向题：措辞反向的是它吗？"
    elif marked:
        ask = "both are marked reverse: is one of them not reverse-worded?"
        ask_zh = "两道题都标为反向题：是否有一道的措辞其实不是反向的？"
    else:
        ask = "is one of them reverse-worded but not marked reverse?"
        ask_zh = "是否有一道是反向措辞、却没有标为反向题？"
    warn("negative_item_rest", 1, f"items {a.item_id} and {b.item_id} ({dim}) correlate negatively with each "
         f"other ({', '.join(neg)}); with two items in the dimension this cannot tell which of them is reversed — "
         f"read both: {ask}",
         f"题目 {a.item_id} 与 {b.item_id}（{_dims_zh([dim])}）负相关（{'，'.join(neg)}）；维度只有这两道题，"
         f"相关系数说明不了是哪一道反向——请把两道题都读一遍：{ask_zh}")


_REASON_EN = {NO_VARIANCE: "no variance: every respondent's gap P − E is the same",
              TOO_FEW: "fewer than 2 respondents answered both its E and P"}
_REASON_ZH = {NO_VARIANCE: "无差异：所有受访者的差距 P − E 都相同", TOO_FEW: "同时回答期望和感知的受访者不足 2 人"}


def _undefined_test_warnings(items: pd.DataFrame, dims: pd.DataFrame, warn) -> None:
    """Say where the paired t-test is undefined (t, p and the interval left empty) and why: with every
    respondent's gap the same, t = mean / 0 was reported as −inf with p = 0 (two respondents, found in a
    survey-analyst QA pass). Items nobody answered are said by ``items_without_answers``."""
    for reason in (NO_VARIANCE, TOO_FEW):
        its = items.loc[(items["test_note"] == reason) & (items["n"] > 0), "item_id"].tolist()
        ds = dims.loc[dims["test_note"] == reason, "dimension"].tolist()
        if not its and not ds:
            continue
        en = ", ".join(its + [f"dimension {x}" for x in ds])
        zh = "、".join(its + [f"维度 {_dims_zh([x])}" for x in ds])
        warn("test_undefined", len(its) + len(ds), f"paired t-test undefined, t, p and the 95% interval left empty "
             f"(the gap is shown): {en} — {_REASON_EN[reason]}",
             f"配对 t 检验无法进行，t 值、p 值和 95% 置信区间留空（差距照常列出）：{zh}——{_REASON_ZH[reason]}")


def _alpha_warnings(dims: pd.DataFrame, d: "_Data", rows, warn) -> None:
    """Say where Cronbach's α is undefined (left empty), rests on too few respondents to mean anything (fewer
    than :data:`~voiceofcustomer.gap.stats.ALPHA_MIN_N` answering every item of the dimension), or counts an
    item that nobody answered differently (which lowers α: of two items, one of them constant, α is 0)."""
    item_ids = d.codebook["item_id"].to_numpy()
    item_dims = d.codebook["dimension"].to_numpy()
    for r in dims.itertuples():
        name_zh = _dims_zh([r.dimension])
        sides = (("E", "期望", r.alpha_e_note, r.n_alpha_e, r.alpha_e, d.E),
                 ("P", "感知", r.alpha_p_note, r.n_alpha_p, r.alpha_p, d.P))
        few = [(form, form_zh, n, a) for form, form_zh, note, n, a, _ in sides if FEW_FOR_ALPHA in note.split("; ")]
        if few:
            en = ", ".join(f"{form} {a:.2f} of {n}" for form, _, n, a in few)
            zh = "，".join(f"{form_zh} {a:.2f}，{n} 人" for _, form_zh, n, a in few)
            warn("alpha_few_respondents", max(n for *_, n, _ in few), f"Cronbach's α of {r.dimension} ({en} "
                 f"respondents who answered all its items) rests on fewer than {ALPHA_MIN_N} respondents: too few "
                 "for α to say whether its items measure one thing; do not compare it with 0.6",
                 f"维度 {name_zh} 的 Cronbach's α（{zh}：回答了其全部题目的受访者）不足 {ALPHA_MIN_N} 人：α 说明不了"
                 "这些题目是否测量同一件事，不宜与 0.6 比较")
        for form, form_zh, note, n, a, x in sides:
            parts = note.split("; ") if note else []
            if NO_VARIANCE in parts:
                warn("alpha_undefined", 1, f"Cronbach's α of {r.dimension} ({form}) is undefined, left empty: every "
                     "respondent gave the same answer to each of its items (no variance)",
                     f"维度 {name_zh}（{form_zh}）的 Cronbach's α 无法计算，留空：所有受访者对其每道题的回答都相同（无差异）")
            if ITEM_WITHOUT_VARIANCE in parts:
                idx = np.flatnonzero(item_dims == r.dimension)
                block = x[rows][:, idx]
                block = block[~np.isnan(block).any(axis=1)]
                flat = [str(item_ids[i]) for i, v in zip(idx, block.var(axis=0, ddof=1)) if v <= 0]
                warn("item_without_variance", len(flat), f"{', '.join(flat)} ({form}) of {r.dimension}: every "
                     "respondent gave the same answer; α counts it as an item but it adds no variance, which lowers α "
                     "(of two items, one of them constant, α is 0)",
                     f"维度 {name_zh} 的 {'、'.join(flat)}（{form_zh}）：所有受访者的回答都相同；α 把它算作一道题，"
                     "它却没有任何差异，使 α 偏低（两道题中一道无差异时 α 为 0）")


def _segment_small_warnings(by: str, dims: pd.DataFrame, sqs: list[dict], warn) -> None:
    """Per ``--by`` column: the segments whose Cronbach's α rests on fewer than ``ALPHA_MIN_N`` respondents
    (a store's α of 3 respondents was shown beside the others without a word), and those (of two or more
    respondents) where a dimension's paired t-test is undefined."""
    few = dims[dims["alpha_e_note"].str.contains(FEW_FOR_ALPHA) | dims["alpha_p_note"].str.contains(FEW_FOR_ALPHA)]
    if len(few):
        n = few.groupby("segment", sort=False)[["n_alpha_e", "n_alpha_p"]].max().max(axis=1)
        shown = [f"{s} ({k})" for s, k in n.items()]
        shown_zh = [f"{s}（{k} 人）" for s, k in n.items()]
        more = " …" if len(n) > 10 else ""
        warn("segment_alpha_few_respondents", len(n), f"segments of {by} whose Cronbach's α rests on fewer than "
             f"{ALPHA_MIN_N} respondents answering all of a dimension's items: {len(n)} ({', '.join(shown[:10])}{more}); "
             "their α is shown but says nothing about whether the items hang together there — do not compare "
             "segments by it", f"{by} 中 Cronbach's α 所基于的受访者（回答了某维度全部题目）不足 {ALPHA_MIN_N} 人的分组 "
             f"{len(n)} 个：{'、'.join(shown_zh[:10])}{more}；这些分组的 α 照常列出，但说明不了题目在该组是否一致，"
             "不宜据此比较各组")
    big = {s["segment"] for s in sqs if s["n_respondents"] >= 2}  # fewer: segment_too_small says so
    flat = dims[dims["segment"].isin(big) & (dims["test_note"] != "")]
    if len(flat):
        per = flat.groupby("segment", sort=False)["dimension"].agg(list)
        en = "; ".join(f"{s}: {', '.join(x)}" for s, x in list(per.items())[:10])
        zh = "；".join(f"{s}：{_dims_zh(x)}" for s, x in list(per.items())[:10])
        more = " …" if len(per) > 10 else ""
        warn("segment_test_undefined", len(flat), f"segments of {by} where the paired t-test of a dimension's gap is "
             f"undefined (no variance: every respondent's gap the same; t, p and the interval left empty): {en}{more}",
             f"{by} 中维度差距的配对 t 检验无法进行的分组（无差异：所有受访者的差距都相同；t 值、p 值和置信区间留空）："
             f"{zh}{more}")


def _segment_codes(by: str, seg: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Each respondent's segment as an integer code, and the segments in the order the tables list them: a profile
    question of the survey's (年龄段, 使用年限 …) in its options' order, other values after them by name; any other
    column by name (until 8 Dec 2026 by name always: 18-24岁 came before 18岁以下, 10年以上 before 1年至3年)."""
    from voiceofcustomer.items.survey import profile_options

    options = profile_options().get(by)
    codes, names = pd.factorize(seg, sort=True)
    if not options:
        return codes, names
    rank = {o: i for i, o in enumerate(options)}
    order = sorted(range(len(names)), key=lambda i: (rank.get(names[i], len(rank)), i))
    recode = np.empty(len(names), dtype=codes.dtype)
    recode[order] = np.arange(len(names))
    return recode[codes], names[order]


def _segment_tables(d: _Data, by: str, seg: np.ndarray, warn) -> SegmentTables:
    # Integer codes: grouping 10⁵ strings once per score would cost more than the statistics.
    codes, names = _segment_codes(by, seg)
    scores = {dim: d.G[:, j] for j, dim in enumerate(d.dims)} | {"overall": d.r_sq}
    p_rest = {scope: vs_rest(x, codes) for scope, x in scores.items()}
    items, dims, sqs = [], [], []
    order = np.argsort(codes, kind="stable")
    for code, rows in enumerate(np.split(order, np.cumsum(np.bincount(codes, minlength=len(names)))[:-1])):
        value = names[code]
        it, dm = _item_table(d, rows), _dimension_table(d, rows)
        dm["p_vs_rest"] = [p_rest[dim].get(code, np.nan) for dim in dm["dimension"]]
        sq, sq_w = _sq(d, dm, rows)
        items.append(it.assign(segment=value))
        dims.append(dm.assign(segment=value))
        sqs.append({"segment": value, "n_respondents": len(rows), "sq": sq, "sq_sum": _sq_sum(it),
                    "sq_weighted": sq_w,
                    "p_vs_rest": p_rest["overall"].get(code, np.nan)})
    tests = group_tests(scores, codes)
    _segment_small_warnings(by, pd.concat(dims, ignore_index=True), sqs, warn)
    small = [s["segment"] for s in sqs if s["n_respondents"] < 2]
    if small:
        warn("segment_too_small", len(small), f"segments of {by} with fewer than 2 respondents, left out of "
             f"the segment tests: {len(small)} ({', '.join(small[:10])}{' …' if len(small) > 10 else ''})",
             f"{by} 中受访者不足 2 人的分组 {len(small)} 个，未参加组间差异检验："
             f"{'、'.join(small[:10])}{' …' if len(small) > 10 else ''}")

    def lead(df: pd.DataFrame, first: str) -> pd.DataFrame:
        return df[[first] + [c for c in df.columns if c != first]]

    return SegmentTables(by=by, items=lead(pd.concat(items, ignore_index=True), "segment"),
                         dimensions=lead(pd.concat(dims, ignore_index=True), "segment"), sq=pd.DataFrame(sqs),
                         tests=lead(tests.drop(columns="n_segments_excluded").assign(by=by), "by"))


# -- the analysis ------------------------------------------------------------------------------


def _by_columns(by) -> list[str]:
    if by is None:
        return []
    parts = [by] if isinstance(by, str) else list(by)
    return [c.strip() for p in parts for c in str(p).split(",") if c.strip()]


def _require(columns: list[str], wanted: list[str], src: str, why: str, params: tuple[str, ...] = ()) -> None:
    missing = [c for c in wanted if c not in columns]
    if missing:
        shown = ", ".join(missing[:8]) + (f" … ({len(missing)} in all)" if len(missing) > 8 else "")
        raise ColumnError(f"{src}: missing column{'s' if len(missing) > 1 else ''} {shown}; {why}; "
                          f"columns are: {', '.join(columns[:30])}{' …' if len(columns) > 30 else ''}", params=params)


def _require_item_columns(columns: list[str], items: list[str], src: str) -> None:
    """Every codebook item needs its E_ and P_ column. When one is missing, the file's E_/P_ columns that no
    item has are named with the missing column each most likely is (a header typed by hand, ``P_IB059`` for
    ``P_IB095``): the list of the file's columns stops after 30 and never reached them."""
    wanted = [f"{k}_{i}" for i in items for k in "EP"]
    missing = [c for c in wanted if c not in columns]
    if not missing:
        return
    known = set(wanted)
    stray = [c for c in columns if re.match(r"^[EPep]\s*[_\-]", str(c)) and c not in known]
    if not stray:
        _require(columns, wanted, src, "every codebook item needs an E_<item_id> and a P_<item_id> column (the ratings)")
    import difflib

    fold = lambda c: re.sub(r"\s+", "", str(c)).replace("-", "_").upper()  # noqa: E731
    guesses = []
    for c in stray:  # the missing column of the same side (E or P) it is closest to
        side = {fold(m): m for m in missing if m[0] == fold(c)[0]}
        best = difflib.get_close_matches(fold(c), list(side), n=1, cutoff=0.6)
        guess = side[best[0]] if best else None
        guesses.append(f"{c} (is it {guess}?)" if guess else c)
    shown_missing = ", ".join(missing[:8]) + (f" … ({len(missing)} in all)" if len(missing) > 8 else "")
    shown_stray = ", ".join(guesses[:8]) + (f" … ({len(stray)} in all)" if len(stray) > 8 else "")
    raise ColumnError(f"{src}: missing column{'s' if len(missing) > 1 else ''} {shown_missing}; every codebook item "
                      f"needs an E_<item_id> and a P_<item_id> column (the ratings); the file has "
                      f"{'E_/P_ columns' if len(stray) > 1 else 'an E_/P_ column'} no codebook item has: "
                      f"{shown_stray} — rename "
                      f"{'them' if len(stray) > 1 else 'it'} to the codebook's item ids, or give the codebook of "
                      "this survey")


def _require_platform_items(columns: list[str], codebook: pd.DataFrame, platform: dict, src: str) -> None:
    """A platform export's headers are the questionnaire's wording: name the item wording no header matched
    and the headers that matched nothing (a statement reworded on the platform after the import is the usual
    cause), not the E_/P_ names the file never had."""
    wording = {f"{k}_{r.item_id}": getattr(r, f"{k.lower()}_text") for r in codebook.itertuples() for k in "EP"}
    missing = [c for c in wording if c not in columns]
    if not missing:
        return
    shown = "; ".join(f"{c} {wording[c]!r}" for c in missing[:4]) + (f" … ({len(missing)} in all)"
                                                                    if len(missing) > 4 else "")
    loose = platform["unmapped"]
    others = (f"export columns that match no item: {', '.join(map(repr, loose[:6]))}{' …' if len(loose) > 6 else ''}"
              if loose else "no export column is left unmatched")
    raise ColumnError(f"{src}: no column of this survey-platform export matches the wording of {shown}; {others}. "
                      "Give the codebook of the questionnaire that was fielded, or rename the item's column to its "
                      "E_/P_ name")



_OPTION_NUMBER = re.compile(r"^\d{1,3}$")


def _option_numbers(responses: pd.DataFrame, col: str) -> pd.Series | None:
    """The column's values as text when every filled one is an option number (1, 2, 3 …; 问卷星's -3 for a
    skipped question aside), else None."""
    values = responses[col].astype("string").str.strip().fillna("")
    filled = values[(values != "") & ~values.isin(SKIPPED)]
    return values if len(filled) and filled.str.fullmatch(_OPTION_NUMBER.pattern).all() else None


def _numbered_choices(responses: pd.DataFrame, by_cols: list[str], platform: dict | None) -> dict[str, pd.Series]:
    """The ``--by`` columns that are a choice question ``voc survey`` asks (营业厅 and the profile) and hold only
    option numbers: column → its values as text. In a platform export the question is matched by its wording;
    in a file renamed to the ``responses_template.csv`` header (E_…/P_…) it is the template's column name
    (营业厅, 客户类型 …), where a download by option numbers keeps its 1, 2, 3 (until 7 Dec 2026 only a
    platform export's numbers were read, and a renamed file's stores were reported as 1, 2 and 3)."""
    from voiceofcustomer.items.survey import profile_questions

    asked = profile_questions()
    matched = set(platform["mapping"].values()) if platform is not None else set(asked)
    out = {}
    for col in by_cols:
        if col not in asked or col not in matched:
            continue
        values = _option_numbers(responses, col)
        if values is not None:
            out[col] = values
    return out


def _numbered_store_hint(responses: pd.DataFrame, by_cols: list[str], numbered: dict, questions: dict,
                         path: Path | None, warn) -> None:
    """A ``--by`` column of another name (门店编号) holding only numbers that the questionnaire's store question
    has options for: stores can be numbered, so the numbers are kept, and a warning says how to read them as
    the store question's options if that is what they are."""
    from voiceofcustomer.items.survey import STORE_COLUMN, profile_questions

    q = questions.get(wording_key(profile_questions()[STORE_COLUMN]))
    if q is None or not q.options:
        return
    for col in by_cols:
        if col in numbered or col in profile_questions():
            continue
        values = _option_numbers(responses, col)
        if values is None:
            continue
        numbers = sorted(set(values) - {""} - SKIPPED, key=int)
        if int(numbers[0]) < 1 or int(numbers[-1]) > len(q.options):
            continue
        shown = ", ".join(numbers[:5]) + (" …" if len(numbers) > 5 else "")
        warn("numbered_segments", 1,
             f"--by {col}: its values ({shown}) are numbers, kept as they are; question {q.number} of {path} asks "
             f"the store with {len(q.options)} options (1 = {q.options[0]}"
             f"{f' … {len(q.options)} = {q.options[-1]}' if len(q.options) > 1 else ''}): if these are its option "
             f"numbers (a 问卷星 download by 按选项序号), name the column {STORE_COLUMN} (as responses_template.csv "
             "does) to have them read as store names",
             f"--by {col}：取值（{shown.replace(', ', '、')}）是数字，按原样保留；{path} 第 {q.number} 题询问营业厅，共 "
             f"{len(q.options)} 个选项（1 = {q.options[0]}"
             f"{f' … {len(q.options)} = {q.options[-1]}' if len(q.options) > 1 else ''}）：如果这些是该题的选项序号"
             f"（问卷星按选项序号下载），请把该列命名为 {STORE_COLUMN}（与 responses_template.csv 一致），即按营业厅名称读取")


def _check_questionnaire(questions: list, codebook: pd.DataFrame, path: Path) -> None:
    """A questionnaire whose statements are not the codebook's (another survey's) would give the wrong names."""
    rows = {wording_key(r) for q in questions for r in q.rows}
    for r in codebook.itertuples():
        if wording_key(r.e_text) not in rows:
            raise DataQualityError(
                f"{path}: is not the questionnaire of the codebook {codebook.attrs.get('source', '')}: item "
                f"{r.item_id}'s wording {r.e_text!r} is not in it; give the {QUESTIONNAIRE_FILE} voc survey wrote "
                "with this codebook (questionnaire=)", params=("questionnaire",))


def _option_names(responses: pd.DataFrame, by_cols: list[str], platform: dict | None, codebook: pd.DataFrame,
                  questionnaire: str | Path | None, src: str, warn) -> tuple[pd.DataFrame, str | None]:
    """A 问卷星 download by option numbers (按选项序号) gives the store question 1, 2, 3, and ``--by 营业厅``
    segments named 1, 2, 3: such a ``--by`` question's numbers become its options' text, read from the
    questionnaire ``voc survey`` wrote (``questionnaire`` or :func:`questionnaire_beside` the codebook), and
    without one a warning says how to get the names. ``(responses, the questionnaire read or None)``."""
    if questionnaire is not None:  # a mistyped path is said whether or not a question needs it
        check_input_file(Path(questionnaire))
    numbered = _numbered_choices(responses, by_cols, platform)
    others = [c for c in by_cols if c not in numbered and _option_numbers(responses, c) is not None]
    if not numbered and not others:
        return responses, None
    from voiceofcustomer.items.survey import STORE_COLUMN, profile_questions

    path = Path(questionnaire) if questionnaire is not None else questionnaire_beside(codebook)
    questions = {}
    if path is not None:
        try:
            found = read_questionnaire(path)
            _check_questionnaire(found, codebook, path)
        except (InputError, DataQualityError):
            if numbered or questionnaire is not None:  # its options would name the segments, or it was given
                raise
            found = []  # for a hint only, a questionnaire beside the codebook that is not its own says nothing
        questions = {wording_key(q.text): q for q in found}
    _numbered_store_hint(responses, others, numbered, questions, path, warn)
    if not numbered:
        return responses, None
    responses = responses.copy()
    for col, values in numbered.items():
        q = questions.get(wording_key(profile_questions()[col]))
        if q is not None and q.kind == "填空题":
            continue  # a fill-in: the numbers are what respondents typed
        numbers = sorted(set(values) - {""} - SKIPPED, key=int)
        shown = ", ".join(numbers[:5]) + (" …" if len(numbers) > 5 else "")
        if q is None or not q.options:
            what = "store names" if col == STORE_COLUMN else "the options' text"
            where = (f"{path} has no choice question {profile_questions()[col]!r}" if path is not None
                     else f"no {QUESTIONNAIRE_FILE} beside the codebook")
            what_zh = "营业厅名称" if col == STORE_COLUMN else "选项文字"
            where_zh = (f"{path} 中没有选择题“{profile_questions()[col]}”" if path is not None
                        else f"编码表旁边没有 {QUESTIONNAIRE_FILE}")
            warn("option_numbers", 1, f"--by {col}: its values ({shown}) look like option numbers (a 问卷星 download "
                 f"by 按选项序号), not {what}, and {where}; download the answers by option text (按选项文本), or give "
                 f"--questionnaire {QUESTIONNAIRE_FILE} (voc survey wrote it beside codebook.csv)",
                 f"--by {col}：取值（{shown.replace(', ', '、')}）像是选项序号（问卷星按选项序号下载），不是{what_zh}，"
                 f"而{where_zh}；请按选项文本下载答卷，或给出 --questionnaire {QUESTIONNAIRE_FILE}"
                 "（voc survey 把它写在 codebook.csv 旁边）")
            continue
        beyond = sorted({v for v in values if _OPTION_NUMBER.match(v) and not 1 <= int(v) <= len(q.options)}, key=int)
        if beyond:
            raise DataQualityError(
                f"{src}: {col} holds option {beyond[0]}, but question {q.number} of {path} ({q.text}) has "
                f"{len(q.options)} options; give the {QUESTIONNAIRE_FILE} of the survey that was fielded "
                "(questionnaire=), or download the answers by option text (按选项文本)", params=("questionnaire",))
        responses[col] = values.map(lambda v: q.options[int(v) - 1] if _OPTION_NUMBER.match(v) else
                                    "" if v in SKIPPED else v)
        warn("option_numbers_read", int(values.str.match(_OPTION_NUMBER.pattern).sum()),
             f"--by {col}: option numbers read as the options of question {q.number} of {path} "
             f"(1 = {q.options[0]}{f' … {len(q.options)} = {q.options[-1]}' if len(q.options) > 1 else ''})",
             f"--by {col}：选项序号已按 {path} 第 {q.number} 题的选项换成选项文字"
             f"（1 = {q.options[0]}{f' … {len(q.options)} = {q.options[-1]}' if len(q.options) > 1 else ''}）")
    return responses, str(path) if path is not None else None

class _Warnings(list):
    """The summary's warnings, in the order the steps raise them."""

    def __call__(self, kind: str, count, message: str, message_zh: str | None = None) -> None:
        """``message`` in English (the CLI prints it), ``message_zh`` the same in Chinese (the report page
        shows it; until 7 Dec 2026 the page showed the English after its Chinese title)."""
        self.append({"kind": kind, "count": int(count), "message": message, "message_zh": message_zh or message})


@dataclass
class _Inputs:
    """Checked inputs: the responses (platform export mapped), codebook and columns to use."""

    responses: pd.DataFrame
    codebook: pd.DataFrame
    src: str
    items: list[str]
    dims: list[str]  # dimensions of the codebook, in taxonomy order
    w_present: list[str]  # dimensions with a W_ column
    by_cols: list[str]
    id_col: str | None
    platform: dict | None
    row0: int = 2  # spreadsheet row of the first respondent (header = row 1, plus skipped header rows)
    rows: np.ndarray | None = None  # the spreadsheet row of each respondent (blank rows above it skipped)
    questionnaire: str | None = None  # the questionnaire a --by question's option numbers were read with
    merged_header: bool = False  # rows 1–2 are one header (a question merged over its statements)
    title_row: str | None = None  # row 1 is this title, the header row 2


def _check_inputs(responses: pd.DataFrame, codebook: pd.DataFrame, *, by, id_col: str | None,
                  warn: _Warnings, questionnaire: str | Path | None = None) -> _Inputs:
    """Validate the codebook, map a platform export, and check every column the analysis needs."""
    responses = table_param(responses, "responses", "read_responses(path)")
    codebook = table_param(codebook, "codebook", "read_codebook(path)")
    src = responses.attrs.get("source", "responses")
    row0 = 2 + int(responses.attrs.get("header_rows_skipped", 0) or 0)
    rows = responses.attrs.get("sheet_rows")
    rows = (np.asarray(rows, dtype=int) if rows is not None and len(rows) == len(responses)
            else np.arange(len(responses)) + row0)
    codebook = validate_codebook(codebook)
    responses = responses.rename(columns=lambda c: str(c).strip())
    platform = None
    if looks_like_platform_export(responses.columns):
        from voiceofcustomer.items.survey import profile_questions

        responses, platform = map_platform_export(responses, codebook, profile_questions())
    columns = list(responses.columns)
    if responses.empty:
        raise DataQualityError(f"{src}: no responses to analyse")
    items = codebook["item_id"].tolist()
    if platform is not None:
        _require_platform_items(columns, codebook, platform, src)
    _require_item_columns(columns, items, src)
    by_cols = _by_columns(by)
    if platform is not None:  # --by may name a question by the export's own header
        by_cols = [platform["mapping"].get(c, c) for c in by_cols]
        platform["unmapped"] = [c for c in platform["unmapped"] if c not in by_cols]
    _require(columns, by_cols, src, "by= names segment columns of the responses", params=("by",))
    responses, questionnaire_read = _option_names(responses, by_cols, platform, codebook, questionnaire, src, warn)
    if id_col is not None:
        _require(columns, [id_col], src, "id_col= names the respondent id column", params=("id_col",))
    else:
        id_col = next((c for name in ID_COLUMN_NAMES for c in columns if c.lower() == name), None)
    if platform is not None and id_col is not None:  # Why: 腾讯问卷's 编号 names the respondents, yet was said
        platform["unmapped"] = [c for c in platform["unmapped"] if c != str(id_col).strip()]  # "ignored"
    dims = [d for d in SERVQUAL_DIMENSIONS if d in set(codebook["dimension"])]
    w_present = [d for d in SERVQUAL_DIMENSIONS if f"W_{d}" in columns]
    if w_present:
        _require(columns, [f"W_{d}" for d in dims], src, "importance points need a W_<dimension> column for "
                 "every dimension of the codebook (or no W_ columns at all)")
    if platform is not None:
        warn("platform_export", len(platform["mapping"]), f"survey-platform export: {len(platform['mapping'])} "
             "columns matched to the codebook by their wording (see column_mapping in summary.json)",
             f"问卷平台导出文件：{len(platform['mapping'])} 列已按题目文字对应到编码表（见 summary.json 的 column_mapping）")
        if platform["unmapped"]:
            shown = ", ".join(platform["unmapped"][:8]) + (" …" if len(platform["unmapped"]) > 8 else "")
            warn("unmapped_columns", len(platform["unmapped"]), f"export columns not matched to the codebook, "
                 f"ignored: {shown}", f"未对应到编码表的导出列，已忽略：{shown.replace(', ', '、')}")
    return _Inputs(responses=responses, codebook=codebook, src=src, items=items, dims=dims, w_present=w_present,
                   by_cols=by_cols, id_col=id_col, platform=platform, row0=row0, rows=rows,
                   questionnaire=questionnaire_read,
                   merged_header=bool(responses.attrs.get("merged_header")),
                   title_row=responses.attrs.get("title_row"))


@dataclass
class _Ratings:
    """Clean E and P matrices (respondents × items, reverse items recoded) and their masks."""

    E: np.ndarray
    P: np.ndarray
    blank: np.ndarray  # E or P blank, per cell (不适用 answers not included)
    n_blank: int
    n_not_applicable: int
    straight: np.ndarray  # per respondent: one answer down the whole E and the whole P matrix




def _ratings(inp: _Inputs, label: np.ndarray, problems: list, warn: _Warnings, scale: int,
             drop_straight: bool = False) -> _Ratings:
    """E/P answers as numbers: option text (非常同意 …) read on the survey's scale, 不适用 and the
    like missing, invalid cells missing too (listed in ``problems``); reverse items are recoded
    (scale + 1) − x so that higher is better everywhere."""
    columns = [f"{k}_{i}" for k in "EP" for i in inp.items]
    answers, not_applicable = {}, np.zeros((len(inp.responses), len(columns)), bool)
    for j, c in enumerate(columns):
        answers[c], not_applicable[:, j] = scale_numbers(inp.responses[c], scale)
    answers = pd.DataFrame(answers, index=inp.responses.index)
    k = len(inp.items)
    E, e_blank, e_bad = _clean(answers, columns[:k], SCALE_MIN, scale, "rating", problems, label, inp.rows)
    P, p_blank, p_bad = _clean(answers, columns[k:], SCALE_MIN, scale, "rating", problems, label, inp.rows)
    n_bad = int(e_bad.sum() + p_bad.sum())
    if n_bad:
        warn("invalid_ratings", n_bad, f"E/P answers outside {SCALE_MIN}–{scale} or not a number: {n_bad} "
             f"(in {plural(int((e_bad | p_bad).any(axis=1).sum()), 'respondent')}); treated as missing, listed in problems",
             f"超出 {SCALE_MIN}–{scale} 或不是数字的期望/感知答案 {n_bad} 个（涉及 {(e_bad | p_bad).any(axis=1).sum()} "
             "名受访者）；按缺失处理，列于 problems")
    n_na = int(not_applicable.sum())
    if n_na:
        warn("not_applicable_answers", n_na, f"E/P answers of 不适用/不清楚 (no opinion): {n_na} (in "
             f"{plural(int(not_applicable.any(axis=1).sum()), 'respondent')}); treated as missing answers",
             f"“不适用/不清楚”（无意见）的期望/感知答案 {n_na} 个（涉及 {not_applicable.any(axis=1).sum()} 名受访者）；"
             "按缺失处理")
    _scale_hint(np.concatenate([E, P], axis=1), scale, warn)
    # on the answers as given: reverse-coding would hide a straight line
    straight = _straight_lining(E, P, warn, inp.rows, label if inp.id_col else None, drop=drop_straight)
    rev = inp.codebook["reverse"].to_numpy()
    E[:, rev] = SCALE_MIN + scale - E[:, rev]
    P[:, rev] = SCALE_MIN + scale - P[:, rev]
    blank = (e_blank | p_blank) & ~(not_applicable[:, :k] | not_applicable[:, k:])
    n_blank = int(e_blank.sum() + p_blank.sum()) - n_na
    return _Ratings(E=E, P=P, blank=blank, n_blank=n_blank, n_not_applicable=n_na, straight=straight)


# A straight line needs this many answers on each side to say anything (two equal answers do not).
_STRAIGHT_LINE_MIN_ITEMS = 4


def _straight_lining(E: np.ndarray, P: np.ndarray, warn: _Warnings, row_of: np.ndarray,
                     label: np.ndarray | None = None, *, drop: bool = False) -> np.ndarray:
    """Name respondents who gave one answer down the whole E matrix and one down the whole P
    matrix (all 7s, or 7s then 4s), by row and respondent id as the speeders are: they are kept
    (a researcher screens them before trusting the gaps, as SERVQUAL data cleaning does), or, with
    ``drop``, left out of every table as ``drop_speeders`` leaves the speeders. The mask over rows."""
    def flat(x: np.ndarray) -> np.ndarray:
        ok = ~np.isnan(x)
        with np.errstate(invalid="ignore"):
            return ((ok.sum(axis=1) >= _STRAIGHT_LINE_MIN_ITEMS)
                    & (np.nanmax(np.where(ok, x, -np.inf), axis=1) == np.nanmin(np.where(ok, x, np.inf), axis=1)))

    if E.shape[1] < _STRAIGHT_LINE_MIN_ITEMS:
        return np.zeros(len(E), bool)
    mask = flat(E) & flat(P)
    rows = np.flatnonzero(mask)
    if len(rows):  # Why: the rows alone, where the speeders' warning beside it named a Qualtrics ResponseId too
        what = ("left out of every table (--drop-straight-liners)" if drop
                else "kept — check whether they read the statements, or leave them out with --drop-straight-liners")
        what_zh = ("已从所有表格中剔除（--drop-straight-liners）" if drop
                   else "已保留——请检查他们是否读了题目，或用 --drop-straight-liners 剔除")
        warn("straight_lining", len(rows), f"respondents who gave one answer to every E item and one to every "
             f"P item: {len(rows)} ({_rows_shown(rows, row_of, label)}); {what}",
             f"所有期望题同一个答案、所有感知题也同一个答案的受访者 {len(rows)} 人（{_rows_shown(rows, row_of, label, True)}）；"
             f"{what_zh}")
    return mask


def _speeders(inp: _Inputs, label: np.ndarray, problems: list, warn: _Warnings, *, drop: bool,
              fraction: float) -> tuple[np.ndarray, dict | None]:
    """Respondents who finished faster than ``fraction`` of the median completion time (问卷星's
    所用时间, Qualtrics' Duration (in seconds)): named in a warning and kept, or left out with
    ``drop``. ``(mask over rows, summary entry)``; no time column: nobody, and None."""
    n_rows = len(inp.responses)
    col = duration_column(inp.responses.columns)
    if col is None:
        if drop:
            raise InputError(f"{inp.src}: no completion-time column ({', '.join(DURATION_COLUMNS[:-1])} or "
                             f"{DURATION_COLUMNS[-1]}), so speeders "
                             "cannot be told; leave out drop_speeders=True, or keep the column in the export",
                             params=("drop_speeders",))
        return np.zeros(n_rows, bool), None
    seconds, unreadable = completion_seconds(inp.responses[col])
    if unreadable.any():
        at = np.flatnonzero(unreadable)
        problems.append(pd.DataFrame({"row": inp.rows[at], "respondent": label[at], "column": col,
                                      "value": inp.responses[col].to_numpy(dtype=object)[at],
                                      "problem": "completion time not read (write it as 125, 125秒 or 2分5秒); "
                                                 "this respondent is not screened for speed"}))
        warn("unreadable_durations", len(at), f"completion times ({col}) that are not a time: {len(at)}; those "
             "respondents are not screened for speed (listed in problems)",
             f"无法识别的作答用时（{col}）{len(at)} 个；这些受访者未做过快作答筛查（列于 problems）")
    fast, threshold, median = speeders(seconds, fraction)
    rows = np.flatnonzero(fast)
    entry = {"column": col, "fraction": fraction, "median_seconds": None if np.isnan(median) else median,
             "threshold_seconds": None if np.isnan(threshold) else threshold, "n": len(rows),
             "rows": inp.rows[rows].tolist(), "respondents": label[rows].tolist(), "dropped": bool(drop),
             "n_without_time": int(np.isnan(seconds).sum())}
    if len(rows):
        shown = _rows_shown(rows, inp.rows, label if inp.id_col else None)
        share = "a third" if abs(fraction - 1 / 3) < 1e-9 else f"{fraction:.0%}"
        what = ("left out of every table (--drop-speeders)" if drop
                else "kept — check them, or leave them out with --drop-speeders")
        share_zh = "三分之一" if abs(fraction - 1 / 3) < 1e-9 else f"{fraction:.0%}"
        what_zh = "已从所有表格中剔除（--drop-speeders）" if drop else "已保留——请检查，或用 --drop-speeders 剔除"
        warn("speeders", len(rows), f"speeders, respondents who finished in under {threshold:.0f} s ({share} of the "
             f"median completion time, {median:.0f} s, in {col}): {len(rows)} ({shown}); {what}",
             f"过快作答：用时不足 {threshold:.0f} 秒（{col} 中位用时 {median:.0f} 秒的{share_zh}）的受访者 {len(rows)} 人"
             f"（{_rows_shown(rows, inp.rows, label if inp.id_col else None, True)}）；{what_zh}")
    return fast, entry


def _left_out_by_other(warn: _Warnings, kind: str, both: int, n: int, other: str, other_zh: str, other_flag: str,
                       own_flag: str) -> None:
    """Say in the ``kind`` warning (speeders, straight-liners: named and kept) that ``both`` of its ``n`` respondents
    were left out all the same, as the ``other`` kind (``other_flag``)."""
    if not both:
        return
    entry = next((w for w in warn if w["kind"] == kind), None)
    if entry is None:
        return
    if both == n:
        en = f"left out as {other} ({other_flag})"
        zh = f"已作为{other_zh}剔除（{other_flag}）"
    else:
        en = f"{n - both} kept — check them, or leave them out with {own_flag}; {both} left out as {other} ({other_flag})"
        zh = f"{n - both} 人已保留——请检查，或用 {own_flag} 剔除；{both} 人已作为{other_zh}剔除（{other_flag}）"
    head, _, _ = entry["message"].rpartition("; ")
    head_zh, _, _ = entry["message_zh"].rpartition("；")
    entry["message"], entry["message_zh"] = f"{head}; {en}", f"{head_zh}；{zh}"


def _scale_hint(answers: np.ndarray, scale: int, warn: _Warnings) -> None:
    """Warn when 7-point answers look like a 5-point survey's: numbers never above 5, or
    5-point option text read as 7-point labels (1, 2, 4, 6, 7: never a 3 or a 5)."""
    if scale != SCALE_MAX:
        return
    values = answers[~np.isnan(answers)]
    if len(values) < _SCALE_HINT_MIN_ANSWERS:
        return
    seen = sorted({int(v) for v in np.unique(values) if float(v).is_integer()})
    if values.max() <= 5 or not np.isin([3, 5], values).any():
        warn("scale_hint", len(values), f"the {len(values)} E/P answers take only the values "
             f"{', '.join(map(str, seen))}: if the survey used a 5-point scale, run again with --scale 5 "
             "(it decides how reverse-coded items and answers given as text are read)",
             f"{len(values)} 个期望/感知答案只取 {'、'.join(map(str, seen))} 这些值：如果问卷用的是 5 点量表，请加 --scale 5 "
             "重新运行（量表决定反向题和文字答案如何读取）")


def _importance(inp: _Inputs, label: np.ndarray, problems: list, warn: _Warnings) -> np.ndarray | None:
    """Each respondent's importance shares of the codebook's dimensions (``None`` without W_ columns)."""
    if not inp.w_present:
        warn("no_importance", 0, "no W_<dimension> importance columns; the weighted SQ is not computed",
             "没有 W_<维度> 重要性分配列；不计算加权 SQ")
        return None
    columns = [f"W_{x}" for x in inp.w_present]
    points = pd.DataFrame({c: points_numbers(inp.responses[c]) for c in columns}, index=inp.responses.index)
    w, w_blank, w_bad = _clean(points, columns, 0, POINTS_TOTAL, "importance points", problems, label, inp.rows)
    if w_bad.any():
        warn("invalid_importance", w_bad.sum(), f"importance cells outside 0–{POINTS_TOTAL} or not a number: "
             f"{w_bad.sum()}; listed in problems", f"超出 0–{POINTS_TOTAL} 或不是数字的重要性分值 {w_bad.sum()} 个；列于 problems")
    all_shares = _weights(w, w_blank, w_bad, warn, inp.rows, label if inp.id_col else None)
    shares = all_shares[:, [inp.w_present.index(x) for x in inp.dims]]
    if set(inp.w_present) == set(inp.dims):
        return shares
    # Points for a dimension no item measures (W_tangibles in a survey without tangibles items): SERVQUAL's
    # weights are points / 100 over the dimensions rated, so each respondent's points for the measured ones are
    # rescaled to sum to 1. Until 7 Dec 2026 they kept their share of a total with tangibles in it: importance
    # summed to 80 over the four when tangibles got 20 (the weighted SQ divided it out per respondent).
    measured = shares.sum(axis=1)
    none_left = ~np.isnan(measured) & (measured <= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = shares / measured[:, None]
    shares[none_left] = np.nan
    if none_left.any():
        at = np.flatnonzero(none_left)
        extra = [x for x in inp.w_present if x not in inp.dims]
        shown = _rows_shown(at, inp.rows, label if inp.id_col else None)
        warn("importance_only_unmeasured", len(at), f"respondents who gave all their importance points to "
             f"{', '.join(extra)}, which no item measures: {len(at)} ({shown}); left out of the weighted SQ",
             f"把重要性分值全部给了没有题目的维度（{_dims_zh(extra)}）的受访者 {len(at)} 人"
             f"（{_rows_shown(at, inp.rows, label if inp.id_col else None, True)}）；不计入加权 SQ")
    return shares


def _respondents_used(inp: _Inputs, r: _Ratings, label: np.ndarray, *, listwise: bool,
                      warn: _Warnings) -> np.ndarray:
    """Row positions of the respondents the tables describe: those with at least one item answered on
    both E and P (pairwise), or complete ones for ``listwise``."""
    n_rows = len(inp.responses)
    incomplete = np.isnan(r.E).any(axis=1) | np.isnan(r.P).any(axis=1)
    keep = np.arange(n_rows)
    if listwise:
        keep = np.flatnonzero(~incomplete)
        if not len(keep):
            raise DataQualityError(f"{inp.src}: listwise=True leaves no respondents (each has a missing or invalid E/P "
                                   "answer); use the default pairwise policy", params=("listwise",))
        if incomplete.any():
            # Why: said only '(2 blank answers)' of 3 respondents left out, the third's 不适用 (or an invalid
            # cell) unsaid, so the count did not add up to the reasons
            invalid = int(np.isnan(r.E).sum() + np.isnan(r.P).sum()) - r.n_blank - r.n_not_applicable
            why = [f"{r.n_blank} blank", f"{r.n_not_applicable} 不适用/不清楚", f"{invalid} invalid (problems.csv)"]
            why_zh = [f"留空 {r.n_blank} 个", f"不适用/不清楚 {r.n_not_applicable} 个", f"无效 {invalid} 个（见 problems.csv）"]
            shown = [n > 0 for n in (r.n_blank, r.n_not_applicable, invalid)]
            warn("listwise_dropped", incomplete.sum(), f"listwise: left out {incomplete.sum()} of {n_rows} "
                 "respondents with a missing or invalid E/P answer (answers: "
                 + ", ".join(w for w, k in zip(why, shown) if k) + ")",
                 f"成列删除：{n_rows} 名受访者中有 {incomplete.sum()} 名的期望/感知答案有缺失或无效，已剔除"
                 "（答案：" + "，".join(w for w, k in zip(why_zh, shown) if k) + "）")
    else:
        if r.n_blank:
            warn("missing_answers", r.n_blank, f"blank E/P answers: {r.n_blank} (in "
                 f"{plural(int(r.blank.any(axis=1).sum()), 'respondent')}); pairwise: each item uses the respondents who "
                 "gave both its E and P", f"留空的期望/感知答案 {r.n_blank} 个（涉及 {r.blank.any(axis=1).sum()} 名受访者）；"
                 "成对删除：每道题用同时回答了其期望和感知的受访者")
        # One who answered the E page only (or the P page only) has no gap anywhere: counted as used, they
        # gave an empty row in respondents.csv and swelled every segment's n_respondents.
        no_pair = np.isnan(r.P - r.E).all(axis=1)
        if no_pair.any() and not no_pair.all():
            rows = np.flatnonzero(no_pair)
            shown = _rows_shown(rows, inp.rows, label if inp.id_col else None)
            warn("respondents_without_pairs", len(rows), f"respondents with no item answered on both E and P "
                 f"(only E, only P or nothing): {len(rows)} ({shown}); they have no gap and are left out of every "
                 "table", f"没有一道题同时回答期望和感知（只答期望、只答感知或都没答）的受访者 {len(rows)} 人"
                 f"（{_rows_shown(rows, inp.rows, label if inp.id_col else None, True)}）；他们没有差距，不计入任何表格")
            keep = np.flatnonzero(~no_pair)
    return keep


def _coverage_warnings(inp: _Inputs, warn: _Warnings) -> None:
    """Dimensions without items and E/P columns the codebook does not know.

    A questionnaire whose importance question shares its points over exactly the dimensions the codebook has
    (``voc survey``'s, when no item was accepted for one) measures those on purpose: nothing to warn of. Without
    W_ columns, or with points for a dimension no item measures, the missing dimensions are said."""
    missing_dims = [x for x in SERVQUAL_DIMENSIONS if x not in inp.dims]
    if missing_dims and (not inp.w_present or set(inp.w_present) != set(inp.dims)):
        extra = [x for x in inp.w_present if x not in inp.dims]
        points, points_zh = "", ""
        if extra:
            points = (f"; the importance points for {', '.join(extra)} are left out and each respondent's points "
                      f"for the {len(inp.dims)} are rescaled to sum to {POINTS_TOTAL}")
            points_zh = (f"；{_dims_zh(extra)}的重要性分值不计，每名受访者给这 {len(inp.dims)} 个维度的分值按比例换算为合计 "
                         f"{POINTS_TOTAL}")
        warn("dimensions_without_items", len(missing_dims), f"the codebook has no items for "
             f"{', '.join(missing_dims)}; SQ averages the {len(inp.dims)} dimensions it has{points}",
             f"编码表中没有以下维度的题目：{_dims_zh(missing_dims)}；SQ 取现有 {len(inp.dims)} 个维度的平均{points_zh}")
    known = set(inp.items)
    unused = [c for c in inp.responses.columns if re.match(r"^[EP]_", c) and c[2:] not in known]
    if unused:
        warn("unused_columns", len(unused), f"columns not in the codebook were ignored: {', '.join(unused[:10])}"
             + (" …" if len(unused) > 10 else ""),
             f"不在编码表中的列已忽略：{'、'.join(unused[:10])}" + (" …" if len(unused) > 10 else ""))


def _respondent_table(inp: _Inputs, data: _Data, keep: np.ndarray, label: np.ndarray,
                      segments: dict[str, np.ndarray]) -> pd.DataFrame:
    """Per respondent used: row, id, segment values, dimension gaps and SQ."""
    out = pd.DataFrame({"row": inp.rows[keep], "respondent": label[keep]})
    for col, seg in segments.items():
        out[col] = seg
    for j, dim in enumerate(inp.dims):
        out[f"gap_{dim}"] = data.G[:, j]
    out["sq"] = data.r_sq
    out["sq_weighted"] = np.nan if data.r_sq_weighted is None else data.r_sq_weighted
    return out


def _segment_values(responses: pd.DataFrame, col: str, keep: np.ndarray) -> np.ndarray:
    """A segment column of the respondents used, blanks as ``(blank)``."""
    seg = responses[col].astype("string").str.strip().fillna("").to_numpy(dtype=object)[keep]
    seg[seg == ""] = BLANK_SEGMENT
    return seg


def _duplicate_respondents(inp: _Inputs, problems: list, warn: _Warnings) -> None:
    """Respondent ids used by more than one row (a merged export, a double submission): warned
    and listed, never merged or dropped, since which row is right is the researcher's call."""
    if inp.id_col is None:
        return
    ids = inp.responses[inp.id_col].astype("string").str.strip().fillna("")
    repeated = ids[(ids != "") & ids.duplicated(keep=False)]
    if repeated.empty:
        return
    rows = {rid: [int(inp.rows[i]) for i in np.flatnonzero((ids == rid).to_numpy())] for rid in repeated.unique()}
    later = [(r, rid, first) for rid, (first, *rest) in rows.items() for r in rest]
    problems.append(pd.DataFrame({"row": [r for r, _, _ in later], "respondent": [rid for _, rid, _ in later],
                                  "column": inp.id_col, "value": [rid for _, rid, _ in later],
                                  "problem": [f"respondent id also in row {first}; both rows are counted"
                                              for _, _, first in later]}))
    shown = "; ".join(f"{rid} in rows {', '.join(map(str, r))}" for rid, r in list(rows.items())[:5])
    warn("duplicate_respondents", len(rows), f"respondent ids ({inp.id_col}) used by more than one row: "
         f"{len(rows)} ({shown}{' …' if len(rows) > 5 else ''}); every row is counted (listed in problems): "
         "delete repeated submissions and run again",
         f"多行使用同一受访者编号（{inp.id_col}）{len(rows)} 个（"
         + "；".join(f"{rid} 在第 {'、'.join(map(str, r))} 行" for rid, r in list(rows.items())[:5])
         + f"{' …' if len(rows) > 5 else ''}）；每一行都计入（列于 problems）：请删除重复提交后重新运行")


def _problems_table(problems: list[pd.DataFrame]) -> pd.DataFrame:
    problem_cols = ["row", "respondent", "column", "value", "problem"]
    return (pd.concat(problems, ignore_index=True).sort_values(["row", "column"], kind="stable")
            .reset_index(drop=True) if problems else pd.DataFrame(columns=problem_cols))


def gap_analysis(responses: pd.DataFrame, codebook: pd.DataFrame, *, by=None, listwise: bool = False,
                 id_col: str | None = None, scale: int = SCALE_MAX, drop_speeders: bool = False,
                 speeder_fraction: float = SPEEDER_FRACTION, questionnaire: str | Path | None = None,
                 drop_straight_liners: bool = False) -> GapResult:
    """SERVQUAL gaps per item and dimension, overall SQ, reliability and segment differences.

    Reverse-coded items are recoded ((scale + 1) − x, 8 − x on 1–7) first, so every number reads "higher is
    better". Missing answers are handled pairwise per item by default, which keeps every
    answer a respondent did give; ``listwise`` keeps only respondents with every E and P
    answer valid, so that all tables describe the same people.

    Args:
        responses: One row per respondent with ``E_<item_id>`` and ``P_<item_id>`` (1–``scale``) for
            every codebook item, optional ``W_<dimension>`` importance points and segment columns.
        codebook: See :func:`validate_codebook`.
        by: Segment column(s): a name, a comma-separated string or a list; each is analysed alone.
        listwise: Drop respondents with any missing or invalid E/P answer.
        id_col: Column identifying respondents in the problem list (default: found by name).
        scale: Points of the answer scale (7, as ``voc survey`` asks; 5 for a 5-point survey): the
            valid range 1–``scale``, the recoding of reverse items and how option text such as
            非常同意 is read all depend on it.
        drop_speeders: Leave out the respondents who finished faster than ``speeder_fraction``
            of the median completion time (a 所用时间 or ``Duration (in seconds)`` column is
            needed); by default they are only named in a ``speeders`` warning.
        speeder_fraction: The share of the median completion time under which a response is
            a speeder (1/3 by default, a survey convention).
        drop_straight_liners: Leave out the respondents who gave one answer down the whole E matrix and one
            down the whole P matrix (at least 4 items each side); by default they are only named in a
            ``straight_lining`` warning. ``summary["straight_lining"]`` lists them either way.
        questionnaire: The ``questionnaire_wjx.txt`` ``voc survey`` wrote (:data:`QUESTIONNAIRE_FILE`; default:
            the one beside the codebook file, when there is one). A 问卷星 export downloaded by option numbers
            (按选项序号) gives a ``by`` question (营业厅, 客户类型 …) as 1, 2, 3: they are read as its options,
            in the questionnaire's order; without a questionnaire a warning says so.

    Returns:
        A :class:`GapResult`.

    Raises:
        ColumnError: A required column is missing.
        InputError: A bad codebook or scale; ``responses`` or ``codebook`` is not a DataFrame (a path: read it
            with :func:`read_responses` / :func:`read_codebook`).
        DataQualityError: No respondents or no valid E/P pair to analyse; a questionnaire that is not the
            codebook's, or has fewer options than a ``by`` question's numbers.
    """
    scale = number_param(scale, "scale", low=SCALES[0], high=SCALES[-1], whole=True,
                         means="the answer points: 7 as voc survey asks, 5 for a 5-point survey")
    speeder_fraction = number_param(speeder_fraction, "speeder_fraction", low=0, high=1, above=True, below=True,
                                    means="a share of the median completion time, 1/3 by default")
    warn = _Warnings()
    inp = _check_inputs(responses, codebook, by=by, id_col=id_col, warn=warn, questionnaire=questionnaire)
    n_rows = len(inp.responses)
    label = (inp.responses[inp.id_col].astype("string").fillna("").to_numpy(dtype=object) if inp.id_col
             else inp.rows.astype(str).astype(object))
    problems: list[pd.DataFrame] = []
    if inp.row0 > 3:
        warn("header_rows_skipped", inp.row0 - 2, f"rows 2–{inp.row0 - 1} under the header hold the export's "
             "question text and ImportIds (a Qualtrics export), not answers: skipped",
             f"表头下第 2–{inp.row0 - 1} 行是导出文件的题目文字和 ImportId（Qualtrics 导出），不是答案：已跳过")
    elif inp.title_row is not None:
        warn("title_row_skipped", 1, f"row 1 is a title ({inp.title_row!r}), not the header: the header is row 2, "
             "the first respondent row 3", f"第 1 行是标题（“{inp.title_row}”），不是表头：表头是第 2 行，受访者从第 3 行起")
    elif inp.row0 == 3 and not inp.merged_header:  # a header of two rows is no skipped row: nothing to say
        warn("header_rows_skipped", 1, "row 2 under the header holds the export's question text (a Qualtrics "
             "export), not answers: skipped", "表头下第 2 行是导出文件的题目文字（Qualtrics 导出），不是答案：已跳过")
    _duplicate_respondents(inp, problems, warn)
    ratings = _ratings(inp, label, problems, warn, scale, drop_straight=drop_straight_liners)
    shares = _importance(inp, label, problems, warn)
    keep = _respondents_used(inp, ratings, label, listwise=listwise, warn=warn)
    # Why each respondent not in the tables is left out, each counted once (a speeder with no E/P pair is
    # counted as the latter): n_used + the counts = n_respondents. The summary line and the page said only
    # the speeders (184 of 191, speeders left out: 5), and the 2 with no pair were not in the sum.
    left_out = {"listwise" if listwise else "without_pairs": n_rows - len(keep), "speeders": 0}
    fast, speed = _speeders(inp, label, problems, warn, drop=drop_speeders, fraction=speeder_fraction)
    if drop_speeders:
        left_out["speeders"] = int(fast[keep].sum())
        keep = keep[~fast[keep]]
        if not len(keep):
            raise DataQualityError(f"{inp.src}: drop_speeders=True leaves no respondents; run without it",
                                   params=("drop_speeders",))
    straight_rows = np.flatnonzero(ratings.straight)
    straight = {"n": len(straight_rows), "rows": inp.rows[straight_rows].tolist(),
                "respondents": label[straight_rows].tolist(), "dropped": bool(drop_straight_liners)}
    if drop_straight_liners:  # after the speeders: a straight-lining speeder is counted once, as a speeder
        left_out["straight_liners"] = int(ratings.straight[keep].sum())
        keep = keep[~ratings.straight[keep]]
        if not len(keep):
            raise DataQualityError(f"{inp.src}: drop_straight_liners=True leaves no respondents; run without it",
                                   params=("drop_straight_liners",))
    # a straight-lining speeder left out by one option is not kept by the other: each warning and the page say how
    # many of its respondents are in the tables (--drop-straight-liners alone said of 3 straight-lining speeders
    # 'kept — check them' and the page 含过快作答 3 人 of 93 respondents without them)
    straight["n_in_tables"] = int(ratings.straight[keep].sum())
    if speed is not None:
        speed["n_in_tables"] = int(fast[keep].sum())
        if drop_straight_liners and not drop_speeders:
            _left_out_by_other(warn, "speeders", int((fast & ratings.straight).sum()), speed["n"], "straight-liners",
                               "直线作答", "--drop-straight-liners", "--drop-speeders")
    if drop_speeders and not drop_straight_liners:
        _left_out_by_other(warn, "straight_lining", int((fast & ratings.straight).sum()), straight["n"], "speeders",
                           "过快作答", "--drop-speeders", "--drop-straight-liners")
    _coverage_warnings(inp, warn)
    E, P = ratings.E[keep], ratings.P[keep]
    if np.isnan(P - E).all():
        raise DataQualityError(f"{inp.src}: no respondent gave both an E and a P answer (1–{scale}) for any item; "
                               "check that the E_/P_ columns hold the ratings")
    data = _respondent_scores(inp.codebook, inp.dims, E, P, None if shares is None else shares[keep])

    everyone = np.arange(len(keep))
    item_table = _item_table(data, everyone)
    empty_items = item_table.loc[item_table["n"] == 0, "item_id"].tolist()
    if empty_items:
        warn("items_without_answers", len(empty_items), f"no respondent gave both E and P for "
             f"{', '.join(empty_items[:10])}; those items have no gap",
             f"没有受访者同时回答以下题目的期望和感知：{'、'.join(empty_items[:10])}；这些题目没有差距")
    dim_table = _dimension_table(data, everyone)
    sq, sq_weighted = _sq(data, dim_table, everyone)
    _reliability_warnings(dim_table, item_table, warn)
    _undefined_test_warnings(item_table, dim_table, warn)
    _alpha_warnings(dim_table, data, everyone, warn)

    seg_values = {col: _segment_values(inp.responses, col, keep) for col in inp.by_cols}
    segments = {col: _segment_tables(data, col, seg.astype(str), warn) for col, seg in seg_values.items()}
    respondents = _respondent_table(inp, data, keep, label, seg_values)
    problems_df = _problems_table(problems)
    summary = {
        "sq": sq, "sq_sum": _sq_sum(item_table), "sq_weighted": sq_weighted, "n_respondents": n_rows,
        # each dimension's gap (mean of the respondents' dimension gaps, with the CI of dimensions.csv) and the
        # product spec's mean of its items' gaps beside it: they differ when respondents skipped items
        "dimension_gaps": {r.dimension: {"gap": r.gap, "item_gap_mean": r.item_gap_mean}
                           for r in dim_table.itertuples()},
        "n_used": len(keep), "left_out": left_out,
        "n_weighted": None if data.r_sq_weighted is None else int((~np.isnan(data.r_sq_weighted)).sum()),
        "missing_policy": "listwise" if listwise else "pairwise",
        "missing_policy_note": ("listwise: only respondents with every E and P answer valid are used"
                                if listwise else "pairwise: each item uses the respondents who gave both its E "
                                "and P; dimension scores average the items each respondent answered"),
        "n_items": len(inp.items), "dimensions": inp.dims, "by": inp.by_cols, "scale": [SCALE_MIN, scale],
        "n_not_applicable": ratings.n_not_applicable,
        "speeders": speed, "straight_lining": straight,
        "responses": inp.src, "codebook": inp.codebook.attrs.get("source", "codebook"),
        "questionnaire": inp.questionnaire,
        "n_problems": len(problems_df), "warnings": list(warn),
        "column_mapping": None if inp.platform is None else inp.platform["mapping"],
    }
    return GapResult(items=item_table, dimensions=dim_table, summary=summary, problems=problems_df,
                     respondents=respondents, segments=segments, codebook=inp.codebook)

"""The project's exceptions: each says what went wrong, where, and what to do next.

The CLI turns any :class:`VocError` into a one-line message and exit status 2;
the library never prints or exits.

A message that tells the caller to give or change a parameter names it as a Python caller
writes it (``give it with text_col=``, ``try encoding='gbk'``, ``drop_speeders=True``) and the
error carries its name (``params=("text_col",)``); the CLI shows the command's flag there
(``--text-col``, ``--encoding gbk``, ``--drop-speeders``: ``cli.support.cli_message``). One
message, two readers: a library caller has no flags.

A message that sends the caller to another stage names it as a call (``label it first with
voc.tag(df)``) and the error carries the call's name with its brackets (``params=("voc.tag()",)``);
the CLI shows the command there (``voc tag``). A message that is not an error (a note of
``voc.frequencies``' notes table) is said the CLI's way by the same rule (``cli.support.cli_words``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = [
    "VocError",
    "InputError",
    "ColumnError",
    "BadRowError",
    "ModelError",
    "DataQualityError",
    "reword_params",
    "plural",
    "said_in",
    "closest_column",
    "column_guess",
    "no_column",
    "no_by_column",
]


class VocError(Exception):
    """Base class: a problem the user can fix, with a message that says how.

    ``params``: the parameters the message names as ``name=`` / ``name=value`` (see the module
    docstring), which a front end may show its own way. ``zh``: the same message in Chinese, for a
    Chinese page (the review workbench shows it beside the English one, as ``error_zh``); ``None``: none.
    """

    def __init__(self, *args, params: Iterable[str] = (), zh: str | None = None):
        super().__init__(*args)
        self.params = tuple(params)
        self.zh = zh

    def __reduce__(self):  # from a worker process with its params
        return _rebuild, (type(self), self.args, self.params, self.zh)


def _rebuild(cls, args, params, zh=None):
    return cls(*args, params=params, zh=zh)


class InputError(VocError):
    """An input file cannot be read as asked (missing, empty, binary, undecodable...)."""


class ColumnError(InputError):
    """A required column is missing or cannot be chosen unambiguously."""


class BadRowError(InputError):
    """A malformed row in an input table."""


class ModelError(VocError):
    """A model file is missing or does not match this version."""


class DataQualityError(VocError):
    """Input data that cannot be analysed as it is (e.g. survey responses)."""


def _param_pattern(name: str) -> str:
    """``name=`` as a message writes it, with its value (``encoding='gbk'``, ``drop_speeders=True``) if any:
    group 1 a quoted value, group 2 a bare one. A call's name (``voc.tag()``): the call as the message writes
    it, ``voc.tag(df)``, its arguments group 1."""
    if name.endswith("()"):
        return rf"(?<![\w.]){re.escape(name[:-2])}\(([^()]*)\)"
    return rf"(?<![\w-]){re.escape(name)}=(?:'([^']*)'|([^\s;,:)'\"]+))?"


def reword_params(message: str, params: Iterable[str], shown: Callable[[str, str | None], str | None],
                  instead: Callable[[str], str | None] = lambda name: None) -> str:
    """``message`` with each parameter it names (``params``) said as a front end says it.

    ``shown(name, value)``: the front end's own words for ``name=value`` (the command's flag
    ``--text-col``, a field of the review page), or None when it has no such setting. Then the
    advice naming it is taken out — of ``…; choose one with sheet=, or give the file as X:SHEET``
    the other way stays (``…; give the file as X:SHEET``) — and where no other way is left the
    clause becomes ``instead(name)``, what to do there (dropped when None). Why: a message told the
    user of ``voc review`` to give ``--text-col``, which ``voc review`` does not have. One rule for
    the command line (``cli.support.cli_message``) and the review page (``review.app``).
    """
    for name in params:
        pattern = _param_pattern(name)
        if shown(name, None) is not None:
            def said(m, name=name):
                return shown(name, next((g for g in m.groups() if g is not None), None))

            message = re.sub(pattern, said, message)
            continue
        clauses = []
        for clause in message.split("; "):
            if re.search(pattern, clause) is None:
                clauses.append(clause)
                continue
            # the clause's ways, "do A, or do B or do C": those that name the parameter go
            ways = re.split(r",? or ", clause)
            kept = [w for w in ways if re.search(pattern, w) is None]
            if kept:
                clauses.append(", or ".join(kept))
            elif instead(name) and instead(name) not in clauses:
                clauses.append(instead(name))
        message = "; ".join(clauses)
    return message


def closest_column(name, columns: Iterable) -> str | None:
    """The column ``name`` was most likely meant to be (a typing slip, another case, a longer or shorter header:
    渠道 for 渠道名称, 地市 for 所属地市, City for city), or None when none is close."""
    import difflib

    fold = lambda c: re.sub(r"\s+", "", str(c)).casefold()  # noqa: E731
    by_fold = {fold(c): str(c) for c in columns}
    want = fold(name)
    if not want:
        return None
    best = difflib.get_close_matches(want, list(by_fold), n=1, cutoff=0.6)
    if best:
        return by_fold[best[0]]
    inside = [c for f, c in by_fold.items() if f and (want in f or f in want)]
    return inside[0] if inside else None


def column_guess(col, columns: Iterable) -> str:
    """`` (is it '渠道名称'?)``: the closest column to a ``col`` the file lacks (:func:`closest_column`), as every
    message of a column the user named says it after the column (``no column '受理' for date_col= (is it
    '受理时间'?)``, ``no column '投诉' for the text (is it '投诉内容'?)``); ``""`` when none is close. One guess for
    all: until 7 Dec 2026 only ``by=`` guessed, and a later file of ``voc freq`` matched its own way (one name inside
    the other)."""
    close = closest_column(col, [c for c in columns if str(c) != "_row"])  # _row: added by the reader
    return f" (is it {close!r}?)" if close is not None and close != str(col) else ""


def no_column(where: str, col, columns: Iterable, param: str) -> ColumnError:
    """The one error of a column named by ``param=`` (``by``, ``date_col``, ``thread_col``, ``group_col``) that
    the statements lack: the file (``where``: ``tagged.csv: ``), the column, the closest column if one is close
    (:func:`column_guess`) and what to do — ``tagged.csv: no column '受理' for date_col= (is it '受理时间'?); give
    date_col= one of the columns, checking the spelling: …``."""
    columns = [str(c) for c in columns if str(c) != "_row"]  # _row: added by the reader
    return ColumnError(f"{where}no column {col!r} for {param}={column_guess(col, columns)}; give {param}= one of "
                       f"the columns, checking the spelling: {', '.join(columns)}", params=(param,))


def no_by_column(where: str, col, columns: Iterable) -> ColumnError:
    """The one error of a ``by=`` column the statements lack, for every command that groups (``voc freq``,
    ``voc themes``, ``voc analyze``): :func:`no_column` of ``by`` — ``tagged.csv: no column '渠道' for by= (is it
    '渠道名称'?); give by= one of the columns, checking the spelling: …``. Until 7 Dec 2026 each listed the columns
    its own way and said nothing of what to do. Not offered: what ``voc export`` adds to the statements
    (``statements.export_columns``: a coded.xlsx's ``servqual_zh``, ``model_servqual``, ``decided`` …), listed
    among the choices until 8 Dec 2026."""
    from voiceofcustomer.statements import export_columns

    columns = [str(c) for c in columns]
    copies = set(export_columns(columns))
    return no_column(where, col, [c for c in columns if c not in copies] or columns, "by")


def plural(n: int, word: str, words: str | None = None) -> str:
    """A count and its noun as the summary lines say it: ``1 row``, ``2 rows``, ``1,204 rows``; ``words``
    where the plural is not ``word`` + s (``plural(n, "row has", "rows have")``). Here, beside the messages,
    so the library's progress lines and the CLI's summaries count alike."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"



def said_in(text, words) -> str:
    """``text`` (an English message of a table: a problem's reason) said another way by the first of ``words`` —
    ``(compiled pattern, replacement)`` pairs, the replacement a template (``r"评分超出 \\1"``) or a function of the
    match — whose pattern matches it; as it is when none does (and anything not text, as it is). One way for every
    Chinese page that shows the English reasons of ``problems.csv`` (``voc gap``'s, ``voc audit``'s)."""
    if not isinstance(text, str):
        return text
    for pattern, said in words:
        if pattern.match(text):
            return pattern.sub(said, text)
    return text

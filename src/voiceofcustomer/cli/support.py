"""Shared pieces of the ``voc`` commands: error mapping, progress bars, common options.

Separate from ``cli.py`` so that command modules (``freq_cli``, ``gap_cli``, ...) can
import them without importing ``cli`` (which imports those modules to register them).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import shlex
import signal
import sys
import threading
import unicodedata
from pathlib import Path

import click

from voiceofcustomer.errors import VocError, plural, reword_params  # noqa: F401  (plural: the CLI modules take it from here)

EXIT_USER_ERROR = 2
#: Exit status of a run stopped by Ctrl-C (SIGINT) or ``kill PID`` (SIGTERM): 128 + the signal's number,
#: as a shell reports a process the signal ended, and as systemd, cron wrappers and ``timeout`` expect.
EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143


class UserError(click.ClickException):
    exit_code = EXIT_USER_ERROR

    def format_message(self) -> str:
        return one_line(self.message)


class Stopped(UserError):
    """A run stopped by Ctrl-C or SIGTERM (``exc``): one line, ``stopped(exc)`` then ``rest`` (what
    was and was not written), exit status 130 or 143. The one rule for every command: a stop is
    not bad input (status 2), and a script or scheduler tells the two apart by the status."""

    def __init__(self, exc: KeyboardInterrupt, rest: str):
        super().__init__(stopped(exc) + rest)
        self.exit_code = EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED


def one_line(message: str) -> str:
    """``message`` as one printable line: control characters and line breaks from the data it quotes
    (a column name with a vertical tab, a value with a newline) are shown escaped (``\\x0b``)."""
    text = str(message).strip()
    return "".join(ascii(ch)[1:-1] if unicodedata.category(ch) in _BREAKING else ch for ch in text)


_BREAKING = ("Cc", "Cf", "Zl", "Zp")  # control and format characters, line and paragraph separators


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill PID``) taken as an interrupt, so that the run stops as after Ctrl-C: worker
    processes stopped, temporary files removed, one line said."""


def _terminated(signum, frame):
    raise Terminated()


@contextlib.contextmanager
def sigterm_as_interrupt():
    """While a command runs, SIGTERM raises :class:`Terminated` (a ``KeyboardInterrupt``) in it.

    Why: the default SIGTERM ended the process at once, with no line said, its temporary files left
    beside the output, and its worker processes writing to a parent that was gone (each printed a
    BrokenPipeError traceback). The tagging workers set SIGTERM back to the default
    (``labels.tagging._quiet_worker``): it is how the pool stops them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stopped(exc: KeyboardInterrupt) -> str:
    """How a run ended by ``exc`` is said: ``interrupted`` (Ctrl-C) or ``stopped (SIGTERM)``."""
    return "stopped (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"


def library_call(fn):
    """Run a command body, mapping library errors to one-line messages (no traceback); SIGTERM
    stops it as Ctrl-C does (:func:`sigterm_as_interrupt`)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _FinaliserErrors() as finalisers:
            try:
                with sigterm_as_interrupt():
                    return fn(*args, **kwargs)
            except VocError as exc:
                error = UserError(cli_message(exc))
            except KeyboardInterrupt as exc:
                error = stop_message(exc)  # the status (130/143) and what was written; holds no frame
            except UnicodeDecodeError as exc:  # a reader that did not name its file: still one line
                error = UserError(f"an input is not text in the expected encoding ({exc.reason} at byte {exc.start}); "
                                  "check the file, or give --encoding")
            except OSError as exc:  # disk full, no permission to write, ...: still one line
                error = UserError(_os_error_message(exc))
            except Exception as exc:
                if _failed_write(exc) is None:
                    raise
                error = UserError(_os_error_message(_failed_write(exc)))  # held in no local: its frames are freed below
            finalisers.failed()  # the error and the frames it held are gone: what they held is freed now
            raise error

    return wrapper


def stop_message(exc: KeyboardInterrupt) -> Stopped:
    """What a stopped run says. Every output is put in place only when complete, so either what was
    there is as it was, or the output was finished first: a stop that came while it was being put in
    place (the library names it, ``exc.outputs_written``: ``report.folder.OutputFolder``) or after
    (:func:`outputs_written`)."""
    written = getattr(exc, "outputs_written", ())
    if written:
        return Stopped(exc, f"; the outputs were finished first: {', '.join(map(str, written))} holds this run's "
                            "complete output")
    return Stopped(exc, "; the outputs were left as they were before this run")


@contextlib.contextmanager
def outputs_written(*paths):
    """Around what a command does once its outputs are in place (its summary): a stop there says
    that they are complete (:func:`stop_message`), not that they were left as they were."""
    try:
        yield
    except KeyboardInterrupt as exc:
        exc.outputs_written = [*getattr(exc, "outputs_written", ()), *paths]
        raise


def _failed_write(exc: BaseException) -> OSError | None:
    """The OSError behind a writer's own exception: xlsxwriter wraps a write that failed (a full disk
    while an .xlsx is closed) in ``FileCreateError``, no OSError, so it came out as a traceback."""
    try:
        from xlsxwriter.exceptions import FileCreateError
    except ImportError:  # pragma: no cover - a dependency
        return None
    if isinstance(exc, FileCreateError) and isinstance(exc.__context__, OSError):
        return exc.__context__
    return None


class _FinaliserErrors:
    """Python's reports of an OSError in a finaliser, held back while a command runs: said after a run
    that succeeds, dropped when it ends in a one-line error, which already says it (:meth:`failed`).

    Why: a half-written workbook's ZipFile on a full disk cannot close either, and when it was
    collected (as the error unwound, or at exit) it printed 'Exception ignored in: <function
    ZipFile.__del__ …>' and a traceback above or under the one-line error. The temporary file itself
    is removed by the writer."""

    def __enter__(self):
        self._held, self._failed = [], False
        self._previous = sys.unraisablehook
        sys.unraisablehook = self._hold
        return self

    def _hold(self, unraisable) -> None:
        if isinstance(unraisable.exc_value, OSError):
            self._held.append(unraisable)
        else:
            self._previous(unraisable)

    def failed(self) -> None:
        """The run ends in a one-line error: free what its frames held now (cycles too), quietly."""
        import gc

        gc.collect()
        self._failed = True

    def __exit__(self, *exc) -> None:
        if self._failed:
            # what the failed call held may still be collected later, up to the exit (a frame kept alive
            # by an exception a library stored): its OSError says nothing the error line did not
            previous = self._previous
            sys.unraisablehook = lambda u: None if isinstance(u.exc_value, OSError) else previous(u)
        else:
            sys.unraisablehook = self._previous
            for unraisable in self._held:
                self._previous(unraisable)
        self._held = []


def cli_message(exc: VocError) -> str:
    """The library's message as the command line says it: each parameter the error names
    (``exc.params``, written ``text_col=``, ``encoding='gbk'``, ``drop_speeders=True``) shown as the
    running command's flag (``--text-col``, ``--encoding gbk``, ``--drop-speeders``), a value as a shell takes it.
    A parameter the running command has no option for is not shown as a flag it does not have
    (``voc review`` has no ``--id-col``): the advice is said as :data:`_NO_OPTION` says it there
    (``errors.reword_params``)."""
    return cli_words(str(exc), getattr(exc, "params", ()))


def cli_words(text: str, params) -> str:
    """``text`` of the library, naming ``params`` as a Python caller writes them (``include_duplicates=True``,
    ``voc.tag(df)``), as the command line says it: the running command's flag (``--include-duplicates``), the
    command for a call (``voc tag``: :data:`_COMMANDS`); advice naming a parameter the command has no option
    for goes (:func:`cli_message`). For an error's message and for the words of a table the library wrote
    (``voc freq``'s notes: :data:`voiceofcustomer.freq.tables.NOTE_PARAMS`)."""
    def shown(name, value):
        if name in _COMMANDS:
            said = _COMMANDS[name]
            return said(value) if callable(said) else said
        found = _flag(name)
        if found is None:
            return None
        flag, is_flag = found
        if value is None or (is_flag and value == "True"):
            return flag
        return f"{flag} {shlex.quote(value)}"  # as typed in a shell: --encoding gbk, --sheet '2月'

    return reword_params(text, params, shown, _NO_OPTION.get)


def _freq_command(args: str | None) -> str:
    """``voc.frequencies(result.statements, include_duplicates=True)`` — what a note of ``voc.analyze`` tells a
    Python caller to run to count what it left out — as the command line runs it: ``voc freq`` on the file that
    table was written to (:data:`_WRITTEN_TO`) with ``voc freq``'s own flags for the keyword arguments
    (``--include-duplicates``), so a ``voc analyze`` user is told a command that exists."""
    positional, flags = [], []
    for arg in (a.strip() for a in (args or "").split(",") if a.strip()):
        name, eq, value = arg.partition("=")
        if not eq:
            positional.append(_WRITTEN_TO.get(arg, arg))
            continue
        flag, is_flag = _flag(name.strip(), "freq") or ("--" + name.strip().replace("_", "-"), False)
        flags.append(flag if is_flag and value.strip() == "True" else f"{flag} {shlex.quote(value.strip())}")
    return "`" + " ".join(["voc freq", *positional, "-o", "frequencies_all/", *flags]) + "`"


#: A library call a message sends the caller to (``params=("voc.tag()",)``, written ``voc.tag(df)``) → the command
#: that does it (a function of the call's arguments where the command takes them).
_COMMANDS = {"voc.tag()": "`voc tag`", "voc.frequencies()": _freq_command}

#: A table of a library result a message names → the file the command wrote it to (``voc analyze``'s statements).
_WRITTEN_TO = {"result.statements": "statements.xlsx"}


#: Library parameters a command's option calls otherwise (``apply_curated(model_dir=)`` is ``voc themes --model``;
#: a parameter whose option's name adds ``_path`` — ``reuse=`` is ``--reuse``, stored as ``reuse_path`` — is found too).
_OPTION_NAMES = {"model_dir": "curated"}

#: What to do, in a command without the option for a parameter the message names (``voc review`` and
#: ``voc agreement`` read a table's id from ``statement_id`` or a known name, its encoding as detected).
_NO_OPTION = {
    "text_col": "rename the column that holds the text to text (the name voc's own tables give it) and run again",
    "id_col": "rename the column that holds the id to statement_id (the name voc's own tables give it) and run again",
    "encoding": "save the file as UTF-8 (in Excel: CSV UTF-8) and give that file",
}


def _flag(name: str, command: str | None = None) -> tuple[str, bool] | None:
    """``(flag, is a switch)`` of the running command's option whose parameter is ``name`` (of the
    ``voc`` command ``command``, when given), None when it has none; outside a command, the flag
    spelled from the name (``id_col`` → ``--id-col``)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return "--" + name.replace("_", "-"), False
    root = ctx.find_root().command
    cmd = ctx.command if command is None else (root.get_command(ctx, command) if isinstance(root, click.Group)
                                                else None)
    if cmd is None:
        return None
    for p in cmd.params:
        if isinstance(p, click.Option) and p.name in (name, _OPTION_NAMES.get(name), f"{name}_path"):
            long = [o for o in p.opts if o.startswith("--")] or p.opts
            return max(long, key=len), bool(p.is_flag)
    return None


def _os_error_message(exc: OSError) -> str:
    """One line naming the user's path (never one of our temporaries) and what to do."""
    from voiceofcustomer.report.folder import user_path

    filename = exc.filename
    if not filename and _errno(exc) in _WRITE_ERRNOS:  # a write failing (disk full): it was the output's
        filename = _output_option()
    if not filename:
        return f"{exc.strerror or exc}; check the path, its permissions and free space"
    if _errno(exc) is not None and (exc.strerror is None or "[errno" in exc.strerror):
        exc = OSError(_errno(exc), os.strerror(_errno(exc)), filename)  # pyarrow's "Error writing bytes to file. Detail: [errno 28] …"
    where = user_path(filename)
    if isinstance(exc, IsADirectoryError):
        return f"{where}: is a folder; give a file name"
    if isinstance(exc, NotADirectoryError):
        return f"{where}: a part of this path is a file, not a folder; choose another path"
    if isinstance(exc, FileExistsError):
        return f"{where}: already exists and is in the way; choose another path"
    return f"{where}: {exc.strerror or exc}; check the path, its permissions and free space"


#: errno values only a write gives (no space, quota, file too big): with no file name, the output's
_WRITE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def _errno(exc: OSError) -> int | None:
    """``exc.errno``, or the ``[errno N]`` pyarrow writes into its message and leaves out of ``errno``."""
    if exc.errno is not None:
        return exc.errno
    found = re.search(r"\[errno (\d+)\]", str(exc))
    return int(found.group(1)) if found else None


def _output_option() -> str | None:
    """The running command's ``-o`` value, for a write error that does not name its file (a disk
    that fills up while a table is written: ``No space left on device`` and no path)."""
    ctx = click.get_current_context(silent=True)
    for p in ctx.command.params if ctx is not None else ():
        if isinstance(p, click.Option) and "-o" in p.opts and ctx.params.get(p.name) is not None:
            return str(ctx.params[p.name])
    return None


def output_file(path, *, example: str = "out.csv"):
    """Check an output file path (-o) before any work: one line naming it when it is a folder,
    or when a part of it is a file."""
    from voiceofcustomer.report.folder import check_output_file

    try:
        check_output_file(path, example=example)
    except VocError as exc:
        raise UserError(cli_message(exc)) from None
    return path


def output_folder(path):
    """Check an output folder path (-o) before any work: one line naming it when it, or a part
    of it, is a file."""
    from voiceofcustomer.report.folder import check_output_folder

    try:
        check_output_folder(path)
    except VocError as exc:
        raise UserError(cli_message(exc)) from None
    return path


class _LazyBar:
    """A tqdm bar that appears with the first rows done, not before: the library opens and
    checks every input (existence, encoding, header, columns, first rows) before it reports
    progress, so a bad input ends in its one-line error alone, with no bar above it."""

    def __init__(self, **options):
        self._options = options
        self._bar = None

    def update(self, n: int = 1) -> None:
        if self._bar is None:
            if not n:
                return
            from tqdm import tqdm

            self._bar = tqdm(**self._options)
        self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def progress_bar(quiet: bool, total: int | None = None, unit: str = "rows", desc: str = ""):
    """A tqdm bar on stderr when it is a terminal and not --quiet (shown from the first rows
    done on), else a no-op."""
    from tqdm import tqdm

    if quiet or not sys.stderr.isatty():
        return tqdm(disable=True)
    return _LazyBar(total=total, unit=unit, desc=desc, file=sys.stderr, unit_scale=True, dynamic_ncols=True)


def info(quiet: bool, message: str) -> None:
    if not quiet:
        click.echo(message, err=True)


_READER_OPTIONS = {
    "text_col": click.option("--text-col", help="Column holding the text (default: found by name, e.g. 投诉内容, "
                                                "content; `text` in tables voc writes)."),
    "id_col": click.option("--id-col", help="Column holding the ticket id (default: found by name; else file:row)."),
    "encoding": click.option("--encoding", help="Text encoding of CSV/TXT inputs (default: detected; e.g. gbk)."),
    "sheet": click.option("--sheet", help="Excel sheet to read (required when a workbook has several); applies to "
                                          "every workbook given. FILE.xlsx:SHEET as an input picks that file's sheet."),
    "on_bad_rows": click.option("--on-bad-rows", type=click.Choice(["error", "skip"]), default="error",
                                show_default=True, help="Stop at a malformed row, or skip it and list it."),
}


#: ``--text-col`` of the commands that read tagged tables as they are (``voc review``, ``voc agreement``): the
#: column ``voc tag --text-col`` was given, which a Parquet or Excel output remembers
#: (:func:`voiceofcustomer.statements.open_statements`) and a CSV one does not.
tagged_text_col_option = click.option(
    "--text-col", default=None,
    help="The tables' text column (as given to voc tag --text-col); a Parquet or Excel output of voc tag "
         "remembers it, a CSV one does not.")


def _given_columns(ctx, param, value):
    """``--text-col`` / ``--id-col`` given once (the column of every input) or more (``--text-col
    您对我们的服务还有什么建议？ --text-col 投诉内容``: each input reads the one it has): None, a name, or a tuple of names."""
    from voiceofcustomer.io.readers import given_columns

    return given_columns(list(value or ()) or None)


#: ``--text-col`` and ``--id-col`` of the commands that read several exports in one run (voc split, voc analyze,
#: voc themes): repeatable, each file reading the one of them it has
_PER_FILE_OPTIONS = {
    "text_col": click.option(
        "--text-col", multiple=True, callback=_given_columns, metavar="COL",
        help="Column holding the text (default: found by name, e.g. 投诉内容, content; `text` in tables voc writes). "
             "Repeat it for inputs whose text is in different columns (a survey's 您对我们的服务还有什么建议？ and a "
             "ticket export's 投诉内容): each file reads the one it has."),
    "id_col": click.option(
        "--id-col", multiple=True, callback=_given_columns, metavar="COL",
        help="Column holding the ticket id (default: found by name, a survey's 答卷编号; else file:row). Repeat it "
             "for inputs whose ids are in different columns (工单编号 and 受理流水): each file uses the one it has."),
}


#: ``--text-col`` of ``voc review``, which opens one project on several tagged tables: as
#: :data:`tagged_text_col_option`, repeatable as the per-file ``--text-col`` (:func:`_given_columns`): each table
#: reads the one of them it has
tagged_text_cols_option = click.option(
    "--text-col", multiple=True, callback=_given_columns, metavar="COL",
    help="The tables' text column (as given to voc tag --text-col); a Parquet or Excel output of voc tag "
         "remembers it, a CSV one does not. Repeat it for tables whose text is in different columns (a hotline's "
         "客户原话 and a callback team's 回访实录): each table reads the one it has.")


def with_reader_options(fn=None, *, skip: tuple[str, ...] = (), per_file: bool = False):
    """Add the options every table-reading command shares (--text-col, --id-col, --encoding,
    --sheet, --on-bad-rows), defined once so that they read and behave the same everywhere.

    ``skip`` leaves out those a command cannot use, e.g. ``@with_reader_options(skip=("id_col",))``;
    ``per_file``: ``--text-col`` and ``--id-col`` may be repeated, each file reading the one it has
    (:func:`_given_columns`).
    """
    def decorate(f):
        for name, opt in reversed(list(_READER_OPTIONS.items())):
            if name not in skip:
                f = ((_PER_FILE_OPTIONS.get(name) if per_file else None) or opt)(f)
        return f

    return decorate(fn) if fn is not None else decorate


def _split_by(ctx, param, value) -> list[str]:
    return list(dict.fromkeys(c.strip() for spec in value or () for c in spec.split(",") if c.strip()))


#: ``--by`` (repeatable and comma-separated), parsed here once into a list of column names.
by_option = click.option("--by", "by", multiple=True, callback=_split_by, metavar="COL[,COL]",
                         help="Grouping column(s), comma-separated or repeated (e.g. group,city,渠道).")


#: ``--moderator`` (repeatable and comma-separated): transcript speaker labels whose turns are the moderator's.
moderator_option = click.option(
    "--moderator", "moderators", multiple=True, callback=_split_by, metavar="NAME[,NAME]",
    help="Speaker label(s) of the moderator in transcripts that do not say it, e.g. 说话人1 of a machine "
         "transcription (主持人, M, Q and the header's 主持人：name are always the moderator). Without it, a "
         "transcript naming none takes the speaker who speaks first and mostly asks, when one clearly does; "
         "'none': take no one.")


#: ``--staff-section`` (repeatable and comma-separated): section labels of a ticket's text written by staff.
staff_section_option = click.option(
    "--staff-section", "staff_sections", multiple=True, callback=_split_by, metavar="NAME[,NAME]",
    help="Section label(s) of a ticket's text written by staff, besides 处理过程, 处理结果, 工单回访, 回访记录, 答复, "
         "坐席备注 … (docs/io.md, \"Staff sections\"): 【NAME】 or NAME： opens a section whose sentences are kept with "
         "role staff and never counted.")

#: ``--customer-section`` (repeatable and comma-separated): section labels of a ticket's text holding the
#: customer's words.
customer_section_option = click.option(
    "--customer-section", "customer_sections", multiple=True, callback=_split_by, metavar="NAME[,NAME]",
    help="Section label(s) of a ticket's text holding the customer's words, besides 投诉内容, 客户反映, 问题描述, "
         "客户诉求 … (docs/io.md, \"Staff sections\"): a 【NAME】 in no list is otherwise read as a field of the "
         "ticket (like 【工单号】) and not counted.")


def warn_no_moderator(files) -> None:
    """Transcripts without a moderator turn: their questions would count as customers' statements."""
    for f in files:
        click.echo(f"warning: {f}: no turn is the moderator's (主持人, M, Q or the header's 主持人：name), so every "
                   "turn counts as a customer statement; if one speaker is the moderator, give --moderator NAME "
                   "(e.g. --moderator 说话人1)", err=True)


def note_no_group(files, *, group_option: bool = True) -> None:
    """Transcripts that name no customer group: their statements are no group's, and groups are not compared.
    A sheet of turns gets it in a row above its title row, a .txt / .docx in a header line; ``group_option``: the
    command takes ``--group`` (voc split, voc analyze; not voc themes)."""
    from voiceofcustomer.io.transcript import TURN_TABLE_SUFFIXES

    for f in files:
        sheet = Path(f).suffix.lower() in TURN_TABLE_SUFFIXES
        where = "in a row above its title row" if sheet else "as a line of its header"
        give = ("give --group public (or business), or write 客户群：公众用户 " if group_option
                else "write 客户群：公众用户 ")
        click.echo(f"note: {f}: a {'sheet of turns' if sheet else 'transcript'} naming no customer group, so its "
                   f"statements have none (the report compares no groups); {give}{where}", err=True)


def note_city_from_title(found, *, city_option: bool = True) -> None:
    """Transcripts whose city is the one their title names (no 城市 line, 地点 nor ``--city``): which city, and how to
    change it. ``city_option``: the command takes ``--city`` (voc split, voc analyze; not voc themes)."""
    from voiceofcustomer.io.transcript import TURN_TABLE_SUFFIXES

    for f, city in found:
        where = "in a row above its title row" if Path(f).suffix.lower() in TURN_TABLE_SUFFIXES else "in the header"
        give = " (or give --city)" if city_option else ""
        click.echo(f"note: {f}: city {city} taken from the title; write 城市：… {where}{give} to change it", err=True)


def note_detected_moderators(found) -> None:
    """Transcripts naming no moderator whose moderator was taken from how one speaker speaks: who, why, how to undo."""
    for f, speaker, why in found:
        click.echo(f"note: {f}: names no moderator; took {speaker} for the moderator ({why}); if that is wrong, "
                   f"give --moderator NAME, or --moderator none for no moderator", err=True)


def warn_unlisted_speakers(found) -> None:
    """Participants speaking under a name the header's 参与者 lacks: maybe one person written two ways."""
    for f, names in found:
        click.echo(f"warning: {f}: speaking but not in the header's 参与者: {', '.join(names)}; if one is a listed "
                   "person written another way, write the name as the header does and run again (until then those "
                   "words are counted and quoted as another speaker's, without the attributes)", err=True)


def warn_same_transcripts(found) -> None:
    """A transcript given twice (.txt and .docx of one focus group): its statements would count twice."""
    for earlier, f, session, again in found:
        click.echo(f"warning: {earlier} and {f} give the same session {session} with the same turns: both are kept, "
                   f"the second as session {again}, so every statement counts twice; if they are one focus group "
                   "saved twice, give one of them", err=True)


def report_bad_rows(bad_rows, output, quiet: bool) -> None:
    """Skipped rows never vanish: list them on stderr and in OUTPUT.skipped.csv."""
    if not bad_rows:
        return
    import pandas as pd

    from voiceofcustomer.io.writers import write_table

    side = output.with_name(output.stem + ".skipped.csv")
    write_table(pd.DataFrame(bad_rows, columns=["file", "line", "reason"]), side)
    list_bad_rows(bad_rows, side)


def list_bad_rows(bad_rows, side) -> None:
    """List skipped rows on stderr, naming the file ``side`` that holds all of them (the commands
    that write a folder as one piece write it themselves, inside that folder)."""
    if not bad_rows:
        return
    click.echo(f"skipped {plural(len(bad_rows), 'malformed row')} (listed in {side}):", err=True)
    from voiceofcustomer.io.readers import bad_row_place

    for f, line, reason in bad_rows[:10]:  # a workbook's row 7, a text file's line 7
        click.echo(f"  {f}: {bad_row_place(line)}: {reason}", err=True)
    if len(bad_rows) > 10:
        click.echo(f"  … and {len(bad_rows) - 10} more", err=True)


def titles_said(titles) -> str:
    """What a run's summary line adds of sheets whose header was found under a title row (``[{"file", "title",
    "header_row", "title_row"}]``: :func:`~voiceofcustomer.io.readers.title_rows_of`, ``voc audit``'s settings):
    ``; tickets_oct.xlsx: header in row 2, under the title '2026年10月全省投诉工单明细' in row 1``; '' for none.
    ``voc tag``, ``voc split``, ``voc analyze`` and ``voc audit`` alike; a header of two rows under merged cells
    (``header_last_row``, ``voc audit``'s) is ``header in rows 2–3``."""
    def rows(t) -> str:
        last = t.get("header_last_row")
        return f"rows {t['header_row']}–{last}" if last else f"row {t['header_row']}"

    return "".join(f"; {t['file']}: header in {rows(t)}, under the title {t['title']!r} in row "
                   f"{t['title_row']}" for t in titles)


def totals_set_aside(n: int, headers: int = 0) -> str:
    """What a run's summary line adds of an export's totals rows (``合计,,,,共330条``, set aside by the reader's
    :func:`~voiceofcustomer.io.readers.totals_rows`) and of its header row repeated among its rows
    (:func:`~voiceofcustomer.io.readers.header_rows`), ``voc tag``'s and ``voc split``'s alike; '' for none."""
    from voiceofcustomer.io.readers import HEADER_NOTE, TOTALS_NOTE

    said = f"; {plural(n, 'totals row')} (合计 …) set aside with the note '{TOTALS_NOTE}', not counted" if n else ""
    if headers:
        said += f"; {plural(headers, 'repeated header row')} set aside with the note '{HEADER_NOTE}', not counted"
    return said


def warn_long_cells(n: int, path) -> None:
    """Say how many texts were too long for an Excel cell (their full text is in a spill sheet)."""
    if n:
        from voiceofcustomer.io.writers import EXCEL_CELL_LIMIT, LONG_TEXT_SHEET

        click.echo(f"warning: {n} texts are longer than Excel's {EXCEL_CELL_LIMIT:,}-character cell limit; "
                   f"the cells hold their start, the full texts are in sheet {LONG_TEXT_SHEET!r} of {path}",
                   err=True)


_PATH_PROBLEMS = (("does not exist", "file not found; check the path"),
                  ("is a directory", "is a folder, not a file; give the file inside it"),
                  ("is not readable", "cannot be read (permission denied); check its permissions"),
                  ("is a file", "is a file, not a folder; give a folder"),
                  ("is not writable", "cannot be written (permission denied); choose another place"))


def one_line_usage_error(exc: click.UsageError) -> UserError:
    """click's usage errors (missing/unreadable file arguments, bad option values) in the
    project's one-line form: ``PATH: what is wrong; what to do`` (exit 2, no usage block)."""
    ctx = exc.ctx
    command = ctx.command_path if ctx is not None else "voc"
    message = exc.format_message() if isinstance(exc, click.BadParameter) else exc.message
    if isinstance(exc, click.BadParameter) and isinstance(getattr(exc.param, "type", None), click.Path):
        found = re.search(r"'(.*)' (does not exist|is a directory|is not readable|is a file|is not writable)",
                          exc.message)
        if found:
            what = dict(_PATH_PROBLEMS)[found.group(2)]
            return UserError(f"{found.group(1)}: {what}")
    message = " ".join(message.split()).rstrip(".")
    return UserError(f"{command}: {message}; see '{command} --help'")


class VocGroup(click.Group):
    """The ``voc`` group: usage errors come out as one line like every other error."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise one_line_usage_error(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise one_line_usage_error(exc) from None



# Earlier private spellings, kept only so that command modules written before the
# rename still import; new code imports the public names (tests/test_architecture.py
# fails on any import of these from another module).
_progress = progress_bar
_info = info
_report_bad_rows = report_bad_rows

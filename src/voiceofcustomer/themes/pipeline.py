"""``run_themes``: what ``voc themes`` does, as one library call.

Reads a statements table (from ``voc split`` / ``voc tag``) as it is, or any
other input the readers take (transcripts, ticket exports) through
:func:`~voiceofcustomer.text.split.split_inputs`; fits a :class:`ThemeModel`; writes
the outputs of :mod:`.report`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer import statements as S
from voiceofcustomer.errors import ColumnError, InputError, VocError, no_column
from voiceofcustomer.io.readers import TABLE_SUFFIXES, inputs_shown
from voiceofcustomer.report.folder import OutputFolder, check_output_folder
from voiceofcustomer.statements import STATEMENT_ID, TEXT, is_statements_table, open_statements
from voiceofcustomer.text.split import SplitSummary, input_labels, split_inputs
from voiceofcustomer.themes.model import DEFAULT_EMBEDDING, ThemeModel
from voiceofcustomer.themes.report import class_columns, write_outputs

__all__ = ["DETECTED", "check_columns", "default_cache_dir", "detect_small_talk", "load_checked", "load_inputs",
           "run_themes", "theme_file_names", "transcript_findings"]


def default_cache_dir(out_dir: str | Path) -> Path:
    """``.voc_cache/`` next to the output folder (``out/themes`` → ``out/.voc_cache``)."""
    out = Path(out_dir).resolve()
    return out.parent / ".voc_cache"


#: What one statement of a ticket export is (``unit=``): a sentence, as ``voc split`` and ``voc analyze``
#: make them, or the whole row, as ``voc tag`` reads an export.
UNITS = ("statement", "ticket")


def _statements_table(path: Path, *, text_col: str | Sequence[str] | None, encoding: str | None,
                      sheet: str | None, whole_rows: bool = False, id_col: str | Sequence[str] | None = None) -> pd.DataFrame | None:
    """The file as statements if some ``voc`` command wrote it (split, tag, themes) or ``whole_rows``
    asks for a table's rows as they are, else None (split it)."""
    if path.suffix.lower() not in TABLE_SUFFIXES or path.suffix.lower() == ".txt":
        return None
    try:
        source = open_statements(path, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet)
    except ColumnError:
        if whole_rows:
            raise
        return None
    if not whole_rows and not is_statements_table(source.file_columns):  # not the statement_id the opener adds
        return None
    return source.read()


def load_inputs(inputs: Sequence[str | Path], *, text_col: str | Sequence[str] | None = None,
                encoding: str | None = None, sheet: str | None = None, unit: str = "statement",
                id_col: str | Sequence[str] | None = None,
                moderators: Sequence[str] = (), summary: SplitSummary | None = None,
                progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """All inputs as one statements table (statements tables as they are, anything else split).

    ``text_col`` / ``id_col``: a ticket export's text and id columns (``工单流水``), as ``voc split`` / ``voc analyze``
    take them: one for every input or several, each file reading the one it has; by default found by name, the
    id else ``file:row``.

    ``moderators``: transcript speaker labels whose turns are the moderator's (``说话人1``; ``none``: no one), as
    ``voc split`` takes them; ``summary``: a :class:`~voiceofcustomer.text.split.SplitSummary` that gets what the
    split found (``no_moderator``, ``detected_moderators``, ``unlisted_speakers``), for the caller to say.

    ``unit="ticket"``: a ticket export's rows are statements as they are, not split into sentences —
    the unit a tagged export (``voc tag tickets.csv``) already has. Split, a ticket's closing request
    (希望给个说法。) is a statement of its own, which takes its ticket's theme (``themes/tickets.py``;
    ``benchmarks/themes_granularity.py --unit``; docs/themes.md). Transcripts are always split."""
    if unit not in UNITS:
        raise VocError(f"unit= must be one of {', '.join(UNITS)}, not {unit!r}", params=("unit",))
    say = progress or (lambda _m: None)
    frames, of_input = [], []  # the statements, and the input each frame is of
    names = input_labels([(Path(p), None) for p in inputs])  # the source a voc split of the inputs names
    for k, (p, (name, _stem)) in enumerate(zip(inputs, names)):
        path = Path(p)
        if not path.exists():
            raise InputError(f"{path}: file not found; check the path")
        table = _statements_table(path, text_col=text_col, encoding=encoding, sheet=sheet,
                                  whole_rows=unit == "ticket", id_col=id_col)
        if table is not None:
            say(f"read {len(table)} statements from {path}")
            if S.SOURCE not in table.columns:
                # a voc tag output of an export has no source: its rows are the file's, as a split export's are
                # the export's; without it, statement_topics.csv of tagged_oct.csv and tagged_nov.csv had none,
                # and voc review gave every ticket the source statement_topics.csv
                table[S.SOURCE] = name
            frames.append(table)
            of_input.append(k)
            continue
        n = 0
        for chunk in split_inputs([path], text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                                  moderators=moderators, summary=summary):
            frames.append(chunk)
            of_input.append(k)
            n += len(chunk)
        say(f"split {path} into {n} statements")
    if not frames:
        raise InputError("no input files given")
    origin = np.repeat(of_input, [len(f) for f in frames])  # which input a row is of
    df = pd.concat(frames, ignore_index=True)
    if df[STATEMENT_ID].duplicated().any():
        # Two inputs may reuse ids (two exports numbered from 1), and an export repeats a ticket: the ids
        # voc review gives the same table (statements.numbered_ids: the first row keeps its id, T1005, a later
        # one is T1005#2), and a row with the id and text of an earlier row is that row again, a repeat
        # (is_duplicate: counted nowhere, as voc freq and voc review count it). Until 6 Dec 2026 both rows were
        # T1005#1 and T1005#2, and a project opened on statement_topics.csv coded and counted the ticket twice.
        # an id voc split made from the row (工单:3-s01 of a/工单.csv and of b/工单.csv, split apart) is its file's:
        # the same made id and words in another input is another ticket's statement, not a repeat
        made = (S.made_ticket_ids(df[S.TICKET_ID], df[S.SESSION])
                if S.TICKET_ID in df.columns and S.SESSION in df.columns else np.zeros(len(df), dtype=bool))
        key = df[[STATEMENT_ID, TEXT]].assign(_input=np.where(made, origin, -1))
        same = key.duplicated().to_numpy() & df[STATEMENT_ID].notna().to_numpy()
        if same.any():
            earlier = S.truthy(df[S.IS_DUPLICATE]) if S.IS_DUPLICATE in df.columns else np.zeros(len(df), bool)
            df[S.IS_DUPLICATE] = earlier | same
        df[STATEMENT_ID] = S.numbered_ids(df[STATEMENT_ID])[0]
    return df


#: Column holding the detected ``servqual`` of untagged focus-group statements (see ``detect_small_talk``).
DETECTED = "servqual_detected"


def detect_small_talk(df: pd.DataFrame, *, progress: Callable[[str], None] | None = None) -> tuple[pd.DataFrame, str]:
    """The table the theme model fits, and the column whose ``none`` marks statements without service content.

    A tagged input (``servqual`` column) is used as it is. In an untagged input,
    focus-group statements (rows with a ``role``) get their ``servqual`` from the
    shipped label model, only to set introductions and small talk aside
    ("我姓孙，在桥西区开一家打印店"): they would otherwise form a theme of their
    own. Tickets are not tagged here (``voc tag`` first when they should be).
    """
    if S.LABEL_FIELDS[0] in df.columns:
        return df, S.LABEL_FIELDS[0]
    if S.ROLE not in df.columns:
        return df, DETECTED
    role = df[S.ROLE].astype("string").str.strip().str.lower()
    rows = role.isin([S.PARTICIPANT, S.MODERATOR]).fillna(False).to_numpy(bool)
    if not (rows & role.eq(S.PARTICIPANT).fillna(False).to_numpy(bool)).any():
        return df, DETECTED
    from voiceofcustomer.labels.context import transcript_rules, transcript_context
    from voiceofcustomer.labels.model import load_model

    n = int(role.eq(S.PARTICIPANT).sum())
    (progress or (lambda _m: None))(f"small talk: tagging servqual of {n} focus-group statements")
    part = df.loc[rows].reset_index(drop=True)
    # as voc tag labels a transcript: with the question as context, then the guide's R6/R7 rules
    pred = load_model().predict(part[S.TEXT].fillna("").astype(str).tolist(), transcript_context(part))
    pred = transcript_rules(pd.concat([part, pred.assign(**{S.NEEDS_REVIEW: False})], axis=1))
    detected = np.full(len(df), "", dtype=object)
    detected[rows] = np.where(part[S.ROLE].astype("string").str.strip().str.lower().eq(S.PARTICIPANT).fillna(False),
                              pred[S.LABEL_FIELDS[0]].to_numpy(dtype=object), "")
    return df.assign(**{DETECTED: detected}), DETECTED


def check_columns(df: pd.DataFrame, where: str = "", **named: str | None) -> None:
    """One line naming the option and the inputs' own columns when a column given by name
    (``date_col=``, ``thread_col=``) is not in ``df``, after ``where`` (the inputs: ``tagged.parquet: ``)."""
    own = S.own_columns(df.columns) or list(df.columns)  # the inputs' own columns (not a coded.xlsx's decided …)
    for name, col in named.items():
        if col is not None and col not in df.columns:
            raise no_column(where, col, own, name)


def load_checked(inputs: Sequence[str | Path], *, by: Sequence[str] = (), date_col: str | None = None,
                 thread_col: str | None = None, progress: Callable[[str], None] | None = None,
                 **read) -> tuple[pd.DataFrame, list[str]]:
    """:func:`load_inputs` (``read``: its options) with the columns ``by``, ``date_col`` and ``thread_col`` name
    checked; the table and the ``by`` columns. Its progress is said once they are checked.

    Why: a misspelt ``--by`` or ``--date-col`` stopped the run after 'read 234 statements from tagged.parquet'
    had been said, in a message naming no file; a bad option gets its one line, naming the inputs, and
    nothing else (docs/io.md: no progress before the inputs are checked)."""
    said: list[str] = []
    df = load_inputs(inputs, progress=said.append, **read)
    where = f"{inputs_shown(inputs)}: "
    by = class_columns(df, list(by), where)
    check_columns(df, where, date_col=date_col, thread_col=thread_col)
    for message in said:
        (progress or (lambda _m: None))(message)
    return df, by


def run_themes(inputs: Sequence[str | Path], out_dir: str | Path, *, embedding: str = DEFAULT_EMBEDDING,
               by: Sequence[str] = (), date_col: str | None = None, period: str = "month",
               min_topic_size: int | None = None, n_topics: int | None = None,
               text_col: str | Sequence[str] | None = None, id_col: str | Sequence[str] | None = None,
               encoding: str | None = None, sheet: str | None = None, cache_dir: str | Path | None = None,
               seed: int = 42, min_conf: float | None = 0.02, engine: str = "local", scheduler: str | None = None,
               unit: str = "statement", thread_col: str | None = None, moderators: Sequence[str] = (),
               progress: Callable[[str], None] | None = None) -> dict:
    """Read ``inputs``, find the themes, write the outputs into ``out_dir``.

    ``moderators``: transcript speaker labels whose turns are the moderator's (``说话人1``; ``none``: no one), as
    ``voc split`` takes them; what the split found about moderators is returned (``"transcripts"``), not said.

    ``unit="ticket"`` themes a ticket export's rows whole (:func:`load_inputs`).

    ``thread_col``: rows sharing its value are one conversation, whose follow-up posts ("已私信",
    "请回复") take its theme (``ThemeModel(thread_col=…)``).

    ``engine="dask"`` embeds on a Dask cluster (``scheduler`` address, or a local cluster).

    ``out_dir`` is written as one piece (:class:`~voiceofcustomer.report.folder.OutputFolder`):
    a run that fails or is interrupted leaves it as it was, and afterwards it holds exactly this
    run's files (a ``topics_by_<col>.csv`` or ``topics_over_time.csv`` of an earlier run that
    this one does not write is removed; files of yours in the folder are never touched).

    Returns:
        The ``themes.json`` content (a dict), with ``"files"``: the paths written, and ``"transcripts"``: what
        :func:`transcript_findings` gives.
    """
    say = progress or (lambda _m: None)
    t0 = time.perf_counter()
    if period not in ("month", "week"):
        raise VocError(f"period= must be month or week, not {period!r}", params=("period",))
    check_output_folder(out_dir)  # before the fit: a -o that cannot be a folder fails at once
    summary = SplitSummary()
    df, by = load_checked(inputs, by=by, date_col=date_col, thread_col=thread_col, text_col=text_col,
                          id_col=id_col, encoding=encoding, sheet=sheet, unit=unit, moderators=moderators,
                          summary=summary, progress=say)
    read_s = time.perf_counter() - t0
    cache = Path(cache_dir) if cache_dir else default_cache_dir(out_dir)
    fit_df, noise_field = detect_small_talk(df, progress=say)
    model = ThemeModel(embedding=embedding, n_topics=n_topics, min_topic_size=min_topic_size, random_state=seed,
                       cache_dir=cache, noise_field=noise_field, min_conf=min_conf, engine=engine,
                       scheduler=scheduler, thread_col=thread_col, progress=say)
    model.fit(fit_df, text_col=TEXT)
    t = time.perf_counter()
    by_tables = {}
    for col in by:
        say(f"topics per {col}")
        by_tables[col] = model.topics_per_class(df[col].tolist())
    over_time = None
    if date_col is not None:
        say(f"topics over time ({period}) from {date_col}")
        over_time = model.topics_over_time(df[date_col].tolist(), period=period)
    model.info_["timings_s"]["per_class_and_time"] = round(time.perf_counter() - t, 2)
    model.info_["timings_s"]["read"] = round(read_s, 2)
    say("writing outputs")
    t = time.perf_counter()
    extra = {"inputs": [str(p) for p in inputs], "by": list(by), "date_col": date_col,
             "period": period if date_col else None, "cache_dir": str(cache),
             "moderators": moderators_taken(df, inputs, summary, moderators)}
    # written beside out_dir and put in place whole: an interrupted run leaves the earlier output, and
    # a topics_by_<col>.csv / topics_over_time.csv of an earlier run that this one does not write goes
    folder = OutputFolder(out_dir, "themes", legacy=theme_file_names)
    with folder as build:
        files = write_outputs(model, build, by_tables=by_tables, over_time=over_time, extra_info=extra,
                              statements=df)
    model.info_["timings_s"]["write"] = round(time.perf_counter() - t, 2)
    info = dict(model.info_, **extra)
    info["files"] = {k: str(folder.final(v)) for k, v in files.items()}
    info["transcripts"] = transcript_findings(summary)
    return info


def moderators_taken(df: pd.DataFrame, inputs: Sequence[str | Path], summary: SplitSummary,
                     moderators: Sequence[str] = ()) -> dict:
    """Whose turns were taken for the moderator's and so left out of the themes, for ``themes.json``:
    ``option`` (``--moderator`` as given: ``["说话人1"]``, ``["none"]``, or ``[]``), ``taken`` (one entry per
    source and speaker: ``{"source", "speaker", "how", "statements"}``, ``how`` being ``--moderator`` (the option
    named the speaker), ``detected`` (no one was named and the speaker who speaks first and asks was taken; with
    ``why``) or ``transcript`` (the transcript's own label or header, 主持人：…, or a statements table's ``role``);
    ``statements``: the rows of that speaker left out) and ``none_found`` (transcripts where no one was taken).

    Why: themes.json said nothing of it — a reader of an output of ``stt_export.txt`` could not see that 说话人1's
    questions were excluded, nor whether it was the option or the detection that took her."""
    given = [m.strip() for m in moderators if m.strip()]
    named = {m.lower() for m in given if m.lower() != "none"}
    names = dict(zip(map(str, map(Path, inputs)), (n for n, _ in input_labels([(Path(p), None) for p in inputs]))))
    detected = {(names.get(str(Path(f)), Path(f).name), who): why for f, who, why in summary.detected_moderators}
    taken = []
    if S.ROLE in df.columns and S.SPEAKER in df.columns:
        role = df[S.ROLE].astype("string").str.strip().str.lower().eq(S.MODERATOR).fillna(False).to_numpy(bool)
        mods = df.loc[role, [c for c in (S.SOURCE, S.SPEAKER) if c in df.columns]].astype("string").fillna("")
        if S.SOURCE not in mods.columns:
            mods[S.SOURCE] = ""
        for (source, speaker), rows in mods.groupby([S.SOURCE, S.SPEAKER], sort=False):
            entry = {"source": source, "speaker": speaker, "statements": int(len(rows))}
            if (source, speaker) in detected:
                entry.update(how="detected", why=detected[(source, speaker)])
            elif speaker.lower() in named:
                entry["how"] = "--moderator"
            else:
                entry["how"] = "transcript"
            taken.append(entry)
    return {"option": given, "taken": taken,
            "none_found": [names.get(str(Path(f)), Path(f).name) for f in summary.no_moderator]}


def transcript_findings(summary: SplitSummary) -> dict:
    """What reading the transcripts found that a user should be told, as ``voc split`` tells it: ``no_moderator``
    (files), ``detected_moderators`` ((file, speaker, why)), ``unlisted_speakers`` ((file, names)), ``no_group``
    (files naming no customer group), ``city_from_title`` ((file, city) whose title named the city)."""
    return {"no_moderator": list(summary.no_moderator), "detected_moderators": list(summary.detected_moderators),
            "unlisted_speakers": list(summary.unlisted_speakers), "no_group": list(summary.no_group),
            "city_from_title": list(summary.city_from_title)}


def theme_file_names(folder: str | Path) -> set[str]:
    """The files an earlier ``voc themes`` (one without the folder's record) wrote in ``folder``:
    those its ``themes.json`` lists, else the fixed names."""
    import json

    names = {"topics.csv", "statement_topics.csv", "themes.json", "themes.html"}
    try:
        listed = json.loads((Path(folder) / "themes.json").read_text(encoding="utf-8")).get("outputs", [])
    except (OSError, ValueError, AttributeError):
        return names
    return names | {n for n in listed if isinstance(n, str) and "/" not in n and "\\" not in n}

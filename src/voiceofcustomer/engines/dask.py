"""The Dask engine: ``voc tag`` and ``voc freq`` over partitions, on a Dask cluster.

Why Dask: when one machine is not enough, a team can add machines without changing how
it runs the tool. The work is the same library code as the local engine, one task per
partition file: tagging runs :func:`~voiceofcustomer.labels.tagging.tag_chunks` on the
partition's chunks and writes one Parquet part; counting feeds the partition to a
frequency tally (:func:`~voiceofcustomer.freq.tables.make_tally`), and the client merges
the tallies in partition order, so the tables equal the local engine's.

The model is loaded once per worker process (kept in a module-level cache there) and
reused by every task that worker runs. Workers read the input and write the output by
path, so on a real cluster both must be on storage every worker sees (a shared or
network file system); see docs/scale.md.

Without ``scheduler`` a local cluster is started: 2 worker processes, 1 thread each,
no dashboard.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Callable

from voiceofcustomer.engines import inputs_name, partitions
from voiceofcustomer.errors import InputError, VocError
from voiceofcustomer.labels.taxonomy import DEFAULT_REVIEW_BELOW
from voiceofcustomer.statements import TEXT, TEXT_COL_PROPERTY, TICKET_ID

__all__ = ["DaskEncoder", "tag_dataset", "freq_dataset", "dask_client"]

_MODELS: dict = {}  # per worker process: model path → loaded fast model
_EMBEDDERS: dict = {}  # per worker process: embedder tag → loaded embedder (USE: 65 MB of weights)


#: Seconds to wait for a scheduler's answer (connect and handshake) before giving up.
CONNECT_TIMEOUT = 20


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, *, n_workers: int = 2):
    """A ``distributed.Client`` on ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``) or on a new local cluster.

    An address that is not a scheduler's ends in a :class:`VocError` within :data:`CONNECT_TIMEOUT`
    (``Client()`` alone waits for ever when something else listens there, e.g. the dashboard's
    port), and so does a scheduler lost mid-run (it died, the network went) or a worker that kept
    dying on a task, rather than a traceback.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - dask is a pinned dependency
        raise VocError("the Dask engine needs dask[distributed]; pip install -r requirements.txt") from None
    import logging

    from distributed.utils import silence_logging_cmgr

    # What goes wrong reaches the user as one line (below); distributed's own log records of it
    # (the client's reconnect attempts and their tracebacks when the scheduler died, a worker
    # stopped by Ctrl-C …) would bury that line.
    quiet = logging.CRITICAL
    if scheduler:
        _check_scheduler(scheduler)
        with silence_logging_cmgr(quiet):
            try:
                client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s")
            except (OSError, TimeoutError) as exc:
                raise VocError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start it with "
                               "`dask scheduler` or check the address") from None
            try:
                with _cluster_errors(scheduler):
                    yield client
            finally:
                client.close()
        return
    # The scheduler's HTTP endpoint on any free local port: on the default 8787, taken by another
    # cluster (a notebook's, a second voc run), distributed warned in four lines and moved anyway.
    with _sigint_ignored():
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}, silence_logs=quiet)
    with cluster, Client(cluster) as client, _cluster_errors("the local cluster"):
        yield client


@contextlib.contextmanager
def _sigint_ignored():
    """SIGINT ignored while the local cluster starts its worker processes, which inherit that: they
    leave Ctrl-C to this process, which stops them (each printed a KeyboardInterrupt traceback of
    its own). A Ctrl-C during those seconds of start-up is lost; the next one stops the run."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_scheduler(address: str) -> None:
    """Raise :class:`VocError` unless a Dask scheduler answers at ``address`` within :data:`CONNECT_TIMEOUT`."""
    import asyncio
    import concurrent.futures

    from distributed.comm import connect, parse_address
    from distributed.comm.registry import get_backend

    async def hello():
        get_backend(parse_address(address)[0])  # an unknown scheme (http://…) is a ValueError
        comm = await asyncio.wait_for(connect(address, timeout=CONNECT_TIMEOUT), CONNECT_TIMEOUT)
        await comm.close()

    try:  # in a thread of its own: the caller may be running an event loop (a notebook)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, hello()).result()
    except ValueError as exc:  # no such scheme, no port …
        raise VocError(f"{address}: not a Dask scheduler address ({exc}); give tcp://HOST:PORT, the scheduler's "
                       "port (8786 unless it was started with another)") from None
    except Exception as exc:  # refused, timed out, or something else answering (a web server …)
        if isinstance(exc, OSError):
            reason = str(exc) or f"no answer within {CONNECT_TIMEOUT} s"
        else:
            reason = "what answers there is not a Dask scheduler"
        raise VocError(f"cannot reach the Dask scheduler at {address} ({reason}); start it with `dask scheduler`, "
                       "or check the address and port (the scheduler's, 8786 by default; 8787 is its "
                       "dashboard)") from None


@contextlib.contextmanager
def _cluster_errors(where: str):
    """The cluster failing under a running job, as one :class:`VocError`."""
    from distributed import CancelledError
    from distributed.comm import CommClosedError
    from distributed.scheduler import KilledWorker

    try:
        yield
    except KilledWorker as exc:
        raise VocError(f"a Dask worker of {where} died on every try of one task ({exc.task}), e.g. out of memory; "
                       "nothing was written: check the workers' memory and logs, then run again") from None
    except (CancelledError, CommClosedError) as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise VocError(f"lost the connection to the Dask scheduler at {where} ({reason}); "
                       "nothing was written: check that the scheduler is running, then run again") from None


def _model(model_path: str | None):
    model = _MODELS.get(model_path)
    if model is None:
        from voiceofcustomer.labels.tagging import load_fast_model

        model = _MODELS[model_path] = load_fast_model(model_path)
    return model


def _tag_partition(i: int, path: str, work: str, opts: dict, text_col: str | None = None,
                   seed: tuple | None = None) -> dict:
    """Worker task: tag one partition file into ``work/part-<i>.parquet``. With ``text_col``, ``path``
    is a slice the client has already read (:func:`_slices`): its rows are taken as they are.

    The sentences of a split ticket read the earlier sentences of their ticket, as in a local run
    (:func:`~voiceofcustomer.labels.context.with_ticket_context`). ``seed`` is ``(ticket key,
    its last sentences)`` when the partition begins inside a ticket the one before ended with; the
    result names the ticket keys of the first and last rows and that last ticket's sentences
    (``first``, ``last``, ``tail``), so the client can tell (see :func:`tag_dataset`), and the title row the
    file's header was read under (``title_rows``: :func:`~voiceofcustomer.io.readers.title_rows_of`, as a local
    run says it; none for a slice, whose file the client read)."""
    from voiceofcustomer.io.readers import open_table, title_rows_of
    from voiceofcustomer.io.writers import TableWriter
    from voiceofcustomer.labels.context import CONTEXT_COL, ThreadContext, with_ticket_context
    from voiceofcustomer.labels.tagging import tag_chunks, tag_counts

    if not Path(work).is_dir():  # the run was given up (scheduler lost, Ctrl-C) and its folder removed:
        raise VocError(f"{work}: the run this task belonged to has ended")  # do not create it again
    if text_col is None:
        source = open_table(path, text_col=opts["text_col"], id_col=opts["id_col"], encoding=opts["encoding"],
                            on_bad_rows=opts["on_bad_rows"], chunksize=opts["chunksize"])
        chunks, text_col, bad, titles = source.chunks(), source.text_col, source.bad_rows, title_rows_of(path, source)
        # the reader adds _row and ticket_id; a ticket_id the input has itself (voc split) stays
        dropped = ("_row",) if TICKET_ID in source.columns else ("_row", TICKET_ID)
    else:
        chunks, bad, dropped, titles = _slice_chunks(path, opts["chunksize"]), [], ("_row",), []  # _slices: the rest
    threads, ends = ThreadContext(), {"first": None, "last": None}
    for text in seed[1] if seed else ():
        threads.step(seed[0], text)
    chunks = with_ticket_context(chunks, text_col, threads, ends)
    out = {"rows": 0, "needs_review": 0, "tagged": 0, "empty_rows": 0, "garbled_rows": 0, "totals_rows": 0,
           "header_rows": 0, "staff_rows": 0}
    properties = dict(opts.get("properties") or {})
    if isinstance(opts["text_col"], (tuple, list)) and text_col != TEXT:  # one of several given: the part's own,
        properties[TEXT_COL_PROPERTY] = text_col  # which later commands then find without --text-col
    with TableWriter(Path(work) / f"part-{i:05d}.parquet", sheet_name="tagged", properties=properties) as writer:
        for chunk in tag_chunks(chunks, text_col, model=_model(opts["model_path"]), n_jobs=1,
                                review_below=opts["review_below"], context_col=CONTEXT_COL, drop_columns=dropped):
            for k, n in tag_counts(chunk, text_col).items():  # the local engine's counts (needs_review: counted)
                if k != "rows":
                    out[k] += n
            writer.write(chunk)
    out["rows"] = out["tagged"] = writer.rows
    out.update(ends, tail=threads.turns(ends["last"]))
    out["bad_rows"] = [(path, line, reason) for line, reason in bad]
    out["title_rows"] = titles
    return out


#: A partition file larger than this is read by the client and cut into slices of
#: :data:`SLICE_ROWS` rows, one task each (see :func:`_slices`).
SLICE_BYTES = 8 * 1024 * 1024
SLICE_ROWS = 50_000


def _slices(path: Path, folder: Path, first: int, opts: dict, slice_rows: int):
    """Cut one big partition file into Parquet slices of ``slice_rows`` rows, as its reader reads it.

    Why: one file was one task, so a single export — the usual case for a complaint team — was
    tagged by one worker while the others waited. The client reads the file once, by the same
    reader and options the workers would (encoding, text and id columns, bad rows, ``_row`` and
    ``ticket_id``), and writes each slice as soon as it is full, so the workers tag the first
    slices while it reads on. Reading is some 20 times faster than tagging, so this costs little.

    A slice never ends inside a split ticket: it runs on to the ticket's last sentence, so each
    ticket's sentences are tagged in one task with the sentences before them as context.

    Yields ``(slice path, text column)`` for each slice (named ``first``, ``first + 1`` …), and
    returns the file's bad rows (``file, line, reason``) and the title row its header was read under
    (:func:`~voiceofcustomer.io.readers.title_rows_of`).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from voiceofcustomer.io.readers import ROW_NOTE, open_table, title_rows_of

    source = open_table(path, text_col=opts["text_col"], id_col=opts["id_col"], encoding=opts["encoding"],
                        on_bad_rows=opts["on_bad_rows"], chunksize=opts["chunksize"])
    from voiceofcustomer.labels.context import ticket_threads

    writer = schema = None
    n = k = 0
    hold = None  # the slice is full, but the ticket it ends with goes on: that ticket's key

    def close():
        writer.close()
        target = folder / f"slice-{first + k:05d}.parquet"
        (folder / f".slice-{first + k:05d}.tmp").rename(target)
        return str(target.resolve()), source.text_col

    own_ticket_id = TICKET_ID in source.columns  # a voc split table's own column: kept, as tag_table keeps it
    for chunk in source.chunks():
        if not own_ticket_id:  # the reader's, for messages and context only: not an output column
            chunk = chunk.drop(columns=[TICKET_ID], errors="ignore")
        if ROW_NOTE not in chunk.columns:  # the reader's row notes (a totals row) reach the worker in every slice
            chunk = chunk.assign(**{ROW_NOTE: None})
        if schema is None:  # every column text, as the reader gives it (a column of None stays text)
            schema = pa.schema([(c, pa.int64() if c == "_row" else pa.string()) for c in chunk.columns])
        keys = ticket_threads(chunk) or [None] * len(chunk)
        pos = 0
        while pos < len(chunk):
            if hold is not None:  # the rest of the ticket the full slice ends with
                end = pos
                while end < len(chunk) and keys[end] == hold:
                    end += 1
                if end > pos:
                    writer.write_table(pa.Table.from_pandas(chunk.iloc[pos:end], schema=schema,
                                                            preserve_index=False))
                pos = end
                if pos == len(chunk):
                    break  # the ticket may go on in the next chunk
                hold = None
                yield close()
                writer, n, k = None, 0, k + 1
                continue
            if writer is None:
                writer = pq.ParquetWriter(str(folder / f".slice-{first + k:05d}.tmp"), schema)
            take = min(slice_rows - n, len(chunk) - pos)
            writer.write_table(pa.Table.from_pandas(chunk.iloc[pos:pos + take], schema=schema, preserve_index=False))
            pos, n = pos + take, n + take
            if n == slice_rows:
                if keys[pos - 1] is not None:
                    hold = keys[pos - 1]
                    continue
                yield close()
                writer, n, k = None, 0, k + 1
    if writer is not None:
        yield close()
    return [(str(path), line, reason) for line, reason in source.bad_rows], title_rows_of(path, source)


def _slice_chunks(path: str, chunksize: int):
    """The rows of a slice, in chunks, as the reader gave them to :func:`_slices`."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=chunksize):
        chunk = batch.to_pandas()
        for c in chunk.columns:
            if c != "_row":
                chunk[c] = chunk[c].astype(object).where(chunk[c].notna(), None)
        yield chunk


def tag_dataset(input, output, *, text_col=None, id_col=None, encoding=None, on_bad_rows="error",
                review_below=DEFAULT_REVIEW_BELOW, model_path=None, chunksize=5000, scheduler=None,
                progress: Callable[[int], None] | None = None, slice_bytes: int = SLICE_BYTES,
                slice_rows: int = SLICE_ROWS):
    """Tag every partition of ``input`` on a Dask cluster into the Parquet dataset folder ``output``.

    ``output/part-00000.parquet`` … hold the partitions' rows in input order. The parts are
    written in a hidden folder beside ``output`` and moved into place when all are done: an
    earlier ``output`` is renamed aside, the new folder renamed in, and only then is the earlier one
    removed (:func:`~voiceofcustomer.io.writers.replace_folder`), so a stop or an error never
    leaves neither; a Ctrl-C or SIGTERM during those steps waits for them and names ``output`` as
    written (``KeyboardInterrupt.outputs_written``).
    A partition file over ``slice_bytes`` is cut by the client into tasks of ``slice_rows``
    rows (:func:`_slices`), so one big export keeps every worker busy.
    """
    from distributed import as_completed

    from voiceofcustomer.io.writers import remove_stale_temporaries, replace_folder
    from voiceofcustomer.labels.model import load_model
    from voiceofcustomer.labels.workflow import TagSummary, model_stamp, output_properties, partial_dir

    output = Path(output)
    if output.suffix.lower() in (".csv", ".xlsx", ".jsonl"):
        raise InputError(f"{output}: the Dask engine writes a partitioned Parquet dataset; give a folder name")
    if output.exists() and not output.is_dir():
        raise InputError(f"{output}: is a file; give a folder for the Parquet dataset")
    files = partitions(input)
    load_model(model_path)  # a clear error here rather than on every worker
    remove_stale_temporaries(output)  # an earlier output a killed run left aside (replace_folder)
    work = partial_dir(output)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    opts = dict(text_col=text_col, id_col=id_col, encoding=encoding, on_bad_rows=on_bad_rows,
                review_below=review_below, model_path=str(model_path) if model_path else None, chunksize=chunksize,
                # each part records the model, as a local run's output does (voc tag --reuse PART checks it)
                properties=output_properties(model_stamp(model_path), text_col if isinstance(text_col, str) else None))
    sliced = work / "slices"
    bad_rows: list = []
    said: list = []  # per file, in input order: its task's index, or the title rows the client read slicing it
    try:
        with dask_client(scheduler) as client:
            futures = []
            done = as_completed()

            tasks = []

            def submit(path: str, text: str | None = None):
                fut = client.submit(_tag_partition, len(futures), path, str(work.resolve()), opts, text, pure=False)
                tasks.append((path, text))
                futures.append(fut)
                done.add(fut)

            for p in files:
                if p.stat().st_size <= slice_bytes:
                    said.append(len(futures))
                    submit(str(p.resolve()))
                    continue
                sliced.mkdir(exist_ok=True)
                cut = _slices(p, sliced, len(futures), opts, slice_rows)
                while True:  # each slice goes to the workers as soon as it is written
                    try:
                        submit(*next(cut))
                    except StopIteration as end:
                        bad, titles = end.value
                        bad_rows += bad
                        said.append(titles)
                        break
            for fut in done:
                if fut.status == "error":
                    fut.result()  # raises the worker's error here (a VocError keeps its message)
                if progress:
                    progress(fut.result()["rows"])
            results = client.gather(futures)
            for i in range(1, len(results)):  # partition files cut inside a split ticket
                key = results[i]["first"]
                if key is not None and key == results[i - 1]["last"]:
                    # tagged again with the ticket's sentences of the partition before (rare: a ticket's
                    # sentences are in one file unless the table was cut into files by hand)
                    results[i] = client.submit(_tag_partition, i, *tasks[i][:1], str(work.resolve()), opts,
                                               tasks[i][1], (key, results[i - 1]["tail"]), pure=False).result()
        shutil.rmtree(sliced, ignore_errors=True)
        # the earlier output renamed aside, the new one in, then the earlier one removed, with a stop held
        # across them: it was removed first, and a stop or an error before the rename left no output at all
        replace_folder(work, output)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # gone once renamed: a stop held there names output as written
        raise
    # a header read under a title row, said as a local run says it (voc tag's summary line: cli.support.titles_said)
    summary = TagSummary(output=output, title_rows=[t for x in said
                                                    for t in (results[x]["title_rows"] if isinstance(x, int) else x)])
    for r in results:
        summary.rows += r["rows"]
        summary.needs_review += r["needs_review"]
        summary.tagged += r["tagged"]
        summary.totals_rows += r["totals_rows"]
        summary.header_rows += r["header_rows"]
        summary.empty_rows += r.get("empty_rows", 0)
        summary.garbled_rows += r.get("garbled_rows", 0)
        summary.staff_rows += r.get("staff_rows", 0)
        summary.bad_rows += r["bad_rows"]
    summary.bad_rows += bad_rows
    return summary


def _tally_partition(path: str, read_opts: dict, tally_opts: dict, across: bool = False, earlier=None,
                     answers_before=None):
    """Worker task: the frequency tally of one partition (and its skipped rows). With ``across`` (an
    input of several files) the tally keeps its rows' keys (``tally.file_keys()``), and rows whose
    key is in ``earlier`` (sorted: the keys it shares with the partitions before it) are left out
    as repeats of an earlier file's rows, as the local engine leaves them out. ``answers_before``: the survey
    answers (answer number, text) of each partition before it (one list each), to tell whether it is their survey grown
    (``_Tally.grown_export``), as the local engine tells."""
    from voiceofcustomer.freq.tables import feed_tally, make_tally, open_tagged, survey_answers

    source = open_tagged(path, **read_opts)
    tally = make_tally(**tally_opts)
    tally.across_files = across
    if earlier is not None:
        tally.earlier = earlier
    answers = None
    if answers_before:
        for earlier in answers_before:  # one list per earlier partition: a grown export is one file's survey grown
            tally.remember_answers(earlier)
        answers = survey_answers(tally, source)
    feed_tally(tally, source, answers=answers)
    return tally, [(path, line, reason) for line, reason in source.bad_rows]


def freq_dataset(input, *, text_col=None, id_col=None, encoding=None, sheet=None, on_bad_rows="error", scheduler=None,
                 progress: Callable[[int], None] | None = None, **tally_opts):
    """:func:`~voiceofcustomer.freq.tables.frequencies` of every partition of ``input``, on a Dask cluster.

    Returns ``(FreqResult, bad_rows)``; equal to the local engine's result over the same partitions.
    Rows repeated from an earlier partition (an export and its grown successor in one folder) are
    found from the keys every partition's tally returns; a partition that shares keys with those
    before it is counted once more without those rows, so only such an input pays a second pass.
    """
    import numpy as np

    from voiceofcustomer.freq.tables import check_files_alike, make_tally, name_id_columns, open_tagged, tally_text_col
    from voiceofcustomer.text.split import sorted_contains

    files = partitions(input)
    # each file's own text column, and a later file without a grouping or date column the first has refused, as
    # the local engine does (freq.tables.count_table)
    sources = [open_tagged(f, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                           on_bad_rows=on_bad_rows) for f in files]
    read_opts = dict(text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet, on_bad_rows=on_bad_rows)
    tally_opts = {**tally_opts, "text_col": tally_text_col(sources), "source": inputs_name(input)}
    total = make_tally(**tally_opts)  # validates the options before any work is sent
    total.across_files = across = len(files) > 1
    check_files_alike(make_tally(**tally_opts), sources)
    name_id_columns(total, sources)
    bad_rows = []
    with dask_client(scheduler) as client:
        futures = [client.submit(_tally_partition, str(p.resolve()), read_opts, tally_opts, across, pure=False)
                   for p in files]
        seen = np.zeros(0, dtype=np.int64)
        answers = []  # the survey answers (answer number, text) of each partition before, one list per partition
        for p, fut in zip(files, futures):  # in partition order: the merge needs it
            tally, bad = fut.result()
            if progress:
                progress(tally.stats["read"])
            if across:
                keys = tally.file_keys()
                shared = keys[sorted_contains(seen, keys)]
                seen = np.union1d(seen, keys)
                if len(shared):
                    tally, bad = client.submit(_tally_partition, str(p.resolve()), read_opts, tally_opts, True,
                                               shared, answers, pure=False).result()
                tally.repeated_files = [(str(p), r, n) for _, r, n in tally.repeated_files]
                tally.grown_surveys = [(str(p), n, a) for _, n, a in tally.grown_surveys]
                if tally.file_answers:
                    answers.append(tally.file_answers)
                total.remember_answers(tally.file_answers)
            total.merge(tally)
            bad_rows += bad
    return total.result(), bad_rows


def _encode_batch(embedder, texts: list[str]):
    """Worker task: one batch of texts through the worker's own copy of ``embedder``.

    The first task on a worker keeps the embedder it was sent (its weights load
    lazily on the first ``encode``); later tasks reuse that loaded copy. One BLAS
    thread per worker: the workers already use the cores.
    """
    key = (embedder.tag, getattr(embedder, "batch_size", None))
    loaded = _EMBEDDERS.get(key)
    if loaded is None:
        loaded = _EMBEDDERS[key] = embedder
        if hasattr(loaded, "threads"):
            loaded.threads = 1
    return loaded.encode(texts)


class DaskEncoder:
    """``encode(texts, progress)`` for :func:`~voiceofcustomer.themes.embeddings.embed_texts`, on a Dask cluster.

    The texts are cut into the embedder's own batches (``batch_size``), one task
    per batch, so every text is encoded in the same batch as by the local engine
    and gets the same vector. Results are written into place as they arrive.

    Args:
        embedder: a per-text embedder (``use``, ``e5``); sent to the workers without its weights.
        scheduler: ``tcp://HOST:PORT`` of a running scheduler, or ``None`` for a local cluster.
        progress: ``progress(message)`` once when the cluster is up.
    """

    def __init__(self, embedder, *, scheduler: str | None = None, progress: Callable[[str], None] | None = None):
        self.embedder = embedder
        self.scheduler = scheduler
        self.progress = progress
        self.workers = None

    def describe(self) -> dict:
        return {"name": "dask", "scheduler": self.scheduler or "local cluster", "workers": self.workers,
                "batch_size": int(getattr(self.embedder, "batch_size", 0) or 0)}

    def __call__(self, texts, progress: Callable[[int], None] | None = None):
        import numpy as np
        from distributed import as_completed

        texts = list(texts)
        size = int(getattr(self.embedder, "batch_size", 2048) or 2048)
        out = np.empty((len(texts), self.embedder.dim), dtype=np.float32)
        with dask_client(self.scheduler) as client:
            self.workers = len(client.scheduler_info().get("workers", {}))
            if self.progress:
                self.progress(f"embeddings: {len(texts)} texts in batches of {size} on {self.workers} Dask workers")
            remote = client.scatter(self.embedder, broadcast=True)
            futures = {client.submit(_encode_batch, remote, texts[s:s + size], pure=False): s
                       for s in range(0, len(texts), size)}
            for fut in as_completed(futures):
                start = futures[fut]
                vecs = fut.result()  # raises the worker's error here
                out[start:start + len(vecs)] = vecs
                if progress:
                    progress(len(vecs))
                fut.release()
        return out

"""Background jobs of the review page: "Teach the model", "Save curated themes" and "Add to the set".

The buttons are a thin layer over the functions the CLI calls
(``voc train --add`` → :func:`voiceofcustomer.review.teach.train_with_decisions`,
``voc themes --save-curated`` → :func:`voiceofcustomer.themes.curated.save_curated`,
``voc themes … --model SET --add-suggestion`` → :func:`voiceofcustomer.themes.curated.add_suggestions`).
What this module adds is what a web page needs around them:

- **one job at a time** per server, in a background thread, so the page stays
  responsive while a model trains (a minute or more); a second start while one
  runs is refused with a clear reason (:class:`BusyError`);
- **state** a page can poll: ``queued`` → ``running`` (with the last progress
  line) → ``done`` (with the numbers of the model card or the curated set) or
  ``failed`` (with a one-line reason);
- **a safe output folder**: the page may only write inside one folder, the
  *write root* (the project file's folder unless ``voc review --write-dir DIR``),
  and only replace a folder that is empty or an earlier output of the same kind;
- **atomic output**: the job writes a hidden temp folder beside the target and
  renames it into place when complete (:class:`voiceofcustomer.io.writers.atomic_dir`),
  so a killed server never leaves half a model.
"""

from __future__ import annotations

import datetime as _dt
import re
import shlex
import threading
import time
from pathlib import Path
from typing import Callable

from voiceofcustomer.errors import InputError, VocError

__all__ = ["BusyError", "CONVENTION_MAP_CHOICES", "FALLBACK_ZH", "JOB_KINDS", "JobRunner", "PROGRESS_FALLBACK_ZH", "error_zh", "progress_zh",
           "teach_into", "save_curated_into", "add_suggestion_into"]

#: job kind → (default folder suffix, a file only that kind of output holds); ``suggestion`` writes a curated set
JOB_KINDS = {"teach": ("-model", "metrics.json"), "curated": ("-curated", "curated.json"),
             "suggestion": ("-curated", "curated.json")}
#: job kind → its name on the pages (as their _job.js JOB_ZH says it), for a refusal in Chinese
JOB_ZH = {"teach": "教模型", "curated": "保存整理后的主题集", "suggestion": "把建议主题加入主题集"}

#: a job's progress lines (the library's, in English) as the pages say them: pattern → Chinese (``message_zh``);
#: a line none matches is said as :data:`PROGRESS_FALLBACK_ZH` around it. The lines each job can give: teach (review.teach.train_with_decisions:
#: the first nine), curated (themes.curated.save_curated and themes.embeddings.embed_texts under it), suggestion
#: (add_suggestion_into's own line; themes.curated.add_suggestions says nothing); a test holds the list to them.
#: A count ``(\d+)`` also reads one with thousands separators (17,244: errors.plural), kept as it is (:func:`progress_zh`)
PROGRESS_ZH = [
    (r"fitting the base model on (\d+) corpus statements?", r"正在用 \1 条语料陈述训练基础模型"),
    (r"measuring on (\d+) held-out team decisions?", r"正在留出的 \1 个团队决定上测量一致性"),
    (r"fitting a team adapter on (\d+) team decisions?", r"正在用 \1 个团队决定拟合团队适配器"),
    (r"fitting on (\d+) corpus statements? \+ (\d+) team decisions? × (\d+)", r"正在用 \1 条语料陈述 + \2 个团队决定 × \3 训练"),
    (r"fitting the team's fields (.+) on (\d+) decided statements?", r"正在用 \2 条已决定的陈述训练团队字段 \1"),
    (r"team field\(s\) (.+) not coded yet: not trained", r"团队字段 \1 尚未标注：不训练"),
    (r"cross-validation fold (\d+)/(\d+)", r"交叉验证第 \1/\2 折"),
    (r"held-out annotators", "留出标注员检验"),
    (r"fitting on all data", "正在用全部数据训练"),
    (r"embedding (\d+) statements of (\d+) curated themes", r"正在嵌入 \2 个整理后主题的 \1 条陈述"),
    (r"(\d+) statements follow their ticket: (\d+) follow-up centroids", r"\1 条陈述跟随其工单的主题：\2 个跟随质心"),
    (r"embeddings: (\d+) from cache", r"嵌入：\1 条取自缓存"),
    (r"embeddings: fitting (.+) on (\d+) statements", r"嵌入：正在用 \2 条陈述拟合 \1"),
    (r"embeddings: encoding (\d+) statements with (.+) \((\d+) cached\)", r"嵌入：正在用 \2 编码 \1 条陈述（\3 条已缓存）"),
    (r"embeddings: (\d+)/(\d+)", r"嵌入：\1/\2"),
    (r"adding (.+) to (.+)", r"正在把 \1 加入 \2"),
]


#: a progress line no pattern knows (a stage added to the library after this list, a test's runner), as the pages say
#: it: a Chinese phrase, then the English line, which keeps the numbers (until 7 Dec 2026 the bare English line)
PROGRESS_FALLBACK_ZH = "进行中（这一步暂无中文说明，英文原文如下）：{english}"

#: the job's own markers (no library line): the first line of every job (queued), the thread's start and its end
MARKERS_ZH = {"queued": "排队中", "started": "已开始", "done": "完成"}


def progress_zh(message: str) -> str:
    """A job's progress line in Chinese (:data:`MARKERS_ZH`, :data:`PROGRESS_ZH`), :data:`PROGRESS_FALLBACK_ZH`
    around the line when no pattern knows it."""
    if message in MARKERS_ZH:
        return MARKERS_ZH[message]
    for pattern, zh in PROGRESS_ZH:
        pattern = pattern.replace(r"(\d+)", r"(\d{1,3}(?:,\d{3})+|\d+)")  # 17,244 as 17244
        if re.fullmatch(pattern, message):
            return re.sub(pattern, zh, message)
    return PROGRESS_FALLBACK_ZH.format(english=message) if message else message


#: the Chinese a page shows for a library error that has none (``VocError`` raised without ``zh=``): a plain
#: Chinese sentence, then the English reason, so a Chinese reader never meets a bare English line and still has
#: the detail (a path, a row, the command to run) to act on or to pass on
FALLBACK_ZH = "出错了（这条说明暂无中文，英文原文如下）：{english}"


def error_zh(exc: BaseException, english: str | None = None) -> str:
    """A library error's message in Chinese: its ``zh`` (``VocError(zh=…)``), or :data:`FALLBACK_ZH` around the
    English (``english``: as the page words it, default ``str(exc)``)."""
    zh = getattr(exc, "zh", None)
    return zh if zh else FALLBACK_ZH.format(english=english if english is not None else str(exc))


class BusyError(VocError):
    """A job is already running; only one runs at a time."""


#: the Teach panel's convention-map choice → ``train_with_decisions(convention_map=…)``
#: (``voc train --add`` by default, ``--convention-map``, ``--no-convention-map``)
CONVENTION_MAP_CHOICES = {"auto": "auto", "always": True, "never": False}


def teach_into(db: Path, out_dir: Path, *, corpus: Path | None = None, weight: int | None = None,
               convention_map: str = "auto", min_examples: int | None = None,
               progress: Callable[[str], None] | None = None) -> dict:
    """``voc train --add DB -o OUT_DIR [--min-examples N]``, written atomically; a summary of the model card.

    ``min_examples``: decided statements each value of a team codebook field needs (default
    ``teach_codebook.MIN_EXAMPLES``), as ``--min-examples``."""
    from voiceofcustomer.io.writers import atomic_dir
    from voiceofcustomer.review.teach import (DEFAULT_WEIGHT, MIN_DISTINCT_HELD_OUT, held_out_spread, teach_summary,
                                              train_with_decisions)

    if convention_map not in CONVENTION_MAP_CHOICES:
        raise InputError(f"convention map must be one of {', '.join(CONVENTION_MAP_CHOICES)}, not {convention_map!r}",
                         zh=f"类别改标须为 {'、'.join(CONVENTION_MAP_CHOICES)} 之一，而不是 {convention_map!r}")
    with atomic_dir(out_dir) as tmp:
        m = train_with_decisions([db], tmp, corpus=corpus, weight=weight or DEFAULT_WEIGHT, progress=progress,
                                 convention_map=CONVENTION_MAP_CHOICES[convention_map], min_examples=min_examples)
    held = m.get("team_held_out") or {}
    distinct = held.get("n_test_distinct", held.get("n_test", 0))
    fields = {}
    for f in (held.get("after") or {}):
        b, a = held["before"][f], held["after"][f]
        fields[f] = {"macro_f1_before": b["macro_f1"], "macro_f1_after": a["macro_f1"],
                     "kappa_before": b["kappa"], "kappa_after": a["kappa"],
                     "accuracy_before": b["accuracy"], "accuracy_after": a["accuracy"]}
    custom = {f: {"macro_f1_before": h["before"]["macro_f1"], "macro_f1_after": h["after"]["macro_f1"],
                  "kappa_after": h["after"]["kappa"]}
              for f, h in (m.get("team_held_out_custom") or {}).items() if not h.get("skipped")}
    return {"n_corpus": m["n_corpus"], "n_team": m["n_team"], "weight": m["weight"], "method": m["method"],
            # what was taught and what the agreement rests on (or why there is none), as voc train --add says it
            "summary_zh": teach_summary(m)[1],
            "n_held_out": held.get("n_test", 0), "n_train_team": held.get("n_train", 0),
            # the distinct texts the held-out agreement rests on; under MIN_DISTINCT_HELD_OUT the panel warns
            "n_held_out_distinct": distinct, "min_distinct_held_out": MIN_DISTINCT_HELD_OUT,
            "held_out_spread": round(held_out_spread(distinct), 2) if distinct else None,
            "held_out": fields, "held_out_custom": custom, "uncoded": m.get("codebook_uncoded", []),
            "recodings": [{"field": f, **r, "unused": r["from"] in sel.get("unused", [])}
                          for f, sel in (m.get("adapter_selection") or {}).items() for r in sel.get("recodings", [])],
            "use": f"voc tag NEW.xlsx -o tagged.xlsx --model {shlex.quote(str(out_dir))}"}


def save_curated_into(db: Path, out_dir: Path, *, embedding: str | None = None,
                      progress: Callable[[str], None] | None = None) -> dict:
    """``voc themes --save-curated DB -o OUT_DIR``, written atomically; a summary of the set."""
    from voiceofcustomer.themes.curated import save_curated
    from voiceofcustomer.themes.model import DEFAULT_EMBEDDING

    meta = save_curated(db, out_dir, embedding=embedding or DEFAULT_EMBEDDING, progress=progress)  # built whole
    card = meta["card"]
    return {"themes": [{"topic": t["topic"], "label": t["label"], "noise": t["noise"], "size": t["size"],
                        "merged_from": t["merged_from"], "n_subtopics": t["n_subtopics"]} for t in meta["themes"]],
            "edits_applied": card["edits_applied"], "statements_used": card["statements_used"],
            "embedding": meta["embedding"],
            "use": f"voc themes NEXT_MONTH_tagged.xlsx --model {shlex.quote(str(out_dir))} -o themes_next/"}


def add_suggestion_into(db: Path, out_dir: Path, *, model_dir: str, suggestion: str, label: str | None = None,
                        progress: Callable[[str], None] | None = None) -> dict:
    """``voc themes PROJECT --model MODEL_DIR --add-suggestion SUGGESTION[=LABEL] -o OUT_DIR``: the project's
    suggested new theme added to the curated set it was made with, written atomically; a summary."""
    from voiceofcustomer.themes.curated import add_suggestions

    if progress:
        progress(f"adding {suggestion} to {model_dir}")
    meta = add_suggestions([db], model_dir, out_dir, {suggestion: label or None})  # built whole
    return {"added": meta["added"], "themes": sum(not t["noise"] for t in meta["themes"]), "output": str(out_dir),
            "use": f"voc themes NEXT_MONTH_tagged.xlsx --model {shlex.quote(str(out_dir))} -o themes_next/"}


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class JobRunner:
    """Runs one background job at a time for one review project and keeps each kind's last state.

    Args:
        db: the project file (the jobs read it with their own connection).
        write_root: the one folder the page may write into (default: the project file's folder).
        corpus: labelled corpus for teaching (default: the shipped one).
        runners: kind → function ``(db, out_dir, progress=…, **options) -> dict`` (tests replace them).
    """

    def __init__(self, db: str | Path, *, write_root: str | Path | None = None, corpus: str | Path | None = None,
                 runners: dict | None = None):
        self.db = Path(db).resolve()
        self.root = Path(write_root).resolve() if write_root else self.db.parent
        self.corpus = Path(corpus) if corpus else None
        self.runners = {"teach": self._teach, "curated": save_curated_into, "suggestion": add_suggestion_into,
                        **(runners or {})}
        self._lock = threading.Lock()
        self._jobs: dict[str, dict] = {}
        self._thread: threading.Thread | None = None
        self._active: str | None = None

    def _teach(self, db, out_dir, **opts):
        return teach_into(db, out_dir, corpus=self.corpus, **opts)

    # -- the output folder -------------------------------------------------------------------

    def default_output(self, kind: str) -> str:
        """The folder offered by default, relative to the write root: ``<project stem>-model`` etc."""
        return self.db.stem + JOB_KINDS[self._kind(kind)][0]

    def resolve_output(self, kind: str, typed: str) -> Path:
        """The folder a typed path names, or :class:`InputError` saying why it may not be written.

        Rule: relative paths are taken from the write root; the result (symlinks resolved)
        must lie strictly inside the write root; an existing path must be a folder that is
        empty or holds an earlier output of the same kind (``metrics.json`` of a model,
        ``curated.json`` of a curated set), so no other folder is ever replaced.
        """
        kind = self._kind(kind)
        typed = (typed or "").strip() or self.default_output(kind)
        target = self._inside(typed, "write into")
        if target.name.startswith("."):
            raise InputError(f"{typed}: give a folder name that does not start with a dot",
                             zh=f"{typed}：文件夹名称不能以点开头")
        if target == self.db or self.db.is_relative_to(target):
            raise InputError(f"{typed}: that would replace the project file", zh=f"{typed}：这会替换项目文件")
        if target.exists():
            marker = JOB_KINDS[kind][1]
            if not target.is_dir():
                raise InputError(f"{typed}: exists and is not a folder", zh=f"{typed}：已存在，且不是文件夹")
            if any(target.iterdir()) and not (target / marker).is_file():
                raise InputError(f"{typed}: the folder exists and is not an earlier "
                                 f"{'model' if kind == 'teach' else 'curated theme set'} (no {marker}); "
                                 "give a new folder name",
                                 zh=f"{typed}：文件夹已存在，且不是以前保存的{'模型' if kind == 'teach' else '主题集'}"
                                    f"（没有 {marker}）；请换一个新的文件夹名称")
        return target

    def _inside(self, typed: str, what: str) -> Path:
        """The path a typed folder name names, taken from the write root; it must lie strictly inside it."""
        if "\x00" in typed or len(typed) > 1000:
            raise InputError("the folder name is not a valid path", zh="文件夹名称不是有效的路径")
        target = (self.root / Path(typed).expanduser()).resolve()
        if target == self.root or not target.is_relative_to(self.root):
            raise InputError(f"{typed}: the page may only {what} a folder inside {self.root}; "
                             "start `voc review --write-dir DIR` to allow another place",
                             zh=f"{typed}：本页只能{'读取' if what == 'read' else '写入'} {self.root} 之内的文件夹；"
                                "要用别的位置，请用 `voc review --write-dir DIR` 启动")
        return target

    def resolve_set(self, typed: str) -> Path:
        """The curated set a typed folder name names (to add a suggestion to), or :class:`InputError`: as an
        output folder, it must lie inside the write root (a set holds a pickled embedder, which loading runs);
        and it must be a curated set (``curated.json``)."""
        typed = (typed or "").strip()
        if not typed:
            raise InputError("give the folder of the curated set this project's themes came from",
                             zh="请给出本项目的主题所来自的主题集文件夹")
        target = self._inside(typed, "read")
        if not (target / JOB_KINDS["curated"][1]).is_file():
            raise InputError(f"{typed}: not a curated theme set (no curated.json); give the folder "
                             "`voc themes --model` was given, as saved by Save curated themes",
                             zh=f"{typed}：不是整理后的主题集（没有 curated.json）；请给出 `voc themes --model` 所用的"
                                "文件夹，即“保存主题集”保存的文件夹")
        return target

    # -- jobs --------------------------------------------------------------------------------

    def _kind(self, kind: str) -> str:
        if kind not in JOB_KINDS:
            raise InputError(f"unknown job {kind!r}; use {' or '.join(JOB_KINDS)}")
        return kind

    def status(self, kind: str) -> dict:
        """The last job of this kind (``state`` idle when none ran), with ``busy`` naming a running job."""
        kind = self._kind(kind)
        with self._lock:
            job = dict(self._jobs.get(kind) or {"kind": kind, "state": "idle"})
            job["busy"] = self._active
        if job.get("state") in ("queued", "running"):
            job["elapsed_s"] = round(time.monotonic() - job.pop("_t0"), 1)
        else:
            job.pop("_t0", None)
        job["root"] = str(self.root)
        job["default_output"] = self.default_output(kind)
        return job

    def start(self, kind: str, output: str = "", **options) -> dict:
        """Start a job (state ``queued``); :class:`BusyError` if one is running, :class:`InputError` for a bad path."""
        kind = self._kind(kind)
        target = self.resolve_output(kind, output)
        with self._lock:
            if self._active is not None:
                running = self._jobs[self._active]
                raise BusyError(f"already running: {self._active} job into {running['output']} (started "
                                f"{running['started']}); wait until it is done",
                                zh=f"已有任务在运行：{JOB_ZH.get(self._active, self._active)}，写入 {running['output']}"
                                   f"（开始于 {running['started']}）；请等它完成")
            job = {"kind": kind, "state": "queued", "output": str(target), "options": options,
                   "started": _now(), "_t0": time.monotonic(), "message": "queued", "message_zh": progress_zh("queued")}
            self._jobs[kind] = job
            self._active = kind
            self._thread = threading.Thread(target=self._run, args=(kind, job, target, options),
                                            name=f"voc-review-{kind}", daemon=True)
        self._thread.start()
        return self.status(kind)

    def _run(self, kind: str, job: dict, target: Path, options: dict) -> None:
        def progress(msg: str) -> None:
            with self._lock:
                job["message"] = str(msg).splitlines()[0] if msg else ""
                job["message_zh"] = progress_zh(job["message"])  # the pages show it (their text is Chinese)

        with self._lock:
            job["state"] = "running"
            job["message"] = "started"
            job["message_zh"] = progress_zh("started")
        try:
            result = self.runners[kind](self.db, target, progress=progress, **options)
            update = {"state": "done", "result": _jsonable(result), "message": "done",
                      "message_zh": progress_zh("done")}
        except VocError as exc:
            # the parameters it names, for the page to say as its own fields (review.app.page_message)
            # error_zh: the same in Chinese, which the pages show: the library's (VocError zh=), or a Chinese line
            # around the English where it gives none (error_zh)
            update = {"state": "failed", "error": _one_line(str(exc)), "params": list(exc.params),
                      "error_zh": _one_line(error_zh(exc, _one_line(str(exc))))}
        except MemoryError:
            update = {"state": "failed", "error": "out of memory", "error_zh": "内存不足"}
        except Exception as exc:  # noqa: BLE001 - a failed job must never take the server down
            update = {"state": "failed", "error": _one_line(f"{type(exc).__name__}: {exc}"),
                      "error_zh": _one_line(f"内部错误（{type(exc).__name__}）：{exc}")}
        with self._lock:
            job.update(update, finished=_now())
            job["duration_s"] = round(time.monotonic() - job["_t0"], 1)
            self._active = None

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the running job (tests, shutdown)."""
        t = self._thread
        if t is not None:
            t.join(timeout)


def _jsonable(v):
    """NaN and infinity (a κ of a field with one value) as null, numpy numbers as Python ones."""
    import math

    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _one_line(msg: str) -> str:
    line = (msg or "").strip().splitlines()
    return (line[0] if line else "unknown error")[:500]

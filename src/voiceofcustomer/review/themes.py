"""Curating themes in a review project: rename, merge, mark as noise, move a statement, undo.

Why here and not in ``voc themes``: a topic model proposes themes, but researchers
decide what they mean (NVivo and BERTopic users rename and merge by hand). Every
edit is one transaction with the information needed to revert it, kept in
``theme_edits``, so the history can be undone step by step and audited; counts are
always computed from the statements' current theme.
"""

from __future__ import annotations

import json

from voiceofcustomer import statements as st
from voiceofcustomer.errors import InputError
from voiceofcustomer.review.store import COUNTED, NotFoundError, ReviewStore, StaleError, read_extra, utc_now

__all__ = ["ThemeBook", "final_theme", "sort_ids"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS themes (theme_id TEXT PRIMARY KEY, label TEXT NOT NULL, noise INTEGER NOT NULL DEFAULT 0,
                                   merged_into TEXT);
CREATE TABLE IF NOT EXISTS theme_edits (id INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL, detail TEXT NOT NULL,
                                        undo TEXT NOT NULL, coder TEXT NOT NULL, at TEXT NOT NULL,
                                        undone INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS ix_st_theme ON statements(theme);
"""


class ThemeBook:
    """Theme edits on a :class:`ReviewStore` (statements carry their current theme in ``theme``)."""

    def __init__(self, store: ReviewStore):
        self.store = store
        self.con = store.con
        cols = {r[1] for r in self.con.execute("PRAGMA table_info(statements)")}
        if "theme" not in cols:
            self.con.execute("ALTER TABLE statements ADD COLUMN theme TEXT")
        self.con.executescript(_SCHEMA)
        self._seed()  # idempotent: also gives statements added on a later reopen their theme

    def _seed(self) -> None:
        """Themes from the input's ``topic``/``topic_label`` (``voc themes`` output); -1 is noise."""
        with self.store.transaction():
            self.con.execute("UPDATE statements SET theme = topic WHERE theme IS NULL AND topic IS NOT NULL "
                             "AND topic != ''")
            rows = self.con.execute("SELECT topic, MIN(COALESCE(topic_label, '')) FROM statements WHERE topic IS NOT "
                                    "NULL AND topic != '' GROUP BY topic").fetchall()
            self.con.executemany("INSERT OR IGNORE INTO themes (theme_id, label, noise) VALUES (?, ?, ?)",
                                 [(t, lab or f"theme {t}", int(_is_noise_id(t))) for t, lab in rows])

    # -- reading ---------------------------------------------------------------------------------
    def summary(self) -> list[dict]:
        """Live themes (not merged away) with their current statement counts, largest first: the statements
        that count (``store.COUNTED``), as everywhere else — a moderator turn or a repeat is no statement to
        theme (a focus group's questions made 未归类 the largest theme)."""
        rows = self.con.execute(
            "SELECT t.theme_id, t.label, t.noise, (SELECT COUNT(*) FROM statements s WHERE s.theme = t.theme_id "
            f"AND {COUNTED}) AS n FROM themes t WHERE t.merged_into IS NULL ORDER BY t.noise, n DESC, t.theme_id"
        ).fetchall()
        return [{"theme_id": r["theme_id"], "label": r["label"], "noise": bool(r["noise"]), "n": r["n"]} for r in rows]

    def statements(self, theme_id: str, limit: int = 100) -> list[dict]:
        self._theme(theme_id)
        return [{"statement_id": r[0], "text": r[1] or ""} for r in self.con.execute(
            f"SELECT statement_id, text FROM statements s WHERE theme = ? AND {COUNTED} ORDER BY rid LIMIT ?",
            (theme_id, limit))]

    def suggestions(self, examples: int = 3) -> list[dict]:
        """The suggested new themes of the ``voc themes NEW --model SET`` output the project was opened on
        (its statements' ``suggested_theme`` and ``suggested_label``, kept in ``extra``): name, label, how many
        statements that count are in it and the first few of their texts; largest first. None for any other
        project. The themes view offers to add one to the set (``themes.curated.add_suggestions``)."""
        found: dict[str, dict] = {}
        for text, extra in self.con.execute(
                f"SELECT text, extra FROM statements s WHERE {COUNTED} AND extra LIKE ? ORDER BY rid",
                (f"%{st.SUGGESTED_THEME}%",)):
            e = read_extra(extra)
            name = e.get(st.SUGGESTED_THEME)
            if st.is_missing(name) or not str(name).strip():
                continue
            s = found.setdefault(str(name).strip(), {"suggestion": str(name).strip(), "label": "", "n": 0,
                                                     "examples": []})
            label = e.get(st.SUGGESTED_LABEL)
            if not s["label"] and not st.is_missing(label):
                s["label"] = str(label).strip()
            s["n"] += 1
            if len(s["examples"]) < examples:
                s["examples"].append(text or "")
        return sorted(found.values(), key=lambda s: (-s["n"], s["suggestion"]))

    def history(self, limit: int = 50) -> list[dict]:
        """The latest edits, newest first; ``text`` says each in the themes' names (the page shows it)."""
        names = {r[0]: r[1] for r in self.con.execute("SELECT theme_id, label FROM themes")}
        out = []
        for r in self.con.execute("SELECT * FROM theme_edits ORDER BY id DESC LIMIT ?", (limit,)):
            d, u = json.loads(r["detail"]), json.loads(r["undo"])
            out.append({"id": r["id"], "op": r["op"], "detail": d, "text": _describe(r["op"], d, u, names),
                        "coder": r["coder"], "at": r["at"], "undone": bool(r["undone"])})
        return out

    def labels(self) -> dict[str, tuple[str, bool]]:
        """theme_id → (label of the theme it now belongs to, noise)."""
        return {r[0]: (r[1], bool(r[2])) for r in self.con.execute("SELECT theme_id, label, noise FROM themes")}

    def current_names(self) -> dict[str, str]:
        """A theme's name as ``voc themes`` wrote it (``topic_label``; an items workbook's ``theme``
        column) → its name now, after renames and merges (a merged theme: the name of the theme it
        joined). A name several themes shared that now lead to different names is left out."""
        themes = {r[0]: (r[1], r[2]) for r in self.con.execute("SELECT theme_id, label, merged_into FROM themes")}
        out: dict[str, set] = {}
        for tid, original in self.con.execute(
                "SELECT topic, MIN(COALESCE(topic_label, '')) FROM statements WHERE topic IS NOT NULL "
                "AND topic != '' GROUP BY topic"):
            tid = final_theme(tid, {t: into for t, (_, into) in themes.items()})
            if original and tid in themes:
                out.setdefault(original, set()).add(themes[tid][0])
        return {original: next(iter(now)) for original, now in out.items() if len(now) == 1}

    def _theme(self, theme_id: str, *, live: bool = True):
        r = self.con.execute("SELECT * FROM themes WHERE theme_id = ?", (str(theme_id),)).fetchone()
        if r is None:
            raise NotFoundError(f"theme {theme_id!r} is not in this project", zh=f"本项目没有主题 {theme_id!r}")
        if live and r["merged_into"] is not None:
            raise StaleError(f"theme {theme_id!r} was merged into {r['merged_into']!r}; reload the themes",
                             zh=f"主题 {theme_id!r} 已并入 {r['merged_into']!r}；请重新载入本页")
        return r

    # -- edits (one transaction each) ------------------------------------------------------------
    def _log(self, op: str, detail: dict, undo: dict, coder: str) -> dict:
        self.con.execute("INSERT INTO theme_edits (op, detail, undo, coder, at) VALUES (?, ?, ?, ?, ?)",
                         (op, json.dumps(detail, ensure_ascii=False), json.dumps(undo, ensure_ascii=False), coder,
                          utc_now()))
        return {"op": op, **detail}

    def rename(self, theme_id: str, label: str, coder: str) -> dict:
        label = str(label or "").strip()
        if not label:
            raise InputError("a theme needs a non-empty name", zh="主题名称不能为空")
        if len(label) > 200:
            raise InputError("a theme name must be at most 200 characters", zh="主题名称最多 200 个字")
        with self.store.transaction():
            old = self._theme(theme_id)["label"]
            self.con.execute("UPDATE themes SET label = ? WHERE theme_id = ?", (label, theme_id))
            return self._log("rename", {"theme_id": theme_id, "label": label}, {"label": old}, coder)

    def set_noise(self, theme_id: str, noise: bool, coder: str) -> dict:
        with self.store.transaction():
            old = bool(self._theme(theme_id)["noise"])
            self.con.execute("UPDATE themes SET noise = ? WHERE theme_id = ?", (int(bool(noise)), theme_id))
            return self._log("noise", {"theme_id": theme_id, "noise": bool(noise)}, {"noise": old}, coder)

    def merge(self, source: str, target: str, coder: str) -> dict:
        """Move every statement of ``source`` into ``target``; ``source`` disappears from the list.

        Every row moves (a moderator turn or a repeat too, so undo and the export see one theme), but the
        history's count is of the statements that count (``store.COUNTED``), as the table's: 未归类 showing 7
        said "(18 statements)" when a focus group's moderator turns moved with it."""
        if str(source) == str(target):
            raise InputError("cannot merge a theme into itself", zh="主题不能并入它自己")
        with self.store.transaction():
            self._theme(source)
            self._theme(target)
            rids = [r[0] for r in self.con.execute("SELECT rid FROM statements WHERE theme = ?", (source,))]
            n = self.con.execute(f"SELECT COUNT(*) FROM statements s WHERE theme = ? AND {COUNTED}",
                                 (source,)).fetchone()[0]
            self.con.execute("UPDATE statements SET theme = ? WHERE theme = ?", (target, source))
            self.con.execute("UPDATE themes SET merged_into = ? WHERE theme_id = ?", (target, source))
            return self._log("merge", {"source": source, "target": target, "n": n}, {"rids": rids}, coder)

    def move(self, statement_id: str, target: str, coder: str) -> dict:
        with self.store.transaction():
            rid = self.store._rid(statement_id)
            self._theme(target)
            old = self.con.execute("SELECT theme FROM statements WHERE rid = ?", (rid,)).fetchone()[0]
            self.con.execute("UPDATE statements SET theme = ? WHERE rid = ?", (target, rid))
            return self._log("move", {"statement_id": statement_id, "target": target}, {"rid": rid, "theme": old},
                             coder)

    def undo(self) -> dict:
        """Revert the most recent edit that is not undone yet (any coder: the history is shared)."""
        with self.store.transaction():
            e = self.con.execute("SELECT * FROM theme_edits WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
            if e is None:
                raise StaleError("no theme edit left to undo", zh="没有可以撤销的主题修改")
            d, u = json.loads(e["detail"]), json.loads(e["undo"])
            if e["op"] == "rename":
                self.con.execute("UPDATE themes SET label = ? WHERE theme_id = ?", (u["label"], d["theme_id"]))
            elif e["op"] == "noise":
                self.con.execute("UPDATE themes SET noise = ? WHERE theme_id = ?", (int(u["noise"]), d["theme_id"]))
            elif e["op"] == "merge":
                self.con.executemany("UPDATE statements SET theme = ? WHERE rid = ?",
                                     [(d["source"], r) for r in u["rids"]])
                self.con.execute("UPDATE themes SET merged_into = NULL WHERE theme_id = ?", (d["source"],))
            elif e["op"] == "move":
                self.con.execute("UPDATE statements SET theme = ? WHERE rid = ?", (u["theme"], u["rid"]))
            self.con.execute("UPDATE theme_edits SET undone = 1 WHERE id = ?", (e["id"],))
        return {"undone": e["op"], **d}


def final_theme(tid: str, merged_into: dict) -> str:
    """The live theme ``tid`` ended in, following ``merged_into`` (theme id → the theme it was merged into, or
    ``None``; merges can chain)."""
    seen = set()
    while isinstance(merged_into.get(tid), str) and tid not in seen:
        seen.add(tid)
        tid = merged_into[tid]
    return tid


def sort_ids(ids) -> list[str]:
    """Theme ids in number order (2 before 10, -1 first), other text after."""
    def key(t):
        try:
            return (0, float(t), t)
        except ValueError:
            return (1, 0.0, t)
    return sorted(ids, key=key)


def _describe(op: str, d: dict, u: dict, names: dict[str, str]) -> str:
    """One edit in words, by the themes' current names (ids meant nothing to a coder), in Chinese as the
    page's coders read it (the stored ``op``/``detail``/``undo`` are unchanged, so a project saved before
    says its history in Chinese too)."""
    name = lambda t: "无主题" if t is None else f"「{names.get(str(t), t)}」"  # noqa: E731
    if op == "rename":
        return f"重命名 「{u.get('label', '')}」 → 「{d['label']}」"
    if op == "merge":
        return f"将 {name(d['source'])} 并入 {name(d['target'])}（{d['n']} 条陈述）"
    if op == "noise":
        return f"将 {name(d['theme_id'])} 标为噪声" if d["noise"] else f"取消 {name(d['theme_id'])} 的噪声标记"
    if op == "move":
        return f"将 {d['statement_id']} 从 {name(u.get('theme'))} 移到 {name(d['target'])}"
    return op


def _is_noise_id(t) -> bool:
    try:
        return int(float(t)) < 0
    except (TypeError, ValueError):
        return False

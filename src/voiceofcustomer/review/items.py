"""Deciding candidate questionnaire items in a review project: accept, edit or reject, with live checks.

Why: ``voc items`` writes candidates with their evidence quotes and quality checks to
a workbook; designers decide there, blind to whether an edit still passes the
checks. Here every edit is checked as it is typed (the same ``check_item`` rules),
each decision is one transaction with coder and time, and the decided items export
to exactly the sheet ``voc survey`` reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from voiceofcustomer.errors import DataQualityError, InputError
from voiceofcustomer.review.store import NotFoundError, ReviewStore, utc_now

__all__ = ["ItemBook", "EDIT_REFUSED"]

#: The check name of an edit ``voc survey`` would refuse (code ``edit_refused``), as the items view's card and the
#: items sheet's ``checks`` say it; the reason after it is ``EditRefused.zh``.
EDIT_REFUSED = "修改无法采用"


def _zh(exc: Exception) -> str:
    """The Chinese reason of a refused edit (``items.survey.EditRefused.zh``); the English line otherwise."""
    return getattr(exc, "zh", None) or str(exc)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (item_id TEXT PRIMARY KEY, pos INTEGER NOT NULL, data TEXT NOT NULL,
                                  decision TEXT NOT NULL DEFAULT '', edited_text TEXT NOT NULL DEFAULT '',
                                  coder TEXT, at TEXT);
CREATE TABLE IF NOT EXISTS item_decisions (id INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL,
                                           decision TEXT NOT NULL, edited_text TEXT NOT NULL, coder TEXT NOT NULL,
                                           at TEXT NOT NULL);
"""
_DECISIONS = ("accept", "edit", "reject", "")


def _wording(edited_text: str, e_text: str, p_text: str) -> tuple[str, str, list]:
    """The wording an edit gives and the problems of it: ``voc survey``'s reading of an edit
    (:func:`~voiceofcustomer.items.survey.edited_wording`: what it would refuse, first and alone, with its
    reason in Chinese as the card says it: 修改无法采用：缺少期望表述…, E and P about two subjects …; code
    ``edit_refused``), else the quality
    checks (``check_item``: :class:`~voiceofcustomer.items.candidates.ItemCheck`, code and Chinese message).
    A refused edit gives no wording (empty E and P)."""
    from voiceofcustomer.items.candidates import ItemCheck, check_item
    from voiceofcustomer.items.survey import edited_wording

    try:
        e, p = edited_wording(edited_text, e_text, p_text)
    except DataQualityError as exc:
        return "", "", [ItemCheck("edit_refused", f"{EDIT_REFUSED}：{_zh(exc)}")]
    return e, p, check_item(e, p)


class ItemBook:
    """Candidate items stored in a project file."""

    def __init__(self, store: ReviewStore):
        self.store = store
        self.con = store.con
        self.con.executescript(_SCHEMA)
        self._themes = None  # a ThemeBook, made on first use

    def load(self, path: str | Path) -> int:
        """Add the candidates of an ``items.xlsx`` (sheet ``items``) not in the project yet; returns how many."""
        from voiceofcustomer.items.survey import decision_of

        path = Path(path)
        if not path.exists():
            raise InputError(f"{path}: items workbook not found; write it with `voc items`")
        try:
            book = pd.ExcelFile(path, engine="openpyxl")
            sheet = "items" if "items" in book.sheet_names else book.sheet_names[0]
            df = pd.read_excel(book, sheet_name=sheet, dtype=object)
        except (ValueError, OSError, KeyError) as exc:
            raise InputError(f"{path}: cannot read the items workbook ({exc}); give the file `voc items` wrote") from None
        missing = [c for c in ("item_id", "servqual", "e_text", "p_text") if c not in df.columns]
        if missing:
            raise InputError(f"{path}: the items sheet lacks column(s) {', '.join(missing)}")
        df = df.astype(object).where(df.notna(), "")
        start = self.con.execute("SELECT COALESCE(MAX(pos), 0) FROM items").fetchone()[0]
        rows = []
        for i, rec in enumerate(df.to_dict("records")):
            rec = {k: (str(v) if not isinstance(v, (int, float)) else v) for k, v in rec.items()}
            # 采纳/修改/删除 (or 接受 …) typed in Excel are decisions as voc survey reads them, not blanks
            decision = decision_of(rec.get("decision", ""))
            if decision is None:
                raise InputError(f"{path}: row {i + 2} (item {rec['item_id']}): unknown decision "
                                 f"{rec['decision']!r}; use accept, edit or reject (采纳/修改/删除), or leave it blank")
            rows.append((str(rec["item_id"]), start + i + 1, json.dumps(rec, ensure_ascii=False, default=str),
                         decision, str(rec.get("edited_text", "") or "")))
        with self.store.transaction():
            before = self.con.execute("SELECT COUNT(*) FROM items").fetchone()[0]
            self.con.executemany("INSERT OR IGNORE INTO items (item_id, pos, data, decision, edited_text) "
                                 "VALUES (?, ?, ?, ?, ?)", rows)
            after = self.con.execute("SELECT COUNT(*) FROM items").fetchone()[0]
        return after - before

    def check(self, item_id: str, edited_text: str) -> dict:
        """The wording an edit would give and the quality checks it fails (live, while typing): ``checks`` their
        messages as the card shows them, ``check_codes`` their codes."""
        from voiceofcustomer.items.candidates import suggest_wording

        data = self._item(item_id)
        e, p, problems = _wording(edited_text, data["e_text"], data["p_text"])
        suggestion, note = suggest_wording(e, p, problems) if p else ("", "")
        return {"item_id": item_id, "e_text": e, "p_text": p, "checks": [str(c) for c in problems],
                "check_codes": [c.code for c in problems], "suggestion": suggestion, "suggestion_note": note}

    def _item(self, item_id: str, names: dict[str, str] | None = None) -> dict:
        from voiceofcustomer.items.candidates import check_codes_text, checks_text, suggest_wording

        r = self.con.execute("SELECT * FROM items WHERE item_id = ?", (str(item_id),)).fetchone()
        if r is None:
            raise NotFoundError(f"item {item_id!r} is not in this project", zh=f"本项目没有题目 {item_id!r}")
        data = json.loads(r["data"])
        data.update({"decision": r["decision"], "edited_text": r["edited_text"], "decided_by": r["coder"] or ""})
        if names and data.get("theme") in names:
            data["theme"] = names[data["theme"]]
        if r["decision"] == "edit":  # the wording the survey will field (the card shows it)
            # and its checks, as the page re-ran them live: those of the candidate's wording were stale
            # ('spoken wording (开个)' after the edit took 开个 out) in the card and the exported sheet; an edit
            # voc survey would refuse (one typed in the workbook, or saved before it was refused here) says why
            data["edited_e_text"], data["edited_p_text"], problems = _wording(r["edited_text"], data["e_text"],
                                                                             data["p_text"])
            data["checks"] = checks_text(problems)  # as voc items writes the columns
            data["check_codes"] = check_codes_text(problems)
            data["suggestion"], data["suggestion_note"] = (suggest_wording(data["edited_e_text"], data["edited_p_text"],
                                                                           problems) if data["edited_p_text"] else ("", ""))
        return data

    def _theme_names(self) -> dict[str, str]:
        """The ``theme`` of an item (as ``voc items`` wrote it) → its name in the themes view now."""
        from voiceofcustomer.review.themes import ThemeBook

        if self._themes is None:
            self._themes = ThemeBook(self.store)
        return self._themes.current_names()

    def list(self) -> list[dict]:
        """Every candidate in workbook order; ``theme`` by the name the themes view gives it now
        (renamed or merged there: the source of truth, as for the statements and ``voc export``)."""
        names = self._theme_names()
        return [self._item(r[0], names) for r in self.con.execute("SELECT item_id FROM items ORDER BY pos")]

    def decide(self, item_id: str, decision: str, edited_text: str, coder: str) -> dict:
        decision = str(decision or "").strip().lower()
        if decision not in _DECISIONS:
            raise InputError(f"decision must be accept, edit or reject, not {decision!r}",
                             zh=f"决定须为 accept（采纳）、edit（修改）或 reject（删除），而不是 {decision!r}")
        edited_text = str(edited_text or "").strip()
        if decision == "edit" and not edited_text:  # the items view's words: Chinese, as the page
            zh = f"题目 {item_id} 未保存：修改需要新的表述；请在框里写 E: … 和／或 P: …，或一句感知表述（该营业厅…／该运营商…）"
            raise InputError(zh, zh=zh)  # zh= too: without it the page wrapped it as an English line (FALLBACK_ZH)
        data = self._item(item_id)
        if decision == "accept" and edited_text:
            e, p, _ = _wording(edited_text, data["e_text"], data["p_text"])
            if (e, p) != (data["e_text"], data["p_text"]):
                # accepting drops the edit: the item would reach voc survey in its old wording, unsaid
                zh = (f"题目 {item_id} 未保存：采纳会保留原来的表述，但框里的修改是另一种说法"
                      f"（P: {p or edited_text}）；请点“修改”保存这条修改，或清空输入框再采纳原表述")
                raise InputError(zh, zh=zh)
        if decision == "edit":
            from voiceofcustomer.items.survey import edited_wording

            try:  # `voc survey` would refuse the whole exported sheet for this row: refuse the edit instead
                edited_wording(edited_text, data["e_text"], data["p_text"])
            except DataQualityError as exc:  # said as the card's check says it
                zh = f"题目 {item_id} 的修改未保存，{EDIT_REFUSED}：{_zh(exc)}"
                raise InputError(zh, zh=zh) from None
        at = utc_now()
        with self.store.transaction():
            self.con.execute("UPDATE items SET decision = ?, edited_text = ?, coder = ?, at = ? WHERE item_id = ?",
                             (decision, edited_text if decision == "edit" else "", coder, at, item_id))
            self.con.execute("INSERT INTO item_decisions (item_id, decision, edited_text, coder, at) "
                             "VALUES (?, ?, ?, ?, ?)", (item_id, decision, edited_text, coder, at))
        return self._item(item_id, self._theme_names())

    def frame(self) -> pd.DataFrame:
        shown = ("decided_by", "edited_e_text", "edited_p_text")  # for the page; edited_text is what voc survey reads
        return pd.DataFrame([{k: v for k, v in d.items() if k not in shown} for d in self.list()])

    def export(self, path: str | Path) -> Path:
        """The reviewed items sheet (``items``) that ``voc survey`` reads."""
        from voiceofcustomer.io.writers import atomic_path, neutralize_formulas

        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise InputError(f"{path}: decided items are written as an Excel workbook; use a .xlsx name")
        df = self.frame()
        if df.empty:
            raise InputError("this project has no candidate items; load them with `voc review --items items.xlsx`",
                             zh="本项目没有候选题目；请用 `voc review --items items.xlsx` 载入")
        with atomic_path(path) as tmp:
            with pd.ExcelWriter(tmp, engine="xlsxwriter") as xw:
                neutralize_formulas(df).to_excel(xw, sheet_name="items", index=False)
        return path

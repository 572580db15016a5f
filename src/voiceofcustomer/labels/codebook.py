"""A team's own label fields (a codebook file), beside the taxonomy's four.

Why: researchers code what their study needs (the channel a complaint came
through, whether a customer threatens to leave) next to SERVQUAL, demand, issue
and stance. A codebook is a small YAML file a researcher can write and read;
``voc review --codebook`` shows its fields in the labels view, and ``voc train
--add`` learns one classifier per field from the team's decisions.

Format (``docs/codebook_example.yaml``)::

    fields:
      - id: churn_risk          # lower-case letters, digits, _ (a column name)
        name: 流失风险            # shown in the page and exports
        multi: false             # optional; one value per statement (the only kind supported)
        values:
          - id: high
            name: 高
            definition: Says they will leave, port the number or cancel.
            examples: [再这样我就携号转网]

Every problem is reported as one line naming the file, the field and the value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.taxonomy import FIELDS

__all__ = ["Codebook", "CodebookField", "CodebookValue", "load_codebook", "parse_codebook", "MAX_VALUES",
           "RESERVED_IDS"]

#: One value per key of the labels view (1–9, 0, -, =).
MAX_VALUES = 12
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_VALUE_ID = re.compile(r"^[^\s=,|]{1,40}$")
#: Column names the statements table, ``voc tag`` and ``voc export`` already use: a field must not shadow them.
RESERVED_IDS = frozenset({
    *FIELDS, "statement_id", "source", "source_kind", "session", "group", "city", "speaker", "role", "turn", "sent",
    "prompt_turn", "thread", "text", "text_raw", "tokens", "is_duplicate", "ticket_id", "note", "speaker_attrs", "section",
    "session_date", "session_title",
    "topic", "topic_label", "topic_conf", "subtopic", "needs_review", "theme", "theme_noise", "decided", "coders",
    "quote", "id", "context", "kind", "style", "rank", "rid", "extra", "min_conf", "teach_rank", "random_rank",
})


@dataclass(frozen=True)
class CodebookValue:
    """One value a field can take."""

    id: str
    name: str
    definition: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodebookField:
    """One team-defined label field (single choice per statement)."""

    id: str
    name: str
    values: tuple[CodebookValue, ...]
    description: str = ""
    multi: bool = False

    @property
    def value_ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.values)


@dataclass(frozen=True)
class Codebook:
    """The team's fields, in file order; an empty codebook has none."""

    fields: tuple[CodebookField, ...] = field(default_factory=tuple)
    source: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields)

    @property
    def labels(self) -> dict[str, tuple[str, ...]]:
        """``{field id: value ids}``, like ``taxonomy.LABELS``."""
        return {f.id: f.value_ids for f in self.fields}

    def __bool__(self) -> bool:
        return bool(self.fields)

    def __getitem__(self, field_id: str) -> CodebookField:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def to_dict(self) -> dict:
        """Plain data (stored as JSON in a review project and in a model's metrics)."""
        return {"fields": [{"id": f.id, "name": f.name, "description": f.description, "multi": f.multi,
                            "values": [{"id": v.id, "name": v.name, "definition": v.definition,
                                        "examples": list(v.examples)} for v in f.values]} for f in self.fields]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None, source: str = "project") -> "Codebook":
        return parse_codebook(json.loads(text), source, check_names=False) if text else cls()


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _where(source: str, fid: str | None = None, vid: str | None = None) -> str:
    out = source
    if fid is not None:
        out += f": field {fid!r}"
    if vid is not None:
        out += f", value {vid!r}"
    return out


def parse_codebook(data: Any, source: str = "codebook", *, check_names: bool = True) -> Codebook:
    """Validate parsed YAML/JSON data as a codebook; raise :class:`InputError` with one line per problem kind.

    ``check_names=False`` lets two values of a field, or two fields, share a name (a project's stored codebook,
    kept before the check, must still open); a file given to ``voc review --codebook`` is checked."""
    if isinstance(data, list):
        data = {"fields": data}
    if not isinstance(data, dict) or "fields" not in data:
        raise InputError(f"{source}: a codebook needs a top-level 'fields:' list (see docs/codebook_example.yaml)")
    raw = data["fields"]
    if not isinstance(raw, list) or not raw:
        raise InputError(f"{source}: 'fields' must be a non-empty list of fields")
    fields, seen, field_named = [], set(), {}
    for k, f in enumerate(raw, 1):
        if not isinstance(f, dict):
            raise InputError(f"{source}: field #{k} must be a mapping with id, name and values")
        fid = _text(f.get("id"))
        if not fid:
            raise InputError(f"{source}: field #{k} has no id")
        if not _ID.match(fid):
            raise InputError(f"{_where(source, fid)}: an id is lower-case letters, digits and _ (starting with a "
                             "letter, at most 40), because it becomes a column name")
        if fid in FIELDS:
            raise InputError(f"{_where(source, fid)}: clashes with the taxonomy's own field {fid}; the four taxonomy "
                             f"fields ({', '.join(FIELDS)}) are always there — give the team's field another id")
        if fid in RESERVED_IDS or fid.endswith("_conf") or fid.startswith(("model_", "h_")):
            raise InputError(f"{_where(source, fid)}: clashes with a column voc already writes; choose another id")
        if fid in seen:
            raise InputError(f"{_where(source, fid)}: duplicate field id; each field once")
        seen.add(fid)
        unknown = sorted(set(f) - {"id", "name", "description", "multi", "values"})
        if unknown:
            raise InputError(f"{_where(source, fid)}: unknown key(s) {', '.join(map(str, unknown))}; a field has "
                             "id, name, description, multi, values")
        multi = f.get("multi", False)
        if not isinstance(multi, bool):
            raise InputError(f"{_where(source, fid)}: multi must be true or false")
        if multi:
            raise InputError(f"{_where(source, fid)}: multi: true (several values per statement) is not supported "
                             "yet; make one yes/no field per value instead")
        name = _text(f.get("name"))
        if not name:
            raise InputError(f"{_where(source, fid)}: has no name (the Chinese name shown to coders)")
        if check_names and name in field_named:  # Why: two fields named 反映渠道 were accepted, side by side
            raise InputError(f"{source}: fields {field_named[name]!r} and {fid!r} have the same name {name!r}; "
                             "coders tell the fields apart by their names, so give each its own name")
        field_named[name] = fid
        vals = f.get("values")
        if not isinstance(vals, list) or not vals:
            raise InputError(f"{_where(source, fid)}: has no values; list at least two under 'values:'")
        if len(vals) < 2:
            raise InputError(f"{_where(source, fid)}: has only one value; a label field needs at least two")
        if len(vals) > MAX_VALUES:
            raise InputError(f"{_where(source, fid)}: has {len(vals)} values; at most {MAX_VALUES} (one per key "
                             "1–9, 0, -, = in the labels view) — split it into two fields")
        values, vseen = [], set()
        for j, v in enumerate(vals, 1):
            if isinstance(v, dict) and isinstance(v.get("id"), bool) or isinstance(v, bool):
                raise InputError(f"{_where(source, fid)}: value #{j} is read as true/false — YAML takes yes/no/on/off "
                                 "for booleans; quote the id ('yes')")
            if isinstance(v, (str, int)):
                v = {"id": v}
            if not isinstance(v, dict):
                raise InputError(f"{_where(source, fid)}: value #{j} must be a mapping with id, name, definition")
            vid = _text(v.get("id"))
            if not vid:
                raise InputError(f"{_where(source, fid)}: value #{j} has no id")
            if not _VALUE_ID.match(vid):
                raise InputError(f"{_where(source, fid, vid)}: a value id has no spaces, '=', ',' or '|' "
                                 "(at most 40 characters)")
            if vid in vseen:
                raise InputError(f"{_where(source, fid, vid)}: duplicate value id; each value once per field")
            vseen.add(vid)
            unknown = sorted(set(v) - {"id", "name", "definition", "examples"})
            if unknown:
                raise InputError(f"{_where(source, fid, vid)}: unknown key(s) {', '.join(map(str, unknown))}; a "
                                 "value has id, name, definition, examples")
            ex = v.get("examples") or []
            if isinstance(ex, str):
                ex = [ex]
            if not isinstance(ex, list):
                raise InputError(f"{_where(source, fid, vid)}: examples must be a list of sentences")
            values.append(CodebookValue(id=vid, name=_text(v.get("name")) or vid,
                                        definition=_text(v.get("definition")),
                                        examples=tuple(_text(e) for e in ex if _text(e))))
        named: dict[str, str] = {}
        for v in values if check_names else ():
            if v.name in named:  # Why: two values named 是 were accepted, and coders could not tell them apart
                raise InputError(f"{_where(source, fid)}: values {named[v.name]!r} and {v.id!r} have the same name "
                                 f"{v.name!r}; coders choose a value by its name, so give each its own name")
            named[v.name] = v.id
        fields.append(CodebookField(id=fid, name=name, values=tuple(values),
                                    description=_text(f.get("description")), multi=False))
    return Codebook(fields=tuple(fields), source=source)


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file (``.yaml``/``.yml``, or ``.json``)."""
    import yaml

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: codebook file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: a codebook must be UTF-8 text") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        first = (str(getattr(exc, "problem", None) or exc).splitlines() or ["syntax error"])[0]
        raise InputError(f"{path}: not valid YAML{where}: {first}") from None
    return parse_codebook(data, str(path))

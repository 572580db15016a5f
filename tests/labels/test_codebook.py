"""Codebook files: the example is valid, and every mistake is one line naming the file, field and value."""

import pytest

from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.codebook import MAX_VALUES, load_codebook, parse_codebook
from voiceofcustomer.resources import data_path


def _vals(*ids):
    return [{"id": i, "name": i.upper(), "definition": f"def of {i}"} for i in ids]


def test_example_codebook_is_valid_and_round_trips():
    book = load_codebook(data_path("docs", "codebook_example.yaml"))
    assert book.ids == ("churn_risk", "channel")
    assert book["churn_risk"].name == "流失风险"
    assert book.labels["churn_risk"] == ("threat", "hint", "none")
    assert book["churn_risk"].values[0].examples and book["channel"].values[0].definition
    again = parse_codebook(__import__("json").loads(book.to_json()), "x")
    assert again.to_json() == book.to_json()


@pytest.mark.parametrize("data, expected", [
    ({"fields": [{"id": "servqual", "name": "x", "values": _vals("a", "b")}]}, "field 'servqual': clashes with the taxonomy"),
    ({"fields": [{"id": "issue", "name": "x", "values": _vals("a", "b")}]}, "field 'issue': clashes with the taxonomy"),
    ({"fields": [{"id": "text", "name": "x", "values": _vals("a", "b")}]}, "field 'text': clashes with a column"),
    ({"fields": [{"id": "x_conf", "name": "x", "values": _vals("a", "b")}]}, "field 'x_conf': clashes with a column"),
    ({"fields": [{"id": "ch", "name": "渠道", "values": _vals("a", "b")},
                 {"id": "ch", "name": "渠道2", "values": _vals("a", "b")}]}, "field 'ch': duplicate field id"),
    ({"fields": [{"id": "ch", "name": "渠道", "values": _vals("a", "b", "a")}]}, "field 'ch', value 'a': duplicate value id"),
    ({"fields": [{"id": "ch", "name": "渠道", "values": []}]}, "field 'ch': has no values"),
    ({"fields": [{"id": "ch", "name": "渠道"}]}, "field 'ch': has no values"),
    ({"fields": [{"id": "ch", "name": "渠道", "values": _vals("a")}]}, "field 'ch': has only one value"),
    ({"fields": [{"id": "ch", "name": "渠道", "values": _vals(*[f"v{i}" for i in range(MAX_VALUES + 1)])}]},
     f"has {MAX_VALUES + 1} values; at most {MAX_VALUES}"),
    ({"fields": [{"id": "ch", "values": _vals("a", "b")}]}, "field 'ch': has no name"),
    ({"fields": [{"id": "Channel", "name": "渠道", "values": _vals("a", "b")}]}, "field 'Channel': an id is lower-case"),
    ({"fields": [{"id": "ch", "name": "渠道", "values": _vals("a", "b c")}]}, "field 'ch', value 'b c': a value id"),
    ({"fields": [{"id": "ch", "name": "渠道", "values": [{"name": "no id"}, {"id": "b"}]}]}, "field 'ch': value #1 has no id"),
    ({"fields": [{"id": "ch", "name": "渠道", "multi": True, "values": _vals("a", "b")}]}, "multi: true"),
    ({"fields": [{"id": "ch", "name": "渠道", "multi": "no", "values": _vals("a", "b")}]}, "multi must be true or false"),
    ({"fields": [{"id": "ch", "name": "渠道", "colour": 1, "values": _vals("a", "b")}]}, "unknown key(s) colour"),
    ({"fields": [{"id": "ch", "name": "渠道", "values": [{"id": "a", "defn": "x"}, {"id": "b"}]}]},
     "field 'ch', value 'a': unknown key(s) defn"),
    ({"fields": [{"name": "渠道", "values": _vals("a", "b")}]}, "field #1 has no id"),
    ({"fields": []}, "'fields' must be a non-empty list"),
    ({"other": 1}, "needs a top-level 'fields:' list"),
])
def test_validation_errors_are_one_line_naming_file_field_value(data, expected):
    with pytest.raises(InputError) as err:
        parse_codebook(data, "team.yaml")
    msg = str(err.value)
    assert msg.startswith("team.yaml") and expected in msg and "\n" not in msg


def test_load_codebook_file_errors(tmp_path):
    with pytest.raises(InputError, match="codebook file not found"):
        load_codebook(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("fields:\n  - id: ch\n    values: [a, b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.yaml: not valid YAML \(line \d+\)"):
        load_codebook(bad)
    ok = tmp_path / "ok.yaml"
    ok.write_text("fields:\n  - id: ch\n    name: 渠道\n    multi: false\n    values: [store, app]\n", encoding="utf-8")
    book = load_codebook(ok)
    assert book.labels == {"ch": ("store", "app")} and book["ch"].values[0].name == "store"

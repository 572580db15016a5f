"""Codebook files: the example is valid, and every mistake is one line naming the file, field and value."""

import json

import numpy as np
import pandas as pd
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
    again = parse_codebook(json.loads(book.to_json()), "x")
    assert again.to_json() == book.to_json()


def _one(**field):
    """A codebook with one field ``ch`` (name 渠道, values a and b) changed by ``field``."""
    base = {"id": "ch", "name": "渠道", "values": _vals("a", "b")}
    base.update(field)
    return {"fields": [{k: v for k, v in base.items() if v is not None}]}


@pytest.mark.parametrize("data, expected", [
    (_one(id="servqual"), "field 'servqual': clashes with the taxonomy"),
    (_one(id="issue"), "field 'issue': clashes with the taxonomy"),
    (_one(id="text"), "field 'text': clashes with a column"),
    (_one(id="x_conf"), "field 'x_conf': clashes with a column"),
    ({"fields": _one()["fields"] * 2}, "field 'ch': duplicate field id"),
    (_one(values=_vals("a", "b", "a")), "field 'ch', value 'a': duplicate value id"),
    (_one(values=[]), "field 'ch': has no values"),
    (_one(values=None), "field 'ch': has no values"),
    (_one(values=_vals("a")), "field 'ch': has only one value"),
    (_one(values=_vals(*[f"v{i}" for i in range(MAX_VALUES + 1)])),
     f"has {MAX_VALUES + 1} values; at most {MAX_VALUES}"),
    (_one(name=None), "field 'ch': has no name"),
    (_one(id="Channel"), "field 'Channel': an id is lower-case"),
    (_one(values=_vals("a", "b c")), "field 'ch', value 'b c': a value id"),
    (_one(values=[{"name": "no id"}, {"id": "b"}]), "field 'ch': value #1 has no id"),
    (_one(multi=True), "multi: true"),
    (_one(multi="no"), "multi must be true or false"),
    (_one(colour=1), "unknown key(s) colour"),
    (_one(values=[True, False]), "field 'ch': value #1 is read as true/false"),
    (_one(values=[{"id": "a"}, {"id": False}]), "field 'ch': value #2 is read as true/false"),
    (_one(values=[{"id": "a", "defn": "x"}, {"id": "b"}]), "field 'ch', value 'a': unknown key(s) defn"),
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


def test_a_team_fields_confidence_is_written_to_four_places_as_the_four_fields(tmp_path):
    """QA: voc tag --model my-model/ wrote churn_risk_conf 0.9539999961853027 beside servqual_conf 0.9958 (the team
    head's float32 probability rounded in float32, then widened); now 0.954, four places as the four fields."""
    from voiceofcustomer.labels.model import load_model

    book = parse_codebook({"fields": [{"id": "churn_risk", "name": "流失风险", "values": [
        {"id": "threat", "name": "明确要走", "definition": "说要走"}, {"id": "none", "name": "无", "definition": "无"}]}]})
    texts = ["营业厅排队太久了，再不解决我就携号转网", "热线一直占线，我要换运营商了", "下个月合约到期就销户",
             "营业厅排队太久了", "热线一直占线", "APP缴费失败"]
    model = load_model().fit_codebook(texts, pd.DataFrame({"churn_risk": ["threat"] * 3 + ["none"] * 3}), book)
    conf = model.predict(texts)["churn_risk_conf"].to_numpy()
    assert conf.dtype == np.float64 and (conf == conf.round(4)).all(), conf
    out = tmp_path / "t.csv"
    pd.DataFrame({"churn_risk_conf": conf, "servqual_conf": model.predict(texts)["servqual_conf"]}).to_csv(out, index=False)
    for line in out.read_text(encoding="utf-8").splitlines()[1:]:
        assert all(len(v.split(".")[-1]) <= 4 for v in line.split(",")), line


def test_two_values_of_a_field_with_the_same_name_are_refused_in_one_line(tmp_path):
    # before: complained_before with yes 是 and again 是 was accepted, and coders saw two keys named 是
    with pytest.raises(InputError) as err:
        parse_codebook(_one(name="投诉过", values=[{"id": "yes", "name": "是"}, {"id": "no", "name": "否"},
                                                  {"id": "again", "name": " 是 "}]), "team.yaml")
    assert str(err.value) == ("team.yaml: field 'ch': values 'yes' and 'again' have the same name '是'; coders choose "
                              "a value by its name, so give each its own name")
    # a value without a name is named by its id: another value named so clashes too
    with pytest.raises(InputError, match=r"values 'a' and 'b' have the same name 'a'"):
        parse_codebook(_one(values=[{"id": "a"}, {"id": "b", "name": "a"}]), "team.yaml")
    # the same value name in two fields is no clash; nor are names the ids of others
    two = {"fields": [_one()["fields"][0], {**_one()["fields"][0], "id": "ch2", "name": "回访渠道"}]}
    assert parse_codebook(two, "team.yaml").ids == ("ch", "ch2")
    # the command line: one line, the project not created
    yaml, said = _review_with_codebook(tmp_path, "fields:\n  - id: complained_before\n    name: 投诉过\n    values:\n"
                                                 "      - {id: 'yes', name: 是}\n      - {id: again, name: 是}\n")
    assert said == (f"Error: {yaml}: field 'complained_before': values 'yes' and 'again' have the same name '是'; "
                    "coders choose a value by its name, so give each its own name")


def _review_with_codebook(tmp_path, codebook: str):
    """``voc review`` of a one-row tagged table with the codebook ``codebook`` (YAML text): ``(its file, the
    refusal said)``, checked to exit 2 without creating the project."""
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    yaml = tmp_path / "team.yaml"
    yaml.write_text(codebook, encoding="utf-8")
    tagged = tmp_path / "tagged.csv"
    tagged.write_text("text,servqual,demand,issue,stance\n营业厅排队太久,responsiveness,channel,efficiency,complaint\n",
                      encoding="utf-8")
    r = CliRunner().invoke(main, ["review", str(tagged), "--db", str(tmp_path / "r.sqlite"), "--codebook", str(yaml),
                                  "--no-browser"])
    assert r.exit_code == 2 and not (tmp_path / "r.sqlite").exists()
    return yaml, r.output.strip()


def test_a_stored_codebook_with_two_values_of_one_name_still_opens():
    # a project that stored one before the check opens as it did (giving the file again is checked)
    from voiceofcustomer.labels.codebook import Codebook

    data = _one(values=[{"id": "a", "name": "是"}, {"id": "b", "name": "是"}])
    book = Codebook.from_json(json.dumps(data), "r.sqlite (stored codebook)")
    assert book.labels == {"ch": ("a", "b")}


def test_two_fields_with_the_same_name_are_refused_in_one_line(tmp_path):
    # before: a codebook with channel and channel2 both named 反映渠道 was accepted, and the page showed two fields
    # named 反映渠道 side by side; now refused as two values of one name are
    first = _one(name="反映渠道")["fields"][0]
    two = {"fields": [first, {**first, "id": "channel2", "name": " 反映渠道 "}]}
    with pytest.raises(InputError) as err:
        parse_codebook(two, "team.yaml")
    assert str(err.value) == ("team.yaml: fields 'ch' and 'channel2' have the same name '反映渠道'; coders tell the "
                              "fields apart by their names, so give each its own name")
    # a project that stored such a codebook before the check still opens
    from voiceofcustomer.labels.codebook import Codebook

    assert Codebook.from_json(json.dumps(two), "r.sqlite (stored codebook)").ids == ("ch", "channel2")
    # the command line: one line, the project not created
    field = "    name: 反映渠道\n    values:\n      - {id: store, name: 营业厅}\n      - {id: hotline, name: 客服热线}\n"
    yaml, said = _review_with_codebook(tmp_path, f"fields:\n  - id: channel\n{field}  - id: callback_channel\n{field}")
    assert said == (f"Error: {yaml}: fields 'channel' and 'callback_channel' have the same name '反映渠道'; coders tell "
                    "the fields apart by their names, so give each its own name")

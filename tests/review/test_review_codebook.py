"""A team's codebook in a review project: stored with the project, coded like the four fields,
exported, taught by `voc train --add` and predicted by `voc tag --model`."""

import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from codebook_fixtures import CODEBOOK, channel_texts, codebook_project
from review_fixtures import tagged_frame
from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.codebook import load_codebook
from voiceofcustomer.review.app import create_app
from voiceofcustomer.review.export import QDA_NS, coded_table, export_qdpx
from voiceofcustomer.review.project import open_project
from voiceofcustomer.review.store import ReviewStore, create_project
from voiceofcustomer.review.teach_codebook import codebook_decisions


@pytest.fixture
def team_yaml(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return path


def test_codebook_is_stored_in_the_project_and_survives_reopening_without_it(tmp_path, team_yaml):
    inp = tmp_path / "tagged.csv"
    tagged_frame().to_csv(inp, index=False)
    store = open_project([inp], tmp_path / "r.sqlite", codebook=team_yaml)
    store.decide("t:1-s01", {"channel": "hotline", "issue": "billing"}, "wang")
    store.close()
    again = open_project([], tmp_path / "r.sqlite")  # no --codebook: the stored one is used
    assert again.codebook().ids == ("channel",)
    row = again.row("t:1-s01", "wang")
    assert row["mine"]["channel"] == "hotline" and row["human"]["channel"] == "hotline"
    assert row["mine"]["issue"] == "billing"
    d = again.decisions_frame()
    ch = d[d["field"] == "channel"]
    assert ch[["coder", "value"]].values.tolist() == [["wang", "hotline"]] and ch["at"].str.endswith("+00:00").all()
    # undo takes the team field back with the rest of the row
    again.undo("wang")
    assert again.row("t:1-s01", "wang")["human"]["channel"] is None
    again.close()


def test_bad_codebook_is_refused_before_the_project_is_touched(tmp_path):
    inp = tmp_path / "tagged.csv"
    tagged_frame().to_csv(inp, index=False)
    bad = tmp_path / "bad.yaml"
    bad.write_text("fields:\n  - id: stance\n    name: 立场\n    values: [a, b]\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["review", str(inp), "--codebook", str(bad), "--no-browser"])
    assert r.exit_code == 2 and "bad.yaml: field 'stance': clashes with the taxonomy" in r.output
    assert not (tmp_path / "review.sqlite").exists()


def test_an_edited_codebook_that_drops_a_coded_value_or_field_is_refused_and_the_project_kept(tmp_path):
    # a value id misspelt in the edited file (hotlin for hotline) silently replaced the stored codebook:
    # the 15 statements coded hotline then exported with an empty channel and were not taught
    db = codebook_project(tmp_path / "r.sqlite")
    typo = tmp_path / "typo.yaml"
    typo.write_text(CODEBOOK.replace("- id: hotline", "- id: hotlin"), encoding="utf-8")
    with pytest.raises(InputError, match="typo.yaml: field 'channel' has no value 'hotline'"):
        open_project([], db, codebook=typo)  # (before, accepted: the command went on to serve the page)
    r = CliRunner().invoke(main, ["review", "--db", str(db), "--codebook", str(typo), "--no-browser"])
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert ("typo.yaml: field 'channel' has no value 'hotline', yet 15 statements of r.sqlite are coded 'hotline' "
            "(its values here: store, hotlin, online); keep the value's id as it was") in r.output
    dropped = tmp_path / "dropped.yaml"
    dropped.write_text(CODEBOOK.replace("  - id: channel", "  - id: channels"), encoding="utf-8")
    with pytest.raises(InputError, match=r"dropped.yaml: has no field 'channel', yet 45 statements of r.sqlite "
                                         r"are coded in it; keep the field"):
        open_project([], db, codebook=dropped)
    store = ReviewStore.open_existing(db)
    assert store.codebook().labels == {"channel": ("store", "hotline", "online")}
    store.close()
    assert (coded_table(db)["channel"] == "hotline").sum() == 15
    # renaming a value (its name:, not its id) and adding one is what an edited codebook may do
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(CODEBOOK.replace("name: 客服热线", "name: 10086热线")
                       + "      - id: field\n        name: 上门\n        definition: At home.\n", encoding="utf-8")
    store = open_project([], db, codebook=renamed)
    assert store.codebook()["channel"].values[1].name == "10086热线"
    store.close()
    assert (coded_table(db)["channel"] == "hotline").sum() == 15


def test_decisions_on_team_fields_are_validated(project, team_yaml):
    project.set_codebook(load_codebook(team_yaml))
    with pytest.raises(InputError, match="'fax' is not a channel label; choose one of store, hotline, online"):
        project.decide("t:1-s01", {"channel": "fax"}, "wang")
    with pytest.raises(InputError, match="unknown label field"):
        project.decide("t:1-s01", {"colour": "red"}, "wang")
    # accepting without choosing a team value records the four fields only
    out = project.decide("t:2-s01", {}, "wang")
    assert "channel" not in out["labels"] and set(out["labels"]) == {"servqual", "demand", "issue", "stance"}
    project.decide("t:3-s01", {"channel": "online"}, "li")
    rows = project.queue(coder="wang", status="all", label="channel=online")
    assert [r["statement_id"] for r in rows] == ["t:3-s01"]


def test_labels_view_offers_team_fields_with_definitions(project, team_yaml):
    project.set_codebook(load_codebook(team_yaml))
    client = TestClient(create_app(project, coder="wang", token="tok", port=8123), base_url="http://127.0.0.1:8123")
    html = client.get("/?token=tok", follow_redirects=True).text
    boot = json.loads(html.split('<script id="boot" type="application/json">')[1].split("</script>")[0])
    fields = [f["field"] for f in boot["codebook"]]
    assert fields == ["servqual", "demand", "issue", "stance", "channel"]
    store_choice = boot["codebook"][4]["choices"][0]
    assert store_choice["value"] == "store" and store_choice["zh"] == "营业厅"
    assert "physical store" in store_choice["definition"] and "营业厅排队太久" in store_choice["definition"]
    r = client.post("/api/decide", json={"statement_id": "t:1-s01", "labels": {"channel": "store"}})
    assert r.status_code == 200 and r.json()["labels"]["channel"] == "store"
    r = client.post("/api/decide", json={"statement_id": "t:1-s01", "labels": {"channel": "fax"}})
    assert r.status_code == 400 and "not a channel label" in r.json()["error"]
    row = client.get("/api/row/t:1-s01").json()
    assert row["model"]["channel"] == {"value": None, "conf": None} and row["mine"]["channel"] == "store"


def test_model_suggestions_for_team_fields_come_from_a_taught_models_output(tmp_path, team_yaml):
    df = tagged_frame(6)
    df["channel"] = ["store", "hotline", "online", "fax", None, "store"]  # 'fax' is not in the codebook
    df["channel_conf"] = [0.9, 0.8, 0.7, 0.9, None, 0.6]
    store = create_project(df, tmp_path / "r.sqlite")
    store.set_codebook(load_codebook(team_yaml))
    assert store.row("t:1-s01", "wang")["model"]["channel"] == {"value": "store", "conf": 0.9}
    assert store.row("t:4-s01", "wang")["model"]["channel"]["value"] is None
    # accepting a row confirms the model's team value like the four fields
    assert store.decide("t:2-s01", {}, "wang")["labels"]["channel"] == "hotline"
    assert "channel" not in store.decide("t:4-s01", {}, "wang")["labels"]
    store.close()
    table = coded_table(tmp_path / "r.sqlite")
    assert table.set_index("statement_id").loc["t:1-s01", "channel"] == "store"  # the model's, undecided


TAGGED_TEAM = Path(__file__).resolve().parents[1] / "data" / "tagged_team_field.csv"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_taught_models_file_shows_the_team_fields_confidence(tmp_path, team_yaml, suffix):
    # `voc tag --model` writes channel_conf beside channel; read back from its CSV or Excel output (where the
    # user's columns stay text) the page showed "model: store 0%" (found in the complaint-team QA pass)
    from voiceofcustomer.io.writers import write_table

    src = TAGGED_TEAM if suffix == ".csv" else write_table(pd.read_csv(TAGGED_TEAM, encoding="utf-8"),
                                                            tmp_path / "tagged.xlsx")
    store = open_project([src], tmp_path / "r.sqlite", codebook=team_yaml)
    assert [store.row(f"tt:{i}-s01", "wang")["model"]["channel"] for i in (1, 2, 3, 4)] == [
        {"value": "store", "conf": 0.91}, {"value": "hotline", "conf": 0.64}, {"value": "online", "conf": 0.58},
        {"value": None, "conf": None}]
    store.close()
    # and the statements reader types it as the four fields' confidences, not the user's own columns
    from voiceofcustomer.statements import own_columns, read_statements

    df = read_statements(src)
    assert df["channel_conf"].dtype == float and "channel_conf" not in own_columns(df.columns)


def test_export_has_team_fields_in_the_table_and_the_qdpx_codebook(tmp_path):
    db = codebook_project(tmp_path / "c.sqlite", n=9)
    table = coded_table(db)
    after_stance = list(table.columns[table.columns.get_loc("stance") + 1:][:4])
    assert after_stance == ["stance_zh", "channel", "channel_zh", "decided"]
    assert table["channel"].tolist() == [c for _, c in channel_texts(9)] and table["decided"].all()
    # beside it the value's name, as the .qdpx's code says it ("channel: hotline 客服热线")
    names = {"store": "营业厅", "hotline": "客服热线", "online": "线上渠道"}
    assert table["channel_zh"].tolist() == [names[c] for _, c in channel_texts(9)]
    out = export_qdpx(db, tmp_path / "c.qdpx")
    root = ET.fromstring(zipfile.ZipFile(out).read("project.qde"))
    q = lambda t: f"{{{QDA_NS}}}{t}"  # noqa: E731
    parents = {c.get("name"): c for c in root.find(q("CodeBook")).find(q("Codes"))}
    assert "channel 反映渠道" in parents
    codes = {c.get("name"): c.get("guid") for c in parents["channel 反映渠道"]}
    assert set(codes) == {"channel: store 营业厅", "channel: hotline 客服热线", "channel: online 线上渠道"}
    assert parents["channel 反映渠道"][0].findtext(q("Description")).startswith("A physical store")
    refs = [r.get("targetGUID") for r in root.iter(q("CodeRef"))]
    assert refs.count(codes["channel: hotline 客服热线"]) == 3  # 9 statements, 3 per channel
    users = {u.get("guid"): u.get("name") for u in root.iter(q("User"))}
    by = {users[c.get("creatingUser")] for c in root.iter(q("Coding")) if c[0].get("targetGUID") in codes.values()}
    assert by == {"wang"}


def test_label_frame_names_team_fields_and_flags_their_low_confidence():
    from voiceofcustomer.labels.tagging import label_frame

    custom = (("channel", ("store", "hotline", "online")),)
    codes = np.array([[0, 0, 0, 0, 1], [0, 0, 0, 0, 2], [0, 0, 0, 0, 255]], dtype=np.uint8)
    confs = np.array([[0.9] * 5, [0.9, 0.9, 0.9, 0.9, 0.3], [0.0] * 5])
    out = label_frame(codes, confs, np.array([False, False, True]), 0.55, custom)
    assert out["channel"].tolist() == ["hotline", "online", None]
    assert out["channel_conf"].tolist() == [0.9, 0.3, 0.0]
    assert out["needs_review"].tolist() == [False, True, True]  # the team field's low confidence flags the row
    assert list(out.columns).index("channel") == 4 and list(out.columns)[-2:] == ["needs_review", "note"]


def test_too_few_examples_of_a_value_is_a_clear_error(tmp_path):
    db = codebook_project(tmp_path / "c.sqlite", n=12)  # 4 decisions per value
    with pytest.raises(InputError) as err:
        codebook_decisions([db], min_examples=5)
    msg = str(err.value)
    assert "codebook field channel: value 'store' has 4 decided statements" in msg and "at least 5" in msg
    book, dec, uncoded = codebook_decisions([db], min_examples=4)
    assert book.ids == ("channel",) and len(dec) == 12 and list(dec["statement_id"]) == sorted(dec["statement_id"])
    assert uncoded == ()
    r = CliRunner().invoke(main, ["train", "--add", str(db), "-o", str(tmp_path / "m"), "-q"])
    assert r.exit_code == 2 and "value 'store' has 4 decided statements" in r.output
    assert not (tmp_path / "m").exists()


def test_a_team_field_nobody_coded_yet_is_left_out_not_an_error(tmp_path):
    two = tmp_path / "two.yaml"
    two.write_text(CODEBOOK + "  - id: churn\n    name: 流失\n    values: ['yes', 'no']\n", encoding="utf-8")
    db = codebook_project(tmp_path / "c.sqlite", n=15, codebook_path=two)
    book, dec, uncoded = codebook_decisions([db])
    assert book.ids == ("channel",) and uncoded == ("churn",) and list(dec.columns)[-1] == "channel"
    store = ReviewStore(db)
    assert store.codebook().ids == ("channel", "churn")  # the project keeps the whole codebook
    store.close()


def test_projects_with_different_codebooks_cannot_be_taught_together(tmp_path):
    a = codebook_project(tmp_path / "a.sqlite", n=15)
    other = tmp_path / "other.yaml"
    other.write_text(CODEBOOK.replace("反映渠道", "渠道"), encoding="utf-8")
    (tmp_path / "b").mkdir()
    b = codebook_project(tmp_path / "b" / "b.sqlite", n=15, codebook_path=other)
    with pytest.raises(InputError, match="its codebook differs"):
        codebook_decisions([a, b])


@pytest.mark.slow
def test_train_add_learns_the_team_field_and_tag_outputs_it(tmp_path, small_corpus):
    db = codebook_project(tmp_path / "c.sqlite", n=45)
    runner = CliRunner()
    args = ["train", str(small_corpus), "--add", str(db), "-q"]
    for out in ("m1", "m2"):
        r = runner.invoke(main, args + ["-o", str(tmp_path / out)])
        assert r.exit_code == 0, r.output
    unseen = channel_texts(30, offset=300)  # sentences the team never coded
    texts = [t for t, _ in unseen]
    from voiceofcustomer.labels.model import load_model

    m1, m2 = load_model(tmp_path / "m1"), load_model(tmp_path / "m2")
    assert m1.custom_fields == ("channel",) and load_model(None).custom_fields == ()
    p1, p2 = m1.predict(texts), m2.predict(texts)
    pd.testing.assert_frame_equal(p1, p2)  # deterministic
    assert (p1["channel"] == [c for _, c in unseen]).mean() >= 0.9
    metrics = json.loads((tmp_path / "m1" / "metrics.json").read_text(encoding="utf-8"))
    held = metrics["team_held_out_custom"]["channel"]
    assert held["n_test"] >= 5 and held["after"]["macro_f1"] > held["before"]["macro_f1"]
    assert metrics["n_team_custom"]["channel"] == {"hotline": 15, "online": 15, "store": 15}
    card = (tmp_path / "m1" / "README.md").read_text(encoding="utf-8")
    assert "## The team's own fields (codebook)" in card and "| channel | 反映渠道 |" in card
    # voc tag --model writes the team field, its confidence, and counts it for needs_review
    inp = tmp_path / "new.csv"
    pd.DataFrame({"content": texts[:9] + [""]}).to_csv(inp, index=False)
    for jobs in ("1", "2"):
        r = runner.invoke(main, ["tag", str(inp), "-o", str(tmp_path / f"out{jobs}.csv"), "--model",
                                 str(tmp_path / "m1"), "--jobs", jobs, "-q"])
        assert r.exit_code == 0, r.output
    out = pd.read_csv(tmp_path / "out1.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(out, pd.read_csv(tmp_path / "out2.csv", encoding="utf-8-sig"))
    assert list(out.columns[1:]) == ["servqual", "demand", "issue", "stance", "channel", "servqual_conf",
                                     "demand_conf", "issue_conf", "stance_conf", "channel_conf", "needs_review", "note"]
    assert out["channel"][:9].tolist() == [c for _, c in unseen[:9]]
    assert pd.isna(out["channel"][9]) and out["needs_review"][9]
    confs = out[["servqual_conf", "demand_conf", "issue_conf", "stance_conf", "channel_conf"]][:9].to_numpy()
    from voiceofcustomer.labels.taxonomy import DEFAULT_REVIEW_BELOW, review_score

    flag = (review_score(confs[:, :4]) < DEFAULT_REVIEW_BELOW) | (confs[:, 4] < DEFAULT_REVIEW_BELOW)
    assert (out["needs_review"][:9].to_numpy() == flag).all()  # the four by geometric mean, a team field alone
    # a taught output opened for review shows the model's team values as suggestions
    store = create_project(out.rename(columns={"content": "text"}).iloc[:9], tmp_path / "next.sqlite")
    store.set_codebook(load_codebook(tmp_path / "team.yaml"))
    assert store.row("row1", "li")["model"]["channel"]["value"] == unseen[0][1]
    store.close()


def test_agreement_covers_team_fields_coder_vs_coder(tmp_path):
    from sklearn.metrics import cohen_kappa_score

    from voiceofcustomer.review.agreement import agreement_from_project

    db = codebook_project(tmp_path / "c.sqlite", n=12, coder="wang")
    store = ReviewStore(db)
    truth = [c for _, c in channel_texts(12)]
    li = ["store" if k in (1, 5) else c for k, c in enumerate(truth)]  # li disagrees on two rows
    for k, v in enumerate(li):
        store.decide(f"c{k:03d}", {"channel": v}, "li")
    store.close()
    res = agreement_from_project(db)
    pair = res.pairs[(res.pairs["field"] == "channel")]
    assert pair[["coder_a", "coder_b", "n"]].values.tolist() == [["li", "wang", 12]]  # no model row for it
    assert pair["kappa"].iloc[0] == pytest.approx(cohen_kappa_score(li, truth))
    dis = res.disagreements[res.disagreements["field"] == "channel"]
    assert sorted(dis["statement_id"]) == ["c001", "c005"]

"""`voc train --add` with a team codebook: what --min-examples allows, and a value nobody has coded.

Written project (codebook_fixtures): 15 statements, 5 per channel (store, hotline, online), and a fourth value
'unspecified' in the codebook that nobody has coded."""
import pytest
from click.testing import CliRunner

from codebook_fixtures import CODEBOOK, codebook_project
from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.review.project import open_project
from voiceofcustomer.review.teach_codebook import codebook_decisions

UNSPECIFIED = "      - id: unspecified\n        name: 未说明\n        definition: No channel named.\n"


@pytest.fixture
def project(tmp_path):
    yaml = tmp_path / "team.yaml"
    yaml.write_text(CODEBOOK + UNSPECIFIED, encoding="utf-8")
    return codebook_project(tmp_path / "c.sqlite", n=15, codebook_path=yaml)


@pytest.mark.parametrize("least", ["0", "1", "-3"])
def test_min_examples_below_two_says_the_range_and_why(tmp_path, project, least):
    # before: 0 (and any falsy value) was read as the default 5, whose error then said "or lower --min-examples";
    # 1 said only "--min-examples must be at least 2"
    r = CliRunner().invoke(main, ["train", "--add", str(project), "-o", str(tmp_path / "m"), "-q",
                                  "--min-examples", least])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.output.strip() == (f"Error: --min-examples must be a whole number from 2 up (got {least}; default 5): "
                                "each value of a team field is learnt from its decided statements, and one statement "
                                "is a single sentence, not a pattern")
    assert not (tmp_path / "m").exists()
    with pytest.raises(InputError, match=r"^min_examples= must be a whole number from 2 up \(got 0; default 5\)"):
        codebook_decisions([project], min_examples=0)


def test_a_value_nobody_coded_says_to_take_it_out_of_the_codebook_and_reopen(tmp_path, project):
    for least in (5, 2):  # no minimum helps: the message does not send the user to lower it
        with pytest.raises(InputError) as err:
            codebook_decisions([project], min_examples=least)
        msg = str(err.value)
        assert msg == (f"{project}: codebook field channel: value 'unspecified' has no decided statements (nobody "
                       "has coded it), so no minimum lets it be learnt (each value needs at least 2) — code more in "
                       "`voc review` (filter the text with /), or take the value out of the codebook: delete it from "
                       f"the codebook file and reopen the project with `voc review --db {project} --codebook "
                       "<the codebook file>`")
        assert "min_examples" not in msg and err.value.params == ()
        assert "还没有人标注过" in err.value.zh and "--codebook <the codebook file>" in err.value.zh
    r = CliRunner().invoke(main, ["train", "--add", str(project), "-o", str(tmp_path / "m"), "-q",
                                  "--min-examples", "2"])
    assert r.exit_code == 2 and "value 'unspecified' has no decided statements" in r.output
    assert "--min-examples" not in r.output
    # doing what it says works: the file without the value, the project reopened with it
    (tmp_path / "team.yaml").write_text(CODEBOOK, encoding="utf-8")
    open_project([], project, codebook=tmp_path / "team.yaml").close()
    book, decisions, _ = codebook_decisions([project], min_examples=5)
    assert book["channel"].value_ids == ("store", "hotline", "online") and len(decisions) == 15


def test_a_value_coded_once_says_to_recode_it_first(tmp_path):
    from voiceofcustomer.review.store import ReviewStore

    yaml = tmp_path / "team.yaml"
    yaml.write_text(CODEBOOK + UNSPECIFIED, encoding="utf-8")
    db = codebook_project(tmp_path / "c.sqlite", n=15, codebook_path=yaml)
    store = ReviewStore(db)
    store.decide("c000", {"channel": "unspecified"}, "wang")
    store.close()
    with pytest.raises(InputError, match=r"value 'unspecified' has 1 decided statement, so no minimum lets it be "
                                         r"learnt .* \(first recode that statement to another value in `voc review`\)"):
        codebook_decisions([db], min_examples=2)


@pytest.mark.parametrize("least", [1, "3", True])
def test_the_teach_panel_says_the_minimum_as_voc_train_does(project, least):
    # before: the page checked 2–1000 with its own words ("min_examples must be a whole number from 2 to 1000 (…)",
    # "…须为 2 到 1000 之间的整数") and refused 1001, which voc train takes; now the library's check and message, the
    # panel's field in place of min_examples=
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from voiceofcustomer.review.app import create_app
    from voiceofcustomer.review.jobs import JobRunner
    from voiceofcustomer.review.store import ReviewStore

    calls = []
    store = ReviewStore(project)
    jobs = JobRunner(project, runners={"teach": lambda db, out, *, progress, **o: calls.append(o)})
    app = create_app(store, coder="wang", token="t", port=5567, jobs=jobs)
    try:
        with TestClient(app, base_url="http://127.0.0.1:5567", headers={"X-Review-Token": "t"}) as c:
            assert 'id="teach-min" type="number" min="2" value="5"' in c.get("/model").text
            r = c.post("/api/jobs/teach", json={"min_examples": least})
            assert r.status_code == 400
            assert r.json()["error"] == (
                f"the Teach panel's min. examples per team value must be a whole number from 2 up (got {least!r}; "
                "default 5): each value of a team field is learnt from its decided statements, and one statement is "
                "a single sentence, not a pattern")
            assert r.json()["error_zh"].startswith(f"“教模型”的“团队取值的最少样本数” 须为不小于 2 的整数（现为 {least!r}；默认 5）")
            assert c.post("/api/jobs/teach", json={"output": "m", "min_examples": 1001}).status_code == 202
            jobs.wait(10)
    finally:
        store.close()
    assert calls[-1]["min_examples"] == 1001

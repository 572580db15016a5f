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

"""A transcript whose city is taken from its title says so in one line, as one naming no customer group does (voc
split, voc analyze, voc themes): before, `voc split fg.txt` with the title 2026年11月 宽带用户座谈会（杭州） and no
城市 line gave every statement an empty city and noted only the missing group."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli import main

NOTE = "note: {f}: city 杭州 taken from the title; write 城市：… in the header{give} to change it"


def _notes(res):
    return [ln for ln in res.stderr.splitlines() if "taken from the title" in ln]


def test_voc_split_says_the_city_it_took_from_the_title(data_dir, tmp_path):
    path = data_dir / "focus_group_city_in_title.txt"
    out = tmp_path / "st.csv"
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert _notes(res) == [NOTE.format(f=path, give=" (or give --city)")]
    assert set(pd.read_csv(out, dtype=str)["city"]) == {"杭州"}
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(out), "-q", "--city", "宁波"])
    assert res.exit_code == 0 and _notes(res) == []
    assert set(pd.read_csv(out, dtype=str)["city"]) == {"宁波"}


def test_voc_themes_says_it_without_an_option_it_lacks(data_dir, tmp_path):
    path = data_dir / "focus_group_city_in_title.txt"
    res = CliRunner().invoke(main, ["themes", str(path), "--embedding", "lsa", "-o", str(tmp_path / "th"), "-q"])
    assert res.exit_code == 0, res.output
    assert _notes(res) == [NOTE.format(f=path, give="")]


@pytest.mark.slow
def test_voc_analyze_says_it_and_the_statements_have_the_city(data_dir, tmp_path):
    path = data_dir / "focus_group_city_in_title.txt"
    res = CliRunner().invoke(main, ["analyze", str(path), "-o", str(tmp_path / "r"), "--embedding", "lsa",
                                    "--jobs", "1", "-q"])
    assert res.exit_code == 0, res.output
    assert _notes(res) == [NOTE.format(f=path, give=" (or give --city)")]
    assert set(pd.read_excel(tmp_path / "r" / "statements.xlsx", dtype=str, engine="openpyxl")["city"]) == {"杭州"}

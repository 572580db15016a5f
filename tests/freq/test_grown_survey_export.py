"""A survey exported again with more answers (问卷_11月.xlsx with answers 1–3, later 问卷_11月_更新.xlsx with answers
1–5, the first 3 the same), split, tagged and given to voc freq together, was counted twice: a survey's answer was
keyed by its source file (answer 1 of two surveys is two respondents, a36a41e), so the 3 answers both files have
were 6 (counted 8 of 8 statements). Now a later file whose answers repeat an earlier file's survey (more than half of
the answer numbers both have read the same) is that survey grown: an answer with the same number and words is one
answer, counted once, and the notes and the summary say so with how many. Another survey that reuses the numbers
1–3 with other words is counted whole, and two surveys whose answer 1 only happen to read the same stay two
(test_survey_answers_across_files.py).

Fixtures tests/data/survey_ids/tagged_wenjuan_nov.csv, tagged_wenjuan_nov_update.csv, tagged_wenjuan_dec.csv
(written)."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq.tables import count_table


def _folder(data_dir, tmp_path, *names, parquet=()):
    folder = tmp_path / "tagged"
    folder.mkdir()
    for name in names:
        src = data_dir / "survey_ids" / name
        if name in parquet:  # as voc tag writes big outputs: the typed reader keys its rows the same way
            pd.read_csv(src, dtype=str, keep_default_na=False).to_parquet(
                folder / name.replace(".csv", ".parquet"), index=False)
        else:
            shutil.copy(src, folder)
    return folder


def _notes(result):
    return result.tables["notes"].set_index("note")["count"]


@pytest.mark.parametrize("parquet", [(), ("tagged_wenjuan_nov_update.csv",)])
def test_a_survey_exported_again_with_more_answers_counts_each_answer_once(data_dir, tmp_path, parquet):
    folder = _folder(data_dir, tmp_path, "tagged_wenjuan_nov.csv", "tagged_wenjuan_nov_update.csv", parquet=parquet)
    result, _ = count_table(folder)
    assert result.rows_counted == 5  # answers 1–5, not 8
    assert _notes(result)["rows repeated from an earlier file excluded"] == 3
    assert _notes(result)["survey answers merged from an earlier export"] == 3
    [(name, merged, answers)] = result.grown_surveys
    assert name.endswith("tagged_wenjuan_nov_update" + (".parquet" if parquet else ".csv"))
    assert (merged, answers) == (3, 5)
    billing = result.tables["overall"].set_index(["field", "label"]).at[("issue", "billing"), "count"]
    assert billing == 2  # 希望资费再便宜一点。 once, 账单上的项目看不懂。


def test_another_survey_reusing_the_answer_numbers_with_other_words_is_counted(data_dir, tmp_path):
    folder = _folder(data_dir, tmp_path, "tagged_wenjuan_dec.csv", "tagged_wenjuan_nov.csv",
                     "tagged_wenjuan_nov_update.csv")
    result, _ = count_table(folder)
    assert result.rows_counted == 8  # December's 3 answers and November's 5
    assert _notes(result)["survey answers merged from an earlier export"] == 3  # November's grown export only
    assert [(m, a) for _, m, a in result.grown_surveys] == [(3, 5)]


def test_the_summary_and_notes_say_how_many_answers_were_merged(data_dir, tmp_path):
    folder = _folder(data_dir, tmp_path, "tagged_wenjuan_nov.csv", "tagged_wenjuan_nov_update.csv")
    res = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "freq")])
    assert res.exit_code == 0, res.output
    assert "counted 5 of 8 statements" in res.output and "3 repeated from an earlier file" in res.output
    assert ("tagged_wenjuan_nov_update.csv is an earlier file's survey exported again: 3 of its 5 answers have "
            "that file's answer number (ticket_id) and words, each counted once") in res.output
    notes = pd.read_csv(tmp_path / "freq" / "notes.csv").set_index("note")
    assert "tagged_wenjuan_nov_update.csv: 3 of its 5 answers" in notes.at[
        "survey answers merged from an earlier export", "detail"]


def test_a_grown_export_is_told_by_its_own_survey_when_another_survey_is_read_between(data_dir, tmp_path):
    # 问卷_11月 answers 1–2, then another survey's answers 1–6 in other words, then 问卷_11月_更新 (1–5, the first
    # 2 as the November export): judged against every earlier answer pooled, 2 of the 5 numbers read the same and
    # 3 differ (the other survey's), so the update was taken for a third survey and counted whole (13 of 13); each
    # earlier file on its own, November's export explains it: 2 + 6 + 3 new = 11
    folder = tmp_path / "tagged"
    folder.mkdir()
    for name, as_name in [("tagged_wenjuan_nov_early.csv", "1_nov.csv"), ("tagged_wenjuan_store6.csv", "2_store.csv"),
                          ("tagged_wenjuan_nov_update.csv", "3_nov_update.csv")]:
        shutil.copy(data_dir / "survey_ids" / name, folder / as_name)
    result, _ = count_table(folder)
    assert result.rows_counted == 11
    assert [(Path(f).name, m, a) for f, m, a in result.grown_surveys] == [("3_nov_update.csv", 2, 5)]
    assert _notes(result)["survey answers merged from an earlier export"] == 2

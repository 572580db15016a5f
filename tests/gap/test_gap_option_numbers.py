"""voc gap on a 问卷星 download by option numbers (按选项序号): a --by question's 1, 2, 3 are its options.

Found in a questionnaire-designer QA pass: 问卷星 exports answers as option text or as option numbers. By
numbers, the store question voc survey asks (您本次评价的是哪一家营业厅？) came back as 1/2/3 and
`voc gap --by 营业厅` reported stores named 1, 2 and 3, with no word. voc survey wrote the store list into the
问卷星 text import (questionnaire_wjx.txt, beside codebook.csv): the numbers are read as its options there,
and without it a warning says how to get the names.

Fixture (tests/data/gap/wjx_by_number, written for these tests): codebook.csv and questionnaire_wjx.txt as
`voc survey --stores 东湖店,光谷店,汉口店 --format wjx,csv` writes them for tests/data/gap/codebook.csv's items,
and a 问卷星-style export of nine respondents by option numbers (stores 1/2/3, 客户类型 1/2 and one -3).
"""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import DataQualityError
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses
from voiceofcustomer.items.survey import build_survey, numbered_questions, wjx_text

DATA = Path(__file__).resolve().parents[1] / "data" / "gap" / "wjx_by_number"
STORES = ["东湖店", "光谷店", "汉口店"]


def _segments(result, col):
    return sorted(result.segments[col].sq["segment"])


def test_option_numbers_are_read_as_the_store_names_of_the_questionnaire_beside_the_codebook():
    res = gap_analysis(read_responses(DATA / "export_by_number.csv"), read_codebook(DATA / "codebook.csv"),
                       by="营业厅,客户类型")
    assert _segments(res, "营业厅") == sorted(STORES)
    assert _segments(res, "客户类型") == ["(blank)", "公众客户（个人/家庭）", "对公客户（企业/单位）"]  # -3: skipped
    assert res.summary["questionnaire"] == str(DATA / "questionnaire_wjx.txt")
    read = [w["message"] for w in res.summary["warnings"] if w["kind"] == "option_numbers_read"]
    assert len(read) == 2 and "--by 营业厅" in read[0] and "(1 = 东湖店 … 3 = 汉口店)" in read[0]
    assert "option_numbers" not in {w["kind"] for w in res.summary["warnings"]}
    # the same answers by option text give the same store segments and gaps
    by_row = dict(zip(range(1, 10), [STORES[k % 3] for k in range(9)]))
    text = pd.read_csv(DATA / "export_by_number.csv", dtype=str)
    text["1、您本次评价的是哪一家营业厅？"] = text["序号"].astype(int).map(by_row)
    direct = gap_analysis(text, read_codebook(DATA / "codebook.csv"), by="营业厅")
    pd.testing.assert_frame_equal(direct.segments["营业厅"].sq, res.segments["营业厅"].sq)


def test_an_xlsx_download_by_option_numbers_and_the_by_question_named_by_its_header(tmp_path):
    path = tmp_path / "wjx.xlsx"
    pd.read_csv(DATA / "export_by_number.csv").to_excel(path, index=False)  # numbers as Excel numbers
    res = gap_analysis(read_responses(path), read_codebook(DATA / "codebook.csv"),
                       by="1、您本次评价的是哪一家营业厅？")
    assert _segments(res, "营业厅") == sorted(STORES)


def _cli(tmp_path, *args):
    res = CliRunner().invoke(main, ["gap", str(DATA / "export_by_number.csv"), "-o", str(tmp_path / "gap"),
                                    "--by", "营业厅", *args])
    assert "Traceback" not in res.output
    return res


def test_without_the_questionnaire_a_warning_says_the_values_look_like_option_numbers(tmp_path):
    shutil.copy(DATA / "codebook.csv", tmp_path / "codebook.csv")  # the codebook alone, copied elsewhere
    res = _cli(tmp_path, "--codebook", str(tmp_path / "codebook.csv"))
    assert res.exit_code == 0, res.output
    lines = [line for line in res.output.splitlines() if "option numbers" in line]
    assert len(lines) == 1 and lines[0].startswith("warning: --by 营业厅: its values (1, 2, 3) look like option")
    assert "按选项文本" in lines[0] and "--questionnaire questionnaire_wjx.txt" in lines[0]
    assert sorted(pd.read_csv(tmp_path / "gap" / "sq_by_营业厅.csv", dtype=str)["segment"]) == ["1", "2", "3"]


def test_the_questionnaire_given_with_its_flag(tmp_path):
    shutil.copy(DATA / "codebook.csv", tmp_path / "codebook.csv")
    res = _cli(tmp_path, "--codebook", str(tmp_path / "codebook.csv"),
               "--questionnaire", str(DATA / "questionnaire_wjx.txt"))
    assert res.exit_code == 0, res.output
    assert sorted(pd.read_csv(tmp_path / "gap" / "sq_by_营业厅.csv")["segment"]) == sorted(STORES)
    summary = json.loads((tmp_path / "gap" / "summary.json").read_text(encoding="utf-8"))
    assert summary["questionnaire"] == str(DATA / "questionnaire_wjx.txt")


def _survey(tmp_path, items, stores):
    build_survey(items, tmp_path / "survey", ["wjx", "csv"], stores=stores)
    return tmp_path / "survey"


def test_a_questionnaire_of_other_items_or_with_fewer_stores_is_refused_in_one_line(tmp_path):
    items = pd.read_csv(DATA / "codebook.csv")
    other = items.assign(e_text=items["e_text"] + "啊")
    wrong = _survey(tmp_path / "a", other, STORES) / "questionnaire_wjx.txt"
    res = _cli(tmp_path, "--codebook", str(DATA / "codebook.csv"), "--questionnaire", str(wrong))
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
    assert "is not the questionnaire of the codebook" in res.output and "item T1" in res.output
    two = _survey(tmp_path / "b", items, STORES[:2]) / "questionnaire_wjx.txt"
    with pytest.raises(DataQualityError, match=r"营业厅 holds option 3, but question 1 .* has 2 options"):
        gap_analysis(read_responses(DATA / "export_by_number.csv"), read_codebook(DATA / "codebook.csv"),
                     by="营业厅", questionnaire=two)


def test_a_store_question_to_fill_in_keeps_the_numbers_respondents_typed(tmp_path):
    folder = _survey(tmp_path, pd.read_csv(DATA / "codebook.csv"), None)  # no --stores: a fill-in
    res = gap_analysis(read_responses(DATA / "export_by_number.csv"), read_codebook(folder / "codebook.csv"),
                       by="营业厅")
    assert _segments(res, "营业厅") == ["1", "2", "3"]
    assert not [w for w in res.summary["warnings"] if w["kind"].startswith("option_numbers")]


def test_the_wjx_text_reads_back_as_the_questions_it_was_written_from():
    from voiceofcustomer.items.survey import read_wjx_text

    items = pd.read_csv(DATA / "codebook.csv")
    store = ("您本次评价的是哪一家营业厅？", tuple(STORES))
    assert read_wjx_text(wjx_text(items, store=store)) == numbered_questions(items, store)
    assert read_wjx_text((DATA / "questionnaire_wjx.txt").read_text(encoding="utf-8"))[0].options == tuple(STORES)


def test_a_questionnaire_that_is_not_there_is_said_in_one_line(tmp_path):
    res = CliRunner().invoke(main, ["gap", str(DATA.parent / "responses.csv"), "--codebook",
                                    str(DATA.parent / "codebook.csv"), "-o", str(tmp_path / "gap"),
                                    "--questionnaire", str(tmp_path / "nope.txt")])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1 and "nope.txt" in res.output


# Found in a survey-analyst QA pass: the same download by option numbers, its columns renamed to the
# responses_template.csv header (E_T1 …, 营业厅, 客户类型: renamed_by_number.csv, the export's answers under the
# template's names), gave `voc gap --by 营业厅` stores named 1, 2 and 3 and no warning, even with --questionnaire:
# only a platform export's numbers were read.
def test_a_file_renamed_to_the_template_header_reads_its_option_numbers_too():
    renamed = read_responses(DATA / "renamed_by_number.csv")
    res = gap_analysis(renamed, read_codebook(DATA / "codebook.csv"), by="营业厅,客户类型")
    assert _segments(res, "营业厅") == sorted(STORES)
    assert _segments(res, "客户类型") == ["(blank)", "公众客户（个人/家庭）", "对公客户（企业/单位）"]
    read = [w["message"] for w in res.summary["warnings"] if w["kind"] == "option_numbers_read"]
    assert len(read) == 2 and "(1 = 东湖店 … 3 = 汉口店)" in read[0]
    assert res.summary["questionnaire"] == str(DATA / "questionnaire_wjx.txt")
    platform = gap_analysis(read_responses(DATA / "export_by_number.csv"), read_codebook(DATA / "codebook.csv"),
                            by="营业厅")
    pd.testing.assert_frame_equal(platform.segments["营业厅"].sq, res.segments["营业厅"].sq)


def test_a_numbered_store_column_of_another_name_is_kept_with_a_warning_saying_how_to_read_it(tmp_path):
    # stores can be numbered (门店编号 1/2/3 of the company's own list): the numbers stay, but beside a
    # questionnaire whose store question has options for them a warning says what to do if they are its options
    df = pd.read_csv(DATA / "renamed_by_number.csv", dtype=str).rename(columns={"营业厅": "门店编号"})
    path = tmp_path / "renamed.csv"
    df.to_csv(path, index=False)
    res = gap_analysis(read_responses(path), read_codebook(DATA / "codebook.csv"), by="门店编号")
    assert _segments(res, "门店编号") == ["1", "2", "3"]
    hint = [w["message"] for w in res.summary["warnings"] if w["kind"] == "numbered_segments"]
    assert len(hint) == 1 and hint[0].startswith("--by 门店编号: its values (1, 2, 3) are numbers, kept")
    assert "(1 = 东湖店 … 3 = 汉口店)" in hint[0] and "name the column 营业厅" in hint[0]
    assert res.summary["questionnaire"] is None  # nothing was read with it
    # without a questionnaire, or with numbers its store question has no option for, nothing is said
    shutil.copy(DATA / "codebook.csv", tmp_path / "codebook.csv")
    alone = gap_analysis(read_responses(path), read_codebook(tmp_path / "codebook.csv"), by="门店编号")
    assert not [w for w in alone.summary["warnings"] if w["kind"] == "numbered_segments"]
    df["门店编号"] = df["门店编号"].replace({"3": "7"})
    df.to_csv(path, index=False)
    seven = gap_analysis(read_responses(path), read_codebook(DATA / "codebook.csv"), by="门店编号")
    assert not [w for w in seven.summary["warnings"] if w["kind"] == "numbered_segments"]

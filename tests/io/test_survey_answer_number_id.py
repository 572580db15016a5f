"""A survey platform's export (问卷星, 腾讯问卷) tagged as it is: its 答卷编号 (or 问卷星's 序号 beside 提交答卷时间) is the
row id without --id-col, as it already was for ``voc split``. Before, ``voc tag`` / ``voc freq`` on such a table found no
id column (答卷编号 is none of 工单编号, 编号 …), so each answer was named by its file and row: ``voc freq`` quoted
``tagged_export_answer_numbers:1: 营业厅周末窗口太少…`` where the researcher looks up answer 17. A lone 序号 (a ticket
export's row number) is still no id. Fixtures tests/data/survey_ids/tagged_export_answer_numbers.csv,
tagged_wjx_seq_numbers.csv (written)."""

from pathlib import Path

import pandas as pd

from voiceofcustomer.freq.tables import count_table
from voiceofcustomer.io.readers import open_table
from voiceofcustomer.statements import as_statements

DATA = Path(__file__).resolve().parents[1] / "data" / "survey_ids"


def test_the_answer_number_is_the_id_of_a_survey_export():
    assert open_table(DATA / "tagged_export_answer_numbers.csv", text_col="您的建议").id_col == "答卷编号"
    assert open_table(DATA / "tagged_wjx_seq_numbers.csv", text_col="您的建议").id_col == "序号"
    df = pd.read_csv(DATA / "tagged_export_answer_numbers.csv", dtype=str)
    assert as_statements(df, text_col="您的建议")["statement_id"].tolist() == ["17", "18", "21"]


def test_a_lone_row_number_is_no_id(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("序号,投诉内容\n1,宽带老是断网。\n2,话费多扣了。\n", encoding="utf-8")
    assert open_table(path).id_col is None


def test_voc_freq_quotes_the_answer_numbers():
    result, _ = count_table(DATA / "tagged_export_answer_numbers.csv", text_col="您的建议")
    overall = result.tables["overall"].set_index(["field", "label"])
    assert overall.loc[("issue", "broadband"), "examples"] == "18: 宽带每天晚上都会断几次。"
    assert overall.loc[("stance", "complaint"), "examples"].startswith("17: 营业厅周末窗口太少")

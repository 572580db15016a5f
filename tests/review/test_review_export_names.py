"""voc export's table names labels and groups as the .qdpx does (移情性, 对公用户), and voc agreement reads it."""

import zipfile
from xml.etree import ElementTree as ET

import pandas as pd
import pytest
from review_fixtures import tagged_frame

from voiceofcustomer.errors import DataQualityError
from voiceofcustomer.review.agreement import agreement_from_tables
from voiceofcustomer.review.export import QDA_NS, export_excel, export_qdpx
from voiceofcustomer.review.store import create_project


def q(tag):
    return f"{{{QDA_NS}}}{tag}"


@pytest.fixture
def grouped(tmp_path):
    rows = tagged_frame(6)
    rows["group"] = ["public", "business", "public", "business", "public", "business"]
    store = create_project(rows, tmp_path / "review.sqlite")
    store.decide("t:1-s01", {"servqual": "empathy", "stance": "suggestion"}, "wang")
    yield store
    store.close()


def test_the_excel_names_each_label_and_the_group_as_the_qdpx_does(grouped, tmp_path):
    coded = pd.read_excel(export_excel(grouped.path, tmp_path / "coded.xlsx"), dtype=object, engine="openpyxl")
    cols = list(coded.columns)
    for f in ("group", "servqual", "demand", "issue", "stance"):
        assert cols.index(f"{f}_zh") == cols.index(f) + 1
    row = coded.set_index("statement_id").loc["t:1-s01"]
    assert (row["servqual"], row["servqual_zh"], row["stance_zh"]) == ("empathy", "移情性", "建议/期望")
    assert (row["issue"], row["issue_zh"]) == ("broadband", "宽带网络")
    assert coded.set_index("statement_id").loc["t:2-s01", "group_zh"] == "对公用户"
    # the .qdpx's words: its code for the label, its group variable for the speaker's case
    root = ET.fromstring(zipfile.ZipFile(export_qdpx(grouped.path, tmp_path / "c.qdpx")).read("project.qde"))
    names = {c.get("name") for c in root.iter(q("Code"))}
    assert "servqual: empathy 移情性" in names and "stance: suggestion 建议/期望" in names
    groups = {v.findtext(q("TextValue")) for v in root.iter(q("VariableValue"))}
    assert set(coded["group_zh"]) <= groups == {"公众用户", "对公用户"}


def test_agreement_reads_two_exported_tables_and_a_change_made_in_the_chinese_column(grouped, tmp_path):
    a = export_excel(grouped.path, tmp_path / "coder_a.xlsx")
    b = pd.read_excel(a, dtype=object, engine="openpyxl")
    b.loc[b["statement_id"] == "t:2-s01", ["servqual", "servqual_zh"]] = [None, "可靠性"]  # in Chinese only
    b.to_excel(tmp_path / "coder_b.xlsx", index=False)
    res = agreement_from_tables(a, tmp_path / "coder_b.xlsx")
    sq = res.pairs.set_index("field").loc["servqual"]
    assert sq["n"] == 6 and sq["agree"] == pytest.approx(5 / 6)
    assert res.disagreements[["statement_id", "value_a", "value_b"]].values.tolist() == [
        ["t:2-s01", "responsiveness", "reliability"]]


def test_an_id_and_a_chinese_name_of_two_labels_is_refused_naming_the_row(grouped, tmp_path):
    a = export_excel(grouped.path, tmp_path / "coder_a.xlsx")
    b = pd.read_excel(a, dtype=object, engine="openpyxl")
    b.loc[b["statement_id"] == "t:3-s01", "stance_zh"] = "表扬"  # stance still says complaint
    b.to_excel(tmp_path / "coder_b.xlsx", index=False)
    with pytest.raises(DataQualityError) as e:
        agreement_from_tables(a, tmp_path / "coder_b.xlsx")
    msg = str(e.value)
    assert "\n" not in msg and "coder_b.xlsx: stance and stance_zh name different labels in 1 row" in msg
    assert "t:3-s01 ('complaint' / '表扬')" in msg

"""by_section lists a transcript's sections in the order the moderator took them, not in character order."""
import pandas as pd

from voiceofcustomer.freq.tables import frequencies

# the discussion guide's order: 资费套餐, 宽带使用, 营业厅服务 (in character order: 宽带使用, 营业厅服务, 资费套餐)
ROWS = [
    ("s1", "资费套餐", "套餐太贵了", "reliability", "function", "billing", "complaint"),
    ("s2", "资费套餐", "流量不够用", "reliability", "function", "billing", "complaint"),
    ("s3", "宽带使用", "晚上网速很慢", "reliability", "delivery", "broadband", "complaint"),
    ("s4", "", "谢谢大家", "none", "none", "other", "neutral"),
    ("s5", "营业厅服务", "排队太久", "responsiveness", "delivery", "efficiency", "complaint"),
    ("s6", "宽带使用", "路由器要常重启", "reliability", "delivery", "broadband", "complaint"),
]
GUIDE = ["资费套餐", "宽带使用", "营业厅服务", "(blank)"]


def _tagged():
    return pd.DataFrame(ROWS, columns=["statement_id", "section", "text", "servqual", "demand", "issue", "stance"])


def _sections(table):
    return list(dict.fromkeys(table["section"]))


def test_by_section_keeps_the_transcripts_order():
    result = frequencies(_tagged(), by=["section"])
    assert _sections(result.tables["by_section"]) == GUIDE


def test_the_order_holds_across_chunks():
    df = _tagged()
    result = frequencies([df.iloc[2:4], df.iloc[:2], df.iloc[4:]], by=["section"])  # 宽带使用 comes first here
    assert _sections(result.tables["by_section"]) == ["宽带使用", "资费套餐", "营业厅服务", "(blank)"]


def test_other_columns_stay_sorted():
    df = _tagged().assign(city=["武汉", "北京", "武汉", "北京", "成都", "北京"])
    result = frequencies(df, by=["city"])
    assert list(dict.fromkeys(result.tables["by_city"]["city"])) == sorted(["武汉", "北京", "成都"])

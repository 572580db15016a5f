import pandas as pd
import pytest

from voiceofcustomer.text.split import STATEMENT_COLUMNS, SplitSummary, split_inputs, split_sentences


@pytest.mark.parametrize("text, pieces", [
    ("宽带老掉线！！晚上更严重。", ["宽带老掉线！！", "晚上更严重。"]),
    ("他说“这能行吗？不行！”然后走了。对吧", ["他说“这能行吗？不行！”然后走了。对吧"]),
    ("资费3.5元/GB，太贵了；详情见 https://x.cn/a?b=1 这里。", ["资费3.5元/GB，太贵了；", "详情见 https://x.cn/a?b=1 这里。"]),
    ("网速慢。嗯。信号差…营业厅远", ["网速慢。嗯。", "信号差…", "营业厅远"]),
    ("第一行投诉\n第二行投诉", ["第一行投诉", "第二行投诉"]),
    ("（括号里。不拆）后面", ["（括号里。不拆）后面"]),
    ("", []),
])
def test_split_sentences(text, pieces):
    assert split_sentences(text) == pieces


def test_transcript_statements_table(data_dir):
    summary = SplitSummary()
    df = pd.concat(split_inputs([data_dir / "transcript_small.txt"], summary=summary))
    assert list(df.columns[: len(STATEMENT_COLUMNS)]) == STATEMENT_COLUMNS
    assert summary.turns == 9
    assert df.groupby("speaker")["turn"].nunique().to_dict() == {"王敏": 4, "张女士": 2, "李先生": 2, "赵阿姨": 1}
    assert (df.loc[df.speaker == "王敏", "role"] == "moderator").all()
    assert df["statement_id"].is_unique
    row = df[df.text.str.contains("电梯")].iloc[0]
    assert "（众人附和）" not in row.text and "（众人附和）" in row.text_raw and "电梯" in row.tokens.split()
    assert (df["turn"] >= 1).all() and (df["sent"] >= 1).all()


def test_web_complaint_becomes_clean_simplified_statements(data_dir):
    summary = SplitSummary()
    df = pd.concat(split_inputs([data_dir / "web_complaint.txt"], kind="tickets", summary=summary))
    texts = df.text.tolist()
    assert summary.boilerplate == 3
    assert not any("页" in t or "下载" in t or "版权" in t for t in texts)
    joined = "".join(texts)
    assert "宽带网络" in joined and "寬" not in joined and "監" not in joined and "jiān" not in joined
    assert "2026年3月办理了100M宽带" in joined and "10000" in joined
    assert "监管部门（工信部）" in joined
    dups = df[df.is_duplicate]
    assert len(dups) == 1 and set(dups.text) <= set(df[~df.is_duplicate].text)


def test_every_ticket_row_comes_out(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("编号,内容,渠道\nA1,宽带断了。修了三天还没好！,热线\nA2,,营业厅\nA3,好的,APP\n", encoding="utf-8")
    df = pd.concat(split_inputs([path]))
    assert sorted(df.ticket_id.unique()) == ["A1", "A2", "A3"]
    assert df.loc[df.ticket_id == "A2", "note"].item() == "empty text"
    assert df.loc[df.ticket_id == "A1", "sent"].tolist() == [1, 2]
    assert (df["渠道"].tolist()) == ["热线", "热线", "营业厅", "APP"]
    assert (df["role"] == "").all()

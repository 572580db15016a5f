"""voc freq of two months' tagged exports whose column names differ (投诉内容 / 问题描述, 地市 / 所属地市)."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import ColumnError
from voiceofcustomer.freq.tables import count_table

LABELS = dict(servqual="reliability", demand="delivery", issue="broadband", stance="complaint", issue_conf=0.9)


def _month(path, id_name, text_name, city_name, month, texts, cities):
    rows = [{id_name: f"GD{month}{i:03d}", "受理时间": f"2026-{month}-0{i % 9 + 1} 09:30:00", city_name: city,
             "区县": "青秀区", text_name: text, **LABELS} for i, (text, city) in enumerate(zip(texts, cities))]
    pd.DataFrame(rows).to_parquet(path, index=False)


@pytest.fixture
def months(tmp_path):
    folder = tmp_path / "tagged"
    folder.mkdir()
    _month(folder / "tagged_2026-11.parquet", "工单编号", "投诉内容", "地市", 11,
           ["家里宽带晚上掉线，重启光猫也没用", "报修宽带五天没人上门", "宽带测速只有一半"], ["南宁", "柳州", "南宁"])
    _month(folder / "tagged_2026-12.parquet", "工单号", "问题描述", "所属地市", 12,
           ["宽带又断了，孩子上不了网课", "装维师傅约好上午来，下午还没到", "光猫灯一直闪红", "宽带续费后还是停机"],
           ["南宁", "南宁", "百色", "柳州"])
    return folder


def test_each_month_is_read_by_its_own_text_column(months):
    # was: 'tagged_2026-12.parquet: no column '投诉内容' for the text' — the first file's name asked of every file
    result, _ = count_table(months, by="区县", period="month", date_col="受理时间")
    assert result.rows_counted == 7
    by_period = result.tables["by_period"].query("field == 'issue' and label == 'broadband'")
    assert by_period.set_index("period")["count"].to_dict() == {"2026-11": 3, "2026-12": 4}
    said = {ex.text for exs in result.examples.values() for ex in exs}
    assert "光猫灯一直闪红" in said and "宽带测速只有一半" in said


def test_a_month_without_the_grouping_column_is_refused_not_counted_blank(months, tmp_path):
    # was: every December row counted under (blank) in by_地市, without a word
    with pytest.raises(ColumnError) as err:
        count_table(months, by="地市")
    message = str(err.value)
    assert "tagged_2026-12.parquet: no column '地市' to group by, which tagged_2026-11.parquet has" in message
    assert "rename '所属地市' to '地市'" in message and "\n" not in message
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(months), "-o", str(out), "--by", "地市"])
    assert res.exit_code == 2 and "rename '所属地市' to '地市'" in res.output and not out.exists()
    assert "Traceback" not in res.output


def test_a_month_without_the_date_column_is_refused(months):
    df = pd.read_parquet(months / "tagged_2026-12.parquet").rename(columns={"受理时间": "派单时间"})
    df.to_parquet(months / "tagged_2026-12.parquet", index=False)
    with pytest.raises(ColumnError, match="no column '受理时间' with the dates, which tagged_2026-11.parquet has"):
        count_table(months, period="month")


def test_a_later_month_is_told_the_closest_column_as_by_is(months):
    # was: the later file's columns were matched their own way (one name inside the other): a header in another
    # case (Channel, channel) got no guess, 'name that column 'Channel' in its export'; now errors.closest_column,
    # the guess of every message of a column the user named
    for name, channel in (("tagged_2026-11.parquet", "Channel"), ("tagged_2026-12.parquet", "channel")):
        df = pd.read_parquet(months / name)
        df.assign(**{channel: "营业厅"}).to_parquet(months / name, index=False)
    with pytest.raises(ColumnError) as err:
        count_table(months, by="Channel")
    assert "no column 'Channel' to group by, which tagged_2026-11.parquet has" in str(err.value)
    assert "rename 'channel' to 'Channel' in its export and tag it again" in str(err.value)

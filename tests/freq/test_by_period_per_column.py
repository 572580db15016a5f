"""A trend per --by column: by_period_<col> counts each value's periods, with each value's change.

`voc freq --by 地市 --period month` gave cities pooled over months (by_地市) and months over all cities
(by_period), so "which city's broadband rose" could not be read. tests/data/tagged_city_months.csv: broadband
杭州 1 → 3, 宁波 3 → 1 from October to November — 4 and 4 pooled, by_period's change 0.
"""

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq.tables import count_table


def _cell(table, *, city=None, period, label="broadband"):
    t = table[(table["field"] == "issue") & (table["label"] == label) & (table["period"] == period)]
    if city is not None:
        t = t[t["地市"] == city]
    assert len(t) == 1
    return t.iloc[0]


def test_each_citys_months_and_change(data_dir):
    result, _ = count_table(data_dir / "tagged_city_months.csv", by=["地市"], period="month", date_col="受理时间")
    pooled, per_city = result.tables["by_period"], result.tables["by_period_地市"]
    assert _cell(pooled, period="2026-11")["change"] == 0  # 4 and 4: no city's rise can be read from it
    hz, nb = _cell(per_city, city="杭州", period="2026-11"), _cell(per_city, city="宁波", period="2026-11")
    assert (hz["count"], hz["n"], hz["change"]) == (3, 4, 2) and hz["change_pct"] == 2.0
    assert (nb["count"], nb["n"], nb["change"]) == (1, 2, -2)
    assert pd.isna(_cell(per_city, city="杭州", period="2026-10")["change"])  # a city's first month has none
    assert list(per_city.columns[:4]) == ["地市", "period", "field", "label"]
    # city → period → field → label, every city with every month
    assert list(dict.fromkeys(per_city["地市"])) == ["宁波", "杭州"]
    assert list(dict.fromkeys(zip(per_city["地市"], per_city["period"]))) == [
        ("宁波", "2026-10"), ("宁波", "2026-11"), ("杭州", "2026-10"), ("杭州", "2026-11")]
    assert "GD1009" in hz["examples"] or "GD1008" in hz["examples"]
    # the cities' counts add up to by_period's
    summed = per_city.groupby(["period", "field", "label"])["count"].sum()
    assert summed.to_dict() == pooled.set_index(["period", "field", "label"])["count"].to_dict()


def test_the_cli_writes_the_table_and_no_period_no_table(data_dir, tmp_path):
    res = CliRunner().invoke(main, ["freq", str(data_dir / "tagged_city_months.csv"), "-o", str(tmp_path / "f"),
                                    "--by", "地市", "--period", "month", "--date-col", "受理时间"])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(tmp_path / "f" / "by_period_地市.csv", encoding="utf-8-sig")
    assert _cell(table, city="杭州", period="2026-11")["change"] == 2
    assert "by_period_地市" in pd.ExcelFile(tmp_path / "f" / "frequencies.xlsx").sheet_names
    result, _ = count_table(data_dir / "tagged_city_months.csv", by=["地市"])
    assert not any(name.startswith("by_period") for name in result.tables)


def test_charts_draw_each_citys_trend_in_a_panel_of_its_own(data_dir, tmp_path):
    # charts.html had no chart of by_period_地市 ('read in the workbook'); now one panel a city, a line a label,
    # a city's name as typed (plotly reads <b> in a panel's title as markup)
    import json

    from voiceofcustomer.freq.charts import chart_figures

    table = pd.read_csv(data_dir / "tagged_city_months.csv", dtype=str, keep_default_na=False)
    table.loc[table["地市"] == "宁波", "地市"] = "<b>x</b>"
    table.to_csv(tmp_path / "tagged.csv", index=False)
    res = CliRunner().invoke(main, ["freq", str(tmp_path / "tagged.csv"), "-o", str(tmp_path / "f"),
                                    "--by", "地市", "--period", "month", "--date-col", "受理时间"])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "f" / "charts.html").read_text(encoding="utf-8")
    assert '<h2 id="by_period_地市">按地市的时间趋势</h2>' in page and '<a href="#by_period_地市">按地市的时间趋势</a>' in page
    assert "<b>x</b>" not in page
    result, _ = count_table(tmp_path / "tagged.csv", by=["地市"], period="month", date_col="受理时间")
    figs = dict((f.layout.title.text, f) for name, f in chart_figures(result) if name == "by_period_地市")
    fig = figs["问题类别：各地市每个时期的陈述数"]
    assert [a.text for a in fig.layout.annotations] == ["&lt;b&gt;x&lt;/b&gt;", "杭州"]
    lines = {(t.xaxis, t.name): list(t.y) for t in fig.data}
    assert lines == {("x", "宽带网络"): [3, 1], ("x", "计费资费"): [1, 1], ("x2", "宽带网络"): [1, 3],
                     ("x2", "计费资费"): [1, 1]}
    assert json.loads(fig.to_json())["data"][0]["x"] == ["2026-10", "2026-11"]
    assert len(figs) == len(set(result.tables["by_period_地市"]["field"]))  # each field's panels

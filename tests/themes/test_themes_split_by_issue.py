"""A sub-theme about another issue than its theme's is a theme of its own (ThemeModel._split_mixed).

Fixture (tests/data/themes/tickets_signal_hotline.csv, written): 150 tagged tickets of four subjects — 手机信号 48
(issue signal), 客服热线没人接 22 (efficiency), 宽带 40, 扣费 40. With a smallest theme of 30 KMeans puts the hotline
tickets in the signal theme (signal 69 % of it), as a month of written tickets (781 statements) had 手机信号太差 with
sub-themes 客服热线、没人接 and 业务、排队: the hotline was a sub-theme of the signal theme, as similar to the rest of
it (0.45–0.50) as a signal theme's own sub-themes are, so only its issue tells it apart."""
from pathlib import Path

import pandas as pd

from voiceofcustomer.themes import ThemeModel

EXPORT = Path(__file__).resolve().parents[1] / "data" / "themes" / "tickets_signal_hotline.csv"


def test_a_hotline_sub_theme_of_a_signal_theme_is_a_theme_of_its_own(cache_dir):
    df = pd.read_csv(EXPORT).rename(columns={"工单编号": "statement_id", "投诉内容": "text"})
    model = ThemeModel(embedding="use", cache_dir=cache_dir, min_topic_size=30).fit(df)
    out = model.statement_topics_.assign(subject=df["主题"].to_numpy())
    hotline, signal = out[out["subject"] == "热线"], out[out["subject"] == "信号"]
    assert hotline["topic"].nunique() == 1 and signal["topic"].nunique() == 1
    assert hotline["topic"].iloc[0] != signal["topic"].iloc[0]
    assert not set(out.loc[out["topic"] == hotline["topic"].iloc[0], "subject"]) - {"热线"}
    split = model.info_["clustering"]["ticket"]["split_by_issue"]
    assert [v["split_off"] for v in split.values()] == [["efficiency"]]
    # transform places as fit did: a hotline ticket on the hotline theme, a signal one on the signal theme
    new = model.transform(["打客服热线一直没人接，转人工等了半小时。", "家里手机信号太差，电话打着就断了。"])
    assert new["topic"].tolist() == [hotline["topic"].iloc[0], signal["topic"].iloc[0]]

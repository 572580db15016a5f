"""The report of transcripts and split tickets together sets the focus groups beside the tickets (voc analyze
fg.docx tickets.xlsx): a researcher compares what participants said with what customers called about, not
one pooled count; the focus groups in statements, the tickets in tickets."""
import json
import re
from pathlib import Path

import pandas as pd

from voiceofcustomer.freq.tables import frequencies
from voiceofcustomer.report.page import build_report

#: a focus group (3 participants: 2 billing, 1 signal; a moderator) and 4 split tickets (TK1: 3 billing
#: statements, TK2 billing, TK3 signal, TK4 broadband)
MIXED = Path(__file__).resolve().parents[1] / "data" / "tagged_focus_group_and_split_tickets.csv"


def test_report_sets_focus_groups_beside_tickets(tmp_path):
    df = pd.read_csv(MIXED, dtype=str, keep_default_na=False)
    freq = frequencies(df, date_col="受理时间")
    page = build_report(df, tmp_path / "index.html", freq=freq, date_col="受理时间").read_text(encoding="utf-8")
    section = re.search(r"<section id='by-source'>(.*?)</section>", page, flags=re.S).group(1)
    assert "<th>座谈会陈述数</th><th>座谈会占比（按陈述）</th><th>工单数</th><th>工单占比（按工单）</th>" in section
    billing = re.search(r"<tr><td>计费资费</td>.*?</tr>", section).group(0)
    assert re.sub(r"<[^>]+>", "", billing) == "计费资费2 条陈述66.7%2 张工单50.0%"
    cells = json.loads(re.search(r"<script[^>]*id=.voc-data.[^>]*>(.*?)</script>", page, flags=re.S).group(1))["cells"]
    assert len(cells["k|issue|billing|focus_group"]) == 2 and len(cells["k|issue|billing|ticket"]) == 4
    # a ticket export alone has no such section
    alone = df[df["ticket_id"] != ""]
    page = build_report(alone, tmp_path / "alone.html", freq=frequencies(alone)).read_text(encoding="utf-8")
    assert "id='by-source'" not in page

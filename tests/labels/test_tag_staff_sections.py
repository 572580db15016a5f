"""A ticket's staff sections (role ``staff``, from ``voc split``) are not labelled as customer statements: they
get an empty text's placeholder labels and a note naming the section, are not flagged for review and are not
counted in the summary's "need review" (QA: 已解决 / 客户表示满意 were labelled praise and counted)."""

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.labels.tagging import tag
from voiceofcustomer.text.split import split_inputs


def test_staff_rows_get_placeholder_labels_and_their_note(data_dir):
    df = pd.concat(list(split_inputs([data_dir / "tickets_staff_sections.csv"])), ignore_index=True)
    out = tag(df)
    staff = out[out["role"] == "staff"]
    assert len(staff) == 10  # 9 staff sections and 【二次处理】, a field of the ticket (in no list)
    assert set(staff["servqual"]) == {"none"} and set(staff["issue"]) == {"other"}
    assert set(staff["stance"]) == {"neutral"} and not staff["needs_review"].any()
    assert staff.loc[staff["text"] == "【工单回访】客户表示满意。", "note"].item() == \
        "staff section 工单回访: the service side's words, not the customer's; not counted"
    # the customer's words are labelled by the model as before
    first = out[out["text"] == "客户来电反映家中宽带晚上频繁掉线，要求尽快处理。"].iloc[0]
    assert first["issue"] == "broadband" and not (isinstance(first["note"], str) and first["note"])


def test_voc_tag_says_how_many_staff_rows_it_kept(data_dir, tmp_path):
    split = tmp_path / "statements.csv"
    r = CliRunner().invoke(main, ["split", str(data_dir / "tickets_staff_sections.csv"), "-o", str(split), "-q"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["tag", str(split), "-o", str(tmp_path / "tagged.csv"), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    assert "10 staff-section rows (处理过程, 处理结果, 回访 … of a ticket), kept, not labelled or counted" in r.output
    tagged = pd.read_csv(tmp_path / "tagged.csv", dtype=str, keep_default_na=False)
    assert len(tagged) == 21 and (tagged.loc[tagged["role"] == "staff", "issue"] == "other").all()


def test_a_ticket_read_whole_is_labelled_by_its_customer_sections_and_written_whole():
    # voc tag on an export (not split) read 【工单回访】客户表示满意 / 【处理结果】已解决 as the customer's words:
    # on a written 3,000-ticket export they changed the issue of 10 % of tickets (the same customer text with no
    # staff section was labelled otherwise), the demand of 11 %, the stance of 4 % (complaints made praise)
    own = ["家里宽带晚上老是掉线，看视频一直卡，要求尽快处理。", "这个月话费多扣了五十块，要求退还。",
           "营业厅排队等了一个多小时。"]
    staff = ["【处理过程】已派单上门检测，更换光猫。【处理结果】已解决。【工单回访】客户表示满意，对处理很满意。",
             "处理结果：已向客户解释并退费。回访情况：客户满意，表扬了坐席。",
             "【答复】已按规定答复客户，客户认可。"]
    whole = pd.DataFrame({"工单编号": ["A1", "A2", "A3"], "投诉内容": [o + s for o, s in zip(own, staff)]})
    alone = pd.DataFrame({"工单编号": ["A1", "A2", "A3"], "投诉内容": own})
    got, ref = tag(whole, text_col="投诉内容"), tag(alone, text_col="投诉内容")
    for f in ("servqual", "demand", "issue", "stance"):
        assert got[f].tolist() == ref[f].tolist()
        assert got[f"{f}_conf"].round(6).tolist() == ref[f"{f}_conf"].round(6).tolist()
    assert got["投诉内容"].tolist() == whole["投诉内容"].tolist()  # the text goes out whole
    assert (got["stance"] == "complaint").sum() >= 2

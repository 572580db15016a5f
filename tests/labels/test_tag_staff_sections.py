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
    assert len(staff) == 9
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
    assert "9 staff-section rows (处理过程, 处理结果, 回访 … of a ticket), kept, not labelled or counted" in r.output
    tagged = pd.read_csv(tmp_path / "tagged.csv", dtype=str, keep_default_na=False)
    assert len(tagged) == 21 and (tagged.loc[tagged["role"] == "staff", "issue"] == "other").all()

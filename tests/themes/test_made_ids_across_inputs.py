"""voc themes over two tagged split exports without an id column (a/工单.csv and b/工单.csv, split each in its own run:
ids 工单:1-s01 … in both) took b's rows with a's made id and words (工单:1 宽带晚上经常断网。) for that statement given
twice, is_duplicate, counted in no theme. Such an id names a row of its file: now each file's, both counted.

Fixtures tests/data/made_ids/tagged_a.csv, tagged_b.csv (written)."""

from voiceofcustomer.statements import truthy
from voiceofcustomer.themes.pipeline import load_inputs


def test_themes_keeps_each_files_made_ids_apart(data_dir):
    d = data_dir / "made_ids"
    df = load_inputs([d / "tagged_a.csv", d / "tagged_b.csv"])
    assert not truthy(df["is_duplicate"]).any()
    assert df["statement_id"].tolist() == ["工单:1-s01", "工单:2-s01", "工单:3-s01",
                                           "工单:1-s01#2", "工单:2-s01#2", "工单:3-s01#2"]

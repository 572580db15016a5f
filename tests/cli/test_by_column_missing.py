"""A --by column the file lacks: one line naming the file and the column, what to do, and the closest column.

Until 7 Dec 2026 ``voc freq tagged.csv -o freq/ --by 渠道`` said ``tagged.csv: no column '渠道' to group by;
columns are: …`` (``voc themes`` and ``voc analyze``: ``… for --by; columns are: …``), nothing of what to do and
nothing of the file's 渠道名称."""
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import closest_column

SAID = "no column '渠道' for --by (is it '渠道名称'?); give --by one of the columns, checking the spelling: "


@pytest.mark.parametrize("command,fixture", [("freq", "tagged_channel_name.csv"),
                                             ("themes", "tagged_channel_name.csv"),
                                             ("analyze", "tickets_channel_name.csv")])
def test_every_grouping_command_says_it_one_way(data_dir, tmp_path, command, fixture):
    res = CliRunner().invoke(main, [command, str(data_dir / fixture), "-o", str(tmp_path / "out"), "--by", "渠道"])
    assert res.exit_code == 2, res.output
    lines = [x for x in res.output.splitlines() if x.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in res.output
    assert f"{fixture}: {SAID}" in lines[0]
    listed = lines[0].split("checking the spelling: ")[1].split(", ")
    assert {"工单编号", "受理时间", "渠道名称"} <= set(listed)
    assert "tokens" not in listed and "text_raw" not in listed  # the tool's own columns are no answer
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_no_guess_when_no_column_is_close(data_dir, tmp_path):
    res = CliRunner().invoke(main, ["freq", str(data_dir / "tagged_channel_name.csv"), "-o", str(tmp_path / "o"),
                                    "--by", "省份"])
    assert res.exit_code == 2
    assert "no column '省份' for --by; give --by one of the columns, checking the spelling: 工单编号" in res.output
    assert "is it" not in res.output


@pytest.mark.parametrize("given,columns,close", [
    ("渠道", ["工单编号", "渠道名称"], "渠道名称"),
    ("地市", ["所属地市", "区县"], "所属地市"),
    ("区县", ["工单编号", "所属区县名称"], "所属区县名称"),  # inside a longer header
    ("City", ["city", "text"], "city"),
    ("省份", ["工单编号", "渠道名称"], None),
])
def test_closest_column(given, columns, close):
    assert closest_column(given, columns) == close

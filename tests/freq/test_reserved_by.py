"""A grouping column named as an output column (tickets, source_kind …) is refused with how to go on.

The refusal said only "the output tables use that name; rename the column": not what the output's column is,
nor a name that would do."""
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import ColumnError
from voiceofcustomer.freq.tables import frequencies

EXPORT = pd.DataFrame({"工单编号": ["A1", "A2"], "tickets": ["3", "1"], "source_kind": ["热线", "网厅"],
                       "投诉内容": ["信号差", "话费多扣"], "servqual": ["reliability"] * 2,
                       "demand": ["delivery", "function"], "issue": ["signal", "billing"], "stance": ["complaint"] * 2})


def test_the_refusal_names_the_clash_and_a_name_to_rename_to(tmp_path):
    path = tmp_path / "export.csv"
    EXPORT.to_csv(path, index=False)
    out = CliRunner().invoke(main, ["freq", str(path), "-o", str(tmp_path / "f"), "--by", "tickets"])
    assert out.exit_code != 0 and "Traceback" not in out.output
    line, = out.output.strip().splitlines()
    assert "export.csv" in line and "cannot group by column 'tickets'" in line
    assert "the tickets with a statement in the cell" in line
    assert "rename 'tickets' in the input, e.g. to 'tickets_input'" in line


def test_the_suggested_name_is_not_taken_and_every_reserved_name_is_said():
    df = EXPORT.assign(source_kind_input="x")
    with pytest.raises(ColumnError, match="e.g. to 'source_kind_input2'.*group by the new name"):
        frequencies(df, by="source_kind")
    with pytest.raises(ColumnError, match=r"focus_group, ticket or other, in by_source_kind"):
        frequencies(EXPORT, by="source_kind")

"""A Ctrl-C or SIGTERM once a command's outputs are in place (while it says its summary) says they were
written, as `voc tag` and `voc freq` say it (`cli.support.outputs_written`).

Found in the atomic-writes QA pass: `voc audit`, `voc gap`, `voc survey`, `voc themes` and `voc split`
(and, the same day, `voc items`, `voc evaluate`, `voc analyze`, `voc demo`, `voc train`, `voc agreement`,
`voc export`) said "the outputs were left as they were before this run" for a stop while they printed their summary,
after the outputs had been written (an earlier output replaced).
"""

from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.cli.support import Terminated

DATA = Path(__file__).parents[1] / "data"

AUDIT, GAP = DATA / "audit", DATA / "gap"
COMMANDS = {  # command -> (args before -o, the output's name, a file the complete output holds (a folder's))
    "audit": (["audit", str(AUDIT / "visits.csv"), "--checklist", str(AUDIT / "checklist.csv")], "audit", "stores.csv"),
    "gap": (["gap", str(GAP / "responses.csv"), "--codebook", str(GAP / "codebook.csv")], "gap", "summary.json"),
    "survey": (["survey", "{reviewed}"], "survey", "codebook.csv"),
    "themes": (["themes", str(DATA / "tickets_small.csv"), "--embedding", "lsa"], "themes", "topics.csv"),
    "split": (["split", str(DATA / "transcript_small.txt")], "statements.csv", None),
    "items": (["items", str(DATA / "tagged_oct.csv")], "items.xlsx", None),
    "evaluate": (["evaluate", "{labelled}"], "eval", "summary.json"),
}


def _reviewed(path: Path) -> Path:
    """A reviewed items workbook as `voc items` writes it, two items accepted."""
    pd.DataFrame({"item_id": ["R01", "T01"], "servqual": ["reliability", "tangibles"],
                  "e_text": ["优秀的电信运营商应当提供稳定的宽带", "优秀的营业厅应当整洁明亮"],
                  "p_text": ["该运营商提供稳定的宽带", "该营业厅整洁明亮"], "decision": ["accept", "accept"],
                  "edited_text": ["", ""]}).to_excel(path, sheet_name="items", index=False)
    return path


def _labelled(path: Path) -> Path:
    """A hand-labelled sample as `voc evaluate` reads it."""
    pd.DataFrame({"text": ["宽带晚上老掉线", "营业厅排队一个多小时", "客服态度很好，点赞"],
                  "servqual": ["reliability", "responsiveness", "assurance"],
                  "demand": ["delivery", "delivery", "delivery"], "issue": ["broadband", "efficiency", "other"],
                  "stance": ["complaint", "complaint", "praise"]}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("stop, status, said", [(KeyboardInterrupt, 130, "interrupted"),
                                                (Terminated, 143, "stopped (SIGTERM)")])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_stop_while_the_summary_is_said_says_the_outputs_were_written(tmp_path, monkeypatch, command, stop, status,
                                                                        said):
    args, name, inside = COMMANDS[command]
    reviewed = _reviewed(tmp_path / "items.xlsx") if command == "survey" else None
    labelled = _labelled(tmp_path / "labelled.csv") if command == "evaluate" else None
    args = [a.format(reviewed=reviewed, labelled=labelled) for a in args]
    out = tmp_path / "run" / name
    out.parent.mkdir()
    echo = click.echo

    def stop_once_written(*a, **kw):  # the first line said once the output is in place (progress before it)
        if out.exists():
            raise stop()
        return echo(*a, **kw)

    monkeypatch.setattr(click, "echo", stop_once_written)
    res = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert res.exit_code == status, res.output
    assert res.output.splitlines()[-1] == (f"Error: {said}; the outputs were finished first: {out} holds this run's "
                                           "complete output"), res.output
    assert (out / inside).is_file() if inside else out.stat().st_size > 0
    # nothing beside it, no temporary left (voc themes keeps its embedding cache there, as it should)
    assert [p for p in out.parent.iterdir() if p.name != ".voc_cache"] == [out]

"""`voc tag --adapt` end to end with the shipped model (a refit on the whole corpus: about a minute each)."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.labels.taxonomy import FIELDS


@pytest.mark.soak
@pytest.mark.parametrize("method", ["weights", "self-training"])
def test_tag_with_adapt_labels_every_row_deterministically_and_cleans_up(tmp_path, data_dir, method):
    src = data_dir / "tickets_small.csv"
    outs = []
    for name in ("a.csv", "b.csv"):
        res = CliRunner().invoke(main, ["tag", str(src), "-o", str(tmp_path / name), "--adapt", "--adapt-method", method,
                                        "-q", "--jobs", "1"])
        assert res.exit_code == 0, res.output
        outs.append(pd.read_csv(tmp_path / name, encoding="utf-8-sig"))
    a, b = outs
    assert len(a) == len(pd.read_csv(src, encoding="utf-8-sig")) and a[list(FIELDS)].notna().all().all()
    pd.testing.assert_frame_equal(a, b)  # deterministic
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]  # the adapted model is not left behind

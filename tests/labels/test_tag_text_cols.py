"""voc tag takes --text-col / --id-col once per column, as voc split does: with --engine dask it reads several exports
(投诉内容, 问题描述, 客户原话: tests/engines/test_dask.py), and the local engine's one file reads the one of them it
has. An interrupted local run given several continues: its state file keeps them as a list, and a tuple compared
unequal ('an unfinished run … was started with a different text_col')."""

import pytest

from voiceofcustomer.labels.workflow import partial_dir, tag_table

NAMES = ("客户原话", "问题描述")


class Stop(Exception):
    pass


def _stop_after_first_chunk(i):
    if i == 0:
        raise Stop("simulated crash after chunk 0")


def test_an_interrupted_run_given_several_text_columns_continues(data_dir, tmp_path):
    src = data_dir / "tag_text_cols" / "b_dec.csv"  # its text: 问题描述
    out = tmp_path / "tagged.csv"
    with pytest.raises(Stop):
        tag_table(src, out, text_col=NAMES, id_col=("流水号", "工单编号"), chunksize=1, n_jobs=1,
                  after_chunk=_stop_after_first_chunk)
    assert (partial_dir(out) / "state.json").exists()
    res = tag_table(src, out, text_col=NAMES, id_col=("流水号", "工单编号"), chunksize=1, n_jobs=1)
    assert res.resumed_chunks == 1 and res.rows == 2
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("工单编号,问题描述,servqual")

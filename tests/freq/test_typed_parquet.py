"""voc freq's typed Parquet reader gives the very tables of the text reader."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from voiceofcustomer.freq import tables as T
from voiceofcustomer.freq.tables import count_table

OPTIONS = dict(by="区县", date_col="受理时间", period="week", examples=3, alerts=True)


def _export(n: int = 600, seed: int = 3) -> pd.DataFrame:
    """A tagged export with the user's own column names, nulls, blanks and odd values."""
    rng = np.random.default_rng(seed)
    districts = np.array(["和平", " 河东", "河东", "", None, "南开 "], dtype=object)
    dates = np.array(["2026-09-01", "2026-09-09", "2026年9月15日", "2026-09-22 10:00", "not a date", "", None,
                      "2026-10-02"], dtype=object)
    issues = np.array(["signal", "billing", "计费", "bogus", None, " broadband", "other"], dtype=object)
    roles = np.array(["customer", "moderator", " Moderator", None], dtype=object)
    ids = np.array([f"T{i:04d}" for i in range(n)], dtype=object)
    ids[rng.random(n) < 0.1] = "  "
    ids[rng.random(n) < 0.05] = None
    conf = rng.random(n).round(4)
    conf[rng.random(n) < 0.05] = np.nan
    df = pd.DataFrame({
        "工单编号": ids,
        "区县": districts[rng.integers(0, len(districts), n)],
        "受理时间": dates[rng.integers(0, len(dates), n)],
        "投诉内容": [None if i % 97 == 0 else f"第{i}条 信号不好" for i in range(n)],
        "role": roles[rng.integers(0, len(roles), n)],
        "is_duplicate": np.array(["False", "True", "是", None], dtype=object)[rng.integers(0, 4, n)],
        "servqual": np.array(["reliability", "assurance", "none"], dtype=object)[rng.integers(0, 3, n)],
        "demand": np.array(["delivery", "function", "none"], dtype=object)[rng.integers(0, 3, n)],
        "issue": issues[rng.integers(0, len(issues), n)],
        "stance": np.array(["complaint", "praise", "neutral"], dtype=object)[rng.integers(0, 3, n)],
        "servqual_conf": conf, "demand_conf": rng.random(n).round(4), "issue_conf": conf[::-1].copy(),
        "stance_conf": rng.random(n).round(4), "needs_review": rng.random(n) < 0.3,
    })
    return df


def _write(df: pd.DataFrame, path, row_group_size: int = 64) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.cast(pa.schema([pa.field(f.name, pa.large_string() if f.name == "工单编号" else f.type)
                                  for f in table.schema]))
    pq.write_table(table, path, row_group_size=row_group_size)


def _both(path, monkeypatch, **options):
    """(typed result, text result) of the same file."""
    calls = []
    real = T._typed_batches

    def spy(*a, **k):
        calls.append(1)
        return real(*a, **k)

    with monkeypatch.context() as m:
        m.setattr(T, "_TYPED_BATCH", 150)  # several joined batches, each over several row groups
        m.setattr(T, "_typed_batches", spy)
        typed, _ = count_table(path, **options)
    assert calls, "the typed reader was not used"
    with monkeypatch.context() as m:
        m.setattr(T, "_typed_parquet", lambda source, tally: None)
        text, _ = count_table(path, **options)
    return typed, text


def _assert_same(a, b):
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)
    def plain(ex):  # NaN confidences compare equal here
        return {k: [(e.statement_id, e.text, None if e.conf != e.conf else e.conf) for e in cell]
                for k, cell in ex.items()}

    assert plain(a.examples) == plain(b.examples)
    assert (a.rows_read, a.rows_counted) == (b.rows_read, b.rows_counted)


def test_typed_reader_gives_the_tables_of_the_text_reader(tmp_path, monkeypatch):
    path = tmp_path / "tagged.parquet"
    _write(_export(), path)
    typed, text = _both(path, monkeypatch, **OPTIONS)
    _assert_same(typed, text)
    notes = typed.tables["notes"].set_index("note")["count"]
    assert notes["no issue label"] > 0 and notes["no date"] > 0 and notes["moderator statements excluded"] > 0
    ids = {e.statement_id for cell in typed.examples.values() for e in cell}
    assert any(i.startswith("tagged:") for i in ids)  # blank ids fall back to <file>:<row>, as the text reader does


def test_typed_reader_without_an_id_column_and_with_examples_off(tmp_path, monkeypatch):
    path = tmp_path / "noid.parquet"
    _write(_export(seed=5).drop(columns=["工单编号"]), path)
    for examples in (0, 5):
        typed, text = _both(path, monkeypatch, **{**OPTIONS, "examples": examples, "alerts": False})
        _assert_same(typed, text)


def test_columns_of_other_types_fall_back_to_the_text_reader(tmp_path, monkeypatch):
    df = _export(seed=7)
    df["区县"] = np.arange(len(df)) % 4  # an integer group column: read as text, as before
    path = tmp_path / "ints.parquet"
    _write(df, path)
    from voiceofcustomer.freq.tables import make_tally, open_tagged

    source = open_tagged(path)
    tally = make_tally(**OPTIONS, text_col=source.text_col)
    tally.setup(list(source.columns))
    assert T._typed_parquet(source, tally) is None
    result, _ = count_table(path, **OPTIONS)
    assert set(result.tables["by_区县"]["区县"]) == {"0", "1", "2", "3"}


def test_parquet_and_csv_of_the_same_table_give_the_same_tables(tmp_path, monkeypatch):
    df = _export(seed=11)
    _write(df, tmp_path / "t.parquet")
    df.to_csv(tmp_path / "t.csv", index=False)
    monkeypatch.setattr(T, "_TYPED_BATCH", 100)
    a, _ = count_table(tmp_path / "t.parquet", **OPTIONS)
    b, _ = count_table(tmp_path / "t.csv", **OPTIONS)
    for name in a.tables:
        if name == "notes":
            continue
        pd.testing.assert_frame_equal(a.tables[name].drop(columns="examples", errors="ignore"),
                                      b.tables[name].drop(columns="examples", errors="ignore"), obj=name)


def test_all_empty_parquet_is_refused(tmp_path):
    df = pd.DataFrame({"投诉内容": ["", " "], "servqual": [None, ""], "demand": [None, None], "issue": ["", None],
                       "stance": [None, None]}, dtype=object)
    path = tmp_path / "empty.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path)
    from voiceofcustomer.errors import InputError

    with pytest.raises(InputError, match="empty"):
        count_table(path)


def test_a_split_ticket_export_of_text_columns_is_read_typed_with_its_tickets(tmp_path, monkeypatch):
    """A ``voc split`` + ``voc tag`` table saved as Parquet with every column text (``pd.read_csv(dtype=str)``,
    is_duplicate ``False``): the typed reader gave ticket_id lazily and voc freq stopped with KeyError 'ticket_id'."""
    df = pd.read_csv("tests/data/tagged_split_tickets_by_district.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "split.parquet"
    df.to_parquet(path, index=False)
    typed, text = _both(path, monkeypatch, by="区县", date_col="受理时间", period="month", examples=3)
    _assert_same(typed, text)
    assert typed.tickets_counted == df["ticket_id"].nunique()
    overall = typed.tables["overall"].set_index(["field", "label"])
    assert overall.loc[("issue", "signal"), "tickets"] == text.tables["overall"].set_index(
        ["field", "label"]).loc[("issue", "signal"), "tickets"] > 0

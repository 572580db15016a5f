"""Excel serial dates in a CSV's date column (46307.21389: a date cell formatted as a number, saved to CSV)."""

import pandas as pd
import pytest

from voiceofcustomer.errors import DataQualityError
from voiceofcustomer.freq.tables import count_table, frequencies, parse_dates, period_labels


def test_serials_beside_ordinary_dates_are_dates():
    got = parse_dates(pd.Series(["2026-10-03 09:12", "46307.21389", "46330.5", None, "12345", "99999"]))
    assert got.iloc[1] == pd.Timestamp("2026-10-12 05:08:00")
    assert got.iloc[2] == pd.Timestamp("2026-11-04 12:00:00")
    assert got.iloc[3:].isna().all()  # blank, and numbers outside 1990–2100


def test_a_column_of_numbers_alone_is_no_dates():
    assert parse_dates(pd.Series(["46307", "46330.5", "46401"])).isna().all()  # ids, perhaps: never guessed


def test_by_period_counts_them(data_dir):
    result, _ = count_table(data_dir / "tagged_excel_serial_dates.csv", period="month")
    notes = result.tables["notes"].set_index("note")["count"]
    assert notes["no date"] == 0
    by = result.tables["by_period"].query("field == 'issue'").groupby("period")["count"].sum()
    assert by.to_dict() == {"2026-10": 2, "2026-11": 2}


def _tagged(dates, first=0):
    n = len(dates)
    return pd.DataFrame({"text": [f"宽带掉线第{i}次" for i in range(first, first + n)], "date": dates,
                         "servqual": ["reliability"] * n, "demand": ["delivery"] * n, "issue": ["broadband"] * n,
                         "stance": ["complaint"] * n})


def test_a_later_chunk_of_serials_alone_is_read_after_ordinary_dates():
    chunks = [_tagged(["2026-10-03", "2026-10-04"]), _tagged(["46330.5", "46331"], first=2)]
    result = frequencies(iter(chunks), date_col="date", period="month", crosses=())
    assert result.tables["notes"].set_index("note")["count"]["no date"] == 0
    labels = period_labels(pd.Series(["2026-10-03", "46330.5"]), "month")
    assert labels.tolist() == ["2026-10", "2026-11"]


def test_serials_not_read_say_what_to_do():
    chunks = [_tagged(["46307.2", "46308"]), _tagged(["2026-10-03", "2026-10-04"], first=2)]
    notes = frequencies(iter(chunks), date_col="date", period="month", crosses=()).tables["notes"]
    detail = notes.set_index("note").loc["no date", "detail"]
    assert "Excel serial dates" in detail and "format the column as dates in Excel" in detail
    with pytest.raises(DataQualityError, match="format the column as dates in Excel"):
        frequencies(_tagged(["46307.2", "46308"]), date_col="date", period="month", crosses=())

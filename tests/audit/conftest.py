"""Helpers shared by the audit tests."""

import openpyxl
import pytest


def _merged_book(path, rows, merges):
    """A one-sheet workbook of ``rows`` with the cells ``merges`` ("A1:C1") merged, as a team's sheet has them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


@pytest.fixture
def merged_book():
    """:func:`_merged_book`: ``merged_book(path, rows, merges)`` writes the workbook and gives its path."""
    return _merged_book

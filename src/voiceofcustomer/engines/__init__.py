"""Where the work runs: this machine's processes (the default) or a Dask cluster.

:func:`partitions` turns a file, folder or glob into the ordered list of partition
files both engines read, so a partitioned input gives the same rows in the same
order whichever engine counts or tags it.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from voiceofcustomer.errors import InputError

__all__ = ["partitions", "inputs_name", "PARTITION_SUFFIXES"]

#: Every table format the readers open (a month of .xls exports in one folder is a partitioned input).
PARTITION_SUFFIXES = (".parquet", ".csv", ".tsv", ".jsonl", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def partitions(input: str | Path | Sequence[str | Path]) -> list[Path]:
    """The partition files of ``input``: the file itself, a folder's table files, or a glob's matches.

    Sorted by path, hidden files (unfinished parts) left out. ``input`` may be several of those
    (``voc freq tag_oct.parquet tag_nov.parquet``): their files are one input, as a folder holding
    them would be — sorted by path whatever the order given, a file named twice read once.
    """
    if not isinstance(input, (str, Path)):
        given = list(input)
        if not given:
            raise InputError("no input given; give a file, a folder of partitions or a glob such as 'exports/*.csv'")
        files: dict[Path, Path] = {}
        for one in given:
            for p in partitions(one):
                files.setdefault(p.resolve(), p)
        return sorted(files.values())
    text = str(input)
    path = Path(text)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = [p for p in path.iterdir() if p.is_file() and p.suffix.lower() in PARTITION_SUFFIXES]
    elif any(ch in text for ch in "*?["):
        files = [Path(p) for p in glob.glob(text) if Path(p).is_file()]
    else:
        raise InputError(f"{input}: file not found; give a file, a folder of partitions or a glob such as "
                         "'exports/*.csv'")
    files = sorted(p for p in files if not p.name.startswith("."))
    if not files:
        raise InputError(f"{input}: no {'/'.join(s.lstrip('.') for s in PARTITION_SUFFIXES)} partitions found; "
                         "give a table, or a folder or glob of its partitions (e.g. 'exports/*.csv')")
    return files


def inputs_name(input: str | Path | Sequence[str | Path]) -> str:
    """``input`` as messages name it before their colon: the path, or several paths (``a.csv, b.csv``)."""
    if isinstance(input, (str, Path)):
        return str(input)
    from voiceofcustomer.io.readers import inputs_shown

    return inputs_shown(input)

"""voiceofcustomer: turn Chinese customer feedback into numbers researchers can act on.

Stages (each usable alone): read → normalise → split/segment → classify → themes
→ frequencies → questionnaire items → survey export → gap analysis.
"""

from __future__ import annotations

__version__ = "0.1.0"

from voiceofcustomer.errors import ColumnError, InputError, VocError
from voiceofcustomer.text.normalize import normalize
from voiceofcustomer.io.readers import open_table
from voiceofcustomer.text.segment import Segmenter, blank_zh
from voiceofcustomer.text.split import STATEMENT_COLUMNS, split_inputs, split_sentences
from voiceofcustomer.io.transcript import read_transcript
from voiceofcustomer.statements import TEXT, open_statements


def tag(df, text_col: str | None = None, **kwargs):
    """Label a DataFrame (see :func:`voiceofcustomer.labels.tagging.tag`); imported lazily to keep start-up fast."""
    from voiceofcustomer.labels.tagging import tag as _tag

    return _tag(df, text_col=text_col, **kwargs)

def tag_table(input, output, **kwargs):
    """Tag a file as ``voc tag`` does (see :func:`voiceofcustomer.labels.workflow.tag_table`); imported lazily."""
    from voiceofcustomer.labels.workflow import tag_table as _tag_table

    return _tag_table(input, output, **kwargs)


__all__ = [
    "__version__",
    "normalize",
    "tag",
    "tag_table",
    "open_statements",
    "open_table",
    "read_transcript",
    "split_inputs",
    "split_sentences",
    "STATEMENT_COLUMNS",
    "Segmenter",
    "blank_zh",
    "VocError",
    "InputError",
    "ColumnError",
]

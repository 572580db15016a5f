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


def tag(df, text_col: str | None = None, *, model=None, review_below: float | None = None,
        thread_col: str | None = None):
    """Label a DataFrame as ``voc tag`` labels a file: ``df`` (not changed) with ``servqual``,
    ``demand``, ``issue``, ``stance``, their ``*_conf``, ``needs_review`` and ``note`` added, its
    index and other columns kept.

    Args:
        df: one row per text (a ``voc split`` table gets its focus-group context and rules, and a
            split ticket's sentences the earlier sentences of their ticket).
        text_col: the text column; by default ``text``, else the one with a known name
            (内容、投诉内容 …) as ``voc tag`` finds it.
        model: a loaded label model (default: the shipped one).
        review_below: ``needs_review`` below this geometric mean of the confidences (default 0.75).
        thread_col: rows sharing its value are one thread, each read with the earlier rows.

    Raises:
        ColumnError: no text column can be told, or a column given is missing.

    See :func:`voiceofcustomer.labels.tagging.tag` (imported lazily to keep start-up fast).
    """
    from voiceofcustomer.labels.tagging import tag as _tag

    options = {} if review_below is None else {"review_below": review_below}
    return _tag(df, text_col=text_col, model=model, thread_col=thread_col, **options)

def tag_table(input, output, **kwargs):
    """Tag a file as ``voc tag`` does (see :func:`voiceofcustomer.labels.workflow.tag_table`); imported lazily."""
    from voiceofcustomer.labels.workflow import tag_table as _tag_table

    return _tag_table(input, output, **kwargs)


#: Stages imported when first used (``voc.frequencies``), so that ``import voiceofcustomer`` stays
#: fast and the CLI loads only what a command needs: name → module that defines it.
_LAZY = {
    "frequencies": "voiceofcustomer.freq.tables",
    "ThemeModel": "voiceofcustomer.themes.model",
    "candidate_items": "voiceofcustomer.items.candidates",
    "write_items_workbook": "voiceofcustomer.items.candidates",
    "build_survey": "voiceofcustomer.items.survey",
    "build_report": "voiceofcustomer.report.page",
    "gap_analysis": "voiceofcustomer.gap.analysis",
    "score_audit": "voiceofcustomer.audit.scoring",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'voiceofcustomer' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__",
    *_LAZY,
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

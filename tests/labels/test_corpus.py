"""The labelled corpus is the contract's training data: big enough, varied, consistent."""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.labels.model import load_corpus
from voiceofcustomer.labels.corpus import char_ngrams, label_conflicts, near_duplicates
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "labelled"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


def test_size_and_label_coverage(corpus):
    assert len(corpus) >= 4000
    for f in FIELDS:
        counts = corpus[f].value_counts()
        for label in LABELS[f]:
            assert counts.get(label, 0) >= 60, (f, label, counts.get(label, 0))


def test_no_near_copies(corpus):
    pairs = near_duplicates(corpus["text"].tolist(), n=5, threshold=0.6)
    shown = [(corpus.text.iloc[i], corpus.text.iloc[j], round(s, 2)) for i, j, s in pairs[:5]]
    assert not pairs, shown


def test_labels_are_consistent(corpus):
    conflicts = label_conflicts(corpus)
    assert conflicts.empty, conflicts[["text", *FIELDS]].head().to_string()


def test_none_rule_holds(corpus):
    none = corpus[corpus.servqual == "none"]
    assert (none.demand == "none").all() and (none.issue == "other").all() and (none.stance == "neutral").all()
    assert (corpus.loc[corpus.demand == "none", "servqual"] == "none").all()


def test_ids_unique_and_styles_varied(corpus):
    assert corpus["id"].is_unique
    assert corpus["style"].nunique() >= 6


def test_near_duplicate_detector_finds_copies():
    texts = ["网速太慢了，晚上根本用不了", "网速太慢了，晚上根本用不了！", "营业厅排队太久"]
    assert [(i, j) for i, j, _ in near_duplicates(texts)] == [(0, 1)]
    assert char_ngrams("abc") == {"abc"}
    df = pd.DataFrame({"text": ["a b", "ab"], "servqual": ["none", "tangibles"], "demand": ["none"] * 2,
                       "issue": ["other"] * 2, "stance": ["neutral"] * 2})
    assert len(label_conflicts(df)) == 2


GUIDE = CORPUS.parent / "ANNOTATION_GUIDE.md"
_LABELS = r"\*\*([a-z_]+) / ([a-z_]+) / ([a-z_]+) / ([a-z_]+)\*\*"
_ID = r"[A-Z]{1,2}\d{4}"


def guide_examples(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(line id, labels) of every worked example of the guide that names its corpus line: `ID` 「…」 then
    → **labels** on the next line, or **labels** (ID …) on one line."""
    import re

    found = [(m.group(5), m.group(1, 2, 3, 4))
             for m in re.finditer(_LABELS + r"[^\n(]{0,40}?\((" + _ID + r")\b", text)]
    found += [(m.group(1), m.group(2, 3, 4, 5))
              for m in re.finditer(r"`(" + _ID + r")`[^\n]*\n\s*→ " + _LABELS, text)]
    return found


def relabel_records(folder: Path) -> dict[str, tuple[str, ...]]:
    """Line id → the new labels of the latest relabel record (relabel_*.md, oldest first) that changed it:
    the table rows | id | old labels | new labels | reason |."""
    import re

    row = re.compile(r"^\| (" + _ID + r") \| [a-z_ /]+ \| ([a-z_]+) / ([a-z_]+) / ([a-z_]+) / ([a-z_]+) \|", re.M)
    latest: dict[str, tuple[str, ...]] = {}
    for path in sorted(folder.glob("relabel_*.md")):
        for m in row.finditer(path.read_text(encoding="utf-8")):
            latest[m.group(1)] = m.group(2, 3, 4, 5)
    return latest


def _disagreements(corpus, expected: dict[str, tuple[str, ...]]) -> list[str]:
    by_id = corpus.set_index("id")
    out = []
    for line_id, labels in expected.items():
        if line_id not in by_id.index:
            out.append(f"{line_id}: not in the corpus")
            continue
        have = tuple(by_id.loc[line_id, list(FIELDS)])
        if have != labels:
            out.append(f"{line_id}: says {' / '.join(labels)}, corpus has {' / '.join(have)}")
    return out


def test_the_guides_worked_examples_carry_the_labels_of_their_corpus_lines(corpus):
    # A rule and its own example, or a rule and the line it cites, that disagree teach the model two
    # conventions (guide audit 2026-12b: R35's example, R91's AA0125 and R108's AD0189 against the lines).
    examples = guide_examples(GUIDE.read_text(encoding="utf-8"))
    assert len(examples) >= 150
    wrong = _disagreements(corpus, dict(examples))
    assert not wrong, wrong[:10]


def test_every_relabel_record_is_what_the_corpus_holds(corpus):
    latest = relabel_records(CORPUS)
    assert {"A0356", "L0734", "J0189", "AA0125", "M0669"} <= set(latest)
    wrong = _disagreements(corpus, latest)
    assert not wrong, wrong[:10]


def test_guide_examples_and_relabel_rows_are_read_from_both_forms():
    text = ("- `B0002` 「装机师傅没来」\n  → **responsiveness / standard / install_repair / complaint**. Because.\n"
            "- 「又断了」 → **reliability / delivery / broadband / complaint** (U0060; R65).\n"
            "- 「没有编号的例子」 → **none / none / other / neutral**.\n")
    assert sorted(guide_examples(text)) == [
        ("B0002", ("responsiveness", "standard", "install_repair", "complaint")),
        ("U0060", ("reliability", "delivery", "broadband", "complaint"))]

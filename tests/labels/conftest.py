"""Shared helpers of the label-model tests."""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.labels.model import load_corpus

LABELLED = Path(__file__).resolve().parents[2] / "corpora" / "labelled"


@pytest.fixture(scope="session")
def corpus_parts():
    """``corpus_parts("a", "k")``: those written parts as one frame in id order (small enough to fit in seconds)."""

    def load(*letters: str) -> pd.DataFrame:
        parts = [load_corpus(LABELLED / f"part_{p}.jsonl") for p in letters]
        return pd.concat(parts, ignore_index=True).sort_values("id", kind="stable").reset_index(drop=True)

    return load

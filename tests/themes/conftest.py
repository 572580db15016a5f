"""Shared, session-scoped fits: each ThemeModel fit takes a few seconds, so the
themes tests reuse these instead of fitting again."""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.text.split import split_inputs
from voiceofcustomer.themes import ThemeModel

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "corpora" / "samples"


@pytest.fixture(scope="session")
def themes_corpus() -> tuple[list[str], list[str]]:
    texts = (DATA / "themes_corpus.txt").read_text(encoding="utf-8").splitlines()
    labels = (DATA / "themes_corpus_labels.txt").read_text(encoding="utf-8").splitlines()
    texts = [t.strip() for t in texts if t.strip()]
    labels = [lab.strip() for lab in labels if lab.strip()]
    assert len(texts) == len(labels) == 300
    return texts, labels


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("voc_cache")


@pytest.fixture(scope="session")
def corpus_model(themes_corpus, cache_dir) -> ThemeModel:
    texts, _ = themes_corpus
    return ThemeModel(cache_dir=cache_dir).fit(texts)


@pytest.fixture(scope="session")
def focus_group() -> pd.DataFrame:
    return pd.concat(list(split_inputs([SAMPLES / "focus_group_public_tianjin.txt"])), ignore_index=True)


@pytest.fixture(scope="session")
def focus_group_model(focus_group) -> ThemeModel:
    return ThemeModel().fit(focus_group)

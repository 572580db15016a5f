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


class KeywordEmbedder:
    """An embedder for placement tests whose geometry is known: a text's vector is the direction of
    the first keyword it contains (``directions``: keyword → vector) plus a small noise fixed by the
    text, normalised. A module-level class, so a curated set saved with it can be loaded again."""

    name = tag = "keywords"

    def __init__(self, directions: dict[str, list[float]], noise: float = 0.05, dim: int = 16):
        self.directions, self.noise, self.dim = directions, noise, dim

    def embed(self, texts):
        import hashlib

        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            base = next((np.asarray(v, dtype=float) for k, v in self.directions.items() if k in t),
                        np.eye(self.dim)[-1])
            seed = int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=4).digest(), "little")
            v = np.zeros(self.dim)
            v[:len(base)] = base
            v += self.noise * np.random.default_rng(seed).standard_normal(self.dim)
            out[i] = v / np.linalg.norm(v)
        return out

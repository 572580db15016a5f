"""A review project built from the test table."""

import pytest

from review_fixtures import tagged_frame
from voiceofcustomer.review.store import create_project


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """Every 20th line of the shipped corpus as a JSONL file: teaching on it takes seconds."""
    from voiceofcustomer.labels.model import load_corpus
    from voiceofcustomer.resources import corpus_path

    df = load_corpus(corpus_path("labelled")).sort_values("id").iloc[::20].reset_index(drop=True)
    path = tmp_path_factory.mktemp("corpus") / "small.jsonl"
    df[["id", "text", "servqual", "demand", "issue", "stance"]].to_json(path, orient="records", lines=True,
                                                                        force_ascii=False)
    return path


@pytest.fixture
def project(tmp_path):
    store = create_project(tagged_frame(), tmp_path / "review.sqlite")
    yield store
    store.close()

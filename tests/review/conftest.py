"""A review project built from the test table."""

import pytest

from review_fixtures import tagged_frame
from voiceofcustomer.review.store import create_project


@pytest.fixture
def project(tmp_path):
    store = create_project(tagged_frame(), tmp_path / "review.sqlite")
    yield store
    store.close()

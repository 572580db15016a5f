"""Shared test set-up.

One thread per native thread pool (OpenMP, OpenBLAS) for the whole run and every
process it starts: the test data are small, so two spinning threads per k-means or
matrix product cost more than they give (a 300-statement theme fit takes 4 s of CPU
single-threaded and 16 s with two threads on a 2-core machine). Set the variables
yourself to override.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

# Libraries already loaded by a plugin have read the variables too late.
threadpool_limits(int(os.environ["OMP_NUM_THREADS"]))

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA

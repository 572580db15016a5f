"""Run a script as a terminal runs a command, so that a test can send it Ctrl-C."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


def run_script(code: str, *args: str, timeout: float) -> tuple[int, str]:
    """``python -c code args…`` in a session of its own (a terminal's process group, even under a
    job that ignores SIGINT) with this checkout's ``src``; ``(returncode, stderr)``. The whole group
    is killed, and the test fails, when it is still running after ``timeout`` seconds."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        err = proc.communicate(timeout=timeout)[1]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"still running {timeout:g} s after the interrupt")
    return proc.returncode, err

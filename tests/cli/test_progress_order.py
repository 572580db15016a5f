"""A bad input ends in its one-line error alone, even on a terminal: no progress bar or step
line is printed before it (the inputs are checked before any progress is reported)."""

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

import voiceofcustomer

# the child runs the very package under test (not another installed copy)
_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [os.path.dirname(os.path.dirname(voiceofcustomer.__file__)), *filter(None, [os.environ.get("PYTHONPATH")])])}


def _stderr_on_a_terminal(args, cwd):
    """Run ``voc ARGS`` with stderr on a pseudo-terminal 120 columns wide (as a user sees it:
    progress bars are drawn only on a terminal); returns (exit status, stderr text)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    try:
        proc = subprocess.Popen([sys.executable, "-m", "voiceofcustomer", *args], cwd=cwd, env=_ENV, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not data:
                break
            chunks.append(data)
        rc = proc.wait(timeout=120)
    finally:
        os.close(master)
    return rc, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def _bad_inputs(tmp_path):
    (tmp_path / "nocol.csv").write_text("甲,乙\n1,宽带很慢\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02PK" * 16)
    (tmp_path / "header_only.csv").write_text("编号,内容\n", encoding="utf-8")
    return {"missing column": ("nocol.csv", "cannot tell which column holds the text"),
            "empty file": ("empty.csv", "file is empty"),
            "binary file": ("binary.csv", "binary file"),
            "no data rows": ("header_only.csv", "no data rows")}


@pytest.mark.parametrize("case", ["missing column", "empty file", "binary file", "no data rows"])
@pytest.mark.parametrize("command", ["tag", "split", "analyze"])
def test_bad_input_on_a_terminal_prints_only_the_error(tmp_path, command, case):
    name, reason = _bad_inputs(tmp_path)[case]
    out = "report" if command == "analyze" else "out.csv"
    rc, err = _stderr_on_a_terminal([command, name, "-o", out, "--jobs" if command != "split" else "--on-bad-rows",
                                     "1" if command != "split" else "error"], tmp_path)
    assert rc == 2, err
    assert err.startswith(f"Error: {name}: ") and reason in err, err
    assert err.count("\n") == 1 and err.endswith("\n") and "\r" not in err, repr(err)
    assert not (tmp_path / out).exists()


def test_freq_bad_input_on_a_terminal_prints_only_the_error(tmp_path):
    _bad_inputs(tmp_path)
    rc, err = _stderr_on_a_terminal(["freq", "nocol.csv", "-o", "freq"], tmp_path)
    assert rc == 2 and err.startswith("Error: nocol.csv: ") and err.count("\n") == 1 and "\r" not in err, repr(err)

"""Where shipped data lives: ``models/`` and ``corpora/`` of a source checkout,
or the copies packed into the wheel under ``voiceofcustomer/_data``."""

from __future__ import annotations

from pathlib import Path

from voiceofcustomer.errors import ModelError

_PACKAGE_DIR = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent.parent)


def data_path(*parts: str) -> Path:
    """Return the first existing path ``<root>/<parts>`` among the shipped data roots."""
    for root in _CANDIDATES:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise ModelError(
        f"shipped data file {'/'.join(parts)} not found; reinstall voiceofcustomer "
        "(pip install -e .) from a complete checkout",
        zh=f"找不到随附的数据文件 {'/'.join(parts)}；请从完整的代码重新安装 voiceofcustomer（pip install -e .）",
    )


def corpus_path(name: str) -> Path:
    return data_path("corpora", name)


def model_dir() -> Path:
    return data_path("models")

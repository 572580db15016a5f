"""The project's exceptions: each says what went wrong, where, and what to do next.

The CLI turns any :class:`VocError` into a one-line message and exit status 2;
the library never prints or exits.
"""

from __future__ import annotations

__all__ = [
    "VocError",
    "InputError",
    "ColumnError",
    "BadRowError",
    "ModelError",
    "DataQualityError",
]


class VocError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class InputError(VocError):
    """An input file cannot be read as asked (missing, empty, binary, undecodable...)."""


class ColumnError(InputError):
    """A required column is missing or cannot be chosen unambiguously."""


class BadRowError(InputError):
    """A malformed row in an input table."""


class ModelError(VocError):
    """A model file is missing or does not match this version."""


class DataQualityError(VocError):
    """Input data that cannot be analysed as it is (e.g. survey responses)."""

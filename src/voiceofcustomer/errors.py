"""The project's exceptions: each says what went wrong, where, and what to do next.

The CLI turns any :class:`VocError` into a one-line message and exit status 2;
the library never prints or exits.

A message that tells the caller to give or change a parameter names it as a Python caller
writes it (``give it with text_col=``, ``try encoding='gbk'``, ``drop_speeders=True``) and the
error carries its name (``params=("text_col",)``); the CLI shows the command's flag there
(``--text-col``, ``--encoding gbk``, ``--drop-speeders``: ``cli.support.cli_message``). One
message, two readers: a library caller has no flags.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "VocError",
    "InputError",
    "ColumnError",
    "BadRowError",
    "ModelError",
    "DataQualityError",
]


class VocError(Exception):
    """Base class: a problem the user can fix, with a message that says how.

    ``params``: the parameters the message names as ``name=`` / ``name=value`` (see the module
    docstring), which a front end may show its own way.
    """

    def __init__(self, *args, params: Iterable[str] = ()):
        super().__init__(*args)
        self.params = tuple(params)

    def __reduce__(self):  # from a worker process with its params
        return _rebuild, (type(self), self.args, self.params)


def _rebuild(cls, args, params):
    return cls(*args, params=params)


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

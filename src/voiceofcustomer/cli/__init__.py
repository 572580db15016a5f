"""The ``voc`` command line: thin click commands over the library (the only click importer)."""

from voiceofcustomer.cli.main import main

__all__ = ["main"]

"""``voc review``, ``voc agreement`` and ``voc export``: the review workbench commands."""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.cli.support import info, library_call


@click.command("review")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(path_type=Path),
              help="Project file (SQLite; default: review.sqlite beside the first input). Reopen it to resume.")
@click.option("--coder", default=None, help="Who decides (recorded with every decision; default: $USER).")
@click.option("--speakers", type=click.Path(path_type=Path),
              help="CSV with speaker, speaker_attrs (and optionally session): attributes shown beside each quote.")
@click.option("--port", default=0, show_default=True, help="Port on 127.0.0.1 (0: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; just print the URL.")
@library_call
def review_cmd(inputs, db, coder, speakers, port, no_browser):
    """Review and correct labels in a local web page (keyboard-first), saved to a project file.

    INPUT is a `voc tag` output (or any tagged statements table). The page runs on
    127.0.0.1 only and needs the printed URL (it carries a session token). Keys:
    1-9 choose, Tab moves between fields, Enter accepts, Backspace undoes, / searches.
    Ctrl-C stops the server; every accepted row is already saved.

    Example:

        voc review tickets_tagged.xlsx --coder wang
    """
    import getpass
    import webbrowser

    from voiceofcustomer.review.app import serve
    from voiceofcustomer.review.project import open_project

    coder = coder or getpass.getuser() or "coder"
    store = open_project(list(inputs), db, speakers=speakers, progress=lambda m: info(False, m))
    info(False, f"project {store.path}: {len(store)} statements ({store.added} new); coder {coder}")

    def ready(url: str) -> None:
        click.echo(f"review: {url}")
        click.echo("press Ctrl-C to stop (decisions are saved as you go)", err=True)
        if not no_browser:
            webbrowser.open(url)

    try:
        serve(store, coder=coder, port=port, on_ready=ready, title=store.path.name)
    finally:
        store.close()
    info(False, f"stopped; {store.path} holds every decision")

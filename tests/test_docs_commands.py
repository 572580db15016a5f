"""The `voc` commands the README, docs/*.md and every `--help` show parse as written.

A new user copies them: a renamed option, an option moved to another command or a
forgotten required `-o` must fail here, not in their shell. Each full example (a code
block line, the README's command table, a `--help` example) goes through click's own
parser for its command (options, choices, required arguments; files need not exist);
each inline fragment in the prose (`voc tag --adapt`) must use options its command has.
Whether the example then runs on the sample data is the QA pass's job (tests/test_chain.py
runs the chain itself).
"""

import re
import shlex
from pathlib import Path

import click
import pytest

from voiceofcustomer.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _commands(text: str) -> list[list[str]]:
    """The `voc …` commands of one shell line (comments dropped, `&&` / `;` / `|` split)."""
    tokens = shlex.split(text, comments=True)
    out, current = [], []
    for t in [*tokens, "&&"]:
        if t in ("&&", ";", "|", "||"):
            if current[:1] == ["voc"]:
                out.append(current)
            current = []
        else:
            current.append(t)
    return out


def _full_examples():
    """``(where, argv)`` of every full command: code blocks, the README's table, `--help`."""
    for path in DOCS:
        in_block = False
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("```"):
                in_block = not in_block
                continue
            if in_block or line.startswith("    voc "):
                if line.strip().startswith("voc ") and "…" not in line:
                    yield from ((f"{path.name}:{no}", argv) for argv in _commands(line.strip()))
            elif path.name == "README.md" and line.startswith("| `voc "):
                example = line.rstrip(" |").rsplit("| ", 1)[-1].strip("` ")
                yield from ((f"{path.name}:{no} (command table)", argv) for argv in _commands(example))
    for name, cmd in main.commands.items():
        examples = (cmd.help or "").split("Example", 1)[-1]
        for line in examples.splitlines():
            if line.strip().startswith("voc "):
                yield from ((f"voc {name} --help", argv) for argv in _commands(line.strip()))


def _inline_examples():
    """``(where, argv)`` of every `voc …` fragment quoted in the prose."""
    for path in DOCS:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for snippet in re.findall(r"`(voc [a-z]+[^`]*)`", line):
                snippet = snippet.replace("[", " ").replace("]", " ").replace("…", " ")
                try:
                    tokens = shlex.split(snippet)
                except ValueError:
                    tokens = snippet.split()
                yield f"{path.name}:{no}", tokens


def _option_names(cmd: click.Command) -> set[str]:
    names = {"-h", "--help"}
    for p in cmd.params:
        names.update(p.opts)
        names.update(p.secondary_opts)
    return names


def test_the_docs_show_commands_at_all():
    full, inline = list(_full_examples()), list(_inline_examples())
    assert len(full) > 60 and len(inline) > 150  # the parsers above still find them
    assert {argv[1] for _, argv in full} == set(main.commands)  # every command has a full example


@pytest.mark.parametrize("where, argv", list(_full_examples()), ids=lambda v: v if isinstance(v, str) else None)
def test_every_full_example_parses(where, argv):
    name = argv[1]
    assert name in main.commands, f"{where}: {' '.join(argv)}: no command {name!r}"
    cmd = main.commands[name]
    try:
        cmd.make_context(f"voc {name}", argv[2:])
    except click.ClickException as exc:
        pytest.fail(f"{where}: {' '.join(argv)}: {exc.format_message()}")


def test_every_inline_fragment_uses_options_its_command_has():
    wrong = []
    for where, tokens in _inline_examples():
        name = tokens[1]
        if name not in main.commands:
            wrong.append(f"{where}: {' '.join(tokens)}: no command {name!r}")
            continue
        known = _option_names(main.commands[name])
        for t in tokens[2:]:
            if t.startswith("-") and len(t) > 1 and t.split("=", 1)[0] not in known:
                wrong.append(f"{where}: {' '.join(tokens)}: voc {name} has no option {t}")
    assert not wrong, "\n".join(wrong)

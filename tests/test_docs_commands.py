"""The `voc` commands the README, docs/*.md and every `--help` show parse as written.

A new user copies them: a renamed option, an option moved to another command or a
forgotten required `-o` must fail here, not in their shell. Each full example (a code
block line, the README's command table, a `--help` example) goes through click's own
parser for its command (options, choices, required arguments; files need not exist);
each inline fragment in the prose (`voc tag --adapt`), and each shell line shortened with
`…`, must use options its command has, and a value of a choice option one of its choices.
The prose's own claims about options are held too: an option quoted alone (`--veto-mode flag`)
must be some command's (or a benchmark script's), a default quoted beside its option
(`--chunk-size`, default 5,000 rows) must be the option's default, and "`voc X` has no `--opt`"
must be so. Whether the example then runs on the sample data is the QA pass's job
(tests/test_chain.py runs the chain itself).
"""

import re
import shlex
from decimal import ROUND_HALF_UP, Decimal
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


#: Fenced blocks that hold no shell lines (the README's Python API, a codebook file).
_NOT_SHELL = {"python", "yaml", "json"}


def _shell_examples():
    """``(where, argv)`` of every `voc …` command on a shell line: code blocks (any command of the
    line, `pip install … && voc demo` too; its comment left out) and the README's command table."""
    for path in DOCS:
        fence = None  # the open block's language ("" for a bare ```), None outside a block
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("```"):
                fence = None if fence is not None else line.strip()[3:].strip().lower()
                continue
            if (fence is not None and fence not in _NOT_SHELL) or line.startswith("    voc "):
                try:
                    commands = _commands(line.strip())
                except ValueError:  # prose in a bare block: an apostrophe is no quote
                    continue
                yield from ((f"{path.name}:{no}", argv) for argv in commands)
            elif path.name == "README.md" and line.startswith("| `voc "):
                example = line.rstrip(" |").rsplit("| ", 1)[-1].strip("` ")
                yield from ((f"{path.name}:{no} (command table)", argv) for argv in _commands(example))


def _shortened(argv: list[str]) -> bool:
    return any("…" in t for t in argv)


def _full_examples():
    """``(where, argv)`` of every full command: shell lines not shortened with `…`, and `--help`."""
    yield from ((where, argv) for where, argv in _shell_examples() if not _shortened(argv))
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
    for where, argv in _shell_examples():  # `voc tag … --engine dask`: options, not a full parse
        if _shortened(argv) and "…" not in argv[1]:
            yield where, [t for t in argv if "…" not in t]


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


def test_every_choice_in_a_fragment_is_one_of_its_choices():
    wrong = []
    for where, tokens in _inline_examples():
        cmd = main.commands.get(tokens[1])
        params = {o: p for p in getattr(cmd, "params", ()) for o in p.opts}
        for i, t in enumerate(tokens[2:], 2):
            option, _, value = t.partition("=")
            if option in params and not value and i + 1 < len(tokens):
                value = tokens[i + 1]
            problem = _choice_problem(params.get(option), value)
            if problem:
                wrong.append(f"{where}: {' '.join(tokens)}: {problem}")
    assert not wrong, "\n".join(wrong)


# -- what the prose says of options -------------------------------------------------------------

#: Options of the other programs the docs quote: pip, and dask's scheduler and workers (docs/scale.md).
_OTHER_PROGRAMS = {"--help", "--no-deps", "--index-url", "--host", "--port", "--no-dashboard", "--nworkers",
                   "--nthreads"}
_OPTION = r"`(--[a-z][a-z0-9-]*)(?:[ =]([^`]*))?`"
#: A value that stands for one (`--partial SHARE`, `--by COL`, `--text-col …`), not a value itself.
_PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9_]*|.*[…<].*|")


def _voc_options() -> dict[str, list[click.Parameter]]:
    """Each option of the voc commands → its parameters (one per command that has it)."""
    out: dict[str, list[click.Parameter]] = {}
    for cmd in main.commands.values():
        for p in cmd.params:
            for o in [*p.opts, *p.secondary_opts]:
                if o.startswith("-"):
                    out.setdefault(o, []).append(p)
    return out


def _script_options() -> set[str]:
    """The options of benchmarks/*.py and tools/*.py, which the docs quote with their results."""
    found = set()
    for path in [*sorted((ROOT / "benchmarks").glob("*.py")), *sorted((ROOT / "tools").glob("*.py"))]:
        found.update(re.findall(r"""["'](--[a-z][a-z0-9-]*)["']""", path.read_text(encoding="utf-8")))
    return found


def _choice_problem(param: click.Parameter | None, value: str) -> str | None:
    """What is wrong with ``value`` given to a choice option (None when it is right, or no choice)."""
    if param is None or not isinstance(param.type, click.Choice) or getattr(param, "is_flag", False):
        return None
    for alternative in re.split(r"\\?\|", value.split(" ")[0]):  # `--period week\|month` in a table
        if not _PLACEHOLDER.fullmatch(alternative) and alternative not in param.type.choices:
            return f"{param.opts[-1]} {alternative!r} is none of its choices {list(param.type.choices)}"
    return None


def _alone_problems(where: str, text: str, options, scripts) -> list[str]:
    """Options quoted alone (`--veto-mode flag`): some command's (or a script's), with a choice it has."""
    wrong = []
    for option, value in re.findall(_OPTION, text):
        if option not in options:
            if option not in scripts and option not in _OTHER_PROGRAMS:
                wrong.append(f"{where}: `{option}` is no option of any voc command (nor of a benchmark script)")
            continue
        problems = [_choice_problem(p, value) for p in options[option]]
        if value and all(problems) and any(problems):
            wrong.append(f"{where}: `{option} {value}`: {problems[0]}")
    return wrong


def test_every_option_quoted_alone_is_an_option():
    options, scripts = _voc_options(), _script_options()
    wrong = []
    for path in DOCS:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            wrong += _alone_problems(f"{path.name}:{no}", line, options, scripts)
    assert not wrong, "\n".join(wrong)


_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?(?:/\d+)?"
#: `--chunk-size`, default 5,000 rows · `--examples N` | … (default 3 · `--min-conf` the floor, default 0.02
_DEFAULT_AFTER = re.compile(_OPTION + r"(?:(?!--)(?:[^.`]|`[^`]*`)){0,40}?(?<![\w-])default:? (" + _NUMBER + r")(?![\d/])")
#: default `--review-below 0.75` · The default, `--method adapter`
_DEFAULT_BEFORE = re.compile(r"(?<![\w-])default[,:]? `(--[a-z][a-z0-9-]*) ([^`]+)`")
#: (`--veto-mode zero`, default) · `--adapt-method weights`, the default
_VALUE_DEFAULT = re.compile(r"`(--[a-z][a-z0-9-]*) ([^`]+)`,? \(?(?:the )?default\b(?!:)")


def _defaults(params: list[click.Parameter]) -> list:
    """The defaults of an option's parameters; one computed later (None) is the one its help states."""
    out = []
    for p in params:
        if p.default is not None and p.default is not getattr(click.core, "UNSET", object()):
            out.append(p.default)
        else:
            out += re.findall(r"[Dd]efault:? (" + _NUMBER + r")", getattr(p, "help", None) or "")
    return out


def _same(quoted: str, default) -> bool:
    if isinstance(default, bool) or not re.fullmatch(_NUMBER, quoted):
        return str(default) == quoted
    try:
        default = Decimal(repr(float(default)))
    except (TypeError, ValueError):
        return False
    if "/" in quoted:  # 1/3
        top, bottom = quoted.split("/")
        return abs(default - Decimal(top) / Decimal(bottom)) < Decimal("0.001")
    value = Decimal(quoted.replace(",", ""))
    return default.quantize(Decimal(1).scaleb(value.as_tuple().exponent), ROUND_HALF_UP) == value  # as written


def _quoted_defaults(text: str) -> list[tuple[str, str, str]]:
    """``(option, default as quoted, the words)`` of every default the prose quotes beside its option."""
    text = text.replace("\n", " ")
    quoted = [(m.group(1), m.group(3), m.group(0)) for m in _DEFAULT_AFTER.finditer(text)]
    return quoted + [(m.group(1), m.group(2), m.group(0)) for rx in (_DEFAULT_BEFORE, _VALUE_DEFAULT)
                     for m in rx.finditer(text)]


def _default_problems(where: str, text: str, options) -> list[str]:
    """Defaults quoted beside their option in the prose that are not the option's default."""
    wrong = []
    for option, value, said in _quoted_defaults(text):
        defaults = _defaults(options.get(option, []))
        if defaults and not _PLACEHOLDER.fullmatch(value) and not any(_same(value, d) for d in defaults):
            wrong.append(f"{where}: {said!r}: the default of {option} is {' / '.join(map(str, defaults))}")
    return wrong


def test_every_default_quoted_beside_its_option_is_its_default():
    """docs/benchmarks.md is left out: it records the settings of past rounds, and its scripts'
    options (`--group dialogue`) share names with voc's."""
    options = _voc_options()
    docs = [path for path in DOCS if path.name != "benchmarks.md"]
    assert sum(len(_quoted_defaults(path.read_text(encoding="utf-8"))) for path in docs) >= 5  # still found
    wrong = []
    for path in docs:
        wrong += _default_problems(path.name, path.read_text(encoding="utf-8"), options)
    assert not wrong, "\n".join(wrong)


_LACKS = re.compile(r"`voc ([a-z]+)` (?:has|takes) no `(--[a-z][a-z0-9-]*)`")


def _lacking_problems(where: str, text: str) -> list[str]:
    """"`voc export` has no `--id-col`" where the command has that option after all."""
    return [f"{where}: {m.group(0)!r}, but it has" for m in _LACKS.finditer(text.replace("\n", " "))
            if m.group(1) in main.commands and m.group(2) in _option_names(main.commands[m.group(1)])]


def test_an_option_a_command_is_said_to_lack_it_lacks():
    wrong = []
    for path in DOCS:
        wrong += _lacking_problems(path.name, path.read_text(encoding="utf-8"))
    assert not wrong, "\n".join(wrong)


def test_the_checks_of_the_prose_find_drift():
    """Each check above finds the drift it is for (so a pass means the docs agree, not that it looked away)."""
    options, scripts = _voc_options(), _script_options()
    assert _default_problems("x", "in chunks (`--chunk-size`, default 4,000 rows)", options)
    assert not _default_problems("x", "in chunks (`--chunk-size`, default 5,000 rows)", options)
    assert _default_problems("x", "(`--veto-mode flag`, default)", options)
    assert _default_problems("x", "review flag (default `--review-below 0.7`)", options)
    assert _default_problems("x", "(`--speeder-fraction`, default 1/2)", options)
    assert not _default_problems("x", "(`--speeder-fraction`, default 1/3)", options)
    assert _default_problems("x", "`--min-conf` the floor, default 0.05", options)  # its help says 0.02
    assert _alone_problems("x", "`--veto-mode half`", options, scripts)
    assert _alone_problems("x", "`--vetomode zero`", options, scripts)
    assert not _alone_problems("x", "`--partial SHARE`, `--period week\\|month`", options, scripts)
    assert _lacking_problems("x", "(`voc review` has no\n`--text-col`)")
    assert not _lacking_problems("x", "(`voc export` has no `--id-col`)")

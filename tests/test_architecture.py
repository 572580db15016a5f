"""The architecture stays as docs/architecture.md draws it.

- no module imports a sibling module's private (underscore) name: what another module
  needs is public, or it belongs in the shared module;
- only ``voiceofcustomer.cli`` imports click (the library never parses options or exits);
- the README's command table lists exactly the CLI's commands.
"""

import ast
import re
from pathlib import Path

from voiceofcustomer.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "voiceofcustomer"


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, ast.parse(path.read_text(encoding="utf-8"))


def _package(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _is_private_submodule(package: str, name: str) -> bool:
    base = SRC.parent.joinpath(*package.split("."))
    return (base / f"{name}.py").exists() or (base / name / "__init__.py").exists()


def test_no_module_imports_a_private_name_of_another_module():
    offences = []
    for module, path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("voiceofcustomer"):
                continue
            if node.module == module:
                continue
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                # a package's private submodule (themes/_bt.py) is for that package's own modules
                own = _is_private_submodule(node.module, alias.name) and _package(module, path).startswith(node.module)
                if private and not own:
                    offences.append(f"{module} imports {alias.name} from {node.module}")
    assert not offences, "\n".join(offences)


def test_only_the_cli_package_imports_click():
    offenders = []
    for module, _path, tree in _modules():
        if module == "voiceofcustomer.cli" or module.startswith("voiceofcustomer.cli."):
            continue
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "click" or n.startswith("click.") for n in names):
                offenders.append(module)
    assert not offenders, f"click imported outside voiceofcustomer.cli: {offenders}"


def test_readme_command_table_lists_exactly_the_cli_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `voc ([a-z-]+)` \|", readme, flags=re.M)
    assert len(listed) == len(set(listed)), "a command is listed twice"
    assert set(listed) == set(main.commands), (
        f"README lacks {sorted(set(main.commands) - set(listed))}; "
        f"README lists commands that do not exist: {sorted(set(listed) - set(main.commands))}")


def test_the_docs_name_every_column_of_the_statements_table():
    """README's contract (`statement_id, source, …`) is STATEMENT_COLUMNS in order, and
    docs/architecture.md's table names each of them and the transcripts' own columns
    (README left out prompt_turn, which every voc split output has)."""
    from voiceofcustomer import statements as S

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contract = re.search(r"columns are a contract: `([^`]+)`", readme)
    assert contract, "README no longer states the statements table's columns"
    assert re.split(r",\s*", contract.group(1).strip()) == S.STATEMENT_COLUMNS
    table = " ".join(line for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines()
                     if line.startswith("| `"))
    named = set(re.findall(r"`([a-z_]+)`", table))
    missing = [c for c in [*S.STATEMENT_COLUMNS, S.SPEAKER_ATTRS, S.SECTION, S.SESSION_DATE] if c not in named]
    assert not missing, f"docs/architecture.md's statements table lacks {missing}"


def test_readme_documents_the_quick_test_run():
    assert 'pytest -m "not slow"' in (ROOT / "README.md").read_text(encoding="utf-8")


#: Library packages whose errors may spell a flag: none — the review app's pages say a parameter as their own
#: field (``review.app.page_message``), the command line as its flag (issue 11 follow-through).
_FLAG_MESSAGES_LEFT: tuple[str, ...] = ()


def _message_text(call: ast.Call) -> str:
    """The literal text of an error's message (formatted values as ``{}``); a command in backticks
    (`voc review --db …`) dropped: it is a command to run, not a flag of the caller's."""
    parts = []
    for node in [*call.args, *(k.value for k in call.keywords)]:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                parts.append(sub.value)
            elif isinstance(sub, ast.FormattedValue):
                parts.append("{}")
    return re.sub(r"`[^`]*`", "", "".join(parts))


def test_library_errors_name_parameters_not_flags():
    """QA (Python API pass): a library error said 'give it with --text-col' to a caller who has no flags.
    The library names the parameter (``text_col=``) and the error carries it (``params=``); the CLI shows
    its flag (``cli.support.cli_message``)."""
    offences = []
    for module, path, tree in _modules():
        if module.startswith(("voiceofcustomer.cli", *_FLAG_MESSAGES_LEFT)):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")).endswith(
                    "Error"):
                found = re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", _message_text(node))
                if found:
                    offences.append(f"{path.relative_to(ROOT)}:{node.lineno}: {', '.join(found)}")
    assert not offences, "\n".join(offences)

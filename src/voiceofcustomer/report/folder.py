"""Output folders written as one piece: ``voc analyze``, ``voc freq``, ``voc themes``, ``voc gap``,
``voc audit``, ``voc survey``.

A command whose output is a folder of files builds the new files in a temporary folder
beside the target (``.NAME.PID-XXXXXXXX.voc-tmp``, the temporary name of
:mod:`voiceofcustomer.io.writers`) and puts them in place only once every file is written.
A run that fails or is interrupted (Ctrl-C) before that leaves the target exactly as it
was: absent, or the earlier complete output. Temporary folders of killed runs are removed
by the next run to the same target.

Putting the new files in place (:meth:`OutputFolder.__exit__`):

- **The target is absent, or holds nothing but what this command wrote there last time**:
  the folders are swapped — the old one renamed aside, the new one renamed in, the old one
  removed — so whoever reads the target sees the old output or the new one, never a mix.
- **The target also holds files this command did not write** (the user's own notes, another
  command's outputs, or it is the current folder): those are never moved, replaced or
  deleted. The new files are renamed in one by one, then the files this command wrote there
  last time and this run did not write are removed (stale ``by_<column>.csv`` of an earlier
  ``--by``).

A Ctrl-C (or SIGTERM, under ``voc``) that comes during those renames (milliseconds) waits for
them: the run then stops with the new output whole in place, and the ``KeyboardInterrupt``
names it (``outputs_written``). Every output is therefore either whole or not written. The
holding and the swap are :mod:`voiceofcustomer.io.writers`' (``hold_interrupts``, ``deliver_held``,
``swap_folders``), which ``atomic_dir`` (a model, a curated theme set) and ``replace_folder`` (the
dataset of ``voc tag --engine dask``) use too.

Either way the folder then holds exactly one run's files of this command, plus whatever
else was there. What each command wrote is recorded in ``.voc-outputs.json`` in the folder
(one list per command): only files on that list are ever removed. A folder written before
the record existed is recognised by the command's own file names (``legacy``).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from voiceofcustomer.errors import InputError
from voiceofcustomer.io.writers import (atomic_path, deliver_held, hold_interrupts, remove_stale_temporaries,
                                        swap_folders, temp_sibling)

__all__ = ["OutputFolder", "MANIFEST", "check_output_folder", "check_output_file", "user_path"]

MANIFEST = ".voc-outputs.json"
_TMP_NAME = re.compile(r"^\.(?P<name>.+)\.\d+-[0-9a-f]{8}\.voc-tmp$")
_PARTIAL = re.compile(r"^\.(?P<name>.+)\.partial$")


# -- checks with one-line messages ---------------------------------------------------------------
def _check_parents(path: Path) -> None:
    for parent in path.parents:  # nearest first: the first one that exists must be a folder
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"{parent}: is a file, not a folder; choose another -o")
            return


def check_output_folder(path: str | Path) -> None:
    """Raise :class:`InputError` naming the user's path when ``path`` cannot be an output folder."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(f"{path}: is a file, not a folder; choose another -o (a folder for the outputs)")
    _check_parents(path)


def check_output_file(path: str | Path, *, example: str = "out.csv") -> None:
    """Raise :class:`InputError` naming the user's path when ``path`` cannot be an output file
    (an existing folder, or a file where a folder of the path should be)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name for -o (e.g. {path / example})")
    _check_parents(path)


def user_path(filename: str | os.PathLike) -> str:
    """The path the user gave for one of our temporaries (``.x.csv.123-abcd0123.voc-tmp`` → ``x.csv``,
    ``.x.csv.partial/joined.csv.tmp`` → ``x.csv``); other paths unchanged. For error messages."""
    p = Path(filename)
    for i, part in enumerate(p.parts):
        m = _TMP_NAME.match(part) or _PARTIAL.match(part)
        if m:
            return str(Path(*p.parts[:i], m.group("name")))
    return str(filename)


# -- the record of what each command wrote ---------------------------------------------------------
def _safe(rel: str) -> bool:
    p = PurePosixPath(rel)
    return bool(rel) and not p.is_absolute() and ".." not in p.parts and p.parts[0] != MANIFEST


def _read_record(folder: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): [r for r in v if isinstance(r, str) and _safe(r)] for k, v in data.items() if isinstance(v, list)}


def _files(folder: Path) -> list[str]:
    """Every file (and symlink) under ``folder``, as relative POSIX paths."""
    out = []
    for root, dirs, names in os.walk(folder):
        rel_root = Path(root).relative_to(folder)
        for d in list(dirs):
            if os.path.islink(os.path.join(root, d)):
                dirs.remove(d)
                names.append(d)
        out += [(rel_root / n).as_posix() for n in names]
    return sorted(out)


def _parent_dirs(rels: Iterable[str]) -> set[str]:
    return {p.as_posix() for r in rels for p in PurePosixPath(r).parents if p.as_posix() != "."}


def _has_foreign(folder: Path, owned: set[str]) -> bool:
    """Whether ``folder`` holds anything not in ``owned`` (besides the record and our temporaries)."""
    owned_dirs = _parent_dirs(owned)
    for root, dirs, names in os.walk(folder):
        rel_root = Path(root).relative_to(folder)
        for d in dirs:
            rel = (rel_root / d).as_posix()
            if os.path.islink(os.path.join(root, d)):
                if rel not in owned:
                    return True
            elif rel not in owned_dirs and not _TMP_NAME.match(d):
                return True
        dirs[:] = [d for d in dirs if (rel_root / d).as_posix() in owned_dirs
                   and not os.path.islink(os.path.join(root, d))]
        for n in names:
            rel = (rel_root / n).as_posix()
            if rel not in owned and rel != MANIFEST and not _TMP_NAME.match(n):
                return True
    return False


def _is_cwd_or_above(path: Path) -> bool:
    try:
        here, target = Path.cwd().resolve(), path.resolve()
    except OSError:
        return True
    return here == target or target in here.parents


def _move(src: Path, dst: Path) -> None:
    try:
        os.replace(src, dst)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        with atomic_path(dst) as tmp:  # another file system (a mount inside the target)
            shutil.copy2(src, tmp)


class OutputFolder:
    """Context manager: a temporary folder to write into, put in place as ``target`` on success.

    Usage::

        with OutputFolder("freq_out", "freq") as build:
            write_table(table, build / "overall.csv")
        # freq_out/ now holds this run's files (and the user's own, untouched)

    Args:
        target: the output folder the user named.
        command: whose files these are in the folder's record (``"freq"``, ``"themes"`` …).
        legacy: for a folder without a record (written by an earlier version), the relative
            paths of the files this command wrote there.

    On any exception inside the block (Ctrl-C included) the temporary folder is removed and
    ``target`` is left as it was; a Ctrl-C while the files are put in place is raised once they
    are, with ``outputs_written = [target]``. :meth:`final` maps a path inside the temporary folder to
    where it ends up.
    """

    def __init__(self, target: str | Path, command: str, *,
                 legacy: Callable[[Path], Iterable[str]] | None = None):
        self.target = Path(target)
        self.command = command
        self.legacy = legacy
        self.build: Path | None = None

    def final(self, path: str | Path) -> Path:
        """Where ``path`` (inside the temporary folder) is once the folder is in place."""
        return self.target / Path(path).relative_to(self.build)

    def __enter__(self) -> Path:
        check_output_folder(self.target)
        parent = self.target.parent
        self._created = [p for p in [parent, *parent.parents] if not p.exists()]  # deepest first
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.target)
        self.build = temp_sibling(self.target)
        self.build.mkdir(mode=0o700)
        return self.build

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self._discard()
            return False
        self._caught: list[int] = []  # Ctrl-C or SIGTERM during the renames, delivered after them
        try:
            self._commit()
        except BaseException:
            self._discard()
            raise
        deliver_held(self._caught, self.target)
        return False

    def _discard(self) -> None:
        shutil.rmtree(self.build, ignore_errors=True)
        for d in self._created:
            try:
                d.rmdir()  # only while empty
            except OSError:
                break

    # -- putting the new files in place ------------------------------------------------------
    def _commit(self) -> None:
        target, build = self.target, self.build
        new = [r for r in _files(build) if r != MANIFEST]
        record = _read_record(target) if target.is_dir() else {}
        if self.command in record:
            owned = set(record[self.command])
        elif self.legacy is not None and target.is_dir():
            owned = {r for r in self.legacy(target) if _safe(r)}
        else:
            owned = set()
        record[self.command] = new
        (build / MANIFEST).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        umask = os.umask(0)
        os.umask(umask)
        if not target.exists() and not target.is_symlink():
            os.chmod(build, 0o777 & ~umask)
            with hold_interrupts(self._caught):
                os.rename(build, target)
            return
        if not target.is_symlink() and not _is_cwd_or_above(target) and not _has_foreign(target, owned):
            if self._swap(target, build):
                return
        self._in_place(target, build, new, owned)

    def _swap(self, target: Path, build: Path) -> bool:
        """Swap the folders; False (nothing changed) when the target cannot be renamed (a mount point)."""
        mode = target.stat().st_mode & 0o7777
        os.chmod(build, mode)
        return swap_folders(build, target, self._caught)

    def _in_place(self, target: Path, build: Path, new: list[str], owned: set[str]) -> None:
        for rel in [*new, MANIFEST]:  # anything in the way: say so before moving a single file
            dst = target / rel
            for anc in reversed(PurePosixPath(rel).parents):
                a = target / anc
                if anc.as_posix() != "." and a.exists() and not a.is_dir():
                    raise InputError(f"{a}: a file is where the output folder {anc.name}/ goes; move it or "
                                     "choose another -o")
            if dst.is_dir() and not dst.is_symlink():
                raise InputError(f"{dst}: a folder is where the output file {dst.name} goes; move it or "
                                 "choose another -o")
        stale = sorted(owned - set(new))
        with hold_interrupts(self._caught):
            for rel in [*new, MANIFEST]:
                dst = target / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                _move(build / rel, dst)
            for rel in stale:
                p = target / rel
                if p.is_symlink() or p.is_file():
                    try:
                        p.unlink()
                    except OSError:
                        pass
            for d in sorted(_parent_dirs(stale), key=lambda r: -r.count("/")):
                try:
                    (target / d).rmdir()  # a folder of ours left empty
                except OSError:
                    pass
            shutil.rmtree(build, ignore_errors=True)

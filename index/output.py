"""Writing an export file: never onto Glossator's own files, never half a file.

``check_target`` refuses a path that is the notes file (or its ``-wal``/``-shm`` journal, or a
backup or set-aside copy of it), or anything inside Glossator's data or cache folders (the index,
the state, the themes), or a file already in the library's folder, whatever name or link leads
there. ``write_atomically`` writes a
temporary file beside the target and renames it into place, so a failure leaves the target as it
was (and a reader never sees half an export).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from . import paths

__all__ = ["OutputRefused", "check_target", "write_atomically"]


class OutputRefused(ValueError):
    """The export would overwrite one of Glossator's own files."""


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def check_target(
    target: Path,
    notes_file: Path | None = None,
    extra: Iterable[Path] = (),
    library: Path | None = None,
) -> None:
    """Raise OutputRefused if writing ``target`` would overwrite Glossator's own files, or a
    file already in the ``library`` folder (an article, whose notes would lose their text, or
    the library's themes)."""
    resolved = Path(os.path.realpath(target))
    if library is not None and resolved.exists():
        folder = Path(os.path.realpath(library))
        if _inside(resolved, folder):
            raise OutputRefused(
                f"will not write {target}: it is a file of the library {folder} (an article, "
                "or its themes); choose another file"
            )
    own = [Path(os.path.realpath(paths.data_dir())), Path(os.path.realpath(paths.cache_dir()))]
    own += [Path(os.path.realpath(p)) for p in extra]
    for folder in own:
        if _inside(resolved, folder):
            raise OutputRefused(
                f"will not write {target}: it is inside Glossator's own folder {folder} "
                "(notes, index and state live there); choose another file"
            )
    if notes_file is not None:
        notes = Path(os.path.realpath(notes_file))
        if resolved.parent == notes.parent and resolved.name.startswith(notes.name):
            raise OutputRefused(f"will not write {target}: it is the notes file {notes_file}")
        with contextlib.suppress(OSError):
            if resolved.exists() and os.path.samefile(resolved, notes):
                raise OutputRefused(f"will not write {target}: it is the notes file {notes_file}")


def write_atomically(target: Path, write: Callable[[Path], None], mode: int = 0o600) -> None:
    """Call ``write(temporary path)``, then rename the file written over ``target``."""
    folder = target.parent if str(target.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f"{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, mode)
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise

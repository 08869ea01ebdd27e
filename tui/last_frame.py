"""The last frame: the terminal's picture of the main screen as the app left it, shown again the
moment the next start begins, before Textual is even imported.

Each time the start-up snapshot is written (a moment after the position, the article or the notes
change) and when the app quits (``q``, ctrl+q, SIGTERM, or SIGHUP when the terminal closes),
with the main screen in front and nothing over it (no dialog, no notification), the frame it
painted last is kept beside the snapshot, so that a run killed outright leaves one too
(``<cache>/glossator/snapshot/<key>.frame``): a line of JSON saying for which terminal it was
made (size, ``TERM``, ``COLORTERM``, ``NO_COLOR``) and which snapshot it goes with (the size and
SHA-256 of the snapshot file as it was then), then the bytes the terminal was sent. The next
start in the same terminal, with that very snapshot still there, writes those bytes at once: the
article list, the article and the reading position, exactly as they were. Textual then starts
and paints the first screen (``screens/first.py``) over it, and the main screen after that, each
showing the same.

A frame is only a picture: nothing is read from it, and whatever does not match (another size,
another terminal, a snapshot changed since, an unreadable or damaged file) means no frame, and
the start goes on as without one. Nothing here imports Textual:
``show`` runs before it is imported; ``keep`` is handed the frame by the app.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

FRAME_VERSION = 1
SUFFIX = ".frame"
SNAPSHOT_FOLDER = "snapshot"  # tui.snapshot.FOLDER, under the cache folder
MAX_BYTES = 2 * 1024 * 1024  # a larger frame was not written here: not shown
ENVIRONMENT = ("TERM", "COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM")
ENTER = "\x1b[?1049h\x1b[?25l"  # the alternate screen, cursor hidden: as Textual starts
LEAVE = "\x1b[?1049l\x1b[?25h"  # back to the shell's screen, cursor shown


def path_for(snapshot_path: Path) -> Path:
    return snapshot_path.with_suffix(SUFFIX)


def snapshot_path(folder: Path | None) -> Path:
    """Where the start-up snapshot of the library in ``folder`` (the seeds when None) is kept,
    as ``tui.snapshot.path_for`` has it, found without importing the snapshot's reader."""
    from glossator.index import paths

    resolved = (folder or paths.seeds_dir()).expanduser().resolve()
    return paths.cache_dir() / SNAPSHOT_FOLDER / f"{paths.library_key(resolved)}.json"


def _environment() -> dict[str, str | None]:
    """The variables the frame's colours and codes depend on."""
    return {name: os.environ.get(name) for name in ENVIRONMENT}


def _terminal() -> dict[str, object] | None:
    """The terminal this process writes to: its size and the variables its colours depend on;
    None when standard output is not a terminal."""
    try:
        if not os.isatty(1):
            return None
        size = os.get_terminal_size(1)
    except OSError:
        return None
    return {"size": [size.columns, size.lines], "env": _environment()}


def _identity(path: Path) -> list[object] | None:
    """The snapshot's size and the SHA-256 of its bytes (a few hundred KB at most)."""
    import hashlib

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    return [len(data), hashlib.sha256(data).hexdigest()]


def keep(snapshot_path: Path, frame: str, size: tuple[int, int]) -> bool:
    """Keep ``frame`` (what the terminal was sent to paint the whole screen, of ``size``: columns,
    rows) for the snapshot in ``snapshot_path``, written just before; False when it could not be
    kept (then no frame of that snapshot is left either)."""
    target = path_for(snapshot_path)
    identity = _identity(snapshot_path)
    if identity is None:
        discard(snapshot_path)
        return False
    head = {
        "version": FRAME_VERSION,
        "snapshot": identity,
        "size": list(size),
        "env": _environment(),
    }
    data = (json.dumps(head) + "\n" + frame).encode("utf-8", "surrogateescape")
    if len(data) > MAX_BYTES:
        discard(snapshot_path)
        return False
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        discard(snapshot_path)
        return False
    return True


def discard(snapshot_path: Path) -> None:
    try:
        path_for(snapshot_path).unlink()
    except OSError:
        pass


def load(snapshot_path: Path, terminal: dict[str, object] | None = None) -> str | None:
    """The frame kept with the snapshot in ``snapshot_path``, when it is for this very terminal
    (``terminal``: its size and variables, those of standard output when None) and that
    snapshot has not changed since; else None."""
    terminal = terminal or _terminal()
    if terminal is None:
        return None
    try:
        with open(path_for(snapshot_path), "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError:
        return None
    head, newline, body = raw.partition(b"\n")
    if not newline or len(raw) > MAX_BYTES:
        return None
    try:
        meta = json.loads(head)
    except (ValueError, RecursionError):
        return None
    if (
        not isinstance(meta, dict)
        or meta.get("version") != FRAME_VERSION
        or meta.get("size") != terminal["size"]
        or meta.get("env") != terminal["env"]
        or meta.get("snapshot") != _identity(snapshot_path)
    ):
        return None
    return body.decode("utf-8", "surrogateescape")


def show(snapshot_path: Path) -> bool:
    """Paint the kept frame of this snapshot on the terminal now, if there is one for it;
    whether it was painted (the caller calls ``undo`` if the app then never starts). A frame
    is shown once: it is gone afterwards, and the run keeps its own with its first snapshot."""
    frame = load(snapshot_path)
    discard(snapshot_path)
    if frame is None:
        return False
    try:
        sys.stdout.flush()
        data = (ENTER + "\x1b[H" + frame).encode("utf-8", "surrogateescape")
        while data:
            data = data[os.write(1, data) :]
    except OSError:
        return False
    return True


def undo() -> None:
    """The shell's screen back, for a start that painted a frame and then did not start the app."""
    try:
        os.write(1, LEAVE.encode())
    except OSError:
        pass

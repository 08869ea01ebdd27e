"""The reading app's small state file: where the reader was, earlier searches, the colour theme.

One JSON file in the data directory (``paths.data_dir()`` unless the app is given another). It is
written atomically (a temporary file beside it, then a rename). A missing file gives the defaults;
a file that cannot be read or has mistakes gives the defaults for what cannot be used, and
``StateStore.problem`` says what was wrong, naming the file and the line (or the key). Such a file
is never overwritten: it is moved aside to ``tui-state.json.broken`` before anything is saved.

What is read and kept is bounded: a file over ``MAX_STATE_BYTES`` is not read (it is treated as
broken, said and moved aside), nor one nested too deep to parse; at most ``HISTORY_LIMIT``
searches of ``MAX_QUERY_CHARS`` each and ``POSITIONS_LIMIT`` reading positions are kept, the
oldest dropped first.

Nothing here imports Textual; loading and saving are plain blocking calls that the app runs in
worker threads.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "tui-state.json"
BROKEN_SUFFIX = ".broken"
UNREADABLE = object()  # a state file that exists but cannot be read
STATE_VERSION = 1
HISTORY_LIMIT = 100
MAX_QUERY_CHARS = 1000  # a longer search is unusable anyway (the engine refuses it)
POSITIONS_LIMIT = 200  # reading positions, one per library: the least recently read go first
MAX_ID_CHARS = 1000  # an article id or a library key longer than this is not one of ours
# The file holds about 100 searches and 200 positions: some 100 KB at most. One larger than
# this was not written by Glossator, and reading it whole cost seconds and gigabytes.
MAX_STATE_BYTES = 1024 * 1024


@dataclass(slots=True)
class Position:
    article: str
    sentence: int = 0


@dataclass(slots=True)
class AppState:
    """What the app remembers between runs."""

    theme: str | None = None
    history: list[str] = field(default_factory=list)  # oldest first
    positions: dict[str, Position] = field(default_factory=dict)  # by library key

    def remember_search(self, query: str) -> None:
        query = query.strip()
        if not query or len(query) > MAX_QUERY_CHARS:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        del self.history[:-HISTORY_LIMIT]

    def remember_position(self, key: str, article: str, sentence: int) -> None:
        """Where the reader is in library ``key``: it becomes the most recent position, and the
        oldest beyond ``POSITIONS_LIMIT`` are forgotten."""
        self.positions.pop(key, None)
        self.positions[key] = Position(article, sentence)
        _keep_last(self.positions, POSITIONS_LIMIT)

    def to_json(self) -> dict[str, Any]:
        kept = list(self.positions.items())[-POSITIONS_LIMIT:]  # oldest first, newest last
        return {
            "version": STATE_VERSION,
            "theme": self.theme,
            "history": list(self.history[-HISTORY_LIMIT:]),
            "positions": {key: {"article": p.article, "sentence": p.sentence} for key, p in kept},
        }

    @classmethod
    def from_json(cls, data: object, problems: list[tuple[str, str]] | None = None) -> AppState:
        """Whatever can be used from ``data``; anything malformed is left at its default.

        What was left out is told in ``problems`` (when given): (the key it is under, what).
        """
        state = cls()
        told = problems if problems is not None else []
        if not isinstance(data, dict):
            told.append(("", f"the file holds {_kind(data)}, not an object of settings"))
            return state
        theme = data.get("theme")
        if isinstance(theme, str) and theme:
            state.theme = theme
        elif theme is not None:
            told.append(("theme", f'"theme" should be a colour theme\'s name, not {_kind(theme)}'))
        history = data.get("history")
        if isinstance(history, list):
            kept = [
                h for h in history if isinstance(h, str) and h.strip() and len(h) <= MAX_QUERY_CHARS
            ]
            state.history = kept[-HISTORY_LIMIT:]
            bad = sum(1 for h in history if not isinstance(h, str))
            if bad:
                what = f"{bad} entr{'y' if bad == 1 else 'ies'}"
                told.append(("history", f'"history": {what} not text, left out'))
        elif history is not None:
            told.append(
                ("history", f'"history" should be a list of searches, not {_kind(history)}')
            )
        positions = data.get("positions")
        if isinstance(positions, dict):
            for key, value in positions.items():
                article = value.get("article") if isinstance(value, dict) else None
                sentence = value.get("sentence", 0) if isinstance(value, dict) else None
                if (
                    isinstance(article, str)
                    and type(sentence) is int
                    and sentence >= 0
                    and len(article) <= MAX_ID_CHARS
                    and len(key) <= MAX_ID_CHARS
                ):
                    state.positions[key] = Position(article, sentence)
                else:
                    name = json.dumps(key, ensure_ascii=False)
                    told.append(
                        (
                            key,
                            f'"positions": {name[:60]} should have an article and a sentence '
                            "number; left out",
                        )
                    )
        elif positions is not None:
            told.append(("positions", f'"positions" should be an object, not {_kind(positions)}'))
        _keep_last(state.positions, POSITIONS_LIMIT)  # the file lists the oldest first
        return state

    def copy(self) -> AppState:
        return AppState.from_json(self.to_json())


def _keep_last(positions: dict[str, Position], limit: int) -> None:
    """Drop the oldest entries (first in the dict) beyond ``limit``."""
    for key in list(positions)[: max(0, len(positions) - limit)]:
        del positions[key]


def _fingerprint(st: os.stat_result) -> tuple[int, int, int, int]:
    """The file as it was when loaded, to tell later whether it is still that one."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    name = {
        bool: "true or false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }
    return name.get(type(value), type(value).__name__)


def _line_of(raw: str, key: str) -> int | None:
    """The line where ``"key"`` is first written as a key in ``raw``, if it is."""
    match = re.search(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", raw)
    return raw.count("\n", 0, match.start()) + 1 if match else None


class StateStore:
    """Reads and writes the state file. Safe to call from several threads.

    After ``load``, ``problem`` says what was wrong with the file (None when it was sound or
    missing). A file with a problem is moved aside by ``set_aside`` (or by the first ``save``,
    whichever comes first), never overwritten.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / STATE_FILE
        self.problem: str | None = None
        self.partly = False  # the problem is with some values; the others were used
        self.broken_path: Path | None = None  # where the broken file was moved
        # the broken file as loaded (device, inode, size, time; or UNREADABLE), until it is
        # moved aside
        self._broken: tuple[int, int, int, int] | object | None = None
        self._lock = threading.Lock()
        self._written = -1  # the generation last written, so an older snapshot never wins

    def load(self) -> AppState:
        self.problem, self._broken, self.partly = None, None, False
        try:
            with open(self.path, "rb") as fh:
                st = os.fstat(fh.fileno())
                data = fh.read(MAX_STATE_BYTES + 1)
        except FileNotFoundError:
            return AppState()
        except OSError as exc:
            self.problem = f"{self.path} cannot be read: {exc.strerror or exc}"
            try:
                self._broken = _fingerprint(os.stat(self.path))
            except OSError:
                self._broken = UNREADABLE
            return AppState()
        if len(data) > MAX_STATE_BYTES:
            size = max(st.st_size, len(data)) / (1024 * 1024)
            self.problem = (
                f"{self.path} is too large to be Glossator's ({size:,.1f} MB; it writes at most "
                f"{MAX_STATE_BYTES // (1024 * 1024)} MB)"
            )
            self._broken = _fingerprint(st)
            return AppState()
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.problem = f"{self.path}, line {line}: not UTF-8 text (byte {exc.start + 1})"
            self._broken = _fingerprint(st)
            return AppState()
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError as exc:
            self.problem = f"{self.path}, line {exc.lineno}, column {exc.colno}: {exc.msg}"
            self._broken = _fingerprint(st)
            return AppState()
        except ValueError as exc:  # e.g. a number too long to read
            self.problem = f"{self.path}: {exc}"
            self._broken = _fingerprint(st)
            return AppState()
        except RecursionError:  # brackets inside brackets, hundreds deep
            self.problem = f"{self.path}: nested too deeply to be read (not a file Glossator wrote)"
            self._broken = _fingerprint(st)
            return AppState()
        problems: list[tuple[str, str]] = []
        state = AppState.from_json(parsed, problems)
        if problems:
            told = []
            for key, problem in problems[:3]:
                at = _line_of(raw, key) if key else None
                told.append(f"line {at}: {problem}" if at else problem)
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            self.problem = f"{self.path}, " + "; ".join(told) + more
            self.partly = isinstance(parsed, dict)
            self._broken = _fingerprint(st)
        return state

    def set_aside(self) -> Path | None:
        """Move the broken file (as it was loaded) to ``tui-state.json.broken`` beside it.

        Returns where it is now (None when there was nothing to move, or the file had since
        been replaced by a sound one). Raises OSError when it cannot be moved.
        """
        with self._lock:
            self._set_aside()
            return self.broken_path

    def _set_aside(self) -> None:
        if self._broken is None:
            return
        try:
            now: tuple[int, int, int, int] | object | None = _fingerprint(os.stat(self.path))
        except FileNotFoundError:
            now = None
        except OSError:
            now = UNREADABLE if self.path.exists() else None
        if now != self._broken:  # gone, or rewritten by someone else: nothing of ours to keep
            self._broken = None
            return
        target = self.path.with_name(STATE_FILE + BROKEN_SUFFIX)
        n = 1
        while target.exists():  # an earlier broken file is kept too
            n += 1
            target = self.path.with_name(f"{STATE_FILE}{BROKEN_SUFFIX}-{n}")
        os.replace(self.path, target)
        self.broken_path = target
        self._broken = None

    def save(self, state: AppState, generation: int = 0) -> bool:
        """Write ``state`` atomically; False when a newer generation was already written.

        A broken file found by ``load`` is moved aside first; while it cannot be, nothing is
        written (False). Raises OSError when the directory cannot be written.
        """
        text = json.dumps(state.to_json(), ensure_ascii=False, indent=1)
        with self._lock:
            if generation < self._written:
                return False
            try:
                self._set_aside()
            except OSError:
                return False  # the broken file stays as it is; set_aside says why
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tui-state-", suffix=".tmp", dir=self.directory)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
            self._written = generation
            return True

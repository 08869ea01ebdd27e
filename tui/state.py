"""The reading app's small state file: where the reader was, earlier searches, the colour theme.

One JSON file in the data directory (``paths.data_dir()`` unless the app is given another). It is
written atomically (a temporary file beside it, then a rename), and a missing, unreadable or
malformed file simply gives the defaults: losing this file must never stop the app.

Nothing here imports Textual; loading and saving are plain blocking calls that the app runs in
worker threads.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "tui-state.json"
STATE_VERSION = 1
HISTORY_LIMIT = 100


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
        if not query:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        del self.history[:-HISTORY_LIMIT]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "theme": self.theme,
            "history": list(self.history),
            "positions": {
                key: {"article": p.article, "sentence": p.sentence}
                for key, p in self.positions.items()
            },
        }

    @classmethod
    def from_json(cls, data: object) -> AppState:
        """Whatever can be used from ``data``; anything malformed is left at its default."""
        state = cls()
        if not isinstance(data, dict):
            return state
        theme = data.get("theme")
        if isinstance(theme, str) and theme:
            state.theme = theme
        history = data.get("history")
        if isinstance(history, list):
            state.history = [h for h in history if isinstance(h, str) and h.strip()][
                -HISTORY_LIMIT:
            ]
        positions = data.get("positions")
        if isinstance(positions, dict):
            for key, value in positions.items():
                if not (isinstance(key, str) and isinstance(value, dict)):
                    continue
                article = value.get("article")
                sentence = value.get("sentence", 0)
                if isinstance(article, str) and isinstance(sentence, int) and sentence >= 0:
                    state.positions[key] = Position(article, sentence)
        return state

    def copy(self) -> AppState:
        return AppState.from_json(self.to_json())


class StateStore:
    """Reads and writes the state file. Safe to call from several threads."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / STATE_FILE
        self._lock = threading.Lock()
        self._written = -1  # the generation last written, so an older snapshot never wins

    def load(self) -> AppState:
        try:
            raw = self.path.read_text("utf-8")
        except (OSError, ValueError):  # missing, unreadable, or not UTF-8
            return AppState()
        try:
            return AppState.from_json(json.loads(raw))
        except ValueError:
            return AppState()

    def save(self, state: AppState, generation: int = 0) -> bool:
        """Write ``state`` atomically; False when a newer generation was already written.

        Raises OSError when the directory cannot be written.
        """
        text = json.dumps(state.to_json(), ensure_ascii=False, indent=1)
        with self._lock:
            if generation < self._written:
                return False
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

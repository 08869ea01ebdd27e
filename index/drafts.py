"""Drafts: the text of a note while it is being typed, kept on disk so that nothing typed is lost
when the terminal closes, the process is killed or the machine stops.

One small JSON file per open editor in ``<data dir>/drafts/``, written atomically (a temporary
file beside it, flushed to disk, then renamed over the old one), so a draft on disk is always a
whole one: the one before the last write, or the last. The file names the process that writes it;
a draft whose process is gone is one to offer back on the next start, on its sentence (found
again by its quote, as notes are). A draft is removed once its note is saved or given up.

Plain blocking calls, safe from any thread; the app runs them in workers.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FOLDER = "drafts"
MAX_BYTES = 16 * 1024 * 1024  # a draft file larger than this is not read back


@dataclass(frozen=True, slots=True)
class Draft:
    """A note being written about sentences ``first``..``last`` (ids) of an article."""

    library: str
    article_id: str
    first: int
    last: int
    quote: str  # the sentences' text when the editor opened: with the context and offsets
    prefix: str = ""  # after it, finds them again as a note's selector does
    suffix: str = ""
    start: int = 0
    end: int = 0
    text: str = ""
    note_id: str | None = None  # the note being edited; None for a new note
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    pid: int = field(default_factory=os.getpid)
    started: str = field(default_factory=lambda: _started(os.getpid()))
    updated: str = ""

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())


def _started(pid: int) -> str:
    """When process ``pid`` started, where the system says (Linux): with the boot's id, so a
    number reused by a later process, or after a restart, is not taken for the writer."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        stat = Path(f"/proc/{pid}/stat").read_text()
        return f"{boot}:{stat.rsplit(')', 1)[1].split()[19]}"
    except (OSError, IndexError):
        return ""


def _alive(pid: int, started: str = "") -> bool:
    if pid == os.getpid():
        return True
    if started and _started(pid) != started:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Ended (killed, say) but not yet reaped by its parent: gone, though its number stays."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _from_json(data: Any) -> Draft | None:
    if not isinstance(data, dict):
        return None
    try:
        uuid.UUID(str(data.get("id")))
    except ValueError:
        return None
    try:
        draft = Draft(
            library=data["library"],
            article_id=data["article_id"],
            first=data["first"],
            last=data["last"],
            quote=data["quote"],
            prefix=data.get("prefix", ""),
            suffix=data.get("suffix", ""),
            start=data.get("start", 0),
            end=data.get("end", 0),
            text=data["text"],
            note_id=data.get("note_id"),
            id=data["id"],
            pid=data["pid"],
            started=data.get("started", ""),
            updated=data.get("updated", ""),
        )
    except (KeyError, TypeError):
        return None
    texts = [draft.library, draft.article_id, draft.quote, draft.prefix, draft.suffix]
    texts += [draft.text, draft.id, draft.started, draft.updated]
    numbers = (draft.first, draft.last, draft.pid, draft.start, draft.end)
    if not all(isinstance(t, str) for t in texts) or not all(type(n) is int for n in numbers):
        return None
    if draft.note_id is not None and not isinstance(draft.note_id, str):
        return None
    return draft


class DraftStore:
    """The drafts folder inside ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / FOLDER

    def _path(self, draft_id: str) -> Path:
        return self.folder / f"{uuid.UUID(draft_id)}.json"  # a uuid: never a path of its own

    def save(self, draft: Draft) -> Draft:
        """Write ``draft`` atomically (creating the folder, private to its owner)."""
        saved = Draft(**{**asdict(draft), "updated": datetime.now(UTC).isoformat()})
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps(asdict(saved))  # \u escapes: a lone surrogate pasted in is kept too
        fd, tmp = tempfile.mkstemp(prefix=".draft-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self._path(saved.id))
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return saved

    def discard(self, draft_id: str) -> None:
        try:
            self._path(draft_id).unlink()
        except FileNotFoundError:
            pass

    def all(self) -> list[Draft]:
        """Every readable draft, oldest first (an unreadable file is left where it is)."""
        found: list[Draft] = []
        try:
            paths = sorted(self.folder.glob("*.json"))
        except OSError:
            return []
        for path in paths:
            try:
                if path.stat().st_size > MAX_BYTES:
                    continue
                draft = _from_json(json.loads(path.read_text("utf-8")))
            except (OSError, ValueError, RecursionError):
                continue
            if draft is not None and path.name == self._path(draft.id).name:
                found.append(draft)
        return sorted(found, key=lambda d: d.updated)

    def left_behind(self, library: str) -> list[Draft]:
        """The drafts of ``library`` whose process is gone: typed, never saved nor given up."""
        return [d for d in self.all() if d.library == library and not _alive(d.pid, d.started)]

    def adopt(self, draft: Draft) -> Draft:
        """Take a left-behind draft over: this process now writes it."""
        mine = {"pid": os.getpid(), "started": _started(os.getpid())}
        return self.save(Draft(**{**asdict(draft), **mine}))

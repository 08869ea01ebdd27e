"""Where things live: the bundled seed library, the cache (index) and data (notes, state) folders.

platformdirs finds the user's folders, so XDG_CACHE_HOME and XDG_DATA_HOME move them.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import platformdirs

APP_NAME = "glossator"


def seeds_dir() -> Path:
    """The seed articles: inside the installed package, or the repository's seeds/ folder."""
    here = Path(__file__).resolve().parent
    installed = here / "_seeds"
    if installed.is_dir():
        return installed
    return here.parent / "seeds"


def cache_dir() -> Path:
    return platformdirs.user_cache_path(APP_NAME)


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME)


def library_key(folder: Path) -> str:
    """A stable, readable folder name for one library: its name plus a hash of its full path."""
    resolved = str(folder.resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", folder.resolve().name)[:40] or "library"
    return f"{name}-{digest}"

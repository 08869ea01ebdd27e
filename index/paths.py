"""Where things live: the bundled seed library, the cache (index) and data (notes, state) folders.

platformdirs finds the user's folders, so XDG_CACHE_HOME and XDG_DATA_HOME move them.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
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


def temporary_cache_dir() -> Path:
    """A cache folder in the system's temporary folder, for when the user's cannot be written.

    ``glossator-<uid>`` there, made readable by its owner only and used only if it is a folder
    of this user's, not a link, that nobody else can write (an index holds pickled data: one
    left by another user must never be read); otherwise a new private folder for this process.
    """
    getuid = getattr(os, "getuid", None)
    uid = getuid() if getuid is not None else None
    base = Path(tempfile.gettempdir()) / f"{APP_NAME}-{uid if uid is not None else 'user'}"
    try:
        base.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(base)
        if (
            stat.S_ISDIR(st.st_mode)
            and (uid is None or st.st_uid == uid)
            and not st.st_mode & 0o077
        ):
            return base
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix=f"{APP_NAME}-"))


def library_key(folder: Path) -> str:
    """A stable, readable folder name for one library: its name plus a hash of its full path."""
    resolved = str(folder.resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", folder.resolve().name)[:40] or "library"
    return f"{name}-{digest}"

"""The reading app's widgets, one concern per module.

The names below are imported when first asked for (PEP 562), so importing one widget module
(the reader, for the first screen) does not import them all."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .overview import Overview
    from .reader import Reader
    from .reader_nav import ViewMap
    from .results import ResultsList
    from .search_bar import SearchBar
    from .sidebar import Sidebar
    from .status import StatusLine

_WHERE = {
    "Overview": "overview",
    "Reader": "reader",
    "ViewMap": "reader_nav",
    "ResultsList": "results",
    "SearchBar": "search_bar",
    "Sidebar": "sidebar",
    "StatusLine": "status",
}

__all__ = ["Overview", "Reader", "ResultsList", "SearchBar", "Sidebar", "StatusLine", "ViewMap"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)

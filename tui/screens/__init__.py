"""The reading app's screens (imported when first asked for, PEP 562: the first screen drawn
from the start-up snapshot needs none of the main screen's modules)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .help import HelpScreen
    from .main import MainScreen

_WHERE = {"HelpScreen": "help", "MainScreen": "main"}

__all__ = ["HelpScreen", "MainScreen"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)

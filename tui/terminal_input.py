"""Keys typed ahead are read as they were typed, escape included.

A terminal sends Escape as one ESC byte. When the app is busy (opening a dialog on a loaded
machine), the keys typed meanwhile arrive in one read, and Textual's parser (pinned 8.x) takes
ESC and what follows for the start of an escape sequence: ESC G ] j j ? ESC j came out as
"^ G ] j j ?" and then alt+j: the first escape became a circumflex and the dialog it was meant to
close stayed open, taking the keys after it.

``EscapeSplittingParser`` reads the same bytes, except that an ESC followed in the same read by
what starts no sequence a terminal sends for a key (CSI with its parameters or a key Textual
knows, SS3 keys, OSC's number; nor one of macOS's option keys Textual maps: ESC b, ESC f, ESC 1…)
is given as the Escape key itself (the kitty keyboard protocol's CSI 27 u, which Textual reads as
escape) before that character. Inside a bracketed paste nothing is changed. (Textual also loses
the escape of ESC ] read at once, as alt+] turned into ], which this avoids.) ``install`` makes
Textual's Linux driver use it; nothing else of Textual changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser

ESC = "\x1b"
ESCAPE_KEY = "\x1b[27u"  # CSI 27 u: the Escape key, in the kitty keyboard protocol
CSI_PARAMETERS = frozenset("0123456789;:<=>?")
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


def split_escapes(data: str, pasting: bool = False) -> tuple[str, bool]:
    """``data`` with each lone ESC before another key made the Escape key; and whether a
    bracketed paste is still open at its end (``pasting``: one was open at its start)."""
    out: list[str] = []
    i, n = 0, len(data)
    while i < n:
        if pasting:
            end = data.find(PASTE_END, i)
            if end < 0:
                out.append(data[i:])
                return "".join(out), True
            out.append(data[i : end + len(PASTE_END)])
            i, pasting = end + len(PASTE_END), False
            continue
        if data.startswith(PASTE_START, i):
            out.append(PASTE_START)
            i, pasting = i + len(PASTE_START), True
            continue
        char = data[i]
        if char == ESC and i + 1 < n and _lone(data, i):
            out.append(ESCAPE_KEY)
            i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out), pasting


def _lone(data: str, i: int) -> bool:
    """Whether the ESC at ``data[i]``, with a character after it, is the Escape key pressed
    before that character rather than the start of a sequence a terminal sends."""
    after = data[i + 1]
    if after == ESC or ESC + after in ANSI_SEQUENCES_KEYS:
        return False  # two escapes, or one of Textual's own (macOS option keys)
    nxt = data[i + 2] if i + 2 < len(data) else ""
    # a read can end inside a sequence (a flood of mouse reports): ESC [ and ESC O at its end
    # stay the start of one
    if after == "[":  # CSI: parameters, or a key Textual knows (ESC [ A is up)
        return not (nxt == "" or nxt in CSI_PARAMETERS or ESC + "[" + nxt in ANSI_SEQUENCES_KEYS)
    if after == "O":  # SS3: the keys Textual knows (ESC O P is F1)
        return not (nxt == "" or ESC + "O" + nxt in ANSI_SEQUENCES_KEYS)
    if after == "]":  # OSC (a number first), never split across reads as keys may be
        return not nxt.isdigit()
    return True


class EscapeSplittingParser(XTermParser):
    """Textual's parser, given each read with its lone escapes made plain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pasting = False

    def feed(self, data: str) -> Iterable[Any]:
        if data:
            data, self._pasting = split_escapes(data, self._pasting)
        return super().feed(data)


def install() -> None:
    """Make Textual's Linux driver read keys with ``EscapeSplittingParser``."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # not on Linux or macOS: Textual's own reading stays
        return
    if getattr(linux_driver, "XTermParser", None) is XTermParser:
        linux_driver.XTermParser = EscapeSplittingParser  # type: ignore[misc]

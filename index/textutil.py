"""Make text safe to show: control characters become visible stand-ins, one for one.

Article files may contain terminal escape sequences, bells or bidirectional overrides. Each such
character is replaced by a single visible character, so offsets into the text stay valid and
nothing reaches the terminal as a command.
"""

from __future__ import annotations

import json
import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def neutralise(text: str) -> str:
    """Replace every unsafe character by a visible one; the length never changes.

    A text with nothing to replace is returned as it is (not copied)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_stand_in, text)


# What json.dumps(ensure_ascii=False) leaves raw that a terminal acts on (it escapes C0 itself).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe_json(data: object) -> str:
    """JSON for a terminal or a pipe: readable Unicode, but DEL, C1 controls and bidi overrides
    as \\u escapes, so the data is unchanged and nothing reaches the terminal as a command."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"

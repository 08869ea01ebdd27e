"""Make text safe to show: control characters become visible stand-ins, one for one.

Article files may contain terminal escape sequences, bells or bidirectional overrides. Each such
character is replaced by a single visible character, so offsets into the text stay valid and
nothing reaches the terminal as a command.
"""

from __future__ import annotations

import json
import re

# C0 controls but tab and newline, DEL, C1 controls, the bidi embedding/override/isolate marks,
# and lone surrogates (a file name that is not valid UTF-8 decodes to them; no stream can write
# them).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


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


# What json.dumps(ensure_ascii=False) leaves raw that a terminal acts on (it escapes C0 itself),
# and lone surrogates, which cannot be written as UTF-8.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe_json(data: object) -> str:
    """JSON for a terminal or a pipe: readable Unicode, but DEL, C1 controls, bidi overrides and
    lone surrogates as \\u escapes, so the data is unchanged and nothing reaches the terminal as
    a command."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def shown_path(path: str | bytes) -> str:
    """A path as it can be shown and stored: a name that is not valid UTF-8 has its bytes as
    ``\\xNN`` escapes (``caf\\xe9.txt``), so no surrogate reaches a stream, a JSON file or the
    index."""
    if isinstance(path, bytes):
        return path.decode("utf-8", "backslashreplace")
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")

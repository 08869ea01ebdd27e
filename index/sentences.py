"""Sentence splitting: ``sentencex`` for the boundaries, then a few general repairs.

``split_sentences(text)`` returns ``(start, end)`` character offsets into ``text``. Every span is
trimmed of surrounding whitespace, spans are sorted and do not overlap, and together they cover
every non-whitespace character of ``text`` (whitespace as ``str.isspace`` sees it).

sentencex gets most things right (including "the D.P.R.K. These" and ``said "no."The``). What it
gets wrong, and what is repaired here:

* a bare list marker ("1.", "2)", "•", "-") split off as a sentence of its own is joined to the
  sentence that follows it;
* a cut inside a whitespace-free token ("Iran-Russia-D." | "P.R.K.", "www." | "Example.",
  "3." | "5") is undone, unless the token is two sentences run together: a word + "." + a
  capitalised word ("the United States.In conclusion") or closing quote + capital
  (``"no."The``), which are also split when sentencex missed them;
* an abbreviation ("U.S.", "D.P.R.K.", "etc.", "e.g.") followed by a lowercase word or a number
  does not end a sentence;
* a sentence never runs across a blank line.

``split_restoring(text)`` also gives back the space that two sentences run together lost
("the United States.In conclusion" is shown "the United States. In conclusion").
"""

from __future__ import annotations

import re

try:  # pragma: no cover - import guard
    import sentencex as _sentencex
except Exception:  # pragma: no cover - the venv has it; the fallback keeps us working without
    _sentencex = None

__all__ = ["restore_spaces", "split_restoring", "split_sentences"]

# A list marker standing alone: "1." "12)" "(3)" "a)" "iv." "•" "-" "*" ...
_BARE_MARKER = re.compile(
    r"(?:\(?\d{1,3}[.)]|\(\d{1,3}\)|[A-Za-z][.)]|[ivxlcdmIVXLCDM]{1,6}[.)]|[•●▪◦‣∙·○■□➢➤►*+\-–—])"
)
# Closing characters that may follow sentence-final punctuation.
_CLOSERS = "\"'”’»)]}"
_TERMINALS = ".!?…"
# word + terminal + Capitalised word with no space between ("States.In", "end?Then").
_RUN_TOGETHER = re.compile(r"(?<=[a-z])[.!?…](?=[A-Z][a-z])")
# terminal + closing quote/bracket + capital letter, no space ('"no."The', "“bedfellows.”Nations").
_QUOTE_TOGETHER = re.compile(r"[.!?…][\"'”’»)\]]+(?=[\"“‘(]?[A-Z])")
# Left side of a run-together split: a plain word ("states", "States"), 2+ letters.
_PLAIN_WORD = re.compile(r"[\"'“‘(\[]*[A-Za-z][a-z]+")
_DOMAIN_TAILS = frozenset("com org net edu gov mil info biz io html htm php".split())
# Abbreviations: letters with inner dots ("U.S.", "p.m.", "D.P.R.K.") or common short forms.
_DOTTED_ABBREV = re.compile(r"(?:^|[^A-Za-z.])(?:[A-Za-z]\.){2,}$")
_KNOWN_ABBREV = frozenset(
    """etc e.g i.e vs approx no nos mr mrs ms dr prof st mt inc ltd co corp gov gen sen rep col lt
    sgt capt cmdr jan feb mar apr jun jul aug sep sept oct nov dec fig vol pp p ch sec est al jr
    sr u.s u.k cf ca""".split()
)
_LAST_WORD = re.compile(r"(?:^|[\s(\"“‘])([A-Za-z][A-Za-z.]*)\.$")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
# Used only if sentencex is missing or fails on some input.
_FALLBACK_CUT = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


# sentencex stops splitting a text that begins with a bullet ("• One. Two." stays one sentence),
# so bullets are masked with spaces (same length, offsets unchanged) before it sees the text.
_BULLETS = re.compile("[•●▪◦‣∙○■□➢➤►]")


# A whitespace-free token longer than this is not a word, an address or two sentences run
# together (it is base64, a hash, a line of dots...): it is kept whole. Looking at tokens is
# bounded by this, so a file that is one huge token costs linear time, not quadratic.
MAX_TOKEN = 200
_LONG_TOKEN = re.compile(rf"\S{{{MAX_TOKEN + 1},}}")
_TERMINAL_CHAR = re.compile("[.!?…]")
_SPACE = re.compile(r"\s")
# sentencex is given the text in windows of about this many characters, each ending where a
# sentence does: its work and the list it returns stay small however long a paragraph is.
WINDOW = 50_000


def _mask_long_tokens(text: str) -> str:
    """Terminal punctuation inside over-long tokens masked (same length): sentencex takes
    quadratic time on a long run like "Ab!Ab!Ab!", and such a token is kept whole anyway."""

    def mask(m: re.Match[str]) -> str:
        token = m.group()
        body = token.rstrip(_TERMINALS + _CLOSERS)
        return _TERMINAL_CHAR.sub("x", body) + token[len(body) :]

    return _LONG_TOKEN.sub(mask, text)


def _window_end(text: str, start: int) -> int:
    """Where a window of ``text`` starting at ``start`` ends: after the last likely sentence end
    in its second half, else after its last space, else at ``WINDOW`` characters."""
    lo, hi = start + WINDOW // 2, start + WINDOW
    ends = [m.end() for m in _FALLBACK_CUT.finditer(text, lo, hi)]
    if ends:
        return ends[-1]
    space = max(text.rfind(" ", lo, hi), text.rfind("\n", lo, hi))
    return space + 1 if space >= 0 else hi


def _sentencex_cuts(text: str) -> set[int]:
    if _sentencex is None:
        return {m.end() for m in _FALLBACK_CUT.finditer(text)}
    masked = _BULLETS.sub(" ", text) if _BULLETS.search(text) else text
    if len(masked) > MAX_TOKEN:
        masked = _mask_long_tokens(masked)
    cuts: set[int] = set()
    start, n = 0, len(masked)
    while start < n:
        end = n if n - start <= WINDOW else _window_end(masked, start)
        window = masked[start:end] if (start, end) != (0, n) else masked
        try:
            bounds = _sentencex.get_sentence_boundaries("en", window)
            cuts.update(start + int(b["end_index"]) for b in bounds)
        except BaseException as exc:  # a Rust panic surfaces as a BaseException subclass
            if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                raise
            cuts.update(start + m.end() for m in _FALLBACK_CUT.finditer(window))
        cuts.add(end)
        start = end
    return cuts


def _token_bounds(text: str, pos: int) -> tuple[int, int, bool]:
    """The whitespace-free token around the gap at ``pos`` (between text[pos-1] and text[pos]),
    and whether it is longer than ``MAX_TOKEN`` (then its start is only looked for that far)."""
    m = _SPACE.search(text, pos)
    b = m.start() if m else len(text)
    lo = max(0, pos - MAX_TOKEN - 1)
    a = pos
    while a > lo and not text[a - 1].isspace():
        a -= 1
    too_long = b - a > MAX_TOKEN or (a == lo and a > 0 and not text[a - 1].isspace())
    return a, b, too_long


def _looks_like_address(token: str) -> bool:
    low = token.lower()
    if "://" in low or "@" in low or low.startswith("www.") or "/" in low:
        return True
    return False


def _run_together_ok(text: str, cut: int, bounds: tuple[int, int, bool] | None = None) -> bool:
    """True when a cut at ``cut`` with no whitespace around it separates two real sentences.

    ``bounds`` is ``_token_bounds(text, cut)`` when the caller already has it."""
    if cut <= 0 or cut >= len(text):
        return False
    left_char = text[cut - 1]
    a, b, too_long = bounds if bounds is not None else _token_bounds(text, cut)
    if too_long:
        return False  # one over-long token: kept whole
    token = text[a:b]
    if _looks_like_address(token):
        return False
    left = text[a:cut]
    right = text[cut:b]
    # '"no."The' / '“bedfellows.”Nations': closing quote after terminal punctuation.
    if left_char in _CLOSERS:
        core = left.rstrip(_CLOSERS)
        if core and core[-1] in _TERMINALS and right[:1].isupper():
            return True
        if core and core[-1] in _TERMINALS and right[:1] in '"“‘(' and right[1:2].isupper():
            return True
        return False
    if left_char not in ".!?…":
        return False
    word = left[:-1]
    if not _PLAIN_WORD.fullmatch(word):
        return False
    if word.lower().lstrip("\"'“‘([") in ("www",):
        return False
    if not (len(right) >= 2 and right[0].isupper() and right[1].islower()):
        return False
    # "example.Com", "site.Org/page": a domain, not two sentences.
    right_word = re.match(r"[A-Za-z]+", right)
    if right_word and right_word.group(0).lower() in _DOMAIN_TAILS:
        return False
    # "Example.Com." has another dot followed by a letter: a domain or a file name.
    if re.search(r"\.[A-Za-z]", right):
        return False
    return True


_ABBREV_TAIL = 80  # an abbreviation is looked for in this many characters at a span's end


def _ends_with_abbreviation(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends with an abbreviation. Only the last ``_ABBREV_TAIL``
    characters are looked at, so a span that grows by merging is not re-read each time."""
    if end <= start or text[end - 1] != ".":
        return False
    span = text[max(start, end - _ABBREV_TAIL) : end]
    if _DOTTED_ABBREV.search(span):
        return True
    m = _LAST_WORD.search(span)
    if m is None:
        return False
    word = m.group(1).lower()
    return word in _KNOWN_ABBREV or (len(word) == 1 and m.group(1).isupper())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence of ``text``, trimmed, in order, covering all of it."""
    if not text or text.isspace():
        return []
    n = len(text)
    cuts = _sentencex_cuts(text)
    cuts.update(m.end() for m in _RUN_TOGETHER.finditer(text))
    cuts.update(m.end() for m in _QUOTE_TOGETHER.finditer(text))
    hard = {m.start() + 1 for m in _BLANK_LINE.finditer(text)}  # never merge across these
    cuts.update(hard)
    ordered = sorted(c for c in cuts if 0 < c < n)

    # Candidate spans, trimmed; remember the raw cut that separates each span from the next.
    spans: list[tuple[int, int]] = []
    prev = 0
    for c in [*ordered, n]:
        s, e = _trim(text, prev, c)
        if s < e:
            spans.append((s, e))
        prev = c

    merged: list[tuple[int, int]] = []
    token = (0, 0, False)  # the token of the last cut inside a token: later cuts share it
    for s, e in spans:
        if not merged:
            merged.append((s, e))
            continue
        ps, pe = merged[-1]
        across_blank = text.count("\n", pe, s) >= 2
        join = False
        if pe - ps <= 8 and _BARE_MARKER.fullmatch(text, ps, pe):
            join = True  # "1." | "Economic Survival: ..."
        elif pe == s:  # a cut inside a token
            if not token[0] < s < token[1]:
                token = _token_bounds(text, s)
            join = not _run_together_ok(text, s, token)
        elif not across_blank and _ends_with_abbreviation(text, ps, pe):
            first = text[s]
            if first.islower() or first.isdigit():
                join = True  # "the U.S. economy", "G.D.P. 5 percent"
        if join:
            merged[-1] = (ps, e)
        else:
            merged.append((s, e))
    return merged


def split_restoring(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``split_sentences``, with a space put back wherever two sentences were run together
    (``"States.In"``, ``"ammunition…This"``, ``"bedfellows.”Nations"``): the text with those
    spaces, and the sentences' offsets into it."""
    restored, spans, _glued = restore_spaces(text)
    return restored, spans


def restore_spaces(text: str) -> tuple[str, list[tuple[int, int]], list[int]]:
    """``split_restoring``, plus the offsets of ``text`` where a space was put back (a space
    goes before the character at each), in order."""
    spans = split_sentences(text)
    glued = [e for (_s, e), (s2, _e) in zip(spans, spans[1:], strict=False) if e == s2]
    if not glued:
        return text, spans, []
    pieces: list[str] = []
    last = 0
    for cut in glued:
        pieces += [text[last:cut], " "]
        last = cut
    pieces.append(text[last:])
    shifted: list[tuple[int, int]] = []
    k = 0  # spaces inserted before the current span
    for start, end in spans:
        if k < len(glued) and glued[k] <= start:
            k += 1
        shifted.append((start + k, end + k))
    return "".join(pieces), shifted, glued

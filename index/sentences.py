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
"""

from __future__ import annotations

import re

try:  # pragma: no cover - import guard
    import sentencex as _sentencex
except Exception:  # pragma: no cover - the venv has it; the fallback keeps us working without
    _sentencex = None

__all__ = ["split_sentences"]

# A list marker standing alone: "1." "12)" "(3)" "a)" "iv." "•" "-" "*" ...
_BARE_MARKER = re.compile(
    r"(?:\(?\d{1,3}[.)]|\(\d{1,3}\)|[A-Za-z][.)]|[ivxlcdmIVXLCDM]{1,6}[.)]|[•●▪◦‣∙·○■□➢➤►*+\-–—])"
)
# Closing characters that may follow sentence-final punctuation.
_CLOSERS = "\"'”’»)]}"
_TERMINALS = ".!?…"
# word + terminal + Capitalised word with no space between ("States.In", "end?Then").
_RUN_TOGETHER = re.compile(r"(?<=[a-z])[.!?](?=[A-Z][a-z])")
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


def _sentencex_cuts(text: str) -> set[int]:
    if _sentencex is not None:
        try:
            masked = _BULLETS.sub(" ", text) if _BULLETS.search(text) else text
            bounds = _sentencex.get_sentence_boundaries("en", masked)
            return {int(b["end_index"]) for b in bounds}
        except BaseException as exc:  # a Rust panic surfaces as a BaseException subclass
            if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                raise
    return {m.end() for m in _FALLBACK_CUT.finditer(text)}


def _token_bounds(text: str, pos: int) -> tuple[int, int]:
    """The whitespace-free token around the gap at ``pos`` (between text[pos-1] and text[pos])."""
    a = pos
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    b = pos
    n = len(text)
    while b < n and not text[b].isspace():
        b += 1
    return a, b


def _looks_like_address(token: str) -> bool:
    low = token.lower()
    if "://" in low or "@" in low or low.startswith("www.") or "/" in low:
        return True
    return False


def _run_together_ok(text: str, cut: int) -> bool:
    """True when a cut at ``cut`` with no whitespace around it separates two real sentences."""
    if cut <= 0 or cut >= len(text):
        return False
    left_char = text[cut - 1]
    a, b = _token_bounds(text, cut)
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
    if left_char not in ".!?":
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


def _ends_with_abbreviation(span: str) -> bool:
    if not span.endswith("."):
        return False
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
    for s, e in spans:
        if not merged:
            merged.append((s, e))
            continue
        ps, pe = merged[-1]
        gap = text[pe:s]
        across_blank = gap.count("\n") >= 2
        prev_text = text[ps:pe]
        join = False
        if _BARE_MARKER.fullmatch(prev_text):
            join = True  # "1." | "Economic Survival: ..."
        elif pe == s:
            join = not _run_together_ok(text, s)  # cut inside a token
        elif not across_blank and _ends_with_abbreviation(prev_text):
            first = text[s]
            if first.islower() or first.isdigit():
                join = True  # "the U.S. economy", "G.D.P. 5 percent"
        if join:
            merged[-1] = (ps, e)
        else:
            merged.append((s, e))
    return merged

"""Names: the people, places and organisations the articles name, found without any model.

Two steps. While the index is built, each article's *mentions* are found (``Namer.mentions``,
stored in the study store, ``corpus.py``): runs of capitalised words ("Vladimir Putin",
"Democratic People’s Republic of Korea", "Kim Jong-un"), with "of", "the" and the like inside
them, and acronyms ("D.P.R.K.", "NATO"). Leading function words ("The", "During") and titles
("Foreign Minister", "President") are cut off, the titles kept as evidence of a person; a run
followed by "(D.P.R.K.)" whose initials spell the acronym is that acronym's long form.

Then, for the library (``names()`` in ``study_names.py``), statistics decide what is a name and
what is one: a word found capitalised only at the start of sentences, or more often in lower
case than capitalised, is a common word; an adjective of nationality ("Russian wines") is left
out; the long form and its acronym are one name, so are the forms an ``[aliases]`` table says are
one (``themes.toml`` in the library folder, ``"aliases"`` in the person's themes file), and a
surname said alone ("Putin", "Kim") is the one person of the library whose name it ends or
begins. The kind comes from the words (Ministry, Times, Republic, Sea…), ISO 3166 country names
(pycountry), titles, and prepositions of place ("in", "to", "from").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

import numpy as np

__all__ = ["ARRAYS", "FLAG", "Namer", "name_key"]

ARRAYS = ("m_form", "m_start", "m_end", "m_flags", "m_defines")


class FLAG:
    INITIAL = 1  # the run starts its sentence (its first word may be any word)
    TITLE = 2  # a title came before it ("Foreign Minister Choe Son Hui")
    PLACE = 4  # a preposition of place came before it ("in Ukraine")
    ADJECTIVE = 8  # a lower-case word follows it ("Russian wines")
    ACRONYM = 16
    DEFINED = 32  # followed by "(ACRONYM)" whose letters are its initials


_TOKEN = re.compile(r"\w+(?:[.'’]\w+)*")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\.?")
_POSSESSIVE = re.compile(r"['’][sS]$")
_LETTER = re.compile(r"[^\W\d_]")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*((?:[^\W\d_]\.){2,}|[^\W\d_]{2,8})\s*\)")
CONNECTORS = frozenset("of the de du da del der den van von al el bin ibn la le for on and".split())
# words that may join a run only between capitalised words (not "and": "Russia and China")
_INNER = CONNECTORS - {"and", "for", "on"}
TITLES = frozenset(
    """
    president vice prime minister ministers foreign defense defence deputy secretary general
    leader chairman chairwoman chair chancellor premier senator ambassador governor mayor king
    queen prince princess emperor pope sir mr mrs ms dr prof professor commander chief director
    spokesman spokeswoman spokesperson envoy lt col gen adm sgt rep gov sen supreme marshal
    colonel captain admiral lieutenant sergeant officer head
    """.split()
)
_PLACE_BEFORE = frozenset(
    "in to from at near into across toward towards throughout within inside outside around "
    "via between visited visiting invaded invade over".split()
)
MONTHS_DAYS = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
)
_FUNCTION = frozenset(
    """
    a an the this that these those in on at by for from to of with as and or but if when while
    after before during since until then there here however yet so thus also both each every
    all some any many most much more few no not nor one two its it his her their our my your
    we they he she you i what which who whom whose why how where though although because despite
    beyond further furthermore moreover meanwhile nevertheless instead indeed still even only
    such other another like unlike among amid against between through throughout over under
    according recent recently last next first second third later earlier today now perhaps
    is are was were be been has have had do does did will would can could should may might must
    """.split()
)


def name_key(form: str) -> str:
    """Forms that are the same name: case, hyphens, apostrophes and an acronym's dots aside
    ("Kim Jong-un" is "kim jong un", "D.P.R.K." is "DPRK")."""
    form = form.strip()
    if _DOTTED.fullmatch(form):
        return form.replace(".", "").upper()
    if " " not in form and 1 < len(form) <= 8 and form.isupper():
        return form
    return " ".join(form.replace("’", "'").replace("-", " ").split()).casefold()


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _acronym(word: str) -> bool:
    return bool(_DOTTED.fullmatch(word)) or (1 < len(word) <= 8 and word.isupper())


class Namer:
    """Finds mentions in article texts; ``forms`` numbers the surface forms seen."""

    def __init__(self, forms: list[str]) -> None:
        self.forms = forms
        self._ids = {f: i for i, f in enumerate(forms)}

    def _id(self, form: str) -> int:
        found = self._ids.get(form)
        if found is None:
            found = self._ids[form] = len(self.forms)
            self.forms.append(form)
        return found

    def mentions(
        self,
        text: str,
        sentence_starts: list[int],
        skip: list[tuple[int, int]] = (),  # type: ignore[assignment]
    ) -> dict[str, np.ndarray]:
        """The mentions of names in ``text`` as the store's arrays (see ``ARRAYS``); the ranges
        in ``skip`` (headings, written in title case) are left out."""
        tokens = list(_tokens(text, skip))
        found: list[tuple[int, int, int, int, int]] = []
        i, n = 0, len(tokens)
        while i < n:
            word = tokens[i][0]
            if not (_capitalised(word) and not word[:1].isdigit()):
                i += 1
                continue
            j = i + 1  # the run is tokens[i:j]
            while j < n:
                gap = text[tokens[j - 1][2] : tokens[j][1]]
                nxt = tokens[j][0]
                if _POSSESSIVE.search(tokens[j - 1][0]) and j - 1 == i:
                    break  # "Russia’s Far East" is two names ("Democratic People’s Republic" one)
                if gap == " " and _capitalised(nxt):
                    j += 1
                elif gap == "-" and (nxt.isdigit() or (nxt.islower() and len(nxt) <= 3)):
                    j += 1  # "Kim Jong-un", "COVID-19" (not "North Korea-Russia")
                elif (
                    gap == " "
                    and nxt.lower() in _INNER
                    and j + 1 < n
                    and text[tokens[j][2] : tokens[j + 1][1]] == " "
                    and _capitalised(tokens[j + 1][0])
                ):
                    j += 2  # "Republic of Korea"
                else:
                    break
            self._run(text, tokens, i, j, sentence_starts, found)
            i = j
        if not found:
            empty = np.zeros(0, dtype=np.uint32)
            return dict.fromkeys(ARRAYS, empty)
        columns = list(zip(*found, strict=True))
        return {
            name: np.array(col, dtype=np.uint32) for name, col in zip(ARRAYS, columns, strict=True)
        }

    def _run(
        self,
        text: str,
        tokens: list[tuple[str, int, int]],
        i: int,
        j: int,
        sentence_starts: list[int],
        found: list[tuple[int, int, int, int, int]],
    ) -> None:
        start = tokens[i][1]
        k = bisect.bisect_right(sentence_starts, start) - 1
        initial = k < 0 or not _LETTER.search(text[sentence_starts[k] : start])
        flags = 0
        # leading function words and titles are not part of the name
        while i < j and tokens[i][0].lower() in _FUNCTION:
            i += 1
            initial = False
        titled = False
        while i < j and (
            tokens[i][0].lower().rstrip(".") in TITLES or _demonym_title(tokens, i, j)
        ):
            i += 1
            titled = True
            initial = False
        while j > i and tokens[j - 1][0].lower() in CONNECTORS:
            j -= 1
        if i >= j:
            return
        words = [t[0] for t in tokens[i:j]]
        if len(words) == 1 and words[0].lower() in MONTHS_DAYS:
            return
        begin, end = tokens[i][1], tokens[j - 1][2]
        after = text[end : end + 2]
        if initial and after.startswith(":"):
            return  # a list item's lead, "Economic Survival: …"
        form = text[begin:end]
        possessive = _POSSESSIVE.search(form)
        if possessive:
            form = form[: possessive.start()]
            end -= len(possessive.group())
        if not form or not any(c.isalpha() for c in form):
            return
        if initial:
            flags |= FLAG.INITIAL
        if titled:
            flags |= FLAG.TITLE
        if i > 0:
            before = tokens[i - 1][0].lower()
            if before in _PLACE_BEFORE and tokens[i - 1][2] + 1 == begin:
                flags |= FLAG.PLACE
        if j < len(tokens):
            nxt = tokens[j][0]
            if text[tokens[j - 1][2] : tokens[j][1]] == " " and nxt.islower():
                if nxt not in _FUNCTION:
                    flags |= FLAG.ADJECTIVE
        if len(words) == 1 and _acronym(words[0]):
            flags |= FLAG.ACRONYM
        defines = 0
        m = _ACRONYM_AFTER.match(text, tokens[j - 1][2])
        if m and len(words) > 1:
            letters = m.group(1).replace(".", "")
            initials = "".join(w[0] for w in words if w.lower() not in CONNECTORS)
            if letters.upper() == initials.upper() and letters.isupper():
                flags |= FLAG.DEFINED
                defines = self._id(m.group(1).rstrip(".") + ("." if "." in m.group(1) else "")) + 1
        found.append((self._id(form), begin, end, flags, defines))


def _tokens(text: str, skip: list[tuple[int, int]]) -> Iterator[tuple[str, int, int]]:
    """The index's tokens, a word run into the next across a full stop cut there ("States.In"
    is "States" and "In"), those inside the ``skip`` ranges left out."""
    k = 0
    for m in _TOKEN.finditer(text):
        start = m.start()
        while k < len(skip) and skip[k][1] <= start:
            k += 1
        if k < len(skip) and skip[k][0] <= start:
            continue
        word = m.group()
        if "." in word and not _DOTTED.fullmatch(word):
            at = start
            for piece in word.split("."):
                if piece:
                    yield piece, at, at + len(piece)
                at += len(piece) + 1
            continue
        yield word, start, m.end()


def _demonym_title(tokens: list[tuple[str, int, int]], i: int, j: int) -> bool:
    """A nationality before a title ("Russian Foreign Minister …")."""
    word = tokens[i][0]
    return (
        i + 1 < j
        and re.search(r"(?:an|ese|ish|i)$", word) is not None
        and tokens[i + 1][0].lower() in TITLES
    )

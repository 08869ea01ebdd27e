"""The library's names: the mentions found while indexing (``names.py``), told apart from common
words, merged into one name per person, place or organisation, and classified; and the
``[aliases]`` that say which forms are one name when the text cannot.

Aliases, in the library's ``themes.toml``::

    [aliases]
    "North Korea" = ["D.P.R.K.", "DPRK", "Pyongyang regime"]

and in the person's themes file (JSON) as ``"aliases": {"North Korea": ["D.P.R.K."]}``. The key
is the name shown; a search for any of the forms finds them all.

The list is computed once per state of the store and the aliases, when the index is built or
updated (``Library.update``) or when first asked after the aliases change, and kept in
``<index>/study/names.json``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import corpus as corpus_mod
from .engine import Cancelled
from .names import _FUNCTION, CONNECTORS, FLAG, name_key

if TYPE_CHECKING:
    from .library import Library

__all__ = ["Name", "NameList", "load_aliases", "names"]

NAMES_VERSION = 1
CACHE = "names.json"
KINDS = ("person", "place", "organisation", "other")
ORG_WORDS = frozenset(
    """
    department ministry agency council committee party union organization organisation times
    press news post journal bank institute university college group company corporation corp
    inc ltd llc forces army navy force command service services office fund association assembly
    parliament congress senate court commission pact alliance federation board bureau
    administration government intercept reuters tass kcna
    """.split()
)
PLACE_WORDS = frozenset(
    """
    republic kingdom states island islands sea ocean river mountains mountain peninsula strait
    gulf bay province region city east west asia europe africa america americas valley coast
    straits oblast county state
    """.split()
)
_DEMONYM = re.compile(r"(?:an|ese|ish|ern|ic|i)$")
_WORD = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*")
CONTINENTS = frozenset("asia europe africa america americas oceania antarctica".split())


@dataclass(slots=True)
class Name:
    name: str
    kind: str  # person | place | organisation | other
    forms: list[str]  # as the articles write it, most mentioned first
    mentions: int
    articles: dict[str, int] = field(default_factory=dict)  # article id -> mentions, in order
    query: str = ""  # a search that finds its mentions (every form)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "forms": list(self.forms),
            "mentions": self.mentions,
            "articles": dict(self.articles),
            "query": self.query,
        }


@dataclass(slots=True)
class NameList:
    names: list[Name]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"names": [n.to_json() for n in self.names]}


# -- aliases ----------------------------------------------------------------------------------


def _groups(table: object, where: str, warnings: list[str]) -> list[list[str]]:
    if not isinstance(table, dict):
        warnings.append(f"{where}: aliases must be a table of name = [forms]; ignored")
        return []
    groups = []
    for name, forms in table.items():
        if isinstance(forms, str):
            forms = [forms]
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            warnings.append(f"{where}: alias {name!r} must be a list of forms; ignored")
            continue
        group = [" ".join(str(name).split()), *(" ".join(f.split()) for f in forms)]
        group = [g for g in group if g]
        if len(group) > 1:
            groups.append(group)
    return groups


def load_aliases(library: Library) -> tuple[list[list[str]], list[str]]:
    """The alias groups (the name first, then its other forms) of the library's themes.toml and
    of the person's themes file, and a warning for each mistake (a broken file is reported by
    the themes, not again here)."""
    from .themes import CURATED_FILE, _display_path, _read_config, user_themes_path

    warnings: list[str] = []
    groups: list[list[str]] = []
    path = library.folder / CURATED_FILE
    # bounded reads; a file nested hundreds deep (RecursionError) or too large is reported by
    # the themes, and gives no aliases here
    with contextlib.suppress(OSError, ValueError, tomllib.TOMLDecodeError, RecursionError):
        data = tomllib.loads(_read_config(path).decode("utf-8-sig"))
        if "aliases" in data:
            groups += _groups(data["aliases"], f"{_display_path(path)} [aliases]", warnings)
    user = user_themes_path(library)
    with contextlib.suppress(OSError, ValueError, RecursionError):
        data = json.loads(_read_config(user).decode("utf-8"))
        if isinstance(data, dict) and "aliases" in data:
            groups += _groups(data["aliases"], f'{_display_path(user)} "aliases"', warnings)
    return groups, warnings


# -- the list ---------------------------------------------------------------------------------


def names(library: Library, cancelled: Callable[[], bool] | None = None) -> NameList:
    """Every name of the library with its mentions per article, most mentioned first.

    Read from the cache when the store and the aliases are as they were; otherwise computed
    from the stored mentions (a few milliseconds for the seeds, 0.4 s at 10,000 articles and
    3.7 s at 100,000) and kept."""
    if cancelled is not None and cancelled():
        raise Cancelled
    store = corpus_mod.corpus(library, cancelled)
    aliases, warnings = load_aliases(library)
    key = hashlib.sha256(
        json.dumps([NAMES_VERSION, store.stamp, aliases]).encode("utf-8")
    ).hexdigest()
    path = store.folder / CACHE
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, RecursionError):
        data = json.loads(path.read_text("utf-8"))
        if data["key"] == key:
            return NameList([Name(**n) for n in data["names"]], warnings)
    found = _compute(library, store, aliases, cancelled)
    with contextlib.suppress(OSError):
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"key": key, "names": [n.to_json() for n in found]}, ensure_ascii=False),
            "utf-8",
        )
        tmp.replace(path)
    return NameList(found, warnings)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _countries() -> frozenset[str]:
    import pycountry

    found: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                found.add(name_key(value))
                found.add(name_key(value.split(",")[0]))
    return frozenset(found)


def _places() -> frozenset[str]:
    """Country names and ISO 3166-2 subdivisions (provinces, regions, some cities), but not
    those that are a compass adjective ("Western", "Central")."""
    import pycountry

    found = set(_countries())
    for subdivision in pycountry.subdivisions:
        key = name_key(subdivision.name.split(" (")[0])
        if not re.fullmatch(r"\w+(?:ern|al)", key):
            found.add(key)
    return frozenset(found)


def _display(form: str) -> str:
    """An acronym written with dots gets its last dot back ("D.P.R.K" is "D.P.R.K.")."""
    return form + "." if re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", form) else form


def _compute(
    library: Library,
    store: corpus_mod.Corpus,
    aliases: list[list[str]],
    cancelled: Callable[[], bool] | None,
) -> list[Name]:
    order = [info.id for info in library.articles() if info.id in store.entries]
    forms = store.forms
    if cancelled is not None and cancelled():
        raise Cancelled
    # every mention at once (a loop over them was most of the names' time at 100,000 articles):
    # per form, its mentions and how many carry each flag; which acronym each long form defines
    m_form, m_flags, m_defines, m_article = _mentions(store, order)
    size = max(len(forms), int(m_form.max()) + 1 if len(m_form) else 0)
    counts = np.bincount(m_form, minlength=size)
    present = np.flatnonzero(counts)
    count: dict[int, int] = dict(zip(present.tolist(), counts[present].tolist(), strict=True))
    flagged = {
        bit: np.bincount(m_form[(m_flags & bit) != 0], minlength=size)
        for bit in (FLAG.INITIAL, FLAG.TITLE, FLAG.PLACE, FLAG.ADJECTIVE)
    }
    has = m_defines != 0
    defines = list(zip(m_form[has].tolist(), (m_defines[has] - 1).tolist(), strict=True))
    keys: dict[str, list[int]] = defaultdict(list)
    for form in count:
        keys[name_key(forms[form])].append(form)
    countries, places = _countries(), _places()
    freq, ids = store.frequencies, store.ids

    def total(key: str, bit: int | None = None) -> int:
        if bit is None:
            return sum(count[f] for f in keys.get(key, ()))
        return int(sum(flagged[bit][f] for f in keys.get(key, ())))

    in_names: dict[str, int] = defaultdict(int)  # each word's uses inside mentions
    for form, c in count.items():
        for word in _WORD.findall(forms[form]):
            in_names[corpus_mod.word_key(word)] += c

    def lower_uses(word: str) -> int:
        """How often the word is used outside names (all its uses less those in mentions)."""
        key = corpus_mod.word_key(word)
        wid = ids.get(key)
        every = int(freq[wid]) if wid is not None else 0
        return max(0, every - in_names.get(key, 0))

    def is_name(key: str) -> bool:
        words = key.split()
        n, initial = total(key), total(key, FLAG.INITIAL)
        if all(w in _FUNCTION or w in CONNECTORS for w in words):
            return False
        if (
            _DEMONYM.search(words[-1])
            and key not in countries
            and total(key, FLAG.ADJECTIVE) * 2 >= n
        ):
            return False  # "Russian wines", "North Korean military": an adjective
        if len(words) == 1 and not key.isupper():
            # only sentence-initial, or a common word capitalised
            return n - initial >= 1 and lower_uses(words[0]) <= n - initial
        if len(words) > 1 and initial == n:  # always at the start of a sentence: a heading?
            return all(lower_uses(w) == 0 for w in words if w not in CONNECTORS)
        return True

    kept = {key for key in keys if is_name(key)}
    union = _Union()
    for key in kept:
        union.find(key)
    for long_form, acronym in defines:
        lk, ak = name_key(forms[long_form]), name_key(forms[acronym])
        if lk in kept:
            kept.add(ak)
            union.join(lk, ak)
    preferred: dict[str, str] = {}
    for group in aliases:
        first = name_key(group[0])
        for alias in group:
            union.join(first, name_key(alias))
            if name_key(alias) in keys:
                kept.add(name_key(alias))
        preferred[first] = group[0]

    def place_or_org(words: list[str], key: str) -> str | None:
        if key in places or key in CONTINENTS:
            return "place"
        if any(w in ORG_WORDS for w in words):
            return "organisation"
        if len(words) > 1 and any(w in PLACE_WORDS for w in words):
            return "place"
        return None

    # a surname said alone is the one person of the library whose name begins or ends with it
    single = [k for k in kept if len(k.split()) == 1 and not k.isupper()]
    by_end: dict[str, list[str]] = defaultdict(list)  # the names of two words or more, by end
    for k in kept:
        words = k.split()
        if len(words) > 1:
            by_end[words[0]].append(k)
            if words[-1] != words[0]:
                by_end[words[-1]].append(k)
    for word in single:
        fits = {
            union.find(k)
            for k in by_end.get(word, ())
            if place_or_org(k.split(), k) is None and all(lower_uses(w) == 0 for w in k.split())
        }
        if len(fits) == 1 and place_or_org([word], word) is None:
            union.join(fits.pop(), word)

    groups: dict[str, list[str]] = defaultdict(list)
    for key in kept:
        groups[union.find(key)].append(key)
    for group in aliases:  # an alias's name is one of the group even if never written
        root = union.find(name_key(group[0]))
        if root in groups and name_key(group[0]) not in groups[root]:
            groups[root].append(name_key(group[0]))
    in_group = _per_article(groups.values(), keys, m_form, m_article, size, order)
    result: list[Name] = []
    for members, articles in zip(groups.values(), in_group, strict=True):
        mentions = sum(total(k) for k in members)
        if not mentions:
            continue
        by_form = sorted(
            ((count[f], forms[f]) for k in members for f in keys.get(k, ())),
            key=lambda x: (-x[0], x[1]),
        )
        shown: dict[str, str] = {}  # the most mentioned spelling of each key, for the query
        spellings: list[str] = []
        for _c, spelling in by_form:
            shown.setdefault(name_key(spelling), _display(spelling))
            if _display(spelling) not in spellings:
                spellings.append(_display(spelling))
        kind = _kind(members, total, lower_uses, place_or_org)
        name = next((preferred[k] for k in members if k in preferred), None)
        if name is None:
            longest = (
                [s for k, s in shown.items() if len(k.split()) > 1] if kind == "person" else []
            )
            name = longest[0] if longest else next(iter(shown.values()))
        query = " OR ".join(f'"{s}"' if " " in s or "-" in s else s for s in shown.values())
        result.append(Name(name, kind, spellings, mentions, articles, query))
    result.sort(key=lambda n: (-n.mentions, n.name.casefold()))
    return result


def _mentions(
    store: corpus_mod.Corpus, order: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The mentions of the articles in ``order``, in that order: each one's form, flags, the
    form it defines (+1; 0: none) and its article's place in ``order``."""
    a = store.arrays
    spans = [store.entries[article_id].mentions for article_id in order]
    lo = np.fromiter((s[0] for s in spans), dtype=np.int64, count=len(spans))
    lengths = np.fromiter((s[1] - s[0] for s in spans), dtype=np.int64, count=len(spans))
    lengths = np.maximum(lengths, 0)
    # the positions lo, lo + 1, ... hi - 1 of each article, one after the other
    at = np.repeat(lo - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
    m_form = np.asarray(a["m_form"])[at].astype(np.int64)
    m_flags = np.asarray(a["m_flags"])[at].astype(np.int64)
    m_defines = np.asarray(a["m_defines"])[at].astype(np.int64)
    return m_form, m_flags, m_defines, np.repeat(np.arange(len(order)), lengths)


def _per_article(
    groups: Iterable[list[str]],
    keys: dict[str, list[int]],
    m_form: np.ndarray,
    m_article: np.ndarray,
    size: int,
    order: list[str],
) -> list[dict[str, int]]:
    """For each group of name keys, its mentions per article (article id -> mentions, in the
    library's order; articles without one left out)."""
    group_of = np.full(size, -1, dtype=np.int64)
    n = 0
    for n, members in enumerate(groups, 1):
        for key in members:
            group_of[keys.get(key, [])] = n - 1
    if not n:
        return []
    g = group_of[m_form]
    mine = g >= 0
    width = max(len(order), 1)
    pairs, got = np.unique(g[mine] * width + m_article[mine], return_counts=True)
    which, article = np.divmod(pairs, width)
    bounds = np.searchsorted(which, np.arange(n + 1))
    return [
        dict(
            zip(
                [order[i] for i in article[bounds[k] : bounds[k + 1]].tolist()],
                got[bounds[k] : bounds[k + 1]].tolist(),
                strict=True,
            )
        )
        for k in range(n)
    ]


def _kind(
    members: list[str],
    total: Callable[..., int],
    lower_uses: Callable[[str], int],
    place_or_org: Callable[[list[str], str], str | None],
) -> str:
    for key in members:
        found = place_or_org(key.split(), key)
        if found:
            return found
    if sum(total(k, FLAG.TITLE) for k in members) > 0:
        return "person"
    if sum(total(k, FLAG.PLACE) for k in members) > 0:
        return "place"
    for key in members:
        words = key.split()
        if 1 < len(words) <= 4 and all(w.isalpha() and lower_uses(w) == 0 for w in words):
            return "person"
    if all(k.isupper() and k.isalpha() for k in members):
        return "organisation"
    return "other"

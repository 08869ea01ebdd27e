"""Themes: the topics running through a library's articles.

A theme is a name, a one-line description and a search query. Its ``passages`` are the sentences
the query matches (``SearchResult.total``) and ``articles`` counts them for every article of the
library, in library order, zeros included, so a bar can be drawn across the articles.

There are three kinds:

* **curated** themes come with a library, in ``themes.toml`` in its folder (``[[theme]]`` tables
  with ``name``, ``description`` and ``query``). A mistake in the file is reported in one line
  naming the file, the line and the theme; the other themes still load.
* **discovered** themes are computed from the articles themselves: words and two-word phrases
  (stopwords, verb forms and numbers left out, stemmed with the index's stemmer) found in at
  least two articles, scored by how evenly they spread over the articles times their inverse
  sentence frequency. A term in more than a quarter of all sentences is the library's subject
  ("North Korea"), not one of its themes; a word that nearly always comes in one phrase is left
  to the phrase ("United" to "United States"). The computation is plain Python over the stored
  article texts, no extra library: it takes milliseconds, and a keyword extraction package would
  add a dependency for little gain on a few dozen articles. Each theme's query is run before it
  is kept, so it parses and has hits. The result is cached in the library's index folder, keyed
  by a hash of the indexed files' SHA-256s, and recomputed when an article changes.
* **user** themes are saved searches, kept per library in the data directory
  (``<data>/themes/<library key>.json``), written atomically with mode 0600.

Nothing here calls Whoosh or imports Textual: queries are run through ``Library.search``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import tempfile
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths
from .engine import stem

if TYPE_CHECKING:
    from .library import Library

__all__ = [
    "CURATED_FILE",
    "Theme",
    "ThemeError",
    "UserThemes",
    "all_themes",
    "count",
    "discover",
    "load_curated",
    "manifest_hash",
    "user_themes_path",
]

CURATED_FILE = "themes.toml"
DISCOVERY_CACHE = "themes.json"
DISCOVERY_VERSION = 2  # bump when the algorithm changes, so old caches are recomputed
NAME_MAX = 80
KINDS = ("curated", "discovered", "user")
COMPANY_POOL = 60  # a discovered theme's description names its companions among the best terms
# Discovery reads at most this many articles, spread evenly through the library: enough to find
# what a large library keeps coming back to, in bounded time and memory (each theme's passages
# are then counted over the whole library by its query).
DISCOVERY_SAMPLE = 500


class ThemeError(ValueError):
    """A theme that cannot be added or changed; the message is one line saying why."""


@dataclass(slots=True)
class Theme:
    name: str
    description: str
    query: str
    kind: str  # "curated" | "discovered" | "user"
    passages: int = 0  # matching sentences in the whole library
    articles: dict[str, int] = field(default_factory=dict)  # article id -> count, library order
    error: str | None = None  # an unusable query: one line saying why
    source: str = ""  # where the theme comes from, for messages ("themes.toml, line 12")

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "query": self.query,
            "kind": self.kind,
            "passages": self.passages,
            "articles": dict(self.articles),
            "error": self.error,
        }


# -- counting ---------------------------------------------------------------------------------


def count(theme: Theme, library: Library) -> Theme:
    """Fill in ``passages`` and ``articles`` (or ``error``) by running the theme's query."""
    counts = {a.id: 0 for a in library.articles()}
    result = library.search(theme.query, limit=0)
    if result.error:
        theme.error = result.error
        theme.passages = 0
    else:
        theme.error = None
        theme.passages = result.total
        for article_id, _title, n in result.articles:
            if article_id in counts:
                counts[article_id] = n
    theme.articles = counts
    return theme


# -- curated themes ---------------------------------------------------------------------------

# A themes file holds a few hundred themes at most, some KB: one larger is not read whole.
MAX_CONFIG_BYTES = 4 * 1024 * 1024
_TOO_DEEP = "nested too deeply to be read (brackets inside brackets, hundreds deep)"


class _TooLarge(ValueError):
    pass


def _read_config(path: Path) -> bytes:
    """A themes file's bytes, at most ``MAX_CONFIG_BYTES`` (``_TooLarge`` past them)."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise _TooLarge(
            f"too large to be a themes file (over {MAX_CONFIG_BYTES // (1024 * 1024)} MB)"
        )
    return data


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_THEME_HEADER = re.compile(r"^\s*\[\[\s*(?:theme|\"theme\"|'theme')\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[")
_NAME_KEY = re.compile(r"^\s*(?:name|\"name\"|'name')\s*=")
_KNOWN_KEYS = {"name", "description", "query"}


def _display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _at(shown: str, line: int | None) -> str:
    return f"{shown}, line {line}" if line else shown


def _one_line(text: str) -> str:
    """Whitespace collapsed; control characters and bidirectional overrides become spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _key_line(text: str, key: str) -> int | None:
    """The line where a top-level ``key`` (or ``[key]``/``[[key]]`` table) is first written."""
    pattern = re.compile(
        rf"^\s*(?:\[\[?\s*)?(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*(?:=|\])"
    )
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def _theme_lines(text: str) -> list[tuple[int, int | None]]:
    """For each ``[[theme]]`` header in order: its line, and the line of its ``name =`` key."""
    found: list[tuple[int, int | None]] = []
    in_theme = False
    for number, line in enumerate(text.splitlines(), 1):
        if _THEME_HEADER.match(line):
            found.append((number, None))
            in_theme = True
        elif _TABLE_HEADER.match(line):
            in_theme = False
        elif in_theme and found[-1][1] is None and _NAME_KEY.match(line):
            found[-1] = (found[-1][0], number)
    return found


def load_curated(folder: Path) -> tuple[list[Theme], list[str]]:
    """The themes of ``folder/themes.toml``, and one warning per mistake found in the file.

    A missing file is not a mistake: it gives no themes and no warnings. Queries are not checked
    here (that needs the index); ``count`` sets ``error`` on a theme whose query is unusable.
    """
    path = Path(folder) / CURATED_FILE
    shown = _display_path(path)
    try:
        raw = _read_config(path)
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [f"{shown}: cannot be read: {exc.strerror or exc}"]
    except _TooLarge as exc:
        return [], [f"{shown}: {exc}; no curated themes loaded"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [f"{shown}: not UTF-8 text (byte {exc.start}); no curated themes loaded"]
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        return [], [f"{shown}: {_TOO_DEEP}; no curated themes loaded"]
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_POSITION.search(message)
        if where:
            message = message[: where.start()]
            place = f"line {where.group(1)}, column {where.group(2)}"
        else:
            message = message.replace(" (at end of document)", "")
            place = f"line {max(1, len(text.splitlines()))} (end of file)"
        return [], [f"{shown}, {place}: not valid TOML: {message}; no curated themes loaded"]

    entries = data.get("theme")
    if entries is None:
        return [], [f"{shown}: no [[theme]] tables found"]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        at = _at(shown, _key_line(text, "theme"))
        return [], [f"{at}: 'theme' must be a list of [[theme]] tables; none loaded"]
    warnings = [
        f"{_at(shown, _key_line(text, key))}: unknown top-level key {key!r} ignored"
        for key in data
        if key not in ("theme", "aliases")  # aliases: read by namelist.load_aliases
    ]
    lines = _theme_lines(text)
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        header, name_line = lines[i] if i < len(lines) else (None, None)
        line = name_line or header
        place = f"{shown}, line {line}" if line else f"{shown}, theme {i + 1}"
        name = entry.get("name")
        label = f"theme {name.strip()!r}" if isinstance(name, str) and name.strip() else "a theme"
        problems = []
        for key in ("name", "query"):
            value = entry.get(key)
            if value is None:
                problems.append(f"has no {key}")
            elif not isinstance(value, str) or not value.strip():
                problems.append(f"{key} must be non-empty text")
        description = entry.get("description", "")
        if not isinstance(description, str):
            problems.append("description must be text")
        if problems:
            warnings.append(f"{place}: {label} {' and '.join(problems)}; skipped")
            continue
        assert isinstance(name, str)
        name = _one_line(name)
        if not name:
            warnings.append(f"{place}: {label} has a name of only control characters; skipped")
            continue
        for key in sorted(set(entry) - _KNOWN_KEYS):
            warnings.append(f"{place}: {label}: unknown key {key!r} ignored")
        folded = name.casefold()
        if folded in seen:
            warnings.append(
                f"{place}: {label} repeats the name of the theme on line {seen[folded]}; skipped"
            )
            continue
        seen[folded] = line or 0
        themes.append(
            Theme(
                name=name[:NAME_MAX],
                description=_one_line(description),
                query=entry["query"].strip(),
                kind="curated",
                source=place,
            )
        )
    return themes, warnings


# -- discovered themes ------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:[.'’]\w+)*")  # the engine's tokenizer
_POSSESSIVE = re.compile(r"['’]s$")

# Function words, plus verbs, adverbs and vague adjectives that make poor theme names.
_STOP = frozenset(
    """
    a about above across after again against all almost along already also although always am
    among an and another any anyone anything are around as at away back be became because become
    becomes been before being below best better between beyond both but by can cannot could did
    do does doing done down during each either else enough even ever every few first for from
    further get gets getting given gives go goes going got great had has have having he her here
    hers him his how however i if in including into is it its itself just last least less like
    likely made make makes making many may me might more moreover most much must my near nearly
    neither never new next no nor not now of off often on once one only onto or other others
    otherwise our ours out over own part per perhaps put quite rather really said same say says
    see seem seemed seems seen several shall she should since so some such than that the their
    theirs them themselves then there therefore these they thing things this those though three
    through thus to too toward towards two under until up upon us use used uses using very via
    was we well were what whatever when where whether which while who whom whose why will with
    within without would yet you your yours
    able according across actually add added adds allow allowed allows alongside ago already
    among amount another appear appears approach around ask asked based become becoming began
    begin believe believed bring brings call called came can't case cases certain clear come
    comes coming consider considered continue continues could create created day days despite
    different directly does don't due e.g especially etc even example existing face faced faces
    fact far find found full gain gained gains give given going good greater grow grown growing
    high higher i.e important include includes including increase increased increasing increases
    indeed instead keep key know known large largest later lead leading leads least left let
    level like little long longer look looking looks lot low made main major mean means meant
    might million millions moment much need needed needs new number offer offered offers old
    one ones open order others particular particularly past perceived place play point possible
    potential potentially pose poses present presented presents provide provided provides
    providing put raise raised raises range reason recent recently related remain remains report
    reported reports result results rise risk risks run running see seek seeking seemingly set
    shape show shows side sides significant significantly since small so-called something start
    still strong such suggest take taken takes taking term terms time times today together took
    toward true turn turned two under unlike use various way ways well went whole wide within
    without work working world worse year years yes
    access amounts area areas aspect aspects attention concern concerns countries country
    development developments effect effects effort efforts factor factors form forms impact
    impacts implication implications issue issues kind kinds manner matter matters means nation
    nations nature need needs people piece position possibility question questions relationship
    relationships role roles situation situations sort step steps thing things
    type types use view views
    """.split()
)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _word(surface: str) -> str | None:
    """A token as a theme word (possessive dropped), or None for stopwords, numbers, scraps."""
    word = _POSSESSIVE.sub("", surface)
    low = word.lower().replace("’", "'")
    if len(low) < 3 or low in _STOP or any(c.isdigit() for c in low) or "_" in low:
        return None
    if low.endswith("ly") and len(low) > 4:  # adverbs: rarely a topic
        return None
    return word


@dataclass(slots=True)
class _Candidate:
    stems: tuple[str, ...]
    sentences: set[tuple[int, int]] = field(default_factory=set)  # (article index, sentence)
    forms: Counter[str] = field(default_factory=Counter)


def manifest_hash(library: Library) -> str:
    """A hash of what is indexed: article ids and file contents, in library order."""
    digest = hashlib.sha256(f"glossator-themes-{DISCOVERY_VERSION}\n".encode())
    for info in library.articles():
        digest.update(f"{info.id}\0{info.sha256}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _gather(texts: list[list[str]]) -> tuple[dict[tuple[str, ...], _Candidate], int]:
    """Unigram and two-word candidates from each article's sentences.

    Two passes: the first counts the sentences each candidate is in, the second keeps the details
    (which sentences, which spellings) only of those in two or more, the only ones that can make a
    theme. Most two-word candidates occur once, so this keeps memory to a fraction.
    """

    def candidates(sentence: str) -> Iterator[tuple[tuple[str, ...], str]]:
        previous: tuple[int, str, str] | None = None  # (end, word, stem)
        for start, end, surface in _tokens(sentence):
            word = _word(surface)
            if word is None:
                previous = None
                continue
            stemmed = stem(word.lower())
            yield (stemmed,), word
            # two words make a phrase only when nothing but spaces separates them
            if previous and sentence[previous[0] : start].isspace():
                yield (previous[2], stemmed), f"{previous[1]} {word}"
            # a possessive ends a phrase ("Korea's economy" is not "korea economy")
            previous = None if word != surface else (end, word, stemmed)

    in_sentences: Counter[tuple[str, ...]] = Counter()
    total = 0
    for sentences in texts:
        for sentence in sentences:
            total += 1
            in_sentences.update({stems for stems, _ in candidates(sentence)})

    found: dict[tuple[str, ...], _Candidate] = {}
    for a, sentences in enumerate(texts):
        for s, sentence in enumerate(sentences):
            for stems, form in candidates(sentence):
                if in_sentences[stems] < 2:
                    continue
                cand = found.get(stems)
                if cand is None:
                    cand = found[stems] = _Candidate(stems)
                cand.sentences.add((a, s))
                cand.forms[form] += 1
    return found, total


def _per_article(cand: _Candidate) -> Counter[int]:
    return Counter(a for a, _ in cand.sentences)


def _score(cand: _Candidate, sentences: int) -> float:
    """Spread-out frequency times rarity: high for a topic many articles come back to.

    Each article contributes its matching sentences up to three, so a term that fills one article
    ("trade" in an article about the arms trade) counts less than one found in every article; the
    rarity is the inverse sentence frequency. Phrases get a bonus: "artillery shells" says more
    than "artillery".
    """
    spread = sum(min(n, 3) for n in _per_article(cand).values())
    idf = math.log((sentences + 1) / len(cand.sentences))
    weight = 1.8 if len(cand.stems) > 1 else 1.0
    return weight * spread * idf


def _display_form(cand: _Candidate) -> str:
    """The most frequent spelling; lowercase unless it is always capitalised (a name)."""
    form, _ = max(cand.forms.items(), key=lambda kv: (kv[1], kv[0].islower(), kv[0]))
    words = form.split()
    out = []
    for i, w in enumerate(words):
        capitalised = all(f.split()[i][:1].isupper() for f in cand.forms)
        out.append(w if capitalised or w.isupper() else w.lower())
    return " ".join(out)


def _is_name(form: str) -> bool:
    return all(w[:1].isupper() for w in form.split())


_VERB_FORM = re.compile(r"(?:ing|ed)$")
_DEMONYM = re.compile(r"(?:an|ese)$")  # Korean, Russian, American, Chinese: adjectives of names


def _eligible(
    cand: _Candidate,
    form: str,
    subject: set[str],
    phrases_of: dict[str, list[_Candidate]],
) -> bool:
    """Whether a frequent enough candidate makes a theme on its own."""
    if len(cand.stems) == 1:
        if not _is_name(form) and _VERB_FORM.search(form):
            return False  # "escalating", "supplied": verbs make poor topics
        if _is_name(form) and _DEMONYM.search(form):
            return False
        # a word that nearly always comes in one phrase is that phrase ("United" in "United
        # States"): the phrase stands for it
        sf = len(cand.sentences)
        return all(len(p.sentences) < 0.75 * sf for p in phrases_of.get(cand.stems[0], ()))
    if _is_name(form) and subject & set(cand.stems):
        return False  # "North Korean", "Russian Federation": the library's subject again
    return not _VERB_FORM.search(form.split()[-1])


def _query_for(text: str) -> str:
    return f'"{text}"' if len(text.split()) > 1 else text


def _sample(infos: list, size: int = DISCOVERY_SAMPLE) -> list:
    """``size`` articles spread evenly through ``infos`` (all of them when there are fewer)."""
    if len(infos) <= size:
        return infos
    step = len(infos) / size
    return [infos[int(i * step)] for i in range(size)]


def _compute(library: Library, n: int) -> list[Theme]:
    infos = _sample(library.articles())
    texts: list[list[str]] = []
    for info in infos:
        article = library.article(info.id)
        texts.append([s.text for s in article.sentences] if article else [])
    found, total = _gather(texts)
    if not total or n < 1:
        return []
    min_spread = min(2, len(infos))
    ceiling = max(3.0, total * 0.25)  # in a quarter of all sentences: the subject, not a theme
    subject = {
        c.stems[0] for c in found.values() if len(c.stems) == 1 and len(c.sentences) > ceiling
    }
    phrases_of: dict[str, list[_Candidate]] = {}
    for cand in found.values():
        if len(cand.stems) > 1 and len(cand.sentences) >= 2:
            for st in set(cand.stems):
                phrases_of.setdefault(st, []).append(cand)
    scored: list[tuple[float, _Candidate, str]] = []
    for cand in found.values():
        sf = len(cand.sentences)
        if sf < 2 or sf > ceiling or len(_per_article(cand)) < min_spread:
            continue
        form = _display_form(cand)
        if _eligible(cand, form, subject, phrases_of):
            scored.append((_score(cand, total), cand, form))
    scored.sort(key=lambda x: (-x[0], x[1].stems))

    themes: list[Theme] = []
    used: set[str] = set()
    picked: list[_Candidate] = []
    for _, cand, form in scored:
        if len(themes) >= n:
            break
        if used & set(cand.stems):
            continue  # overlaps a theme already picked ("artillery" after "artillery shells")
        theme = count(Theme(form, "", _query_for(form), "discovered", source="discovered"), library)
        if theme.error or theme.passages < 2:
            continue
        used.update(cand.stems)
        picked.append(cand)
        themes.append(theme)
    for theme, cand in zip(themes, picked, strict=True):
        theme.name = theme.name[:1].upper() + theme.name[1:]
        theme.description = _describe(theme, cand, scored)
    return themes


def _describe(theme: Theme, cand: _Candidate, scored: list[tuple[float, _Candidate, str]]) -> str:
    """'Found in 4 of 5 articles, often with ammunition, stockpiles and rockets.'"""
    present = sum(1 for v in theme.articles.values() if v)
    company: list[tuple[float, str]] = []
    for score, other, form in scored[:COMPANY_POOL]:
        if set(other.stems) & set(cand.stems):
            continue
        shared = len(cand.sentences & other.sentences)
        if shared >= 2:
            company.append((shared * score / len(other.sentences), form))
    company.sort(key=lambda x: (-x[0], x[1]))
    words: list[str] = []
    for _, form in company:
        if not any(set(form.lower().split()) & set(w.lower().split()) for w in words):
            words.append(form)
        if len(words) == 3:
            break
    line = f"Found in {present} of {len(theme.articles)} articles"
    if len(words) > 1:
        line += f", often with {', '.join(words[:-1])} and {words[-1]}"
    elif words:
        line += f", often with {words[0]}"
    return line + "."


def _read_cache(path: Path, key: str) -> list[Theme] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("key") != key:
            return None
        return [
            Theme(
                name=t["name"],
                description=t["description"],
                query=t["query"],
                kind="discovered",
                passages=int(t["passages"]),
                articles={str(k): int(v) for k, v in t["articles"].items()},
                source="discovered",
            )
            for t in data["themes"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _atomic_write(path: Path, text: str, mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so readers never see
    half a file; the file gets ``mode`` whatever the umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _private_dirs(folder: Path) -> None:
    """Make ``folder`` and any missing parents. Those made here inside the data folder (the data
    folder included) are readable only by their owner, 0700 whatever the umask; folders that
    were there already are left as they are."""
    data = paths.data_dir()
    missing: list[Path] = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for made in reversed(missing):
        private = made == data or data in made.parents
        made.mkdir(mode=0o700 if private else 0o777, exist_ok=True)
        if private:
            with contextlib.suppress(OSError):
                os.chmod(made, 0o700)


def discover(library: Library, n: int = 8) -> list[Theme]:
    """Up to ``n`` themes found in the articles themselves, each a valid query with hits.

    Cached in ``library.index_dir / "themes.json"`` and recomputed when the indexed articles
    change (the cache is keyed by a hash of their SHA-256s) or when a different ``n`` is asked.
    """
    if not library.articles():
        return []  # nothing indexed (yet): nothing to find, and no cache file in an empty folder
    key = f"{manifest_hash(library)}:{n}"
    cache = library.index_dir / DISCOVERY_CACHE
    cached = _read_cache(cache, key)
    if cached is not None:
        return cached
    themes = _compute(library, n)
    data = {
        "key": key,
        "themes": [
            {k: v for k, v in t.to_json().items() if k not in ("kind", "error")} for t in themes
        ],
    }
    with contextlib.suppress(OSError):  # the cache is only a cache
        _atomic_write(cache, json.dumps(data, ensure_ascii=False, indent=1), 0o644)
    return themes


# -- user themes ------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def user_themes_path(library: Library) -> Path:
    return paths.data_dir() / "themes" / f"{library.key}.json"


def _clean_name(name: str) -> str:
    if not isinstance(name, str):
        raise ThemeError("a theme's name must be text")
    cleaned = " ".join(_CONTROL.sub(" ", name).split())
    if not cleaned:
        raise ThemeError("a theme needs a name")
    if len(cleaned) > NAME_MAX:
        raise ThemeError(f"a theme's name can be {NAME_MAX} characters at most")
    return cleaned


def _json_key_line(raw: str, key: str) -> int | None:
    match = re.search(rf'"{re.escape(key)}"\s*:', raw)
    return raw.count("\n", 0, match.start()) + 1 if match else None


def _json_item_lines(raw: str, count: int) -> list[int] | None:
    """The line on which each item of the file's "themes" list starts (None if not found)."""
    match = re.search(r'"themes"\s*:\s*\[', raw)
    if match is None:
        return None
    decoder = json.JSONDecoder()
    lines: list[int] = []
    pos = match.end()
    try:
        for _ in range(count):
            while raw[pos] in " \t\r\n,":
                pos += 1
            lines.append(raw.count("\n", 0, pos) + 1)
            _, pos = decoder.raw_decode(raw, pos)
    except (ValueError, IndexError):
        return None
    return lines


class UserThemes:
    """The user's own themes for one library: saved searches with a name.

    ``check`` (usually ``library``) is used to make sure a query parses before it is saved; with
    none, queries are only checked for being non-empty. A file that cannot be read is reported in
    ``warnings`` and left as it is: changes are refused rather than overwrite it.
    """

    VERSION = 1

    def __init__(self, path: Path, library: Library | None = None) -> None:
        self.path = Path(path)
        self.library = library
        self.warnings: list[str] = []
        self._broken = False
        self._themes: list[Theme] = self._load()

    @classmethod
    def for_library(cls, library: Library) -> UserThemes:
        return cls(user_themes_path(library), library)

    # -- reading ---------------------------------------------------------------------------

    def _load(self) -> list[Theme]:
        shown = _display_path(self.path)
        try:
            raw = _read_config(self.path).decode("utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError, _TooLarge) as exc:
            self._broken = True
            self.warnings.append(f"{shown}: cannot be read ({exc}); your themes are not loaded")
            return []
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            self._broken = True
            self.warnings.append(
                f"{shown}, line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); "
                "your themes are not loaded and the file is left as it is"
            )
            return []
        except (RecursionError, ValueError) as exc:  # nested hundreds deep; a huge number
            self._broken = True
            why = _TOO_DEEP if isinstance(exc, RecursionError) else str(exc)
            self.warnings.append(
                f"{shown}: {why}; your themes are not loaded and the file is left as it is"
            )
            return []
        entries = data.get("themes") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            self._broken = True
            where = _at(shown, _json_key_line(raw, "themes"))
            self.warnings.append(
                f'{where}: not a themes file (no list of themes under "themes"); '
                "your themes are not loaded and the file is left as it is"
            )
            return []
        lines = _json_item_lines(raw, len(entries))
        themes: list[Theme] = []
        seen: set[str] = set()
        for i, entry in enumerate(entries, 1):
            place = f"{shown}, line {lines[i - 1]}" if lines else shown
            try:
                name = _clean_name(entry["name"])
                query = entry["query"]
                description = entry.get("description", "")
                if not isinstance(query, str) or not query.strip():
                    raise ThemeError("its query is empty")
                if not isinstance(description, str):
                    raise ThemeError("its description is not text")
            except (ThemeError, KeyError, TypeError, AttributeError) as exc:
                why = f"it has no {exc}" if isinstance(exc, KeyError) else str(exc)
                self.warnings.append(f"{place}: theme {i} skipped: {why}")
                continue
            if name.casefold() in seen:
                self.warnings.append(f"{place}: theme {name!r} appears twice; the first is kept")
                continue
            seen.add(name.casefold())
            themes.append(
                Theme(name, description, query.strip(), "user", source=f"{shown}, {name!r}")
            )
        return themes

    def themes(self) -> list[Theme]:
        return [
            Theme(t.name, t.description, t.query, t.kind, source=t.source) for t in self._themes
        ]

    def names(self) -> list[str]:
        return [t.name for t in self._themes]

    def get(self, name: str) -> Theme | None:
        folded = " ".join(name.split()).casefold()
        return next((t for t in self._themes if t.name.casefold() == folded), None)

    # -- changing --------------------------------------------------------------------------

    def _check_query(self, query: str) -> str:
        if not isinstance(query, str) or not query.strip():
            raise ThemeError("a theme needs a query")
        query = query.strip()
        if self.library is not None:
            error = self.library.search(query, limit=0).error
            if error:
                raise ThemeError(f"unusable query: {error}")
        return query

    def _writable(self) -> None:
        if self._broken:
            raise ThemeError(
                f"{_display_path(self.path)} could not be read; fix or remove it before "
                "changing your themes"
            )

    def add(self, name: str, query: str, description: str = "") -> Theme:
        self._writable()
        name = _clean_name(name)
        if self.get(name) is not None:
            raise ThemeError(f"there is already a theme called {name!r}")
        query = self._check_query(query)
        description = " ".join(_CONTROL.sub(" ", description or "").split())
        shown = _display_path(self.path)
        theme = Theme(name, description, query, "user", source=f"{shown}, {name!r}")
        self._themes.append(theme)
        self._save()
        return theme

    def rename(self, old: str, new: str) -> Theme:
        self._writable()
        theme = self.get(old)
        if theme is None:
            raise ThemeError(f"there is no theme called {old!r}")
        new = _clean_name(new)
        other = self.get(new)
        if other is not None and other is not theme:
            raise ThemeError(f"there is already a theme called {new!r}")
        theme.name = new
        self._save()
        return theme

    def update(self, name: str, query: str | None = None, description: str | None = None) -> Theme:
        """Change a theme's query or description."""
        self._writable()
        theme = self.get(name)
        if theme is None:
            raise ThemeError(f"there is no theme called {name!r}")
        if query is not None:
            theme.query = self._check_query(query)
        if description is not None:
            theme.description = " ".join(_CONTROL.sub(" ", description).split())
        self._save()
        return theme

    def delete(self, name: str) -> None:
        self._writable()
        theme = self.get(name)
        if theme is None:
            raise ThemeError(f"there is no theme called {name!r}")
        self._themes.remove(theme)
        self._save()

    def _save(self) -> None:
        data = {
            "version": self.VERSION,
            "themes": [
                {"name": t.name, "description": t.description, "query": t.query}
                for t in self._themes
            ],
        }
        try:
            _private_dirs(self.path.parent)
            _atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        except OSError as exc:
            raise ThemeError(
                f"could not save your themes to {self.path}: {exc.strerror or exc}"
            ) from exc


# -- everything together ----------------------------------------------------------------------


def all_themes(
    library: Library, discovered: int = 8, kinds: Iterable[str] = KINDS
) -> tuple[list[Theme], list[str]]:
    """Curated, discovered and user themes, in that order, each counted; and the warnings.

    A theme whose query cannot be used is kept, with ``error`` set, and also reported in the
    warnings. ``kinds`` leaves some kinds out.
    """
    wanted = set(kinds)
    themes: list[Theme] = []
    warnings: list[str] = []
    if "curated" in wanted:
        curated, problems = load_curated(library.folder)
        warnings.extend(problems)
        for theme in curated:
            count(theme, library)
            if theme.error:
                warnings.append(
                    f"{theme.source}: theme {theme.name!r} has an unusable query: {theme.error}"
                )
        themes.extend(curated)
    if "discovered" in wanted and discovered > 0:
        themes.extend(discover(library, discovered))
    if "user" in wanted:
        user = UserThemes.for_library(library)
        warnings.extend(user.warnings)
        for theme in user.themes():
            count(theme, library)
            if theme.error:
                warnings.append(f"your theme {theme.name!r} has an unusable query: {theme.error}")
            themes.append(theme)
    return themes, warnings

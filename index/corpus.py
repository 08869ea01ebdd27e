"""The study store: every article's words in order, where each starts, and the names it holds.

Concordance sorting, collocates, keywords, word counts and names need the words of the articles
in order, which a full-text index does not keep (it keeps, for each word, where it is). This
store keeps them beside the index, in ``<index folder>.study/``, built with it: ``Library.update``
hands every article it indexes to a ``Builder`` and commits it after the index. One word is one
token of the index's own tokenizer, keyed as the study views show it (``word_key``): lower case,
possessive dropped, an acronym in capitals without its dots ("D.P.R.K." and "DPRK" are "DPRK").

Files (numpy arrays, read memory-mapped; a generation number in their names, so a reader never
sees half an update): ``tokens`` (each word's number in ``words.txt``), ``starts`` (its character
offset in the article text), ``sentences`` (each sentence's start), the names' mentions
(``names.py``), and ``store.json``, the table of articles (id, SHA-256, where its slices are),
written last. The store is a cache of the index: an article missing from it (a crash between the
two commits, a store deleted) is read back from the index and added when the store is next
opened.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import names as names_mod
from .engine import Cancelled
from .model import Article

if TYPE_CHECKING:
    from .library import Library

__all__ = ["Builder", "Cancelled", "Corpus", "Entry", "corpus", "word_key"]

STORE_VERSION = 1
FOLDER = "study"
_TOKEN = re.compile(r"\w+(?:[.'’]\w+)*")  # the engine's tokenizer
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_POSSESSIVE = re.compile(r"['’][sS]$")
ARRAYS = ("tokens", "starts", "sentences", *names_mod.ARRAYS)


def word_key(word: str) -> str:
    """How the study views count a word: "Shells" and "shells" are "shells", "Korea’s" is
    "korea", "D.P.R.K" and "DPRK" are "DPRK" (short words in capitals are acronyms)."""
    if "." in word and _DOTTED.fullmatch(word):
        return word.replace(".", "").upper()
    if "'" in word or "’" in word:
        word = _POSSESSIVE.sub("", word)
    if 1 < len(word) <= 5 and word.isupper():
        return word
    return word.lower().replace("’", "'")


@dataclass(frozen=True, slots=True)
class Entry:
    """One article's place in the store's arrays."""

    id: str
    sha256: str
    length: int  # characters of the article text
    tokens: tuple[int, int]  # [lo, hi) in tokens/starts
    sentences: tuple[int, int]  # [lo, hi) in sentences
    mentions: tuple[int, int]  # [lo, hi) in the names' arrays

    @property
    def words(self) -> int:
        return self.tokens[1] - self.tokens[0]


class _Vocabulary:
    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.ids = {w: i for i, w in enumerate(words)}
        self._surface: dict[str, int] = {}

    def id(self, surface: str) -> int:
        found = self._surface.get(surface)
        if found is None:
            key = word_key(surface)
            found = self.ids.get(key)
            if found is None:
                found = self.ids[key] = len(self.words)
                self.words.append(key)
            if len(self._surface) < 2_000_000:
                self._surface[surface] = found
        return found


def _analyse(article: Article, vocab: _Vocabulary, namer: names_mod.Namer) -> dict:
    """An article's arrays: its words, their starts, its sentence starts, its name mentions."""
    text = article.text
    ids: list[int] = []
    starts: list[int] = []
    vid = vocab.id
    for m in _TOKEN.finditer(text):
        ids.append(vid(m.group()))
        starts.append(m.start())
    sentence_starts = [s.start for s in article.sentences]
    headings = [(b.start, b.end) for b in article.blocks if b.kind == "heading"]
    found = namer.mentions(text, sentence_starts, headings)
    return {
        "tokens": np.array(ids, dtype=np.uint32),
        "starts": np.array(starts, dtype=np.uint32),
        "sentences": np.array(sentence_starts, dtype=np.uint32),
        **found,
    }


class Corpus:
    """An opened store: read-only, shared between threads."""

    def __init__(self, folder: Path, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        self.folder = folder
        self.generation: int = meta["generation"]
        self.stamp: str = meta["stamp"]
        self.words: list[str] = meta["words"]
        self.ids = {w: i for i, w in enumerate(self.words)}
        self.forms: list[str] = meta["forms"]  # the names' surface forms
        self.entries: dict[str, Entry] = {
            e["id"]: Entry(
                e["id"],
                e["sha256"],
                e["length"],
                (e["tokens"][0], e["tokens"][1]),
                (e["sentences"][0], e["sentences"][1]),
                (e["mentions"][0], e["mentions"][1]),
            )
            for e in meta["articles"]
        }
        self.arrays = arrays
        self.tokens = arrays["tokens"]
        self.starts = arrays["starts"]
        self.sentence_starts = arrays["sentences"]
        self._freq: np.ndarray | None = None
        self._lock = threading.Lock()
        self.signature: tuple = ()  # (store.json's stat, the library table's id) when checked

    @property
    def total(self) -> int:
        """Words in the library (the tokens of articles still in it)."""
        return int(self.frequencies.sum())

    @property
    def frequencies(self) -> np.ndarray:
        """How often each word occurs in the library, by word number."""
        if self._freq is None:
            with self._lock:
                if self._freq is None:
                    freq = np.zeros(len(self.words), dtype=np.int64)
                    for entry in self.entries.values():
                        lo, hi = entry.tokens
                        freq += np.bincount(self.tokens[lo:hi], minlength=len(self.words))
                    self._freq = freq
        return self._freq

    def article_tokens(self, article_id: str) -> tuple[np.ndarray, np.ndarray]:
        """An article's word numbers and their starts."""
        lo, hi = self.entries[article_id].tokens
        return self.tokens[lo:hi], self.starts[lo:hi]

    def article_sentences(self, article_id: str) -> np.ndarray:
        lo, hi = self.entries[article_id].sentences
        return self.sentence_starts[lo:hi]


# -- writing ----------------------------------------------------------------------------------


def study_dir(index_dir: Path) -> Path:
    """Beside the index folder, not in it (Whoosh owns that one): ``<index>.study``."""
    return index_dir.with_name(index_dir.name + ".study")


def _read_meta(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / "store.json").read_text("utf-8"))
        if meta.get("version") != STORE_VERSION:
            return None
        return meta
    except (OSError, ValueError, AttributeError, RecursionError):
        return None


def _open(folder: Path) -> Corpus | None:
    meta = _read_meta(folder)
    if meta is None:
        return None
    try:
        arrays = {
            name: np.load(folder / f"{name}.{meta['generation']}.npy", mmap_mode="r")
            for name in ARRAYS
        }
        return Corpus(folder, meta, arrays)
    except (OSError, ValueError, KeyError, TypeError):
        return None


class Builder:
    """Collects the articles of one update, then writes the store anew (``commit``)."""

    def __init__(self, index_dir: Path, fresh: bool = False) -> None:
        self.folder = study_dir(index_dir)
        self.old = None if fresh else _open(self.folder)
        words = list(self.old.words) if self.old else []
        forms = list(self.old.forms) if self.old else []
        self.vocab = _Vocabulary(words)
        self.namer = names_mod.Namer(forms)
        self.added: dict[str, tuple[Entry, dict]] = {}
        # no store to update from (new, or of another version): written even if nothing changed
        self.stale = self.old is None

    def add(self, article: Article, sha256: str) -> None:
        arrays = _analyse(article, self.vocab, self.namer)
        entry = Entry(article.id, sha256, len(article.text), (0, 0), (0, 0), (0, 0))
        self.added[article.id] = (entry, arrays)

    def commit(self, keep: dict[str, str]) -> None:
        """Write the store: the articles of ``keep`` (id -> SHA-256), each from this update or
        else from the old store when its SHA-256 matches; the others are left out."""
        pieces: dict[str, list[np.ndarray]] = {name: [] for name in ARRAYS}
        at = dict.fromkeys(ARRAYS, 0)
        entries = []
        old = self.old
        for article_id, sha in keep.items():
            if article_id in self.added:
                entry, arrays = self.added[article_id]
            elif old is not None and article_id in old.entries:
                entry = old.entries[article_id]
                if entry.sha256 != sha:
                    continue
                arrays = {
                    "tokens": old.tokens[slice(*entry.tokens)],
                    "starts": old.starts[slice(*entry.tokens)],
                    "sentences": old.sentence_starts[slice(*entry.sentences)],
                    **{n: old.arrays[n][slice(*entry.mentions)] for n in names_mod.ARRAYS},
                }
            else:
                continue
            spans = {}
            for name in ARRAYS:
                pieces[name].append(arrays[name])
            for group, names in (
                ("tokens", ("tokens",)),
                ("sentences", ("sentences",)),
                ("mentions", names_mod.ARRAYS),
            ):
                first = names[0]
                n = len(arrays[first])
                spans[group] = [at[first], at[first] + n]
                for name in names:
                    at[name] += n
            entries.append(
                {
                    "id": article_id,
                    "sha256": entry.sha256,
                    "length": entry.length,
                    **spans,
                }
            )
        generation = (old.generation + 1) if old is not None else 1
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in ARRAYS:
            dtype = np.uint32
            data = np.concatenate(pieces[name]) if pieces[name] else np.zeros(0, dtype=dtype)
            np.save(self.folder / f"{name}.{generation}.npy", data.astype(dtype, copy=False))
        meta = {
            "version": STORE_VERSION,
            "generation": generation,
            "stamp": os.urandom(8).hex(),  # this commit's own: what caches of it are keyed by
            "words": self.vocab.words,
            "forms": self.namer.forms,
            "articles": entries,
        }
        tmp = self.folder / "store.json.tmp"
        tmp.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        tmp.replace(self.folder / "store.json")
        for child in self.folder.iterdir():  # earlier generations (open maps stay readable)
            parts = child.name.split(".")
            if len(parts) == 3 and parts[2] == "npy" and parts[1] != str(generation):
                with contextlib.suppress(OSError):
                    child.unlink()
        _cache.pop(str(self.folder), None)


# -- reading ----------------------------------------------------------------------------------

_cache: dict[str, Corpus] = {}
_cache_lock = threading.Lock()


def corpus(library: Library, cancelled: Callable[[], bool] | None = None) -> Corpus:
    """The library's store, opened once and shared; articles the index holds but the store
    lacks (or holds in another version) are read back from the index and added first."""
    folder = study_dir(library.engine.directory)  # beside the index in use (or its fallback)
    key = str(folder)
    try:
        st = (folder / "store.json").stat()
        signature: tuple = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        signature = ()
    manifest = getattr(library, "_manifest", None)  # the library's table, replaced when it changes
    with _cache_lock:
        found = _cache.get(key)
        if found is not None and signature and found.signature == (signature, id(manifest)):
            return found  # the same store, already checked against the same table of articles
        meta = _read_meta(folder) if found is not None else None
        if found is not None and meta is not None and meta.get("stamp") == found.stamp:
            if _complete(found, library):
                found.signature = (signature, id(manifest))
                return found
        opened = _open(folder)
        if opened is None or not _complete(opened, library):
            _heal(library, opened, cancelled)
            opened = _open(folder)
            if opened is None:
                raise OSError(f"the study store in {folder} could not be written")
        try:
            st = (folder / "store.json").stat()
            opened.signature = ((st.st_mtime_ns, st.st_size, st.st_ino), id(manifest))
        except OSError:
            pass
        _cache[key] = opened
        return opened


def _complete(store: Corpus, library: Library) -> bool:
    infos = library.articles()
    if len(infos) != len(store.entries):
        return False
    return all(
        (e := store.entries.get(info.id)) is not None and e.sha256 == info.sha256 for info in infos
    )


def _heal(library: Library, store: Corpus | None, cancelled: Callable[[], bool] | None) -> None:
    builder = Builder(library.engine.directory, fresh=store is None)
    keep = {info.id: info.sha256 for info in library.articles()}
    for n, (article_id, sha) in enumerate(keep.items()):
        if cancelled is not None and not n % 64 and cancelled():
            raise Cancelled
        entry = store.entries.get(article_id) if store else None
        if entry is not None and entry.sha256 == sha:
            continue
        article = library.article(article_id)
        if article is not None:
            builder.add(article, sha)
    builder.commit(keep)

#!/usr/bin/env python3
"""Glossator's benchmark: figures, not tests. Run by hand; see the README's Performance section.

    python tests/bench/bench.py [--articles N] [--json] [--skip-app]

Generates a deterministic library of N articles (~5 KB each: Zipf-distributed vocabulary,
paragraphs, abbreviations, list items) in a temp folder, then measures on this machine:
build_s, index_mb, update_s, noop_ms, search_p50_ms/p95 (the app's keystroke path: the search and
the highlighted sentences of the first 20 results), search_full_p50_ms/p95 (what the app's search
worker does next: the count over the whole library and up to 1,000 passages), fts5_p50_ms/p95
(SQLite FTS5 with the porter tokenizer and snippet()/highlight() of the best 20 on the same
articles and queries), startup_ratio (first paint
of glossator over a bare Textual app) and rss_mb (peak memory of the app with the library open and
one search done).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261122

CONSONANTS = "bcdfghjklmnprstvwz"
VOWELS = "aeiou"
FUNCTION_WORDS = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which "
    "but have an they you were their one all we can her has there been if more when will would who "
    "so no its also than other into after some could them these two may only most over such"
).split()
TOPIC_WORDS = (
    "artillery shells munitions sanctions missile nuclear technology russia korea china ukraine "
    "weapons supply military regime diplomatic pressure border trade deal summit leader minister "
    "intelligence stockpile ammunition conflict alliance security region economy export"
).split()
ABBREVIATIONS = ["U.S.", "D.P.R.K.", "U.N.", "E.U.", "Dr.", "Mr.", "No. 4", "approx."]


def make_vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    words = set(TOPIC_WORDS)
    while len(words) < size:
        syllables = rng.choice((1, 2, 2, 3, 3, 4))
        word = "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(syllables))
        if rng.random() < 0.3:
            word += rng.choice(("s", "ed", "ing", "ion", "er", "ly"))
        words.add(word)
    return sorted(words)


class Writer:
    """Realistic-looking English-shaped text with a Zipf distribution of content words."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        vocab = make_vocabulary(rng)
        rng.shuffle(vocab)
        self.vocab = vocab
        weights = [1 / (rank + 1) for rank in range(len(vocab))]
        total = sum(weights)
        self.cum = []
        acc = 0.0
        for w in weights:
            acc += w / total
            self.cum.append(acc)

    def word(self) -> str:
        import bisect

        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(FUNCTION_WORDS)
        return self.vocab[min(bisect.bisect_left(self.cum, self.rng.random()), len(self.vocab) - 1)]

    def sentence(self) -> str:
        n = self.rng.randint(8, 28)
        words = [self.word() for _ in range(n)]
        if self.rng.random() < 0.15:
            words.insert(self.rng.randint(1, n - 1), self.rng.choice(ABBREVIATIONS))
        if self.rng.random() < 0.1:
            words.insert(
                self.rng.randint(1, n - 1),
                f"{self.rng.randint(1, 99)},{self.rng.randint(100, 999)}",
            )
        words[0] = words[0].capitalize()
        return " ".join(words) + self.rng.choice(".....?!")

    def article(self, index: int, size: int = 5000) -> str:
        title = " ".join(self.word() for _ in range(self.rng.randint(4, 9))).title()
        parts = [title, "", f"By {self.word().title()} {self.word().title()}", ""]
        length = 0
        while length < size:
            if self.rng.random() < 0.1:
                parts += [" ".join(self.word() for _ in range(3)).capitalize(), ""]
            if self.rng.random() < 0.1:
                for i in range(self.rng.randint(2, 4)):
                    parts.append(f"  {i + 1}. {self.sentence()}")
                parts.append("")
            paragraph = " ".join(self.sentence() for _ in range(self.rng.randint(2, 7)))
            parts += [paragraph, ""]
            length += len(paragraph)
        return "\n".join(parts)


def generate(folder: Path, n: int) -> list[str]:
    rng = random.Random(SEED)
    writer = Writer(rng)
    for i in range(n):
        (folder / f"article_{i:05d}.txt").write_text(writer.article(i), "utf-8")
    # queries: one and two words, a phrase, a prefix, drawn from the text's own vocabulary
    qrng = random.Random(SEED + 1)
    common = [w for w in writer.vocab[:3000]] + TOPIC_WORDS
    queries = []
    for i in range(200):
        kind = i % 4
        a, b = qrng.choice(common), qrng.choice(common)
        if kind == 0:
            queries.append(a)
        elif kind == 1:
            queries.append(f"{a} {b}")
        elif kind == 2:
            queries.append(
                f'"{a} {b}"' if qrng.random() < 0.5 else f'"{qrng.choice(TOPIC_WORDS)} {a}"'
            )
        else:
            queries.append(a[: max(3, len(a) - 2)] + "*")
    return queries


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def bench_glossator(folder: Path, queries: list[str]) -> dict:
    from glossator.index.library import Library

    library = Library(folder)
    t = time.perf_counter()
    library.update()
    build_s = time.perf_counter() - t
    index_mb = dir_mb(library.index_dir)

    t = time.perf_counter()
    Library(folder).update()
    noop_ms = (time.perf_counter() - t) * 1000

    target = sorted(folder.glob("*.txt"))[len(queries) % 7]
    target.write_text(target.read_text("utf-8") + "\n\nOne more paragraph about zeppelins.\n")
    t = time.perf_counter()
    library.update()
    update_s = time.perf_counter() - t

    library.search("warmup")
    # a keystroke in the app: the first 20 passages, highlighted, at once (count=False) ...
    times = []
    for q in queries:
        t = time.perf_counter()
        library.search(q, limit=20, count=False)
        times.append((time.perf_counter() - t) * 1000)
    # ... then, in the same worker, the count over the whole library and the rest of the list
    full = []
    for q in reversed(queries):  # the other way round: what the first pass read is less warm
        t = time.perf_counter()
        library.search(q, limit=1000)
        full.append((time.perf_counter() - t) * 1000)
    study = bench_study(library, queries)
    library.close()
    return study | {
        "build_s": round(build_s, 2),
        "index_mb": round(index_mb, 1),
        "update_s": round(update_s, 3),
        "noop_ms": round(noop_ms, 1),
        "search_p50_ms": round(percentile(times, 0.5), 2),
        "search_p95_ms": round(percentile(times, 0.95), 2),
        "search_full_p50_ms": round(percentile(full, 0.5), 2),
        "search_full_p95_ms": round(percentile(full, 0.95), 2),
    }


def bench_study(library, queries: list[str]) -> dict:
    """The study views at the app's first screen (40 lines), and what is built for them."""
    from glossator.index import corpus, namelist, study

    store = corpus.corpus(library)
    names_t = time.perf_counter()
    namelist._compute(library, store, [], None)  # what the build adds after the index
    names_s = time.perf_counter() - names_t
    first, first_l1, spreads = [], [], []
    for q in queries:
        try:
            t = time.perf_counter()
            study.kwic(library, q, limit=40)
            first.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            study.kwic(library, q, sort="L1", limit=40)
            first_l1.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            study.spread(library, q)
            spreads.append((time.perf_counter() - t) * 1000)
        except study.StudyError:
            continue
    # a frequent term: the commonest topic word of the generated library
    freq = store.frequencies
    topic = max(TOPIC_WORDS, key=lambda w: int(freq[store.ids[w]]) if w in store.ids else 0)
    t = time.perf_counter()
    found = study.collocates(library, topic)
    colloc_ms = (time.perf_counter() - t) * 1000
    ids = [a.id for a in library.articles()][:50]
    kw = []
    for article_id in ids:
        t = time.perf_counter()
        study.keywords(library, article_id=article_id)
        kw.append((time.perf_counter() - t) * 1000)
    return {
        "kwic_first_p95_ms": round(percentile(first, 0.95), 2),
        "kwic_first_l1_p95_ms": round(percentile(first_l1, 0.95), 2),
        "spread_p95_ms": round(percentile(spreads, 0.95), 2),
        "collocates_ms": round(colloc_ms, 1),
        "collocates_term": f"{topic} ({found.occurrences} occurrences)",
        "keywords_p95_ms": round(percentile(kw, 0.95), 2),
        "names_s": round(names_s, 2),
        "study_mb": round(dir_mb(corpus.study_dir(library.index_dir)), 1),
    }


def bench_fts5(folder: Path, queries: list[str]) -> dict:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')")
    for f in sorted(folder.glob("*.txt")):
        title, _, body = f.read_text("utf-8").partition("\n")
        db.execute("INSERT INTO docs VALUES (?, ?)", (title, body))
    db.commit()
    times = []
    for q in queries:
        fts_q = q if q.startswith('"') or q.endswith("*") else " ".join(f'"{w}"' for w in q.split())
        t = time.perf_counter()
        db.execute(
            "SELECT rowid, highlight(docs, 1, '[', ']'), snippet(docs, 1, '[', ']', '…', 40) "
            "FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20",
            (fts_q,),
        ).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return {
        "fts5_p50_ms": round(percentile(times, 0.5), 2),
        "fts5_p95_ms": round(percentile(times, 0.95), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-app", action="store_true", help="leave out startup and memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="glossator-bench-") as tmp:
        root = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")
        os.environ["XDG_DATA_HOME"] = str(root / "data")
        folder = root / "library"
        folder.mkdir()
        t = time.perf_counter()
        queries = generate(folder, args.articles)
        gen_s = time.perf_counter() - t
        figures: dict = {"articles": args.articles}
        figures.update(bench_glossator(folder, queries))
        figures.update(bench_fts5(folder, queries))
        if not args.skip_app:
            from app_figures import app_figures  # noqa: PLC0415 - beside this file

            figures.update(app_figures(folder))
        figures["max_rss_mb_bench"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        )
        if args.json:
            print(json.dumps(figures))
        else:
            print(f"generated {args.articles} articles in {gen_s:.1f} s")
            for k, v in figures.items():
                print(f"{k:>18}  {v}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())

#!/usr/bin/env python3
"""Glossator's benchmark: figures, not tests. Run by hand; see the README's Performance section.

    python tests/bench/bench.py [--articles N] [--json] [--skip-app] [--html N]

    python tests/bench/bench.py --articles 0 --html 500    # saved web pages only

With ``--html N``, N saved web pages (~100 KB each: head metadata, inline styles and scripts,
navigation, a sidebar, share and cookie lines, the article, a long footer) are indexed:
html_build_s (the first build, with progress), the CPU seconds it took in this process, in the
reading pool's workers and in Whoosh's sub-writers, with the load average before and after
(figures from a shared machine can then be read), html_reopen_ms and html_reopen_parsed (a new
Library on the unchanged folder: files parsed here, counted), html_update_s (one page changed).

Generates a deterministic library of N articles (~5 KB each: Zipf-distributed vocabulary,
paragraphs, abbreviations, list items) in a temp folder, then measures on this machine:
build_s, index_mb, update_s, noop_ms (the median of 5, each in noop_runs_ms), search_p50_ms/p95
(the app's keystroke path: the search and the highlighted sentences of the first 20 results),
search_full_p50_ms/p95 (what the app's search worker does next: the count over the whole
library and up to 1,000 passages), fts5_p50_ms/p95
(SQLite FTS5 with the porter tokenizer and snippet()/highlight() of the best 20 on the same
articles and queries), then the app's figures (app_figures.py): text_on_screen_ms (in a real
terminal, until the article being read is on screen where it was left) against
bare_first_paint_ms (a bare Textual app's first paint, alternating, median of 5) and their
text_ratio, for the seeds and for the generated library; text_no_snapshot_ms (the same without
the start-up snapshot); mount_ratio (headless, until the app has mounted: what startup_ratio
was) and rss_mb (peak memory of the app with the library open and one search done); and the
study views (issue 13): kwic_screen_p95_ms (the app's first concordance
screen, ``study.kwic_first``), kwic_first_p95_ms / kwic_first_l1_p95_ms (the whole concordance
sorted, its first 40 lines filled), spread_p95_ms, collocates_ms of the commonest topic word,
keywords_p95_ms of one article, names_s and names_over_build (the names found after the index).
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
    """Realistic-looking English-shaped text with a Zipf distribution of content words.

    Words are drawn a million at a time with NumPy (a Python loop per word made 100,000
    articles take twenty minutes to write); the text is shaped from them as before."""

    BATCH = 1 << 20

    def __init__(self, rng: random.Random) -> None:
        import numpy as np

        self.rng = rng
        vocab = make_vocabulary(rng)
        rng.shuffle(vocab)
        self.vocab = vocab
        weights = np.array([1 / (rank + 1) for rank in range(len(vocab))])
        self.cum = np.cumsum(weights / weights.sum())
        self.np_rng = np.random.default_rng(rng.randrange(1 << 32))
        self.words: list[str] = []
        self.at = 0

    def _refill(self) -> None:
        np = __import__("numpy")
        g = self.np_rng
        if not hasattr(self, "_all"):
            self._all = np.array(FUNCTION_WORDS + self.vocab, dtype=object)
        function = g.random(self.BATCH) < 0.45
        fw = g.integers(0, len(FUNCTION_WORDS), self.BATCH)
        content = np.minimum(np.searchsorted(self.cum, g.random(self.BATCH)), len(self.vocab) - 1)
        self.words = self._all[np.where(function, fw, len(FUNCTION_WORDS) + content)].tolist()
        self.at = 0

    def take(self, n: int) -> list[str]:
        if self.at + n > len(self.words):
            self._refill()
        words = self.words[self.at : self.at + n]
        self.at += n
        return words

    def word(self) -> str:
        return self.take(1)[0]

    def sentence(self) -> str:
        n = self.rng.randint(8, 28)
        words = self.take(n)
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
        title = " ".join(self.take(self.rng.randint(4, 9))).title()
        parts = [title, "", f"By {self.word().title()} {self.word().title()}", ""]
        length = 0
        while length < size:
            if self.rng.random() < 0.1:
                parts += [" ".join(self.take(3)).capitalize(), ""]
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


# -- saved web pages --------------------------------------------------------------------------

STYLE = (
    ".site-header{display:flex;justify-content:space-between;padding:12px 24px}"
    ".nav a{margin:0 8px;color:#123;text-decoration:none}.sidebar{width:300px;float:right}"
    ".article-body p{line-height:1.6;margin:0 0 1em}.share button{border:0;background:none}"
    ".cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#222;color:#eee}"
    "@media (max-width:700px){.sidebar{display:none}.nav{flex-direction:column}}"
)


def _script(rng: random.Random, size: int) -> str:
    """A minified-looking analytics script of about ``size`` characters."""
    names = ["a", "b", "c", "d", "e", "n", "t", "r", "i", "o"]
    parts: list[str] = []
    length = 0
    while length < size:
        f, x, y = rng.choice(names), rng.choice(names), rng.choice(names)
        piece = (
            f"function {f}{rng.randint(0, 999)}({x},{y}){{var {f}={x}.length|0;"
            f"for(var i=0;i<{f};i++){{{y}[i]=({x}[i]*{rng.randint(2, 97)})%{rng.randint(101, 997)}}}"
            f"return {y}}};window.dataLayer=window.dataLayer||[];dataLayer.push({{'event':"
            f"'view','id':{rng.randint(10000, 99999)}}});"
        )
        parts.append(piece)
        length += len(piece)
    return "".join(parts)


def web_page(writer: Writer, rng: random.Random, index: int, site: str) -> str:
    """A saved news page of about 100 KB: head metadata, inline styles and scripts, navigation,
    a sidebar of related stories, share and cookie lines, the article (headings, paragraphs, a
    list, a quote, sometimes a code block, figures) and a long footer: as a browser saves it."""
    title = " ".join(writer.word() for _ in range(rng.randint(4, 9))).title()
    author = f"{writer.word().title()} {writer.word().title()}"
    date = f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    slug = title.lower().replace(" ", "-")
    url = f"https://www.{site.lower().replace(' ', '')}.example/world/{date[:4]}/{slug}"
    sections = ["World", "Politics", "Business", "Technology", "Science", "Opinion", "Sport",
                "Culture", "Travel", "Climate", "Video", "Podcasts"]  # fmt: skip
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in sections)
    subnav = "".join(
        f'<li><a href="/world/{writer.word()}">{writer.word().title()}</a></li>' for _ in range(40)
    )
    related = "".join(
        f'<li class="related"><a href="/world/{i}"><img src="/img/{i}.jpg" alt="">'
        f'<span>{" ".join(writer.word() for _ in range(rng.randint(5, 10))).capitalize()}</span>'
        f"</a><time>{rng.randint(1, 23)} hours ago</time></li>"
        for i in range(rng.randint(15, 25))
    )
    body: list[str] = []
    size = rng.randint(12_000, 22_000)
    length = 0
    figure = 0
    while length < size:
        if rng.random() < 0.12:
            body.append(f"<h2>{' '.join(writer.word() for _ in range(3)).capitalize()}</h2>")
        if rng.random() < 0.08:
            items = "".join(f"<li>{writer.sentence()}</li>" for _ in range(rng.randint(2, 5)))
            body.append(f"<ul>{items}</ul>")
        if rng.random() < 0.05:
            body.append(f"<blockquote><p>{writer.sentence()} {writer.sentence()}</p></blockquote>")
        if rng.random() < 0.03:
            code = "\n".join(f"{writer.word()} = {writer.word()}({rng.randint(1, 9)})" for _ in range(4))
            body.append(f"<pre><code>{code}</code></pre>")
        if rng.random() < 0.06:
            figure += 1
            body.append(
                f'<figure><img src="/img/{index}-{figure}.jpg" alt="{writer.word()}">'
                f"<figcaption>{writer.sentence()} Photo: Agency</figcaption></figure>"
            )
        paragraph = " ".join(writer.sentence() for _ in range(rng.randint(2, 6)))
        body.append(f"<p>{paragraph}</p>")
        length += len(paragraph)
        if rng.random() < 0.07:
            body.append(
                '<aside class="inline-promo"><a href="/newsletter">Sign up for our daily '
                "newsletter</a></aside>"
            )
    footer_links = "".join(
        f'<li><a href="/{writer.word()}">{writer.word().title()} {writer.word()}</a></li>'
        for _ in range(60)
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{writer.sentence()}">
<meta name="author" content="{author}">
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">
<meta property="og:type" content="article"><meta property="og:url" content="{url}">
<meta property="article:published_time" content="{date}T{rng.randint(0, 23):02d}:00:00Z">
<link rel="canonical" href="{url}">
<style>{STYLE * 12}</style>
<script>{_script(rng, rng.randint(22_000, 30_000))}</script>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"{title}","datePublished":"{date}","author":{{"@type":"Person","name":"{author}"}}}}
</script>
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button>
<button>Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/">{site}</a>
<nav class="nav"><ul>{nav}</ul></nav><nav class="subnav"><ul>{subnav}</ul></nav>
<form class="search"><input name="q" placeholder="Search"></form></header>
<main><div class="breadcrumbs"><a href="/">Home</a> › <a href="/world">World</a></div>
<article class="story"><h1>{title}</h1>
<div class="byline">By <a rel="author" href="/by/{author.lower().replace(" ", "-")}">{author}</a>
<time datetime="{date}">{date}</time></div>
<div class="share"><button>Share on Facebook</button><button>Share on X</button>
<button>Copy link</button></div>
<div class="article-body">{"".join(body)}</div>
<div class="tags">Topics: {" ".join(f'<a href="/t/{t}">{t}</a>' for t in rng.sample(TOPIC_WORDS, 5))}</div>
</article>
<aside class="sidebar"><h3>Most read</h3><ol>{related}</ol>
<div class="ad">Advertisement</div><h3>Previous topic</h3><p><a href="/world/prev">{writer.sentence()}</a></p></aside>
</main>
<footer><ul>{footer_links}</ul><p>© {date[:4]} {site}. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> · <a href="/terms">Terms of use</a> · <a href="/cookies">Cookie settings</a></p></footer>
<script>{_script(rng, rng.randint(30_000, 40_000))}</script>
</body></html>
"""
    return page


def generate_html(folder: Path, n: int) -> int:
    """``n`` saved web pages of about 100 KB each; returns their total size in bytes."""
    rng = random.Random(SEED + 7)
    writer = Writer(rng)
    sites = ["Harbour Times", "The Daily Ledger", "Northern Post", "Global Wire", "City Herald"]
    total = 0
    for i in range(n):
        page = web_page(writer, rng, i, sites[i % len(sites)])
        path = folder / f"page_{i:04d}.html"
        path.write_text(page, "utf-8")
        total += path.stat().st_size
    return total


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def _pool_cpu() -> dict[int, float]:
    """CPU seconds (user + system) of each reading-pool worker of this process: the children
    of its fork server (Linux /proc; else none). Whoosh's sub-writers, forked and waited for,
    are counted by ``RUSAGE_CHILDREN`` instead."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    stats: dict[int, tuple[int, float]] = {}
    try:
        names = [n for n in os.listdir("/proc") if n.isdigit()]
    except OSError:
        return {}
    servers = set()
    for name in names:
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            stats[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
            if int(fields[1]) == os.getpid():
                with open(f"/proc/{name}/cmdline", "rb") as fh:
                    if b"forkserver" in fh.read():
                        servers.add(int(name))
        except (OSError, ValueError, IndexError):
            continue
    return {p: cpu for p, (pp, cpu) in stats.items() if pp in servers}


def bench_html(folder: Path) -> dict:
    """Indexing saved web pages: the build (with the progress the command line shows), the
    re-open of the unchanged library (no file parsed: counted), and one page changed."""
    from glossator.index import formats
    from glossator.index.library import Library

    seen: list[int] = []
    workers: dict[int, float] = {}

    def progress(done: int, total: int, name: str) -> None:
        seen.append(done)
        workers.update(_pool_cpu())  # the reading pool's workers' CPU time, while they live

    def children() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    library = Library(folder)
    load_before = _load()
    cpu, sub = time.process_time(), children()
    t = time.perf_counter()
    report = library.update(progress=progress)
    build_s = time.perf_counter() - t
    cpu, sub = time.process_time() - cpu, children() - sub
    parsed = 0
    real = formats.load_article

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal parsed
        parsed += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    formats.load_article = counting  # type: ignore[assignment]
    try:
        t = time.perf_counter()
        again = Library(folder)
        again.update()
        reopen_ms = (time.perf_counter() - t) * 1000
        again.close()
    finally:
        formats.load_article = real  # type: ignore[assignment]
    page = sorted(folder.glob("*.html"))[len(seen) % 7]
    page.write_text(page.read_text("utf-8").replace("</article>", "<p>One more paragraph about "
                                                   "zeppelins.</p></article>"), "utf-8")  # fmt: skip
    t = time.perf_counter()
    library.update()
    update_s = time.perf_counter() - t
    library.close()
    return {
        "html_build_s": round(build_s, 2),
        # CPU seconds: this process, the reading pool's workers (Linux), Whoosh's sub-writers
        # (from 400 articles); the load average (1 minute) before and after: a shared machine
        "html_build_cpu_main_s": round(cpu, 1),
        "html_build_cpu_readers_s": round(sum(workers.values()), 1),
        "html_build_cpu_writers_s": round(sub, 1),
        "html_load_before_after": f"{load_before} {_load()}",
        "html_articles": report.articles,
        "html_skipped": len(report.skipped),
        "html_progress_calls": len(seen),
        "html_index_mb": round(dir_mb(library.index_dir), 1),
        "html_reopen_ms": round(reopen_ms, 1),
        "html_reopen_parsed": parsed,
        "html_update_s": round(update_s, 3),
    }


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

    # the start-up check with nothing changed, as a new process makes it (a new Library): the
    # median of 5, the disk's moment moving a single look by up to half
    noops = []
    for _ in range(5):
        t = time.perf_counter()
        Library(folder).update()
        noops.append((time.perf_counter() - t) * 1000)
    noop_ms = percentile(noops, 0.5)

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
    study["names_over_build"] = round(study["names_s"] / build_s, 3)
    library.close()
    return study | {
        "build_s": round(build_s, 2),
        "index_mb": round(index_mb, 1),
        "update_s": round(update_s, 3),
        "noop_ms": round(noop_ms, 1),
        "noop_runs_ms": [round(x, 1) for x in noops],
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
    screen, first, first_l1, spreads = [], [], [], []
    for q in queries:
        try:
            t = time.perf_counter()  # the app's first concordance screen (160x48: 52 lines)
            study.kwic_first(library, q, context=80, limit=52)
            screen.append((time.perf_counter() - t) * 1000)
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
        "kwic_screen_p95_ms": round(percentile(screen, 0.95), 2),
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
    parser.add_argument(
        "--html",
        type=int,
        default=0,
        metavar="N",
        help="also N saved web pages (~100 KB each): build, re-open, one page changed",
    )
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
        if args.html:
            pages = root / "pages"
            pages.mkdir()
            t = time.perf_counter()
            figures["html_mb"] = round(generate_html(pages, args.html) / 1e6, 1)
            figures["html_gen_s"] = round(time.perf_counter() - t, 1)
            figures.update(bench_html(pages))
        if args.articles:
            figures.update(bench_glossator(folder, queries))
            figures.update(bench_fts5(folder, queries))
        if args.articles and not args.skip_app:
            from app_figures import app_figures  # noqa: PLC0415 - beside this file

            try:
                figures.update(app_figures(folder))
            except Exception:  # the figures so far are not lost with the app's
                print(json.dumps(figures), file=sys.stderr, flush=True)
                raise
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

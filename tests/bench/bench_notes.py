#!/usr/bin/env python3
"""The notes store's costs: figures, not tests. Run by hand:

    python tests/bench/bench_notes.py [--notes N] [--json]

Fills a fresh notes file (in a temp folder) with N notes on 100 articles, a fifth of them
highlights, every third with a label and every fifth with a link, then times, on this machine,
the calls the app makes: add, get, list (labels and links attached), for_article, backlinks,
save with expected_version, change_token, review due and rate, and an Anki export of them all.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from articles import make_article  # noqa: E402
from glossator.index.anki import to_apkg  # noqa: E402
from glossator.index.notes import NoteStore  # noqa: E402
from glossator.index.review import Review  # noqa: E402

LIB = "bench"


def timed(fn, repeat: int = 20) -> float:
    """Median milliseconds of ``repeat`` calls."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return sorted(runs)[len(runs) // 2]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    articles = [
        make_article([[f"Sentence {i} of article {k} is here." for i in range(60)]], f"{k:03d}")
        for k in range(100)
    ]
    by_id = {a.id: a for a in articles}
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, NoteStore(Path(tmp) / "notes.sqlite3") as store:
        store.add_label("claim", "red", 1)
        start = time.perf_counter()
        ids = []
        for i in range(args.notes):
            article = articles[i % 100]
            link = f" see [[{(i + 1) % 100:03d} §{i % 60 + 1}]]" if i % 5 == 0 else ""
            if i % 5 == 4:
                note = store.highlight(LIB, article, i % 60, labels=["claim"] if i % 3 == 0 else [])
            else:
                note = store.add(
                    LIB, article, i % 60, None, f"note {i} #tag{i % 7}{link}",
                    labels=["claim"] if i % 3 == 0 else [], resolve=by_id.get,
                )  # fmt: skip
            ids.append(note.id)
        figures["add_ms_each"] = (time.perf_counter() - start) * 1000 / args.notes
        some = ids[len(ids) // 2]
        figures["get_ms"] = timed(lambda: store.get(some))
        figures["list_ms"] = timed(lambda: store.list(LIB), 3)
        figures["list_label_ms"] = timed(lambda: store.list(LIB, label="claim"), 3)
        figures["for_article_ms"] = timed(lambda: store.for_article(LIB, "050"))
        found = len(store.backlinks(LIB, "001", 0))
        figures["backlinks_sentence_ms"] = timed(lambda: store.backlinks(LIB, "001", 0))
        figures["backlinks_found"] = found
        figures["change_token_ms"] = timed(store.change_token, 200)
        version = [store.get(some).version]

        def save() -> None:
            saved = store.save(some, f"edited {version[0]}", expected_version=version[0])
            version[0] = saved.note.version

        figures["save_ms"] = timed(save)
        review = Review(store, LIB)
        now = datetime(2026, 3, 10, 12, tzinfo=UTC)
        figures["review_due_ms"] = timed(lambda: review.due(now), 3)
        clock = [now]

        def rate() -> None:
            clock[0] += timedelta(minutes=1)
            review.rate(ids[int(clock[0].minute) % len(ids)], "good", clock[0])

        figures["review_rate_ms"] = timed(rate)
        notes = store.list(LIB)
        start = time.perf_counter()
        to_apkg(notes, by_id, Path(tmp) / "deck.apkg", LIB, "Bench")
        figures["anki_export_s"] = time.perf_counter() - start
    figures = {k: round(v, 3) for k, v in figures.items()}
    if args.json:
        print(json.dumps({"notes": args.notes, **figures}))
    else:
        print(f"{args.notes} notes")
        for key, value in figures.items():
            print(f"  {key:24} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The index: building, incremental updates, rebuilding, and search over the seed articles."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

from glossator.index import engine as engine_mod
from glossator.index.library import Library, scan
from glossator.index.paths import seeds_dir

SEEDS = seeds_dir()


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "library"
    target.mkdir()
    for f in SEEDS.glob("*.txt"):
        shutil.copy2(f, target / f.name)
    return target


@pytest.fixture
def seeds() -> Library:
    library = Library()
    library.update()
    yield library
    library.close()


def highlighted(hit) -> list[str]:
    return [hit.text[a:b] for a, b in hit.highlights]


def test_artillery_finds_all_fifteen_occurrences_in_five_articles(seeds):
    result = seeds.search("artillery")
    words = [w for hit in result.hits for w in highlighted(hit)]
    assert len(words) == 15
    assert {w.lower() for w in words} == {"artillery"}
    assert len(result.articles) == 5
    assert result.total == len(result.hits) == sum(n for _, _, n in result.articles)


def test_chrome_words_are_not_searchable(seeds):
    for word in ("comment", "comments", "smiley", "privacy", "Creatd"):
        assert seeds.search(word).total == 0, word


def test_misspelling_suggests_the_word(seeds):
    result = seeds.search("artilery")
    assert result.total == 0
    assert result.suggestion == "artillery"


def test_stems_match_other_forms(seeds):
    words = {w.lower() for h in seeds.search("shell").hits for w in highlighted(h)}
    assert "shells" in words


def test_phrase_matches_only_the_phrase(seeds):
    result = seeds.search('"artillery shells"')
    assert result.total > 0
    for hit in result.hits:
        for word in highlighted(hit):
            assert word.lower().split() == ["artillery", "shells"]


def test_boolean_prefix_fuzzy_and_field_queries(seeds):
    both = seeds.search("artillery AND China")
    either = seeds.search("artillery OR China")
    assert 0 < len(both.articles) <= len(either.articles)
    without = seeds.search("artillery NOT China")
    assert {a for a, _, _ in without.articles}.isdisjoint({a for a, _, _ in both.articles})
    assert seeds.search("artill*").total == seeds.search("artillery").total
    assert seeds.search("artilery~").total == seeds.search("artillery").total
    titled = seeds.search("title:sanctions")
    assert titled.total >= 1
    assert all(h.sentence_id == -1 and "Sanctions" in h.text for h in titled.hits)


def test_highlights_are_offsets_of_the_words_in_the_sentence(seeds):
    for hit in seeds.search("Korea OR sanctions").hits:
        assert hit.highlights == tuple(sorted(hit.highlights))
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.text)
            assert hit.text[start:end].lower().startswith(("korea", "sanction"))
        article = seeds.article(hit.article_id)
        sentence = article.sentences[hit.sentence_id]
        assert sentence.text == hit.text == article.text[sentence.start : sentence.end]


def test_limit_caps_hits_but_not_the_total(seeds):
    full = seeds.search("Korea")
    capped = seeds.search("Korea", limit=3)
    assert len(capped.hits) == 3
    assert capped.total == full.total > 3


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("", "type something"),
        ("   ", "type something"),
        ("AND", "nothing to search for"),
        ("the", "nothing to search for"),
        ("*", "nothing to search for"),
        ("(((", "nothing to search for"),
        ('"', "nothing to search for"),
        ("NOT artillery", "only NOT"),
        ("a*", "at least two letters"),
        ("x" * 2000, "too long"),
    ],
)
def test_unusable_queries_say_why(seeds, query, why):
    result = seeds.search(query)
    assert result.error and why in result.error and "\n" not in result.error
    assert result.total == 0 and not result.hits


def test_update_indexes_only_what_changed(folder):
    library = Library(folder)
    first = library.update()
    assert len(first.added) == 5 and first.unchanged == 0
    again = library.update()
    assert not again.did_work and again.unchanged == 5

    target = next(folder.glob("003_*.txt"))
    title, rest = target.read_text("utf-8").split("\n", 1)
    target.write_text(f"{title}\n\nA brand new paragraph about zeppelins.\n{rest}", "utf-8")
    (folder / "new.md").write_text("# A new one\n\nZeppelins fly over Pyongyang today.\n")
    next(folder.glob("000_*.txt")).unlink()
    report = library.update()
    assert report.changed == [target.stem]
    assert report.added == ["new"]
    assert report.removed == ["000_de88cd679ff77e42"]
    assert report.unchanged == 3
    found = library.search("zeppelins")
    assert {a for a, _, _ in found.articles} == {target.stem, "new"}
    assert library.search("Smiley").total == 0
    assert "000_de88cd679ff77e42" not in {a.id for a in library.articles()}


def test_touched_but_unchanged_file_is_not_reindexed(folder):
    library = Library(folder)
    library.update()
    target = next(folder.glob("001_*.txt"))
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))
    report = library.update()
    assert not report.did_work and report.unchanged == 5
    # the new mtime was recorded: the next check does not hash again
    assert Library(folder)._load_manifest()[0][target.stem].mtime_ns == target.stat().st_mtime_ns


def test_updated_document_is_seen_by_the_next_search(folder):
    library = Library(folder)
    library.update()
    assert library.search("zeppelins").total == 0  # opens this thread's searcher
    target = next(folder.glob("004_*.txt"))
    target.write_text("Title line\n\nZeppelins everywhere.\n", "utf-8")
    library.update()
    result = library.search("zeppelins")
    assert result.total == 1
    assert library.search("artillery").articles and target.stem not in {
        a for a, _, _ in library.search("artillery").articles
    }


@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage", "version"])
def test_broken_index_is_rebuilt(folder, damage):
    library = Library(folder)
    library.update()
    library.close()
    index_dir = library.index_dir
    if damage == "delete":
        shutil.rmtree(index_dir)
    elif damage == "truncate":
        for f in index_dir.iterdir():
            if f.suffix in (".toc", ".seg"):
                f.write_bytes(b"")
    elif damage == "garbage":
        for f in index_dir.iterdir():
            if f.name != "manifest.json":
                f.write_bytes(os.urandom(64))
    else:
        (index_dir / "glossator-index.json").write_text('{"schema": -1}')
    again = Library(folder)
    report = again.update()
    if damage != "delete":
        assert report.rebuilt_because
    assert len(report.added) == 5
    assert sum(len(h.highlights) for h in again.search("artillery").hits) == 15


def test_searcher_per_thread(seeds):
    errors: list[BaseException] = []
    totals: list[int] = []

    def work():
        try:
            for _ in range(20):
                totals.append(seeds.search("Korea AND Russia").total)
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(totals)) == 1


def test_write_waits_for_another_writer_then_says_so(folder, monkeypatch):
    library = Library(folder)
    library.update()
    monkeypatch.setattr(engine_mod, "WRITE_LOCK_TIMEOUT", 0.2)
    other = library.engine.ix.writer()
    try:
        (folder / "late.txt").write_text("Late title\n\nA late article about hovercraft.\n")
        with pytest.raises(engine_mod.IndexUnavailable, match="another Glossator"):
            library.update()
    finally:
        other.cancel()
    assert "late" not in {a.id for a in library.articles()}
    library.update()
    assert library.search("hovercraft").total == 1


def test_long_sentences_are_kept_whole(tmp_path):
    folder = tmp_path / "long"
    folder.mkdir()
    long_sentence = "The convoy moved " + "slowly and carefully " * 30 + "towards the howitzers."
    (folder / "long.txt").write_text(f"A long one\n\n{long_sentence} Then it stopped.\n")
    library = Library(folder)
    library.update()
    hits = library.search("howitzers").hits
    assert len(hits) == 1 and len(hits[0].text) > 200
    assert highlighted(hits[0]) == ["howitzers"]


def test_scan_ignores_hidden_backup_and_other_files(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.md").write_text("x")
    for name in (".hidden.txt", "c.txt~", "#d.txt#", "e.docx", "f.swp"):
        (tmp_path / name).write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "g.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "h.txt").write_text("x")
    assert [f.id for f in scan(tmp_path)] == ["a", "b", "sub/h"]


def test_index_lives_in_the_cache_directory(seeds, tmp_path):
    assert seeds.index_dir.is_relative_to(tmp_path / "cache")


def test_back_end_never_imports_textual():
    """Every module of glossator.index imports without Textual, Rich or the app."""
    import subprocess

    code = (
        "import importlib, pkgutil, sys, glossator.index as pkg\n"
        "names = [m.name for m in pkgutil.walk_packages(pkg.__path__, 'glossator.index.')]\n"
        "assert len(names) > 10, names\n"
        "for name in names: importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')\n"
        "       or m.startswith('glossator.tui')]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_typographic_apostrophes_do_not_hide_words(seeds):
    plain = seeds.search("Korea")
    assert any("Korea’s" in h.text for h in plain.hits)
    assert seeds.search("Korea's").total == seeds.search("Korea’s").total > 0


@pytest.mark.parametrize("query", ["artillery", "Korea", '"artillery shells"', "sanction*", "x~"])
def test_first_page_is_the_start_of_the_full_answer(seeds, query):
    full = seeds.search(query)
    first = seeds.search(query, limit=3, count=False)
    assert first.error == full.error
    assert first.hits == full.hits[: len(first.hits)]
    assert len(first.hits) == min(3, full.total) or not first.complete
    if first.complete:
        assert first.total == full.total and first.articles == full.articles

"""A long article is indexed as several Whoosh documents ("parts"), and nothing above the engine
can tell: the same hits, highlights, counts and article as when it is one document.

``PART_CHARS`` is made small here so that an article of a few KB has many parts.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from articles import make_article

from glossator.index import engine as engine_mod
from glossator.index.engine import Engine
from glossator.index.library import Library
from glossator.index.model import Article, Block, Sentence

SMALL = 400  # characters per part in these tests

WORDS = (
    "harbour boats diesel prices skippers cannery winter town quay south buyers morning "
    "convoy border cargo rocket"
).split()


def _long_article(article_id: str = "long") -> Article:
    """Paragraphs of random sentences, with "artillery" only at the very start and "shells" only
    at the very end (so they are in the first and the last part), a paragraph much longer than a
    part (cut between its sentences), a heading, a list item and a run-together sentence."""
    rng = random.Random(11)

    def sentence() -> str:
        return " ".join(rng.choices(WORDS, k=rng.randint(3, 12))).capitalize() + "."

    paragraphs = [["Artillery was heard in the morning.", sentence()]]
    paragraphs += [[sentence() for _ in range(rng.randint(1, 6))] for _ in range(25)]
    paragraphs.append([sentence() for _ in range(30)])  # about 2,000 characters: several parts
    paragraphs += [[sentence() for _ in range(rng.randint(1, 6))] for _ in range(10)]
    paragraphs.append(["The last convoy carried shells.", "Nothing else."])
    article = make_article(paragraphs, article_id=article_id, title="The long winter harbour")
    # a heading, a list item with its marker, a sentence run into the one before (no space)
    blocks = list(article.blocks)
    first = blocks[1]
    blocks[1] = Block("heading", first.start, first.end, first.sentences)
    second = blocks[2]
    blocks[2] = Block("item", second.start, second.end, second.sentences, marker="1.")
    article.blocks = blocks
    text = article.text
    third = blocks[3]
    if len(third.sentences) >= 2:  # "…quay.|Boats…": no cut may fall between these two
        a, b = third.sentences[0], third.sentences[1]
        text = text[: b.start - 1] + "|" + text[b.start :]
        article.text = text
        sentences = [Sentence(s.id, s.start, s.end, text[s.start : s.end]) for s in third.sentences]
        blocks[3] = Block(third.kind, third.start, third.end, tuple(sentences))
        assert a.end == b.start - 1
    return article


def _others() -> list[Article]:
    return [
        make_article([["A harbour in the south.", "Diesel was cheap."]], "other1", "Other one"),
        make_article([["Artillery and shells at the border."]], "other2", "Other two"),
        make_article([["Nothing about it here.", "Cargo and shells."]], "other3", "Other three"),
    ]


def _engine(path: Path, monkeypatch, part_chars: int, articles: list[Article]) -> Engine:
    monkeypatch.setattr(engine_mod, "PART_CHARS", part_chars)
    engine = Engine(path)
    engine.open()
    engine.write(articles)
    return engine


@pytest.fixture
def pair(tmp_path, monkeypatch):
    """The same library indexed twice: the long article whole, then in parts."""
    articles = [_long_article(), *_others()]
    whole = _engine(tmp_path / "whole", monkeypatch, 10**9, articles)
    parted = _engine(tmp_path / "parted", monkeypatch, SMALL, articles)
    yield whole, parted, articles
    whole.close()
    parted.close()


def _documents(engine: Engine) -> int:
    with engine.reading() as r:
        return r.searcher.doc_count()


QUERIES = [
    "harbour", "diesel", "artillery", "shells", "boat*", "conv*", "harbor~", "harbour OR xyzzy",
    '"heard morning"', '"carried shells"', "artillery AND shells", "artillery shells",
    "shells NOT artillery", "convoy NOT xyzzy", "title:winter", "title:winter AND shells",
    "title:winter OR quay", "cargo ANDMAYBE rocket", "shells ANDNOT artillery",
    "(artillery OR quay) AND shells",
]  # fmt: skip


def _per_article(result) -> dict:
    """Hits by article, each article's in reading order: ranking may differ, nothing else."""
    hits: dict[str, list] = {}
    for h in result.hits:
        hits.setdefault(h.article_id, []).append((h.sentence_id, h.text, h.highlights))
    return {
        "total": result.total,
        "articles": sorted(result.articles),
        "hits": hits,
        "error": result.error,
        "suggestion": result.suggestion,
    }


def test_long_article_is_indexed_in_parts_but_counted_once(pair):
    whole, parted, articles = pair
    assert _documents(whole) == 4
    assert _documents(parted) > 10
    assert whole.doc_count() == parted.doc_count() == 4


@pytest.mark.parametrize("text", QUERIES)
def test_parts_give_the_same_hits_highlights_and_counts(pair, text):
    whole, parted, _ = pair
    one, many = whole.search(text), parted.search(text)
    assert one.total, "a query that finds something"
    assert _per_article(many) == _per_article(one)


@pytest.mark.parametrize("text", QUERIES)
def test_first_page_is_the_start_of_the_full_answer(pair, text):
    _, parted, _ = pair
    for limit in (1, 3, 20):
        first = parted.search(text, limit=limit, count=False)
        full = parted.search(text, limit=limit)
        assert first.hits == full.hits
        assert first.complete == (len(full.articles) < limit)
        assert parted.search(text).hits[:limit] == full.hits


def test_an_article_alone_in_parts_is_searched_exactly_as_whole(tmp_path, monkeypatch):
    article = _long_article()
    whole = _engine(tmp_path / "whole", monkeypatch, 10**9, [article])
    parted = _engine(tmp_path / "parted", monkeypatch, SMALL, [article])
    for text in QUERIES:
        one, many = whole.search(text), parted.search(text)
        assert many.hits == one.hits, text
        assert (many.total, many.articles) == (one.total, one.articles)
        assert parted.search(text, limit=7, count=False).hits == one.hits[:7]
    whole.close()
    parted.close()


def test_highlights_in_every_part_are_the_words(pair):
    _, parted, articles = pair
    article = articles[0]
    sentences = {s.id: s.text for s in article.sentences}
    result = parted.search("harbour OR shells OR artillery")
    hits = [h for h in result.hits if h.article_id == "long"]
    shells = next(s for s in article.sentences if "shells" in s.text)
    assert shells.start >= engine_mod._cuts(article)[-1]  # in the last part
    assert hits[-1].sentence_id == shells.id
    assert hits[-1].highlights == ((shells.text.index("shells"), len(shells.text) - 1),)
    for hit in hits:
        assert hit.text == sentences[hit.sentence_id]
        assert hit.highlights
        for a, b in hit.highlights:
            assert hit.text[a:b].lower() in {"harbour", "shells", "artillery"}
    with parted.reading() as r:
        (docs,) = r.parts.values()
    assert len(docs) > 10
    # every part after the first has a hit for a word of it
    for word in ("diesel", "cannery", "quay"):
        found = [h for h in parted.search(word).hits if h.article_id == "long"]
        expected = [s.id for s in article.sentences if word in s.text.lower()]
        assert [h.sentence_id for h in found] == expected
        for hit in found:
            assert [hit.text[a:b].lower() for a, b in hit.highlights] == [
                w for w in hit.text.lower().replace(".", " ").split() if w == word
            ]


def test_title_hit_once_and_words_across_parts(pair):
    _, parted, _ = pair
    result = parted.search("title:winter")
    assert [(h.article_id, h.sentence_id) for h in result.hits] == [("long", -1)]
    # the two words are in the first and the last part only: the article still matches both
    both = parted.search("artillery AND shells")
    assert {a for a, _, _ in both.articles} == {"long", "other2"}
    assert {a for a, _, _ in parted.search("shells NOT artillery").articles} == {"other3"}


def test_article_comes_back_whole(pair):
    whole, parted, articles = pair
    for article in articles:
        assert parted.article(article.id) == article
        assert whole.article(article.id) == article
    assert parted.article("nothing") is None


def test_sentences_of_an_article_whole_or_in_parts(pair):
    """What a concordance line reads: the text and each sentence's offsets, as the article."""
    whole, parted, articles = pair
    for article in articles:
        expected = (article.text, {s.id: (s.start, s.end) for s in article.sentences})
        assert parted.sentences_of(article.id) == expected
        assert whole.sentences_of(article.id) == expected
    assert parted.sentences_of("nothing") is None


def test_suggestions(pair):
    _, parted, _ = pair
    assert parted.search("cannary").suggestion == "cannery"
    assert parted.suggest("artilery shels") == "artillery shells"


def test_replacing_and_deleting_remove_every_part(tmp_path, monkeypatch):
    long = _long_article()
    engine = _engine(tmp_path / "ix", monkeypatch, SMALL, [long, *_others()])
    assert _documents(engine) > 10
    short = make_article([["Now a short article about the harbour."]], "long", "Short now")
    engine.write([short])
    assert _documents(engine) == 4
    assert engine.article("long") == short
    assert [h.sentence_id for h in engine.search("harbour").hits if h.article_id == "long"] == [0]
    engine.write([long])
    assert engine.article("long") == long
    engine.write([], delete=["long"])
    assert _documents(engine) == 3 and engine.doc_count() == 3
    assert engine.article("long") is None
    assert {a for a, _, _ in engine.search("shells").articles} == {"other2", "other3"}
    engine.close()


def test_cuts_fall_between_blocks_or_sentences_and_respect_the_size(monkeypatch):
    monkeypatch.setattr(engine_mod, "PART_CHARS", SMALL)
    article = _long_article()
    cuts = engine_mod._cuts(article)
    assert cuts[0] == 0 and cuts == sorted(set(cuts)) and len(cuts) > 10
    starts = {b.start for b in article.blocks} | {
        s.start for s in article.sentences if article.text[s.start - 1] in " \n"
    }
    assert set(cuts) <= starts
    ends = [*cuts[1:], len(article.text)]
    sentences = {s.start: s for s in article.sentences}
    for start, end in zip(cuts, ends, strict=True):
        if end - start > SMALL:  # only a single sentence longer than a part
            assert sentences[start].end - start > SMALL
    pieces = list(engine_mod._split(article, cuts))
    assert [(a, b) for a, b, _ in pieces] == list(zip(cuts, ends, strict=True))
    ids = [s["id"] for _, _, blocks in pieces for b in blocks for s in b["sentences"]]
    assert ids == [s.id for s in article.sentences]
    assert any(b.get("cont") for _, _, blocks in pieces for b in blocks)  # a block cut in two


def test_a_sentence_longer_than_a_part_is_a_part_alone(tmp_path, monkeypatch):
    giant = "Harbour " + "word " * 200 + "shells."
    article = make_article([["Start here."], [giant, "After it."], ["The end."]], "g", "Giant")
    engine = _engine(tmp_path / "ix", monkeypatch, 100, [article])
    assert engine.article("g") == article
    hits = engine.search("shells OR harbour").hits
    assert [(h.sentence_id, h.text[h.highlights[-1][0] :]) for h in hits] == [(1, "shells.")]
    engine.close()


def test_library_indexes_a_long_file_in_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_mod, "PART_CHARS", 2_000)
    folder = tmp_path / "lib"
    folder.mkdir()
    rng = random.Random(5)
    paragraphs = [
        " ".join(" ".join(rng.choices(WORDS, k=8)).capitalize() + "." for _ in range(5))
        for _ in range(200)
    ]
    (folder / "big.txt").write_text("Big title\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")
    (folder / "small.txt").write_text("Small title\n\nA harbour and a quay.\n", "utf-8")
    library = Library(folder, cache=tmp_path / "cache")
    library.update()
    assert _documents(library.engine) > 20
    from glossator.index.clean import load_article

    loaded = load_article(folder / "big.txt", "big")
    loaded.original = ""
    assert library.article("big") == loaded
    assert {a.id: a.sentences for a in library.articles()}["big"] == loaded.sentence_count()
    result = library.search("quay")
    expected = sum("quay" in s.text.lower() for s in loaded.sentences)
    assert dict((a, n) for a, _, n in result.articles) == {"big": expected, "small": 1}
    library.close()
    # opened again: nothing to do, and the same answers
    again = Library(folder, cache=tmp_path / "cache")
    assert not again.update().did_work
    assert again.search("quay").total == result.total
    again.close()


def test_parts_written_by_several_processes_come_back_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_mod, "PARALLEL_FROM", 1)
    monkeypatch.setattr(engine_mod, "PART_CHARS", 100)  # more parts than one batch of the writer
    article = _long_article()
    engine = Engine(tmp_path / "ix")
    engine.open()
    engine.write([article, *_others()], expected=4)
    assert _documents(engine) > 64
    assert engine.article("long") == article
    hits = [h for h in engine.search("harbour").hits if h.article_id == "long"]
    assert [h.sentence_id for h in hits] == [
        s.id for s in article.sentences if "harbour" in s.text.lower()
    ]
    engine.close()


def test_what_a_search_reads_of_each_document_is_its_stored_article(pair):
    """The passages a search shows come from the sents column (each document's text and its
    sentences, kept beside the stored article for speed): for every document, whole or a part,
    they are exactly what the stored article holds, and every hit's text is its sentence's."""
    for engine in pair[:2]:
        with engine.reading() as r:
            reader = r.searcher.reader()
            for docnum in reader.all_doc_ids():
                stored = engine_mod._unpack_sentences(r.searcher.stored_fields(docnum)["doc"])
                assert r.sentences(docnum) == stored
    articles = {a.id: a for a in pair[2]}
    for text in QUERIES:
        for hit in pair[1].search(text).hits:
            if hit.text != hit.title:  # a hit in the title shows the title
                assert hit.text == articles[hit.article_id].sentences[hit.sentence_id].text


def test_place_of_finds_an_article_in_a_list_and_sees_a_list_changed_in_place():
    from glossator.index.model import ArticleInfo, place_of

    def info(i: int) -> ArticleInfo:
        return ArticleInfo(f"a{i}", f"a{i}.txt", f"T{i}", False, None, 1, 1, 0, "")

    articles = [info(i) for i in range(1000)]
    assert [place_of(articles, f"a{i}") for i in (0, 999, 500)] == [0, 999, 500]
    assert place_of(articles, "nowhere") == -1 and place_of(articles, None) == -1
    articles.insert(0, info(5000))  # in place: a longer list
    assert place_of(articles, "a0") == 1
    articles[1], articles[2] = articles[2], articles[1]  # in place, the same length
    assert place_of(articles, "a0") == 2 and place_of(articles, "a1") == 1
    others = [list(articles) for _ in range(6)]  # more lists than are kept at once
    assert all(place_of(o, "a999") == 1000 for o in others)

"""The ranker scores the common queries from the postings: it must rank exactly as Whoosh does.

The index here has several segments and deleted documents (articles replaced after the first
write), the cases where reading postings directly could go wrong.
"""

from __future__ import annotations

import random

import pytest
from articles import make_article
from whoosh import query

from glossator.index import ranking
from glossator.index.engine import Engine
from glossator.index.ranking import Ranker

WORDS = [
    "shell", "shells", "artillery", "rocket", "rockets", "train", "trains", "border", "port",
    "portal", "porter", "ports", "supply", "supplies", "supplier", "missile", "missiles", "fuel",
    "harbour", "harbor", "cargo", "convoy", "north", "northern", "norm", "normal", "sanction",
]  # fmt: skip


def _articles(rng: random.Random, start: int, n: int) -> list:
    out = []
    for i in range(start, start + n):
        paragraphs = []
        for _ in range(rng.randint(1, 4)):
            sentences = []
            for _ in range(rng.randint(1, 5)):
                words = rng.choices(WORDS, weights=range(len(WORDS), 0, -1), k=rng.randint(3, 14))
                sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(sentences)
        out.append(make_article(paragraphs, article_id=f"a{i:03d}", title=f"Article {i}"))
    return out


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    rng = random.Random(7)
    engine = Engine(tmp_path_factory.mktemp("ranking") / "index")
    engine.open()
    engine.write(_articles(rng, 0, 120))
    engine.write(_articles(rng, 120, 60))
    engine.write(_articles(rng, 30, 40))  # replaces 40: deleted documents in the first segment
    with engine.reading() as r:
        assert len(list(r.searcher.leaf_searchers())) > 1
        assert r.searcher.reader().has_deletions()
        yield engine, r.searcher
    engine.close()


def _whoosh(searcher, q) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}


def _expanded(searcher, q):
    """Prefix and fuzzy words as the OR of the words they stand for, which Whoosh scores as a
    sum (its own Prefix scores some segments with a constant instead)."""

    def expand(node):
        if isinstance(node, query.Prefix | query.FuzzyTerm):
            terms = [query.Term("body", t.decode()) for t in node._btexts(searcher.reader())]
            return query.Or(terms) if terms else query.NullQuery
        return node

    return q.accept(expand)


QUERIES = [
    "shell", "artillery", "missiles", "port", "north", "sanction", "harbor",
    "shell rocket", "artillery supply", "train AND border", "cargo convoy fuel",
    "shell OR rocket", "north OR harbour", "missile OR fuel OR port",
    "port*", "nor*", "supp*", "shel*", "rocket*", "harbr~", "portr~",
    "port* shell", "nor* OR fuel",
]  # fmt: skip


@pytest.mark.parametrize("text", QUERIES)
def test_ranks_as_whoosh_does(searcher, text):
    engine, s = searcher
    q = engine.parse(text)
    ranker = Ranker(s)
    mine = ranker.rank(q, None)
    assert mine is not None, "a query the ranker should take"
    expected = _whoosh(s, _expanded(s, q))
    assert expected, "a query that finds something"
    assert set(mine) == set(expected)  # the same documents, deleted ones left out
    for a, b in zip(mine, mine[1:], strict=False):
        assert expected[a] >= expected[b] - 1e-9  # best first
        if abs(expected[a] - expected[b]) < 1e-12:
            assert a < b  # ties by document number, as Whoosh orders them
    for limit in (1, 5, 20):
        assert ranker.rank(q, limit) == mine[:limit]


PHRASES = [
    '"shell rocket"', '"north port"', '"artillery supply"', '"shell shell"', '"cargo convoy fuel"',
    '"missile port north"', '"harbour harbor"', '"sanction nowhere"', '"supply train border"',
]  # fmt: skip


@pytest.mark.parametrize("text", PHRASES)
@pytest.mark.parametrize("small", [False, True])
def test_ranks_phrases_as_whoosh_does(searcher, text, small, monkeypatch):
    """A phrase: the same documents as Whoosh's SpanNear2 (the words one right after the other,
    a word repeated included), in its order, with its scores; and the best ``limit`` of them
    (``small``: looked at a few documents at a time, as a large library's are)."""
    if small:
        monkeypatch.setattr(ranking, "PHRASE_CHUNK", 5)
        monkeypatch.setattr(ranking, "PHRASE_BATCH", 2)
    engine, s = searcher
    q = engine.parse(text)
    ranker = Ranker(s)
    mine = ranker.scored(q, None)
    assert mine is not None, "a query the ranker should take"
    expected = _whoosh(s, q)
    assert [d for d, _ in mine] == sorted(expected, key=lambda d: (-expected[d], d))
    for d, score in mine:
        assert abs(score - expected[d]) < 1e-9
    for limit in (1, 3, 20):
        assert ranker.rank(q, limit) == [d for d, _ in mine[:limit]]


def test_the_phrases_tested_find_something_and_leave_something_out(searcher):
    """The phrase test above needs phrases that match, and words that are in a document
    together without making the phrase there."""
    engine, s = searcher
    found = {text: _whoosh(s, engine.parse(text)) for text in PHRASES}
    assert sum(1 for hits in found.values() if hits) >= 5
    words = _whoosh(s, engine.parse("shell AND rocket"))
    assert set(found['"shell rocket"']) < set(words)


@pytest.mark.parametrize("text", ['"shell rocket"~2', "shell NOT rocket", "title:article", "shel*^2"])
def test_leaves_other_queries_to_whoosh(searcher, text):
    engine, s = searcher
    assert Ranker(s).rank(engine.parse(text), 10) is None


def test_highlighting_keeps_only_the_words_in_the_shown_documents(searcher):
    engine, s = searcher
    q = engine.parse("nor*")
    ranker = Ranker(s)
    top = ranker.rank(q, 1)
    narrowed = ranker.narrow(q, top)
    words = {t.text for t in narrowed.leaves()}
    expansion = [t.decode() for t in q._btexts(s.reader())]
    in_doc = {t for t in expansion if top[0] in _whoosh(s, query.Term("body", t))}
    assert len(expansion) > len(in_doc) > 0  # the test needs a document without some of them
    assert words == in_doc


def test_an_article_with_no_word_indexed_does_not_stop_search(tmp_path):
    """An article whose text has no word the index keeps ("x", numbers of one digit): Whoosh
    gives its length as None; every search of the library used to fail on it."""
    engine = Engine(tmp_path / "index")
    engine.open()
    engine.write(
        [
            make_article([["x"]], "empty", "y"),
            make_article([["Artillery shells were sent."]], "full", "Shells"),
        ]
    )
    result = engine.search("artillery")
    assert result.error is None and [h.article_id for h in result.hits] == ["full"]
    assert [a[0] for a in engine.search("artil*").articles] == ["full"]
    engine.close()


def test_lengths_read_at_once_are_whooshs_own(searcher, tmp_path):
    """The body lengths read from the lengths column in one go are what Whoosh's
    ``doc_field_length`` gives document by document (0 where it gives None), and the column is
    read at once, not through the one-a-document fallback."""
    _engine, s = searcher
    engine = Engine(tmp_path / "index")
    engine.open()
    engine.write(
        [make_article([["x 1 2."]], article_id="none"), *_articles(random.Random(3), 0, 9)]
    )
    with engine.reading() as r:
        readers = [sub.reader() for sub, _ in s.leaf_searchers()] + [r.searcher.reader()]
        for reader in readers:
            n = reader.doc_count_all()
            one_by_one = [reader.doc_field_length(d, "body", 1) or 0 for d in range(n)]
            assert ranking._lengths(reader, n).tolist() == one_by_one
            column = reader._perdoc._cached_reader("_body_len", ranking.whoosh3.LENGTHS_COLUMN)
            assert column._fixedlen == 1
        assert 0 in one_by_one  # the article with no word indexed
    engine.close()

"""Search that understands acronyms, words typed together, and phrases with slop."""

from __future__ import annotations

import re

import pytest
from articles import make_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossator.index.engine import Engine, analyzer, stem
from glossator.index.library import Library


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    library = Library(None, cache=tmp_path_factory.mktemp("seed-cache"))
    library.update()
    yield library
    library.close()


def words(text: str) -> set[str]:
    return {stem(w.lower()) for w in re.findall(r"\w+", text)}


def test_acronyms_with_and_without_dots_are_one_word(tmp_path):
    engine = Engine(tmp_path / "index")
    engine.open()
    engine.write(
        [
            make_article([["The D.P.R.K. sent a minister.", "Nothing here."]], "dotted"),
            make_article([["Talks with the DPRK stalled."]], "plain"),
            make_article([["The dprk, in lower case."]], "lower"),
        ]
    )
    expected = {("dotted", 0), ("plain", 0), ("lower", 0)}
    for form in ("D.P.R.K.", "DPRK", "dprk", "D.P.R.K"):
        assert {(h.article_id, h.sentence_id) for h in engine.search(form).hits} == expected
    dotted = engine.search("DPRK")
    assert {h.text[a:b] for h in dotted.hits for a, b in h.highlights} == {
        "D.P.R.K", "DPRK", "dprk"
    }  # fmt: skip
    engine.close()


def test_dprk_finds_the_dprk_sentences_and_the_alias_the_rest(seeds):
    dprk = {(h.article_id, h.sentence_id) for h in seeds.search("DPRK").hits}
    sentences = {
        (a.id, s.id)
        for a in map(seeds.article, [i.id for i in seeds.articles()])
        for s in a.sentences
        if "D.P.R.K" in s.text
    }
    assert len(sentences) == 13 and sentences <= dprk
    # seeds/themes.toml: "North Korea" = ["D.P.R.K.", "DPRK"]: every form finds every form
    korea = {(h.article_id, h.sentence_id) for h in seeds.search('"North Korea"').hits}
    assert korea == dprk
    assert any("D.P.R.K" in h.text for h in seeds.search("North Korea sanctions").hits)


def test_a_word_in_capitals_is_not_a_stop_word():
    tokens = [t.text for t in analyzer()("The US and us, U.S. and IT, it AND")]
    assert tokens == ["us", "us", "it"]


def test_words_typed_together_list_only_sentences_holding_all(seeds):
    result = seeds.search("Kim Jong Un")
    assert [(h.article_id[:3], h.sentence_id + 1) for h in result.hits] == [("003", 2), ("002", 13)]
    assert result.total == 2
    for hit in result.hits:
        assert {"kim", "jong", "un"} <= words(hit.text)
    # with an operator, AND is about the article: sentences with any of the words are listed
    assert seeds.search("Kim AND Jong AND Un").total == 5


def test_an_article_whose_words_never_share_a_sentence_is_not_listed(tmp_path):
    engine = Engine(tmp_path / "index")
    engine.open()
    apart = make_article([["The harbour froze.", "A ferry waited."]], article_id="apart")
    together = make_article([["The ferry left the harbour."]], article_id="together")
    engine.write([apart, together])
    result = engine.search("harbour ferry")
    assert [(h.article_id, h.sentence_id) for h in result.hits] == [("together", 0)]
    assert [a for a, _, _ in result.articles] == ["together"]
    first = engine.search("harbour ferry", limit=1, count=False)
    assert [(h.article_id, h.sentence_id) for h in first.hits] == [("together", 0)]
    assert {a for a, _, _ in engine.search("harbour AND ferry").articles} == {"apart", "together"}
    engine.close()


def test_first_page_of_words_together_looks_past_articles_without_such_a_sentence(tmp_path):
    engine = Engine(tmp_path / "index")
    engine.open()
    # the best-scoring articles hold both words but never in one sentence
    crowded = [
        make_article([["Harbour harbour harbour.", "Ferry ferry ferry."]], article_id=f"c{i}")
        for i in range(6)
    ]
    plain = make_article([["Cats sat.", "A ferry crossed the harbour at dawn today."]], "plain")
    engine.write([*crowded, plain])
    first = engine.search("harbour ferry", limit=2, count=False)
    assert [h.article_id for h in first.hits] == ["plain"]
    assert first.complete
    engine.close()


def test_phrase_with_slop(seeds):
    assert seeds.search('"Kim Un"').total == 0
    slop = seeds.search('"Kim Un"~2')
    assert [(h.article_id[:3], h.sentence_id + 1) for h in slop.hits] == [("003", 2), ("002", 13)]


@pytest.mark.parametrize("query", ["Kim Jong Un", "artillery shells", "Russia Korea"])
def test_first_page_is_the_start_of_the_full_answer(seeds, query):
    full = seeds.search(query)
    first = seeds.search(query, limit=3, count=False)
    assert first.hits == full.hits[: len(first.hits)]
    assert len(first.hits) == min(3, full.total)


VOCABULARY = ["harbour", "ferry", "diesel", "boats", "quay", "winter", "cannery", "prices"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    import random

    rng = random.Random(3)
    engine = Engine(tmp_path_factory.mktemp("small") / "index")
    engine.open()
    articles = []
    for i in range(30):
        paragraphs = [
            [
                " ".join(rng.choices(VOCABULARY, k=rng.randint(2, 7))).capitalize() + "."
                for _ in range(rng.randint(1, 4))
            ]
            for _ in range(rng.randint(1, 3))
        ]
        articles.append(make_article(paragraphs, article_id=f"a{i:02d}"))
    engine.write(articles)
    yield engine
    engine.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=3, unique=True))
def test_every_sentence_listed_holds_every_word(small, chosen):
    result = small.search(" ".join(chosen))
    wanted = {stem(w) for w in chosen}
    for hit in result.hits:
        assert wanted <= words(hit.text)
    # and every sentence holding them all is listed
    either = small.search(" OR ".join(chosen))
    expected = {(h.article_id, h.sentence_id) for h in either.hits if wanted <= words(h.text)}
    assert {(h.article_id, h.sentence_id) for h in result.hits} == expected

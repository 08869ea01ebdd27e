"""The posting codec (index/postings.py): the same postings as Whoosh's own W3 codec gives for
the same documents, read through Whoosh's matchers (one posting at a time, skipping, phrases),
and blocks that come back as they were written."""

from __future__ import annotations

import random
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import query
from whoosh.codec.whoosh3 import W3Codec

from glossator.index import engine, postings

WORDS = "shell rocket port north harbour cargo convoy fuel supply train border missile".split()


def _documents(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        # word counts from 1 to many (weights other than 1.0), some words in every document
        text = " ".join(rng.choices(WORDS, k=rng.randint(1, 60))) + " always"
        docs.append({"id": f"d{i}", "title": f"Title {i % 7}", "body": text})
    return docs


def _index(folder, codec, batches: list[list[dict]], merge: bool) -> whoosh_index.Index:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), engine.schema())
    for batch in batches:
        writer = ix.writer(codec=codec, merge=merge)
        for doc in batch:
            writer.delete_by_term("id", doc["id"])
            writer.add_document(**doc)
        writer.commit()
    return ix


def _postings(ix: whoosh_index.Index) -> dict:
    """Every term's postings, read one at a time through Whoosh's matcher."""
    found = {}
    with ix.searcher() as s:
        reader = s.reader()
        for fieldname, text in reader.all_terms():
            m = reader.postings(fieldname, text)
            items = []
            while m.is_active():
                items.append((m.id(), m.weight(), m.value()))
                m.next()
            found[fieldname, text] = items
    return found


@pytest.mark.parametrize("merge", [False, True])
def test_the_same_postings_as_whoosh_w3_codec(tmp_path, merge):
    batches = [_documents(300, 1), _documents(120, 2), _documents(40, 3)]  # later ones replace
    mine = _index(tmp_path / "mine", postings.Codec(), batches, merge)
    theirs = _index(tmp_path / "w3", W3Codec(), batches, merge)
    with mine.searcher() as s:
        codecs = {type(sub.reader()._segment.codec()) for sub, _ in s.leaf_searchers()}
        assert codecs == {postings.Codec}
        for sub, _ in s.leaf_searchers():
            m = sub.reader().postings("body", engine.stem("always"))
            assert isinstance(getattr(m, "child", m), postings.LeafMatcher)
    found, expected = _postings(mine), _postings(theirs)
    assert found == expected
    assert max(len(items) for items in found.values()) > 2 * 128  # several blocks a term
    assert {w for items in found.values() for _, w, _ in items} != {1.0}


def test_skipping_and_phrases_find_what_w3_finds(tmp_path):
    batches = [_documents(500, 4)]
    mine = _index(tmp_path / "mine", postings.Codec(), batches, False)
    theirs = _index(tmp_path / "w3", W3Codec(), batches, False)
    rng = random.Random(5)
    with mine.searcher() as a, theirs.searcher() as b:
        for word in map(engine.stem, WORDS):
            ma, mb = a.reader().postings("body", word), b.reader().postings("body", word)
            for target in sorted(rng.sample(range(500), 40)):
                if not (ma.is_active() and mb.is_active()):
                    break
                ma.skip_to(target)
                mb.skip_to(target)
                assert ma.is_active() == mb.is_active()
                if ma.is_active():
                    assert (ma.id(), ma.weight(), ma.value()) == (mb.id(), mb.weight(), mb.value())
        for first, second in zip(WORDS, WORDS[1:], strict=False):
            q = query.Phrase("body", [engine.stem(first), engine.stem(second)])
            hits = [(h.docnum, round(h.score, 9)) for h in a.search(q, limit=None)]
            assert hits == [(h.docnum, round(h.score, 9)) for h in b.search(q, limit=None)]


weights32 = st.floats(min_value=0.5, max_value=1000, width=32)


@given(
    st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=200, unique=True).map(sorted),
    st.data(),
    st.sampled_from([None, -1, 0, 4]),
)
def test_a_block_comes_back_as_it_was_written(ids, data, fixed):
    n = len(ids)
    weights = data.draw(
        st.one_of(
            st.just([1.0] * n),
            weights32.map(lambda w: [w] * n),
            st.lists(weights32, min_size=n, max_size=n),
        )
    )
    if fixed is None or fixed < 0:
        values = data.draw(st.lists(st.binary(max_size=30), min_size=n, max_size=n))
    elif fixed == 0:
        values = []
    else:
        values = data.draw(st.lists(st.binary(min_size=4, max_size=4), min_size=n, max_size=n))
    block = postings.encode_block(array("I", ids), array("f", weights), values, fixed)
    got_ids, got_weights, got_values = postings.decode_block(block, fixed)
    assert list(got_ids) == ids
    if got_weights is None:
        assert weights == [1.0] * n
    elif isinstance(got_weights, float):
        assert weights == [got_weights] * n
    else:
        assert list(got_weights) == list(array("f", weights))
    if fixed == 0:
        assert got_values is None
    else:
        assert list(got_values) == values
        assert [got_values[i] for i in range(-n, 0)] == values
        assert list(got_values[1:3]) == values[1:3]

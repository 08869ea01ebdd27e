"""Re-anchoring: finding a note's sentences again after its article's text has changed."""

from __future__ import annotations

import random
import string

import pytest
from articles import PARAS, make_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossator.index import anchor
from glossator.index.anchor import ANCHORED, MOVED, ORPHANED, locate, selector_for, snap
from glossator.index.model import Article


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def find(article: Article, note: anchor.Selector) -> anchor.Anchor:
    return locate(note, article.text, article.sentences)


def test_unchanged_text_stays_anchored():
    article = make_article(PARAS)
    note = selector_for(article.text, article.sentences, 3)
    found = find(article, note)
    assert found.status == ANCHORED
    assert (found.sentence_id, found.last_sentence_id) == (3, 3)
    assert (found.start, found.end) == (note.start, note.end)
    assert found.exact == "Most skippers could no longer afford to sail."


def test_selector_has_context_and_offsets():
    article = make_article(PARAS)
    sel = selector_for(article.text, article.sentences, 2, 4)
    assert sel.exact == article.text[sel.start : sel.end]
    assert sel.exact.startswith("Prices") and sel.exact.endswith("south.")
    assert sel.prefix == article.text[sel.start - 32 : sel.start] and len(sel.prefix) == 32
    assert sel.suffix == article.text[sel.end : sel.end + 32]
    first = selector_for(article.text, article.sentences, 0)
    assert first.prefix == ""
    with pytest.raises(ValueError):
        selector_for(article.text, article.sentences, 99)
    with pytest.raises(ValueError):
        selector_for(article.text, article.sentences, 3, 2)


def test_text_inserted_before_moves_to_same_sentence():
    article = make_article(PARAS)
    note = selector_for(article.text, article.sentences, 3)
    edited = make_article([["A new opening paragraph.", "It has two sentences."], *PARAS])
    found = find(edited, note)
    assert found.status == MOVED
    assert (found.sentence_id, found.last_sentence_id) == (5, 5)
    assert found.exact == note.exact
    assert edited.text[found.start : found.end] == note.exact


def test_run_of_sentences_found_after_insertion():
    article = make_article(PARAS)
    note = selector_for(article.text, article.sentences, 2, 4)
    edited = make_article([["Inserted."], *PARAS])
    found = find(edited, note)
    assert found.status == MOVED
    assert (found.sentence_id, found.last_sentence_id) == (3, 5)
    assert found.exact == note.exact


def test_sentence_edited_slightly_is_moved_to_new_text():
    article = make_article(PARAS)
    note = selector_for(article.text, article.sentences, 3)
    paras = [list(p) for p in PARAS]
    paras[1][1] = "Most skippers could no longer afford to go to sea."
    found = find(make_article(paras), note)
    assert found.status == MOVED
    assert found.sentence_id == 3
    assert found.exact == "Most skippers could no longer afford to go to sea."
    assert 0.75 <= found.similarity < 1


def test_sentence_deleted_is_orphaned_and_keeps_quote():
    article = make_article(PARAS)
    note = selector_for(article.text, article.sentences, 3)
    paras = [list(p) for p in PARAS]
    del paras[1][1]
    found = find(make_article(paras), note)
    assert found.status == ORPHANED
    assert found.sentence_id is None and found.last_sentence_id is None
    assert found.exact == note.exact and found.prefix == note.prefix


def test_sentence_rewritten_is_orphaned():
    article = make_article(PARAS)
    note = selector_for(article.text, article.sentences, 3)
    paras = [list(p) for p in PARAS]
    paras[1][1] = "Several crews found work on the new wind farm instead."
    assert find(make_article(paras), note).status == ORPHANED


def test_empty_article_orphans():
    article = make_article(PARAS)
    note = selector_for(article.text, article.sentences, 0)
    assert find(make_article([]), note).status == ORPHANED


def test_duplicate_sentence_chosen_by_context():
    paras = [
        ["Revenue rose.", "It was a good year for the firm."],
        ["Costs fell sharply.", "Revenue rose.", "Staff numbers held steady."],
    ]
    article = make_article(paras)
    note = selector_for(article.text, article.sentences, 3)  # the second "Revenue rose."
    edited = make_article([["An introduction."], *paras])
    found = find(edited, note)
    assert found.status == MOVED and found.sentence_id == 4


def test_ambiguous_approximate_match_is_orphaned():
    base = "The committee will meet again on Tuesday to vote on the proposal"
    paras = [["Opening line here."], [base + "."], ["Closing line here."]]
    article = make_article(paras)
    note = selector_for(article.text, article.sentences, 1)
    # the sentence is gone; two equally close variants appear, each in the same context
    edited = make_article(
        [["Opening line here."], [base + " today."], ["Closing line here."]]
        + [["Opening line here."], [base + " later."], ["Closing line here."]]
    )
    assert find(edited, note).status == ORPHANED
    # with only one of them, the note follows it
    alone = make_article([["Opening line here."], [base + " today."], ["Closing line here."]])
    found = find(alone, note)
    assert found.status == MOVED and found.exact == base + " today."


def test_quote_inside_a_longer_sentence_is_not_taken():
    paras = [["Prices rose.", "Then the market calmed down for a while."]]
    article = make_article(paras)
    note = selector_for(article.text, article.sentences, 0)
    edited = make_article(
        [["After a long and difficult winter of shortages and queues, Prices rose."]]
    )
    assert find(edited, note).status == ORPHANED


def test_sentences_merged_snaps_to_whole_sentence():
    article = make_article([["One two three four.", "Five six seven eight nine ten."]])
    note = selector_for(article.text, article.sentences, 1)
    merged = make_article([["One two.", "Five six seven eight nine ten. Eleven."]])
    found = find(merged, note)
    assert found.status == MOVED and found.sentence_id == 1
    assert found.exact == "Five six seven eight nine ten. Eleven."


def test_snap_covers_overlapping_sentences():
    article = make_article(PARAS)
    s = article.sentences
    assert snap(s, s[2].start + 3, s[3].start + 1)[:2] == (2, 3)
    assert snap(s, s[0].start, s[0].end)[:2] == (0, 0)
    assert snap(s, len(article.text) + 5, len(article.text) + 9) is None
    assert snap([], 0, 1) is None


# -- properties -------------------------------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    """Random letters: two such sentences are never near each other (similarity well below 0.75)."""
    words = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
        for _ in range(rng.randint(5, 12))
    ]
    return " ".join(words).capitalize() + "."


def _tweak(rng: random.Random, sentence: str) -> str:
    i = rng.randrange(len(sentence) - 1)
    return sentence[:i] + rng.choice(string.ascii_lowercase) * rng.randint(1, 4) + sentence[i:]


EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            ["insert_sentence", "delete_sentence", "edit_sentence", "add_paragraph", "drop_para"]
        ),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
    ),
    max_size=8,
)


@st.composite
def scenarios(draw):
    rng = random.Random(draw(st.integers(0, 2**32)))
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=6))
    paragraphs = [[_sentence(rng) for _ in range(n)] for n in sizes]
    note_para = draw(st.integers(0, len(paragraphs) - 1))
    first = draw(st.integers(0, sizes[note_para] - 1))
    run = draw(st.integers(1, sizes[note_para] - first))
    return rng, paragraphs, note_para, first, run, draw(EDITS)


def _edit_elsewhere(rng, paragraphs, note_para, edits):
    """Apply ``edits`` to every paragraph but ``note_para``; returns the new paragraphs list."""
    paras = [(i == note_para, list(p)) for i, p in enumerate(paragraphs)]
    for kind, a, b in edits:
        others = [k for k, (is_note, _) in enumerate(paras) if not is_note]
        if kind == "add_paragraph" or not others:
            paras.insert(a % (len(paras) + 1), (False, [_sentence(rng)]))
            continue
        k = others[a % len(others)]
        sentences = paras[k][1]
        if kind == "drop_para":
            del paras[k]
        elif kind == "insert_sentence":
            sentences.insert(b % (len(sentences) + 1), _sentence(rng))
        elif kind == "delete_sentence":
            del sentences[b % len(sentences)]
            if not sentences:
                del paras[k]
        else:
            j = b % len(sentences)
            sentences[j] = _tweak(rng, sentences[j])
    return paras


def _note_on(paragraphs, note_para, first, run):
    article = make_article(paragraphs)
    base = sum(len(p) for p in paragraphs[:note_para])
    sel = selector_for(article.text, article.sentences, base + first, base + first + run - 1)
    return article, sel


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(scenarios(), st.booleans())
def test_edits_elsewhere_never_move_note_to_other_sentences(scenario, copy_elsewhere):
    rng, paragraphs, note_para, first, run, edits = scenario
    _, sel = _note_on(paragraphs, note_para, first, run)
    paras = _edit_elsewhere(rng, paragraphs, note_para, edits)
    if copy_elsewhere:  # the same sentences appear again in another paragraph
        quoted = paragraphs[note_para][first : first + run]
        paras.insert(rng.randrange(len(paras) + 1), (False, list(quoted)))
    edited = make_article([p for _, p in paras])
    found = locate(sel, edited.text, edited.sentences)
    assert found.status in (ANCHORED, MOVED)
    assert found.exact == sel.exact
    assert edited.text[found.start : found.end] == sel.exact
    assert found.last_sentence_id - found.sentence_id == run - 1
    if not copy_elsewhere:  # unique sentences: it must be the very same ones
        base = 0
        for is_note, p in paras:
            if is_note:
                break
            base += len(p)
        assert found.sentence_id == base + first
    if found.status == ANCHORED:
        assert (found.start, found.end) == (sel.start, sel.end)


@PROPERTY
@given(scenarios(), st.booleans())
def test_deleting_the_sentences_orphans_the_note(scenario, copy_elsewhere):
    rng, paragraphs, note_para, first, run, edits = scenario
    _, sel = _note_on(paragraphs, note_para, first, run)
    quoted = paragraphs[note_para][first : first + run]
    paras = _edit_elsewhere(rng, paragraphs, note_para, edits)
    for k, (is_note, sentences) in enumerate(paras):
        if is_note:
            del sentences[first : first + run]
            if not sentences:
                del paras[k]
            break
    if copy_elsewhere:  # an identical copy elsewhere: then, and only then, it may move there
        paras.insert(rng.randrange(len(paras) + 1), (False, list(quoted)))
    edited = make_article([p for _, p in paras])
    found = locate(sel, edited.text, edited.sentences)
    if copy_elsewhere:
        assert found.status in (ANCHORED, MOVED) and found.exact == sel.exact
    else:
        assert found.status == ORPHANED
        assert found.exact == sel.exact and found.sentence_id is None


@PROPERTY
@given(scenarios())
def test_small_edit_of_the_sentence_itself_follows_it(scenario):
    rng, paragraphs, note_para, first, run, edits = scenario
    _, sel = _note_on(paragraphs, note_para, first, 1)
    paras = _edit_elsewhere(rng, paragraphs, note_para, edits)
    for is_note, sentences in paras:
        if is_note:
            sentences[first] = sentences[first][:-1] + " xq."  # a word added at the end
            expected = sentences[first]
            break
    edited = make_article([p for _, p in paras])
    found = locate(sel, edited.text, edited.sentences)
    assert found.status == MOVED
    assert found.exact == expected

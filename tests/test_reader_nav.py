"""Where the reader goes (tui/widgets/reader_nav.py), as properties over any laid-out article:
the view a move scrolls to shows the sentence, and a sentence already comfortably in view does
not move it; every line of a sentence finds that sentence; { and } land on a block's start."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from glossator.tui.widgets import reader_nav as nav


@st.composite
def layouts(draw):
    """Sentences as runs of lines, in order, with blank lines between some of them."""
    lines, runs = draw(st.integers(0, 3)), []
    for height in draw(st.lists(st.integers(1, 30), min_size=1, max_size=40)):
        lines += draw(st.integers(0, 2))
        runs.append((lines, lines + height - 1))
        lines += height
    return SimpleNamespace(sentence_lines=runs, lines=[None] * lines)


@given(layouts(), st.data(), st.integers(1, 60), st.booleans())
def test_scrolling_to_a_sentence_shows_it(layout, data, height, center):
    sentence = data.draw(st.integers(0, len(layout.sentence_lines) - 1))
    top = data.draw(st.integers(0, len(layout.lines)))
    target = nav.scroll_target(layout, sentence, top, height, center)
    if target is None:
        assert not center
        assert nav.visible(layout, sentence, top, height)  # staying shows it already
    else:
        first, last = layout.sentence_lines[sentence]
        assert nav.visible(layout, sentence, max(0, target), height)
        assert max(0, target) <= first or sentence == 0  # its first line is not above the view
        if center:
            assert nav.scroll_target(layout, sentence, max(0, target), height) is None or (
                last - first + 1 >= height - 2  # a sentence taller than the view
            )


@given(layouts(), st.data())
def test_every_line_of_a_sentence_finds_it(layout, data):
    sentence = data.draw(st.integers(0, len(layout.sentence_lines) - 1))
    first, last = layout.sentence_lines[sentence]
    line = data.draw(st.integers(first, last))
    assert nav.sentence_at_line(layout, line) == sentence
    assert nav.first_sentence_from(layout, first) == sentence


@given(st.lists(st.integers(0, 200), unique=True).map(sorted), st.integers(0, 200), st.data())
def test_paragraph_steps_land_on_a_block_start_or_an_end(starts, sentence, data):
    count = data.draw(st.integers(sentence + 1, 400))
    forward = nav.paragraph_target(starts, sentence, count, 1)
    back = nav.paragraph_target(starts, sentence, count, -1)
    assert forward > sentence or forward == count - 1
    assert forward in starts or forward == count - 1
    assert back < sentence or back == 0
    assert back in starts or back == 0

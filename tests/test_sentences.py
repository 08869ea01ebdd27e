"""Sentence splitting: sentencex plus repairs for list markers, abbreviations, run-together text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossator.index.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sentencex's own strengths, kept
        (
            "Putin will visit the D.P.R.K. These meetings matter.",
            ["Putin will visit the D.P.R.K.", "These meetings matter."],
        ),
        ('He said "no."The next day he left.', ['He said "no."', "The next day he left."]),
        ("He said “no.”The next day he left.", ["He said “no.”", "The next day he left."]),
        # a bare list marker belongs to its item
        (
            "  1. Economic Survival: the economy is weak. Arms sales help.",
            ["1. Economic Survival: the economy is weak.", "Arms sales help."],
        ),
        ("2) Second point. More text.", ["2) Second point.", "More text."]),
        (
            "• Conventional Weapons: North Korea has many. These are old.",
            ["• Conventional Weapons: North Korea has many.", "These are old."],
        ),
        ("- A dash item. Another sentence.", ["- A dash item.", "Another sentence."]),
        # abbreviations with inner dots
        (
            "Coalitions such as the Iran-Russia-D.P.R.K. Axis or B.R.I.C.S. have grown. Next.",
            ["Coalitions such as the Iran-Russia-D.P.R.K. Axis or B.R.I.C.S. have grown.", "Next."],
        ),
        (
            "The U.S. economy grew. It is big in the U.S. Then it slowed.",
            ["The U.S. economy grew.", "It is big in the U.S.", "Then it slowed."],
        ),
        ("The B.R.I.C.S. economies grew.", ["The B.R.I.C.S. economies grew."]),
        ("Its G.D.P. 5 years ago was small.", ["Its G.D.P. 5 years ago was small."]),
        (
            "They make up a share of global G.D.P. The rise of conflicts continues.",
            ["They make up a share of global G.D.P.", "The rise of conflicts continues."],
        ),
        # numbers never split
        (
            "It grew 3.5 percent. About 6,000 shells a day. Version 2.0.1 shipped.",
            ["It grew 3.5 percent.", "About 6,000 shells a day.", "Version 2.0.1 shipped."],
        ),
        # run-together sentences
        (
            "a priority for the United States.In conclusion, deals are risky.",
            ["a priority for the United States.", "In conclusion, deals are risky."],
        ),
        (
            "between unfriendly states.Regional stability demands restraint.",
            ["between unfriendly states.", "Regional stability demands restraint."],
        ),
        (
            "the creation of “unlikely bedfellows.”Nations, who might be hostile, agree.",
            ["the creation of “unlikely bedfellows.”", "Nations, who might be hostile, agree."],
        ),
        # ... but not addresses, domains and file names
        ("Visit www.Example.Com today.", ["Visit www.Example.Com today."]),
        ("Visit example.Com today.", ["Visit example.Com today."]),
        ("See https://news.Example.org/Page now.", ["See https://news.Example.org/Page now."]),
        ("Open the file report.Final.pdf first.", ["Open the file report.Final.pdf first."]),
        # a blank line always ends a sentence
        (
            "A heading without a stop\n\nThe paragraph. Two.",
            ["A heading without a stop", "The paragraph.", "Two."],
        ),
    ],
)
def test_tricky_cases(text, expected):
    assert sentences(text) == expected


def test_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\u00a0 ") == []
    assert sentences("  x  ") == ["x"]
    assert sentences("1.") == ["1."]


def test_offsets_are_character_offsets():
    text = "Emoji 🇰🇵🪖 first. Ünïcödé second. Third."
    assert sentences(text) == ["Emoji 🇰🇵🪖 first.", "Ünïcödé second.", "Third."]


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    prev_end = 0
    for a, b in spans:
        assert 0 <= prev_end <= a < b <= len(text)
        piece = text[a:b]
        assert piece == piece.strip()
        prev_end = b
    covered = [False] * len(text)
    for a, b in spans:
        for i in range(a, b):
            covered[i] = True
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i], (i, ch, text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_spans_property_arbitrary_text(text):
    _check_spans(text, split_sentences(text))


_PIECES = st.sampled_from(
    [
        "U.S.",
        "D.P.R.K.",
        " ",
        "  ",
        "\n",
        "\n\n",
        ".",
        "!",
        "?",
        '"',
        "“",
        "”",
        "1.",
        "2)",
        "•",
        "-",
        "States",
        "In",
        "the",
        "6,000",
        "3.5",
        "www.",
        "Com",
        "e.g.",
        "\u00a0",
        "…",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join))
def test_spans_property_sentence_like_text(text):
    _check_spans(text, split_sentences(text))

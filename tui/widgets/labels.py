"""How labels look: each colour of the codebook (``glossator.index.notes.COLOURS``) as a colour
that reads on dark and light themes alike, and a note's labels as coloured words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from textual.content import Content

from .layout import display_text

if TYPE_CHECKING:
    from glossator.index.notes import Label

LABEL_COLOURS = {
    "red": "#e5534b",
    "orange": "#e0823d",
    "yellow": "#c9a227",
    "green": "#46a758",
    "blue": "#4b8df8",
    "purple": "#a371f7",
    "grey": "#8b949e",
}
SWATCH = "●"


def hex_of(colour: str) -> str:
    return LABEL_COLOURS.get(colour, LABEL_COLOURS["grey"])


def colour_map(labels: Iterable[Label]) -> dict[str, str]:
    """Label name (casefolded) -> its colour as hex: what the reader's gutter needs."""
    return {label.name.casefold(): hex_of(label.colour) for label in labels}


def label_parts(names: Sequence[str], colours: Mapping[str, str]) -> list[str | tuple[str, str]]:
    """``names`` as coloured words ("● claim ● evidence"); a name not in the codebook grey."""
    parts: list[str | tuple[str, str]] = []
    for i, name in enumerate(names):
        colour = colours.get(name.casefold(), LABEL_COLOURS["grey"])
        parts += [" " if i else "", (f"{SWATCH} ", colour), (display_text(name), f"bold {colour}")]
    return parts


def label_content(names: Sequence[str], colours: Mapping[str, str]) -> Content:
    return Content.assemble(*label_parts(names, colours))

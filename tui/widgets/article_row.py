"""One article of the article list as it is shown: its title (marked when it is the article
being read), byline, sentence and note counts. Apart from the sidebar, so the first screen
(drawn from the start-up snapshot) shows the list the same way without importing the sidebar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from .layout import display_text, wrap_offsets

if TYPE_CHECKING:
    from glossator.index.model import ArticleInfo

CURRENT_MARK = "▶"


def _wrapped(text: str, width: int, indent: int, style: str) -> list[str | tuple[str, str]]:
    parts: list[str | tuple[str, str]] = []
    for n, (a, b) in enumerate(wrap_offsets(text, max(8, width - indent))):
        parts.append("\n" + " " * indent if n else "")
        parts.append((text[a:b], style))
    return parts


def article_prompt(info: ArticleInfo, current: bool, width: int = 0, notes: int = 0) -> Content:
    """Title (marked when it is the article being read), byline, sentence and note counts."""
    width = width or 1000
    title_style = "bold $text-accent" if current else "bold"
    mark = (f"{CURRENT_MARK} ", "bold $text-accent") if current else "  "
    detail = f"{display_text(info.byline)} · " if info.byline else ""
    detail += f"{info.sentences} sentences"
    if notes:
        detail += f" · {notes} note{'' if notes == 1 else 's'}"
    return Content.assemble(
        mark,
        *_wrapped(display_text(info.title), width, 2, title_style),
        "\n  ",
        *_wrapped(detail, width, 2, "dim"),
    )

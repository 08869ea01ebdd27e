"""What the reader tells the screen: its messages, each also named on the reader
(``Reader.PositionChanged``, ``Reader.MarkRequested``…), where handlers and ``@on`` find them.

Declared here rather than inside the class, so the reader's module holds what it does;
``namespace="reader"`` gives every handler the name a class nested in ``Reader`` would give it
(``on_reader_position_changed``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from glossator.index.model import Article
    from glossator.index.notes import Note

    from .reader_nav import ViewMap
    from .reader_view import ArticleView


class PositionChanged(Message, namespace="reader"):
    """The current sentence (or article) changed."""

    def __init__(self, reader: ArticleView, article_id: str, sentence: int, count: int) -> None:
        super().__init__()
        self.reader, self.article_id, self.sentence, self.count = (
            reader,
            article_id,
            sentence,
            count,
        )


class ViewChanged(Message, namespace="reader"):
    """The visible part, the current sentence or the hits moved: redraw the overview."""

    def __init__(self, view: ViewMap) -> None:
        super().__init__()
        self.view = view


class Stepped(Message, namespace="reader"):
    """Go to the next (1) or previous (-1) ``what``: "article", "hit" or "note"."""

    def __init__(self, what: str, step: int) -> None:
        super().__init__()
        self.what, self.step = what, step


class OriginalRequested(Message, namespace="reader"):
    """Show the original file of this article (loaded in a worker)."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class DetailsRequested(Message, namespace="reader"):
    """Show the details (citation metadata) of this article, to read and correct."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class AnnotateRequested(Message, namespace="reader"):
    """Write a note on sentences ``first``..``last`` of the article shown."""

    def __init__(self, article: Article, first: int, last: int) -> None:
        super().__init__()
        self.article, self.first, self.last = article, first, last


class NoteActionRequested(Message, namespace="reader"):
    """``action`` ("edit" or "delete") one of ``notes``, the notes on the current sentence
    (innermost first): with several, the person is asked which."""

    def __init__(self, action: str, notes: list[Note]) -> None:
        super().__init__()
        self.action, self.notes = action, notes


class NoteUndoRequested(Message, namespace="reader"):
    """Bring back the note deleted last."""


class MarkRequested(Message, namespace="reader"):
    """``what`` ("highlight" or "label") sentences ``first``..``last`` of the article
    shown; ``notes`` are the notes and highlights there (of exactly that run, for a run
    selected with v)."""

    def __init__(
        self, what: str, article: Article, first: int, last: int, notes: list[Note]
    ) -> None:
        super().__init__()
        self.what, self.article, self.first, self.last = what, article, first, last
        self.notes = notes


class LinkRequested(Message, namespace="reader"):
    """Follow a link from here (``back``: return to where the last one was followed)."""

    def __init__(self, back: bool = False) -> None:
        super().__init__()
        self.back = back


class StudyRequested(Message, namespace="reader"):
    """A study view: "concordance" (of the search walked) or "keywords" (of this article)."""

    def __init__(self, view: str) -> None:
        super().__init__()
        self.view = view


class SelectionChanged(Message, namespace="reader"):
    """The selected run of sentences changed (None: no selection)."""

    def __init__(self, selection: tuple[int, int] | None) -> None:
        super().__init__()
        self.selection = selection

"""What the Notes tab lets through, and in what order: the notes and the notes deleted lately as
handed down, the sort (reading order or newest first), "this article only", the kind shown, and
the groups, the summary line and the review scope that follow from them and the filter's words.

``NotesFilter`` is the tab's state of its own, kept apart from the widget that draws it: plain
data, no Textual, so it is tested with no app. Filtering and sorting happen here, on the notes
already in memory: never in the back end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .layout import plural
from .note_text import matches, note_place, one_line

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo
    from glossator.index.notes import Note
    from glossator.index.review import Scope

KINDS = (None, "note", "highlight")  # what t shows in turn: all, notes, highlights
ORPHANED = "Orphaned"
DELETED = "Recently deleted"
EMPTY = (
    "No notes yet: press a in the reader to annotate the sentence you are on, h to highlight it."
)

Groups = list[tuple[str, list["Note"]]]


class NotesFilter:
    """The Notes tab's notes, its sort and its filters (the words come from its input, as
    typed, to each call that needs them)."""

    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.deleted: list[Note] = []
        self.titles: dict[str, str] = {}
        self.order: dict[str, int] = {}
        self.newest_first = False  # the sort: reading order, or newest first
        self.current: str | None = None  # the article being read
        self.only_current = False
        self.kind: str | None = None  # only notes ("note") or highlights ("highlight")

    def set_notes(
        self, notes: Sequence[Note], deleted: Sequence[Note], articles: Sequence[ArticleInfo]
    ) -> None:
        self.notes, self.deleted = list(notes), list(deleted)
        self.titles = {a.id: a.title for a in articles}
        self.order = {a.id: i for i, a in enumerate(articles)}

    def toggle(self, what: str) -> bool:
        """s ("sort"), c ("current") or t ("kind", in turn); False for anything else."""
        if what == "sort":
            self.newest_first = not self.newest_first
        elif what == "current":
            self.only_current = not self.only_current
        elif what == "kind":
            self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        else:
            return False
        return True

    def title_of(self, note: Note) -> str:
        return self.titles.get(note.article_id) or f"{note.article_id} (no longer in the library)"

    def _sorted(self, notes: list[Note]) -> list[Note]:
        if self.newest_first:  # two notes of the same millisecond: the one written later first
            written = sorted(enumerate(notes), key=lambda p: (p[1].created, p[0]), reverse=True)
            return [note for _order, note in written]
        return sorted(
            notes,
            key=lambda n: (
                self.order.get(n.article_id, len(self.order)),
                n.sentence_id if n.sentence_id is not None else -1,
                n.created,
            ),
        )

    def groups(self, text: str) -> Groups:
        """(heading, notes) in list order: orphans, then each article (in library order, or
        the article with the newest note first), then the notes deleted lately. Only the notes
        the filter (``text``, its words) lets through."""
        words = [w.casefold() for w in text.split()]

        def wanted(note: Note) -> bool:
            if self.only_current and note.article_id != self.current:
                return False
            if self.kind is not None and note.kind != self.kind:
                return False
            return not words or matches(note, self.title_of(note), words)

        orphans: list[Note] = []
        by_article: dict[str, list[Note]] = {}
        for note in self._sorted([n for n in self.notes if wanted(n)]):
            if note.orphaned:
                orphans.append(note)
            else:
                by_article.setdefault(note.article_id, []).append(note)
        groups = [(ORPHANED, orphans)] if orphans else []
        groups += [(one_line(self.title_of(n[0])), n) for n in by_article.values()]
        gone = [n for n in self.deleted if wanted(n)]
        if gone:
            groups.append((DELETED, gone))
        return groups

    def source(self, heading: str, note: Note) -> str | None:
        """The line under a note in the list saying where it is (or was) from."""
        if heading == DELETED:
            return f"deleted · was in: {self.title_of(note)}"
        if note.orphaned:
            return f"was in: {self.title_of(note)}"
        return note_place(note)

    def summary(self, groups: Groups, text: str) -> str:
        """The line above the list: how many notes, how many shown, the sort and filters."""
        if not self.notes and not self.deleted:
            return EMPTY
        orphans = sum(len(n) for h, n in groups if h == ORPHANED)
        shown = sum(len(n) for h, n in groups if h != DELETED)
        marks = sum(n.is_highlight for n in self.notes)
        line = plural(len(self.notes) - marks, "note")
        if marks:
            line += f" and {plural(marks, 'highlight')}"
        if text.strip() or self.only_current or self.kind:
            line = f"{shown} of {line}" + (" in this article" if self.only_current else "")
        if self.kind:
            line += f" · only {self.kind}s"
        line += " · newest first" if self.newest_first else " · reading order"
        if orphans:
            line += f" · {orphans} orphaned (r re-attaches)"
        return line

    def scope(self, shown: Sequence[Note], text: str) -> Scope | None:
        """A review of the notes ``shown`` (not the deleted ones), named by what let them
        through; None when there are none."""
        from glossator.index.review import Scope

        notes = [n for n in shown if n.deleted is None]
        if not notes:
            return None
        words = text.strip()
        what = [f"“{words}”"] if words else []
        what += ["this article"] if self.only_current else []
        what += [f"{self.kind}s"] if self.kind else []
        name = "the notes shown" + (f" ({', '.join(what)})" if what else "")
        return Scope(note_ids=frozenset(n.id for n in notes), name=name)

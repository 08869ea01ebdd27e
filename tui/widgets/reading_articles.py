"""The articles the reader shows: the articles read (a cache), loading one (or its new text when
its file changed, or its original file), the start-up snapshot shown until the library has
opened, and which article the reader shows when the library opens or its folder changes.

``ArticleLoading`` is kept by a ``ReadingView`` (its host), on whose behalf it runs its workers
(so their failures reach the view's one handler, and keys typed meanwhile wait for them); it owns
the cache and the snapshot shown, and hands what it loaded to the host's reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.worker import Worker, get_current_worker

from glossator.index.model import Article
from glossator.index.textutil import neutralise

from ..keygate import hold_keys
from .reading_places import after_removal, follow, followed

if TYPE_CHECKING:
    from glossator.index.formats import Original
    from glossator.index.library import ArticleInfo
    from glossator.index.notes import Note

    from ..controllers.library_change import Change
    from ..snapshot import Snapshot
    from ..state import Position
    from .reading import ReadingView

NO_ARTICLES = (
    "This library has no articles yet: add articles to its folder (plain text, Markdown, "
    "reStructuredText, saved web pages, EPUB or PDF)."
)
NO_ARTICLES_NOW = (
    "This library has no articles now: its files were removed from its folder. Add articles "
    "(plain text, Markdown, reStructuredText, saved web pages, EPUB or PDF) and they appear here."
)


class ArticleLoading:
    """Kept by a ``ReadingView`` (its host)."""

    def __init__(self, host: ReadingView) -> None:
        self.host = host
        self.cache: dict[str, Article] = {}
        self.provisional: Snapshot | None = None  # shown before the library opened

    def _run(self, work: Callable[[], None], name: str, group: str) -> Worker[None]:
        """``work`` in a thread of the host's (a new one cancels the one before in ``group``)."""
        return self.host.run_worker(
            work, name=name, group=group, exclusive=True, thread=True, exit_on_error=False
        )

    # -- the start-up snapshot: the last screen, until the library has opened --------------------

    def show_snapshot(self, snap: Snapshot) -> None:
        """Show the article the snapshot kept, where it was on screen, with its notes' marks."""
        assert snap.article is not None
        self.provisional = snap
        reader = self.host.reader
        reader.show_article(snap.article, snap.local_sentence, row=snap.row)
        reader.set_note_marks(snap.local_marks())

    @property
    def showing_snapshot(self) -> bool:
        """The reader still shows the snapshot's article, not the library's."""
        snap = self.provisional
        return (
            snap is not None
            and snap.article is not None
            and self.host.reader.article is snap.article
        )

    def replace_snapshot(self) -> None:
        """The library opened: the article the snapshot showed, from the index, in its place,
        at the same sentence (followed into its new text if it changed) and the same row."""
        snap = self.provisional
        if snap is None or snap.article is None or not self.showing_snapshot:
            return
        shown, sentence = snap.article, self.host.reader.sentence
        hold_keys(
            self.host, self._run(lambda: self._load_real(shown, sentence), "_load_real", "article")
        )

    def _load_real(self, shown: Article, sentence: int) -> None:
        library = self.host.library
        assert library is not None
        new = library.article(shown.id)
        if new is not None and not get_current_worker().is_cancelled:
            target = followed(shown, new, sentence)
            self.host.app.call_from_thread(self._real_loaded, shown, new, sentence, target)

    def _real_loaded(self, shown: Article, new: Article, was: int, sentence: int) -> None:
        host = self.host
        reader = host.reader
        if reader.article is not shown:
            return
        self.provisional = None
        if reader.sentence != was:  # moved meanwhile (j/k on the snapshot)
            sentence = followed(shown, new, reader.sentence)
        self.cache[new.id] = new
        reader.show_article(new, sentence, host.hit_spans(new), row=reader.current_row)
        host.article_shown(new)

    # -- what the reader shows when the library opens or its folder changes ----------------------

    def open_first(self, articles: list[ArticleInfo], position: Position | None) -> str | None:
        """The library opened with ``articles``: the snapshot's article, still there, replaced in
        place; else the article and sentence the person was at (``position``), if the article
        is still there, or the first article, or a word that there are none. Returns the article
        the article list marks (None: the one shown, when it is)."""
        reader = self.host.reader
        known = {a.id for a in articles}
        first = position if position and position.article in known else None
        shown = reader.article
        if self.showing_snapshot and shown is not None and shown.id in known:
            self.replace_snapshot()  # the list, stale or not, is replaced; the article in place
            return shown.id
        if not articles:
            reader.show_message(NO_ARTICLES)
        elif first is not None:
            self.open(first.article, first.sentence)
        else:
            self.open(articles[0].id, 0)
        return first.article if first else None

    def library_changed(self, change: Change, notes: Sequence[Note]) -> str | None:
        """A look at the folder found ``change``: the view told; the article being read, if it
        went, followed by the next one (said, with what became of its ``notes``); the first
        article when none was shown. Returns the article the article list marks."""
        host = self.host
        current = host.reader.article
        gone = {a.id for a in change.removed}
        host.articles_changed(change.after, gone | {a.id for a in change.changed})
        target = None
        if current is not None and current.id in gone:  # the next one, said
            orphans = sum(1 for n in notes if n.article_id == current.id)
            following, told = after_removal(change, current.id, orphans)
            host.notify(neutralise(told), severity="warning", timeout=12, markup=False)
            target = following.id if following is not None else None
        if current is None and change.after:
            target = change.after[0].id
        if target is not None:
            self.open(target, 0)
        return target or (current.id if current else None)

    def articles_changed(self, articles: list[ArticleInfo], changed: set[str]) -> None:
        """The articles ``changed`` (ids, changed or removed) forgotten; the one being read,
        if it changed, read again at the same place; a word when none are left."""
        reader = self.host.reader
        for article_id in changed:
            self.cache.pop(article_id, None)
        current = reader.article
        if current is not None and current.id in changed and current.id in {a.id for a in articles}:
            reader.clear_selection()
            self.reload(current, reader.sentence)
        if not articles:
            reader.show_message(NO_ARTICLES_NOW)

    # -- opening articles ----------------------------------------------------------------------

    def open(self, article_id: str, sentence: int = 0) -> None:
        """Show ``article_id`` at ``sentence`` (from the cache, or load it in a worker)."""
        host = self.host
        if host.library is None:
            return
        article = self.cache.get(article_id)
        if article is not None:
            self._show_article(article, sentence)
        else:  # "]jj" reads on in it
            hold_keys(host, self._run(lambda: self._load(article_id, sentence), "_load", "article"))

    def _load(self, article_id: str, sentence: int) -> None:
        library = self.host.library
        assert library is not None
        article = library.article(article_id)
        if not get_current_worker().is_cancelled:
            self.host.app.call_from_thread(self._loaded, article_id, article, sentence)

    def reload(self, old: Article, sentence: int) -> None:
        """The article being read changed in its folder: its new text, at the same place."""
        self._run(lambda: self._reload(old, sentence), "_reload", "article")

    def _reload(self, old: Article, sentence: int) -> None:
        library = self.host.library
        assert library is not None
        new = library.article(old.id)
        if new is not None and not get_current_worker().is_cancelled:
            self.host.app.call_from_thread(self._loaded, old.id, new, follow(old, new, sentence))

    def _loaded(self, article_id: str, article: Article | None, sentence: int) -> None:
        if article is None:
            self.host.notify(
                f"The article “{neutralise(article_id)}” is not in the index.",
                severity="error",
                markup=False,
            )
            return
        self.cache[article.id] = article
        self._show_article(article, sentence)

    def _show_article(self, article: Article, sentence: int) -> None:
        host = self.host
        host.reader.show_article(article, sentence, host.hit_spans(article))
        host.article_shown(article)

    # -- the original file -----------------------------------------------------------------------

    def load_original(self, article_id: str) -> None:
        """The reader's article as its file has it (o), read in a worker."""
        if self.host.library is not None:
            self._run(lambda: self._load_original(article_id), "_load_original", "original")

    def _load_original(self, article_id: str) -> None:
        library = self.host.library
        assert library is not None
        view = library.original_view(article_id)
        if not get_current_worker().is_cancelled:
            self.host.app.call_from_thread(self._original_loaded, article_id, view)

    def _original_loaded(self, article_id: str, view: Original | None) -> None:
        reader = self.host.reader
        if reader.article is None or reader.article.id != article_id:
            return
        if view is None:
            self.host.notify("The article's file can no longer be read.", severity="warning")
            return
        reader.show_original(view.text, view.removed, view.extracted)

"""Search as the person types: what the search bar and the results list show while a query is
typed, searched and submitted, and a theme's passages listed like a search.

``LiveSearch`` is kept by a ``ReadingView`` (its host), on whose behalf it runs the search's
worker, and which hands on what its search bar and results list say; the part owns the search
shown in the results and whether enter is waiting for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from glossator.index.model import SearchResult
from glossator.index.textutil import neutralise

from .results import FIRST_PAGE, SHOWN_AT_MOST

if TYPE_CHECKING:
    from glossator.index.notes import Note

    from .reading import ReadingView


class SearchFinished(Message):
    """A search worker's result (its first page, then the whole), with the notes it found."""

    def __init__(self, result: SearchResult, notes: list[Note]) -> None:
        super().__init__()
        self.result, self.notes = result, notes


class LiveSearch:
    """Kept by a ``ReadingView`` (its host)."""

    def __init__(self, host: ReadingView) -> None:
        self.host = host
        self.result: SearchResult | None = None  # shown in the results list
        self.wanted = False  # enter pressed before the results came

    def stop(self) -> None:
        """Wait for no results: the search running is cancelled, enter no longer waits."""
        self.wanted = False
        self.host.workers.cancel_group(self.host, "search")

    def changed(self, query: str) -> None:
        """The query typed changed: search it (a new keystroke cancels the search before)."""
        host = self.host
        self.stop()
        host.post_message(host.Told(""))  # the default line: no "hit 9/14" of an older search
        if not query.strip():
            host.results.show_text("Type to search the library.")
            return
        host.show_results()
        if host.error is not None:
            host.results.show_text(host.error)
        elif host.library is None:
            host.results.show_text(
                "Indexing… search starts when the index is ready.",
                "The library is still being indexed; results will appear when it is ready.",
            )
        else:
            self.run(query)

    def run(self, query: str) -> None:
        """Search ``query`` in a worker of the host's (a new keystroke cancels it)."""
        self.host.run_worker(
            lambda: self._search(query),
            name="run_search",
            group="search",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _search(self, query: str) -> None:
        """The first screen of results at once, then the full count and the rest of the list
        (a new keystroke cancels both)."""
        host = self.host
        library, finder = host.library, host.note_finder
        assert library is not None
        worker = get_current_worker()
        first = library.search(query, limit=FIRST_PAGE, count=False)
        if worker.is_cancelled:
            return
        notes = finder(query) if finder is not None else []
        if worker.is_cancelled:
            return
        host.post_message(SearchFinished(first, notes))
        if first.error or (first.complete and len(first.hits) < FIRST_PAGE):
            return  # that was everything
        full = library.search(query, limit=SHOWN_AT_MOST)
        if not worker.is_cancelled:
            host.post_message(SearchFinished(full, notes))

    def finished(self, result: SearchResult, notes: list[Note]) -> None:
        host = self.host
        if result.query != host.search_bar.value:
            return  # typing has moved on
        self.result = result
        results = host.results
        if result.error:
            results.show_text(
                "No results: the query cannot be used as it is.",
                f"Unusable query: {result.error}",
                "error",
            )
            if notes:  # "#tag" finds no passages, but notes
                results.show_result(result, notes=notes)
            self.wanted = False
            return
        shown = results.result
        rest = shown is not None and shown.query == result.query and not shown.complete
        results.show_result(result, notes=notes, keep_place=rest)
        if not result.total and not notes:  # notes found: enter goes to them
            host.search_bar.suggestion = result.suggestion
            results.offer_suggestion(result.query, result.suggestion)
            self.wanted = False
            return
        results.show_message(None)
        if self.wanted:
            self.wanted = False
            host.show_results()
            results.focus_list()

    def submitted(self, query: str) -> None:
        """enter in the search bar: to the results, once there are some."""
        host = self.host
        if not query.strip():
            return
        host.post_message(host.SearchRemembered(query))
        result = self.result
        running = any(w.group == "search" and w.is_running for w in host.workers)
        if result is not None and result.query == query and not running:
            if result.total or host.results.notes:
                host.show_results()
                host.results.focus_list()
        else:
            self.wanted = True

    # -- a theme's passages, shown like a search -------------------------------------------------

    def show_theme(self, name: str, query: str, result: SearchResult) -> None:
        """List a theme's passages; the bar shows the theme's query (not searched again)."""
        host = self.host
        host.workers.cancel_group(host, "search")
        self.wanted = False
        host.search_bar.set_value(query, search=False)
        host.results.show_result(result, theme=name)
        shown = neutralise(name)
        host.results.show_message(f"The passages of the theme “{shown}”; type to search anew.")
        host.show_results()
        host.results.focus_list()

    def restore(self) -> None:
        """Before / shows the results: put the search back where a theme's passages were."""
        host = self.host
        if host.results.theme is None:
            return
        query = host.search_bar.value
        if query.strip() and host.library is not None:
            host.results.show_text("Searching…")
            self.run(query)
        else:
            host.results.show_text("Type to search the library.")

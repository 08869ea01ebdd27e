"""The search whose hits the reader highlights and ``n``/``N`` walk: chosen with a passage of the
results (a search's, or a theme's), found again when the library changes.

``ActiveSearch`` is kept by a ``ReadingView`` (its host), on whose behalf it runs its worker (so
its failure reaches the view's one handler); it owns that search and the theme it came from, and
hands the hits to the host's reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from glossator.index.model import Article, SearchResult

from .reading_places import hit_places, hit_spans

if TYPE_CHECKING:
    from .reading import ReadingView
    from .results import ResultsList


class ActiveSearch:
    """Kept by a ``ReadingView`` (its host)."""

    def __init__(self, host: ReadingView) -> None:
        self.host = host
        self.result: SearchResult | None = None  # highlighted in the reader, n/N
        self.theme: str | None = None  # the theme whose passages n/N walk

    def spans(self, article: Article) -> list[tuple[int, int]]:
        """This search's hits in ``article``, for the reader to highlight."""
        return hit_spans(self.result, article)

    def _show_hits(self) -> None:
        article = self.host.reader.article
        if article is not None:
            self.host.reader.set_hits(self.spans(article))

    def chosen(self, event: ResultsList.PassageSelected) -> None:
        """A passage of the results was chosen: its search is the one walked, the reader at it."""
        host = self.host
        if event.theme is None:  # a theme's passages are not a search to remember
            host.post_message(host.SearchRemembered(event.query))
        self.result = host.results.result if event.theme else host.search_result
        self.theme = event.theme
        current = host.reader.article
        if current is not None and current.id == event.hit.article_id:
            host.reader.set_hits(self.spans(current))
        host.go_to(event.hit.article_id, max(0, event.hit.sentence_id))

    def step(self, step: int) -> None:
        """n or N: the next or previous hit, wrapping round."""
        host = self.host
        result = self.result
        if result is None and host.search_result is not None and host.search_result.hits:
            # n after a search, no passage opened yet: walk that search's hits
            result = self.result = host.search_result
            self._show_hits()
        places = hit_places(result, host.articles)
        if not places or result is None:
            host.notify("No search to step through: press / and type what to find.", timeout=3)
            return
        what = f"theme “{self.theme}”" if self.theme else f"“{result.query}”"
        host.step_through(places, step, lambda n, count: f"hit {n}/{count} for {what}")

    # -- the library changed: the hits found again ------------------------------------------------

    def rerun(self) -> None:
        """The library changed: the hits the reader shows, found again (in a worker)."""
        active = self.result
        if active is not None and self.host.library is not None:
            query = active.query
            self.host.run_worker(
                lambda: self._rerun(query),
                name="_rerun_active",
                group="active",
                exclusive=True,
                thread=True,
                exit_on_error=False,
            )

    def _rerun(self, query: str) -> None:
        library = self.host.library
        assert library is not None
        result = library.search(query)
        if not get_current_worker().is_cancelled:
            self.host.app.call_from_thread(self._found, result)

    def _found(self, result: SearchResult) -> None:
        active = self.result
        if active is not None and active.query == result.query:
            self.result = result
            self._show_hits()

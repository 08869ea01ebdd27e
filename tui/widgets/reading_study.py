"""Which study view (concordance, spread, collocates, keywords) opens in the reading flow, on
what, and where escape from it returns: the results' search or theme, the search the reader
highlights, the reader's article, or the view left.

``StudyOpening`` is kept by a ``ReadingView`` (its host), whose centre it switches to its study
view and back; it keeps no state of its own (the study view keeps its subject and history).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import ContentSwitcher

from .study_pane import Subject

if TYPE_CHECKING:
    from .reading import ReadingView


class StudyOpening:
    """Kept by a ``ReadingView`` (its host)."""

    def __init__(self, host: ReadingView) -> None:
        self.host = host

    def _show(self, centre: str) -> None:
        self.host.query_one("#centre", ContentSwitcher).current = centre

    def open(self, view: str, subject: Subject, origin: str) -> None:
        """Show ``view`` of ``subject`` where the reader is; escape returns to ``origin``."""
        host = self.host
        if host.library is None:
            return
        host.search.stop()
        self._show("study")
        host.study.show(view, subject, origin)

    def from_results(self, query: str, theme: str | None) -> None:
        """c in the results: the concordance of their search, or of their theme's passages."""
        label = f"theme {theme!r}" if theme else ""
        subject = Subject(query=query, theme=theme, label=label)
        self.open("concordance", subject, "results")

    def from_reader(self, view: str) -> None:
        """c or K in the reader: the concordance of the search it highlights (or the view left),
        or the keywords of its article."""
        host = self.host
        article = host.reader.article
        if view == "keywords":
            if article is not None:
                subject = Subject(article_id=article.id, label=f"“{article.title}”")
                self.open("keywords", subject, "reading")
            return
        study, active, theme = host.study, host.hits.result, host.hits.theme
        if active is not None and (study.subject is None or study.subject.query != active.query):
            label = f"theme {theme!r}" if theme else ""
            subject = Subject(active.query, theme=theme, label=label)
            self.open("concordance", subject, "reading")
        elif study.subject is not None:  # back to the view left
            self._show("study")
            study.origin, study.history = "reading", []
            study.show(study.current.VIEW, study.subject)
        else:
            host.notify("No search yet: press / to search, then c for its concordance.", timeout=3)

    def closed(self, origin: str) -> bool:
        """escape left the study view: back to the results it came from (True), or the reader
        (False: a sidebar tab is the screen's to focus)."""
        host = self.host
        if origin == "results" and host.results.result is not None:
            self._show("results")
            host.results.focus_list()
            return True
        host.show_reader()
        return False

"""What a look at the library's folder changed (``Change``: the articles before and after, by id).
Plain data, no Textual: the library controller makes a ``Change``; the reading view works out
what becomes of the article being read when it went (``reading_places.after_removal``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo


@dataclass(frozen=True, slots=True)
class Change:
    """What a look at the folder changed: the articles before and after, by id."""

    before: list[ArticleInfo]
    after: list[ArticleInfo]

    @property
    def added(self) -> list[ArticleInfo]:
        old = {a.id for a in self.before}
        return [a for a in self.after if a.id not in old]

    @property
    def removed(self) -> list[ArticleInfo]:
        new = {a.id for a in self.after}
        return [a for a in self.before if a.id not in new]

    @property
    def changed(self) -> list[ArticleInfo]:
        old = {a.id: a.sha256 for a in self.before}
        return [a for a in self.after if a.id in old and old[a.id] != a.sha256]

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)

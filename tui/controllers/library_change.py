"""What a look at the library's folder changed (``Change``: the articles before and after, by id).
Plain data, no Textual: the library controller makes a ``Change``; the reading view works out
what becomes of the article being read when it went (``reading_places.after_removal``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo


@dataclass(frozen=True, slots=True)
class Change:
    """What a look at the folder changed: the articles before and after, by id; what was added,
    removed and changed is worked out once, when it is made (in the look's worker: at 100,000
    articles each of them took 50 ms, asked for again by every reader of the change)."""

    before: list[ArticleInfo]
    after: list[ArticleInfo]
    added: list[ArticleInfo] = field(init=False)
    removed: list[ArticleInfo] = field(init=False)
    changed: list[ArticleInfo] = field(init=False)

    def __post_init__(self) -> None:
        old = {a.id: a.sha256 for a in self.before}
        new = {a.id for a in self.after}
        added = [a for a in self.after if a.id not in old]
        changed = [a for a in self.after if a.id in old and old[a.id] != a.sha256]
        object.__setattr__(self, "added", added)
        object.__setattr__(self, "removed", [a for a in self.before if a.id not in new])
        object.__setattr__(self, "changed", changed)

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)

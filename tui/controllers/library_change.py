"""What a look at the library's folder changed (``Change``: the articles before and after, by id),
and what becomes of the article being read when it went: the one read instead, and how that is
said. Plain data, no Textual: the library controller makes a ``Change``, the screen acts on it."""

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


def after_removal(change: Change, article_id: str, orphans: int) -> tuple[ArticleInfo | None, str]:
    """The article being read went: the next one still there (else the one before it, else
    the first), and what to say, with what became of its ``orphans`` notes."""
    order = change.before
    index = next(i for i, a in enumerate(order) if a.id == article_id)
    after = {a.id: a for a in change.after}
    nearby = [*order[index + 1 :], *reversed(order[:index])]
    following = next((after[a.id] for a in nearby if a.id in after), None)
    if following is None and change.after:  # all new ones
        following = change.after[0]
    gone = order[index]
    told = (
        f"“{gone.title}” is no longer in the library: its file {gone.path} was removed or "
        "can no longer be read."
    )
    if orphans:
        told += (
            f" Its {orphans} note{'' if orphans == 1 else 's'} "
            f"{'is' if orphans == 1 else 'are'} kept, orphaned, in the Notes tab (3)."
        )
    if following is not None:
        told += f" Now reading “{following.title}”."
    return following, told

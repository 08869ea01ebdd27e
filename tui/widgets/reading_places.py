"""Where the reading view goes: pure functions over articles and search results, with no widget
in them. The view asks them which sentence of an edited article the reader was on, which
offsets of an article a search highlights, the places in reading order that ``n``/``N`` walk,
which of them a step from the reader's place lands on, and which article is read when the one
being read left the library.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from glossator.index.model import Article, SearchResult

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo

    from ..controllers.library_change import Change

Place = tuple[int, int, str]  # (the article's index in the library, sentence, article id)


def follow(old: Article, new: Article, sentence: int) -> int:
    """The sentence of ``new`` that sentence ``sentence`` of ``old`` became (the same text, or
    the closest passage), else the same number, within the new article."""
    from glossator.index import anchor

    try:
        found = anchor.locate(
            anchor.selector_for(old.text, old.sentences, sentence), new.text, new.sentences
        )
    except ValueError:
        found = None
    if found is not None and found.sentence_id is not None:
        return found.sentence_id
    return max(0, min(sentence, new.sentence_count() - 1))


def followed(old: Article, new: Article, sentence: int) -> int:
    """``follow``, with nothing to look for when the text is the same."""
    if new.text == old.text and new.sentence_count() == old.sentence_count():
        return sentence
    return follow(old, new, sentence)


def hit_spans(result: SearchResult | None, article: Article) -> list[tuple[int, int]]:
    """The offsets in ``article``'s text of the words ``result`` matched there."""
    if result is None:
        return []
    sentences = article.sentences
    spans: list[tuple[int, int]] = []
    for hit in result.hits:
        if hit.article_id == article.id and 0 <= hit.sentence_id < len(sentences):
            s = sentences[hit.sentence_id]
            spans.extend((s.start + a, s.start + b) for a, b in hit.highlights)
    return spans


def hit_places(result: SearchResult | None, articles: Sequence[ArticleInfo]) -> list[Place]:
    """The sentences ``result`` found, one place each, in reading order."""
    order = {a.id: i for i, a in enumerate(articles)}
    return sorted(
        {
            (order[h.article_id], max(0, h.sentence_id), h.article_id)
            for h in (result.hits if result else [])
            if h.article_id in order
        }
    )


def step_place(places: Sequence[Place], here: tuple[int, int], step: int) -> tuple[Place, bool]:
    """The place after ``here`` (``step`` > 0) or before it, wrapping round, and whether it
    wrapped; ``places`` in reading order, ``here`` (the article's index, sentence)."""
    keys = [(index, sentence) for index, sentence, _ in places]
    if step > 0:
        i = bisect.bisect_right(keys, here)
        return places[i % len(places)], i >= len(places)
    i = bisect.bisect_left(keys, here) - 1
    return places[i], i < 0


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

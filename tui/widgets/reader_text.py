"""Text the reader hands out: a passage with its citation (what ``y`` copies)."""

from __future__ import annotations

from glossator.index.model import Article

from .layout import display_text


def run_label(first: int, last: int) -> str:
    """§N or §N–M for sentences ``first``..``last`` (ids), numbered from 1 as people see them."""
    return f"§{first + 1}" if last <= first else f"§{first + 1}–{last + 1}"


def citation(article: Article, first: int, last: int) -> str:
    """Sentences ``first``..``last`` quoted, then the title, byline and §N of the article."""
    sentences = article.sentences
    if not sentences:
        return ""
    first = max(0, min(first, len(sentences) - 1))
    last = max(first, min(last, len(sentences) - 1))
    quote = " ".join(display_text(s.text) for s in sentences[first : last + 1])
    source = [display_text(article.title)]
    if article.byline:
        source.append(display_text(article.byline))
    source.append(f"{run_label(first, last)} of {len(sentences)}")
    return f"“{quote}”\n— {', '.join(source)}"

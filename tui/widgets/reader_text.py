"""Text the reader hands out: a passage with its citation (what ``y`` copies)."""

from __future__ import annotations

from glossator.index.model import Article

from .layout import display_text


def run_label(first: int, last: int) -> str:
    """§N or §N–M for sentences ``first``..``last`` (ids), numbered from 1 as people see them."""
    return f"§{first + 1}" if last <= first else f"§{first + 1}–{last + 1}"


def citation(article: Article, first: int, last: int) -> str:
    """Sentences ``first``..``last`` quoted, then their citation as a reader writes it: authors,
    title, outlet, date, URL, and §N (or the page, in a PDF)."""
    from glossator.index.cite import sentence_citation

    sentences = article.sentences
    if not sentences:
        return ""
    first = max(0, min(first, len(sentences) - 1))
    last = max(first, min(last, len(sentences) - 1))
    quote = " ".join(display_text(s.text) for s in sentences[first : last + 1])
    return f"“{quote}”\n— {display_text(sentence_citation(article, first, last))}"

"""Articles for the tests: built in memory (sentences exactly as given, offsets exact), or as
the text of article files."""

from __future__ import annotations

from pathlib import Path

from glossator.index.model import Article, Block, Sentence

# three paragraphs of a small story, used wherever a test needs an ordinary article
PARAS = [
    ["The harbour was quiet that morning.", "Fishing boats lay idle at the quay."],
    [
        "Prices for diesel had doubled in a year.",
        "Most skippers could no longer afford to sail.",
        "A few sold their boats to buyers from the south.",
    ],
    ["By winter the town had changed.", "The cannery closed its doors for good."],
]


def make_article(
    paragraphs: list[list[str]],
    article_id: str = "a",
    title: str = "Title",
    byline: str | None = None,
) -> Article:
    """Sentences exactly as given, paragraphs joined by a blank line."""
    blocks: list[Block] = []
    parts: list[str] = []
    pos = sid = 0
    for para in paragraphs:
        if parts:
            parts.append("\n\n")
            pos += 2
        sentences = []
        start = pos
        for k, sentence in enumerate(para):
            if k:
                parts.append(" ")
                pos += 1
            sentences.append(Sentence(sid, pos, pos + len(sentence), sentence))
            parts.append(sentence)
            pos += len(sentence)
            sid += 1
        blocks.append(Block("paragraph", start, pos, tuple(sentences)))
    text = "".join(parts)
    return Article(article_id, f"{article_id}.txt", title, False, byline, text, blocks)


def article_file(title: str, word: str, sentences: int = 8, first: str = "") -> str:
    """The text of an article file: a title line, then ``sentences`` sentences about ``word``."""
    body = " ".join(
        f"The {word} story goes on in part {i}. Boats lay idle at quay number {i}."
        for i in range(sentences // 2)
    )
    return f"{title}\n\n{first}{body}\n"


def small_library(folder: Path) -> Path:
    """Three article files (harbour, river, bridge) in a new ``folder``."""
    folder.mkdir()
    for i, word in enumerate(("harbour", "river", "bridge")):
        (folder / f"a{i}.txt").write_text(article_file(f"Article Number {i} Here", word), "utf-8")
    return folder

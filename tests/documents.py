"""Real test documents of every kind, made in the tests: Markdown, reStructuredText, a saved
documentation web page, EPUBs (made with ebooklib) and PDFs (made with fpdf2), including a
damaged, an encrypted and a scanned (no text layer) one of each binary kind where it applies."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

MARKDOWN = """---
title: Shell supply estimates
author:
  - Jane Doe
  - name: John Roe
date: 2024-03-05
publisher: The Harbour Review
url: https://example.org/shells
tags: [artillery, supply]
---

# Shell supply estimates

The **artillery** shipments grew, says [the AP report](https://apnews.example/x) and *others*.
A second sentence follows on the next line with `inline code` in it.

## What the figures say

- First, the rail yards near the border.
- Second, the ports: *busy* all winter.

1. Counted by analysts.
2. Counted again.

> A quoted paragraph about the shells that someone said.

```python
def count(trains):
    return len(trains)
```

![a picture](picture.png) Text after an image, with <span>inline html</span> gone.

| name | shells |
| ---- | ------ |
| Najin | many |
"""

RST = """:mod:`functools` --- Higher-order functions
===============================================

:Author: Jane Doe
:Date: 2023-11-02
:Organization: The Docs Team
:URL: https://docs.example.org/functools

The :mod:`functools` module is for *higher-order* functions, see :func:`~functools.partial`
and `the guide <https://example.org/guide>`_ for more.

Caching
-------

.. function:: cache(user_function)

   A simple lightweight unbounded function cache. It is thread-safe.

.. code-block:: python

   @cache
   def factorial(n):
       return n * factorial(n - 1) if n else 1

* One item of a list.
* Another item, with ``literal`` text.

   A block quote about caching results that is indented.

.. toctree::

   other

.. include:: /etc/passwd
"""

DOC_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>functools — Higher-order functions &mdash; Example Docs</title>
<meta name="author" content="Jane Doe">
<meta property="og:site_name" content="Example Docs">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://docs.example.org/3/library/functools.html">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/lib">Library index</a></li>
<li><a href="/mod">Module index</a></li></ul></nav>
<div class="sphinxsidebar"><h3>Previous topic</h3>
<p><a href="x">itertools — Functions creating iterators for efficient looping</a></p>
<h3>This page</h3><ul><li><a href="src">Show source</a></li></ul></div>
<div class="body" role="main"><article>
<h1>functools — Higher-order functions and operations on callable objects</h1>
<p>The <code>functools</code> module is for <em>higher-order</em> functions: functions that act on
or return other functions. See <a href="https://x">the reference</a> for more about them.</p>
<h2>Caching</h2>
<p>The decorator caches the results of calls. It is thread-safe and fast enough for most uses of a
cache in real programs that people write every day.</p>
<pre><code>@cache
def factorial(n):
    return n * factorial(n-1) if n else 1
</code></pre>
<ul><li>The first item of the list is here.</li><li>The second item, with <strong>bold</strong>
text.</li></ul>
<blockquote><p>A quoted line that someone once said about caching and memory.</p></blockquote>
</article></div>
<footer><p>© Copyright 2001-2024, Example Software Foundation.</p>
<p>Share on Twitter</p><p>Cookie settings: accept all cookies to continue browsing.</p></footer>
</body></html>
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def epub(path: Path, chapters: list[tuple[str, str]], title: str = "The Harbour Book") -> Path:
    """A real EPUB 3 made with ebooklib: chapters of (title, XHTML body)."""
    from ebooklib import epub as e

    book = e.EpubBook()
    book.set_identifier("https://books.example.org/harbour")
    book.set_title(title)
    book.set_language("en")
    book.add_author("Ann Writer")
    book.add_metadata("DC", "publisher", "Harbour Press")
    book.add_metadata("DC", "date", "2021-06-01")
    items = []
    for i, (chapter_title, body) in enumerate(chapters, 1):
        item = e.EpubHtml(title=chapter_title, file_name=f"chap{i}.xhtml", lang="en")
        item.content = f"<html><body>{body}</body></html>"
        book.add_item(item)
        items.append(item)
    book.toc = items
    book.add_item(e.EpubNcx())
    book.add_item(e.EpubNav())
    book.spine = ["nav", *items]
    e.write_epub(str(path), book)
    return path


def encrypted_epub(path: Path) -> Path:
    epub(path, [("One", "<p>Secret text of the first chapter that nobody can read.</p>")])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(
            "META-INF/encryption.xml",
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<EncryptedData><CipherData><CipherReference URI="EPUB/chap1.xhtml"/>'
            "</CipherData></EncryptedData></encryption>",
        )
    return path


Page = list[tuple[str, object]]  # ("h", title) | ("p", lines, first indented) | ("c", lines)


def pdf(path: Path, pages: list[Page], *, title: str | None = "Artillery Supply Chains",
        author: str = "Jane Doe; John Roe", header: str = "Journal of Shell Studies, Vol. 3",
        password: str | None = None, text: bool = True) -> Path:  # fmt: skip
    """A real PDF laid out line by line like a typeset journal: a running header, a page number
    at the foot of each page, paragraphs with indented first lines, a bold heading."""
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    doc = FPDF(unit="pt", format=(595, 842))
    if title:
        doc.set_title(title)
    doc.set_author(author)
    doc.set_creation_date(datetime.datetime(2023, 5, 17, tzinfo=datetime.UTC))
    doc.set_auto_page_break(False)
    if password is not None:
        doc.set_encryption(
            owner_password="owner", user_password=password, encryption_method=EncryptionMethod.RC4
        )
    for number, page in enumerate(pages, 1):
        doc.add_page()
        if not text:  # a scanned page: only shapes, no text layer
            doc.rect(60, 90, 400, 600, style="F")
            continue
        doc.set_font("helvetica", size=9)
        if header:
            doc.text(220, 40, header)
        doc.text(290, 810, str(number))
        y = 90.0
        for kind, content in page:
            if kind == "h":
                doc.set_font("helvetica", "B", 16)
                doc.text(60, y, str(content))
                y += 30
                continue
            doc.set_font("helvetica", size=11)
            assert isinstance(content, list)
            for i, line in enumerate(content):
                indent = 15 if kind == "p" and i == 0 else 0
                doc.text(60 + indent, y, line)
                y += 14
            y += 10
    doc.output(str(path))
    return path


LINE = "The shipments of artillery shells across the border continued all winter and"
JOURNAL: list[Page] = [
    [
        ("h", "Artillery Supply Chains"),
        ("p", [LINE, "the trains were counted by ana-", "lysts working from satellite images of the",
               "rail yards near the coast. They found more than twenty a week."]),
        ("p", [LINE, "the reports were well-", "known to everyone who read the papers, a",
               "well-known fact at the"]),
    ],
    [
        ("c", ["time. The next paragraph is on the second page of the document and", "it goes on."]),
        ("p", [LINE, "the paragraph ended here with a short line."]),
    ],
    [
        ("h", "Where the Shells Went"),
        ("p", [LINE, "the depots were emptied by the spring of that year when the",
               "thaw came."]),
    ],
]  # fmt: skip

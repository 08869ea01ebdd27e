"""Readers for each kind of file, chosen by suffix, each giving the same Article.

==========================  ==========  ==================================================
suffix                      format      read with
==========================  ==========  ==================================================
``.txt``                    text        Glossator's own cleaning of scraped text (clean.py)
``.md`` ``.markdown``       markdown    markdown-it-py, front matter by python-frontmatter
``.rst``                    rst         docutils (no file inclusion, no raw output)
``.html`` ``.htm``          html        trafilatura (main text and metadata)
``.epub``                   epub        ebooklib (spine order), chapters read with lxml
``.pdf``                    pdf         pdfminer.six (text with positions)
==========================  ==========  ==================================================

``load_article(path, article_id)`` reads any of them; a file that cannot be an article (empty,
binary, scanned, encrypted, damaged) raises ``ValueError`` with one line naming the file and
why. ``original(path, article_id)`` gives the file as it was read, with what was removed marked.
The readers' libraries are imported only when a file of their kind is read.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from ..model import Article
from .base import Original

__all__ = ["FORMATS", "SUFFIXES", "Original", "format_of", "load_article", "original"]

FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".rst": "rst",
    ".html": "html",
    ".htm": "html",
    ".epub": "epub",
    ".pdf": "pdf",
}
SUFFIXES = frozenset(FORMATS)
_MODULES = {"text": "text", "markdown": "markdown", "rst": "rst", "html": "html", "epub": "epub"}
_MODULES["pdf"] = "pdf"
_NAMES = {
    "text": "a text file",
    "markdown": "Markdown",
    "rst": "reStructuredText",
    "html": "a web page",
    "epub": "an EPUB",
    "pdf": "a PDF",
}


def format_of(path: Path | str) -> str:
    return FORMATS.get(Path(path).suffix.lower(), "text")


def _reader(fmt: str) -> ModuleType:
    """The reader module of a format, imported when first needed (with its library)."""
    return importlib.import_module(f".{_MODULES[fmt]}", __package__)


def _failure(path: Path, fmt: str, exc: Exception) -> ValueError:
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    why = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return ValueError(f"{path}: could not be read as {_NAMES[fmt]} ({why})")


def load_article(path: Path, article_id: str | None = None) -> Article:
    """Read one file of any known kind as an Article (see the module's table)."""
    path = Path(path)
    fmt = format_of(path)
    try:
        return _reader(fmt).read(path, article_id if article_id is not None else path.stem)
    except (ValueError, OSError):
        raise
    except RecursionError as exc:
        raise ValueError(f"{path}: nested too deeply to be read") from exc
    except Exception as exc:  # a library's own error on a damaged file: one line, no traceback
        raise _failure(path, fmt, exc) from exc


def original(path: Path, article_id: str) -> Original:
    """The file as it was read, what was removed marked (see ``Original``)."""
    path = Path(path)
    fmt = format_of(path)
    try:
        found: Original = _reader(fmt).original(path, article_id)
        return found
    except (ValueError, OSError):
        raise
    except Exception as exc:
        raise _failure(path, fmt, exc) from exc

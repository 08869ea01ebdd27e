"""The metadata a citation needs, and the corrections a person makes to it.

Readers find ``title``, ``authors``, ``outlet``, ``published`` and ``url`` in the files (front
matter, HTML meta, EPUB and PDF metadata, a plain-text byline) and pass what they find through
``normalise_date``, ``split_authors`` and ``normalise_url``, so every format gives the same shapes:
authors as a list of names, a date as ISO 8601 ("2024", "2024-03", "2024-03-05"), a URL only when
it is an absolute http(s) address.

A person's corrections live in one JSON file per library in the data folder, beside the notes
(``<data>/metadata/<library>-<hash>.json``), never in the article: ``Corrections`` reads and writes
it. A correction replaces the value found in the file; a correction to nothing (``None``, or an
empty list of authors) hides a wrong value; removing the correction brings the file's value back.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .textutil import neutralise

__all__ = [
    "FIELDS",
    "Corrections",
    "MetadataError",
    "normalise_date",
    "normalise_url",
    "parse_value",
    "split_authors",
]

FIELDS = ("title", "authors", "outlet", "published", "url")
_MAX_FIELD = 2000  # characters: a title or an outlet longer than this is not one


class MetadataError(ValueError):
    """A correction that cannot be used; the message says why in one line."""


# -- normalising what readers find ---------------------------------------------------------------

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DATE_PREFIX = re.compile(
    r"^\s*(?:published|updated|posted|last updated|first published|date)\s*(?:on|:)?\s*", re.I
)


def normalise_date(value: Any) -> str | None:
    """An ISO 8601 date ("2024", "2024-03", "2024-03-05") from what a file says, or None.

    Takes dates and datetimes (YAML front matter), ISO strings with or without a time, PDF dates
    ("D:20230517120000Z"), and written dates ("March 3, 2024", "3 Mar 2024").
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("D:"):  # a PDF date: D:YYYYMMDDHHmmSS...
        digits = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", text)
        if digits is None:
            return None
        text = "-".join(g for g in digits.groups() if g)
    text = _DATE_PREFIX.sub("", text)
    match = _ISO.fullmatch(text) or _ISO.match(text) if re.match(r"\d{4}(?:-|$)", text) else None
    if match is not None:
        year, month, day = (int(g) if g else None for g in match.groups())
        return _checked(year, month, day)
    if len(text) > 80 or not re.search(r"\d{4}", text):
        return None
    try:
        from dateutil import parser

        default = _dt.datetime(1, 1, 1)
        parsed = parser.parse(text, default=default, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date().isoformat()


def _checked(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or not 1000 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


_AUTHOR_SPLIT = re.compile(r"\s*;\s*|\s+(?:and|&)\s+|\s*\n\s*")
_BY = re.compile(r"^(?i:by|written by|words by|story by|reporting by|posted by|authors?:)\s+")


def split_authors(value: Any) -> list[str]:
    """A list of author names from a string ("Jane Doe; John Roe", "Jane Doe and John Roe",
    "By Jane Doe"), a list of strings, or a list of mappings with a "name"."""
    names: list[str] = []
    items: Iterable[Any] = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if isinstance(item, Mapping):
            item = item.get("name") or " ".join(
                str(item[k]) for k in ("given", "family") if item.get(k)
            )
        if not isinstance(item, str):
            continue
        item = _BY.sub("", " ".join(item.split()))
        pieces = [p for p in _AUTHOR_SPLIT.split(item) if p]
        # "Jane Doe, John Roe" is two people; "Doe, Jane" is one
        if len(pieces) == 1 and "," in item:
            parts = [p.strip() for p in item.split(",") if p.strip()]
            if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
                pieces = parts
        for p in pieces:
            p = neutralise(p.strip(" ,.;:"))[:_MAX_FIELD]
            if p and p not in names:
                names.append(p)
    return names


_URL = re.compile(r"https?://[^\s<>\"]+", re.I)


def normalise_url(value: Any) -> str | None:
    """An absolute http(s) URL, or None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if _URL.fullmatch(value) and "." in value.split("/")[2]:
        return neutralise(value)[:_MAX_FIELD]
    return None


def clean_field(value: Any) -> str | None:
    """A one-line, safe string (title, outlet), or None when empty."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return neutralise(value)[:_MAX_FIELD] or None


# -- corrections --------------------------------------------------------------------------------


def parse_value(key: str, value: str) -> Any:
    """What ``meta --set key=value`` means: the value a correction stores, checked.

    An empty value is a correction to nothing (the file's value is hidden), except for the
    title, which cannot be empty. Authors are separated by ";" or " and "."""
    if key not in FIELDS:
        raise MetadataError(f"unknown field {key!r}; the fields are {', '.join(FIELDS)}")
    value = value.strip()
    if key == "authors":
        return split_authors(value) if value else []
    if not value and key == "title":
        raise MetadataError("a title cannot be empty; --unset title brings back the file's")
    if not value:
        return None
    if key == "published":
        date = normalise_date(value)
        if date is None:
            raise MetadataError(f"{value!r} is not a date; write it as 2024, 2024-03 or 2024-03-05")
        return date
    if key == "url":
        url = normalise_url(value)
        if url is None:
            raise MetadataError(f"{value!r} is not a web address (http:// or https://)")
        return url
    return clean_field(value)


def _valid(key: str, value: Any) -> bool:
    if key == "authors":
        return isinstance(value, list) and all(isinstance(a, str) for a in value)
    return value is None or isinstance(value, str)


class Corrections:
    """One library's metadata corrections: ``{article_id: {field: value}}``, kept in ``path``.

    The file is re-read when it changes on disk (another process set something), written
    atomically, readable by its owner only. A file that cannot be read is reported in
    ``problem`` and treated as empty, and is never overwritten until the person sets something.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, dict[str, Any]] = {}
        self._stamp: tuple[int, int] | None = None
        self.problem: str | None = None

    def _current(self) -> dict[str, dict[str, Any]]:
        try:
            st = self.path.stat()
        except OSError:
            self._data, self._stamp, self.problem = {}, None, None
            return self._data
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp == self._stamp:
            return self._data
        self._stamp = stamp
        try:
            raw = json.loads(self.path.read_text("utf-8"))
            articles = raw["articles"]
            if not isinstance(articles, dict):
                raise TypeError("articles is not an object")
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
            self._data = {}
            self.problem = f"{self.path} could not be read ({exc}); no corrections are used"
            return self._data
        self.problem = None
        self._data = {
            str(article_id): {k: v for k, v in fields.items() if k in FIELDS and _valid(k, v)}
            for article_id, fields in articles.items()
            if isinstance(fields, dict)
        }
        return self._data

    def get(self, article_id: str) -> dict[str, Any]:
        """The corrections of one article (a copy): field -> value."""
        return dict(self._current().get(article_id, {}))

    def all(self) -> dict[str, dict[str, Any]]:
        return {k: dict(v) for k, v in self._current().items()}

    def version(self) -> tuple[int, int] | None:
        """Changes whenever the corrections do (the file's time and size)."""
        self._current()
        return self._stamp

    def update(
        self, article_id: str, set_: Mapping[str, Any], unset: Iterable[str] = ()
    ) -> dict[str, Any]:
        """Set and remove corrections of one article; returns its corrections now."""
        for key in [*set_, *unset]:
            if key not in FIELDS:
                raise MetadataError(f"unknown field {key!r}; the fields are {', '.join(FIELDS)}")
        for key, value in set_.items():
            if not _valid(key, value):
                raise MetadataError(
                    f"{key} must be {'a list of names' if key == 'authors' else 'text'}"
                )
        if self.problem is not None and self.path.exists():
            raise MetadataError(self.problem.replace("; no corrections are used", ""))
        data = self.all()
        fields = data.setdefault(article_id, {})
        fields.update(set_)
        for key in unset:
            fields.pop(key, None)
        if not fields:
            del data[article_id]
        self._write(data)
        return dict(data.get(article_id, {}))

    def _write(self, data: dict[str, dict[str, Any]]) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "w", encoding="utf-8") as fh:
                json.dump({"articles": data}, fh, ensure_ascii=False, indent=1)
            tmp.replace(self.path)
        except OSError as exc:
            raise MetadataError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self._stamp = None  # read back at the next look

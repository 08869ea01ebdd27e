"""Issue 12 on the command line: list and show carry each article's metadata and format, a PDF's
sentences their page; show --original gives the file as read with what was removed; bad files
are one line each."""

from __future__ import annotations

import json

import pytest
from documents import DOC_PAGE, JOURNAL, MARKDOWN, pdf, write

from glossator.tui.cli import main


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lib")
    write(folder, "shells.md", MARKDOWN)
    write(folder, "page.html", DOC_PAGE)
    pdf(folder / "journal.pdf", JOURNAL)
    pdf(folder / "locked.pdf", JOURNAL[:1], password="secret")
    return folder


def run(capsys, *argv):
    status = main([*argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_list_json_has_metadata_and_format(capsys, lib):
    status, out, err = run(capsys, "list", "--json", "--library", str(lib))
    assert status == 0
    data = {a["id"]: a for a in json.loads(out)}
    assert set(data) == {"journal", "page", "shells"}
    shells = data["shells"]
    assert shells["format"] == "markdown" and shells["authors"] == ["Jane Doe", "John Roe"]
    assert shells["published"] == "2024-03-05" and shells["url"] == "https://example.org/shells"
    assert shells["outlet"] == "The Harbour Review" and shells["title_derived"] is False
    assert data["journal"]["format"] == "pdf" and data["page"]["outlet"] == "Example Docs"


def test_a_refused_file_is_one_line(capsys, lib):
    status, out, err = run(capsys, "index", "--library", str(lib))
    assert status == 0
    lines = [line for line in err.splitlines() if "locked.pdf" in line]
    assert len(lines) == 1 and "encrypted" in lines[0] and "Traceback" not in err


def test_show_json_gives_pages_for_a_pdf(capsys, lib):
    status, out, _ = run(capsys, "show", "journal", "--json", "--library", str(lib))
    data = json.loads(out)
    assert status == 0 and data["format"] == "pdf" and data["authors"] == ["Jane Doe", "John Roe"]
    pages = [s["page"] for p in data["paragraphs"] for s in p["sentences"]]
    assert pages[0] == 1 and pages[-1] == 3 and pages == sorted(pages)
    status, out, _ = run(capsys, "show", "shells", "--json", "--library", str(lib))
    data = json.loads(out)
    assert all("page" not in s for p in data["paragraphs"] for s in p["sentences"])


def test_show_original_marks_what_was_removed(capsys, lib):
    status, out, _ = run(capsys, "show", "page", "--original", "--json", "--library", str(lib))
    data = json.loads(out)
    removed = [data["original"][s:e] for s, e in data["removed_spans"]]
    assert status == 0 and data["extracted"] and "Previous topic" in removed
    status, out, _ = run(capsys, "show", "shells", "--original", "--library", str(lib))
    assert out.startswith("---\ntitle: Shell supply estimates")

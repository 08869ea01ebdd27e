"""Issue 12: metadata corrections (kept beside the notes, never in the article, used everywhere)
and citations (text with §N or pages, BibTeX read back by bibtexparser, CSL-JSON rendered by
citeproc-py)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from documents import JOURNAL, MARKDOWN, epub, pdf, write

from glossator.index import cite, paths
from glossator.index.library import Library
from glossator.index.metadata import MetadataError, normalise_date, parse_value, split_authors
from glossator.tui.cli import main


@pytest.fixture
def lib(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    write(folder, "shells.md", MARKDOWN)
    pdf(folder / "journal.pdf", JOURNAL)
    epub(folder / "book.epub", [("One", "<p>The cranes of the harbour lift containers.</p>")])
    write(folder, "plain.txt", "Plain Title Here\n\nA plain article about analysts and cranes.\n")
    return folder


def run(capsys, *argv):
    status = main([*argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_normalising_what_files_say():
    assert normalise_date("D:20230517120000Z") == "2023-05-17"
    assert normalise_date("March 3, 2024") == "2024-03-03"
    assert normalise_date("2024-03") == "2024-03" and normalise_date("2024-13-01") is None
    assert normalise_date("7 months ago") is None
    assert split_authors("Jane Doe; John Roe") == ["Jane Doe", "John Roe"]
    assert split_authors("By Jane Doe and John Roe") == ["Jane Doe", "John Roe"]
    assert split_authors("Doe, Jane") == ["Doe, Jane"]
    assert split_authors([{"name": "Ann"}, "Bob Bee"]) == ["Ann", "Bob Bee"]
    with pytest.raises(MetadataError):
        parse_value("published", "last week")
    with pytest.raises(MetadataError):
        parse_value("url", "javascript:alert(1)")
    with pytest.raises(MetadataError):
        parse_value("colour", "red")


def test_corrections_are_kept_beside_the_notes_and_used_everywhere(lib, tmp_path):
    library = Library(lib, cache=tmp_path / "cache")
    library.update()
    before = (lib / "plain.txt").read_bytes()
    library.set_metadata(
        "plain",
        {"title": "The Real Title", "authors": ["Ann Writer"], "published": "2020-01-02",
         "url": "https://example.org/plain"},
    )  # fmt: skip
    assert (lib / "plain.txt").read_bytes() == before  # never the article
    stored = paths.data_dir() / "metadata" / f"{library.key}.json"
    assert json.loads(stored.read_text())["articles"]["plain"]["title"] == "The Real Title"
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    info = library.info("plain")
    assert info is not None and info.title == "The Real Title" and not info.title_derived
    article = library.article("plain")
    assert article is not None and article.authors == ["Ann Writer"]
    hits = library.search("cranes")
    assert {h.title for h in hits.hits if h.article_id == "plain"} == {"The Real Title"}
    assert ("plain", "The Real Title", 1) in hits.articles
    assert "The Real Title" in cite.cite_text(info)
    assert library.found_metadata("plain")["title"] == "Plain Title Here"
    # another process (a new Library) sees the same corrections; unsetting brings the file back
    other = Library(lib, cache=tmp_path / "cache")
    other.update()
    assert other.info("plain").title == "The Real Title"
    other.set_metadata("plain", {}, unset=["title"])
    assert library.info("plain").title == "Plain Title Here"
    assert library.info("plain").authors == ["Ann Writer"]


def test_meta_command_sets_and_unsets(capsys, lib):
    L = ("--library", str(lib))
    status, out, err = run(capsys, "meta", "shells", "--set", "outlet=Harbour Weekly",
                           "--set", "authors=A One; B Two", *L)  # fmt: skip
    assert status == 0 and "Harbour Weekly  [corrected]" in out and "A One and B Two" in out
    status, out, _ = run(capsys, "list", "--json", *L)
    shells = next(a for a in json.loads(out) if a["id"] == "shells")
    assert shells["outlet"] == "Harbour Weekly" and shells["authors"] == ["A One", "B Two"]
    status, out, _ = run(capsys, "show", "shells", "--json", *L)
    assert json.loads(out)["outlet"] == "Harbour Weekly"
    status, out, _ = run(capsys, "meta", "shells", "--unset", "outlet", "--json", *L)
    data = json.loads(out)
    assert data["outlet"] == "The Harbour Review" and data["corrected"] == {
        "authors": ["A One", "B Two"]
    }
    status, _, err = run(capsys, "meta", "shells", "--set", "published=soon", *L)
    assert status == 2 and err.startswith("glossator: ") and len(err.splitlines()) == 1
    status, _, err = run(capsys, "meta", "shells", "--set", "nonsense", *L)
    assert status == 2 and "KEY=VALUE" in err


def test_citation_text_with_sentence_or_page(lib, tmp_path):
    library = Library(lib, cache=tmp_path / "cache")
    library.update()
    shells = library.article("shells")
    assert cite.sentence_citation(shells, 2) == (
        "Jane Doe and John Roe, “Shell supply estimates”, The Harbour Review, 5 March 2024, "
        "https://example.org/shells, §3"
    )
    assert cite.sentence_citation(shells, 2, 4).endswith("§3–5")
    journal = library.article("journal")
    last = journal.sentence_count() - 1
    assert cite.sentence_citation(journal, 0).endswith("17 May 2023, p. 1")
    assert cite.sentence_citation(journal, 0, last).endswith("pp. 1–3")


def test_cite_command_text_bibtex_and_csl_json(capsys, lib):
    import bibtexparser
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
    from citeproc import formatter
    from citeproc.source.json import CiteProcJSON

    L = ("--library", str(lib))
    status, out, _ = run(capsys, "cite", "journal", "--sentence", "1", *L)
    assert status == 0 and out.strip().endswith("p. 1") and "“Artillery Supply Chains”" in out
    status, out, _ = run(capsys, "cite", "--all", "--format", "bibtex", *L)
    assert status == 0
    parsed = bibtexparser.parse_string(out)
    assert not parsed.failed_blocks and len(parsed.entries) == 4
    types = {e.entry_type for e in parsed.entries}
    assert {"book", "misc"} <= types
    shells = next(e for e in parsed.entries if "Shell supply" in e["title"])
    assert shells["author"] == "Doe, Jane and Roe, John" and shells["year"] == "2024"
    assert shells["url"] == "https://example.org/shells"

    status, out, _ = run(capsys, "cite", "--all", "--format", "csl-json", *L)
    items = json.loads(out)
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 4
    assert any("Doe" in r and "Shell supply estimates" in r and "2024" in r for r in rendered)
    assert any("The Harbour Book" in r and "Harbour Press" in r for r in rendered)

    status, _, err = run(capsys, "cite", *L)
    assert status == 2 and "--all" in err


def test_corrections_reach_show_cite_and_the_notes_export(capsys, lib):
    L = ("--library", str(lib))
    status, _, err = run(capsys, "meta", "journal", "--set", "outlet=Journal of Shell Studies",
                         "--set", "url=https://journal.example/artillery", *L)  # fmt: skip
    assert status == 0, err
    status, out, _ = run(capsys, "meta", "plain", "--set", "title=Cranes at Work", *L)
    status, out, _ = run(capsys, "show", "plain", *L)
    assert out.startswith("Cranes at Work\n")
    status, out, _ = run(capsys, "cite", "--all", *L)
    lines = out.splitlines()
    assert status == 0 and len(lines) == 4
    assert "Jane Doe and John Roe, “Artillery Supply Chains”, Journal of Shell Studies, " \
           "17 May 2023, https://journal.example/artillery" in lines  # fmt: skip
    assert "“Cranes at Work”" in lines
    status, out, _ = run(capsys, "search", "cranes", "--json", *L)
    assert "Cranes at Work" in {a["title"] for a in json.loads(out)["articles"]}

    # a note on the PDF is cited by its page, a note on Markdown by its sentence
    journal_count = len(json.loads(run(capsys, "show", "journal", "--json", *L)[1])["paragraphs"])
    assert journal_count > 1
    assert run(capsys, "notes", "add", "--article", "journal", "--sentence", "1", "--text",
               "trains #rail", *L)[0] == 0  # fmt: skip
    assert run(capsys, "notes", "add", "--article", "shells", "--sentence", "3", "--text",
               "a code line", *L)[0] == 0  # fmt: skip
    status, out, _ = run(capsys, "notes", "export", *L)
    assert status == 0
    assert ("— Jane Doe and John Roe, “Artillery Supply Chains”, Journal of Shell Studies, "
            "17 May 2023, https://journal.example/artillery, p. 1\n") in out  # fmt: skip
    assert ("— Jane Doe and John Roe, “Shell supply estimates”, The Harbour Review, "
            "5 March 2024, https://example.org/shells, §3\n") in out  # fmt: skip
    status, out, _ = run(capsys, "notes", "list", *L)
    assert "  — Jane Doe and John Roe, “Artillery Supply Chains”" in out and ", p. 1\n" in out
    status, out, _ = run(capsys, "notes", "list", "--json", *L)
    assert {n["citation"].rsplit(", ", 1)[1] for n in json.loads(out)} == {"p. 1", "§3"}


def test_a_damaged_corrections_file_is_said_and_kept(capsys, lib):
    L = ("--library", str(lib))
    run(capsys, "meta", "plain", "--set", "outlet=Somewhere", *L)
    stored = next((paths.data_dir() / "metadata").glob("*.json"))
    stored.write_text("{not json", "utf-8")
    status, out, err = run(capsys, "list", "--json", *L)
    assert status == 0 and "could not be read" in err and err.startswith("glossator: ")
    assert next(a for a in json.loads(out) if a["id"] == "plain")["outlet"] is None
    status, _, err = run(capsys, "meta", "plain", "--set", "outlet=Elsewhere", *L)
    assert status == 2 and stored.read_text("utf-8") == "{not json"  # never overwritten
    status, _, err = run(capsys, "meta", "plain", "--set", "title=", *L)
    assert status == 2 and "cannot be empty" in err


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(title=names, authors=st.lists(names, max_size=3), outlet=st.none() | names,
       published=st.none() | st.sampled_from(["2024", "2024-03", "1999-12-31"]))  # fmt: skip
def test_any_metadata_gives_bibtex_that_parses_and_csl_that_renders(
    title, authors, outlet, published
):
    import bibtexparser
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
    from citeproc import formatter
    from citeproc.source.json import CiteProcJSON

    from glossator.index.metadata import clean_field

    title = clean_field(title) or "Untitled"
    authors = split_authors(authors)
    item = SimpleNamespace(id="x/y z", title=title, authors=authors, outlet=clean_field(outlet),
                           published=published, url="https://example.org/a?b=1&c={d}%",
                           format="html")  # fmt: skip
    parsed = bibtexparser.parse_string(cite.bibtex([item, item]))
    assert not parsed.failed_blocks and len(parsed.entries) == 2
    assert len({e.key for e in parsed.entries}) == 2
    entry = parsed.entries[0]
    assert set(entry.fields_dict) >= {"title", "url"}
    assert ("author" in entry.fields_dict) == bool(authors)
    source = CiteProcJSON(cite.csl_json([item]))
    bibliography = CitationStylesBibliography(
        CitationStylesStyle("harvard-cite-them-right", validate=False), source, formatter.plain
    )
    bibliography.register(Citation([CitationItem("x/y z")]))
    (rendered,) = [str(e) for e in bibliography.bibliography()]
    assert rendered
    text = cite.cite_text(item)
    assert "\n" not in text and f"“{' '.join(title.split())}”" in text


def test_hostile_metadata_is_shown_literally_in_meta_and_cite(capsys, tmp_path):
    from test_hardening_output import EVIL, UNSAFE

    folder = tmp_path / "evil-lib"
    folder.mkdir()
    write(folder, "evil.txt", EVIL)
    L = ("--library", str(folder))
    evil = "[bold]Out[/] \x1b[31mlet\x07 \u202eX"
    status, _, err = run(capsys, "meta", "evil", "--set", f"outlet={evil}",
                         "--set", f"authors=[red]A[/] B\x1b]52;c;aGk=\x07", *L)  # fmt: skip
    assert status == 0, err
    outputs = []
    for argv in (["meta", "evil"], ["meta", "evil", "--json"], ["cite", "evil"],
                 ["cite", "--all", "--format", "bibtex"], ["cite", "--all", "--format", "csl-json"],
                 ["cite", "evil", "--sentence", "1"]):  # fmt: skip
        status, out, err = run(capsys, *argv, *L)
        assert status == 0, (argv, err)
        assert not UNSAFE.findall(out) and not UNSAFE.findall(err), argv
        outputs.append(out)
    assert "[bold]Out[/]" in outputs[0] and "Evil [bold red]Title[/] Here" in outputs[2]
    assert json.loads(outputs[1])["outlet"].startswith("[bold]Out[/] ")

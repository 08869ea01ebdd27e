"""Issue 12: each kind of file read into the same Article: Markdown with front matter,
reStructuredText, saved web pages, EPUB and PDF (made here, for real), and bad files of each kind
refused with one line."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from documents import DOC_PAGE, JOURNAL, MARKDOWN, RST, encrypted_epub, epub, pdf, write

from glossator.index.formats import load_article, original
from glossator.index.library import Library
from glossator.index.model import Article

MARKUP = re.compile(r"\*\*|__|`|\[|\]\(|^#|^>|<[a-z/]|:mod:|\|")


def check(a: Article) -> None:
    for b in a.blocks:
        assert a.text[b.start : b.end].strip() == a.text[b.start : b.end]
        for s in b.sentences:
            assert a.text[s.start : s.end] == s.text and b.start <= s.start <= s.end <= b.end
    ids = [s.id for s in a.sentences]
    assert ids == list(range(len(ids)))


# -- Markdown --------------------------------------------------------------------------------


def test_markdown_front_matter_is_metadata_and_markup_is_gone(tmp_path):
    a = load_article(write(tmp_path, "shells.md", MARKDOWN), "shells")
    check(a)
    assert a.format == "markdown"
    assert a.title == "Shell supply estimates" and not a.title_derived
    assert a.authors == ["Jane Doe", "John Roe"]
    assert a.published == "2024-03-05" and a.outlet == "The Harbour Review"
    assert a.url == "https://example.org/shells"
    assert "title:" not in a.text and "2024-03-05" not in a.text and "---" not in a.text
    kinds = [b.kind for b in a.blocks]
    assert kinds[0] == "paragraph"  # the "# title" heading repeats the title: not text again
    assert "heading" in kinds and "quote" in kinds and "code" in kinds and "item" in kinds
    for b in a.blocks:
        if b.kind != "code":
            assert not MARKUP.search(a.text[b.start : b.end]), a.text[b.start : b.end]
    assert "The artillery shipments grew, says the AP report and others." in a.text
    assert "with inline code in it" in a.text  # code spans keep their text
    items = [a.text[b.start : b.end] for b in a.blocks if b.kind == "item"]
    assert items[0] == "• First, the rail yards near the border." and items[2].startswith("1. ")
    code = next(a.text[b.start : b.end] for b in a.blocks if b.kind == "code")
    assert code == "def count(trains):\n    return len(trains)"  # its lines kept
    assert "picture" not in a.text and "inline html gone" in a.text
    assert "Najin · many" in a.text


def test_markdown_bad_front_matter_is_skipped_with_a_warning(tmp_path):
    a = load_article(write(tmp_path, "x.md", "---\ntitle: [unclosed\n---\n\nBody text here.\n"), "x")
    assert a.text == "Body text here." and any("front matter" in w for w in a.warnings)


def test_markdown_original_marks_the_front_matter(tmp_path):
    view = original(write(tmp_path, "shells.md", MARKDOWN), "shells")
    removed = [view.text[s:e] for s, e in view.removed]
    assert "title: Shell supply estimates" in removed and "# Shell supply estimates" not in removed
    assert view.text.startswith("---\ntitle:") and not view.extracted


# -- reStructuredText -------------------------------------------------------------------------


def test_rst_roles_directives_and_docinfo(tmp_path):
    a = load_article(write(tmp_path, "functools.rst", RST), "functools")
    check(a)
    assert a.format == "rst"
    assert a.title == "functools --- Higher-order functions"  # the role's text, not its markup
    assert a.authors == ["Jane Doe"] and a.published == "2023-11-02"
    assert a.outlet == "The Docs Team" and a.url == "https://docs.example.org/functools"
    assert "The functools module is for higher-order functions, see partial and the guide" in a.text
    assert ":mod:" not in a.text and "`" not in a.text and "===" not in a.text
    kinds = {b.kind for b in a.blocks}
    assert {"heading", "paragraph", "code", "item", "quote"} <= kinds
    assert "A simple lightweight unbounded function cache." in a.text
    assert "def factorial(n):" in a.text and "cache(user_function)" in a.text
    assert "root:" not in a.text and "other" not in a.text.split()  # no include, no toctree


# -- web pages -------------------------------------------------------------------------------


def test_web_page_article_only_with_metadata(tmp_path):
    a = load_article(write(tmp_path, "functools.html", DOC_PAGE), "functools")
    check(a)
    assert a.format == "html"
    assert a.title == "functools — Higher-order functions and operations on callable objects"
    assert a.authors == ["Jane Doe"] and a.published == "2024-03-05"
    assert a.outlet == "Example Docs"
    assert a.url == "https://docs.example.org/3/library/functools.html"
    for chrome in ("Previous topic", "Library index", "Show source", "Copyright", "Share on",
                   "Cookie", "itertools"):  # fmt: skip
        assert chrome not in a.text, chrome
    assert "The functools module is for higher-order functions" in a.text
    code = next(a.text[b.start : b.end] for b in a.blocks if b.kind == "code")
    assert code.startswith("@cache\ndef factorial(n):")
    assert {"heading", "item", "quote"} <= {b.kind for b in a.blocks}
    assert "Previous topic" in a.removed


def test_web_page_original_is_the_page_text_with_chrome_marked(tmp_path):
    view = original(write(tmp_path, "functools.html", DOC_PAGE), "functools")
    removed = [view.text[s:e] for s, e in view.removed]
    assert view.extracted and "Previous topic" in removed and "• Home" in removed
    assert not any("thread-safe" in r for r in removed)


# -- EPUB ------------------------------------------------------------------------------------


def test_epub_chapters_in_spine_order(tmp_path):
    path = epub(
        tmp_path / "book.epub",
        [
            ("The Harbour", "<h1>The Harbour</h1><p>Ships came to the <em>harbour</em> daily.</p>"),
            ("Untitled chapter", "<p>A chapter with no heading of its own, about cranes.</p>"),
            ("Lists", "<h2>Lists</h2><ul><li>One crane.</li><li>Two cranes.</li></ul>"
                      "<blockquote><p>Cranes are tall, said the harbour master.</p></blockquote>"),
        ],
    )  # fmt: skip
    a = load_article(path, "book")
    check(a)
    assert a.format == "epub" and a.title == "The Harbour Book" and not a.title_derived
    assert a.authors == ["Ann Writer"] and a.outlet == "Harbour Press"
    assert a.published == "2021-06-01" and a.url == "https://books.example.org/harbour"
    headings = [a.text[b.start : b.end] for b in a.blocks if b.kind == "heading"]
    assert headings == ["The Harbour", "Untitled chapter", "Lists"]  # the second from the TOC
    assert a.text.index("Ships came") < a.text.index("cranes.") < a.text.index("One crane")
    assert "• Two cranes." in a.text and "quote" in {b.kind for b in a.blocks}


def test_bad_epubs_are_refused_with_one_line(tmp_path):
    good = epub(tmp_path / "good.epub", [("One", "<p>Some text in a good book here.</p>")])
    damaged = tmp_path / "damaged.epub"
    damaged.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    (tmp_path / "notzip.epub").write_bytes(b"this is not an epub at all")
    nocontainer = tmp_path / "nocontainer.epub"
    with zipfile.ZipFile(nocontainer, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
    encrypted_epub(tmp_path / "drm.epub")
    for name, why in (
        ("damaged.epub", "damaged EPUB"),
        ("notzip.epub", "damaged EPUB"),
        ("nocontainer.epub", "not an EPUB"),
        ("drm.epub", "encrypted"),
    ):
        with pytest.raises(ValueError) as info:
            load_article(tmp_path / name, name)
        message = str(info.value)
        assert "\n" not in message and name in message and why in message, message


# -- PDF -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def journal(tmp_path_factory) -> Article:
    path = pdf(tmp_path_factory.mktemp("pdf") / "journal.pdf", JOURNAL)
    return load_article(path, "journal")


def test_pdf_paragraphs_rebuilt_across_lines_and_pages(journal):
    a = journal
    check(a)
    assert a.format == "pdf" and a.title == "Artillery Supply Chains" and not a.title_derived
    assert a.authors == ["Jane Doe", "John Roe"] and a.published == "2023-05-17"
    paragraphs = [a.text[b.start : b.end] for b in a.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 4
    assert "counted by analysts working" in paragraphs[0]  # "ana-" + "lysts": one word
    assert "well-known to everyone" in paragraphs[1]  # written with its hyphen elsewhere
    assert paragraphs[1].endswith("at the time. The next paragraph is on the second page of the "
                                  "document and it goes on.")  # fmt: skip
    headings = [a.text[b.start : b.end] for b in a.blocks if b.kind == "heading"]
    assert headings == ["Where the Shells Went"]


def test_pdf_running_headers_and_page_numbers_removed(journal):
    a = journal
    assert "Journal of Shell Studies" not in a.text
    assert not any(s.text.strip().isdigit() for s in a.sentences)
    assert "Journal of Shell Studies, Vol. 3" in a.removed and "2" in a.removed


def test_pdf_every_sentence_knows_its_page(journal):
    a = journal
    pages: dict[str, int | None] = {}
    for s in a.sentences:
        pages.setdefault(s.text[:30], a.page_at(s.start))
    assert pages["The shipments of artillery she"] == 1
    assert pages["The next paragraph is on the s"] == 2
    last = a.sentences[-1]
    assert a.page_at(last.start) == 3
    data = a.to_public_json()
    assert all("page" in s for p in data["paragraphs"] for s in p["sentences"])


def test_pdf_original_marks_headers_and_numbers(tmp_path):
    view = original(pdf(tmp_path / "j.pdf", JOURNAL), "j")
    removed = [view.text[s:e] for s, e in view.removed]
    assert view.extracted and "── page 2 ──" in view.text
    assert removed.count("Journal of Shell Studies, Vol. 3") == 3 and "3" in removed


def test_bad_pdfs_are_refused_with_one_line(tmp_path):
    good = pdf(tmp_path / "good.pdf", JOURNAL[:1])
    data = good.read_bytes()
    (tmp_path / "damaged.pdf").write_bytes(data[:200])
    (tmp_path / "garbage.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    (tmp_path / "notpdf.pdf").write_bytes(b"hello, this is text\n")
    pdf(tmp_path / "locked.pdf", JOURNAL[:1], password="secret")
    pdf(tmp_path / "scanned.pdf", JOURNAL[:2], text=False)
    for name, why in (
        ("damaged.pdf", "damaged PDF"),
        ("garbage.pdf", "PDF"),
        ("notpdf.pdf", "not a PDF"),
        ("locked.pdf", "encrypted"),
        ("scanned.pdf", "no text layer"),
    ):
        with pytest.raises(ValueError) as info:
            load_article(tmp_path / name, name)
        message = str(info.value)
        assert "\n" not in message and name in message and why in message, message


def test_pdf_with_an_empty_user_password_opens(tmp_path):
    a = load_article(pdf(tmp_path / "open.pdf", JOURNAL[:1], password=""), "open")
    assert "analysts" in a.text


# -- a library of every kind -----------------------------------------------------------------


def test_a_library_of_every_kind_opens_and_searches(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    write(folder, "shells.md", MARKDOWN)
    write(folder, "functools.rst", RST)
    write(folder, "page.htm", DOC_PAGE)
    epub(folder / "book.epub", [("One", "<p>The cranes of the harbour lift containers.</p>")])
    pdf(folder / "journal.pdf", JOURNAL)
    pdf(folder / "scanned.pdf", JOURNAL[:1], text=False)
    (folder / "broken.epub").write_bytes(b"PK\x03\x04 broken")
    write(folder, "plain.txt", "Plain Title Here\n\nA plain article about analysts and cranes.\n")
    library = Library(folder, cache=tmp_path / "cache")
    report = library.update()
    assert sorted(report.added) == ["book", "functools", "journal", "page", "plain", "shells"]
    skipped = {Path(p).name: why for p, why in report.skipped}
    assert set(skipped) == {"scanned.pdf", "broken.epub"}
    formats = {a.id: a.format for a in library.articles()}
    assert formats == {"book": "epub", "functools": "rst", "journal": "pdf", "page": "html",
                       "plain": "text", "shells": "markdown"}  # fmt: skip
    hits = library.search("analysts")
    assert {h.article_id for h in hits.hits} == {"journal", "plain", "shells"}
    assert library.search("factorial").total >= 2  # code is searchable (page, rst)
    article = library.article("journal")
    assert article is not None and article.pages and article.format == "pdf"


# -- plain text: the seeds' three defects, fixed ---------------------------------------------

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _seed(prefix: str) -> Article:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return load_article(path, path.stem)


def test_an_ellipsis_without_a_space_ends_a_sentence():
    a = _seed("004")
    texts = [s.text for s in a.sentences]
    assert any(t.endswith("artillery ammunition…") for t in texts)
    assert any(t.startswith("This allowed Russia to breathe a little.") for t in texts)
    assert "ammunition… This allowed" in a.text  # the space restored in what is shown


def test_glued_sentences_are_shown_with_their_space():
    a = _seed("002")
    assert "the United States. In conclusion" in a.text and "States.In" not in a.text
    b = _seed("004")
    assert "catastrophic.” From an intelligence" in b.text
    for article in (a, b):
        check(article)


def test_relative_dates_and_reading_times_are_not_the_byline():
    a = _seed("002")
    assert a.byline == "By Rakindu Perera" and a.authors == ["Rakindu Perera"]
    assert "ago" not in a.byline and "read" not in a.byline and a.published is None
    c = _seed("003")  # "… : ICCBizNews" above "By Manoj, ICCBizNews": the outlet
    assert c.authors == ["Manoj"] and c.outlet == "ICCBizNews"
    assert c.title == "The risks associated with an agreement between Russia and North Korea"


def test_plain_text_byline_gives_authors_and_date(tmp_path):
    path = write(tmp_path, "a.txt", "A Harbour Story Title\n\nBy Jane Doe and John Roe | "
                 "Published March 3, 2024 · 4 min read\n\nThe harbour was busy all winter long, "
                 "with ships arriving every single day.\n")  # fmt: skip
    a = load_article(path, "a")
    assert a.authors == ["Jane Doe", "John Roe"] and a.published == "2024-03-03"
    assert a.format == "text" and "min read" not in (a.byline or "")


def test_plain_text_original_is_before_repair_with_chrome_marked():
    path = next(SEEDS.glob("002_*.txt"))
    view = original(path, path.stem)
    assert "β€’" in view.text  # as the file has it: before mojibake repair
    removed = [view.text[s:e].strip() for s, e in view.removed]
    assert "Criminal logo" in removed and "Sign in to comment" in " ".join(removed)


def test_files_sharing_a_name_get_ids_of_their_own(tmp_path):
    """a.md and a.pdf are two articles: the first kind keeps the bare name, the other is known
    by its whole file name; a name without a collision keeps its id as it always had."""
    folder = tmp_path / "lib"
    (folder / "sub").mkdir(parents=True)
    write(folder, "a.md", "# Harbour cranes\n\nThe cranes of the harbour lift containers.\n")
    pdf(folder / "a.pdf", JOURNAL)
    write(folder, "a.pdf.txt", "Odd Name\n\nA text whose name ends in pdf, about cranes.\n")
    write(folder, "sub/a.txt", "Another Folder\n\nThe same name in another folder, cranes.\n")
    write(folder, "b.txt", "Plain Title\n\nA plain article about cranes and analysts.\n")
    library = Library(folder, cache=tmp_path / "cache")
    library.update()
    ids = {a.path: a.id for a in library.articles()}
    assert ids == {
        "a.md": "a",
        "a.pdf": "a.pdf-2",  # "a.pdf" is already the id of a.pdf.txt
        "a.pdf.txt": "a.pdf",
        "sub/a.txt": "sub/a",
        "b.txt": "b",
    }
    assert library.article("a").format == "markdown"
    assert library.article("a.pdf-2").format == "pdf"
    assert {h.article_id for h in library.search("cranes").hits} == {"a", "a.pdf", "sub/a", "b"}
    (folder / "a.pdf.txt").unlink()
    library.update()
    ids = {a.path: a.id for a in library.articles()}
    assert ids["a.pdf"] == "a.pdf" and ids["a.md"] == "a"
    assert library.article("a.pdf").format == "pdf" and library.article("a.pdf-2") is None
    assert {h.article_id for h in library.search("cranes").hits} == {"a", "sub/a", "b"}

"""The start-up snapshot (tui/snapshot.py): written and read back, kept small for a huge article,
and every snapshot that cannot be used (missing, damaged, another version, another library)
refused with a reason, never an exception of another kind. No Textual here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from articles import PARAS, make_article
from hypothesis import given, settings
from hypothesis import strategies as st

from glossator.index.model import ArticleInfo
from glossator.tui import snapshot
from glossator.tui.snapshot import Mark, Unusable

KEY = "library-0123456789ab"


def info(article_id: str, title: str = "A title", sentences: int = 7) -> ArticleInfo:
    return ArticleInfo(
        id=article_id,
        path=f"{article_id}.txt",
        title=title,
        title_derived=False,
        byline="By Someone",
        sentences=sentences,
        size=10,
        mtime_ns=1,
        sha256="f" * 64,
    )


def written(tmp_path: Path, article=None, sentence: int = 3, row: int | None = 5, marks=()) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir(exist_ok=True)
    article = article or make_article(PARAS, "b")
    articles = [info("a"), info("b", "The harbour"), info("c")]
    reading = snapshot.reading_for(article, "ab" * 32, sentence)
    text = snapshot.compose(
        KEY,
        folder,
        snapshot.articles_json(articles, article.id),
        reading,
        sentence,
        row,
        list(marks),
    )
    snapshot.save(tmp_path / "cache", KEY, text)
    return folder


def test_a_snapshot_reads_back_as_it_was_written(tmp_path):
    article = make_article(PARAS, "b", title="The harbour", byline="By A. Writer")
    folder = written(tmp_path, article, sentence=3, row=5, marks=[Mark(1, 2, ("fish",))])
    snap = snapshot.load(tmp_path / "cache", KEY, folder)
    assert snap is not None
    assert [a.id for a in snap.articles] == ["a", "b", "c"] and snap.total == 3
    assert snap.articles[1].title == "The harbour" and snap.articles[1].sentences == 7
    assert snap.index == 1 and snap.whole and snap.offset == 0
    kept = snap.article
    assert kept is not None
    assert kept.text == article.text and kept.title == "The harbour"
    assert kept.byline == "By A. Writer"
    assert [s.text for s in kept.sentences] == [s.text for s in article.sentences]
    assert [(b.kind, b.start, b.end) for b in kept.blocks] == [
        (b.kind, b.start, b.end) for b in article.blocks
    ]
    assert (snap.sentence, snap.local_sentence, snap.row) == (3, 3, 5)
    assert snap.sha256 == "ab" * 32
    assert snap.local_marks() == [Mark(1, 2, ("fish",))]


def test_the_file_is_replaced_whole_and_nothing_is_left_beside_it(tmp_path):
    folder = written(tmp_path, sentence=1)
    written(tmp_path, sentence=4)
    place = snapshot.path_for(tmp_path / "cache", KEY)
    assert sorted(p.name for p in place.parent.iterdir()) == [place.name]
    snap = snapshot.load(tmp_path / "cache", KEY, folder)
    assert snap is not None and snap.sentence == 4


def test_a_long_list_keeps_the_articles_around_the_one_read(tmp_path):
    articles = [info(f"{i:05d}") for i in range(10_000)]
    data = json.loads("{" + snapshot.articles_json(articles, "07000") + "}")
    assert data["total"] == 10_000
    assert len(data["articles"]) == snapshot.MAX_ARTICLES
    ids = [a["id"] for a in data["articles"]]
    assert "07000" in ids and ids[0] == f"{data['first']:05d}"
    at_end = json.loads("{" + snapshot.articles_json(articles, "09999") + "}")
    assert at_end["articles"][-1]["id"] == "09999"


def huge_article():
    paragraphs = [
        [f"Paragraph {p} sentence {s} tells of the harbour and its boats." for s in range(6)]
        for p in range(4000)
    ]
    return make_article(paragraphs, "huge")


def test_a_huge_article_keeps_only_the_part_around_the_position(tmp_path):
    article = huge_article()
    assert len(article.text) > 1_000_000
    sentence = 15_003
    folder = written(
        tmp_path, article, sentence=sentence, marks=[Mark(15_001, 15_004, ()), Mark(3, 4, ())]
    )
    assert snapshot.path_for(tmp_path / "cache", KEY).stat().st_size < 200_000
    snap = snapshot.load(tmp_path / "cache", KEY, folder)
    assert snap is not None and not snap.whole and snap.article is not None
    part = snap.article
    assert len(part.text) <= 2 * snapshot.WINDOW_CHARS + 1000
    # the sentence read is the same sentence, and the part begins with a whole paragraph
    assert part.sentences[snap.local_sentence].text == article.sentences[sentence].text
    assert part.sentences[0].text == article.sentences[snap.offset].text
    assert part.text.startswith("Paragraph ") and " sentence 0 " in part.text[:30]
    # marks are moved into the part's numbering; those outside it are left out
    first, last, _tags = snap.local_marks()[0]
    assert part.sentences[first].text == article.sentences[15_001].text
    assert len(snap.local_marks()) == 1


def test_one_huge_paragraph_is_cut_at_sentences():
    paragraph = [f"Sentence number {i} of a paragraph that never ends." for i in range(20_000)]
    article = make_article([paragraph], "one")
    part, offset = snapshot.window(article, 12_345)
    assert len(part.text) <= 2 * snapshot.WINDOW_CHARS + 200
    assert part.sentences[12_345 - offset].text == article.sentences[12_345].text


def test_the_part_kept_is_made_again_when_the_position_leaves_its_middle():
    reading = snapshot.reading_for(huge_article(), "", 15_003)
    assert reading.holds(15_003)
    assert not reading.holds(reading.offset) and not reading.holds(reading.offset + reading.count)
    assert snapshot.reading_for(make_article(PARAS), "", 0).holds(10**6)  # whole: always


# -- snapshots that cannot be used ---------------------------------------------------------------


def test_no_snapshot_is_none(tmp_path):
    assert snapshot.load(tmp_path / "cache", KEY, tmp_path) is None
    with pytest.raises(Unusable, match="no snapshot"):
        snapshot.read(snapshot.path_for(tmp_path / "cache", KEY), KEY, tmp_path)


def change(tmp_path: Path, edit) -> tuple[Path, Path]:
    folder = written(tmp_path)
    place = snapshot.path_for(tmp_path / "cache", KEY)
    data = json.loads(place.read_text("utf-8"))
    edit(data)
    place.write_text(json.dumps(data), "utf-8")
    return place, folder


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (lambda d: d.update(version=snapshot.SNAPSHOT_VERSION + 1), "another version"),
        (lambda d: d.pop("version"), "another version"),
        (lambda d: d.update(library="other-123"), "another library"),
        (lambda d: d.update(folder="/somewhere/else"), "another library"),
        (lambda d: d["reading"].update(sentence=999), "damaged"),
        (lambda d: d["reading"].update(row=-3), "damaged"),
        (lambda d: d["reading"]["article"]["paragraphs"][0].update(end=10**9), "damaged"),
        (
            lambda d: d["reading"]["article"]["paragraphs"][0]["sentences"].append([5, 10**9]),
            "damaged",
        ),
        (lambda d: d["articles"][0].update(title=None), "damaged"),
        (lambda d: d["articles"][0].pop("id"), "damaged"),
        (lambda d: d.update(total=1), "damaged"),
        (lambda d: d["reading"].update(marks=[["x", 1, []]]), "damaged"),
        (lambda d: d["reading"]["article"].update(header=[]), "damaged"),
    ],
)
def test_a_snapshot_that_does_not_fit_is_refused(tmp_path, edit, why):
    place, folder = change(tmp_path, edit)
    with pytest.raises(Unusable, match=why):
        snapshot.read(place, KEY, folder)
    assert snapshot.load(tmp_path / "cache", KEY, folder) is None


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"\xff\xfe garbage", b"[1, 2, 3]", b"null", b"[" * 100_000, b'{"version": 1}'],
)
def test_a_damaged_file_is_refused(tmp_path, content):
    folder = written(tmp_path)
    place = snapshot.path_for(tmp_path / "cache", KEY)
    place.write_bytes(content)
    with pytest.raises(Unusable):
        snapshot.read(place, KEY, folder)


def test_a_truncated_file_is_refused(tmp_path):
    folder = written(tmp_path)
    place = snapshot.path_for(tmp_path / "cache", KEY)
    data = place.read_bytes()
    for cut in (1, len(data) // 3, len(data) - 1):
        place.write_bytes(data[:cut])
        assert snapshot.load(tmp_path / "cache", KEY, folder) is None


def test_a_file_too_large_is_not_read(tmp_path):
    folder = written(tmp_path)
    place = snapshot.path_for(tmp_path / "cache", KEY)
    place.write_bytes(b" " * (snapshot.MAX_BYTES + 1))
    with pytest.raises(Unusable, match="too large"):
        snapshot.read(place, KEY, folder)


def test_a_folder_where_the_file_should_be_is_refused(tmp_path):
    place = snapshot.path_for(tmp_path / "cache", KEY)
    place.mkdir(parents=True)
    assert snapshot.load(tmp_path / "cache", KEY, tmp_path) is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_any_bytes_are_a_snapshot_or_refused(tmp_path_factory, content):
    tmp = tmp_path_factory.mktemp("any")
    place = tmp / "s.json"
    place.write_bytes(content)
    try:
        snapshot.read(place, KEY, tmp)
    except Unusable:
        pass


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_json_in_a_snapshot_s_fields_is_used_or_refused(tmp_path_factory, value):
    """Each field of a good snapshot replaced by arbitrary JSON: read, or Unusable."""
    tmp = tmp_path_factory.mktemp("fields")
    folder = written(tmp)
    place = snapshot.path_for(tmp / "cache", KEY)
    good = json.loads(place.read_text("utf-8"))
    for path in (
        ("articles",),
        ("reading", "article", "paragraphs"),
        ("reading", "marks"),
        ("reading", "article", "text"),
        ("reading", "offset"),
        ("first",),
    ):
        data = json.loads(json.dumps(good))
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        place.write_text(json.dumps(data), "utf-8")
        try:
            snapshot.read(place, KEY, folder)
        except Unusable:
            pass


def test_the_snapshot_module_imports_neither_textual_nor_the_index_engine():
    code = (
        "import sys, glossator.tui.snapshot; "
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'textual', 'whoosh', 'sqlite3', 'numpy'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    assert out.strip() == "[]"

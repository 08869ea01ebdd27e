"""Export to Markdown and W3C Web Annotation JSON, and importing that JSON back."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from articles import make_article

from glossator.index.export import import_annotations, to_markdown, to_web_annotation
from glossator.index.notes import NoteStore


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


HARBOUR = replace(
    make_article(
        [
            ["The harbour was quiet that morning.", "Fishing boats lay idle at the quay."],
            ["Prices for diesel had doubled in a year.", "Most skippers could not afford to sail."],
        ],
        "harbour",
        "The Quiet Harbour",
        "By Ann Example",
    ),
    authors=["Ann Example"],
    outlet="The Coast Gazette",
    published="2024-03-05",
    url="https://example.org/harbour",
)
TOWN = make_article(
    [["By winter the town had changed.", "The cannery closed its doors for good."]],
    "town",
    "Winter Town",
)
LIB = "lib-1234"


@pytest.fixture
def store(tmp_path):
    with NoteStore(tmp_path / "notes" / "notes.sqlite3") as s:
        yield s


@pytest.fixture
def filled(store):
    store.add(LIB, HARBOUR, 3, None, "Costs drive the fleet out. #fuel #economy")
    store.add(LIB, HARBOUR, 0, 1, "Scene setting.")
    store.add(LIB, TOWN, 1, None, "An ending.\nSecond line. #economy")
    lost = store.add(LIB, TOWN, 0, None, "This passage will go. #lost")
    store.reanchor(LIB, make_article([["The cannery closed its doors for good."]], "town"))
    assert store.get(lost.id).status == "orphaned"
    return store


ARTICLES = {"harbour": HARBOUR, "town": TOWN}


def test_markdown(filled):
    md = to_markdown(filled.list(LIB), ARTICLES)
    assert md.startswith("# Notes\n")
    assert (
        md.index("## The Quiet Harbour")
        < md.index("## Winter Town")
        < md.index("## Orphaned notes")
    )
    harbour = md[md.index("## The Quiet Harbour") : md.index("## Winter Town")]
    # notes in text order under their article, each quoted and cited
    assert harbour.index("Scene setting.") < harbour.index("Costs drive")
    assert "> The harbour was quiet that morning. Fishing boats lay idle at the quay.\n" in harbour
    assert "— Ann Example, “The Quiet Harbour”, The Coast Gazette, 5 March 2024, https://example.org/harbour, §1–2\n" in harbour
    assert "> Most skippers could not afford to sail.\n" in harbour
    assert "— Ann Example, “The Quiet Harbour”, The Coast Gazette, 5 March 2024, https://example.org/harbour, §4\n" in harbour
    assert "Tags: #fuel #economy" in harbour
    town = md[md.index("## Winter Town") : md.index("## Orphaned notes")]
    assert "— “Winter Town”, §1\n" in town and "An ending.\nSecond line." in town
    orphans = md[md.index("## Orphaned notes") :]
    assert "### Winter Town" in orphans
    assert "> By winter the town had changed." in orphans
    assert "This passage will go. #lost" in orphans and "passage not found" in orphans
    assert "This passage will go" not in md[: md.index("## Orphaned notes")]


def test_markdown_without_notes_or_titles(store):
    assert "No notes yet." in to_markdown([], {})
    store.add(LIB, HARBOUR, 2, None, "unknown article")
    md = to_markdown(store.list(LIB), {})
    assert "## harbour" in md and "— harbour, §3\n" in md


def test_web_annotation_shape(filled):
    notes = filled.list(LIB)
    data = to_web_annotation(notes, LIB, ARTICLES)
    json.dumps(data)  # serialisable as it is
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == len(notes) == 4
    assert "items" not in data and data["first"]["type"] == "AnnotationPage"
    by_id = {item["id"]: item for item in data["first"]["items"]}
    note = next(n for n in notes if n.text.startswith("Costs"))
    item = by_id[f"urn:uuid:{note.id}"]
    assert item["type"] == "Annotation"
    assert item["created"] == note.created and item["modified"] == note.updated
    bodies = item["body"]
    assert bodies[0] == {
        "type": "TextualBody",
        "value": note.text,
        "format": "text/plain",
        "purpose": "commenting",
    }
    assert [b["value"] for b in bodies if b.get("purpose") == "tagging"] == ["fuel", "economy"]
    target = item["target"]
    # the article's URL; with no URL and no library folder (a key was given), a URN of its id
    assert target["source"] == "https://example.org/harbour" and target["path"] == "harbour.txt"
    town = next(i for i in data["first"]["items"] if i["glossator"]["article_id"] == "town")
    assert town["target"]["source"] == "urn:glossator:article:town"
    quote, position = target["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": note.exact,
        "prefix": note.prefix,
        "suffix": note.suffix,
    }
    assert position == {"type": "TextPositionSelector", "start": note.start, "end": note.end}
    assert item["glossator"]["status"] == "anchored"
    assert item["glossator"]["sentence"] == item["glossator"]["last_sentence"] == 4  # §4
    orphan = next(i for i in data["first"]["items"] if i["glossator"]["status"] == "orphaned")
    assert orphan["glossator"]["sentence"] is None


def test_deleted_notes_are_not_exported(filled):
    note = filled.list(LIB)[0]
    filled.delete(note.id)
    notes = filled.list(LIB, include_deleted=True)
    assert to_web_annotation(notes, LIB)["total"] == 3
    assert note.text not in to_markdown(notes, ARTICLES)


def test_round_trip_into_the_same_store_adds_nothing(filled):
    data = json.loads(json.dumps(to_web_annotation(filled.list(LIB), LIB, ARTICLES)))
    before = filled.list(LIB)
    assert import_annotations(filled, LIB, data, ARTICLES) == (0, 4)
    assert filled.list(LIB) == before


def test_round_trip_into_a_new_store(filled, tmp_path):
    data = json.loads(json.dumps(to_web_annotation(filled.list(LIB), LIB, ARTICLES)))
    current = {"harbour": HARBOUR, "town": make_article([[TOWN.sentences[1].text]], "town")}
    with NoteStore(tmp_path / "elsewhere.sqlite3") as fresh:
        assert import_annotations(fresh, "new-lib", data, current) == (4, 0)
        assert import_annotations(fresh, "new-lib", data, current) == (0, 4)  # no duplicates
        old = {n.id: n for n in filled.list(LIB)}
        new = {n.id: n for n in fresh.list("new-lib")}
        assert old.keys() == new.keys()  # the urn:uuid ids are kept
        for note_id, n in new.items():
            o = old[note_id]
            assert (n.text, n.tags, n.exact, n.status) == (o.text, o.tags, o.exact, o.status)
            assert (n.sentence_id, n.last_sentence_id, n.start, n.end) == (
                o.sentence_id,
                o.last_sentence_id,
                o.start,
                o.end,
            )
            assert (n.created, n.updated, n.article_id) == (o.created, o.updated, o.article_id)
        assert to_markdown(fresh.list("new-lib"), current) == to_markdown(filled.list(LIB), current)


def test_import_reanchors_into_the_current_text(filled, tmp_path):
    data = to_web_annotation(filled.list(LIB), LIB, ARTICLES)
    changed = make_article(
        [["A new first paragraph."], *[[s.text for s in b.sentences] for b in HARBOUR.blocks]],
        "harbour",
    )
    with NoteStore(tmp_path / "other.sqlite3") as fresh:
        import_annotations(fresh, LIB, data, {"harbour": changed})
        notes = {n.text: n for n in fresh.list(LIB)}
    costs = notes["Costs drive the fleet out. #fuel #economy"]
    assert costs.status == "moved" and costs.sentence_id == 4
    assert changed.text[costs.start : costs.end] == costs.exact
    # the town article is not in this library: its notes come in orphaned, quote kept
    ending = notes["An ending.\nSecond line. #economy"]
    assert ending.status == "orphaned" and ending.exact == "The cannery closed its doors for good."


def test_import_takes_other_annotation_shapes(store):
    hypothesis_like = [
        {
            "type": "Annotation",
            "id": "not-a-urn",
            "body": [
                {"type": "TextualBody", "value": "Worth a look"},
                {"type": "TextualBody", "purpose": "tagging", "value": "fishing"},
                {"type": "TextualBody", "purpose": "tagging", "value": "not a tag!"},
            ],
            "target": [
                {
                    "source": "harbour",
                    "selector": {
                        "type": "TextQuoteSelector",
                        "exact": "Fishing boats lay idle at the quay.",
                    },
                }
            ],
        }
    ]
    assert import_annotations(store, LIB, hypothesis_like, ARTICLES) == (1, 0)
    (note,) = store.list(LIB)
    assert note.text == "Worth a look\n\n#fishing" and note.tags == ("fishing",)
    assert note.sentence_id == 1 and note.status in ("anchored", "moved")
    single = dict(hypothesis_like[0], body="Plain string body")
    assert import_annotations(store, LIB, single, ARTICLES) == (1, 0)


def test_import_skips_unusable_items(store):
    data = {
        "type": "AnnotationCollection",
        "items": [
            "not an object",
            {"type": "Annotation"},
            {"type": "Annotation", "body": {"value": "no target"}},
            {"type": "Annotation", "body": {"value": ""}, "target": {"source": "harbour"}},
            {
                "type": "Annotation",
                "body": {"value": "no quote"},
                "target": {"source": "harbour", "selector": [{"type": "TextPositionSelector"}]},
            },
            {
                "type": "Annotation",
                "body": {"value": "bad position is ignored"},
                "target": {
                    "source": "town",
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": "By winter the town had changed."},
                        {"type": "TextPositionSelector", "start": "x", "end": -5},
                    ],
                },
            },
        ],
    }
    assert import_annotations(store, LIB, data, ARTICLES) == (1, 5)
    assert store.list(LIB)[0].sentence_id == 0


@pytest.mark.parametrize("data", [{}, {"items": "nope"}, "text", 42, None, {"type": "Other"}])
def test_import_rejects_what_is_not_annotations(store, data):
    with pytest.raises(ValueError):
        import_annotations(store, LIB, data, ARTICLES)


def test_import_never_follows_paths(store, tmp_path):
    """A path in the file is data, not a place to read: the article is looked up by id only."""
    secret = tmp_path / "secret.txt"
    secret.write_text("The harbour was quiet that morning.")
    item = {
        "type": "Annotation",
        "body": {"value": "x"},
        "target": {
            "source": str(secret),
            "path": str(secret),
            "selector": {
                "type": "TextQuoteSelector",
                "exact": "The harbour was quiet that morning.",
            },
        },
    }
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "notes" not in p.parts)
    assert import_annotations(store, LIB, [item], ARTICLES) == (1, 0)
    (note,) = store.list(LIB)
    assert note.status == "orphaned" and note.article_id == str(secret)
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "notes" not in p.parts)
    assert before == after and secret.read_text() == "The harbour was quiet that morning."

"""The Notes tab's parts, each alone: what it lets through and in what order
(tui/widgets/notes_filter.py) and the notes' lines kept from one fill to the next
(notes_prompts.py), with no widget at all; and the tab itself (notes_list.py) in a bare app, with
no main screen, no library and no store."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult

from glossator.index.model import ArticleInfo
from glossator.index.notes import Note
from glossator.tui.widgets.notes_filter import DELETED, EMPTY, ORPHANED, NotesFilter
from glossator.tui.widgets.notes_list import NotesList
from glossator.tui.widgets.notes_prompts import NotePrompts


def info(article_id: str, title: str) -> ArticleInfo:
    return ArticleInfo(article_id, f"{article_id}.txt", title, False, None, 10, 1, 0, "")


def note(
    name: str, article_id: str, sentence: int | None, created: str, text: str = "", **more: object
) -> Note:
    made = Note(
        id=name,
        library="lib",
        article_id=article_id,
        article_hash="",
        exact=f"the quote of {name}",
        prefix="",
        suffix="",
        start=0,
        end=0,
        sentence_id=sentence,
        last_sentence_id=sentence,
        text=text or f"note {name}",
        tags=(),
        status="orphaned" if sentence is None else "anchored",
        created=created,
        updated=created,
    )
    return replace(made, **more)  # type: ignore[arg-type]


ARTICLES = [info("a", "Alpha"), info("b", "Beta")]
NOTES = [
    note("b1", "b", 2, "2026-01-04", "on beta #later", tags=("later",)),
    note("a5", "a", 5, "2026-01-01"),
    note("a1", "a", 1, "2026-01-02", "", kind="highlight"),
    note("lost", "a", None, "2026-01-03"),
]
GONE = [note("old", "b", 3, "2026-01-01", deleted="2026-01-05")]


def ids(groups: list[tuple[str, list[Note]]]) -> list[tuple[str, list[str]]]:
    return [(heading, [n.id for n in notes]) for heading, notes in groups]


def test_the_filter_groups_sorts_and_lets_through():
    shown = NotesFilter()
    assert shown.summary([], "") == EMPTY
    shown.set_notes(NOTES, GONE, ARTICLES)
    assert ids(shown.groups("")) == [
        (ORPHANED, ["lost"]),
        ("Alpha", ["a1", "a5"]),  # library order, reading order inside
        ("Beta", ["b1"]),
        (DELETED, ["old"]),
    ]
    assert shown.summary(shown.groups(""), "") == (
        "3 notes and 1 highlight · reading order · 1 orphaned (r re-attaches)"
    )
    assert shown.toggle("sort") and shown.newest_first
    assert ids(shown.groups(""))[1:3] == [("Beta", ["b1"]), ("Alpha", ["a1", "a5"])]
    assert not shown.toggle("edit")  # not the filter's
    assert ids(shown.groups("#lat")) == [("Beta", ["b1"])]  # a tag that starts so
    assert shown.summary(shown.groups("#lat"), "#lat").startswith("1 of 3 notes and 1 highlight")
    shown.toggle("sort")  # reading order again
    shown.toggle("kind")  # notes only
    assert ids(shown.groups(""))[1] == ("Alpha", ["a5"])
    shown.toggle("kind")  # highlights only
    assert ids(shown.groups("")) == [("Alpha", ["a1"])]
    shown.toggle("kind")  # all again
    assert shown.kind is None
    shown.toggle("current")
    shown.current = "b"
    assert ids(shown.groups("")) == [("Beta", ["b1"]), (DELETED, ["old"])]
    assert "in this article" in shown.summary(shown.groups(""), "")


def test_newest_first_puts_the_later_of_two_notes_of_the_same_millisecond_first():
    """Notes come in the order they were written (the store's: time, then as written); two
    written within one millisecond share their time, and the later one is still the newer."""
    same = "2026-01-02T10:00:00.123Z"
    written = [
        note("first", "a", 1, same),
        note("second", "b", 1, same),
        note("third", "a", 3, same),
    ]
    shown = NotesFilter()
    shown.set_notes(written, [], ARTICLES)
    shown.toggle("sort")
    assert ids(shown.groups("")) == [("Alpha", ["third", "first"]), ("Beta", ["second"])]


def test_the_filter_names_where_a_note_is_and_its_review():
    shown = NotesFilter()
    shown.set_notes(NOTES, GONE, ARTICLES[:1])  # Beta has left the library
    assert shown.source(DELETED, GONE[0]) == "deleted · was in: b (no longer in the library)"
    assert shown.source(ORPHANED, NOTES[3]) == "was in: Alpha"
    assert shown.source("Alpha", NOTES[1]) == "§6"
    assert shown.scope(GONE, "") is None  # a deleted note is not reviewed
    shown.toggle("current")
    scope = shown.scope([NOTES[1], GONE[0]], " five ")
    assert scope is not None and scope.note_ids == frozenset({"a5"})
    assert scope.name == "the notes shown (“five”, this article)"


def test_prompts_are_made_again_only_for_what_changed():
    prompts = NotePrompts()
    entries: list[tuple[Note, str | None]] = [(NOTES[0], "§3"), (NOTES[1], "§6")]
    first = prompts.prompts(entries, 40, {})
    assert prompts.made == 2 and "note a5" in str(first[1])
    again = prompts.prompts(entries, 40, {})
    assert prompts.made == 2 and again[0] is first[0]  # kept
    edited = replace(NOTES[1], text="edited", updated="2026-02-01")
    after = prompts.prompts([entries[0], (edited, "§6")], 40, {})
    assert prompts.made == 3 and after[0] is first[0] and "edited" in str(after[1])
    prompts.prompts([(edited, "§6")], 40, {})  # the list no longer holds NOTES[0] ...
    prompts.prompts(entries[:1], 40, {})  # ... so its prompt is made again
    assert prompts.made == 4
    prompts.prompts(entries[:1], 30, {})  # another width
    prompts.prompts(entries[:1], 30, {"x": "#ff0000"})  # other label colours
    assert prompts.made == 6


class TabApp(App[None]):
    def compose(self) -> ComposeResult:
        yield NotesList(id="notes-panel")


async def test_the_tab_alone_lists_sorts_filters_and_asks_up():
    app = TabApp()
    seen: list[object] = []
    async with app.run_test(size=(60, 40), message_hook=seen.append) as pilot:
        tab = app.query_one(NotesList)
        assert tab.summary == EMPTY
        tab.set_notes(NOTES, GONE, ARTICLES)
        await pilot.pause()
        assert [n.id for n in tab.shown] == ["lost", "a1", "a5", "b1", "old"]
        assert tab.options.get_option("note-4").prompt is not None
        tab.focus_list()
        await pilot.press("s")  # newest first
        assert [n.id for n in tab.shown] == ["lost", "b1", "a1", "a5", "old"]
        assert "newest first" in tab.summary
        await pilot.press("j", "e")  # the highlighted note: up, with no owner
        await pilot.pause()
        asked = {id(m): m for m in seen if isinstance(m, NotesList.Requested)}.values()
        assert [(m.action, m.note.id if m.note else None) for m in asked] == [("edit", "b1")]
        tab.filter_input.value = "beta"
        await pilot.pause()
        assert [n.id for n in tab.shown] == ["b1", "old"] and "1 of 3 notes" in tab.summary
        await pilot.press("R")
        await pilot.pause()
        (review,) = {id(m): m for m in seen if isinstance(m, NotesList.ReviewRequested)}.values()
        assert review.scope.note_ids == frozenset({"b1"})

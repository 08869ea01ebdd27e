"""The study loop in the reading app, by keyboard: h highlights (and again takes it away), l and
the label picker (1–9, space, enter, escape; n, r, c, s, d on the codebook), the label colour in
the gutter, the Notes tab's kind (t) and @label filters and R, links ([[004 §7]], ctrl+l's
picker, f and F, backlinks in the note panel), the review screen (space, 1–4, c, w, s, r,
escape; every rating committed before the next card) and the due count in the status line; and
edits that meet another process's change (a conflict copy) or deletion (brought back)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_app_notes import add_notes, messages, stored
from textual import events

from glossator.index.notes import NoteStore
from glossator.index.review import Review
from glossator.tui.app import make_app
from glossator.tui.screens.ask import AskText, Confirm
from glossator.tui.screens.jump_picker import JumpPicker
from glossator.tui.screens.label_picker import LabelPicker
from glossator.tui.screens.link_picker import LinkPicker, link_ref
from glossator.tui.screens.note_editor import NoteEditor
from glossator.tui.screens.review import ReviewScreen
from glossator.tui.screens.review_scope import ScopePicker
from glossator.tui.widgets import Reader
from glossator.tui.widgets.labels import hex_of
from glossator.tui.widgets.note_panel import NotePanel
from glossator.tui.widgets.notes_list import NotesList
from glossator.tui.widgets.reader_paint import NOTE_MARK

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZE = (120, 40)


async def write(pilot, text: str) -> None:
    """Type ``text``; "§" too (Pilot cannot name it as a key: sent as the terminal sends it)."""
    for part in text.split("§"):
        if part is not text.split("§")[0]:
            pilot.app.post_message(events.Key("section_sign", "§"))
            await pilot.pause()
        await pilot.press(*part)


def labels_in_store() -> dict[str, tuple[str, int | None]]:
    with NoteStore() as store:
        return {lb.name: (lb.colour, lb.key) for lb in store.labels()}


def gutter(reader: Reader, sentence: int):
    """The style of the gutter mark beside the first line of ``sentence`` (None: no mark)."""
    first, _ = reader._layout.sentence_lines[sentence]
    reader.scroll_to(y=max(0, first - 2), animate=False)
    for seg in reader.render_line(first - round(reader.scroll_y)):
        if seg.text == NOTE_MARK:
            return seg.style
    return None


async def test_h_highlights_and_h_again_takes_it_away(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        key = app.main.library.key
        await pilot.press("j", "h")
        await settle(pilot)
        (mark,) = stored(key)
        assert (
            mark.is_highlight
            and mark.text == ""
            and (mark.sentence_id, mark.last_sentence_id) == (1, 1)
        )
        assert any("Highlighted §2" in m for m in messages(app))
        # Marked in the reader as a highlight (its own style), not as a note.
        assert reader._marks.highlights and not reader._marks.spans
        assert gutter(reader, 1).color == reader._style("highlight-mark").color
        panel = app.query_one(NotePanel)
        assert panel.display and "Highlight on §2" in panel.border_title
        # h again on the same sentence takes it away; u brings it back.
        await pilot.press("h")
        await settle(pilot)
        assert stored(key) == [] and any("Highlight deleted" in m for m in messages(app))
        await pilot.press("u")
        await settle(pilot)
        assert [n.id for n in stored(key)] == [mark.id]
        # v j h: a run, typed fast; the second h sees the first highlight.
        await pilot.press("j", "j", "v", "j", "h", "k", "h")
        await settle(pilot)
        runs = sorted((n.sentence_id, n.last_sentence_id) for n in stored(key))
        assert runs == [(1, 1), (3, 3), (3, 4)]
        assert reader.selection is None
        # The Notes tab lists highlights, and t shows only notes, only highlights, or all.
        await pilot.press("a", *"a note", "ctrl+s")
        await settle(pilot)
        await pilot.press("3")
        notes = app.query_one(NotesList)
        assert "1 note and 3 highlights" in notes.summary
        await pilot.press("t")
        assert [n.kind for n in notes.shown] == ["note"] and "only notes" in notes.summary
        await pilot.press("t")
        assert {n.kind for n in notes.shown} == {"highlight"} and len(notes.shown) == 3
        await pilot.press("t")
        assert len(notes.shown) == 4


async def test_label_picker_makes_labels_and_puts_them_on(settle):
    library, (note,) = add_notes([(0, 2, None, "The motive. #economy")])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("j", "j", "l")
        picker = app.screen
        assert isinstance(picker, LabelPicker) and picker.labels == []
        await pilot.press("n")
        assert isinstance(app.screen, AskText)
        await pilot.press("enter")  # an empty name is refused, the dialog stays
        assert isinstance(app.screen, AskText) and "needs a name" in app.screen.message
        await pilot.press(*"claim", "enter")
        await settle(pilot)
        await pilot.press("n", *"Claim", "enter")  # taken, any case
        assert "already a label" in app.screen.message
        await pilot.press("escape", "n", *"evidence", "enter")
        await settle(pilot)
        assert labels_in_store() == {"claim": ("red", 1), "evidence": ("orange", 2)}
        await pilot.press("2", "1", "1")  # on, on, off
        assert picker.chosen == ["evidence"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main
        (labelled,) = stored(library.key)
        assert labelled.id == note.id and labelled.labels == ("evidence",)
        # The gutter takes the label's colour; the panel and the Notes tab name it.
        assert gutter(reader, 2).color.triplet.hex == hex_of("orange")
        assert "evidence" in app.query_one(NotePanel).text
        # escape leaves the labels as they were.
        await pilot.press("l", "1", "escape")
        await settle(pilot)
        assert stored(library.key)[0].labels == ("evidence",)
        # On a sentence with nothing: the labels make a highlight.
        await pilot.press("j", "l", "1", "j", "space", "enter")  # space: the highlighted one
        await settle(pilot)
        made = [n for n in stored(library.key) if n.is_highlight]
        assert len(made) == 1 and made[0].sentence_id == 3
        assert made[0].labels == ("claim", "evidence")
        await pilot.press("3", "/", *"@cla")
        notes = app.query_one(NotesList)
        assert [n.id for n in notes.shown] == [made[0].id]
        assert "claim" in str(notes.options.get_option_at_index(1).prompt)
        await pilot.press("backspace", "backspace", "backspace", *"evid")
        assert {n.id for n in notes.shown} == {note.id, made[0].id}


async def test_label_picker_renames_recolours_rekeys_and_removes(settle):
    library, (note,) = add_notes([(0, 1, None, "labelled")])
    with NoteStore() as store:
        store.add_label("claim", "red", 1)
        store.add_label("question", "blue", 2)
        store.set_labels(note.id, ["claim"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "l")  # from the Notes tab, on the highlighted note
        picker = app.screen
        assert isinstance(picker, LabelPicker) and picker.chosen == ["claim"]
        await pilot.press("r", "ctrl+u", *"thesis", "enter")  # rename the first
        await settle(pilot)
        await pilot.press("c")  # red -> orange
        await settle(pilot)
        await pilot.press("j", "s", "backspace", "1", "enter")  # key 1 is taken
        assert isinstance(app.screen, AskText) and "thesis" in app.screen.message
        await pilot.press("backspace", "7", "enter")
        await settle(pilot)
        assert labels_in_store() == {"thesis": ("orange", 1), "question": ("blue", 7)}
        assert picker.chosen == ["thesis"]
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # kept
        await pilot.press("k", "d", "y")  # the first one: it comes off the note too
        await settle(pilot)
        assert list(labels_in_store()) == ["question"]
        assert picker.chosen == []
        await pilot.press("enter")
        await settle(pilot)
        assert stored(library.key)[0].labels == ()
        assert app.main.study.labels[0].name == "question"
        # A label made by another process (the command line) comes with the next look.
        with NoteStore() as other:
            other.add_label("aside", "grey", 5)
        app.main.study.count_due()
        await settle(pilot)
        assert sorted(lb.name for lb in app.main.study.labels) == ["aside", "question"]
        await pilot.press("l", "5", "enter")
        await settle(pilot)
        assert stored(library.key)[0].labels == ("aside",)


async def test_links_are_placed_followed_and_shown_back(settle):
    library, _ = add_notes([])
    ids = [a.id for a in library.articles()]
    ref = link_ref(ids[1], ids)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("j", "a")
        await write(pilot, f"see [[{ref} §5]] and [[zzz §1]]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (note,) = stored(library.key)
        placed, unknown = note.links
        assert (placed.article_id, placed.sentence_id, placed.status) == (ids[1], 4, "anchored")
        assert unknown.status == "unresolved"
        panel = app.query_one(NotePanel)
        assert f"→ {ref} §5" in panel.text and "no such article" in panel.text
        assert "f follows" in panel.border_title
        await pilot.press("f")  # one link leads somewhere: followed at once
        await settle(pilot)
        assert (reader.article.id, reader.sentence) == (ids[1], 4)
        assert "Linked from" in panel.text and "§2" in panel.text
        await pilot.press("F")  # back where f was pressed
        await settle(pilot)
        assert (reader.article.id, reader.sentence) == (ids[0], 1)
        await pilot.press("F")
        assert any("No link followed" in m for m in messages(app))
        # From the target, f goes back to the note linking to it.
        await pilot.press("]")
        await settle(pilot)
        for _ in range(4):
            await pilot.press("j")
        await pilot.press("f")
        await settle(pilot)
        assert (reader.article.id, reader.sentence) == (ids[0], 1)
        await pilot.press("j", "f")  # nothing here
        assert any("No link here" in m for m in messages(app))


async def test_f_on_links_that_lead_nowhere_says_so(settle):
    """A note whose links all point at no sentence (an article or §N that does not exist): the
    panel does not offer f, and f says which links lead nowhere (not "No link here")."""
    library, _ = add_notes([(0, 1, None, "see [[zzz §1]] and [[000 §999]]")])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        panel = app.query_one(NotePanel)
        assert "zzz §1 (no such article" in panel.text
        assert "f follows" not in panel.border_title
        await pilot.press("f")
        told = messages(app)[-1]
        assert "lead nowhere" in told and "zzz §1" in told and "000 §999" in told
        assert not any("No link here" in m for m in messages(app))
        assert app.query_one(Reader).sentence == 1


async def test_f_asks_which_link_and_ctrl_l_inserts_one(settle):
    library, _ = add_notes([])
    ids = [a.id for a in library.articles()]
    titles = [a.title for a in library.articles()]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("a", *"two: ")
        await pilot.press("ctrl+l")
        picker = app.screen
        assert isinstance(picker, LinkPicker)
        assert "Weapon" in titles[2]
        await pilot.press(*"weapon", "enter")
        await settle(pilot)
        assert picker.current == ids[2]
        await pilot.press(*"999")
        assert "sentences §1 to" in str(picker.query_one("#link-preview").content)
        await pilot.press("enter")  # not inserted; the range still said
        assert app.screen is picker
        assert "sentences §1 to" in str(picker.query_one("#link-preview").content)
        await pilot.press("backspace", "backspace", "backspace", "3")
        quote = library.article(ids[2]).sentences[2].text
        assert quote[:20] in str(picker.query_one("#link-preview").content)
        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.text == f"two: [[{link_ref(ids[2], ids)} §3]]"
        await pilot.press(" ", "ctrl+l", "down", "down", "up")  # from the note's own article
        assert app.screen.query_one("#link-articles").highlighted == 1
        await pilot.press("up", "enter")
        await settle(pilot)
        assert app.screen.current == ids[0]
        await pilot.press("escape")  # back to the articles
        assert app.screen.query_one("#link-filter").has_focus
        await pilot.press("escape")  # cancelled: nothing added
        assert app.screen is editor and editor.text.endswith("§3]] ")
        await write(pilot, f" [[{link_ref(ids[3], ids)} §2]]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (note,) = stored(library.key)
        assert [(k.article_id, k.sentence_id) for k in note.links] == [(ids[2], 2), (ids[3], 1)]
        await pilot.press("f", "escape")  # escape: nowhere
        assert app.screen is app.main and reader.article.id == ids[0]
        await pilot.press("f")
        assert isinstance(app.screen, JumpPicker)
        await pilot.press("2")
        await settle(pilot)
        assert (reader.article.id, reader.sentence) == (ids[3], 1)


def rated() -> list[tuple[str, int]]:
    with NoteStore() as store:
        return [(r[0], r[1]) for r in store._read("SELECT note_id, rating FROM reviews")]


async def test_review_session_rates_each_card_at_once(settle):
    library, notes = add_notes(
        [
            (0, 2, None, "The motive: hard #currency"),
            (1, 3, None, "Second card"),
            (2, 0, None, "Third"),
        ]
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.status.due == "3 due · R reviews"
        await pilot.press("R")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and len(review.cards) == 3
        text = review.text
        sentence = library.article(notes[0].article_id).sentences[2].text
        assert "card 1 of 3" in text and sentence[:30] in text and "The motive" not in text
        await pilot.press("3")  # not before the note is shown
        assert rated() == []
        await pilot.press("c")  # cloze: the tagged word is hidden
        assert "[…]" in review.text and review.hidden.word == "currency"
        await pilot.press("space")
        assert "The motive" in review.text and "[…]" not in review.text
        assert "1 Again" in review.text and "3 Good" in review.text
        await pilot.press("3")
        await settle(pilot)
        assert rated() == [(notes[0].id, 3)]  # committed before the next card shows
        assert "card 2 of 3" in review.text
        hidden = review.hidden
        await pilot.press("w")  # cloze is still on: w hides another word, W the one before
        assert review.hidden is not None and review.hidden != hidden
        await pilot.press("W")
        assert review.hidden == hidden
        await pilot.press("enter", "1", "space", "4")  # typed fast: each one committed in turn
        await settle(pilot)
        assert rated() == [(notes[0].id, 3), (notes[1].id, 1), (notes[2].id, 4)]
        assert "Done for now: 3 rated" in review.text
        await pilot.press("space")  # looks again: nothing is due
        await settle(pilot)
        assert "Nothing is due" in review.text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main
        # A card rated Good is not due tomorrow; Again and Easy as FSRS says.
        with NoteStore() as store:
            cards = {c.note_id: c for c in Review(store, library.key).cards()}
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        assert cards[notes[0].id].due > tomorrow and cards[notes[2].id].due > tomorrow
        assert cards[notes[1].id].due < tomorrow  # Again: back within minutes
        assert app.main.status.due == ""


async def test_review_is_limited_and_ends_at_a_passage(settle):
    library, notes = add_notes([(0, 2, None, "first #alpha"), (1, 3, None, "second #beta")])
    with NoteStore() as store:
        store.add_label("claim", "red", 1)
        store.set_labels(notes[1].id, ["claim"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("R")
        await settle(pilot)
        review = app.screen
        await pilot.press("s", "escape")  # escape keeps the review as it was
        await settle(pilot)
        assert app.screen is review and review.scope_name == "all notes"
        await pilot.press("s")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ScopePicker)
        kinds = [(o.kind, o.value) for o in picker.options]
        assert ("label", "claim") in kinds and ("tag", "beta") in kinds
        assert any(k == "theme" for k, _ in kinds) and ("article", notes[0].article_id) in kinds
        for _ in range(kinds.index(("label", "claim"))):
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        assert review.scope_name == "label claim" and [c.note_id for c in review.cards] == [
            notes[1].id
        ]
        await pilot.press("r")  # read it: the review ends at the passage
        await settle(pilot)
        assert app.screen is app.main
        assert (reader.article.id, reader.sentence) == (notes[1].article_id, 3)
        # R in the Notes tab: the notes it shows.
        await pilot.press("3", "/", *"#alpha", "down", "R")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and [c.note_id for c in review.cards] == [
            notes[0].id
        ]
        await pilot.press("s")
        await settle(pilot)
        theme = next(i for i, o in enumerate(app.screen.options) if o.kind == "theme")
        for _ in range(theme):
            await pilot.press("j")
        await pilot.press("enter")  # a theme: its passages found by a search
        await settle(pilot)
        assert review.scope_name.startswith("theme ")


async def test_an_edit_over_another_windows_change_keeps_both(settle):
    library, (note,) = add_notes([(0, 1, None, "mine")])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The app's own looks at the store (every few seconds) would find the other window's
        # changes first on a slow machine: here only the editor's fresh read does.
        app.main._looking.stop()
        await pilot.press("j", "e")
        for _ in range(100):  # the note read afresh, then the editor (a busy machine: a while)
            await settle(pilot)
            if isinstance(app.screen, NoteEditor):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, NoteEditor)
        with NoteStore() as other:  # another window saves first
            other.save(note.id, "theirs", expected_version=note.version)
        await pilot.press(*" and more", "ctrl+s")
        await settle(pilot)
        texts = sorted((n.text, n.conflict_of) for n in stored(library.key))
        assert texts == [("mine and more", note.id), ("theirs", None)]
        assert any("conflict copy" in m for m in messages(app))
        # The editor reads the note afresh each time it opens: the other window's text.
        with NoteStore() as other:
            other.save(note.id, "theirs, again")
        await pilot.press("3", "g", "e")
        await settle(pilot)
        assert app.screen.text == "theirs, again"
        assert "changed elsewhere" in str(app.screen.query_one("#editor-error").content)
        with NoteStore() as other:  # deleted meanwhile: the edit brings it back
            other.delete(note.id)
        await pilot.press(*"!", "ctrl+s")
        await settle(pilot)
        back = {n.id: n for n in stored(library.key)}[note.id]
        assert back.text == "theirs, again!" and back.deleted is None
        assert any("brought it back" in m for m in messages(app))


async def test_r_before_the_library_is_open_says_so(settle):
    import threading

    from glossator.tui.controllers.library import default_factory

    asked, opened = threading.Event(), threading.Event()

    def slow(folder, cache):
        asked.set()
        opened.wait(300)  # released below
        return default_factory(folder, cache)

    app = make_app(factory=slow)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(600):  # the screen is up and opening the library
            if asked.is_set():
                break
            await pilot.pause(0.05)
        await pilot.pause()
        await pilot.press("R")
        assert app.screen is app.main
        assert any("still opening" in m for m in messages(app))
        opened.set()
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and "Nothing is due" in app.screen.text

"""The notes' requests part (tui/controllers/note_requests.py) alone, in a small app with stand-ins
for the notes' and the study's parts: what the Notes tab and the reader ask reaches the part that
does it, and nothing is written on the start-up snapshot."""

from __future__ import annotations

from articles import PARAS, make_article
from textual.app import App, ComposeResult

from glossator.index.notes import Note
from glossator.tui.controllers.note_requests import NoteRequests
from glossator.tui.controllers.study import StudyController
from glossator.tui.widgets.notes_list import NotesList
from glossator.tui.widgets.reader import Reader
from glossator.tui.widgets.reader_messages import MarkRequested

ARTICLE = make_article(PARAS)


def note(first: int, last: int) -> Note:
    return Note(
        id=f"n{first}-{last}",
        library="lib",
        article_id=ARTICLE.id,
        article_hash="",
        exact="",
        prefix="",
        suffix="",
        start=0,
        end=0,
        sentence_id=first,
        last_sentence_id=last,
        text="a note",
        tags=(),
        status="anchored",
        created="2026-01-01",
        updated="2026-01-01",
    )


class Calls:
    """Records every call made on it as (name, args)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []

    def __getattr__(self, name: str):
        def call(*args: object) -> None:
            self.calls.append((name, args))

        return call


class RequestsApp(App[None]):
    def __init__(self, opening: bool = False) -> None:
        super().__init__()
        self.notes, self.marks, self.study = Calls(), Calls(), Calls()
        self.notes.marks = self.marks  # type: ignore[attr-defined]
        self.notes.pick = lambda action, notes, then: then(notes[-1])  # type: ignore[attr-defined]
        self.part = NoteRequests(
            self.notes,  # type: ignore[arg-type]
            self.study,  # type: ignore[arg-type]
            opening=lambda: opening,
            passage=lambda: (ARTICLE, (2, 4)),
        )

    def compose(self) -> ComposeResult:
        yield self.part


async def test_the_notes_tabs_requests_reach_the_notes_and_the_study():
    app = RequestsApp()
    async with app.run_test() as pilot:
        one = note(1, 1)
        for message in (
            NotesList.NoteChosen(one),
            NotesList.Requested("undo", None),
            NotesList.Requested("restore", one),
            NotesList.Requested("label", one),
            NotesList.Requested("reattach", one),
            NotesList.Requested("delete", one),
            NotesList.Requested("edit", None),  # no note: nothing
        ):
            app.part.post_message(message)
        await pilot.pause()
        assert app.notes.calls == [
            ("go_to", (one,)),
            ("undo", ()),
            ("restore", (one,)),
            ("reattach", (one, ARTICLE, (2, 4))),  # where the reader is
            ("act", ("delete", [one])),
        ]
        assert app.study.calls == [("pick_labels", (one, None, 0, 0))]


async def test_marks_and_labels_from_the_reader():
    app = RequestsApp()
    async with app.run_test():
        here = [note(2, 2), note(2, 3)]
        app.part.mark(MarkRequested("highlight", ARTICLE, 2, 3, here))
        app.part.mark(MarkRequested("label", ARTICLE, 2, 3, []))  # a new highlight, labelled
        app.part.mark(MarkRequested("label", ARTICLE, 2, 3, here))  # one of the notes there
        assert app.marks.calls == [("highlight", (ARTICLE, 2, 3))]
        assert app.study.calls == [
            ("pick_labels", (None, ARTICLE, 2, 3)),
            ("pick_labels", (here[-1], None, 0, 0)),
        ]
        app.part.labels_chosen(StudyController.LabelsChosen(("x",), here[0]))
        app.part.labels_chosen(StudyController.LabelsChosen(("y",), None, ARTICLE, 1, 2))
        app.part.annotate(ARTICLE, 0, 1)
        assert app.marks.calls[1:] == [
            ("set_labels", (here[0], ("x",))),
            ("highlight", (ARTICLE, 1, 2, ("y",))),
        ]
        assert app.notes.calls == [("annotate", (ARTICLE, 0, 1))]


async def test_nothing_is_written_on_the_start_up_snapshot():
    app = RequestsApp(opening=True)
    async with app.run_test() as pilot:
        app.part.annotate(ARTICLE, 0, 1)
        app.part.mark(MarkRequested("highlight", ARTICLE, 0, 0, []))
        await pilot.pause()
        assert app.notes.calls == [] and app.marks.calls == [] and app.study.calls == []
        assert [n.message for n in app._notifications] == [
            "The library is still opening; notes come with it."
        ] * 2


class ReaderApp(RequestsApp):
    """The reader beside the part, the part its notes' owner, as on the main screen."""

    def compose(self) -> ComposeResult:
        yield Reader(id="reader")
        yield self.part


async def test_the_readers_requests_go_to_its_notes_owner():
    app = ReaderApp()
    seen: list[object] = []
    async with app.run_test(size=(60, 20), message_hook=seen.append) as pilot:
        reader = app.query_one(Reader)
        reader.notes_owner = app.part
        here = [note(0, 0)]
        reader.show_article(ARTICLE, 0)
        reader.set_notes(here)
        app.set_focus(reader)
        await pilot.pause()
        await pilot.press("a", "h", "u")
        reader.action_note_action("delete")
        await pilot.pause()
        assert app.notes.calls == [
            ("annotate", (ARTICLE, 0, 0)),
            ("undo", ()),
            ("act", ("delete", here)),
        ]
        assert app.marks.calls == [("highlight", (ARTICLE, 0, 0))]
        asked = [m for m in seen if isinstance(m, MarkRequested)]
        assert asked and all(m._sender is reader for m in asked)

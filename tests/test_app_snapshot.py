"""The app started with a snapshot of its last screen: the article shown at once, where it was,
before the library opens; a stale snapshot replaced in place; a damaged one ignored."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from glossator.index.library import Library
from glossator.tui import snapshot
from glossator.tui.app import make_app
from glossator.tui.controllers.library import default_factory
from glossator.tui.screens.first import FirstScreen
from glossator.tui.screens.note_editor import NoteEditor

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZE = (120, 40)


def cache() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "glossator"


def snapshot_file() -> Path:
    (found,) = (cache() / "snapshot").glob("*.json")
    return found


class HeldFactory:
    """Makes the library only once ``gate`` is set: the app meanwhile shows its snapshot."""

    def __init__(self) -> None:
        self.gate = threading.Event()

    def __call__(self, folder, cache_dir):
        self.gate.wait(20)
        return default_factory(folder, cache_dir)


async def main_in_front(pilot) -> None:
    """Until the main screen has replaced the first one and handled what it was sent (the
    library may still be held)."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        if app.screen_stack and app.screen is app.main and not app.main.message_queue_size:
            await pilot.pause()
            return
    raise AssertionError("the main screen never came")


async def read_a_while(settle, keys=("]", "]", *"jjjjjjjjjj")) -> tuple[str, int, int, str]:
    """A first session: read into the third seed article, quit. What was on screen."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        reader = app.main.reader
        assert reader.article is not None
        where = (reader.article.id, reader.sentence, reader.row_of(reader.sentence))
        text = reader.article.sentences[reader.sentence].text
        await app.action_quit()
    assert where[2] is not None
    return where[0], where[1], where[2], text


async def test_the_last_screen_is_shown_before_the_library_opens(settle):
    article_id, sentence, row, text = await read_a_while(settle)
    held = HeldFactory()
    app = make_app(factory=held)
    assert app.snapshot is not None
    async with app.run_test(size=SIZE) as pilot:
        await main_in_front(pilot)
        reader = app.main.reader
        # the library is not open (the factory waits), yet the article is there, as it was
        assert app.main.library is None
        assert reader.article is not None and reader.article.id == article_id
        assert (reader.sentence, reader.row_of(sentence)) == (sentence, row)
        assert reader.article.sentences[sentence].text == text
        assert app.main.sidebar.articles and app.main.sidebar.current == article_id
        assert f"§{sentence + 1}/" in str(app.main.status.query_one("#status-position").content)
        assert isinstance(app.screen_stack[0], FirstScreen)  # drawn first, now beneath
        # nothing is written from it: a note waits for the library and the notes store
        await pilot.press("a")
        await pilot.pause()
        assert not any(isinstance(s, NoteEditor) for s in app.screen_stack)
        held.gate.set()
        await settle(pilot)
        assert app.main.library is not None and not app.main.reading.showing_snapshot
        assert reader.article.id == article_id
        assert (reader.sentence, reader.row_of(sentence)) == (sentence, row)  # not moved
        assert app.focused is reader
        await pilot.press("a")  # now a note can be written
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)


async def test_keys_typed_on_the_first_screen_reach_the_reader_in_order(settle):
    _article_id, sentence, _row, _text = await read_a_while(settle)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "k")
        await settle(pilot)
        assert app.main.reader.sentence == sentence + 1


async def test_a_stale_snapshot_is_replaced_in_place(settle):
    article_id, sentence, row, text = await read_a_while(settle)
    path = snapshot_file()
    data = json.loads(path.read_text("utf-8"))
    stale_text = data["reading"]["article"]["text"]
    data["reading"]["article"]["text"] = stale_text.replace(text[:12], "Xy" * 6, 1)
    for entry in data["articles"]:
        entry["title"] = "An old title"
    path.write_text(json.dumps(data), "utf-8")
    held = HeldFactory()
    app = make_app(factory=held)
    async with app.run_test(size=SIZE) as pilot:
        await main_in_front(pilot)
        reader = app.main.reader
        assert reader.article is not None and "XyXyXy" in reader.article.text
        assert all(a.title == "An old title" for a in app.main.sidebar.articles)
        held.gate.set()
        await settle(pilot)
        assert not app.main.reading.showing_snapshot
        real = Library(None).article(article_id)
        assert real is not None and reader.article.text == real.text
        assert "XyXyXy" not in "\n".join(reader.plain_lines)
        assert "An old title" not in {a.title for a in app.main.sidebar.articles}
        assert (reader.sentence, reader.row_of(sentence)) == (sentence, row)
        await app.main.snapshots.flush()  # written half a second after the change, or now
    # and the snapshot written since holds the library as it is
    assert "XyXyXy" not in snapshot_file().read_text("utf-8")


@pytest.mark.parametrize("damage", [b"{not json", b"", b'{"version": 99}', b"\x00" * 100, "folder"])
async def test_a_damaged_snapshot_is_ignored_and_the_app_opens_as_usual(settle, damage):
    article_id, sentence, _row, _text = await read_a_while(settle)
    path = snapshot_file()
    if damage == "folder":
        path.unlink()
        path.mkdir()
    else:
        path.write_bytes(damage)
    app = make_app()
    assert app.snapshot is None
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen is app.main
        reader = app.main.reader
        assert reader.article is not None and reader.article.id == article_id
        assert reader.sentence == sentence  # from the saved reading position
        await app.action_quit()
    if damage != "folder":
        assert snapshot.read(path, app.main.library_part.library.key, Library(None).folder)


async def test_a_snapshot_of_another_library_is_not_used(settle, tmp_path):
    await read_a_while(settle)
    other = tmp_path / "other"
    other.mkdir()
    (other / "one.txt").write_text("One\n\nThe only sentence here. And another one.\n", "utf-8")
    app = make_app(other)
    assert app.snapshot is None
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.reader.article is not None and app.main.reader.article.id == "one"


async def test_the_names_tab_fills_after_a_start_from_the_snapshot(settle):
    await read_a_while(settle)
    app = make_app()
    assert app.snapshot is not None
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.library is not None and not app.main.reading.showing_snapshot
        await pilot.press("4")
        await settle(pilot)
        names = app.main.sidebar.names
        for _ in range(100):
            if names.names:
                break
            await pilot.pause(0.05)
        assert {"Kim Jong Un", "Vladimir Putin"} & {n.name for n in names.names}


async def test_the_main_screen_paints_the_article_in_its_first_frame(settle, monkeypatch):
    """The main screen replaces the first one with the article already laid out (for the
    width of the first screen's reader), at the row it was on: no frame with an empty reader
    between them (one showed for up to 0.4 s while the main screen's widgets were styled)."""
    from glossator.tui.widgets.reader_view import ArticleView

    article_id, sentence, row, text = await read_a_while(settle)
    first_frames: dict[int, list[str]] = {}
    render_line = ArticleView.render_line

    def recorded(self, y):
        strip = render_line(self, y)
        if self.id == "reader" and len(first_frames.setdefault(id(self), [])) < 40:
            first_frames[id(self)].append(strip.text)
        return strip

    monkeypatch.setattr(ArticleView, "render_line", recorded)
    held = HeldFactory()
    app = make_app(factory=held)
    async with app.run_test(size=SIZE) as pilot:
        await main_in_front(pilot)
        (painted,) = first_frames.values()
        assert text.split()[0] in "\n".join(painted[:SIZE[1]])
        # the very rows shown once it is laid out for real: the same place
        now = [app.main.reader.render_line(y).text.rstrip() for y in range(5)]
        assert [line.rstrip() for line in painted[:5]] == now
        held.gate.set()
        await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (99, 30), (100, 30), (160, 48)])
async def test_the_first_screen_lays_its_article_out_for_the_width_it_gets(settle, size):
    """The first screen's reader is laid out before its first frame, for the width worked out
    from the screen's layout: exactly the width the layout gives it, with or without the
    sidebar, so that first frame already holds the article (and nothing is wrapped twice)."""
    await read_a_while(settle)
    held = HeldFactory()
    app = make_app(factory=held)
    async with app.run_test(size=size) as pilot:
        await main_in_front(pilot)
        first = app.screen_stack[0]
        assert isinstance(first, FirstScreen)
        reader = app.main.reader
        # the first screen's guess, its reader's width once laid out, and the main screen's
        assert first.expected_width == app.main.reader_width > 0
        assert app.main.reader_width == reader.scrollable_content_region.width
        held.gate.set()
        await settle(pilot)

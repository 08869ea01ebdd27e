"""Live search in the reading app: typing, cancelling, results, opening, hits, history."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from glossator.index.library import Library
from glossator.tui.app import make_app
from glossator.tui.widgets import Reader, ResultsList
from glossator.tui.widgets.reading_search import SearchFinished
from glossator.tui.widgets.results import FIRST_PAGE

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZE = (120, 40)


def seed_search(query: str):
    library = Library(None)
    library.update()
    return library, library.search(query)


def centre(app) -> str:
    return app.main.query_one("#centre").current


async def type_query(pilot, text: str) -> None:
    """Press / and type, key by key."""
    await pilot.press("/", *text)


async def put_query(pilot, text: str) -> None:
    """Press / and put the whole query in the bar at once (one search, as a paste would)."""
    await pilot.press("/")
    pilot.app.main.search_bar.set_value(text)
    await pilot.pause()


async def test_typing_shows_grouped_results_with_header(settle):
    _, expected = seed_search("artillery")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "artillery")
        await settle(pilot)
        assert centre(app) == "results"
        assert isinstance(app.focused, Input)  # typing goes on in the bar
        results = app.query_one(ResultsList)
        header = results.header
        assert header == f"{expected.total} passages in 5 articles"
        assert expected.total >= 14
        # Grouped by article: a heading per article with its count, then its passages.
        options = results.options.options
        headings = [o for o in options if o.disabled]
        assert len(headings) == 5
        for (_id, title, n), heading in zip(expected.articles, headings, strict=True):
            assert title in str(heading.prompt) and f"{n} passage" in str(heading.prompt)
        hits = [o for o in options if not o.disabled]
        assert len(hits) == expected.total
        first = str(hits[0].prompt)
        assert "artillery" in first
        # The matched words carry the highlight style.
        spans = [s for s in hits[0].prompt.spans if "warning" in str(s.style)]
        assert spans and all(
            str(hits[0].prompt)[s.start : s.end].lower() == "artillery" for s in spans
        )


async def test_each_keystroke_cancels_the_previous_search(settle):
    """A slow search is still running when the next key arrives: it is cancelled, and its
    result, when it finally comes, is never shown. Enter pressed while the last search still
    runs moves to the results once they come."""
    seen: list = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        library = app.main.library
        gates = {"she": threading.Event(), "shell": threading.Event()}
        real_search = library.search

        def slow_search(text, limit=None, count=True):
            if text in gates:
                gates[text].wait(10)
            return real_search(text, limit, count)

        library.search = slow_search
        await type_query(pilot, "she")
        running = [w for w in app.workers if w.group == "search" and not w.is_finished]
        assert len(running) == 1  # the "she" search, held
        await pilot.press("l", "l")  # typing is not blocked by the running search
        assert app.main.search_bar.value == "shell"
        assert running[0].state == WorkerState.CANCELLED
        gates["she"].set()
        await pilot.press("enter")  # "shell" is still searching
        assert isinstance(app.focused, Input)
        gates["shell"].set()
        await settle(pilot)
        finished = [m.result.query for m in seen if isinstance(m, SearchFinished)]
        assert "she" not in finished  # the cancelled worker posted nothing
        assert finished[-1] == "shell"
        cancelled = [
            m
            for m in seen
            if isinstance(m, Worker.StateChanged)
            and m.state == WorkerState.CANCELLED
            and m.worker.group == "search"
        ]
        assert cancelled
        assert app.query_one(ResultsList).result.query == "shell"
        assert app.focused is app.query_one(ResultsList).options


async def test_enter_moves_to_results_and_enter_opens_the_passage(settle):
    _, expected = seed_search("artillery")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await put_query(pilot, "artillery")
        await settle(pilot)
        await pilot.press("enter")
        results = app.query_one(ResultsList)
        assert app.focused is results.options
        await pilot.press("down")
        hit = results.highlighted_hit
        assert hit == expected.hits[1]
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert centre(app) == "reading" and app.focused is reader
        assert reader.article.id == hit.article_id and reader.sentence == hit.sentence_id
        # Every hit of the query in this article is highlighted.
        wanted = [h for h in expected.hits if h.article_id == hit.article_id]
        assert len(reader.hits) == sum(len(h.highlights) for h in wanted)
        for a, b in reader.hits:
            assert reader.article.text[a:b].lower() == "artillery"


async def test_escape_returns_to_where_the_reader_was(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("]")
        await settle(pilot)
        await pilot.press("j", "j", "j")
        place = (reader.article.id, reader.sentence, reader.scroll_y)
        await put_query(pilot, "artillery")
        await settle(pilot)
        await pilot.press("enter", "down")
        await pilot.press("escape")
        assert centre(app) == "reading" and app.focused is reader
        assert (reader.article.id, reader.sentence, reader.scroll_y) == place
        # And from the bar too.
        await pilot.press("/", "x", "escape")
        await settle(pilot)
        assert centre(app) == "reading" and app.focused is reader
        assert (reader.article.id, reader.sentence) == place[:2]


async def test_unusable_query_shows_an_inline_message(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "a*")
        await settle(pilot)
        message = app.main.results.query_one("#results-message")
        assert message.display
        assert "Unusable query" in str(message.content) and "prefix" in str(message.content)
        assert message.has_class("-error")
        assert app.query_one(ResultsList).result is None
        await pilot.press("backspace", "backspace", *"shells")
        await settle(pilot)
        assert not message.display
        assert app.query_one(ResultsList).result.total > 0


async def test_did_you_mean_is_accepted_with_enter(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "artilery")
        await settle(pilot)
        bar = app.main.search_bar
        message = app.main.results.message
        assert "Did you mean" in message and "artillery" in message
        assert app.query_one(ResultsList).header.startswith("No passages match")
        await pilot.press("enter")
        await settle(pilot)
        assert bar.value == "artillery"
        assert app.query_one(ResultsList).result.total > 0
        assert not app.main.results.message
        await pilot.press("enter")
        assert app.focused is app.query_one(ResultsList).options


async def test_search_history_recalls_and_persists(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query in ("shells", "sanctions"):
            await put_query(pilot, query)
            await settle(pilot)
            await pilot.press("enter")
        await pilot.press("escape", "q")
    assert app.return_code == 0

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.main.search_bar
        await pilot.press("/", *"dra")
        await pilot.press("up")
        assert bar.value == "sanctions"
        await pilot.press("up")
        assert bar.value == "shells"
        await pilot.press("up")
        assert bar.value == "shells"  # nothing older
        await pilot.press("down")
        assert bar.value == "sanctions"
        await pilot.press("down")
        assert bar.value == "dra"  # back to what was being typed
        await settle(pilot)


async def test_n_after_a_search_walks_its_hits_without_a_passage_opened(settle):
    library, expected = seed_search("artillery")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await put_query(pilot, "artillery")
        await settle(pilot)
        await pilot.press("escape")  # back to the reader, the results not opened
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("n")
        await settle(pilot)
        hit_places = {(h.article_id, max(0, h.sentence_id)) for h in expected.hits}
        assert (reader.article.id, reader.sentence) in hit_places
        assert reader.hits  # the words highlighted in the reader
        assert "hit " in app.main.status.text and "artillery" in app.main.status.text


async def test_n_and_N_walk_the_hits_across_articles(settle):
    library, expected = seed_search("Putin")
    order = {a.id: i for i, a in enumerate(library.articles())}
    places = sorted(
        {(order[h.article_id], max(0, h.sentence_id), h.article_id) for h in expected.hits}
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("n")
        assert any("No search to step through" in n.message for n in app._notifications)
        await put_query(pilot, "Putin")
        await settle(pilot)
        await pilot.press("enter", "enter")  # open the first (best ranked) passage
        await settle(pilot)
        start = (order[reader.article.id], reader.sentence, reader.article.id)
        i = places.index(start)
        visited = []
        for _ in range(len(places)):
            await pilot.press("n")
            await settle(pilot)
            visited.append((order[reader.article.id], reader.sentence, reader.article.id))
        assert visited == places[i + 1 :] + places[: i + 1]  # crosses articles, wraps around
        assert len({p[2] for p in visited}) == len(expected.articles) >= 3
        back = []
        for _ in range(3):
            await pilot.press("N")
            await settle(pilot)
            back.append((order[reader.article.id], reader.sentence, reader.article.id))
        assert back == [places[(i - k) % len(places)] for k in (1, 2, 3)]
        assert reader.hits  # the article opened by n has its hits highlighted


async def test_search_while_the_index_builds(settle, monkeypatch):
    """The app is usable while the index builds: search says so, then runs when ready."""
    import glossator.index.library

    gate = threading.Event()
    real_update = glossator.index.library.Library.update

    def slow_update(self, progress=None, rebuild=False, wait=None):
        if progress:
            progress(0, 3, "first.txt")
        gate.wait(10)
        return real_update(self, progress=progress, rebuild=rebuild, wait=wait)

    monkeypatch.setattr(glossator.index.library.Library, "update", slow_update)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main
        assert "indexing 1/3 first.txt" in main.status.text
        assert main.status.query_one("#status-progress").display
        await type_query(pilot, "artillery")
        assert "still being indexed" in main.results.message
        assert "Indexing" in app.query_one(ResultsList).header
        gate.set()
        await settle(pilot)
        assert app.query_one(ResultsList).header.endswith("in 5 articles")
        assert not main.status.query_one("#status-progress").display
        assert app.query_one(Reader).article is not None


async def test_keys_typed_at_once_after_slash_reach_the_search_bar(settle):
    """A fast typist: "/" and the next letters arrive together; none may go to the reader
    (where "a" would open the note editor)."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key, char in (("slash", "/"), ("a", "a"), ("r", "r"), ("t", "t")):
            app.post_message(events.Key(key, char))  # queued together, as from a terminal
        for _ in range(200):  # until every key has been handed on (a busy machine is slow)
            await pilot.pause(0.02)
            if not app.keys.pending and app.main.search_bar.input.value == "art":
                break
        assert app.main.search_bar.input.value == "art"
        assert app.screen is app.main  # the note editor did not open
        await pilot.press("slash")  # in the search bar, "/" is just a character
        assert app.main.search_bar.input.value == "art/"


async def test_first_screen_comes_at_once_then_the_count_keeping_the_place(settle, tmp_path):
    """Each keystroke shows the first screen of passages at once; the full count and the rest
    of the list follow from the same worker, and the passage the person moved to stays."""
    folder = tmp_path / "harbours"
    folder.mkdir()
    for i in range(30):
        (folder / f"port-{i:02d}.txt").write_text(
            f"Port number {i}\n\nThe harbour was quiet. Boats lay idle.\n\n"
            f"Later the harbour filled with {i} ships.\n",
            "utf-8",
        )
    seen: list = []
    app = make_app(folder)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        library = app.main.library
        expected = library.search("harbour")
        assert expected.total == 60 > FIRST_PAGE
        gate = threading.Event()
        real_search = library.search

        def held_count(text, limit=None, count=True):
            if count:
                gate.wait(10)  # the full count waits until the test has looked
            return real_search(text, limit, count)

        library.search = held_count
        await put_query(pilot, "harbour")
        for _ in range(100):
            await pilot.pause(0.02)
            if any(isinstance(m, SearchFinished) for m in seen):
                break
        results = app.query_one(ResultsList)
        first = results.result
        assert not first.complete and len(first.hits) == FIRST_PAGE
        assert results.header == "40 passages in 20 articles so far, counting…"
        results.focus_list()
        await pilot.pause()
        assert app.focused is results.options
        await pilot.press("down", "down", "down")
        place = results.options.highlighted
        hit = results.highlighted_hit
        assert place > 1 and hit is not None
        gate.set()
        await settle(pilot)
        final = results.result
        assert final.complete and final.total == expected.total
        assert results.header == "60 passages in 30 articles"
        assert len([o for o in results.options.options if not o.disabled]) == 60
        assert results.options.highlighted == place and results.highlighted_hit == hit
        posted = {id(m): m for m in seen if isinstance(m, SearchFinished)}  # seen as they bubble
        finished = [m.result for m in posted.values()]
        assert [(r.query, r.complete) for r in finished] == [("harbour", False), ("harbour", True)]
        assert final.hits[:FIRST_PAGE] == first.hits  # the first screen was the start of it


async def test_keys_are_handled_during_a_real_full_build(settle, tmp_path):
    """A real build (no stand-in) of a thousand articles runs in its worker, in several
    processes, while the person presses a key: the key is handled while the build still runs."""
    folder = tmp_path / "many"
    folder.mkdir()
    words = "harbour diesel cannery skipper quay boats winter prices south buyers".split()
    for i in range(1000):
        body = " ".join(f"{words[(i + k) % 10]} {words[(i * k) % 10]}." for k in range(300))
        (folder / f"a{i:03d}.txt").write_text(f"Article {i}\n\n{body}\n", "utf-8")
    app = make_app(folder)
    handled: list[bool] = []  # for each time the help screen was put up: was the build running?

    def hook(message) -> None:
        if type(message).__name__ == "Mount" and type(message._sender).__name__ == "HelpScreen":
            handled.append(any(w.group == "library" and not w.is_finished for w in app.workers))

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        assert any(w.group == "library" and not w.is_finished for w in app.workers)
        await pilot.press("?")
        for _ in range(500):  # the key's turn comes (a busy machine is slow), the build runs on
            if handled:
                break
            await pilot.pause(0.02)
        assert handled == [True]  # shown while the index was still being built
        await pilot.press("escape")
        await settle(pilot)
        assert app.main.library is not None and len(app.main.articles) == 1000

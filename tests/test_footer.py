"""The footer fits its width: keys that do not fit are hidden from the right, never Search, Quit
or Help, and come back when the terminal is wider (tui/widgets/footer.py)."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from glossator.tui.widgets.footer import FittingFooter

MANY: list[BindingType] = [
    Binding(key, f"noop('{key}')", f"Something long {key}") for key in "abcdefgh"
]


class Many(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *MANY,
        Binding("/", "search", "Search"),
        Binding("q", "quit", "Quit"),
        Binding("?", "help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield FittingFooter()

    def action_noop(self, key: str) -> None:
        pass


def shown(app: App[None]) -> list[FooterKey]:
    return [k for k in app.screen.query(FooterKey) if k.display]


async def test_keys_never_run_past_the_edge_and_the_way_out_stays() -> None:
    app = Many()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        await pilot.pause()
        keys = shown(app)
        actions = {k.action for k in keys}
        assert {"search", "quit", "help"} <= actions
        assert len(keys) < 11  # some of the long ones had to go
        palette = [k for k in keys if k.has_class("-command-palette")]
        edge = 80 - sum(k.outer_size.width for k in palette)
        assert all(k.region.right <= edge for k in keys if k not in palette)
        # the ones hidden are the rightmost of the others: a, b, ... stay before g, h
        others = [k.key for k in app.screen.query(FooterKey) if k.action.startswith("noop")]
        kept = [k.key for k in keys if k.action.startswith("noop")]
        assert kept == others[: len(kept)]

        await pilot.resize_terminal(220, 10)
        await pilot.pause()
        await pilot.pause()
        assert len([k for k in shown(app) if not k.has_class("-command-palette")]) == 11


PAIRS = [Binding.Group(f"group {n}", compact=True) for n in range(4)]


class Grouped(App[None]):
    """Keys in compact groups, as the reader's (jk sentence, ][ article): their margins count."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"noop('{key}')", key, group=PAIRS[n // 2])
            for n, key in enumerate("abcdefgh")
        ),
        Binding("/", "search", "Search"),
        Binding("q", "quit", "Quit"),
        Binding("?", "help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield FittingFooter()

    def action_noop(self, key: str) -> None:
        pass


@pytest.mark.parametrize("columns", [40, 44, 48, 52, 56, 60])
async def test_grouped_keys_never_cover_help(columns: int) -> None:
    app = Grouped()
    async with app.run_test(size=(columns, 10)) as pilot:
        await pilot.pause()
        await pilot.pause()
        keys = shown(app)
        palette = [k for k in keys if k.has_class("-command-palette")]
        edge = columns - sum(k.outer_size.width for k in palette)
        (help_key,) = [k for k in keys if k.action == "help"]
        assert help_key.region.right <= edge

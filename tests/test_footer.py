"""The footer fits its width: keys that do not fit are hidden from the right, never Search, Quit
or Help, and come back when the terminal is wider (tui/widgets/footer.py)."""

from __future__ import annotations

from typing import ClassVar

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

"""The help screen, generated from the live bindings so it always says what the keys really do.

Every binding of ours carries an id ``"<area>.<name>"``; the area picks the section. The rows are
read from each node's bindings map as it is at the moment (a keymap that moved a key shows the
moved key), and keys that share an action are listed together ("j ↓").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.footer import FittingFooter

SECTIONS = (
    ("reader", "Reading"),
    ("search", "Searching"),
    ("results", "Searching"),
    ("themes", "Themes tab"),
    ("notes", "Notes tab"),
    ("names", "Names tab"),
    ("study", "Studying: concordance, spread, collocates, keywords"),
    ("editor", "Writing a note"),
    ("details", "Article details"),
    ("link", "Linking a sentence"),
    ("labels", "Labels"),
    ("review", "Reviewing"),
    ("pane", "Panes and focus"),
    ("app", "Everywhere"),
)
KEY_WIDTH = 16

HelpRow = tuple[str, str, str]  # keys as shown, description, more


def _declared_order(node: DOMNode) -> dict[str | None, int]:
    """Binding id -> its place in the BINDINGS as written (subclass first)."""
    order: dict[str | None, int] = {}
    for cls in type(node).__mro__:
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            order.setdefault(binding.id, len(order))
    return order


def live_bindings(node: DOMNode) -> Iterable[Binding]:
    """The bindings of ``node`` as they are now, with the app's keymap applied the way
    Textual applies it when it looks a key up; in the order they were declared."""
    bindings = node._bindings.copy()
    keymap = node.app._keymap if node.is_attached else {}
    if keymap:
        bindings.apply_keymap(keymap)
    order = _declared_order(node)
    found = [binding for _key, binding in bindings]
    found.sort(key=lambda b: order.get(b.id, len(order)))
    yield from found


def help_rows(nodes: Sequence[DOMNode]) -> list[tuple[str, list[HelpRow]]]:
    """(section title, rows) from the bindings of ``nodes`` that have one of our ids."""
    titles = dict(SECTIONS)
    order = list(dict.fromkeys(title for _, title in SECTIONS))
    found: dict[str, dict[tuple[str, str], list[str]]] = {title: {} for title in order}
    tips: dict[tuple[str, str, str], str] = {}
    app = nodes[0].app if nodes else None
    for node in nodes:
        for binding in live_bindings(node):
            if not binding.id or not binding.description:
                continue
            area = binding.id.split(".", 1)[0]
            title = titles.get(area)
            if title is None:
                continue
            key = app.get_key_display(binding) if app is not None else binding.key
            what = (binding.action.split("(", 1)[0], binding.description)  # "pick(1)": "pick"
            keys = found[title].setdefault(what, [])
            if key not in keys:
                keys.append(key)
            more = tips.setdefault((title, *what), "")
            if binding.tooltip and not more:
                tips[(title, *what)] = binding.tooltip
    return [
        (
            title,
            [
                (_keys_shown(keys), what[1], tips.get((title, *what), ""))
                for what, keys in rows.items()
            ],
        )
        for title, rows in found.items()
        if rows
    ]


def _keys_shown(keys: list[str]) -> str:
    """The keys of a row; a run of digits as "1–9"."""
    if len(keys) > 2 and all(k.isdigit() and len(k) == 1 for k in keys):
        numbers = sorted(int(k) for k in keys)
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{numbers[0]}–{numbers[-1]}"
    return " ".join(keys)


def _table(rows: list[HelpRow]) -> Table:
    """The rows of one section: the keys, then what they do (wrapped beside them)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=KEY_WIDTH, style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for keys, description, more in rows:
        what = Text(description)
        if more:
            what.append(f": {more}", style="dim")
        table.add_row(Text(keys), what)
    return table


def section_text(title: str, rows: list[HelpRow]) -> str:
    lines = [title]
    for keys, description, more in rows:
        lines.append(f"  {keys:<{KEY_WIDTH}} {description}" + (f": {more}" if more else ""))
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """Every key of the app, grouped by where it works."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="help.up"),
    ]

    def __init__(self, sections: list[tuple[str, list[HelpRow]]]) -> None:
        super().__init__(id="help")
        self.sections = sections

    @property
    def text(self) -> str:
        """Everything the help shows, as plain text."""
        return "\n\n".join(section_text(t, rows) for t, rows in self.sections)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(
                Content.assemble(
                    ("Glossator keys", "bold"),
                    ("   escape, q or ? closes this help", "dim"),
                ),
                id="help-title",
            )
            with VerticalScroll(id="help-scroll"):
                for title, rows in self.sections:  # a few widgets, not three a key: opens fast
                    yield Static(Content(title), classes="help-heading")
                    yield Static(_table(rows), classes="help-rows")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)

"""A footer that fits its width: the keys of what has focus, as many as the row holds.

Textual's Footer lays every shown binding in one row and cuts what does not fit, so at 80
columns the Notes tab's keys pushed "? Help" off the end. This one measures its keys once they
are laid out and hides, from the right, those that do not fit, always keeping the ones a person
needs to find the rest: Search, Quit, Help and escape's Back. A wider terminal shows them all again.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

# Kept however narrow the row: search, the way out, and the way to every other key.
KEPT_ACTIONS = frozenset({"search", "quit", "help"})


def units(children: list[Widget]) -> list[list[Widget]]:
    """The row's items as a person reads them: a group of keys with the label after it is one."""
    found: list[list[Widget]] = []
    for child in children:
        if isinstance(child, FooterLabel) and found and isinstance(found[-1][-1], KeyGroup):
            found[-1].append(child)
        else:
            found.append([child])
    return found


def width(unit: list[Widget]) -> int:
    """The cells a unit takes in the row, its margins counted (a group's are 1 each side)."""
    return sum(c.outer_size.width + c.styles.margin.left + c.styles.margin.right for c in unit)


def kept(unit: list[Widget]) -> bool:
    """Search, Quit, Help and the key that goes back (escape) are never hidden."""
    return any(
        isinstance(c, FooterKey) and (c.action in KEPT_ACTIONS or c.key == "escape") for c in unit
    )


class FittingFooter(Footer):
    """Footer whose keys never run past its right edge; the palette key stays docked right."""

    def _row(self) -> list[Widget]:
        """The keys and groups in reading order, the docked palette key left out."""
        return [c for c in self.children if not c.has_class("-command-palette")]

    def _room(self) -> int:
        palette = [c for c in self.children if c.has_class("-command-palette") and c.display]
        return self.size.width - sum(c.outer_size.width for c in palette)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.fit)

    def on_resize(self, event: events.Resize) -> None:
        for child in self._row():
            child.display = True  # all measured again at the new width
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Hide, from the right, the items that do not fit; never Search, Quit, Help or Back."""
        row = [unit for unit in units(self._row()) if all(c.display for c in unit)]
        if any(not c.outer_size.width for unit in row for c in unit):
            return  # not laid out yet (the next recompose or resize fits it)
        room = self._room()
        total = sum(width(unit) for unit in row)
        hidden = []
        for unit in reversed(row):
            if total <= room:
                break
            if not kept(unit):
                total -= width(unit)
                hidden.append(unit)
                for child in unit:
                    child.display = False
        # then, in reading order, any hidden one that fits in the room left: the keys shown are
        # the same whatever was hidden before (a snapshot had one key more or less, by timing)
        for unit in reversed(hidden[:-1]):
            if total + width(unit) <= room:
                total += width(unit)
                for child in unit:
                    child.display = True

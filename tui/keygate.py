"""Every key counts, in order.

Textual hands a key to the focused widget's own queue as soon as it arrives, before the key
before it has been dealt with. Typed fast, a key that closes a dialog and the keys after it all
land in the dialog's queue; when the dialog goes, so do they (and a key that opens the note
editor is followed by letters that reach the screen before the editor's text area has the focus).

The gate takes each key (and each mouse button and paste, so that their order with keys is kept)
as it reaches the app, and hands it back to the app only once everything before it has settled:
the app and every widget of the screen in front have handled what was sent to them, screens
opened or closed included. Each key then goes to whatever is in front when its turn comes.
Escape and a key typed right after it, read by the terminal as one alt+key, are given as the two
keys they were. A part that starts short work a key asked for (loading the next article for
``]``) says so with ``wait_for``: the keys after it wait for that work too, so ``]jj`` reads
on in the new article. Settling is waited for at most ``PATIENCE`` seconds, so a slow handler
delays keys but never swallows them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.worker import Worker

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump
    from textual.screen import Screen
    from textual.widget import Widget

GATED = (events.Key, events.MouseDown, events.MouseUp, events.Paste)
PATIENCE = 5.0  # seconds settling may take before the next key goes anyway (a busy machine
# takes seconds to open a dialog; only something that never settles waits this long)


class KeyGate:
    """Owned by the app: ``holds(event)`` in its ``on_event`` (True: the gate has it)."""

    def __init__(self, app: App[int]) -> None:
        self.app = app
        self._waiting: deque[events.Event] = deque()
        self._released: dict[int, events.Event] = {}
        self._task: asyncio.Task[None] | None = None
        self._work: list[Worker[object]] = []  # started by the key being handled

    def wait_for(self, worker: Worker[object]) -> None:
        """The keys after this one wait until ``worker`` is done (at most ``PATIENCE``)."""
        if self._task is not None and not self._task.done():
            self._work.append(worker)

    def holds(self, event: events.Event) -> bool:
        if not isinstance(event, GATED) or event.is_forwarded:
            return False
        if self._released.pop(id(event), None) is event:
            return False  # its turn: the app handles it now
        self._waiting.extend(_unalt(event) if isinstance(event, events.Key) else [event])
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return True

    @property
    def pending(self) -> int:
        """Keys received and not yet handed on."""
        return len(self._waiting)

    async def _drain(self) -> None:
        while self._waiting:
            if not self.app.is_running:
                self._waiting.clear()
                return
            await self._settled()
            event = self._waiting.popleft()
            self._released[id(event)] = event
            self.app.post_message(event)
            await self._settled()

    async def _settled(self) -> None:
        """Wait until the app and the screen in front have handled what they were sent (their
        queues are empty), what a key set off included, and the screen and focus are still."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PATIENCE
        work, self._work = self._work, []
        while any(not w.is_finished for w in work) and loop.time() < deadline:
            await asyncio.sleep(0.005)  # slow or failed work: the keys go on all the same
        deadline = loop.time() + PATIENCE
        before = self._state()
        while before is not None and loop.time() < deadline:
            screen, focused, nodes = before
            busy = [n for n in nodes if n.message_queue_size]
            chain = [self.app, *(focused.ancestors_with_self if focused else [screen])]
            await _round(list({id(n): n for n in busy + chain}.values()))
            after = self._state()
            if after is None:
                return
            if after[:2] == before[:2] and not any(n.message_queue_size for n in after[2]):
                return
            before = after

    def _state(self) -> tuple[Screen[object], Widget | None, list[MessagePump]] | None:
        """What a key would meet: the screen in front and its focus; and who may still work."""
        try:
            screen = self.app.screen
        except Exception:  # no screen yet, or the app is closing
            return None
        nodes: list[MessagePump] = [self.app, *screen.walk_children(with_self=True)]
        return screen, screen.focused, nodes


def _unalt(key: events.Key) -> list[events.Event]:
    """Escape and a key typed quickly after it, read together, come as alt+key (the terminal's
    way of sending Alt): Glossator binds no alt+letter, so they are the two keys pressed."""
    name, char = key.key, key.character
    if not name.startswith("alt+") or char is None or len(char) != 1 or not char.isprintable():
        return [key]
    rest = name.removeprefix("alt+")
    if rest.startswith("shift+") and char.isalpha():
        rest = char
    return [events.Key("escape", "\x1b"), events.Key(rest, char)]


async def _round(nodes: list[MessagePump]) -> None:
    """Wait until each of ``nodes`` has handled every message it had when this began."""
    left = 0
    done = asyncio.Event()

    def tick() -> None:
        nonlocal left
        left -= 1
        if left <= 0:
            done.set()

    for node in nodes:
        if node.is_running and node.call_later(tick):
            left += 1
    if left <= 0:
        return
    try:
        await asyncio.wait_for(done.wait(), PATIENCE)
    except TimeoutError:
        pass


def hold_keys(node: DOMNode, worker: Worker[Any]) -> None:
    """From any widget: the keys typed after the one being handled wait for ``worker``."""
    gate = getattr(node.app, "keys", None)
    if isinstance(gate, KeyGate):
        gate.wait_for(worker)

"""Every key counts, in order.

Textual hands a key to the focused widget's own queue as soon as it arrives, before the key
before it has been dealt with. Typed fast, a key that closes a dialog and the keys after it all
land in the dialog's queue; when the dialog goes, so do they (and a key that opens the note
editor is followed by letters that reach the screen before the editor's text area has the focus).

The gate takes each key (and each mouse button and paste, so that their order with keys is kept)
as it reaches the app, and hands it back to the app only once everything before it has settled:
the app and every widget of the screen in front have handled what was sent to them, screens
opened or closed included. Each key then goes to whatever is in front when its turn comes.
Settling is waited for at most ``PATIENCE`` seconds a round, so a slow handler delays keys but
never swallows them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

GATED = (events.Key, events.MouseDown, events.MouseUp, events.Paste)
PATIENCE = 1.0  # seconds a round of settling may take before the next key goes anyway
ROUNDS = 4  # rounds of settling at most (a key may open a screen that opens another...)


class KeyGate:
    """Owned by the app: ``holds(event)`` in its ``on_event`` (True: the gate has it)."""

    def __init__(self, app: App[int]) -> None:
        self.app = app
        self._waiting: deque[events.Event] = deque()
        self._released: dict[int, events.Event] = {}
        self._task: asyncio.Task[None] | None = None

    def holds(self, event: events.Event) -> bool:
        if not isinstance(event, GATED) or event.is_forwarded:
            return False
        if self._released.pop(id(event), None) is event:
            return False  # its turn: the app handles it now
        self._waiting.append(event)
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
        """Wait until the app and the screen in front have handled what they were sent, and
        again while the screen in front changes (a key opened or closed one)."""
        for _ in range(ROUNDS):
            try:
                screen = self.app.screen
            except Exception:  # no screen yet, or the app is closing
                return
            nodes: list[MessagePump] = [self.app, *screen.walk_children(with_self=True)]
            await _round(nodes)
            try:
                if self.app.screen is screen:
                    return
            except Exception:
                return


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
        if node.call_later(tick):
            left += 1
    if left <= 0:
        return
    try:
        await asyncio.wait_for(done.wait(), PATIENCE)
    except TimeoutError:
        pass

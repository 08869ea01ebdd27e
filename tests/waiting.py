"""Waiting in Pilot tests for what a chain of workers and messages brings about."""

from __future__ import annotations

import asyncio
import time


async def until(pilot, settle, condition, timeout: float = 20.0) -> None:
    """Settle the app until ``condition()`` holds (a busy machine can take a while)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the app never got there"
        await asyncio.sleep(0.05)
        await settle(pilot)

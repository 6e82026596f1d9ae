"""At most a few turns of one Rasa server process are worked on at the same time; the others wait
in line, first come, first served.

Rasa works on every message that arrives at once, interleaved at each await (the conversation
store, the lock store, the action server). On a busy server each turn then takes about as long as
all the turns in flight together, and turns with more work are slowed most: at 20 conversations at
once the slowest turns took over twice the median. `install()` wraps `MessageProcessor.handle_message`
in a semaphore of `RASA_TURNS_AT_ONCE` turns per process (default 2: one can run while another
waits for the action server or the database; 0 turns the line off, Rasa's own behaviour).

Measured 2026-12-07 with `bench/run.py --no-train --profiles default --levels 20 --min-turns 600`,
each against the stock bot in the same run: no line 68.2 turns/s, p50 242 ms, p95 568 ms; a line
of 2: 72.8 turns/s, p50 267 ms, p95 325 ms; a line of 1: 68.5 turns/s, p95 335 ms (no turn runs
while another waits for the action server).

Installed when the NLU components of this project are imported (`bot/component.py`), so wherever
the model is loaded. Each event loop (each Sanic worker) has its own line.
"""
from __future__ import annotations

import asyncio
import os
import weakref
from typing import Any

from rasa.core.processor import MessageProcessor

DEFAULT = 2
_handle_message = MessageProcessor.handle_message
_lines: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = weakref.WeakKeyDictionary()
# The width of the line, set by install() from RASA_TURNS_AT_ONCE.
_limit = DEFAULT


def turns_at_once() -> int:
    """`RASA_TURNS_AT_ONCE`, or DEFAULT; a value that is not a whole number from 0 up is refused."""
    value = os.environ.get("RASA_TURNS_AT_ONCE", "").strip()
    if not value:
        return DEFAULT
    if not value.isdigit():
        raise ValueError(f"RASA_TURNS_AT_ONCE must be a whole number from 0 up (0: no limit), not {value!r}")
    return int(value)


async def handle_message(self: MessageProcessor, message: Any) -> Any:
    if _limit == 0:
        return await _handle_message(self, message)
    loop = asyncio.get_running_loop()
    line = _lines.get(loop)
    if line is None:
        line = _lines[loop] = asyncio.Semaphore(_limit)
    async with line:
        return await _handle_message(self, message)


def install() -> None:
    """Reads the setting once, at start-up (a bad one stops the server there, not at its first
    message), and puts every later turn in line."""
    global _limit
    _limit = turns_at_once()
    _lines.clear()
    MessageProcessor.handle_message = handle_message  # type: ignore[assignment]


__all__ = ["DEFAULT", "install", "turns_at_once"]

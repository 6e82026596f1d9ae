"""A per-sender rate limit for the chat channels: a token bucket per conversation.

A person types a few messages a minute; a script can send hundreds a second and would keep the
one Rasa process busy for everybody else. Each sender may send `burst` messages at once, then one
more every 60 / `per_minute` seconds. Settings from the environment: RATE_LIMIT_PER_MINUTE
(default 30; 0 switches the limit off) and RATE_LIMIT_BURST (default 30). The limit is kept in
the memory of each Rasa process: with several processes behind a load balancer, a sender that is
spread over them gets that many times the limit.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Optional, Tuple

from actions import phrases
from bot.settings import whole_number
from bot.written_standard import message_standard

def too_many(text: object = None, metadata: object = None) -> str:
    """What a sender over the limit is told, in the standard of the message refused."""
    return phrases.text("service.too_many", message_standard(text, metadata))

# Senders remembered at most; the oldest are forgotten first (their buckets were full again anyway).
MAX_SENDERS = 100_000


class SenderRateLimit:
    def __init__(self, per_minute: Optional[int] = None, burst: Optional[int] = None) -> None:
        self.per_minute = whole_number("RATE_LIMIT_PER_MINUTE", per_minute, default=30)
        self.burst = whole_number("RATE_LIMIT_BURST", burst, default=30)
        self._buckets: "OrderedDict[str, Tuple[float, float]]" = OrderedDict()

    def allow(self, sender: str, now: Optional[float] = None) -> bool:
        """Takes one message from `sender`'s bucket: False when it is empty."""
        if not self.per_minute:
            return True
        now = time.monotonic() if now is None else now
        tokens, then = self._buckets.pop(sender, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.per_minute / 60.0)
        allowed = tokens >= 1.0
        self._buckets[sender] = (tokens - 1.0 if allowed else tokens, now)
        while len(self._buckets) > MAX_SENDERS:
            self._buckets.popitem(last=False)
        return allowed

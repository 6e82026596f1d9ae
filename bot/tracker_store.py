"""SQL tracker store that never writes personal data to the database and forgets old conversations.

The NLU input guard already hides identity numbers, phone numbers and e-mail addresses from the
models, but Rasa stores the raw text of every user message as well, and a form's text slot first
takes that raw text; this store redacts both before saving (bot/privacy.py).

Retention: with `retention_days` (in endpoints.yml) or the environment variable RETENTION_DAYS
set to N, every conversation whose latest event is older than N days is deleted, at start-up and
then at most once an hour while conversations are saved. Unset or 0 keeps everything.

Works with every SQL dialect Rasa supports (SQLite by default, PostgreSQL at scale).
"""
from __future__ import annotations

import time
from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy import redact
from bot.settings import whole_number

DAY = 24 * 3600
PRUNE_EVERY = 3600


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, retention_days: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retention_days = whole_number("RETENTION_DAYS", retention_days)
        self._last_prune = 0.0
        self.prune()

    def prune(self, now: Optional[float] = None) -> int:
        """Deletes the conversations whose latest event is older than the retention period;
        returns how many conversations were deleted."""
        now = time.time() if now is None else now
        self._last_prune = now
        if not self.retention_days:
            return 0
        cutoff = now - self.retention_days * DAY
        events = self.SQLEvent.__table__
        stale = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        with self.session_scope() as session:
            senders = [row[0] for row in session.execute(stale)]
            if senders:
                session.execute(events.delete().where(events.c.sender_id.in_(senders)))
                session.commit()
        return len(senders)

    async def save(self, tracker: DialogueStateTracker) -> None:
        for event in tracker.events:
            if isinstance(event, UserUttered) and event.text:
                event.text = redact(event.text)
                if isinstance(event.parse_data.get("text"), str):
                    event.parse_data["text"] = redact(event.parse_data["text"])
            elif isinstance(event, SlotSet) and isinstance(event.value, str):
                event.value = redact(event.value)
        await super().save(tracker)
        if self.retention_days and time.time() - self._last_prune > PRUNE_EVERY:
            self.prune()

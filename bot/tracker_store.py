"""SQL tracker store that never writes personal data to the database and forgets old conversations.

The NLU input guard already hides identity numbers, phone numbers and e-mail addresses from the
models, but Rasa stores the raw text of every user message as well, and a form's text slot first
takes that raw text; this store redacts both before saving (bot/privacy.py).

Retention: with `retention_days` (in endpoints.yml) or the environment variable RETENTION_DAYS
set to N, every conversation whose latest event is older than N days is deleted, at start-up and
then at most once an hour while conversations are saved. Unset or 0 keeps everything.

Works with every SQL dialect Rasa supports (SQLite by default, PostgreSQL at scale).

Reading and writing a turn costs less CPU than Rasa's own SQLTrackerStore, with the same tables,
rows and queries: Rasa builds its queries through the ORM anew for every read and every save (about
a millisecond each time), inserts events as ORM objects, and with SQLite opens the database file
again (and SQLite reads its schema again) for every read and every save. Here the statements are
built once and run through SQLAlchemy's core, the events are inserted in one statement, and a
SQLite database keeps its connection open between turns and writes ahead (journal_mode=WAL, with
trackers.db-wal and trackers.db-shm beside trackers.db): a commit syncs one file to disk instead of
a rollback journal and the database, about 0.3 instead of 1 ms on this machine, time in which the
server can do nothing else. Every commit is still on disk when it returns (synchronous=FULL).
What is read and written is unchanged: the events of the latest session (from the last
`session_started`), in the order they were stored; on saving, the events the database does not
hold yet, counted as Rasa counts them.
"""
from __future__ import annotations

import itertools
import json
import time
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.privacy import redact
from bot.settings import whole_number

DAY = 24 * 3600
PRUNE_EVERY = 3600


def _write_ahead(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, retention_days: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite" and isinstance(self.engine.pool, sa.pool.NullPool):
            self._keep_connection()
        self._prepare_statements()
        self.retention_days = whole_number("RETENTION_DAYS", retention_days)
        self._last_prune = 0.0
        self.prune()

    def _keep_connection(self) -> None:
        """SQLAlchemy 1.4 gives a SQLite file no connection pool: every session opened the file
        again. One connection is kept (more while sessions overlap, closed when returned), and the
        database writes ahead."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=-1,
            connect_args={"check_same_thread": False},
        )
        sa.event.listen(self.engine, "connect", _write_ahead)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    def _prepare_statements(self) -> None:
        """Rasa's queries (SQLTrackerStore._event_query), built once with the sender as parameter."""
        events = self.SQLEvent.__table__
        sender = sa.bindparam("sender_id")
        session_start = (
            sa.select(sa.func.max(events.c.timestamp).label("session_start"))
            .where(events.c.sender_id == sender, events.c.type_name == SessionStarted.type_name)
            .subquery()
        )
        latest_session = (
            sa.select(events.c.id, events.c.data)
            .select_from(events)
            .where(
                events.c.sender_id == sender,
                sa.or_(
                    events.c.timestamp >= session_start.c.session_start,
                    session_start.c.session_start.is_(None),
                ),
            )
        )
        self._latest_session_data = latest_session.order_by(events.c.id)
        self._latest_session_count = sa.select(sa.func.count()).select_from(latest_session.subquery())
        self._insert_events = events.insert()

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            rows = session.connection().execute(self._latest_session_data, {"sender_id": sender_id}).all()
        if not self.domain or not rows:
            return None
        return DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows], self.domain.slots)

    async def _save_events(self, tracker: DialogueStateTracker) -> None:
        """What SQLTrackerStore.save does: the events not stored yet, in one transaction."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            connection = session.connection()
            stored = connection.execute(self._latest_session_count, {"sender_id": tracker.sender_id}).scalar()
            rows: List[Dict[str, Any]] = []
            for event in itertools.islice(tracker.events, stored, len(tracker.events)):
                data = event.as_dict()
                rows.append(
                    {
                        "sender_id": tracker.sender_id,
                        "type_name": event.type_name,
                        "timestamp": data.get("timestamp"),
                        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        "action_name": data.get("name"),
                        "data": json.dumps(data),
                    }
                )
            if rows:
                connection.execute(self._insert_events, rows)
            session.commit()

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
        await self._save_events(tracker)
        if self.retention_days and time.time() - self._last_prune > PRUNE_EVERY:
            self.prune()

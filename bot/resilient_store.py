"""The redacting SQL tracker store, waiting out a database restart instead of losing a turn.

Rasa wraps every tracker store in a fail-safe one: when reading a conversation fails it starts
an empty one, and when saving fails it keeps the events in memory only. So a PostgreSQL
restart or fail-over of a few seconds would make a turn forget its conversation and lose its
events. This store retries a read or a save that failed on the connection until the database
answers again, for at most DB_RETRY_SECONDS (30 by default). A retried save writes no event
twice: Rasa counts the events already stored and writes only the rest, in one transaction.

Several workers or servers starting at once on a new PostgreSQL database would each create the
events table, and all but the first fail and log an error ("Could not create tables", which Rasa
then ignores). Here the table is created first while holding a PostgreSQL advisory lock, so one
process creates it and the others find it there.
"""
import asyncio
import logging
import os
import time

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, validate_port
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.tracker_store import RedactingSQLTrackerStore

logger = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS = 30.0
# The advisory lock taken while the tables are created (any number the deployment uses for
# nothing else): "IA-A" in ASCII.
CREATE_TABLES_LOCK = 0x49412D41


def _retry_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("DB_RETRY_SECONDS", DEFAULT_RETRY_SECONDS)))
    except ValueError:
        return DEFAULT_RETRY_SECONDS


def _connection_lost(error: Exception) -> bool:
    return isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def create_tables_once(dialect: str = "sqlite", host=None, port=None, db: str = "rasa.db", username=None,
                       password=None, login_db=None, query=None, **_) -> None:
    """Creates the conversation tables in a PostgreSQL database, one process at a time. Does
    nothing for other databases, when the database is to be created first (`login_db`), or when
    the database does not answer yet (Rasa's store then waits for it as before)."""
    if dialect != "postgresql" or login_db:
        return
    url = SQLTrackerStore.get_db_url(dialect, host, validate_port(port), db, username, password, login_db, query)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CREATE_TABLES_LOCK})
            SQLTrackerStore.Base.metadata.create_all(connection)
    except DBAPIError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        logger.warning(f"Could not create the conversation tables yet ({reason}).")
    finally:
        engine.dispose()


class ResilientSQLTrackerStore(RedactingSQLTrackerStore):
    def __init__(self, *args, **kwargs) -> None:
        if not args:
            create_tables_once(**kwargs)
        super().__init__(*args, **kwargs)
        self.retry_seconds = _retry_seconds()

    async def _retrying(self, what: str, operation, *args):
        deadline = time.monotonic() + self.retry_seconds
        pause = 0.25
        while True:
            try:
                return await operation(*args)
            except Exception as error:
                if not _connection_lost(error) or time.monotonic() + pause > deadline:
                    raise
                reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
                logger.warning(f"The database did not answer while {what} ({reason}); trying again.")
                await asyncio.sleep(pause)
                pause = min(pause * 2, 2.0)

    async def _retrieve(self, sender_id, fetch_events_from_all_sessions):
        return await self._retrying(
            "reading a conversation", super()._retrieve, sender_id, fetch_events_from_all_sessions
        )

    async def save(self, tracker) -> None:
        await self._retrying("saving a conversation", super().save, tracker)

"""The conversation store: personal data redacted before saving, old conversations deleted."""
import asyncio
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import DAY, RedactingSQLTrackerStore


def store(tmp_path, **kwargs):
    return RedactingSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"), **kwargs)


def conversation(sender, text, at):
    tracker = DialogueStateTracker(sender, slots=[])
    for event in [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered(text, {"name": "greet", "confidence": 1.0}, timestamp=at, parse_data={"text": text}),
        SlotSet("note", text, timestamp=at),
    ]:
        tracker.update(event)
    return tracker


def stored(s, sender):
    tracker = asyncio.run(s.retrieve(sender))
    return [] if tracker is None else list(tracker.events)


def test_personal_data_is_redacted_before_it_is_saved(tmp_path):
    s = store(tmp_path)
    said = "fnr 01019010046, ring 91234567 eller skriv til ola@eksempel.no"
    asyncio.run(s.save(conversation("a", said, time.time())))
    with s.engine.connect() as db:
        rows = " ".join(row[0] for row in db.execute("select data from events"))
    for secret in ["01019010046", "91234567", "ola@eksempel.no"]:
        assert secret not in rows
    assert "[personnummer fjernet]" in rows and "[telefonnummer fjernet]" in rows and "[e-post fjernet]" in rows


def test_conversations_older_than_the_retention_period_are_deleted(tmp_path):
    now = time.time()
    s = store(tmp_path, retention_days=30)
    asyncio.run(s.save(conversation("old", "Hva er IA?", now - 31 * DAY)))
    asyncio.run(s.save(conversation("recent", "Hva er IA?", now - 29 * DAY)))
    old_then_recent = conversation("old-then-recent", "Hva er IA?", now - 40 * DAY)
    old_then_recent.update(UserUttered("og verneombud?", timestamp=now - DAY))
    asyncio.run(s.save(old_then_recent))
    assert s.prune(now) == 1
    assert stored(s, "old") == []
    assert len(stored(s, "recent")) == 3
    assert len(stored(s, "old-then-recent")) == 4  # its latest event is recent: kept whole


def test_without_a_retention_period_nothing_is_deleted(tmp_path, monkeypatch):
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    s = store(tmp_path)
    asyncio.run(s.save(conversation("old", "Hva er IA?", time.time() - 3650 * DAY)))
    assert s.prune() == 0 and len(stored(s, "old")) == 3


def test_the_retention_period_comes_from_the_environment_at_start(tmp_path, monkeypatch):
    s = store(tmp_path)
    asyncio.run(s.save(conversation("old", "Hva er IA?", time.time() - 10 * DAY)))
    monkeypatch.setenv("RETENTION_DAYS", "7")
    store(tmp_path)  # a server starting with RETENTION_DAYS=7 prunes the same database
    assert stored(s, "old") == []


@pytest.mark.parametrize("value", ["sju", "-1", "1.5"])
def test_a_wrong_retention_setting_stops_the_start_with_a_clear_error(tmp_path, value):
    with pytest.raises(ValueError, match="RETENTION_DAYS"):
        store(tmp_path, retention_days=value)


def two_sessions(sender, at):
    """A conversation in two sessions, with a user message, a bot message and a slot in each."""
    from rasa.shared.core.events import BotUttered, SessionStarted

    tracker = DialogueStateTracker(sender, slots=[])
    for offset, text in [(0, "Hva er IA?"), (100, "og verneombud?")]:
        for event in [
            ActionExecuted("action_session_start", timestamp=at + offset),
            SessionStarted(timestamp=at + offset + 1),
            ActionExecuted("action_listen", timestamp=at + offset + 2),
            UserUttered(text, {"name": "ask_ia", "confidence": 0.9}, timestamp=at + offset + 3,
                        parse_data={"text": text, "intent": {"name": "ask_ia", "confidence": 0.9}}),
            SlotSet("note", text, timestamp=at + offset + 4),
            ActionExecuted("utter_ia", timestamp=at + offset + 5),
            BotUttered("IA er ...", {"buttons": None}, timestamp=at + offset + 6),
        ]:
            tracker.update(event)
    return tracker


def rows(s):
    with s.engine.connect() as db:
        return [tuple(row) for row in db.execute(
            "select id, sender_id, type_name, timestamp, intent_name, action_name, data from events order by id")]


def test_what_is_stored_and_read_is_what_rasas_own_store_stores_and_reads(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore

    ours = store(tmp_path)
    rasas = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "rasa.db"))
    whole = two_sessions("a", time.time() - 1000)
    other = conversation("b", "Hei", time.time())
    for s in (ours, rasas):
        # Saved as a server saves it: after the first session, then with the second one.
        first = DialogueStateTracker.from_events("a", list(whole.events)[:7], slots=[])
        asyncio.run(s.save(first))
        asyncio.run(s.save(whole))
        asyncio.run(s.save(whole))  # nothing new: nothing written twice
        asyncio.run(s.save(other))
    assert rows(ours) == rows(rasas)
    for sender in ("a", "b", "nobody"):
        for reader in (ours, rasas):
            mine, theirs = asyncio.run(reader.retrieve(sender)), asyncio.run(rasas.retrieve(sender))
            assert (mine and mine.current_state()) == (theirs and theirs.current_state())
        assert [e.as_dict() for e in stored(ours, sender)] == [e.as_dict() for e in stored(rasas, sender)]
    # The latest session only, as Rasa reads it; every session on request.
    latest = stored(ours, "a")
    assert latest[0].type_name == "session_started" and latest[0].timestamp == whole.events[8].timestamp
    assert len(asyncio.run(ours.retrieve_full_tracker("a")).events) > len(latest)


def test_a_sqlite_store_keeps_its_connection(tmp_path):
    s = store(tmp_path)
    with s.engine.connect() as first:
        connection = first.connection.dbapi_connection
    with s.engine.connect() as second:
        assert second.connection.dbapi_connection is connection


def test_a_sqlite_store_writes_ahead_and_syncs_every_commit(tmp_path):
    s = store(tmp_path)
    with s.engine.connect() as db:
        assert db.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert db.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL

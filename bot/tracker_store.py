"""SQL tracker store that never writes a national identity number to the database.

The NLU input guard already hides such numbers from the models, but Rasa stores the raw
text of every user message as well, and a form's text slot first takes that raw text; this
store redacts both before saving. Works with every SQL dialect Rasa supports (SQLite by
default, PostgreSQL at scale).
"""
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy import redact


class RedactingSQLTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        for event in tracker.events:
            if isinstance(event, UserUttered) and event.text:
                event.text = redact(event.text)
                if isinstance(event.parse_data.get("text"), str):
                    event.parse_data["text"] = redact(event.parse_data["text"])
            elif isinstance(event, SlotSet) and isinstance(event.value, str):
                event.value = redact(event.value)
        await super().save(tracker)

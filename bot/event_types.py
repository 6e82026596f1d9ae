"""Rasa finds an event's class by its type name once per type, not once per event.

Reading a conversation turns every stored event into an event object: `Event.from_parameters`
calls `Event.resolve_by_type`, which walks every subclass of `Event` (about thirty, checking each
for abstract methods) to find the one with that type name. Profiled on this project's turns that
was about a millisecond of CPU per turn, more than half of rebuilding the tracker.
`install()` keeps the class found for each type name, so the walk is made once per name; names
that are not found, and the answers for them (a default, None for "topic", an error), go
through Rasa's own method every time, as before. Every event class is defined when
rasa.shared.core.events is imported; this project defines none.

Installed when the NLU components of this project are imported (`bot/component.py`).
"""
from __future__ import annotations

from typing import Dict, Optional, Text, Type

from rasa.shared.core.events import Event

_rasa_resolve_by_type = Event.__dict__["resolve_by_type"].__func__
_found: Dict[Text, Type[Event]] = {}


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """What `Event.resolve_by_type` returns, the class for a type name looked up once."""
    found = _found.get(type_name)
    if found is not None:
        return found
    resolved = _rasa_resolve_by_type(type_name, default)
    if resolved is not None and getattr(resolved, "type_name", None) == type_name:
        _found[type_name] = resolved
    return resolved


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]


__all__ = ["install", "resolve_by_type"]

"""Event classes are looked up once per type name (bot/event_types.py), with Rasa's answers."""
import pytest
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

import bot.component  # noqa: F401  (installs it, as loading the model does)
from bot import event_types


def test_loading_the_components_installs_it():
    assert Event.resolve_by_type is event_types.resolve_by_type


def test_every_type_name_gives_the_class_rasa_gives():
    for _ in range(2):  # looked up, then remembered
        for cls in all_subclasses(Event):
            assert Event.resolve_by_type(cls.type_name) is event_types._rasa_resolve_by_type(cls.type_name)
    assert Event.resolve_by_type("user") is UserUttered and Event.resolve_by_type("slot") is SlotSet


def test_unknown_names_are_answered_as_rasa_answers_them():
    for _ in range(2):
        assert Event.resolve_by_type("topic") is None
        assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
        with pytest.raises(ValueError, match="Unknown event name"):
            Event.resolve_by_type("no_such_event")


def test_events_read_back_as_they_were():
    events = [{"event": "user", "text": "hei", "parse_data": {"intent": {"name": "greet"}}},
              {"event": "slot", "name": "x", "value": 1}, {"event": "action", "name": "action_listen"}]
    for _ in range(2):
        read = [Event.from_parameters(e) for e in events]
        assert [e.type_name for e in read] == ["user", "slot", "action"]
        assert read[0].text == "hei" and read[0].intent_name == "greet" and read[1].value == 1

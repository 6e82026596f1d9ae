"""The action server's replies are validated as strictly as Rasa does, with a validator built once."""
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, EntitiesAdded, FollowupAction, Restarted,
                                     SessionStarted, SlotSet, UserUttered)

import bot.component  # noqa: F401  (installs the validator, as loading the model does)
from bot import action_validation

VALID = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "Hei"}]},
    {"events": [{"event": "action", "name": "action_listen"}], "responses": [{"text": "a", "buttons": []}]},
]
INVALID = [
    [],
    "text",
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot"}]},
    {"responses": ["not an object"]},
]


def test_loading_the_components_installs_it():
    assert RemoteAction._validate_action_result is action_validation.validate_action_result


@pytest.mark.parametrize("result", VALID)
def test_a_valid_reply_passes_as_with_rasas_own_check(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())
    assert RemoteAction._validate_action_result(None, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_a_malformed_reply_is_refused_as_with_rasas_own_check(result):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        RemoteAction._validate_action_result(None, result)


def test_the_validator_is_built_once():
    assert action_validation._validator() is action_validation._validator()


EVENT_NAMES = ["user", "action", "slot", "entities", "bot", "active_loop", "session_started", "followup",
               "restart", "user_featurization", "no_such_event", 3, None]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5),
                   st.lists(st.integers(), max_size=2), st.dictionaries(st.sampled_from(["name", "x"]), st.text(max_size=3)))
EVENTS = st.fixed_dictionaries(
    {"event": st.sampled_from(EVENT_NAMES)},
    optional={key: VALUES for key in ["name", "value", "timestamp", "metadata", "text", "parse_data", "entities",
                                     "policy", "confidence", "hide_rule_turn"]},
)
# Events as Rasa writes them, each kept or with one of its values replaced by any value.
REAL_EVENTS = [e.as_dict() for e in [
    UserUttered("hei", {"name": "greet", "confidence": 0.9}, [{"entity": "county", "value": "oslo", "start": 0, "end": 4}]),
    ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0), SlotSet("county", "oslo"),
    BotUttered("Hei!", {"buttons": [{"title": "a", "payload": "/a"}]}), ActiveLoop("contact_form"), ActiveLoop(None),
    SessionStarted(), FollowupAction("action_listen"), EntitiesAdded([{"entity": "x", "value": 1}]), Restarted(),
]]


def _changed(event):
    return st.one_of(st.just(event), st.sampled_from(sorted(event)).flatmap(lambda key: VALUES.map(lambda v: {**event, key: v})))


REPLIES = st.one_of(
    st.fixed_dictionaries({}, optional={"events": st.one_of(
        st.lists(st.one_of(EVENTS, st.sampled_from(REAL_EVENTS).flatmap(_changed)), max_size=4),
        st.lists(st.sampled_from(REAL_EVENTS).flatmap(_changed), min_size=1, max_size=4),
        st.lists(st.sampled_from(REAL_EVENTS), min_size=1, max_size=4),
    ),
                                        "responses": st.one_of(st.lists(st.just({"text": "a"}), max_size=2),
                                                                 st.lists(VALUES, max_size=2))}),
    VALUES,
)


@settings(max_examples=400, deadline=None)
@given(REPLIES)
def test_checking_event_by_event_name_agrees_with_the_full_schema(result):
    assert action_validation._valid_by_event_name(result) == action_validation._validator().is_valid(result)


@pytest.mark.parametrize("result", VALID)
def test_a_valid_reply_needs_no_full_check(result):
    assert action_validation._valid_by_event_name(result)

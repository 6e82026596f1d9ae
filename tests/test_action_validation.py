"""The action server's replies are validated as strictly as Rasa does, with a validator built once."""
import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

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

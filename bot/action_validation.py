"""The action server's reply is validated against a schema built and checked once, not per turn.

Rasa 3.6 checks every reply of the action server with `jsonschema.validate(result, schema)`
(`RemoteAction._validate_action_result`). That call first re-checks the schema itself against the
JSON Schema meta-schema and builds a new validator, every turn: profiled under load, about a quarter
of the Rasa server's time went there. `install()` replaces the method with one that keeps a single
validator for Rasa's (constant) response schema, checked once when it is built. The validation
itself is unchanged: a malformed reply is refused with the same `ValidationError` and message.

Most of what remained went into the events' `oneOf`: each event is checked against all 23 event
schemas, and every one it does not match builds an error (5 % of the server's time under load,
py-spy, 2026-12-07). Each of those schemas fixes the event's type name (`"event": {"const": ...}`),
so an event can match only the one of its own name. A reply is therefore first checked event by
event against the common part and the schema of the event's name alone; a reply that passes is
valid under the full schema too. One that does not is checked again with the full schema, which
refuses it with Rasa's own error. Should a future schema not fix one distinct name per event
schema, the full check alone is used.

Installed when the NLU components of this project are imported (`bot/component.py`), so it is in
force wherever the model is loaded: `rasa run`, `rasa shell`, the tests.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Optional, Tuple

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def _validator():
    return _build(RemoteAction.action_response_format_spec())


def _build(schema: Dict[str, Any]) -> Any:
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@functools.lru_cache(maxsize=1)
def _by_event_name() -> Optional[Tuple[Any, Any, Dict[str, Any]]]:
    """Validators for the reply without its events, for the part every event shares and for each
    event name's own schema; None if the events' schemas do not each fix a distinct name."""
    schema = RemoteAction.action_response_format_spec()
    try:
        events = schema["properties"]["events"]
        event = events["items"]
        names = [branch["properties"]["event"]["const"] for branch in event["oneOf"]]
    except (KeyError, TypeError):
        return None
    if set(events) != {"type", "items"} or len(set(names)) != len(names):
        return None
    reply = _build({**schema, "properties": {**schema["properties"], "events": {"type": events["type"]}}})
    common = _build({key: value for key, value in event.items() if key != "oneOf"})
    own = {name: _build(branch) for name, branch in zip(names, event["oneOf"])}
    return reply, common, own


def _valid_by_event_name(result: Any) -> bool:
    """True only if `result` is valid under the full schema (see the module docstring)."""
    parts = _by_event_name()
    if parts is None:
        return False
    reply, common, own = parts
    if not reply.is_valid(result):
        return False
    for event in result.get("events", ()):
        if not common.is_valid(event):
            return False
        name = event.get("event")
        if not isinstance(name, str) or name not in own or not own[name].is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """What `RemoteAction._validate_action_result` does, with validators built once."""
    if _valid_by_event_name(result):
        return True
    error = exceptions.best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[assignment]


__all__ = ["install", "validate_action_result", "ValidationError"]

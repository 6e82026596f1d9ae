"""The action server's reply is validated against a schema built and checked once, not per turn.

Rasa 3.6 checks every reply of the action server with `jsonschema.validate(result, schema)`
(`RemoteAction._validate_action_result`). That call first re-checks the schema itself against the
JSON Schema meta-schema and builds a new validator, every turn: profiled under load, about a quarter
of the Rasa server's time went there. `install()` replaces the method with one that keeps a single
validator for Rasa's (constant) response schema, checked once when it is built. The validation
itself is unchanged: a malformed reply is refused with the same `ValidationError` and message.

Installed when the NLU components of this project are imported (`bot/component.py`), so it is in
force wherever the model is loaded: `rasa run`, `rasa shell`, the tests.
"""
from __future__ import annotations

import functools
from typing import Any, Dict

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def _validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """What `RemoteAction._validate_action_result` does, with the validator built once."""
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

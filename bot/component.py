"""Base for the NLU components here that are built from their config alone."""
from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

from bot import action_validation, endpoint_sessions, event_types, graph_runner, turn_limit

# Every process that loads this project's model checks the action server's replies with a
# validator built once (bot/action_validation.py), calls the action
# server over kept-alive connections (bot/endpoint_sessions.py), looks up each event class
# once per type name when it reads a conversation (bot/event_types.py), runs the model's graph in
# an order worked out once (bot/graph_runner.py) and works on at most a few turns at once, the
# others waiting in line (bot/turn_limit.py).
action_validation.install()
endpoint_sessions.install()
event_types.install()
graph_runner.install()
turn_limit.install()


class ConfigComponent(GraphComponent):
    """A component that trains nothing and stores nothing: its config is all it needs."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ConfigComponent":
        return cls(config)

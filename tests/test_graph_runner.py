"""The model's graph runs in an order worked out once (bot/graph_runner.py), with dask's results."""
import pytest
from rasa.core.agent import Agent
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.core.channels.channel import UserMessage

import bot.component  # noqa: F401  (installs it, as loading the model does)
from bot import graph_runner
from tests.conftest import MODEL

MESSAGE, TRACKER = "__message__", "__tracker__"
QUESTIONS = ["Hva gjør verneombudet i IA-arbeidet?", "hei", "kva er ein lokal IA-avtale", "", "<b>x</b>" * 3,
             "Who do I contact in Bergen?", "vi er en barnehage med 30 ansatte og mye sykefravær"]


@pytest.fixture(scope="module")
def agent():
    return Agent.load(str(MODEL))


def tracker(agent, text: str, intent: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("test", [
        ActionExecuted("action_session_start"), ActionExecuted("action_listen"),
        UserUttered(text, {"name": intent, "confidence": 0.9}), SlotSet("written_standard", "nb"),
    ], slots=agent.domain.slots)


def test_loading_the_components_installs_it():
    assert DaskGraphRunner.run is graph_runner.run


def test_the_nlu_gives_what_dask_gives(agent):
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.nlu_target
    for text in QUESTIONS:
        ours = graph_runner.run(runner, {MESSAGE: [UserMessage(text, message_id="m")], TRACKER: None}, [target])
        theirs = graph_runner.dask_run(runner, {MESSAGE: [UserMessage(text, message_id="m")], TRACKER: None}, [target])
        assert list(ours) == [target]
        assert [m.as_dict(only_output_properties=True) for m in ours[target]] == [
            m.as_dict(only_output_properties=True) for m in theirs[target]]
        assert ours[target][0].get("intent")["name"]


def test_the_policies_predict_what_dask_predicts(agent):
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.core_target
    for text, intent in [("hei", "greet"), ("hva gjør verneombudet", "ask_role"), ("hmm", "nlu_fallback")]:
        ours = graph_runner.run(runner, {TRACKER: tracker(agent, text, intent)}, [target])[target]
        theirs = graph_runner.dask_run(runner, {TRACKER: tracker(agent, text, intent)}, [target])[target]
        assert (ours.policy_name, ours.probabilities) == (theirs.policy_name, theirs.probabilities)
        assert max(ours.probabilities) > 0


def test_the_plan_puts_every_node_after_the_nodes_it_needs(agent):
    runner = agent.processor.graph_runner
    steps = graph_runner.plan(runner, tuple(runner._graph_schema.nodes))
    names = [name for name, _, _ in steps]
    assert len(names) == len(set(names)) == len(runner._graph_schema.nodes)
    for position, (_, _, needs) in enumerate(steps):
        assert all(need not in names or names.index(need) < position for need in needs)


def test_an_input_named_like_a_node_is_refused_as_dask_refuses_it(agent):
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.nlu_target
    for run in (graph_runner.run, graph_runner.dask_run):
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            run(runner, {MESSAGE: target}, [target])

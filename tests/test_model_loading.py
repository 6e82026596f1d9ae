"""DIET loaded for prediction only (bot/model_loading.py) predicts exactly what Rasa's own loading
gives, with the same weights, and without the optimizer's state."""
import asyncio

import numpy as np
import pytest
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.utils.tensorflow.models import RasaModel

import bot.component  # noqa: F401  (installs the loading, as loading the model does)
from bot import model_loading
from tests.conftest import MODEL
from tests.test_nlu_heldout import examples, ROOT


def diet_of(agent) -> DIETClassifier:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    return next(node._component for node in nodes if isinstance(node._component, DIETClassifier))


@pytest.fixture(scope="module")
def agents():
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it)")
    from rasa.core.agent import Agent

    ours = Agent.load(str(MODEL))
    patched = RasaModel.__dict__["load"]
    RasaModel.load = classmethod(model_loading._rasa_load)
    try:
        rasas = Agent.load(str(MODEL))
    finally:
        RasaModel.load = patched
    return ours, rasas


def test_loading_the_components_installs_it():
    assert RasaModel.load.__func__ is model_loading.load_for_prediction


def test_the_weights_are_rasas(agents):
    ours, rasas = (diet_of(agent).model for agent in agents)
    assert [v.name for v in ours.weights] == [v.name for v in rasas.weights]
    for mine, theirs in zip(ours.weights, rasas.weights):
        assert np.array_equal(mine.numpy(), theirs.numpy()), mine.name


def test_no_training_state_is_built(agents):
    ours, rasas = (diet_of(agent).model for agent in agents)
    # Rasa's loading trains one step: Adam keeps two slots per weight (and a step counter).
    assert len(rasas.optimizer.variables()) > 2 * len(rasas.trainable_weights)
    assert len(ours.optimizer.variables()) <= 1


def test_the_predictions_are_rasas(agents):
    texts = [text for text, _ in examples(ROOT / "tests" / "nlu")]
    texts += ["", "hei", "Hva gjør verneombudet i IA-arbeidet?", "kontaktinfo ia råd harstad", "fem prosent"]

    async def parse_all(agent):
        return [await agent.parse_message(text) for text in texts]

    ours, rasas = (asyncio.run(parse_all(agent)) for agent in agents)
    for mine, theirs in zip(ours, rasas):
        assert mine == theirs

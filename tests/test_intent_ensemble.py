"""The intent ensemble (bot/intent_ensemble.py): trained, stored and loaded through Rasa's own model
storage, and its mean of DIET's ranking and its own. How much it helps the whole NLU is measured
by tests/test_nlu_heldout.py on the trained model."""
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.intent_ensemble import IntentEnsemble, stems

EXAMPLES = {
    "ask_role": ["Hva gjør verneombudet?", "Hva er tillitsvalgtes rolle?", "hva gjør AMU",
                 "Kva gjer verneombodet?", "rollen til lederen i IA-arbeidet"],
    "ask_sick_pay": ["Hvor lenge får man sykepenger?", "Hvem betaler sykepengene?",
                     "sykepenger fra NAV", "Kor mykje får ein i sjukepengar?", "how much is sick pay"],
    "greet": ["hei", "hallo", "god morgen", "heisann", "hello"],
}


def message(text, ranking):
    m = Message(data={TEXT: text})
    m.set(INTENT_RANKING_KEY, ranking)
    m.set(INTENT, ranking[0])
    return m


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """An ensemble trained on EXAMPLES, written to a model storage, and that storage."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("ensemble")
    context = ExecutionContext(GraphSchema({}), "test")
    trained = IntentEnsemble.create(IntentEnsemble.get_default_config(), storage, resource, context)
    data = TrainingData([Message(data={TEXT: t, INTENT: i}) for i, texts in EXAMPLES.items() for t in texts])
    trained.train(data)
    return storage, resource, context


@pytest.fixture(scope="module")
def ensemble(stored):
    storage, resource, context = stored
    return IntentEnsemble.load(IntentEnsemble.get_default_config(), storage, resource, context)


def test_stems_bring_inflected_forms_together():
    assert stems("Verneombudet og verneombud!") == "verneombud og verneombud"


def test_the_loaded_model_tells_the_intents_of_new_sentences_apart(ensemble):
    own = ensemble.probabilities("hvem betaler sykepenger de første dagene")
    assert set(own) == set(EXAMPLES)
    assert sum(own.values()) == pytest.approx(1.0)
    assert max(own, key=own.get) == "ask_sick_pay"
    own = ensemble.probabilities("hva gjør egentlig verneombudet")
    assert max(own, key=own.get) == "ask_role"


def test_the_ranking_is_the_weighted_mean_best_first(ensemble):
    diet = [{"name": "ask_role", "confidence": 0.6}, {"name": "greet", "confidence": 0.4}]
    own = {"ask_role": 0.1, "ask_sick_pay": 0.8, "greet": 0.1}
    assert ensemble.combine(diet, own) == [
        {"name": "ask_sick_pay", "confidence": pytest.approx(0.4)},
        {"name": "ask_role", "confidence": pytest.approx(0.35)},
        {"name": "greet", "confidence": pytest.approx(0.25)},
    ]
    weighted = IntentEnsemble({"diet_weight": 1.0, "ranking_length": 1}, None, None)
    assert weighted.combine(diet, own) == [{"name": "ask_role", "confidence": pytest.approx(0.6)}]


def test_where_the_models_disagree_the_top_confidence_drops(ensemble):
    """DIET sure of the wrong intent, the regression of the right one: the mean is less sure
    than DIET was, so the fallback threshold can catch it."""
    [m] = ensemble.process([message("hvem betaler sykepengene", [
        {"name": "greet", "confidence": 0.7}, {"name": "ask_role", "confidence": 0.3}])])
    assert m.get(INTENT)["confidence"] < 0.7
    assert m.get(INTENT) == m.get(INTENT_RANKING_KEY)[0]
    assert "ask_sick_pay" in [r["name"] for r in m.get(INTENT_RANKING_KEY)]


def test_messages_without_text_or_ranking_are_left_alone(ensemble):
    empty = Message(data={TEXT: ""})
    unranked = Message(data={TEXT: "hei"})
    ensemble.process([empty, unranked])
    assert empty.get(INTENT) is None and unranked.get(INTENT_RANKING_KEY) is None


@pytest.mark.parametrize("text", [
    "hvem betaler sykepengene", "Kva gjer verneombodet?", "hei hei hei", "xqzv", "",
    "Hva gjør AMU og hvor lenge får man sykepenger?",
])
def test_probabilities_are_what_scikit_learn_predicts(ensemble, text):
    """The direct computation gives scikit-learn's transform and predict_proba, also for text
    with no known feature (the intercepts alone) and repeated words (1 + log of the count)."""
    expected = ensemble.classifier.predict_proba(ensemble._features([text]))[0]
    own = ensemble.probabilities(text)
    assert list(own) == list(ensemble.classifier.classes_)
    assert list(own.values()) == pytest.approx(expected.tolist(), abs=1e-12)

"""The intent classifier (bot/intent_ensemble.py): trained, stored and loaded through Rasa's own
model storage, and its mean of two models' probabilities. How well it understands is measured by
tests/test_nlu_heldout.py and tests/test_real_questions.py on the trained model."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
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


def test_an_english_question_is_read_with_the_norwegian_words_of_its_terms(ensemble):
    """No English sentence in EXAMPLES names a role; bot/english_terms.py gives the question
    "verneombud", which the Norwegian sentences taught the model."""
    own = ensemble.probabilities("What is the job of the safety representative?")
    assert max(own, key=own.get) == "ask_role"


def test_the_probabilities_are_the_mean_of_the_two_models(ensemble):
    regression, network = ensemble.model_probabilities("hvem betaler sykepengene")
    mean = ensemble.probabilities("hvem betaler sykepengene")
    assert list(mean.values()) == pytest.approx(((regression + network) / 2).tolist())
    assert sum(regression) == pytest.approx(1.0) and sum(network) == pytest.approx(1.0)


def test_process_sets_the_intent_and_a_ranking_best_first(ensemble):
    [m] = ensemble.process([Message(data={TEXT: "hva gjør verneombudet egentlig"})])
    ranking = m.get(INTENT_RANKING_KEY)
    assert m.get(INTENT) == ranking[0]
    assert ranking[0]["name"] == "ask_role"
    confidences = [r["confidence"] for r in ranking]
    assert confidences == sorted(confidences, reverse=True)
    short = IntentEnsemble({**IntentEnsemble.get_default_config(), "ranking_length": 2}, None, None,
                           ensemble.vectorizers, ensemble.regression, ensemble.network)
    assert [r["name"] for r in short.ranking("hva gjør verneombudet egentlig")] == [r["name"] for r in ranking[:2]]


def test_a_message_without_text_still_gets_an_intent_for_the_guard_to_override(ensemble):
    """Empty input is the input guard's (InputVerdict, last in the pipeline); the classifier
    gives it the models' prior rather than no intent at all."""
    [m] = ensemble.process([Message(data={TEXT: ""})])
    assert m.get(INTENT)["name"] in EXAMPLES


@pytest.mark.parametrize("text", [
    "hvem betaler sykepengene", "Kva gjer verneombodet?", "hei hei hei", "xqzv", "",
    "Hva gjør AMU og hvor lenge får man sykepenger?",
])
def test_probabilities_are_what_scikit_learn_predicts(ensemble, text):
    """The direct computation gives scikit-learn's transform and predict_proba, also for text
    with no known feature (the intercepts alone) and repeated words (1 + log of the count)."""
    features = ensemble._features([text])
    regression, network = ensemble.model_probabilities(text)
    assert list(ensemble.probabilities(text)) == list(ensemble.regression.classes_)
    assert regression.tolist() == pytest.approx(ensemble.regression.predict_proba(features)[0].tolist(), abs=1e-12)
    # The network's weights are single precision.
    assert network.tolist() == pytest.approx(ensemble.network.predict_proba(features)[0].tolist(), abs=1e-6)



def test_a_loaded_model_computes_with_one_blas_thread(stored):
    """Loading the model limits BLAS to one thread (its second thread spun between the small
    products of each message, taking a core under load). A fresh process, so that no other test's
    loading has set the limit before."""
    storage, resource, _ = stored
    script = textwrap.dedent(f"""
        import json, pathlib, threadpoolctl
        from rasa.engine.graph import ExecutionContext, GraphSchema
        from rasa.engine.storage.local_model_storage import LocalModelStorage
        from rasa.engine.storage.resource import Resource
        from bot.intent_ensemble import IntentEnsemble
        def blas():
            return [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
        before = blas()
        IntentEnsemble.load(IntentEnsemble.get_default_config(), LocalModelStorage(pathlib.Path({str(storage._storage_path)!r})),
                            Resource({resource.name!r}), ExecutionContext(GraphSchema({{}}), "test"))
        print(json.dumps([before, blas()]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    before, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert before and len(after) == len(before)
    if not {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"} & set(os.environ):
        assert max(before) == os.cpu_count()  # OpenBLAS starts with a thread per core
    assert set(after) == {1}


def test_an_unsure_message_of_several_sentences_is_read_again_from_its_questions(stored):
    storage, resource, context = stored

    def loaded(**config):
        return IntentEnsemble.load({**IntentEnsemble.get_default_config(), **config}, storage, resource, context)

    always = loaded(unsure_below=1.01, question_alone=0.0)
    question = "Hvem betaler sykepengene?"
    assert always.read(f"Hei og god morgen til dere. {question}") == always.ranking(question)
    # Two intents too close to tell apart are unsure too.
    close = loaded(unsure_below=0.0, unsure_within=1.01, question_alone=0.0)
    assert close.read(f"Hei og god morgen til dere. {question}") == close.ranking(question)
    # Only a knowledge question counts: a greeting read alone is not one.
    text = "Hvem betaler sykepengene. Hei hallo?"
    assert always.ranking("Hei hallo?")[0][INTENT_NAME_KEY] == "greet"
    assert always.read(text) == always.ranking(text)
    # One sentence, or only questions: read as it is.
    assert always.read(question) == always.ranking(question)
    # Not unsure, or the questions alone not sure enough: read as it is.
    text = f"Hei og god morgen til dere. {question}"
    assert loaded(unsure_below=0.0).read(text) == loaded().ranking(text)
    assert loaded(unsure_below=1.01, question_alone=1.01).read(text) == loaded().ranking(text)


def test_it_is_unsure_exactly_where_the_fallback_classifier_is():
    """config.yml holds the fallback's thresholds twice: the ensemble's re-reading and the
    FallbackClassifier must agree, or one would ask back where the other reads again."""
    import yaml

    from tests.conftest import ROOT

    pipeline = {c["name"]: c for c in yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]}
    ensemble, fallback = pipeline["bot.intent_ensemble.IntentEnsemble"], pipeline["FallbackClassifier"]
    assert ensemble["unsure_below"] == fallback["threshold"]
    assert ensemble["unsure_within"] == fallback["ambiguity_threshold"]

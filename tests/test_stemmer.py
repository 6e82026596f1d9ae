"""Norwegian stems as the word featurizer's lemmas (bot/stemmer.py)."""
import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.stemmer import NorwegianStemmer, stem
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "forms",
    [
        ["verneombud", "verneombudet", "verneombuda"],
        ["sykmelding", "sykmeldingen", "sykmeldinga", "sykmeldinger"],
        ["arbeidsgiveren", "arbeidsgivere", "Arbeidsgiverens"],
        ["oppfølgingsplan", "oppfølgingsplanen", "oppfølgingsplaner"],
        ["sykepenger", "sykepengene", "sykepengar"],
        ["dialogmøte", "dialogmøtet", "dialogmøter", "dialogmøtene"],
    ],
)
def test_inflected_forms_share_a_stem(forms):
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}


def test_different_words_keep_different_stems():
    assert len({stem(w) for w in ["verneombud", "tillitsvalgt", "arbeidsgiver", "sykepenger"]}) == 4


def tokenized(texts):
    spacy_path = str(ROOT / "build" / "spacy-nb")
    nlp = SpacyNLP(SpacyNLP.load_model(spacy_path), {**SpacyNLP.get_default_config(), "model": spacy_path})
    messages = [Message(data={TEXT: t}) for t in texts]
    nlp.process(messages, nlp.provide())
    SpacyTokenizer(SpacyTokenizer.get_default_config()).process(messages)
    return messages


def test_the_component_sets_each_tokens_lemma_to_its_stem_and_keeps_the_text():
    [message] = NorwegianStemmer({}).process(tokenized(["Hva gjør Verneombudet?"]))
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.text.lower() for t in tokens] == ["hva", "gjør", "verneombudet", "?"]
    assert [t.lemma for t in tokens] == [stem(t.text) for t in tokens]
    assert tokens[2].lemma == "verneombud"


def test_training_examples_get_stems_too():
    data = NorwegianStemmer({}).process_training_data(TrainingData(tokenized(["sykmeldingene"])))
    assert [t.lemma for t in data.training_examples[0].get(TOKENS_NAMES[TEXT])] == [stem("sykmelding")]

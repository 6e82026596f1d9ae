"""Norwegian stems for the NLU's word features.

No pretrained Norwegian spaCy model can be installed here, so the blank pipeline's tokens carry
no lemma and the word featurizer saw "sykmeldingen", "sykmeldinga" and "sykmelding" as three
unrelated words. This component sets each token's lemma to its Snowball stem (the `norwegian`
stemmer of the snowballstemmer package, pure Python, nothing to download), lower-cased: a
CountVectorsFeaturizer with `use_lemma: true` then counts stems. The character n-gram featurizer
keeps reading the words as written (`use_lemma: false`), so spelling variants still count there,
and so do the forms Snowball's rules do not bring together ("arbeidsgiver" → "arbeidsgiv", but
"arbeidsgiveren" → "arbeidsgiver").
"""
from __future__ import annotations

import functools
from typing import List

import snowballstemmer
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.component import ConfigComponent

_STEMMER = snowballstemmer.stemmer("norwegian")


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball stem of `word`, lower-cased: verneombudet → verneombud."""
    return _STEMMER.stemWord(word.lower())


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class NorwegianStemmer(ConfigComponent):
    """Sets the lemma of every token of the message text to its stem (after the tokenizer)."""

    @staticmethod
    def required_components() -> List[type]:
        return []

    def _stem(self, message: Message) -> None:
        for token in message.get(TOKENS_NAMES[TEXT]) or []:
            token.lemma = stem(token.text)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._stem(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._stem(message)
        return messages

"""The intent classifier: two models over TF-IDF features, their probabilities averaged.

Both read the same evidence, from the message with the Norwegian words of its English terms
appended (bot/english_terms.py): words and word pairs, character n-grams of 2 to 5 (inflection and
spelling variants: verneombud / verneombudet / verneombodet / vernombudet) and Norwegian Snowball
stems (bot/stemmer.py), each block TF-IDF weighted and scaled to unit length. One model is a
logistic regression, the other a neural network with one hidden layer (scikit-learn's
MLPClassifier). They err on different questions; where they disagree, the top intent's mean
confidence drops and the fallback classifier after this one asks back instead of answering.

Why not DIET: measured 2026-12-07 on the same training data, side by side, with the same fallback
rule, the two models' mean recognised as many held-out sentences (tests/nlu/) as DIET averaged
with the regression did (0.945 against 0.943, with 10 wrong against 9), and more of the real
questions (tests/nlu/real/), while a message costs under 1 ms of CPU here against DIET's 4 ms plus
1.3 ms for the featurizers DIET needs (the profile in bench/RESULTS.md before the change). The
figures are in config.yml.

The probabilities are computed directly from the fitted vocabularies, idf and weights:
scikit-learn's own `transform` and `predict_proba` check and convert their input on every call,
which took ten times the arithmetic. tests/test_intent_ensemble.py checks that both give the same.
"""
from __future__ import annotations

import math
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

import joblib
import numpy as np
import scipy.sparse
import threadpoolctl
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from bot import english_terms
from bot.stemmer import stem

MODEL_FILE = "intent_ensemble.joblib"


def stems(text: str) -> str:
    """The text as its words' Norwegian stems (a module function, so the vectorizer pickles)."""
    return " ".join(stem(word) for word in re.findall(r"\w+", text.lower()))


def _vectorizers() -> List[TfidfVectorizer]:
    return [
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        TfidfVectorizer(preprocessor=stems, sublinear_tf=True),
    ]


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = np.exp(scores - scores.max())
    return scores / scores.sum()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentEnsemble(GraphComponent):
    """Classifies the intent with the mean of two models (see the module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # The regression's inverse regularisation strength.
            "c": 10.0,
            # The network's hidden layer and training passes over the data.
            "hidden_units": 256,
            "epochs": 30,
            "random_seed": 7,
            "ranking_length": 10,
            # A message of several sentences that the models are unsure of (top intent below
            # `unsure_below`, or the two best within `unsure_within`: the fallback's thresholds) is
            # read again from its questions alone; when they are a knowledge question (an intent
            # matching `question_intents`) at `question_alone` or more, that reading counts.
            "unsure_below": 0.4,
            "unsure_within": 0.03,
            "question_alone": 0.6,
            "question_intents": "^ask_(?!capabilities$)",
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vectorizers: Optional[List[TfidfVectorizer]] = None,
        regression: Optional[LogisticRegression] = None,
        network: Optional[MLPClassifier] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.vectorizers = vectorizers
        self.regression = regression
        self.network = network
        if vectorizers is not None and regression is not None and network is not None:
            self._prepare()

    def _prepare(self) -> None:
        """What `probabilities` reads per message, taken out of the fitted models once."""
        assert self.vectorizers is not None and self.regression is not None and self.network is not None
        self._blocks = []
        offset = 0
        for vectorizer in self.vectorizers:
            self._blocks.append((vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, offset))
            offset += len(vectorizer.vocabulary_)
        self._coef = np.asarray(self.regression.coef_)
        self._intercept = np.asarray(self.regression.intercept_)
        (self._hidden_weights, self._output_weights) = self.network.coefs_
        (self._hidden_bias, self._output_bias) = self.network.intercepts_
        self._classes = [str(c) for c in self.regression.classes_]
        if [str(c) for c in self.network.classes_] != self._classes:
            raise ValueError("the two intent models were trained on different intents")

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentEnsemble":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "IntentEnsemble":
        with model_storage.read_from(resource) as directory:
            vectorizers, regression, network = joblib.load(Path(directory) / MODEL_FILE)
        # A message's arithmetic is a few small matrix products. OpenBLAS splits them over a
        # thread per core, and its threads spin while they wait for the next one: under load on
        # 2 cores, the server process used 1.76 cores for 59.5 turns/s, one of them in that
        # thread; with one BLAS thread 0.96 cores for 65.2 turns/s (2026-12-07, 20 conversations
        # at once). Training, which never loads the model this way, keeps every thread.
        threadpoolctl.threadpool_limits(limits=1, user_api="blas")
        return cls(config, model_storage, resource, vectorizers, regression, network)

    def _features(self, texts: List[str], fit: bool = False) -> scipy.sparse.csr_matrix:
        assert self.vectorizers is not None
        texts = [english_terms.expand(text) for text in texts]
        return scipy.sparse.hstack(
            [(v.fit_transform if fit else v.transform)(texts) for v in self.vectorizers]
        ).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        intents = [m.get(INTENT) for m in examples]
        self.vectorizers = _vectorizers()
        features = self._features([m.get(TEXT) for m in examples], fit=True)
        self.regression = LogisticRegression(C=self.config["c"], max_iter=5000)
        self.regression.fit(features, intents)
        self.network = MLPClassifier(
            hidden_layer_sizes=(int(self.config["hidden_units"]),),
            max_iter=int(self.config["epochs"]),
            # A fixed number of passes, not "until converged": more overfits the training
            # sentences, and the warning that it stopped early says nothing here.
            n_iter_no_change=int(self.config["epochs"]),
            random_state=int(self.config["random_seed"]),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.network.fit(features, intents)
        # The optimizer's state (two moments of every weight) only serves further training.
        self.network._optimizer = None
        # Single precision halves the hidden layer's memory (43,000 features × 256 units); the
        # probabilities move by less than 1e-6.
        self.network.coefs_ = [w.astype(np.float32) for w in self.network.coefs_]
        self.network.intercepts_ = [b.astype(np.float32) for b in self.network.intercepts_]
        self._prepare()
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump((self.vectorizers, self.regression, self.network), Path(directory) / MODEL_FILE)
        return self._resource

    def _vector(self, text: str) -> Tuple[np.ndarray, np.ndarray]:
        """The text's non-zero features, as the vectorizers' `transform` would give them: in
        each block, 1 + log(count) times the idf, scaled to unit length."""
        all_columns, all_values = [], []
        for analyze, vocabulary, idf, offset in self._blocks:
            counts = Counter(vocabulary[term] for term in analyze(text) if term in vocabulary)
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            values = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
            values *= idf[columns]
            values /= np.sqrt(values @ values)
            all_columns.append(columns + offset)
            all_values.append(values)
        if not all_columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(all_columns), np.concatenate(all_values)

    def model_probabilities(self, text: str) -> Tuple[np.ndarray, np.ndarray]:
        """The regression's and the network's probability of every intent (in `_classes` order)."""
        columns, values = self._vector(english_terms.expand(text))
        regression = _softmax(self._intercept + self._coef[:, columns] @ values)
        hidden = np.maximum(values @ self._hidden_weights[columns] + self._hidden_bias, 0.0)
        network = _softmax(hidden @ self._output_weights + self._output_bias)
        return regression, network

    def probabilities(self, text: str) -> Dict[str, float]:
        """The mean of the two models' probabilities of every intent for `text`."""
        regression, network = self.model_probabilities(text)
        return dict(zip(self._classes, ((regression + network) / 2).tolist()))

    def ranking(self, text: str) -> List[Dict[str, Any]]:
        """The intents best first, cut to `ranking_length`."""
        ranked = sorted(self.probabilities(text).items(), key=lambda item: (-item[1], item[0]))
        return [
            {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: float(p)}
            for name, p in ranked[: int(self.config["ranking_length"])]
        ]

    def read(self, text: str) -> List[Dict[str, Any]]:
        """The ranking for `text`; for an unsure message of several sentences whose questions
        alone are clearly a knowledge question, the ranking of those questions ("Jeg skriver en
        sak til internavisa og trenger det grunnleggende. Hvem står bak avtalen?")."""
        ranking = self.ranking(text)
        best = ranking[0][PREDICTED_CONFIDENCE_KEY]
        second = ranking[1][PREDICTED_CONFIDENCE_KEY] if len(ranking) > 1 else 0.0
        if best >= self.config["unsure_below"] and best - second >= self.config["unsure_within"]:
            return ranking
        asked = question_sentences(text)
        if not asked:
            return ranking
        alone = self.ranking(asked)
        top = alone[0]
        if top[PREDICTED_CONFIDENCE_KEY] >= self.config["question_alone"] and re.match(
            self.config["question_intents"], top[INTENT_NAME_KEY]
        ):
            return alone
        return ranking

    def process(self, messages: List[Message]) -> List[Message]:
        if self.regression is None:
            return messages
        for message in messages:
            ranking = self.read(message.get(TEXT) or "")
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


def question_sentences(text: str) -> str:
    """The questions of a message of several sentences, joined ("" when it is one sentence, or
    holds no question, or is all questions)."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
    questions = [s for s in sentences if s.endswith("?")]
    if len(sentences) < 2 or not questions or len(questions) == len(sentences):
        return ""
    return " ".join(questions)

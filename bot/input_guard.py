"""Guards the NLU against input that is not a question: empty, huge, binary, markup, script.

`InputCleaner` runs first: it strips markup and control characters, hides personal
data (identity numbers, phone numbers, e-mail addresses: bot/privacy.py) and caps the length,
so the rest of the pipeline only ever reads clean, bounded text, and records what it found as `input_problem`. `InputVerdict` runs last and
gives such messages an intent of their own, so that the dialogue answers them politely.
"""
from __future__ import annotations

import html
import re
import unicodedata
from typing import Any, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.component import ConfigComponent
from bot.privacy import contains_personal_data, redact

PROBLEM = "input_problem"
MAX_CHARS = 1000

INVALID_INPUT_INTENT = "invalid_input"
PERSONAL_DATA_INTENT = "personal_data"

_SCRIPT = re.compile(r"<\s*(script|style)\b.*?(<\s*/\s*\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^<>]{0,500}>")
# Letters of the languages the assistant reads (Norwegian, English, and their neighbours);
# binary data read as text is mostly other symbols.
_LETTER = re.compile(r"[A-Za-zÆØÅæøåÄÖÜäöüÉéÈèÁáÓóÍíÚúÔôÊê]")
# A short number is an answer, not unreadable input: a percentage or a period in a guided
# dialogue ("5", "5 %", "5,2", "2026–2028").
_NUMBER_ANSWER = re.compile(r"[\d\s%,.\-–/]{1,20}")


def clean(raw: Any) -> tuple[str, Optional[str]]:
    """The text the NLU should read, and what was wrong with the input (or None)."""
    if not isinstance(raw, str) or not raw.strip():
        return "", "empty"
    too_long = len(raw) > MAX_CHARS
    text = raw[: MAX_CHARS * 4]  # bound the work done below on huge input
    text = html.unescape(text)
    had_markup = bool(_SCRIPT.search(text) or _TAG.search(text))
    text = _SCRIPT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = "".join(
        ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " "
        for ch in text
        if ch != "\ufffd"
    )
    found_personal = contains_personal_data(text)
    text = " ".join(redact(text).split())[:MAX_CHARS]
    letters = len(_LETTER.findall(text))
    if too_long:
        return text, "too_long"
    number = bool(_NUMBER_ANSWER.fullmatch(text)) and any(ch.isdigit() for ch in text)
    if not number and (letters < 2 or letters < len(text.replace(" ", "")) * 0.3):
        return text, "markup_only" if had_markup else "no_text"
    if found_personal:
        return text, "personal_data"
    return text, None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class InputCleaner(ConfigComponent):
    """First in the pipeline: replaces the message text with its cleaned form."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples are written by us and already clean.
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text, problem = clean(message.get(TEXT))
            message.set(TEXT, text, add_to_output=True)
            message.set(PROBLEM, problem, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputVerdict(ConfigComponent, IntentClassifier):
    """Last in the pipeline: input that is not a readable question gets its own intent."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            problem = message.get(PROBLEM)
            if not problem:
                continue
            intent = PERSONAL_DATA_INTENT if problem == "personal_data" else INVALID_INPUT_INTENT
            verdict = {"name": intent, "confidence": 1.0}
            message.set(INTENT, verdict, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [verdict], add_to_output=True)
            message.set(ENTITIES, [], add_to_output=True)
        return messages

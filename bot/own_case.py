"""A message that tells about a workplace but asks a yes/no question about the writer's own case
("sjefen vil at jeg skal komme inn og gjøre lette oppgaver, må jeg det?", "avdelingslederen mener
sykefravær er hennes sak, stemmer det?") is not a request for the measures that fit the workplace.
The measure finder would ask for the industry; the assistant asks back instead, offering the
likeliest topics beside the measures (actions/fallback.py), as the fallback does for any message it
is unsure of."""
from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.component import ConfigComponent

SITUATION = "describe_situation"
# A yes/no question about one's own duties or rights, or whether what one was told is so.
OWN_QUESTION = re.compile(
    r"\b(må|kan|skal|bør|får) (jeg|eg)\b|\bhar (jeg|eg) (rett|plikt|lov|krav)\b|\bstemmer det\b"
    r"|\ber det (lov|riktig|greit|rett)\b|\b(hvem|kven) bestemmer\b"
    r"|\b(do|must|can|should) i\b|\bam i (allowed|required|obliged)\b|\bhave i (got )?to\b",
    re.IGNORECASE,
)
# A question word just before "kan jeg", "do I" makes it an open question, not a yes/no one:
# "Where do I even start?", "hvordan kan jeg ta det opp?".
QUESTION_WORD_BEFORE = re.compile(
    r"\b(hva|kva|hvor|kor|hvordan|korleis|hvem|kven|når|hvorfor|kvifor|hvilke[nt]?|kva for|what|where|how|when|who|why|which)"
    r"(\s+\w+)?\s*$",
    re.IGNORECASE,
)
# Asks for help or measures: then the measure finder is what the message wants.
ASKS_FOR_HELP = re.compile(
    r"\bhjelp\w*|\btiltak\w*|\bvirkemid\w*|\bverkemid\w*"
    r"|\b(hva|kva) (kan|bør|skal|må) (vi|me|jeg|eg) (gjøre|gjere)\b|\bwhat (can|should) (i|we) do\b"
    r"|\bbransjeprogram\w*|\bhelp\b|\bmeasures?\b|\bsupport\b",
    re.IGNORECASE,
)


def asks_about_own_case(text: str) -> bool:
    yes_no = any(not QUESTION_WORD_BEFORE.search(text[: m.start()]) for m in OWN_QUESTION.finditer(text))
    return yes_no and not ASKS_FOR_HELP.search(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OwnCaseQuestion(ConfigComponent, IntentClassifier):
    """After the fallback classifier: a situation described with a question about one's own case
    becomes a question back (`nlu_fallback`, the ranking kept below it)."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") != SITUATION or not asks_about_own_case(message.get(TEXT) or ""):
                continue
            verdict = {"name": FALLBACK, "confidence": intent.get("confidence")}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK]
            message.set(INTENT, verdict, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [verdict] + ranking, add_to_output=True)
        return messages

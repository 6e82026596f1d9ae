"""Answers a knowledge question asked in the middle of a guided dialogue, with the same action
that answers it outside one (data/stories/rules.yml maps the same intents to the same actions;
tests/test_forms.py checks that the two agree)."""
import re
from typing import Any, Dict, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases
from actions.councils import ActionAnswerCouncilToday
from actions.fallback import ActionAnswerOutOfScope
from actions.measures import ActionAnswerMeasures
from actions.render import kb
from actions.roles import ActionAnswerRole, ActionAnswerRoleRules
from actions.sick_leave import ActionAnswerSickLeave
from actions.topics import ActionAnswerTopic

KEYED_ANSWERS = {
    "ask_role": ActionAnswerRole,
    "ask_role_rules": ActionAnswerRoleRules,
    "ask_sick_leave_followup": ActionAnswerSickLeave,
    "ask_measures": ActionAnswerMeasures,
    "ask_council_today": ActionAnswerCouncilToday,
}
SMALL_TALK_PHRASES = {
    "ask_capabilities": "dialogue.capabilities",
    "bot_challenge": "dialogue.bot_challenge",
}
# Neither knowledge nor small talk, but answered the same way in a dialogue.
OTHER_ANSWERS = {"out_of_scope": ActionAnswerOutOfScope}
# How sure the NLU must be before a message in a dialogue is taken for a question, not an answer.
MIN_CONFIDENCE = 0.5
WH_WORDS = {
    "hva", "hvem", "hvor", "hvordan", "hvorfor", "hvilke", "hvilken", "hvilket", "når",
    "kva", "kven", "kor", "korleis", "kvifor", "kvar",
    "what", "who", "how", "why", "which", "when", "where",
}
# Also start a question, but an answer may start with them too ("Skal ha et fast møte").
VERBS_FIRST = {
    "er", "kan", "må", "skal", "bør", "finnes", "fins", "gjelder", "trenger",
    "is", "are", "can", "do", "does", "should", "must",
}


def answer_action(intent: Optional[str]) -> Optional[Action]:
    """The action that answers `intent`, or None when it is not a knowledge question."""
    if intent in KEYED_ANSWERS:
        return KEYED_ANSWERS[intent]()
    if intent in OTHER_ANSWERS:
        return OTHER_ANSWERS[intent]()
    if intent and intent in kb().topics:
        return ActionAnswerTopic()
    return None


def looks_like_a_question(text: str, strict: bool = False) -> bool:
    """Ends with a question mark or starts like a question; `strict` leaves out the verbs
    an answer may also start with."""
    words = re.findall(r"\w+", text.lower())
    starts = WH_WORDS if strict else WH_WORDS | VERBS_FIRST
    return text.rstrip().endswith("?") or bool(words and words[0] in starts)


def question_intent(tracker: Tracker) -> Optional[str]:
    """The intent of the latest message when it is a question the assistant can answer on its
    own (clicked as a button, or asked as a question with a confident intent); else None."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    intent = (message.get("intent") or {}).get("name")
    confidence = (message.get("intent") or {}).get("confidence") or 0.0
    if answer_action(intent) is None and intent not in SMALL_TALK_PHRASES:
        return None
    if text.startswith("/"):
        return intent
    if confidence >= MIN_CONFIDENCE and looks_like_a_question(text):
        return intent
    return None


async def answer(
    intent: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
) -> None:
    """Answers `intent` (from `question_intent`) as it would be answered outside a dialogue."""
    if intent in SMALL_TALK_PHRASES:
        phrases.utter(dispatcher, SMALL_TALK_PHRASES[intent])
        return
    action = answer_action(intent)
    if action is not None:
        await action.run(dispatcher, tracker, domain)

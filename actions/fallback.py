"""When the assistant is unsure: the two likeliest topics as buttons, then an honest
"this is what I can help with". Also the answer to input that is not a question."""
import json
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.knowledge import DIALOGUE_START, ENTITY_OF_INTENT, KnowledgeBase
from actions.contacts import as_written
from actions.recommend import Situation, describe, read_situation, suggest_if_described
from actions.render import buttons as entry_buttons, entity_values, kb, known_keys, latest, named_refs

# Small talk worth offering when the user's words were unclear; other intents that are not
# answered from the knowledge base (greetings, yes/no, out of scope ...) are never offered.
SMALL_TALK_TITLES = {
    "bot_challenge": "fallback.title_bot_challenge",
    "ask_capabilities": "fallback.title_ask_capabilities",
}
# Entities that name where the user is (bot/gazetteer.py).
PLACE_ENTITIES = ("county", "municipality", "place")
# Problems bot/input_guard.py finds in a message; each has its answer in data/ia/phrases/fallback.yml.
INPUT_PROBLEMS = ("empty", "too_long", "markup_only", "no_text")
# What an out-of-scope message may still name that the assistant answers: a step of the
# sick-leave follow-up or a measure. Such a message is asked back, not declined.
ASKED_BACK_FOR = ("milestone", "measure")


def not_understood(problem: Optional[str]) -> str:
    """The answer to a message with `problem` (one of INPUT_PROBLEMS), in the conversation's
    written standard."""
    return phrases.text(f"fallback.{problem if problem in INPUT_PROBLEMS else 'no_text'}")


def suggestion(knowledge: KnowledgeBase, intent: str, tracker: Tracker) -> Optional[Dict]:
    """A button that asks `intent` (about the thing the message named, if any), titled with
    the question it stands for."""
    if intent in SMALL_TALK_TITLES:
        return {"title": phrases.text(SMALL_TALK_TITLES[intent]), "payload": f"/{intent}"}
    ref = intent
    if intent in ENTITY_OF_INTENT:
        keys = known_keys(knowledge, tracker, intent)
        if keys:
            ref = f"{intent}/{keys[0]}"
    elif intent not in knowledge.topics and intent != DIALOGUE_START:
        return None
    return {"title": knowledge.resolve(ref).question, "payload": knowledge.payload(ref)}


def contact_button(tracker: Tracker) -> Optional[Dict[str, str]]:
    """A button that asks whom to contact in the place the message names, if it names one."""
    entities = [e for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") in PLACE_ENTITIES]
    if not entities:
        return None
    named = {e["entity"]: e["value"] for e in reversed(entities)}
    said = as_written(str(entities[0].get("text") or entities[0].get("value")))
    return {
        "title": phrases.text("fallback.title_contact", place=said),
        "payload": "/ask_contact" + json.dumps(named, ensure_ascii=False),
    }


def situation_button(situation: Situation, knowledge: KnowledgeBase) -> Dict[str, str]:
    """A button that asks for the measures that fit `situation`, carrying what was read."""
    entities: Dict[str, Any] = {"problem": list(situation.problems)}
    if situation.industry:
        entities["industry"] = situation.industry
    return {
        "title": phrases.text("fallback.title_situation", situation=describe(situation, knowledge)),
        "payload": "/describe_situation" + json.dumps(entities, ensure_ascii=False),
    }


def affirmation_buttons(tracker: Tracker) -> List[Dict[str, str]]:
    """What a question back offers: the measures for a problem the message describes, whom to
    contact in a place it names, the thing it names, then its two likeliest intents."""
    knowledge = kb()
    buttons: List[Dict[str, str]] = []
    situation = read_situation(tracker)
    if situation.problems:
        # "tillitsvalgt her, folk er utslitte" may be unclear as a question but still says
        # what the workplace struggles with: offer the measures for it first.
        buttons.append(situation_button(situation, knowledge))
    place = contact_button(tracker)
    if place:
        # "ia hjelp kirkenes": whom to contact there is the likeliest question.
        buttons.append(place)
    # "agp, hvor mange dager betaler vi?": the thing named is the likeliest subject, even
    # when the two likeliest intents are about something else.
    buttons += entry_buttons(knowledge, named_refs(knowledge, tracker))
    offered = len(buttons)
    for ranked in latest(tracker, "intent_ranking") or []:
        button = suggestion(knowledge, ranked.get("name"), tracker)
        if button and button not in buttons:
            buttons.append(button)
        if len(buttons) == 2 + offered:
            break
    return buttons


class ActionAnswerCapabilities(Action):
    def name(self) -> Text:
        return "action_answer_capabilities"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        events = suggest_if_described(dispatcher, tracker)
        if events is None:
            phrases.utter(dispatcher, "dialogue.capabilities")
        return events or []


class ActionAnswerOutOfScope(Action):
    def name(self) -> Text:
        return "action_answer_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        # "barnehagen har masse egenmeldinger etter jul" once came out as out of scope.
        events = suggest_if_described(dispatcher, tracker)
        if events is not None:
            return events
        if any(entity_values(tracker, entity) for entity in ASKED_BACK_FOR):
            # "Kan NAV stanse sykepengene hvis jeg ikke har prøvd meg i jobb innen åtte uker?" names
            # a step of the follow-up: asked back with it first, never told it is not IA.
            phrases.utter(dispatcher, "fallback.ask_affirmation", offered=affirmation_buttons(tracker))
            return []
        phrases.utter(dispatcher, "fallback.out_of_scope")
        return []


class ActionDefaultAskAffirmation(Action):
    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        phrases.utter(dispatcher, "fallback.ask_affirmation", offered=affirmation_buttons(tracker))
        return []


class ActionDefaultAskRephrase(Action):
    def name(self) -> Text:
        return "action_default_ask_rephrase"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        phrases.utter(dispatcher, "fallback.ask_rephrase")
        return []


class ActionDefaultFallback(Action):
    def name(self) -> Text:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        phrases.utter(dispatcher, "fallback.cannot_answer")
        phrases.utter(dispatcher, "dialogue.capabilities")
        return [UserUtteranceReverted()]


class ActionInvalidInput(Action):
    def name(self) -> Text:
        return "action_invalid_input"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        problem = latest(tracker, "input_problem")
        dispatcher.utter_message(text=not_understood(problem))
        return []

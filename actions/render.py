"""Turns knowledge-base entries into chat messages: the answer, its source, next questions."""
import abc
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.knowledge import ENTITY_OF_INTENT, Entry, KnowledgeBase, load, with_sources


def kb() -> KnowledgeBase:
    """The knowledge base in the conversation's written standard (actions/standard.py)."""
    return load(standard=standard.current())


def buttons(knowledge: KnowledgeBase, refs: Iterable[str]) -> List[Dict[str, str]]:
    return [
        {"title": knowledge.resolve(ref).question, "payload": knowledge.payload(ref)} for ref in refs
    ]


# Things a message may name (bot/gazetteer.py), and the intent that answers about each: the first
# intent ENTITY_OF_INTENT gives the entity (a role's own answer, not its rules).
NAMED_THINGS = {entity: intent for intent, entity in reversed(ENTITY_OF_INTENT.items())}


def named_refs(knowledge: KnowledgeBase, tracker: Tracker) -> List[str]:
    """The entries of the first thing the latest message names that has an answer of its own (a
    step of the sick-leave follow-up, "agp"; a measure; a role), as a list of at most one ref."""
    for item in (tracker.latest_message or {}).get("entities") or []:
        intent = NAMED_THINGS.get(item.get("entity"))
        if intent and item.get("value") in knowledge.collection(intent)[1]:
            return [f"{intent}/{item['value']}"]
    return []


# At most this many details of an entry in one answer.
MAX_DETAILS = 2


def answer_text(entry: Entry, asked: str = "") -> str:
    """The entry's answer, then the details the question `asked` asks about, or, when it asks
    about none, what else the entry can tell; its sources last."""
    asked_about = [d for d in entry.details if d.about.search(asked)][:MAX_DETAILS]
    parts = [entry.answer] + [d.answer for d in asked_about]
    others = [d.title for d in entry.details if d not in asked_about]
    if others and not asked_about:
        parts.append(phrases.text("answers.ask_more", topics=", ".join(others)))
    return with_sources("\n".join(parts), entry.sources)


def utter_entry(
    dispatcher: CollectingDispatcher,
    entry: Entry,
    knowledge: Optional[KnowledgeBase] = None,
    with_buttons: bool = True,
    asked: str = "",
) -> None:
    knowledge = knowledge or kb()
    dispatcher.utter_message(
        text=answer_text(entry, asked),
        buttons=buttons(knowledge, entry.next) if with_buttons else [],
    )


def known_keys(knowledge: KnowledgeBase, tracker: Tracker, intent: str) -> List[str]:
    """Keys of the collection `intent` answers from that the latest message names."""
    _, entries = knowledge.collection(intent)
    return [v for v in entity_values(tracker, ENTITY_OF_INTENT[intent]) if v in entries]


def entity_values(tracker: Tracker, entity: str) -> List[str]:
    """Values of `entity` in the latest message, in order of appearance, without repeats."""
    values: List[str] = []
    for item in (tracker.latest_message or {}).get("entities") or []:
        if item.get("entity") == entity and item.get("value") not in values:
            values.append(item.get("value"))
    return values


def first_known(tracker: Tracker, entity: str, known: Iterable[str]) -> Optional[str]:
    """The first value of `entity` in the latest message that is one of `known`."""
    return next((v for v in entity_values(tracker, entity) if v in known), None)


def latest(tracker: Tracker, key: str) -> Any:
    return (tracker.latest_message or {}).get(key)


def latest_text(tracker: Tracker) -> str:
    return str(latest(tracker, "text") or "")


# What may stand between a question and the button the fallback offered for it.
ASKED_BACK_ACTIONS = {"action_listen", "action_two_stage_fallback", "action_default_ask_affirmation"}


def question_text(tracker: Tracker) -> str:
    """The question an answer gives details for: the latest message, or, when that is a button
    the fallback offered for a question it was unsure of ("Mente du ...?"), that question, so
    "kan NAV dekke arbeidsgiverperioden for en kronisk syk?" answered by its button still gets
    the part on chronic illness. The raw events keep the question the fallback rewound."""
    text = latest_text(tracker)
    if not text.startswith("/"):
        return text
    asked_back = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "action":
            if event.get("name") not in ASKED_BACK_ACTIONS:
                break
            asked_back = asked_back or event.get("name") != "action_listen"
        elif kind == "user":
            said = str(event.get("text") or "")
            if not said.startswith("/"):
                return said if asked_back else text
    return text


def utter_keyed(dispatcher: CollectingDispatcher, intent: str, keys: List[str], asked: str = "") -> None:
    """Answers the entries `keys` (from `known_keys`) of the collection `intent` answers
    from, two at most, or the collection's overview when there are none; `asked` is the
    question, for the entries' details."""
    knowledge = kb()
    overview, entries = knowledge.collection(intent)
    for key in keys[:2]:
        utter_entry(dispatcher, entries[key], knowledge, asked=asked)
    if not keys:
        utter_entry(dispatcher, overview, knowledge, asked=asked)


class KeyedAnswerAction(Action, abc.ABC):
    """Answers from a keyed collection (roles, milestones, measures) by the entity in the
    latest message; with no entity, the collection's overview. When the message names nothing
    of its own collection but names something of one in `also_answers`, the thing named wins:
    "Kan vi få tilskudd til en ekspert for en sykmeldt?" is about the measure."""

    intent = ""
    also_answers: tuple = ()

    @abc.abstractmethod
    def name(self) -> Text:
        ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        knowledge = kb()
        keys = known_keys(knowledge, tracker, self.intent)
        if not keys:
            for other in self.also_answers:
                other_keys = known_keys(knowledge, tracker, other)
                if other_keys:
                    utter_keyed(dispatcher, other, other_keys, question_text(tracker))
                    return []
        utter_keyed(dispatcher, self.intent, keys, question_text(tracker))
        return []

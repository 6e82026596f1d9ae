"""Answers the topic questions (the IA agreement, collaboration, the councils ...)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.render import kb, question_text, utter_entry


class ActionAnswerTopic(Action):
    """One action for every topic intent: the intent's name is the topic's key in data/ia/."""

    def name(self) -> Text:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        knowledge = kb()
        intent = tracker.get_intent_of_latest_message()
        entry = knowledge.topics.get(intent)
        if entry is None:
            phrases.utter(dispatcher, "dialogue.capabilities")
        else:
            utter_entry(dispatcher, entry, knowledge, asked=question_text(tracker))
        return []

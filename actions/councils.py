"""Answers whether the county IA councils still exist; for a place, with whom to contact there."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import standard
from actions.contacts import answer_found, found_in_message
from actions.render import kb, utter_entry


class ActionAnswerCouncilToday(Action):
    def name(self) -> Text:
        return "action_answer_council_today"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        # "Finnes det fortsatt et IA-råd i Bærum?": the council's story there comes with whom
        # to contact instead; without a place, the general answer.
        if not answer_found(dispatcher, found_in_message(tracker)):
            knowledge = kb()
            utter_entry(dispatcher, knowledge.topics["ask_council_today"], knowledge)
        return []

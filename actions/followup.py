"""Short follow-ups that only name a thing ("og tillitsvalgte?", "hva med BHT?", "i Rogaland?")."""
from dataclasses import replace
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.contacts import answer_found, found_in_message
from actions.measures import utter_industry
from actions.recommend import SUGGESTED_SLOT, situation_of, suggest
from actions.render import first_known, kb, known_keys, latest_text, utter_keyed
from actions.roles import asks_the_rules

# The kind of thing named decides what the follow-up asks about; of two, the more specific, in
# the gazetteer's order: a step of the follow-up, then a measure, then a role ("når må leiaren
# kalle inn til dialogmøte 1?" asks about the meeting, not the leader).
KEYED = ("ask_sick_leave_followup", "ask_measures", "ask_role")


class ActionAnswerFollowup(Action):
    def name(self) -> Text:
        return "action_answer_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        knowledge = kb()
        text = latest_text(tracker)
        for intent in KEYED:
            keys = known_keys(knowledge, tracker, intent)
            if intent == "ask_role" and keys and asks_the_rules(knowledge, keys[0], text):
                # "og opplæring for verneombudet?": what the law requires of the role.
                utter_keyed(dispatcher, "ask_role_rules", keys[:1], text)
                return []
            if keys:
                utter_keyed(dispatcher, intent, keys, text)
                return []
        industry = first_known(tracker, "industry", knowledge.industries)
        if industry and tracker.get_slot(SUGGESTED_SLOT):
            # "og hvis vi er en barnehage?" after a suggestion: the same situation, that industry.
            return suggest(dispatcher, replace(situation_of(tracker), industry=industry))
        events = utter_industry(dispatcher, tracker)
        if events:
            return events
        if answer_found(dispatcher, found_in_message(tracker)):
            # "og i Bodø?", "vi er i Molde": whom to contact there.
            return []
        phrases.utter(dispatcher, "fallback.follow_up_what")
        phrases.utter(dispatcher, "dialogue.capabilities")
        return []

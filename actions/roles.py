"""Answers what each role does in IA work (leader, tillitsvalgt, verneombud, AMU, BHT ...)."""
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.recommend import suggest_if_described
from actions.render import KeyedAnswerAction, kb, known_keys, latest_text

# A question about who does what is about the roles, whatever problem it names.
ABOUT_ROLES = re.compile(r"\b(hvem|kven|who|rolle\w*|ansvar\w*|oppgave\w*|oppgåve\w*)\b", re.IGNORECASE)


class ActionAnswerRole(KeyedAnswerAction):
    intent = "ask_role"

    def name(self) -> Text:
        return "action_answer_role"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if not known_keys(kb(), tracker, self.intent) and not ABOUT_ROLES.search(latest_text(tracker)):
            # "Vi vil forebygge sykefravær" names no role: it may describe what the workplace wants.
            events = suggest_if_described(dispatcher, tracker)
            if events is not None:
                return events
        return await super().run(dispatcher, tracker, domain)

"""Answers about the IA measures (virkemidler), for a named measure or an industry."""
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import KnowledgeBase, with_sources
from actions.recommend import read_situation, suggest
from actions.render import KeyedAnswerAction, entity_values, first_known, kb, utter_entry


def industry_text(knowledge: KnowledgeBase, key: str) -> str:
    industry = knowledge.industries[key]
    programme = industry.bransjeprogram
    if programme:
        since = programme.get("since")
        text = f"{industry.name}: bransjen har et eget bransjeprogram under IA-avtalen"
        text += f" (fra {since})." if since else "."
        note = (programme.get("note") or "").strip()
        if note:
            text += f" {note}"
        return with_sources(text, industry.sources)
    return (
        f"{industry.name}: jeg kjenner ikke til noe eget IA-bransjeprogram for denne bransjen. "
        "Virkemidlene under gjelder alle arbeidsplasser."
    )


def utter_industry(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """The bransjeprogram and the measures for the first known industry the latest message
    names; False (and nothing said) when it names none."""
    knowledge = kb()
    key = first_known(tracker, "industry", knowledge.industries)
    if key is None:
        return False
    dispatcher.utter_message(text=industry_text(knowledge, key))
    utter_entry(dispatcher, knowledge.measures_overview, knowledge)
    return True


class ActionAnswerMeasures(KeyedAnswerAction):
    intent = "ask_measures"
    also_answers = ("ask_sick_leave_followup",)

    def name(self) -> Text:
        return "action_answer_measures"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if not entity_values(tracker, "measure"):
            # "Vi har høyt fravær på byggeplassen, hvilken hjelp kan vi få?" describes a situation.
            situation = read_situation(tracker)
            if situation.problems:
                return suggest(dispatcher, situation)
            if utter_industry(dispatcher, tracker):
                return []
        return await super().run(dispatcher, tracker, domain)

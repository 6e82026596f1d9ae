"""Answers about the IA measures (virkemidler), for a named measure or an industry."""
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.contacts import answer_found, found_in_message
from actions.knowledge import KnowledgeBase, with_sources
from actions.recommend import Situation, read_situation, read_size, suggest, suggest_if_described
from actions.render import KeyedAnswerAction, entity_values, first_known, kb, latest_text, question_text, utter_keyed


def programme_text(knowledge: KnowledgeBase, key: str) -> str:
    """What an industry's bransjeprogram offers; empty when the industry has none we know of."""
    industry = knowledge.industries[key]
    programme = industry.bransjeprogram
    if not programme:
        return ""
    since = programme.get("since")
    if since:
        text = phrases.text("recommend.programme_since", industry=industry.name, since=since)
    else:
        text = phrases.text("recommend.programme", industry=industry.name)
    note = (programme.get("note") or "").strip()
    if note:
        text += f" {note}"
    return with_sources(text, industry.sources)


def utter_industry(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """For a message that names an industry but no problem: what its bransjeprogram offers, and
    the measures that fit any workplace in it. No events (and nothing said) when it names none."""
    knowledge = kb()
    key = first_known(tracker, "industry", knowledge.industries)
    if key is None:
        return []
    text = programme_text(knowledge, key)
    if text:
        dispatcher.utter_message(text=text)
    return suggest(dispatcher, Situation(industry=key, size=read_size(latest_text(tracker), knowledge)))


class ActionAnswerMeasures(KeyedAnswerAction):
    intent = "ask_measures"
    also_answers = ("ask_sick_leave_followup",)

    def name(self) -> Text:
        return "action_answer_measures"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        if not entity_values(tracker, "measure"):
            # "Vi har høyt fravær på byggeplassen, hvilken hjelp kan vi få?" describes a situation;
            # "Vi er et sykehjem, hva finnes?" names an industry: both get the measures that fit.
            events = suggest_if_described(dispatcher, tracker) or utter_industry(dispatcher, tracker)
            if events:
                return events
            if answer_found(dispatcher, found_in_message(tracker)):
                # "IA-hjelp for bedrifter i Sarpsborg": the help is found through whom to contact there.
                return []
            if "bht" in entity_values(tracker, "ia_role"):
                # "Kan bedriftshelsetjenesten hjelpe oss med fraværet?": BHT is the help asked about.
                utter_keyed(dispatcher, "ask_role", ["bht"], question_text(tracker))
                return []
            return await super().run(dispatcher, tracker, domain)
        events = await super().run(dispatcher, tracker, domain)
        situation = read_situation(tracker)
        if situation.problems:
            # "Vi er et sykehjem med høyt fravær. Hvor begynner vi, og kan bransjeprogrammet
            # hjelpe?": the measure named, then what else fits the workplace described.
            events += suggest(dispatcher, situation)
        return events

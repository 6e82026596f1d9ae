"""Answers whether the county IA councils still exist, for the user's county if named."""
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import KnowledgeBase, Source, with_sources
from actions.render import entity_values, kb, utter_entry


def _names(knowledge: KnowledgeBase, keys) -> str:
    names = [knowledge.counties[k].name for k in keys]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def place_text(
    knowledge: KnowledgeBase, counties: List[str], municipalities: List[str]
) -> Optional[str]:
    """What the sources say about IA councils where the user is, or None if no place is named."""
    lines: List[str] = []
    sources: Tuple[Source, ...] = ()
    keys: List[str] = []
    for municipality in municipalities[:1]:
        in_counties = knowledge.counties_of_municipality(municipality)
        if in_counties:
            where = "i både " if len(in_counties) > 1 else "i "
            lines.append(f"{municipality} ligger {where}{_names(knowledge, in_counties)}.")
            sources += knowledge.municipality_sources
            keys.extend(in_counties)
    for county in counties[:1]:
        if county in knowledge.former_counties:
            former = knowledge.former_counties[county]
            lines.append(
                f"{former.name} ble delt 1. januar 2024 i {_names(knowledge, former.became)}."
            )
            sources += former.sources
            keys.extend(former.became)
        elif county in knowledge.counties and county not in keys:
            keys.append(county)
    if not keys:
        return None
    notes = [knowledge.counties[k] for k in dict.fromkeys(keys) if knowledge.counties[k].council_note]
    for county in notes:
        note = county.council_note.strip()
        if note not in lines:  # counties that were one share a note
            lines.append(note)
        sources += county.sources
    if not notes:
        lines.append(
            f"Jeg har ingen kilde som sier om det i dag finnes et IA-råd eller et lignende "
            f"samarbeidsorgan i {_names(knowledge, list(dict.fromkeys(keys)))}. Spør NAV "
            "Arbeidslivssenter i fylket ditt; kontaktinformasjon finner du på nav.no."
        )
    text = " ".join(lines)
    return with_sources(text, tuple(dict.fromkeys(sources)), limit=3) if sources else text


class ActionAnswerCouncilToday(Action):
    def name(self) -> Text:
        return "action_answer_council_today"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        knowledge = kb()
        utter_entry(dispatcher, knowledge.topics["ask_council_today"], knowledge)
        text = place_text(
            knowledge, entity_values(tracker, "county"), entity_values(tracker, "municipality")
        )
        if text:
            dispatcher.utter_message(text=text)
        return []

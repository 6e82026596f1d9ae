"""Answers what each role does in IA work (leader, tillitsvalgt, verneombud, AMU, BHT ...)."""
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import standard
from actions.knowledge import KnowledgeBase
from actions.recommend import suggest_if_described
from actions.render import KeyedAnswerAction, kb, known_keys, latest_text, utter_keyed

# A question about who does what is about the roles, whatever problem it names.
ABOUT_ROLES = re.compile(r"\b(hvem|kven|who|rolle\w*|ansvar\w*|oppgave\w*|oppgåve\w*)\b", re.IGNORECASE)
# A question about what the law requires of a role: when a workplace must have one, how many.
REQUIRED = re.compile(
    r"\b(må|skal|bør) (vi|man|me|du|ein|en|de|dei|alle|virksomhet\w*|verksemd\w*|bedrift\w*)? ?ha\b|\bkrav\w*|\bpåb[uo]d\w*"
    r"|\bplikt\w* (til )?å ha|\btrenger\b|\btreng\b|\bobligatorisk|lovpålagt"
    r"|hvor mange (ansatte|tilsette|arbeidstakere|medlemmer)|\b(need|needs|required?|must)\b",
    re.IGNORECASE,
)
# A question about what a role is or does.
WHAT_IT_DOES = re.compile(
    r"\b(hva|kva) (gjør|gjer|er|driver)\b|\boppg[aå]ve\w*|\brolle\w*|\bwhat (does|is)\b", re.IGNORECASE
)

# A question about what is expected of whoever holds the role, or what it means in IA work. A
# detail's words in it ("valg" in "nyvalgt verneombud, hva forventes av meg?", "ble valgt ... hva
# betyr det i praksis i IA-arbeidet?") do not make it a question about the law's rules.
EXPECTED = re.compile(
    r"\bforvent\w*|\brolle\w*|\brolla\b|\boppg[aå]ve\w*|\bexpected\b|\broles?\b"
    r"|\bia-?arbeid\w*|\bi praksis\b|\binnebær\w*|\binneber\b|\bin practice\b|\bia work\b",
    re.IGNORECASE,
)


def asks_the_rules(knowledge: KnowledgeBase, role: str, text: str) -> bool:
    """Whether `text` asks what the law requires of `role`: false for a role role_rules.yml has
    nothing on (the leader, the employees), else a requirement question, or one of its entry's
    details in a question that does not ask what is expected of the role."""
    rules = knowledge.role_rules.get(role)
    if rules is None:
        return False
    if REQUIRED.search(text):
        return True
    return not EXPECTED.search(text) and any(d.about.search(text) for d in rules.details)


class ActionAnswerRole(KeyedAnswerAction):
    intent = "ask_role"

    def name(self) -> Text:
        return "action_answer_role"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        knowledge, text = kb(), latest_text(tracker)
        keys = known_keys(knowledge, tracker, self.intent)
        if not keys and not ABOUT_ROLES.search(text):
            # "Vi vil forebygge sykefravær" names no role: it may describe what the workplace wants.
            events = suggest_if_described(dispatcher, tracker)
            if events is not None:
                return events
        if keys and asks_the_rules(knowledge, keys[0], text):
            # "Hvem skal ha bedriftshelsetjeneste?", "Har verneombudet taushetsplikt?"
            utter_keyed(dispatcher, "ask_role_rules", keys[:1], text)
            return []
        return await super().run(dispatcher, tracker, domain)


class ActionAnswerRoleRules(KeyedAnswerAction):
    """What the law requires of verneombud, hovedverneombud, AMU and BHT, and the main agreements
    of a tillitsvalgt (data/ia/role_rules.yml)."""

    intent = "ask_role_rules"

    def name(self) -> Text:
        return "action_answer_role_rules"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        knowledge, text = kb(), latest_text(tracker)
        keys = known_keys(knowledge, tracker, "ask_role")
        if keys and WHAT_IT_DOES.search(text) and not asks_the_rules(knowledge, keys[0], text):
            # "Hva gjør et verneombud?" asks what the role does, not what the law requires.
            utter_keyed(dispatcher, "ask_role", keys[:1], text)
            return []
        return await super().run(dispatcher, tracker, domain)

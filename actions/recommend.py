"""Suggests the IA measures that fit a user's situation: reads the industry, size and problem
from what the user wrote and ranks the options with the rule table in data/ia/recommend.yml.
actions/situation.py asks for what a message did not say."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases
from actions.knowledge import DIALOGUE_START, KnowledgeBase, Option, source_line
from actions.parsing import plain
from actions.render import buttons as entry_buttons
from actions.render import entity_values, first_known, kb, latest_text, named_refs

INDUSTRY_SLOT = "situation_industry"
PROBLEM_SLOT = "situation_problem"
SIZE_SLOT = "situation_size"
# The options last suggested, best first: what "hvordan søker vi?" and "passer det for oss?" mean.
SUGGESTED_SLOT = "situation_suggested"
SMALL, LARGE = "small", "large"
LIMIT = 3
_EMPLOYEES = re.compile(
    r"(\d{1,6})\s*(?:ansatte|tilsette|medarbeidere|medarbeidarar|årsverk|employees|people|personer|folk)"
)


@dataclass(frozen=True)
class Situation:
    industry: Optional[str] = None
    problems: Tuple[str, ...] = ()
    size: Optional[str] = None


@dataclass(frozen=True)
class Suggestion:
    option: Option
    score: int
    why: str


def read_problems(text: str, knowledge: Optional[KnowledgeBase] = None) -> Tuple[str, ...]:
    """The problems a message describes, in the order of the data."""
    said = plain(text)
    problems = (knowledge or kb()).recommender.problems
    return tuple(key for key, (_, patterns) in problems.items() if any(p.search(said) for p in patterns))


def read_size(text: str, knowledge: Optional[KnowledgeBase] = None) -> Optional[str]:
    recommender = (knowledge or kb()).recommender
    said = plain(text)
    number = _EMPLOYEES.search(said)
    if number:
        return SMALL if int(number.group(1)) < recommender.small_below else LARGE
    for size in (SMALL, LARGE):
        if recommender.size_words[size].search(said):
            return size
    return None


def read_situation(tracker: Tracker) -> Situation:
    """What the latest message says about the workplace. A button may carry the problems it
    stands for as `problem` entities (the fallback's "finn virkemidler" button does)."""
    knowledge = kb()
    text = latest_text(tracker)
    named = [p for p in entity_values(tracker, "problem") if p in knowledge.recommender.problems]
    problems = tuple(dict.fromkeys(named + list(read_problems(text, knowledge))))
    industry = first_known(tracker, "industry", knowledge.industries)
    return Situation(industry=industry, problems=problems, size=read_size(text, knowledge))


def suggest_if_described(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict]]:
    """The measures that fit, when the latest message describes a workplace problem; None (and
    nothing said) when it describes none. An answer that would otherwise be general (what the
    assistant can do, out of scope, the roles overview, "which measure?") gives way to them:
    "vi vil holde på seniorene, hva finnes av hjelp?"."""
    situation = read_situation(tracker)
    return suggest(dispatcher, situation, tracker) if situation.problems else None


def industry_needed(problems: Sequence[str], knowledge: Optional[KnowledgeBase] = None) -> bool:
    """Whether the industry matters for these problems (not for one employee's absence)."""
    individual = set((knowledge or kb()).recommender.industry_not_needed_for)
    return not problems or not set(problems) <= individual


def conditions(situation: Situation, knowledge: KnowledgeBase) -> List[str]:
    found = list(situation.problems)
    industry = knowledge.industries.get(situation.industry or "")
    if industry is not None:
        found.append("programme" if industry.bransjeprogram else "no_programme")
    if situation.size == SMALL:
        found.append(SMALL)
    if not situation.problems:
        found.append("nothing")
    return found


def rank(situation: Situation, knowledge: Optional[KnowledgeBase] = None, limit: int = LIMIT) -> List[Suggestion]:
    """The best options for `situation`, each with the reason of the rule that gave it most."""
    knowledge = knowledge or kb()
    recommender = knowledge.recommender
    applies = conditions(situation, knowledge)
    industry = knowledge.industries.get(situation.industry or "")
    totals: Dict[str, int] = defaultdict(int)
    best: Dict[str, Tuple[int, str]] = {}
    first_seen: Dict[str, int] = {}
    for rule in recommender.rules:
        if rule.when not in applies:
            continue
        for key, points in rule.scores.items():
            totals[key] += points
            first_seen.setdefault(key, len(first_seen))
            if points > 0 and (key not in best or points > best[key][0]):
                why = rule.why[key].format(
                    industry=industry.name if industry else "",
                    since=(industry.bransjeprogram or {}).get("since", "") if industry else "",
                )
                best[key] = (points, why)
    ranked = sorted((k for k in totals if totals[k] > 0 and k in best), key=lambda k: (-totals[k], first_seen[k]))
    return [Suggestion(recommender.options[k], totals[k], best[k][1]) for k in ranked[:limit]]


def describe(situation: Situation, knowledge: KnowledgeBase) -> str:
    """The situation in a few words ("sykehjem, liten arbeidsplass, høyt sykefravær"), in the
    standard of `knowledge` and the conversation."""
    parts = []
    if situation.industry in knowledge.industries:
        parts.append(knowledge.industries[situation.industry].name.lower())
    if situation.size == SMALL:
        parts.append(phrases.text("recommend.small_workplace"))
    elif situation.size == LARGE:
        parts.append(phrases.text("recommend.large_workplace"))
    parts += [knowledge.recommender.problems[p][0].lower() for p in situation.problems]
    return ", ".join(parts)


def utter_suggestions(dispatcher: CollectingDispatcher, situation: Situation, also: Sequence[str] = ()) -> List[str]:
    """Says the best options for `situation`, with why and the first step, and offers the entries
    `also` names as buttons too; returns the options' keys."""
    knowledge = kb()
    suggestions = rank(situation, knowledge)
    described = describe(situation, knowledge)
    lines = [
        phrases.text("recommend.fits_best", situation=described) if described else phrases.text("recommend.good_start")
    ]
    for number, s in enumerate(suggestions, start=1):
        lines.append(
            phrases.text(
                "recommend.suggestion", number=number, name=s.option.name, why=s.why, first_step=s.option.fit["first_step"]
            )
        )
    industry = knowledge.industries.get(situation.industry or "")
    if industry is not None and not industry.bransjeprogram:
        lines.append(phrases.text("recommend.no_programme", industry=industry.name))
    if not situation.problems:
        lines.append(phrases.text("recommend.tell_the_challenge"))
    sources = []
    for s in suggestions:
        if s.option.sources and s.option.sources[0] not in sources:
            sources.append(s.option.sources[0])
    lines.append(source_line(tuple(sources), limit=LIMIT))
    buttons = [
        {"title": phrases.text("recommend.more_about", name=s.option.name), "payload": knowledge.payload(s.option.ref)}
        for s in suggestions
        if s.option.ref
    ]
    shown = {b["payload"] for b in buttons}
    buttons += [b for b in entry_buttons(knowledge, [*also, DIALOGUE_START]) if b["payload"] not in shown]
    dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
    return [s.option.key for s in suggestions]


def situation_of(tracker: Tracker) -> Situation:
    """The situation the slots hold (what the user said, or answered in the form)."""
    industry = tracker.get_slot(INDUSTRY_SLOT)
    problems = tracker.get_slot(PROBLEM_SLOT)
    return Situation(
        industry=industry if industry in kb().industries else None,
        problems=tuple(problems) if isinstance(problems, list) else (),
        size=tracker.get_slot(SIZE_SLOT),
    )


def suggest(dispatcher: CollectingDispatcher, situation: Situation, tracker: Optional[Tracker] = None) -> List[Dict]:
    """Says the best options for `situation` and keeps the situation for follow-ups
    ("og hvis vi er en barnehage?", "passer det for oss?"). With `tracker`, a step of the sick-leave
    follow-up, a measure or a role its latest message names is offered too: "... Kan jeg foreslå
    gradert sykmelding?" describes a workplace and asks about one step."""
    keys = utter_suggestions(dispatcher, situation, named_refs(kb(), tracker) if tracker else ())
    return [
        SlotSet(INDUSTRY_SLOT, situation.industry),
        SlotSet(PROBLEM_SLOT, list(situation.problems) or None),
        SlotSet(SIZE_SLOT, situation.size),
        SlotSet(SUGGESTED_SLOT, keys),
    ]

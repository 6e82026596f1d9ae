"""The measure recommender as a conversation: a short form that asks only for what the user's
own words did not say (industry, main challenge), the suggestion, and the follow-ups
"hvordan søker vi?" and "passer det for oss?"."""
from __future__ import annotations

import abc
import re
from dataclasses import replace
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.forms import (
    BOOKKEEPING_SLOTS,
    CANCELLED,
    OUTCOME_SLOT,
    PAUSED,
    GuidedForm,
    Verdict,
    ask_actions,
    dont_know_button,
    step_buttons,
)
from actions.knowledge import Option, Step, source_line
from actions.parsing import words_only
from actions.recommend import (
    INDUSTRY_SLOT,
    PROBLEM_SLOT,
    SIZE_SLOT,
    SUGGESTED_SLOT,
    describe,
    industry_needed,
    rank,
    read_problems,
    read_situation,
    read_size,
    situation_of,
    suggest,
    suggest_if_described,
)
from actions.answers import looks_like_a_question
from actions.contacts import answer_found, found_in_message
from actions.render import first_known, kb, latest_text, utter_keyed

FORM = "situation_form"
OTHER_INDUSTRY = "other"


# ----- the form -----------------------------------------------------------------------------
class ValidateSituationForm(GuidedForm):
    # No own intents: an answer here is itself a description of the situation.

    def name(self) -> Text:
        return f"validate_{FORM}"

    def steps(self) -> Sequence[Step]:
        return kb().recommender.steps

    def not_needed(self, values: Dict[str, Any]) -> Sequence[str]:
        problems = values.get(PROBLEM_SLOT)
        if isinstance(problems, list) and not industry_needed(problems):
            return (INDUSTRY_SLOT,)
        return ()

    def read(self, step: Step, text: str, tracker: Tracker, dispatcher: CollectingDispatcher) -> Verdict:
        knowledge = kb()
        if step.kind == "industry":
            industry = first_known(tracker, "industry", knowledge.industries)
            if industry:
                return Verdict(value=industry, events=self._also_said(tracker, text, skip=INDUSTRY_SLOT))
            if words_only(text).startswith(("annen", "anna", "other", "ingen av")):
                return Verdict(value=OTHER_INDUSTRY)
            if re.search(r"[^\W\d_]{3}", text):
                # A trade the knowledge base does not know: it has no bransjeprogram we know of.
                return Verdict(value=OTHER_INDUSTRY, events=self._also_said(tracker, text, skip=INDUSTRY_SLOT))
            return Verdict(error=phrases.text("recommend.industry_in_words"))
        problems = read_problems(text, knowledge)
        if problems:
            return Verdict(value=list(problems), events=self._also_said(tracker, text, skip=PROBLEM_SLOT))
        return Verdict(error=phrases.text("recommend.problem_not_known"))

    @staticmethod
    def _also_said(tracker: Tracker, text: str, skip: str) -> List[EventType]:
        """An answer may say more than was asked ("en barnehage med mye korttidsfravær")."""
        events: List[EventType] = []
        size = read_size(text)
        if size and not tracker.get_slot(SIZE_SLOT):
            events.append(SlotSet(SIZE_SLOT, size))
        if skip != PROBLEM_SLOT and not tracker.get_slot(PROBLEM_SLOT):
            problems = read_problems(text)
            if problems:
                events.append(SlotSet(PROBLEM_SLOT, list(problems)))
        return events

    def ask(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        # Two short questions: no step numbers.
        lines = [step.question, phrases.text("recommend.example", example=step.example)]
        buttons = step_buttons(step) + [dont_know_button()]
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)


ASK_ACTIONS = ask_actions(ValidateSituationForm, kb().recommender.steps, __name__)


# Asks whom to contact ("Hvem kan vi kontakte for å få hjelp?").
WHOM_TO_CONTACT = re.compile(r"\bkontakt\w*|\bcontact\w*|\bwho (can|should) (we|i) (ask|call)\b", re.IGNORECASE)
# Asks what the writer can do in the role they hold: "Jeg er verneombud ... hva kan jeg gjøre i
# min rolle?".
OWN_ROLE = re.compile(r"\b(min|mi) (rolle|rolla)\b|\b(rollen|rolla) mi(n)?\b|\bmy role\b", re.IGNORECASE)


def answer_what_it_names(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """A question in the description that names a measure, asks whom to contact in a place it
    names, or asks what the writer can do in the role they name, gets that answer before the form
    asks what it still needs: "Vi har høyt fravær. Hva kan NAV Arbeidslivssenter bidra med?"."""
    text = latest_text(tracker)
    if "?" not in text and not looks_like_a_question(text, strict=True):
        return
    measure = first_known(tracker, "measure", kb().measures)
    role = first_known(tracker, "ia_role", kb().roles)
    if measure:
        utter_keyed(dispatcher, "ask_measures", [measure], text)
    elif WHOM_TO_CONTACT.search(text):
        answer_found(dispatcher, found_in_message(tracker))
    elif role and OWN_ROLE.search(text):
        utter_keyed(dispatcher, "ask_role", [role], text)


class ActionSituationStart(Action):
    """Before the form: answers a question the message asks about a thing it names, and keeps
    what the message says about the workplace, so the form asks only the rest."""

    def name(self) -> Text:
        return "action_situation_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        answer_what_it_names(dispatcher, tracker)
        situation = read_situation(tracker)
        if tracker.get_slot(SUGGESTED_SLOT):
            # Told more after a suggestion ("sykehjem" first, then "mye korttidsfravær"): what
            # was said before about the workplace still holds unless the message says otherwise.
            earlier = situation_of(tracker)
            situation = replace(
                situation, industry=situation.industry or earlier.industry, size=situation.size or earlier.size
            )
        events: List[EventType] = [SlotSet(slot, None) for slot in BOOKKEEPING_SLOTS]
        events += [
            SlotSet(INDUSTRY_SLOT, situation.industry),
            SlotSet(PROBLEM_SLOT, list(situation.problems) or None),
            SlotSet(SIZE_SLOT, situation.size),
        ]
        asks_industry = not situation.industry and industry_needed(situation.problems)
        if asks_industry or not situation.problems:
            phrases.utter(dispatcher, "recommend.first_a_question")
        return events


class ActionRecommendMeasures(Action):
    """After the form: the best two or three options, unless the user stopped."""

    def name(self) -> Text:
        return "action_recommend_measures"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        reset = [SlotSet(slot, None) for slot in BOOKKEEPING_SLOTS]
        if tracker.get_slot(OUTCOME_SLOT) in (CANCELLED, PAUSED):
            phrases.utter(dispatcher, "recommend.stopped")
            return reset + [SlotSet(INDUSTRY_SLOT, None), SlotSet(PROBLEM_SLOT, None), SlotSet(SIZE_SLOT, None)]
        # A skipped step ("vet ikke") is unknown: situation_of reads it as nothing said.
        return reset + suggest(dispatcher, situation_of(tracker), tracker)


# ----- follow-ups after a suggestion ---------------------------------------------------------
def option_in_question(tracker: Tracker) -> Optional[Option]:
    """The option a follow-up is about: the measure it names, else the best one suggested."""
    options = kb().recommender.options
    named = first_known(tracker, "measure", options)
    if named:
        return options[named]
    suggested = tracker.get_slot(SUGGESTED_SLOT) or []
    return options.get(suggested[0]) if suggested else None


def utter_pick_a_measure(dispatcher: CollectingDispatcher) -> None:
    knowledge = kb()
    dispatcher.utter_message(
        text=phrases.text("recommend.which_measure"),
        buttons=[
            {"title": entry.name, "payload": knowledge.payload(f"ask_measures/{key}")}
            for key, entry in knowledge.measures.items()
        ],
    )


class FollowUpOnOption(Action, abc.ABC):
    """A follow-up about the measure named, else the best one suggested; asks which when there
    is neither."""

    @abc.abstractmethod
    def lines(self, option: Option, tracker: Tracker) -> List[str]:
        ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        option = option_in_question(tracker)
        if option is None:
            # "en ansatt er gradert sykmeldt og skal tilbake i full stilling, hvordan får vi det
            # til?" asks how, about a situation rather than a measure.
            events = suggest_if_described(dispatcher, tracker)
            if events is None:
                utter_pick_a_measure(dispatcher)
            return events or []
        dispatcher.utter_message(text="\n".join(self.lines(option, tracker) + [source_line(option.sources)]))
        return []


class ActionAnswerHowToApply(FollowUpOnOption):
    def name(self) -> Text:
        return "action_answer_how_to_apply"

    def lines(self, option: Option, tracker: Tracker) -> List[str]:
        return [f"{option.name}: {option.fit['first_step']}", phrases.text("recommend.requires", asks=option.fit["asks"])]


class ActionAnswerFit(FollowUpOnOption):
    def name(self) -> Text:
        return "action_answer_fit"

    def lines(self, option: Option, tracker: Tracker) -> List[str]:
        lines = [
            f"{option.name} – for: {option.fit['for']}",
            phrases.text("recommend.fits", fits=option.fit["fits"]),
            phrases.text("recommend.fits_less", not_fit=option.fit["not_fit"]),
        ]
        situation = situation_of(tracker)
        if situation.industry or situation.problems:
            ranked = [s.option.key for s in rank(situation)]
            verdict = "recommend.among_the_best" if option.key in ranked else "recommend.not_among_the_best"
            lines.append(phrases.text(verdict, situation=describe(situation, kb())))
        return lines

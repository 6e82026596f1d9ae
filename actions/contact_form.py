"""The short form behind "whom do we contact?": it asks for the county, municipality or town
when the question names none, and which one when a name means several places."""
from __future__ import annotations

from typing import Any, Dict, List, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.contacts import (
    CANDIDATES_SLOT,
    FORM,
    PLACE_SLOT,
    found_in_message,
    load_contacts,
    pending,
    place_from_slot,
    to_slot,
    utter_contact,
    which_buttons,
    which_text,
)
from actions.draft import SKIPPED
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
from actions.knowledge import Step
from actions.places import gazetteer
from actions.render import kb

class ActionContactStart(Action):
    """Before the form: the place the question names, or the places it could mean."""

    def name(self) -> Text:
        return "action_contact_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        found = found_in_message(tracker, read_text=True)
        events: List[EventType] = [SlotSet(slot, None) for slot in BOOKKEEPING_SLOTS]
        place = found.place
        return events + [
            SlotSet(PLACE_SLOT, to_slot(place, found) if place else None),
            SlotSet(CANDIDATES_SLOT, pending(found)),
        ]


class ValidateContactForm(GuidedForm):
    own_intents = ("ask_contact",)

    def name(self) -> Text:
        return f"validate_{FORM}"

    def steps(self) -> Sequence[Step]:
        return load_contacts().steps

    def read(self, step: Step, text: str, tracker: Tracker, dispatcher: CollectingDispatcher) -> Verdict:
        found = gazetteer(kb()).read(text)
        if found.place:
            return Verdict(value=to_slot(found.place, found), events=[SlotSet(CANDIDATES_SLOT, None)])
        if found.candidates:
            # Not a wrong answer: the step is asked again with a button for each place.
            return Verdict(value=None, events=[SlotSet(CANDIDATES_SLOT, pending(found))])
        return Verdict(error=phrases.text("forms.contact_unknown_place", said=text))

    def ask(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        candidates = tracker.get_slot(CANDIDATES_SLOT)
        if isinstance(candidates, dict):
            places = [place_from_slot(p) for p in candidates["places"]]
            dispatcher.utter_message(
                text=which_text(candidates["said"], candidates["fuzzy"]),
                buttons=which_buttons(kb(), places) + [dont_know_button()],
            )
            return
        buttons = step_buttons(step) + [dont_know_button()]
        dispatcher.utter_message(text=f"{step.question}\n{step.why}", buttons=buttons)


ASK_ACTIONS = ask_actions(ValidateContactForm, load_contacts().steps, __name__)


class ActionAnswerContact(Action):
    """After the form: whom to contact for the place given, or anywhere ("vet ikke")."""

    def name(self) -> Text:
        return "action_answer_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        reset = [SlotSet(s, None) for s in (*BOOKKEEPING_SLOTS, PLACE_SLOT, CANDIDATES_SLOT)]
        if tracker.get_slot(OUTCOME_SLOT) in (CANCELLED, PAUSED):
            phrases.utter(dispatcher, "forms.contact_left")
            return reset
        value = tracker.get_slot(PLACE_SLOT)
        place = None if value == SKIPPED else place_from_slot(value)
        said = value.get("said", "") if isinstance(value, dict) else ""
        fuzzy = bool(value.get("fuzzy")) if isinstance(value, dict) else False
        utter_contact(dispatcher, place, said, fuzzy)
        return reset

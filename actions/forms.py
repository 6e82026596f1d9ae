"""One base for the guided dialogues (Rasa forms): each form's steps are data (a `Step` per
slot, from data/ia/), and this module reads every answer the same way.

For the requested step, a message is, in this order:
- input the guard flagged (an identity number, empty or unreadable text): said so, asked again;
- a command (data/ia/forms.yml): «hjelp» explains the step, «hopp over» skips an optional one,
  «tilbake» asks the previous one again, «vis utkastet» shows the progress, «pause» leaves the
  form with the answers kept, «avbryt» leaves it with the answers removed;
- a question the assistant can answer (actions/answers.py): answered, then the step is asked again;
- an answer, which the form reads (`GuidedForm.read`). A wrong answer gets a helpful message;
  after `MAX_FAILURES` in a row the step is explained and skipping, pausing or stopping offered.

Each step is asked by its own `action_ask_<slot>` (made by `ask_actions`), short when it is
asked again. After the form, one action speaks the outcome (see `OUTCOME_SLOT`).

Everything the form says is in the conversation's written standard: the steps come from the
knowledge base in it, the words around them from data/ia/phrases/forms.yml.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Text, Type

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.answers import answer, looks_like_a_question, question_intent
from actions.draft import SKIPPED
from actions.fallback import not_understood
from actions.knowledge import FormWords, Step
from actions.parsing import looks_like_nonsense, match_command, split_yes_no
from actions.render import kb, latest

REQUESTED_SLOT = "requested_slot"
# Wrong answers in a row to the step being asked.
FAILURES_SLOT = "form_failures"
# How the last form ended when it did not end by being completed: "paused" or "cancelled".
OUTCOME_SLOT = "form_outcome"
# Whether the step now asked was asked just before (the question is then shown short).
REASK_SLOT = "form_reask"
BOOKKEEPING_SLOTS = (FAILURES_SLOT, OUTCOME_SLOT, REASK_SLOT)
PAUSED, CANCELLED = "paused", "cancelled"

MAX_FAILURES = 2
# "ha det" pauses the form, "takk" is answered; a longer message is read as an answer.
SMALL_TALK_CONFIDENCE = 0.8
SMALL_TALK_WORDS = 6
MAX_ANSWER_CHARS = 500


# Button payloads are plain text, so that a form reads a click like typed words; the payload
# is also read for the conversation's standard, so it must be neutral or in that standard.
def _button(name: str, payload: Optional[str] = None) -> Dict[str, str]:
    title = phrases.text(f"forms.button_{name}")
    return {"title": title, "payload": payload or title.lower()}


def skip_button() -> Dict[str, str]:
    return _button("skip", "hopp over")


def pause_button() -> Dict[str, str]:
    return _button("pause", "pause")


def cancel_button() -> Dict[str, str]:
    return _button("cancel", "avbryt")


def dont_know_button() -> Dict[str, str]:
    """For steps that take "vet ikke" as an answer: a skip command in data/ia/forms.yml, sent
    as "vet ikke" or "veit ikkje"."""
    return _button("dont_know")


@dataclass
class Verdict:
    """What a form made of an answer: the value to keep, or why it could not use it."""

    value: Any = None
    error: Optional[str] = None
    events: List[EventType] = field(default_factory=list)


class GuidedForm(FormValidationAction, abc.ABC):
    """The validation action of a form whose steps are data. Subclasses name the form, give
    its steps, read an answer (`read`) and may show the progress so far (`show_progress`)."""

    # Intents that start or resume this form: said again inside it, the step is asked again.
    own_intents: Sequence[str] = ()

    @abc.abstractmethod
    def steps(self) -> Sequence[Step]:
        ...

    @abc.abstractmethod
    def read(self, step: Step, text: str, tracker: Tracker, dispatcher: CollectingDispatcher) -> Verdict:
        """The value `text` gives `step`, or why it gives none."""

    def takes_free_text(self, step: Step) -> bool:
        """Whether any text is an answer to `step` (then a question cannot be one)."""
        return step.kind == "text"

    def show_progress(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        dispatcher.utter_message(text=phrases.text("forms.no_draft"))
        return []

    def ask(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Asks `step`: its number, the question, why it matters and an example; only the
        number, the question and the example when it is asked again."""
        steps = [s for s in self.steps() if s.kind != "confirm"]
        if step in steps:
            lines = [phrases.text("forms.progress", number=steps.index(step) + 1, steps=len(steps), question=step.question)]
        else:
            lines = [step.question]
        if not tracker.get_slot(REASK_SLOT):
            lines.append(step.why)
        lines.append(phrases.text("forms.example", example=step.example))
        buttons = step_buttons(step)
        if step.optional:
            buttons.append(skip_button())
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)

    # ----- reading a turn -----------------------------------------------------------
    def words(self) -> FormWords:
        return kb().form_words

    def step_of_slot(self, slot: Optional[str]) -> Optional[Step]:
        return next((s for s in self.steps() if s.slot == slot), None)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        step = self.step_of_slot(tracker.get_slot(REQUESTED_SLOT))
        candidates = tracker.slots_to_validate()
        if step is None or step.slot not in candidates:
            # Activation, or slots filled before it: nothing the user just said to read.
            events: List[EventType] = []
        else:
            # The text the NLU read: the input guard has removed markup, control characters and
            # identity numbers from it (the candidate is the raw text Rasa received).
            cleaned = latest(tracker, "text")
            text = str(cleaned if cleaned is not None else candidates[step.slot] or "").strip()
            events = await self.handle(step, text, dispatcher, tracker, domain)
        return events + self.next_request(tracker, events)

    def not_needed(self, values: Dict[str, Any]) -> Sequence[str]:
        """Slots this form need not ask for, given the values so far (none by default)."""
        return ()

    def next_request(self, tracker: Tracker, events: List[EventType]) -> List[EventType]:
        """When `not_needed` leaves out a step, the next step to ask (or none: the form is done);
        otherwise Rasa asks the first empty step itself."""
        if any(e.get("name") == REQUESTED_SLOT for e in events if e.get("event") == "slot"):
            return []
        values = {s.slot: tracker.get_slot(s.slot) for s in self.steps()}
        values.update({e["name"]: e["value"] for e in events if e.get("event") == "slot" and e["name"] in values})
        skipped = set(self.not_needed({**tracker.slots, **values}))
        if not skipped:
            return []
        following = next((s.slot for s in self.steps() if values[s.slot] is None and s.slot not in skipped), None)
        return [SlotSet(REQUESTED_SLOT, following)]

    async def handle(
        self,
        step: Step,
        text: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[EventType]:
        intent = (latest(tracker, "intent") or {}).get("name")
        if intent == "personal_data":
            phrases.utter(dispatcher, "dialogue.personal_data")
            return self.again(step)
        if intent == standard.CHOOSE_INTENT:
            # "svar på nynorsk": confirmed, and the step asked again, in the standard chosen.
            phrases.utter(dispatcher, "forms.standard_chosen")
            return self.again(step)
        if intent == "invalid_input":
            problem = latest(tracker, "input_problem")
            return self.fail(step, not_understood(problem), dispatcher, tracker)

        command = match_command(text, self.words().commands)
        if command:
            return getattr(self, f"on_{command}")(step, dispatcher, tracker)

        said = self.small_talk(intent, text, tracker)
        if said == "goodbye":
            return self.on_pause(step, dispatcher, tracker)
        if said in self.own_intents:
            phrases.utter(dispatcher, "forms.already_started")
            return self.again(step)
        if said == "thank":
            phrases.utter(dispatcher, "dialogue.thank")
            return self.again(step)

        asked = question_intent(tracker)
        if asked:
            await answer(asked, dispatcher, tracker, domain)
            return self.again(step)

        if len(text) > MAX_ANSWER_CHARS:
            return self.fail(step, phrases.text("forms.too_long", limit=MAX_ANSWER_CHARS), dispatcher, tracker)
        if not text:
            return self.fail(step, phrases.text("forms.no_answer"), dispatcher, tracker)
        # A question about the step ("vi har ingen tillitsvalgte, hva gjør vi da?") is not an
        # answer to it: explain the step. A question that reads as a valid answer ("2 år?") is.
        question = looks_like_a_question(text, strict=True)
        if question and self.takes_free_text(step):
            return self.on_help(step, dispatcher, tracker)
        verdict = self.read(step, text, tracker, dispatcher)
        if verdict.error and question:
            return self.on_help(step, dispatcher, tracker)
        if verdict.error:
            return self.fail(step, verdict.error, dispatcher, tracker)
        return [SlotSet(step.slot, verdict.value), SlotSet(FAILURES_SLOT, 0), SlotSet(REASK_SLOT, False)] + verdict.events

    def small_talk(self, intent: Optional[str], text: str, tracker: Tracker) -> Optional[str]:
        """The intent of a short, confidently recognised message that is about the
        conversation rather than an answer ("ha det", "takk", "lag en lokal IA-avtale").
        A yes or no ("ja takk") is always an answer."""
        if split_yes_no(text, self.words().yes, self.words().no)[0] is not None:
            return None
        confidence = (latest(tracker, "intent") or {}).get("confidence") or 0.0
        if confidence >= SMALL_TALK_CONFIDENCE and len(text.split()) <= SMALL_TALK_WORDS:
            return intent
        return None

    # ----- outcomes -----------------------------------------------------------------
    @staticmethod
    def again(step: Step) -> List[EventType]:
        """Ask the same step again (short), without counting a failure."""
        return [SlotSet(step.slot, None), SlotSet(REASK_SLOT, True)]

    def fail(self, step: Step, message: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        failures = int(tracker.get_slot(FAILURES_SLOT) or 0) + 1
        if failures < MAX_FAILURES:
            dispatcher.utter_message(text=message)
        else:
            if step.optional:
                offer = phrases.text("forms.offer_skip")
                buttons = [skip_button(), pause_button(), cancel_button()]
            else:
                offer = phrases.text("forms.offer_pause")
                buttons = [pause_button(), cancel_button()]
            dispatcher.utter_message(text=f"{message}\n{step.help}\n{offer}", buttons=buttons)
        return [SlotSet(step.slot, None), SlotSet(FAILURES_SLOT, failures), SlotSet(REASK_SLOT, True)]

    def on_help(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        dispatcher.utter_message(text=f"{step.why}\n{step.help}")
        return self.again(step)

    def on_skip(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        if not step.optional:
            return self.fail(step, phrases.text("forms.cannot_skip", why=step.why), dispatcher, tracker)
        phrases.utter(dispatcher, "forms.skipped")
        return [SlotSet(step.slot, SKIPPED), SlotSet(FAILURES_SLOT, 0), SlotSet(REASK_SLOT, False)]

    def on_back(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        steps = list(self.steps())
        index = steps.index(step)
        if index == 0:
            phrases.utter(dispatcher, "forms.first_step")
            return self.again(step)
        previous = steps[index - 1]
        phrases.utter(dispatcher, "forms.back", title=previous.title.lower())
        return [
            SlotSet(previous.slot, None),
            SlotSet(step.slot, None),
            SlotSet(FAILURES_SLOT, 0),
            SlotSet(REASK_SLOT, False),
        ]

    def on_cancel(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        return [SlotSet(s.slot, None) for s in self.steps()] + self._leave(CANCELLED)

    def on_pause(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        return [SlotSet(step.slot, None)] + self._leave(PAUSED)

    def on_show_draft(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        return self.show_progress(step, dispatcher, tracker) + self.again(step)

    @staticmethod
    def _leave(outcome: str) -> List[EventType]:
        # Setting the requested slot to None ends the form (Rasa's FormAction.is_done).
        return [
            SlotSet(OUTCOME_SLOT, outcome),
            SlotSet(FAILURES_SLOT, 0),
            SlotSet(REASK_SLOT, False),
            SlotSet(REQUESTED_SLOT, None),
        ]


def step_buttons(step: Step) -> List[Dict[str, str]]:
    """A step's buttons; the payload is the title, so a click reads like typed words."""
    return [{"title": b, "payload": b} for b in step.buttons]


def free_text(text: str) -> Verdict:
    """A free-text answer: anything a person could mean, nothing that is only noise."""
    if looks_like_nonsense(text):
        return Verdict(error=phrases.text("forms.not_understood"))
    return Verdict(value=text)


class AskStepAction(Action, abc.ABC):
    """Asks one step of a form (Rasa calls `action_ask_<slot>` to ask for a slot)."""

    form_class: Type[GuidedForm]
    step_key: str

    @abc.abstractmethod
    def name(self) -> Text:
        ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        form = self.form_class()
        step = next(s for s in form.steps() if s.key == self.step_key)
        form.ask(step, dispatcher, tracker)
        return []


def ask_actions(form_class: Type[GuidedForm], steps: Sequence[Step], module: str) -> List[type]:
    """One `action_ask_<slot>` class per step, registered with the action server like any
    other action in `module`."""
    return [_ask_action(form_class, step, module) for step in steps]


def _ask_action(form_class: Type[GuidedForm], step: Step, module: str) -> type:
    action_name = f"action_ask_{step.slot}"

    class AskStep(AskStepAction):
        def name(self) -> Text:
            return action_name

    AskStep.form_class = form_class
    AskStep.step_key = step.key
    AskStep.__name__ = AskStep.__qualname__ = "Ask" + "".join(p.title() for p in step.slot.split("_"))
    AskStep.__module__ = module
    return AskStep

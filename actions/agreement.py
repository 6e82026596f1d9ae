"""The guided local IA agreement: a form whose steps are data/ia/agreement.yml, ending with a
draft the parties can adapt and sign (actions/draft.py renders it). It speaks the
conversation's written standard: the steps and texts from the knowledge base in it, its own
words from data/ia/phrases/agreement.yml. An answer it words itself (a choice, the names of
measures) is kept in bokmål and shown in the conversation's standard (actions/draft.py)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Optional, Text

from rapidfuzz import fuzz
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.draft import chat_text, document, numbered_steps, summary
from actions.forms import (
    BOOKKEEPING_SLOTS,
    CANCELLED,
    FAILURES_SLOT,
    OUTCOME_SLOT,
    PAUSED,
    REASK_SLOT,
    GuidedForm,
    Verdict,
    ask_actions,
    free_text,
    step_buttons,
)
from actions.knowledge import Guide, Step, load, with_sources
from actions.parsing import (
    STORED,
    parse_percent,
    parse_period,
    split_yes_no,
    target_text,
    words_only,
)
from actions.render import entity_values, kb

FORM = "local_agreement_form"
# Whether the user asked for the draft so far (said when the dialogue is cancelled).
DRAFT_SHOWN_SLOT = "agreement_draft_shown"
CONFIRMED = "ja"
CHOICE_SCORE = 85
ALL_MEASURES = (
    "alle", "all", "alle som passer", "alle som passer for oss", "alle som passar",
    "alle som passar for oss", "alle sammen", "alle saman", "alt",
)
CHANGE = re.compile(r"^(endre|endra|rette|retta|forandre|forandra|change|edit)\b\s*(.*)$")


def guide() -> Guide:
    return kb().agreement


def answers(tracker: Tracker, asking: Optional[Step] = None) -> Dict[str, Optional[str]]:
    """The answers so far; `asking` is the step being asked, whose slot holds what the user
    just said rather than an answer."""
    return {s.key: None if s == asking else tracker.get_slot(s.slot) for s in guide().steps}


def today() -> dt.date:
    return dt.date.today()


def choice_titles(step: Step) -> Dict[str, str]:
    """What a choice of `step` can be called: its key (the bokmål button) and its button in
    each standard, to the value kept (in bokmål, shown in the conversation's standard)."""
    titles = {name: name for name in step.choices}
    stored = load(standard=STORED).agreement.step(step.key).buttons
    for other in standard.STANDARDS:
        buttons = load(standard=other).agreement.step(step.key).buttons
        titles.update((title, key) for title, key in zip(buttons, stored) if key in step.choices)
    return {title: step.choices[key] for title, key in titles.items()}


class ValidateLocalAgreementForm(GuidedForm):
    own_intents = ("start_local_agreement", "continue_local_agreement")

    def name(self) -> Text:
        return f"validate_{FORM}"

    def steps(self):
        return guide().steps

    def takes_free_text(self, step: Step) -> bool:
        return step.kind in ("text", "yes_no_or_name", "measures")

    def read(self, step: Step, text: str, tracker: Tracker, dispatcher: CollectingDispatcher) -> Verdict:
        return getattr(self, f"read_{step.kind}")(step, text, tracker, dispatcher)

    # ----- one reader per kind of step (data/ia/agreement.yml) ------------------------
    def read_text(self, step: Step, text: str, tracker: Tracker, dispatcher) -> Verdict:
        said = words_only(text)
        for choice, value in choice_titles(step).items():
            if fuzz.ratio(said, words_only(choice)) >= CHOICE_SCORE:
                return Verdict(value=value)
        return free_text(text)

    def read_yes_no_or_name(self, step: Step, text: str, tracker: Tracker, dispatcher) -> Verdict:
        words = self.words()
        answer, rest = split_yes_no(text, words.yes, words.no)
        if answer is True:
            return Verdict(value=f"Ja – {rest}" if rest else step.choices.get("ja", "Ja"))
        if answer is False:
            return Verdict(value=f"Nei – {rest}" if rest else step.choices.get("nei", "Nei"))
        return free_text(text)

    def read_intention(self, step: Step, text: str, tracker: Tracker, dispatcher) -> Verdict:
        words = self.words()
        answer, rest = split_yes_no(text, words.yes, words.no)
        if answer is True:
            addition = re.sub(r"^(og|and)\s+", "", rest, flags=re.IGNORECASE).strip()
            if words_only(text) in {words_only(b) for b in step.buttons}:
                addition = ""  # the button's own words add nothing
            return Verdict(value=addition[:1].upper() + addition[1:] if addition else "Ja")
        if answer is False:
            return Verdict(error=phrases.text("agreement.intention_not_agreed"))
        return Verdict(error=phrases.text("agreement.intention_how"))

    def read_period(self, step: Step, text: str, tracker: Tracker, dispatcher) -> Verdict:
        period = parse_period(text, today())
        if period:
            return Verdict(value=period)
        year = today().year
        return Verdict(
            error=phrases.text("agreement.period_not_understood", this_year=year, end_year=year + 2, next_year=year + 1)
        )

    def read_percent(self, step: Step, text: str, tracker: Tracker, dispatcher) -> Verdict:
        target = parse_percent(text)
        if target:
            return Verdict(value=target_text(*target))
        if re.search(r"\d", text):
            return Verdict(error=phrases.text("agreement.target_out_of_range"))
        return Verdict(error=phrases.text("agreement.target_not_a_number"))

    def read_measures(self, step: Step, text: str, tracker: Tracker, dispatcher) -> Verdict:
        # Kept by their bokmål names; the draft shows them in the conversation's standard.
        measures = load(standard=STORED).measures
        if words_only(text) in ALL_MEASURES:
            return Verdict(value=", ".join(m.name for m in measures.values()))
        named = [measures[key].name for key in entity_values(tracker, "measure") if key in measures]
        if named:
            return Verdict(value=", ".join(named))
        return free_text(text)

    def read_confirm(self, step: Step, text: str, tracker: Tracker, dispatcher) -> Verdict:
        words = self.words()
        answer, rest = split_yes_no(text, words.yes, words.no)
        if answer is True and not CHANGE.match(words_only(rest)):
            return Verdict(value=CONFIRMED)
        change = CHANGE.match(words_only(rest if answer is not None else text))
        target = self._step_to_change(change.group(2)) if change else None
        if target:
            phrases.utter(dispatcher, "agreement.changing", title=target.title.lower())
            return Verdict(value=None, events=[SlotSet(target.slot, None)])
        if change or answer is False:
            buttons = [
                {"title": phrases.text("agreement.button_change_step", number=n, title=s.title), "payload": f"endre {n}"}
                for n, s in enumerate(numbered_steps(guide()), start=1)
            ]
            phrases.utter(dispatcher, "agreement.which_to_change", offered=buttons)
            return Verdict(value=None, events=[SlotSet(REASK_SLOT, True)])
        return Verdict(error=phrases.text("agreement.confirm_how"))

    @staticmethod
    def _step_to_change(said: str) -> Optional[Step]:
        steps = numbered_steps(guide())
        number = re.search(r"\d+", said)
        if number:
            index = int(number.group()) - 1
            return steps[index] if 0 <= index < len(steps) else None
        if not said:
            return None
        best = max(steps, key=lambda s: fuzz.partial_ratio(said, s.title.lower()))
        return best if fuzz.partial_ratio(said, best.title.lower()) >= CHOICE_SCORE else None

    # ----- what the form shows ------------------------------------------------------
    def ask(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        if step.kind != "confirm":
            super().ask(step, dispatcher, tracker)
            return
        text = "\n".join([step.question, summary(guide(), answers(tracker)), phrases.text("agreement.summary_how")])
        buttons = step_buttons(step) + [{"title": phrases.text("agreement.button_change"), "payload": "endre"}]
        dispatcher.utter_message(text=text, buttons=buttons)

    def show_progress(self, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        send_draft(dispatcher, phrases.text("agreement.draft_so_far"), answers(tracker, asking=step), final=False)
        return [SlotSet(DRAFT_SHOWN_SLOT, True)]


def send_draft(dispatcher: CollectingDispatcher, lead: str, given: Dict[str, Optional[str]], final: bool) -> None:
    """`lead`, then the draft as chat text and as a document a channel can offer to download."""
    draft = document(guide(), given, today(), final)
    dispatcher.utter_message(text=lead)
    dispatcher.utter_message(text=chat_text(draft["data"]["content"]))
    dispatcher.utter_message(json_message=draft)


ASK_ACTIONS = ask_actions(ValidateLocalAgreementForm, guide().steps, __name__)


class ActionAgreementStart(Action):
    """Before the form: the introduction, or where a paused dialogue stands."""

    def name(self) -> Text:
        return "action_agreement_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        the_guide = guide()
        steps = numbered_steps(the_guide)
        done = sum(1 for step in steps if tracker.get_slot(step.slot) is not None)
        if done:
            dispatcher.utter_message(text=the_guide.texts["resume"].format(answered=done, steps=len(steps)))
        else:
            intro = the_guide.texts["intro"].format(steps=len(steps))
            dispatcher.utter_message(text=with_sources(intro, the_guide.entry.sources, limit=1))
        return [SlotSet(FAILURES_SLOT, 0), SlotSet(OUTCOME_SLOT, None), SlotSet(REASK_SLOT, False)]


class ActionAgreementFinish(Action):
    """After the form: the draft when the user confirmed, else what became of the answers."""

    def name(self) -> Text:
        return "action_agreement_finish"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        the_guide = guide()
        outcome = tracker.get_slot(OUTCOME_SLOT)
        reset = [SlotSet(slot, None) for slot in BOOKKEEPING_SLOTS]
        if outcome == PAUSED:
            dispatcher.utter_message(text=the_guide.texts["paused"])
            return reset
        if outcome == CANCELLED:
            text = the_guide.texts["cancelled"]
            if tracker.get_slot(DRAFT_SHOWN_SLOT):
                text += " " + the_guide.texts["cancelled_after_draft"]
            dispatcher.utter_message(text=text)
            return reset + [SlotSet(DRAFT_SHOWN_SLOT, None)]
        given = answers(tracker)
        if given.get("confirm") != CONFIRMED:
            return reset
        send_draft(dispatcher, the_guide.texts["done"], given, final=True)
        return reset + [SlotSet(DRAFT_SHOWN_SLOT, None)] + [SlotSet(s.slot, None) for s in the_guide.steps]

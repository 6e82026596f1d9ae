"""The guided local IA agreement: the form's validation action, the actions that ask each step,
start and finish the dialogue, run against the trackers Rasa sends them (tests/conftest.py)."""
import asyncio

import pytest
import yaml

from actions import agreement
from actions.agreement import (
    ASK_ACTIONS,
    CONFIRMED,
    DRAFT_SHOWN_SLOT,
    ActionAgreementFinish,
    ActionAgreementStart,
    ValidateLocalAgreementForm,
)
from actions.answers import KEYED_ANSWERS
from actions.draft import SKIPPED
from actions import phrases
from actions.fallback import not_understood
from actions.forms import FAILURES_SLOT, MAX_ANSWER_CHARS, OUTCOME_SLOT, REASK_SLOT
from actions.render import answer_text
from tests.conftest import ROOT, form_tracker, run_action, slot_events

FORM = ValidateLocalAgreementForm()


def validate(domain, requested, text, **kwargs):
    messages, events = run_action(FORM, form_tracker(f"agreement_{requested}", text, **kwargs), domain)
    return messages, slot_events(events)


def filled(kb, upto):
    """Slots of every step before `upto`, answered."""
    slots = {}
    for step in kb.agreement.steps:
        if step.key == upto:
            break
        slots[step.slot] = f"svar {step.key}"
    return slots


# ----- the data and the domain agree ------------------------------------------------------
def test_the_form_asks_the_steps_of_the_data_in_order(kb, domain):
    slots = [s.slot for s in kb.agreement.steps]
    assert domain["forms"]["local_agreement_form"]["required_slots"] == slots
    for slot in slots:
        [mapping] = domain["slots"][slot]["mappings"]
        assert mapping["type"] == "from_text"
        assert mapping["conditions"] == [{"active_loop": "local_agreement_form", "requested_slot": slot}]
        assert f"action_ask_{slot}" in domain["actions"]
    assert sorted(a().name() for a in ASK_ACTIONS) == sorted(f"action_ask_{s}" for s in slots)


def test_every_step_is_explained_sourced_and_marked(kb):
    for step in kb.agreement.steps:
        assert step.question and step.why and step.example and step.help, step.key
        assert step.sources and step.basis in {"mal", "god_praksis"}
    confirmed = {s.key for s in kb.agreement.steps if s.basis == "mal"}
    # What the source says the template holds or lets the parties decide.
    assert {"workplace", "employer", "employees", "intention", "period", "sick_leave_target"} <= confirmed


def test_questions_in_a_dialogue_are_answered_by_the_same_actions_as_outside_it():
    rules = yaml.safe_load((ROOT / "data" / "stories" / "rules.yml").read_text(encoding="utf-8"))
    for intent, action in KEYED_ANSWERS.items():
        assert any(
            rule["steps"][:2] == [{"intent": intent}, {"action": action().name()}] for rule in rules["rules"]
        ), intent


# ----- answers --------------------------------------------------------------------------
def test_an_answer_fills_its_step_and_clears_the_failures(domain):
    messages, slots = validate(domain, "workplace", "Solbakken sykehjem", slots={FAILURES_SLOT: 1})
    assert messages == []
    assert slots == {"agreement_workplace": "Solbakken sykehjem", FAILURES_SLOT: 0, REASK_SLOT: False}


def test_nonsense_gets_a_helpful_message_then_an_offer_to_stop(domain, kb):
    messages, slots = validate(domain, "workplace", "asdfgh")
    assert [m["text"] for m in messages] == ["Det svaret forstod jeg ikke. Skriv med vanlige ord, gjerne kort."]
    assert slots["agreement_workplace"] is None and slots[FAILURES_SLOT] == 1
    messages, slots = validate(domain, "workplace", "qwerty", slots={FAILURES_SLOT: 1})
    [message] = messages
    assert kb.agreement.step("workplace").help in message["text"]
    assert "må være med i avtalen" in message["text"]
    # A required step cannot be skipped: pause or stop.
    assert [b["payload"] for b in message["buttons"]] == ["pause", "avbryt"]
    assert slots[FAILURES_SLOT] == 2


@pytest.mark.parametrize("text", ["5", "5 %", "fem prosent", "5,2"])
def test_a_sick_leave_target_in_per_cent(domain, text):
    _, slots = validate(domain, "sick_leave_target", text)
    assert slots["agreement_sick_leave_target"].startswith("Sykefraværet skal ned til 5")


@pytest.mark.parametrize(
    "text, error",
    [
        ("150", "mellom 0 og 100"),
        ("0 %", "mellom 0 og 100"),
        ("mye lavere", "tall i prosent"),
    ],
)
def test_a_target_that_is_not_a_percentage_is_refused(domain, text, error):
    messages, slots = validate(domain, "sick_leave_target", text)
    assert error in messages[0]["text"]
    assert slots["agreement_sick_leave_target"] is None


def test_two_failed_targets_offer_to_skip(domain):
    messages, slots = validate(domain, "sick_leave_target", "masse", slots={FAILURES_SLOT: 1})
    assert [b["payload"] for b in messages[0]["buttons"]] == ["hopp over", "pause", "avbryt"]
    _, slots = validate(domain, "sick_leave_target", "hopp over", slots={FAILURES_SLOT: 2})
    assert slots["agreement_sick_leave_target"] == SKIPPED and slots[FAILURES_SLOT] == 0


@pytest.mark.parametrize("text, period", [("2 år", "2 år"), ("ut 2027", "Ut 2027"), ("2026–2028", "2026–2028")])
def test_a_period(domain, text, period):
    _, slots = validate(domain, "period", text)
    assert slots["agreement_period"] == period


def test_a_period_that_is_not_one_is_refused(domain):
    messages, slots = validate(domain, "period", "så lenge det trengs")
    assert messages[0]["text"].startswith("Jeg forstod ikke perioden.")
    assert slots["agreement_period"] is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("Ja, vi står bak alle tre", "Ja"),
        ("ja", "Ja"),
        ("ja, og vi vil også rekruttere unge", "Vi vil også rekruttere unge"),
    ],
)
def test_the_shared_intention(domain, text, value):
    _, slots = validate(domain, "intention", text)
    assert slots["agreement_intention"] == value


def test_no_to_the_shared_intention_explains_why_it_matters(domain):
    messages, slots = validate(domain, "intention", "nei")
    assert "kjernen i partenes mal" in messages[0]["text"]
    assert slots["agreement_intention"] is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("Nei", "Nei, verneombudet er ikke med i IA-arbeidet etter avtalen"),
        ("ja", "Ja, verneombudet er med i IA-arbeidet"),
        ("Ja, verneombudet er med", "Ja – verneombudet er med"),
        ("Lise Berg", "Lise Berg"),
    ],
)
def test_the_safety_representative(domain, text, value):
    _, slots = validate(domain, "verneombud", text)
    assert slots["agreement_verneombud"] == value


def test_a_button_choice_is_kept_in_full(domain, kb):
    _, slots = validate(domain, "focus_areas", "Begge")
    assert slots["agreement_focus_areas"] == kb.agreement.step("focus_areas").choices["Begge"]


def test_measures_named_by_the_gazetteer_or_all(domain, kb):
    entities = [{"entity": "measure", "value": "ekspertbistand"}, {"entity": "measure", "value": "idebanken"}]
    _, slots = validate(domain, "measures", "ekspertbistand og idébanken", entities=entities)
    assert slots["agreement_measures"] == "Tilskudd til ekspertbistand, Idébanken"
    _, slots = validate(domain, "measures", "Alle som passer for oss")
    assert slots["agreement_measures"] == ", ".join(m.name for m in kb.measures.values())


# ----- commands -------------------------------------------------------------------------
def test_help_explains_the_step_and_asks_it_again(domain, kb):
    messages, slots = validate(domain, "period", "hva betyr det?", slots={FAILURES_SLOT: 1})
    step = kb.agreement.step("period")
    assert messages[0]["text"] == f"{step.why}\n{step.help}"
    assert slots == {"agreement_period": None, REASK_SLOT: True}


def test_skip_skips_an_optional_step_only(domain):
    messages, slots = validate(domain, "other_goals", "hopp over")
    assert slots["agreement_other_goals"] == SKIPPED
    messages, slots = validate(domain, "employer", "hopp over")
    assert messages[0]["text"].startswith("Dette spørsmålet kan ikke hoppes over.")
    assert slots["agreement_employer"] is None


def test_back_asks_the_previous_step_again(domain, kb):
    messages, slots = validate(domain, "period", "tilbake", slots=filled(kb, "period"))
    assert slots["agreement_intention"] is None and slots["agreement_period"] is None
    assert "tilbake til forrige spørsmål (felles intensjon)" in messages[0]["text"]
    messages, slots = validate(domain, "workplace", "gå tilbake")
    assert messages[0]["text"].startswith("Dette er det første spørsmålet")


def test_cancel_removes_every_answer_and_ends_the_form(domain, kb):
    messages, slots = validate(domain, "period", "avbryt", slots=filled(kb, "period"))
    assert messages == []
    assert all(slots[s.slot] is None for s in kb.agreement.steps)
    assert slots[OUTCOME_SLOT] == "cancelled" and slots["requested_slot"] is None


def test_pause_keeps_the_answers_and_ends_the_form(domain, kb):
    _, slots = validate(domain, "period", "pause", slots=filled(kb, "period"))
    assert slots == {
        "agreement_period": None,
        OUTCOME_SLOT: "paused",
        FAILURES_SLOT: 0,
        REASK_SLOT: False,
        "requested_slot": None,
    }


def test_show_the_draft_so_far(domain, kb):
    messages, slots = validate(domain, "period", "vis utkastet", slots=filled(kb, "period"))
    assert messages[0]["text"] == "Slik ser utkastet ut så langt:"
    assert messages[1]["text"].startswith("Lokal IA-avtale for svar workplace\nUtkast under arbeid")
    document = messages[2]["custom"]["data"]
    assert document["type"] == "document" and "## 1. Parter" in document["content"]
    # What the user just wrote ("vis utkastet") is not an answer to the step being asked.
    assert "vis utkastet" not in document["content"]
    assert "## 3. Periode\n\n" + kb.agreement.draft["not_agreed"] in document["content"]
    assert slots[DRAFT_SHOWN_SLOT] is True and slots["agreement_period"] is None


# ----- questions in the middle, guarded input ---------------------------------------------
def test_a_question_in_the_middle_is_answered_then_the_step_asked_again(domain, kb):
    entities = [{"entity": "ia_role", "value": "verneombud"}]
    messages, slots = validate(
        domain, "employees", "hva gjør verneombudet?", intent="ask_role", confidence=0.8, entities=entities
    )
    entry = kb.roles["verneombud"]
    assert messages[0]["text"] == answer_text(entry)
    assert slots == {"agreement_employees": None, REASK_SLOT: True}


def test_a_clicked_question_is_answered(domain, kb):
    entities = [{"entity": "measure", "value": "ekspertbistand"}]
    text = '/ask_measures{"measure": "ekspertbistand"}'
    messages, _ = validate(domain, "measures", text, intent="ask_measures", confidence=1.0, entities=entities)
    assert messages[0]["text"].startswith(kb.measures["ekspertbistand"].answer)


def test_a_question_about_the_step_explains_it(domain, kb):
    step = kb.agreement.step("employees")
    messages, slots = validate(domain, "employees", "vi har ingen tillitsvalgte, hva gjør vi da?", intent="nlu_fallback")
    assert messages[0]["text"] == f"{step.why}\n{step.help}"
    assert slots["agreement_employees"] is None and FAILURES_SLOT not in slots
    _, slots = validate(domain, "meetings", "Skal ha fast punkt i AMU", intent="nlu_fallback")
    assert slots["agreement_meetings"] == "Skal ha fast punkt i AMU"
    # A question that is a valid answer is an answer.
    _, slots = validate(domain, "period", "kanskje 2 år?", intent="nlu_fallback")
    assert slots["agreement_period"] == "2 år"


def test_an_answer_that_resembles_a_topic_is_still_an_answer(domain):
    # Not a question: a goal that names sick leave is the user's answer.
    _, slots = validate(
        domain, "other_goals", "Færre skal slutte det første året", intent="ask_agreement_goals", confidence=0.7
    )
    assert slots["agreement_other_goals"] == "Færre skal slutte det første året"


def test_goodbye_pauses_thanks_are_answered_and_a_restart_repeats_the_step(domain, kb):
    _, slots = validate(domain, "period", "ha det bra", intent="goodbye", confidence=0.99)
    assert slots[OUTCOME_SLOT] == "paused" and slots["requested_slot"] is None
    messages, slots = validate(domain, "period", "takk!", intent="thank", confidence=0.99)
    assert messages[0]["text"] == phrases.text("dialogue.thank") and slots["agreement_period"] is None
    messages, slots = validate(domain, "period", "lag en lokal ia-avtale", intent="start_local_agreement")
    assert messages[0]["text"].startswith("Vi er allerede i gang") and slots["agreement_period"] is None
    _, slots = validate(domain, "intention", "ja takk", intent="thank", confidence=0.99)
    assert slots["agreement_intention"] == "Ja"
    # A longer message is an answer, whatever its intent.
    long_answer = "Takk til alle som har bidratt, vi vil ha færre som slutter"
    _, slots = validate(domain, "other_goals", long_answer, intent="thank", confidence=0.99)
    assert slots["agreement_other_goals"] == long_answer


def test_an_identity_number_is_not_kept(domain):
    messages, slots = validate(domain, "employer", "Kari [fjernet]", intent="personal_data", confidence=1.0)
    assert [m["text"] for m in messages] == [phrases.text("dialogue.personal_data")]
    assert slots["agreement_employer"] is None


@pytest.mark.parametrize(
    "text, problem",
    [("", "empty"), ("x" * 1000, "too_long"), ("\x00\x01", "no_text")],
)
def test_input_the_guard_flagged(domain, text, problem):
    messages, slots = validate(domain, "workplace", text, intent="invalid_input", confidence=1.0, input_problem=problem)
    assert messages[0]["text"] == not_understood(problem)
    assert slots["agreement_workplace"] is None


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Bakeriet 😀🥐", True),
        ("مستشفى أوسلو الجامعي", True),
        ("Hansen & Sønn <AS>", True),
        ("x" * (MAX_ANSWER_CHARS + 1), False),
        ("🎉🎉🎉", False),
    ],
)
def test_hostile_and_unusual_answers(domain, text, kept):
    messages, slots = validate(domain, "workplace", text)
    assert (slots["agreement_workplace"] == text) is kept
    assert (messages == []) is kept


# ----- the summary and confirmation --------------------------------------------------------
def test_yes_at_the_summary_confirms(domain, kb):
    _, slots = validate(domain, "confirm", "Ja, lag utkastet", slots=filled(kb, "confirm"))
    assert slots["agreement_confirm"] == CONFIRMED


@pytest.mark.parametrize("text, step", [("endre 6", "period"), ("endre perioden", "period"), ("endre 1", "workplace")])
def test_any_answer_can_be_changed_from_the_summary(domain, kb, text, step):
    messages, slots = validate(domain, "confirm", text, slots=filled(kb, "confirm"))
    assert slots[f"agreement_{step}"] is None and slots["agreement_confirm"] is None
    assert messages[0]["text"].startswith("Greit, vi endrer")


def test_no_at_the_summary_lists_what_can_be_changed(domain, kb):
    messages, slots = validate(domain, "confirm", "nei", slots=filled(kb, "confirm"))
    assert messages[0]["buttons"][0] == {"title": "Endre 1: Arbeidsplass", "payload": "endre 1"}
    assert len(messages[0]["buttons"]) == len(kb.agreement.steps) - 1
    assert slots["agreement_confirm"] is None and slots[REASK_SLOT] is True


# ----- asking, starting and finishing ------------------------------------------------------
def ask(domain, key, slots=None):
    action = next(a for a in ASK_ACTIONS if a().name() == f"action_ask_agreement_{key}")
    tracker = form_tracker(f"agreement_{key}", None, slots=slots)
    messages, events = run_action(action(), tracker, domain)
    assert events == []
    return messages


def test_a_step_is_asked_with_its_number_why_and_example_then_short(domain, kb):
    step = kb.agreement.step("period")
    [message] = ask(domain, "period")
    assert message["text"] == f"Steg 6 av 14: {step.question}\n{step.why}\nEksempel: {step.example}"
    assert message["buttons"][-1] == {"title": "Hopp over", "payload": "hopp over"}
    [again] = ask(domain, "period", slots={REASK_SLOT: True})
    assert step.why not in again["text"]
    [required] = ask(domain, "workplace")
    assert required["buttons"] == []


def test_the_summary_shows_every_answer(domain, kb):
    [message] = ask(domain, "confirm", slots=filled(kb, "confirm"))
    assert "1. Arbeidsplass: svar workplace" in message["text"]
    assert "14. Sted for signering: svar signing" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["Ja, lag utkastet", "endre"]


def test_start_introduces_or_resumes(domain, kb):
    messages, events = run_action(ActionAgreementStart(), form_tracker(None, "lag en lokal ia-avtale"), domain)
    assert messages[0]["text"].startswith("Flott! Jeg leder dere gjennom en lokal IA-avtale")
    assert "(14 steg)" in messages[0]["text"] and "Kilde: https://www.idebanken.org" in messages[0]["text"]
    assert slot_events(events) == {FAILURES_SLOT: 0, OUTCOME_SLOT: None, REASK_SLOT: False}
    tracker = form_tracker(None, "fortsett avtalen", slots=filled(kb, "period"))
    messages, _ = run_action(ActionAgreementStart(), tracker, domain)
    assert messages[0]["text"].startswith("Velkommen tilbake") and "svart på 5 av 14 steg" in messages[0]["text"]


def finish(domain, slots):
    return run_action(ActionAgreementFinish(), form_tracker(None, "x", slots=slots), domain)


def test_finish_after_a_pause_keeps_the_answers(domain, kb):
    messages, events = finish(domain, {**filled(kb, "period"), OUTCOME_SLOT: "paused"})
    assert messages[0]["text"] == kb.agreement.texts["paused"]
    assert not any(s.slot in slot_events(events) for s in kb.agreement.steps)


def test_finish_after_cancel_says_what_was_kept(domain, kb):
    messages, _ = finish(domain, {OUTCOME_SLOT: "cancelled"})
    assert messages[0]["text"] == kb.agreement.texts["cancelled"]
    messages, _ = finish(domain, {OUTCOME_SLOT: "cancelled", DRAFT_SHOWN_SLOT: True})
    assert messages[0]["text"].endswith(kb.agreement.texts["cancelled_after_draft"])


def test_finish_after_confirmation_sends_the_draft_as_text_and_document(domain, kb, monkeypatch):
    monkeypatch.setattr(agreement, "today", lambda: __import__("datetime").date(2026, 11, 22))
    slots = {**filled(kb, "confirm"), "agreement_confirm": CONFIRMED, "agreement_workplace": "Solbakken"}
    messages, events = finish(domain, slots)
    assert messages[0]["text"] == kb.agreement.texts["done"]
    assert messages[1]["text"].startswith("Lokal IA-avtale for Solbakken\nUtkast, laget med IA-assistenten 22.11.2026")
    document = messages[2]["custom"]["data"]
    assert document["filename"] == "lokal-ia-avtale-solbakken.md"
    assert document["content"].startswith("# Lokal IA-avtale for Solbakken\n")
    # The answers are not kept once the draft is delivered.
    assert all(slot_events(events)[s.slot] is None for s in kb.agreement.steps)


def test_nothing_is_said_after_a_form_that_neither_ended_nor_was_confirmed(domain):
    messages, _ = finish(domain, {})
    assert messages == []


def test_activation_reads_nothing(domain):
    """At activation Rasa runs the validation with no candidate: nothing to read."""
    tracker = form_tracker(None, "lag en lokal ia-avtale")
    assert asyncio.run(FORM.run(__import__("rasa_sdk.executor").executor.CollectingDispatcher(), tracker, domain)) == []

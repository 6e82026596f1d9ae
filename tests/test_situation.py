"""The recommender as a conversation: what the first message already says, the short form that
asks for the rest, the suggestion and its follow-ups, against the trackers Rasa sends."""
import pytest

from actions.contacts import load_contacts
from actions.draft import SKIPPED
from actions.followup import ActionAnswerFollowup
from actions.forms import OUTCOME_SLOT
from actions.measures import ActionAnswerMeasures
from actions.recommend import INDUSTRY_SLOT, PROBLEM_SLOT, SIZE_SLOT, SUGGESTED_SLOT
from actions.situation import (
    ASK_ACTIONS,
    ActionAnswerFit,
    ActionAnswerHowToApply,
    ActionRecommendMeasures,
    ActionSituationStart,
    ValidateSituationForm,
)
from tests.conftest import form_tracker, run_action, slot_events

FORM = ValidateSituationForm()


def validate(domain, requested, text, **kwargs):
    tracker = form_tracker(f"situation_{requested}", text, form="situation_form", **kwargs)
    messages, events = run_action(FORM, tracker, domain)
    return messages, slot_events(events)


def test_the_form_asks_the_steps_of_the_data(kb, domain):
    slots = [s.slot for s in kb.recommender.steps]
    assert domain["forms"]["situation_form"]["required_slots"] == slots
    for slot in slots:
        [mapping] = domain["slots"][slot]["mappings"]
        assert mapping["conditions"] == [{"active_loop": "situation_form", "requested_slot": slot}]
    assert sorted(a().name() for a in ASK_ACTIONS) == sorted(f"action_ask_{s}" for s in slots)


def test_start_keeps_what_the_message_says(domain):
    tracker = form_tracker(None, "liten barnehage med mye korttidsfravær", intent="describe_situation")
    tracker.latest_message["entities"] = [{"entity": "industry", "value": "barnehager"}]
    messages, events = run_action(ActionSituationStart(), tracker, domain)
    slots = slot_events(events)
    assert slots[INDUSTRY_SLOT] == "barnehager"
    assert slots[PROBLEM_SLOT] == ["repeated_short"]
    assert slots[SIZE_SLOT] == "small"
    # Nothing is missing, so nothing is asked.
    assert messages == []


@pytest.mark.parametrize("text", [
    "our shop has many short-term absences",
    "lots of short term sick leave among the staff",
    "we see a lot of short absences",
])
def test_start_reads_short_absences_in_english(domain, text):
    tracker = form_tracker(None, text, intent="describe_situation")
    _, events = run_action(ActionSituationStart(), tracker, domain)
    assert slot_events(events)[PROBLEM_SLOT] == ["repeated_short"]


def test_a_situation_that_asks_about_one_step_offers_that_step_too(kb, domain):
    """A described workplace with a question about one step of the follow-up gets the measures
    that fit, and the step as a button beside them."""
    text = "Lagerarbeider med vondt i ryggen er helt sykmeldt; kan jeg foreslå gradert sykmelding?"
    entities = [{"entity": "industry", "value": "transport_og_lager"},
                {"entity": "milestone", "value": "gradert", "text": "gradert sykmelding"}]
    slots = {INDUSTRY_SLOT: "transport_og_lager", PROBLEM_SLOT: ["long_absence_one"], SIZE_SLOT: None}
    tracker = form_tracker(None, text, intent="describe_situation", entities=entities, slots=slots)
    messages, _ = run_action(ActionRecommendMeasures(), tracker, domain)
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    assert messages[-1]["text"].startswith("Ut fra det du forteller (")
    assert kb.payload("ask_sick_leave_followup/gradert") in payloads
    # Without the step named, it is not offered.
    tracker = form_tracker(None, text, intent="describe_situation", entities=entities[:1], slots=slots)
    messages, _ = run_action(ActionRecommendMeasures(), tracker, domain)
    assert kb.payload("ask_sick_leave_followup/gradert") not in [b["payload"] for b in messages[-1]["buttons"]]


def test_start_says_a_question_is_coming_when_something_is_missing(domain):
    tracker = form_tracker(None, "vi har høyt sykefravær", intent="describe_situation")
    messages, events = run_action(ActionSituationStart(), tracker, domain)
    assert slot_events(events)[INDUSTRY_SLOT] is None
    assert messages[0]["text"].endswith("Først et kort spørsmål:")


def test_start_reads_the_problems_a_button_carries(domain):
    """The fallback's "Finn virkemidler for: ..." button carries what it read as entities."""
    entities = [{"entity": "problem", "value": "work_environment"}, {"entity": "problem", "value": "no_such_problem"}]
    tracker = form_tracker(None, '/describe_situation{"problem": ["work_environment"]}', intent="describe_situation", entities=entities)
    _, events = run_action(ActionSituationStart(), tracker, domain)
    assert slot_events(events)[PROBLEM_SLOT] == ["work_environment"]


def test_telling_more_after_a_suggestion_keeps_the_workplace(domain):
    """"sykehjem" got a first suggestion; "mye korttidsfravær" then adds the problem to it."""
    earlier = {INDUSTRY_SLOT: "sykehjem", SIZE_SLOT: "large", SUGGESTED_SLOT: ["bransjeprogram"]}
    tracker = form_tracker(None, "vi har mye korttidsfravær", intent="describe_situation", slots=earlier)
    messages, events = run_action(ActionSituationStart(), tracker, domain)
    slots = slot_events(events)
    assert (slots[INDUSTRY_SLOT], slots[PROBLEM_SLOT], slots[SIZE_SLOT]) == ("sykehjem", ["repeated_short"], "large")
    assert messages == []
    # A new industry in the message wins over the earlier one.
    tracker = form_tracker(None, "i barnehagen har vi mye korttidsfravær", intent="describe_situation", slots=earlier,
                           entities=[{"entity": "industry", "value": "barnehager"}])
    _, events = run_action(ActionSituationStart(), tracker, domain)
    assert slot_events(events)[INDUSTRY_SLOT] == "barnehager"


def test_an_industry_answer(domain):
    _, slots = validate(domain, "industry", "sykehjem", entities=[{"entity": "industry", "value": "sykehjem"}])
    assert slots["situation_industry"] == "sykehjem"
    _, slots = validate(domain, "industry", "Annen bransje")
    assert slots["situation_industry"] == "other"
    _, slots = validate(domain, "industry", "vi lager møbler")
    assert slots["situation_industry"] == "other"
    _, slots = validate(domain, "industry", "vet ikke")
    assert slots["situation_industry"] == SKIPPED


def test_an_answer_that_says_more_keeps_it_all(domain):
    entities = [{"entity": "industry", "value": "hjemmetjenesten"}]
    _, slots = validate(domain, "industry", "hjemmesykepleien, 15 ansatte og mange korte fravær", entities=entities)
    assert slots["situation_industry"] == "hjemmetjenesten"
    assert slots[SIZE_SLOT] == "small" and slots[PROBLEM_SLOT] == ["repeated_short"]


def test_a_problem_answer_and_one_not_recognised(domain):
    _, slots = validate(domain, "problem", "En ansatt er lenge sykmeldt")
    assert slots["situation_problem"] == ["long_absence_one"]
    messages, slots = validate(domain, "problem", "tja, litt av hvert")
    assert messages[0]["text"].startswith("Den utfordringen kjente jeg ikke igjen.")
    assert slots["situation_problem"] is None


def test_a_question_in_the_form_is_answered(domain, kb):
    entities = [{"entity": "measure", "value": "ekspertbistand"}]
    messages, slots = validate(
        domain, "problem", "hva er ekspertbistand?", intent="ask_measures", confidence=0.95, entities=entities
    )
    assert messages[0]["text"].startswith(kb.measures["ekspertbistand"].answer)
    assert slots["situation_problem"] is None


def test_the_question_has_buttons_and_dont_know(domain):
    action = next(a for a in ASK_ACTIONS if a().name() == "action_ask_situation_problem")
    messages, _ = run_action(action(), form_tracker("situation_problem", None, form="situation_form"), domain)
    assert messages[0]["text"].startswith("Hva er den største utfordringen?")
    assert messages[0]["buttons"][-1] == {"title": "Vet ikke", "payload": "vet ikke"}


def recommend(domain, slots):
    return run_action(ActionRecommendMeasures(), form_tracker(None, "x", slots=slots), domain)


def test_the_suggestion_after_the_form(domain, kb):
    messages, events = recommend(domain, {INDUSTRY_SLOT: "sykehjem", PROBLEM_SLOT: ["high_sick_leave"]})
    [message] = messages
    lines = message["text"].splitlines()
    assert lines[0] == "Ut fra det du forteller (sykehjem, høyt sykefravær), passer dette best:"
    assert lines[1].startswith("1. Bransjeprogram: Bransjen deres har et eget IA-bransjeprogram (Sykehjem, fra 2019).")
    assert "Første steg:" in lines[1] and lines[-1].startswith("Kilder: https://")
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[0] == '/ask_measures{"measure": "bransjeprogram"}'
    assert payloads[-1] == "/start_local_agreement"
    assert slot_events(events)[SUGGESTED_SLOT] == ["bransjeprogram", "arbeidslivssenter", "sykefravaersstatistikk"]


def test_unknown_answers_still_get_a_start(domain):
    messages, _ = recommend(domain, {INDUSTRY_SLOT: SKIPPED, PROBLEM_SLOT: SKIPPED})
    assert messages[0]["text"].startswith("Du har ikke fortalt så mye")
    assert "1. Lokal IA-avtale:" in messages[0]["text"]


def test_an_industry_without_a_programme_is_said_plainly(domain):
    messages, _ = recommend(domain, {INDUSTRY_SLOT: "renhold", PROBLEM_SLOT: ["work_environment"]})
    assert "Renhold har ikke noe eget IA-bransjeprogram som jeg kjenner til." in messages[0]["text"]


def test_stopping_the_form_suggests_nothing(domain):
    messages, events = recommend(domain, {OUTCOME_SLOT: "cancelled", INDUSTRY_SLOT: "sykehjem"})
    assert messages[0]["text"].startswith("Greit, da lar vi det være.")
    assert slot_events(events)[INDUSTRY_SLOT] is None


def test_a_measures_question_that_describes_a_situation_gets_suggestions(domain):
    tracker = form_tracker(None, "Vi har høyt fravær på byggeplassen, hvilken hjelp kan vi få?", intent="ask_measures")
    tracker.latest_message["entities"] = [{"entity": "industry", "value": "bygg_og_anlegg"}]
    messages, events = run_action(ActionAnswerMeasures(), tracker, domain)
    assert messages[0]["text"].startswith("Ut fra det du forteller (bygg og anlegg, høyt sykefravær)")
    assert slot_events(events)[SUGGESTED_SLOT][0] == "bransjeprogram"


def test_and_if_we_are_a_kindergarten(domain):
    tracker = form_tracker(
        None,
        "og hvis vi er en barnehage?",
        intent="inform",
        slots={INDUSTRY_SLOT: "renhold", PROBLEM_SLOT: ["high_sick_leave"], SUGGESTED_SLOT: ["arbeidslivssenter"]},
    )
    tracker.latest_message["entities"] = [{"entity": "industry", "value": "barnehager"}]
    messages, events = run_action(ActionAnswerFollowup(), tracker, domain)
    assert messages[0]["text"].startswith("Ut fra det du forteller (barnehager, høyt sykefravær)")
    assert slot_events(events)[INDUSTRY_SLOT] == "barnehager"


@pytest.mark.parametrize("action", [ActionAnswerHowToApply, ActionAnswerFit])
def test_follow_ups_are_about_the_best_suggestion_or_the_measure_named(domain, kb, action):
    slots = {SUGGESTED_SLOT: ["ekspertbistand", "oppfolging"], PROBLEM_SLOT: ["long_absence_one"]}
    messages, _ = run_action(action(), form_tracker(None, "hvordan søker vi?", slots=slots), domain)
    assert messages[0]["text"].startswith("Tilskudd til ekspertbistand")
    tracker = form_tracker(None, "og arbeidsmiljøportalen?", slots=slots)
    tracker.latest_message["entities"] = [{"entity": "measure", "value": "arbeidsmiljoportalen"}]
    messages, _ = run_action(action(), tracker, domain)
    assert messages[0]["text"].startswith("Arbeidsmiljøportalen")


def test_how_to_apply_gives_the_first_step_and_what_it_asks(domain, kb):
    slots = {SUGGESTED_SLOT: ["ekspertbistand"]}
    messages, _ = run_action(ActionAnswerHowToApply(), form_tracker(None, "hvordan søker vi?", slots=slots), domain)
    fit = kb.recommender.options["ekspertbistand"].fit
    assert fit["first_step"] in messages[0]["text"] and fit["asks"] in messages[0]["text"]


def test_does_it_fit_us_weighs_it_against_the_situation(domain):
    slots = {SUGGESTED_SLOT: ["oppfolging"], PROBLEM_SLOT: ["long_absence_one"]}
    tracker = form_tracker(None, "passer arbeidsmiljøportalen for oss?", slots=slots)
    tracker.latest_message["entities"] = [{"entity": "measure", "value": "arbeidsmiljoportalen"}]
    messages, _ = run_action(ActionAnswerFit(), tracker, domain)
    assert "er dette ikke blant de tre beste forslagene" in messages[0]["text"]


def test_without_a_suggestion_the_follow_up_asks_which(domain, kb):
    messages, _ = run_action(ActionAnswerHowToApply(), form_tracker(None, "hvordan søker vi?"), domain)
    assert messages[0]["text"] == "Hvilket virkemiddel tenker du på?"
    assert [b["title"] for b in messages[0]["buttons"]] == [m.name for m in kb.measures.values()]


def test_a_how_question_about_a_situation_gets_suggestions(domain):
    text = "en ansatt er gradert sykmeldt og skal tilbake i full stilling, hvordan får vi det til?"
    messages, events = run_action(ActionAnswerHowToApply(), form_tracker(None, text), domain)
    assert messages[0]["text"].startswith("Ut fra det du forteller (en ansatt er lenge sykmeldt, få folk tilbake i jobb)")
    assert slot_events(events)[SUGGESTED_SLOT][0] == "oppfolging"


def test_the_industry_is_not_asked_for_one_employees_absence(domain):
    tracker = form_tracker(None, None, form="situation_form", slots={PROBLEM_SLOT: ["long_absence_one"]})
    _, events = run_action(FORM, tracker, domain)
    assert slot_events(events) == {"requested_slot": None}
    # For the whole workplace's absence, Rasa asks for the industry as usual.
    tracker = form_tracker(None, None, form="situation_form", slots={PROBLEM_SLOT: ["high_sick_leave"]})
    assert run_action(FORM, tracker, domain)[1] == []
    # Answered in the form, too: the form ends without asking for the industry.
    _, slots = validate(domain, "problem", "en ansatt er lenge sykmeldt", slots={INDUSTRY_SLOT: None})
    assert slots["situation_problem"] == ["long_absence_one"] and slots["requested_slot"] is None


def test_a_question_about_a_thing_the_description_names_is_answered_first(kb, domain):
    """"Høyt fravær ... hva kan NAV Arbeidslivssenter bidra med?" gets the measure, and a question
    whom to contact in a place it names gets the contacts, before the form asks what it needs."""
    text = "Vi har veldig høyt fravær på lageret. Hva kan NAV Arbeidslivssenter bidra med?"
    tracker = form_tracker(None, text, intent="describe_situation",
                           entities=[{"entity": "measure", "value": "arbeidslivssenter"}])
    messages, events = run_action(ActionSituationStart(), tracker, domain)
    assert kb.measures["arbeidslivssenter"].answer in messages[0]["text"]
    assert messages[-1]["text"].endswith("Først et kort spørsmål:")
    assert slot_events(events)[PROBLEM_SLOT] == ["high_sick_leave"]

    text = "Vi sliter med høyt sykefravær i kommunen i Nordland, hvem kan vi kontakte?"
    tracker = form_tracker(None, text, intent="describe_situation", entities=[{"entity": "county", "value": "nordland"}])
    messages, _ = run_action(ActionSituationStart(), tracker, domain)
    assert "Nordland" in messages[0]["text"]
    assert any(phone in messages[0]["text"] for phone in load_contacts().phones())


def test_what_one_can_do_in_ones_role_is_answered_with_the_role_first(kb, domain):
    """"Jeg er tillitsvalgt i en butikk med mye langtidsfravær, hva kan jeg gjøre i min rolle?"
    gets the tillitsvalgt's part in IA work, then the measures for the workplace; naming the role
    without asking about it ("Som tillitsvalgt ser jeg ...") gets the measures only."""
    entities = [{"entity": "ia_role", "value": "tillitsvalgt"}]
    text = "Jeg er tillitsvalgt i en butikk med mye langtidsfravær, hva kan jeg gjøre i min rolle?"
    tracker = form_tracker(None, text, intent="describe_situation", entities=entities)
    messages, _ = run_action(ActionSituationStart(), tracker, domain)
    assert kb.roles["tillitsvalgt"].answer in messages[0]["text"]
    text = "Som tillitsvalgt ser jeg at mange er langtidssykmeldte. Hva kan vi gjøre?"
    tracker = form_tracker(None, text, intent="describe_situation", entities=entities)
    messages, _ = run_action(ActionSituationStart(), tracker, domain)
    assert all(kb.roles["tillitsvalgt"].answer not in m["text"] for m in messages)


def test_a_description_that_asks_nothing_is_not_answered_by_what_it_names(kb, domain):
    text = "Vi har brukt ekspertbistand, men fraværet er fortsatt høyt"
    tracker = form_tracker(None, text, intent="describe_situation",
                           entities=[{"entity": "measure", "value": "ekspertbistand"}])
    messages, _ = run_action(ActionSituationStart(), tracker, domain)
    assert all(kb.measures["ekspertbistand"].answer not in m["text"] for m in messages)

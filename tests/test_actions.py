"""Every action, run against tracker states from tests/fixtures/trackers.json with a
CollectingDispatcher; the expected texts are rendered from the knowledge base itself."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import UserUtteranceReverted

from actions import phrases
from actions.councils import ActionAnswerCouncilToday
from actions.fallback import (
    not_understood,
    ActionAnswerCapabilities,
    ActionAnswerOutOfScope,
    ActionDefaultAskAffirmation,
    ActionDefaultAskRephrase,
    ActionDefaultFallback,
    ActionInvalidInput,
)
from actions.followup import ActionAnswerFollowup
from actions.render import answer_text
from actions.measures import ActionAnswerMeasures
from actions.roles import ActionAnswerRole, ActionAnswerRoleRules
from actions.sick_leave import ActionAnswerSickLeave
from actions.topics import ActionAnswerTopic
from tests.conftest import build_tracker, form_tracker, run_action, slot_events, tracker_state


def expected(kb, entry, asked=""):
    """The message an entry renders to: answer, sources, and its next questions as buttons."""
    return {
        "text": answer_text(entry, asked),
        "buttons": [{"title": kb.resolve(r).question, "payload": kb.payload(r)} for r in entry.next],
    }


def shown(messages):
    return [{"text": m["text"], "buttons": m["buttons"]} for m in messages]


def test_role_answer_is_the_verneombud_entry(kb, domain):
    messages, events = run_action(ActionAnswerRole(), build_tracker("ask_role"), domain)
    assert events == []
    assert shown(messages) == [expected(kb, kb.roles["verneombud"])]
    assert "https://www.idebanken.org/ia/ia-samarbeid" in messages[0]["text"]
    # Buttons ask the next question with Rasa's "/intent{entities}" payloads.
    assert '/ask_role{"ia_role": "tillitsvalgt"}' in [b["payload"] for b in messages[0]["buttons"]]


def test_two_roles_are_both_answered_in_order(kb, domain):
    messages, events = run_action(ActionAnswerRole(), build_tracker("ask_role_two"), domain)
    assert events == []
    assert shown(messages) == [expected(kb, kb.roles["leder"]), expected(kb, kb.roles["tillitsvalgt"])]


@pytest.mark.parametrize("state", ["ask_role_none", "ask_role_unknown"])
def test_without_a_known_role_the_overview_is_given(kb, domain, state):
    messages, events = run_action(ActionAnswerRole(), build_tracker(state), domain)
    assert events == []
    assert shown(messages) == [expected(kb, kb.roles_overview)]


def test_every_topic_intent_is_answered_from_its_entry(kb, domain):
    for intent, entry in kb.topics.items():
        state = tracker_state("topic")
        state["latest_message"]["intent"]["name"] = intent
        messages, events = run_action(ActionAnswerTopic(), Tracker.from_dict(state), domain)
        assert events == []
        assert shown(messages) == [expected(kb, entry, state["latest_message"]["text"])], intent


def test_an_answer_gives_the_details_asked_about_or_names_them(kb, domain):
    rules = kb.role_rules["verneombud"]
    text = answer_text(rules, "Har verneombudet taushetsplikt?")
    details = {d.key: d for d in rules.details}
    assert text.startswith(rules.answer)
    assert details["taushetsplikt"].answer in text and details["valg"].answer not in text
    text = answer_text(rules, "Må vi ha verneombud når vi er seks ansatte?")
    assert not any(d.answer in text for d in rules.details)
    assert "Spør meg gjerne om mer: " + ", ".join(d.title for d in rules.details) + "." in text
    # The action passes the question on.
    state = tracker_state("topic")
    state["latest_message"].update(
        {"intent": {"name": "ask_role_rules", "confidence": 0.9}, "text": "kurs for verneombud, hvem betaler?",
         "entities": [{"entity": "ia_role", "value": "verneombud"}]}
    )
    messages, _ = run_action(ActionAnswerRoleRules(), Tracker.from_dict(state), domain)
    assert details["opplaering"].answer in messages[0]["text"]


@pytest.mark.parametrize(
    "ref, asked, part, not_asked",
    [
        ("ask_sick_leave_followup", "Hvilken kontakt bør jeg ha med den som har sykmeldt den ansatte?", "sykmelder",
         "Hvordan følger vi opp en sykmeldt?"),
        ("ask_sick_leave_followup", "Hva bør en sykefraværsrutine inneholde?", "rutine",
         "Hvordan følger vi opp en sykmeldt?"),
        ("ask_sick_leave_followup/maks_sykepenger", "Hvordan følger vi opp en som har vært syk i over ett år?",
         "arbeidsgiver", "Hvor lenge kan man få sykepenger?"),
        ("ask_sick_employee_duties", "Kan jeg reise til utlandet når jeg er sykmeldt?", "reise",
         "Skal arbeidsgiver betale meg feriepenger av sykepengene?"),
        ("ask_egenmelding", "Hvor mange omsorgsdager har jeg?", "sykt_barn", "Hvor mange egenmeldinger har jeg?"),
        ("ask_role/bht", "Kan BHT hjelpe oss med en ansatt som har lang sykmelding?", "sykmeldt",
         "Hva gjør bedriftshelsetjenesten?"),
        ("ask_sick_employee_duties", "Kan jeg ta med tillitsvalgt på dialogmøtet?", "stotte",
         "Må jeg møte på dialogmøtet?"),
        ("ask_sick_leave_followup/arbeidsgiverperiode", "Kan vi søke unntak fra arbeidsgiverperioden for en kronisk syk?",
         "kronisk", "Hva er arbeidsgiverperioden?"),
        ("ask_sick_pay", "Må vi betale sykepenger til en nyansatt?", "nyansatt", "Hvor mye får jeg i sykepenger?"),
        ("ask_role_rules/amu", "Hvem skal være leder av utvalget?", "leder", "Må øverste leder sitte i AMU?"),
        ("ask_ia_agreement", "Gjelder IA-avtalen for oss som er en liten bedrift?", "hvem", "Hva er IA-avtalen?"),
        ("ask_sick_leave_followup/gradert", "Hvordan blir lønna når jeg er 50 prosent sykmeldt?", "lonn",
         "Hva er gradert sykmelding?"),
        ("ask_sick_leave_followup/gradert", "Kan jeg trappe opp før sykmeldingen er over?", "mer",
         "Hvordan blir lønna når jeg er 50 prosent sykmeldt?"),
        ("ask_ia_collaboration", "Hvordan kan leder og tillitsvalgte bli bedre til å samarbeide om IA?", "hvordan",
         "Hva er et godt IA-samarbeid?"),
        ("ask_ia_agreement", "Blir vi bundet til noe av IA-avtalen?", "hvem", "Hva står i IA-avtalen?"),
        ("ask_role_rules/verneombud", "Skal verneombudet få tid til vervet i arbeidstida?", "opplaering",
         "Hvem kan velges til verneombud?"),
        ("ask_sick_note_doubts", "Må jeg si fra om sykdommen er arbeidsrelatert?", "arsak",
         "Har arbeidsgiveren krav på å vite diagnosen?"),
    ],
)
def test_a_part_is_given_to_the_question_about_it_only(kb, ref, asked, part, not_asked):
    entry = kb.resolve(ref)
    detail = next(d for d in entry.details if d.key == part)
    assert detail.answer in answer_text(entry, asked)
    assert detail.answer not in answer_text(entry, not_asked)


def test_sick_leave_milestone_and_overview(kb, domain):
    messages, _ = run_action(ActionAnswerSickLeave(), build_tracker("ask_sick_leave_followup"), domain)
    assert shown(messages) == [expected(kb, kb.milestones["dialogmote_2"])]
    messages, events = run_action(ActionAnswerSickLeave(), build_tracker("ask_sick_leave_overview"), domain)
    assert events == []
    assert shown(messages) == [expected(kb, kb.sick_leave_overview)]


def test_the_thing_named_wins_over_a_neighbouring_intent(kb, domain):
    messages, _ = run_action(
        ActionAnswerSickLeave(), build_tracker("ask_sick_leave_naming_a_measure"), domain
    )
    assert shown(messages) == [expected(kb, kb.measures["ekspertbistand"])]
    messages, _ = run_action(
        ActionAnswerMeasures(), build_tracker("ask_measures_naming_a_milestone"), domain
    )
    assert shown(messages) == [expected(kb, kb.milestones["dialogmote_2"])]


def test_measure_by_name(kb, domain):
    messages, events = run_action(ActionAnswerMeasures(), build_tracker("ask_measures"), domain)
    assert events == []
    assert shown(messages) == [expected(kb, kb.measures["ekspertbistand"])]


def test_a_measure_named_in_a_described_situation_comes_with_what_else_fits(kb, domain):
    """"Vi er et sykehjem med høyt sykefravær. Hvor begynner vi, og kan bransjeprogrammet hjelpe?":
    the measure named, then the measures that fit the workplace described; without a problem
    described, the measure alone (test_measure_by_name)."""
    state = tracker_state("ask_measures")
    state["latest_message"].update({
        "text": "Vi er et sykehjem med høyt sykefravær. Hvor begynner vi, og kan vi få ekspertbistand?",
        "entities": [
            {"entity": "industry", "value": "sykehjem"},
            {"entity": "measure", "value": "ekspertbistand"},
        ],
    })
    messages, events = run_action(ActionAnswerMeasures(), Tracker.from_dict(state), domain)
    measure, suggestions = messages
    assert shown([measure]) == [expected(kb, kb.measures["ekspertbistand"])]
    assert suggestions["text"].splitlines()[0] == "Ut fra det du forteller (sykehjem, høyt sykefravær), passer dette best:"
    assert {e["name"]: e["value"] for e in events}["situation_industry"] == "sykehjem"


def test_an_industry_and_a_problem_get_the_measures_that_fit(kb, domain):
    """"Vi er en barnehage med høyt sykefravær, hva kan vi få hjelp til?" describes a situation:
    the best measures for it, the industry's bransjeprogram first."""
    messages, events = run_action(ActionAnswerMeasures(), build_tracker("ask_measures_industry"), domain)
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "Ut fra det du forteller (barnehager, høyt sykefravær), passer dette best:"
    assert lines[1].startswith("1. Bransjeprogram: Bransjen deres har et eget IA-bransjeprogram (Barnehager, fra 2019).")
    assert {e["name"]: e["value"] for e in events}["situation_suggested"][0] == "bransjeprogram"


def test_industry_without_programme_is_told_so_honestly(kb, domain):
    """"Vi er et IT-firma, hvilke virkemidler finnes?" names no problem: the start that fits any
    workplace, an honest word that the industry has no programme, and a request for the problem."""
    messages, events = run_action(
        ActionAnswerMeasures(), build_tracker("ask_measures_industry_without_programme"), domain
    )
    [answer] = messages
    lines = answer["text"].splitlines()
    assert lines[0] == "Ut fra det du forteller (it og kontor), passer dette best:"
    assert [line.split(":")[0] for line in lines[1:4]] == [
        "1. Lokal IA-avtale",
        "2. Sykefraværsstatistikk for virksomheten",
        "3. Idébanken",
    ]
    assert "IT og kontor har ikke noe eget IA-bransjeprogram som jeg kjenner til." in lines
    assert any(line.startswith("Fortell meg gjerne den største utfordringen") for line in lines)
    assert {e["name"]: e["value"] for e in events}["situation_industry"] == "it_og_kontor"


def test_industry_with_programme_says_what_it_offers_then_suggests(kb, domain):
    messages, events = run_action(ActionAnswerMeasures(), build_tracker("ask_measures_industry_only"), domain)
    programme, suggestions = messages
    assert programme["text"].startswith("Sykehjem: bransjen har et eget bransjeprogram under IA-avtalen (fra 2019).")
    assert suggestions["text"].splitlines()[0] == "Ut fra det du forteller (sykehjem, stor arbeidsplass), passer dette best:"
    assert suggestions["text"].splitlines()[1].startswith("1. Bransjeprogram:")
    assert {e["name"]: e["value"] for e in events}["situation_size"] == "large"


def test_measures_overview(kb, domain):
    messages, _ = run_action(ActionAnswerMeasures(), build_tracker("ask_measures_none"), domain)
    assert shown(messages) == [expected(kb, kb.measures_overview)]


def test_a_measures_question_naming_bht_is_answered_with_what_bht_does(kb, domain):
    """"Kan bedriftshelsetjenesten hjelpe oss å finne ut hvorfor fraværet er høyt?": the company
    health service is the help asked about; another role named keeps the overview."""
    state = tracker_state("ask_measures_none")
    state["latest_message"].update({
        "text": "Kan bedriftshelsetjenesten hjelpe oss å finne ut hvorfor fraværet er høyt?",
        "entities": [{"entity": "ia_role", "value": "bht"}],
    })
    messages, _ = run_action(ActionAnswerMeasures(), Tracker.from_dict(state), domain)
    assert kb.roles["bht"].answer in messages[0]["text"]
    state["latest_message"].update({
        "text": "Hvilke virkemidler kan lederen bruke?", "entities": [{"entity": "ia_role", "value": "leder"}],
    })
    messages, _ = run_action(ActionAnswerMeasures(), Tracker.from_dict(state), domain)
    assert shown(messages) == [expected(kb, kb.measures_overview)]


def test_councils_today_without_a_place(kb, domain):
    messages, events = run_action(ActionAnswerCouncilToday(), build_tracker("council_today"), domain)
    assert events == []
    assert shown(messages) == [expected(kb, kb.topics["ask_council_today"])]


def test_councils_today_in_a_county_says_whom_to_contact_there(kb, domain):
    """With a place, the council's story comes with whom to contact there (actions/contacts.py)."""
    messages, _ = run_action(ActionAnswerCouncilToday(), build_tracker("council_today_county"), domain)
    contact, council = messages
    assert contact["text"].startswith("Arbeidsplasser i Rogaland hører til NAV Arbeidslivssenter Rogaland")
    assert council["text"].startswith("Fra 2014 til 2018 hadde hvert fylke et IA-råd")
    assert "Jeg har ingen kilde på at fylkesvise IA-råd er opprettet igjen" in council["text"]


def test_councils_today_in_a_county_with_a_sourced_note(kb, domain):
    messages, _ = run_action(
        ActionAnswerCouncilToday(), build_tracker("council_today_county_with_note"), domain
    )
    county = kb.counties["vestfold"]
    assert county.council_note.strip() in messages[1]["text"]
    assert county.sources[0].url in messages[1]["text"]


def test_councils_today_in_a_former_county_asks_which_of_its_counties(kb, domain):
    messages, _ = run_action(
        ActionAnswerCouncilToday(), build_tracker("council_today_former_county"), domain
    )
    [question] = messages
    assert question["text"] == "«Viken» kan bety flere steder. Hvilket mener du?"
    assert [b["payload"] for b in question["buttons"]] == [
        f'/ask_contact{{"county": "{key}"}}' for key in ("akershus", "buskerud", "ostfold")
    ]


def test_councils_today_in_a_municipality_names_its_county(kb, domain):
    messages, _ = run_action(
        ActionAnswerCouncilToday(), build_tracker("council_today_municipality"), domain
    )
    assert messages[0]["text"].startswith("Bærum kommune ligger i Akershus.")


def test_a_municipality_name_in_two_counties_is_asked_about(kb, domain):
    messages, _ = run_action(
        ActionAnswerCouncilToday(), build_tracker("council_today_two_counties"), domain
    )
    assert [b["title"] for b in messages[0]["buttons"]] == ["Våler i Østfold", "Våler i Innlandet"]


@pytest.mark.parametrize(
    "state, entry",
    [
        ("inform_role", lambda kb: kb.roles["tillitsvalgt"]),
        ("inform_milestone", lambda kb: kb.milestones["dialogmote_1"]),
        ("inform_measure", lambda kb: kb.measures["ekspertbistand"]),
    ],
)
def test_followup_answers_the_thing_named(kb, domain, state, entry):
    messages, events = run_action(ActionAnswerFollowup(), build_tracker(state), domain)
    assert events == []
    assert shown(messages) == [expected(kb, entry(kb))]


def test_followup_naming_a_step_and_a_role_answers_the_step(kb, domain):
    """"Når må leiaren kalle inn til dialogmøte 1?" asks about the meeting, not the leader."""
    tracker = build_tracker("inform_nothing", entities=[
        {"entity": "ia_role", "value": "leder"}, {"entity": "milestone", "value": "dialogmote_1"}])
    messages, _ = run_action(ActionAnswerFollowup(), tracker, domain)
    assert messages[0]["text"].startswith(kb.milestones["dialogmote_1"].answer)
    assert len(messages) == 1


def test_followup_with_an_industry_gives_its_measures(kb, domain):
    messages, _ = run_action(ActionAnswerFollowup(), build_tracker("inform_industry"), domain)
    assert messages[0]["text"].startswith(f"{kb.industries['sykehjem'].name}: bransjen har et eget")
    assert messages[1]["text"].startswith("Ut fra det du forteller (sykehjem), passer dette best:")


def test_followup_with_a_county_says_whom_to_contact_there(kb, domain):
    """"og i Vestfold?": the centre that served it, how to reach it, its council."""
    messages, _ = run_action(ActionAnswerFollowup(), build_tracker("inform_county"), domain)
    assert messages[0]["text"].startswith("Fra 2019 hørte arbeidsplasser i Vestfold til NAV Arbeid Vestfold og Telemark")
    assert kb.counties["vestfold"].council_note.strip() in messages[1]["text"]


def test_followup_with_nothing_named_asks_and_lists_what_it_can_do(kb, domain):
    messages, events = run_action(ActionAnswerFollowup(), build_tracker("inform_nothing"), domain)
    assert events == []
    assert messages[0]["text"].startswith("Hva vil du vite mer om?")
    assert messages[1]["text"] == phrases.text("dialogue.capabilities")


def test_affirmation_offers_the_two_likeliest_topics_and_something_else(kb, domain):
    messages, events = run_action(ActionDefaultAskAffirmation(), build_tracker("fallback"), domain)
    assert events == []
    assert messages[0]["buttons"] == [
        {"title": kb.topics["ask_ia_council"].question, "payload": "/ask_ia_council"},
        {"title": kb.topics["ask_council_members"].question, "payload": "/ask_council_members"},
        {"title": "Noe annet", "payload": "/out_of_scope"},
    ]


def test_affirmation_keeps_the_entity_the_user_named(kb, domain):
    messages, _ = run_action(ActionDefaultAskAffirmation(), build_tracker("fallback_with_role"), domain)
    assert messages[0]["buttons"] == [
        {"title": kb.roles["verneombud"].question, "payload": '/ask_role{"ia_role": "verneombud"}'},
        {"title": kb.topics["ask_role_difference"].question, "payload": "/ask_role_difference"},
        {"title": "Noe annet", "payload": "/out_of_scope"},
    ]


def test_affirmation_offers_the_measures_for_a_situation_first(kb, domain):
    """"tillitsvalgt her, folka på lageret er utslitte" is unclear as a question, but says what
    the workplace struggles with: the first button asks for the measures that fit, carrying it."""
    messages, _ = run_action(
        ActionDefaultAskAffirmation(), build_tracker("fallback_describing_a_situation"), domain
    )
    buttons = messages[0]["buttons"]
    assert buttons[0] == {
        "title": "Finn virkemidler for: transport og lager (gods), arbeidsmiljøet",
        "payload": '/describe_situation{"problem": ["work_environment"], "industry": "transport_og_lager"}',
    }
    assert [b["payload"] for b in buttons[1:]] == ["/ask_role", "/ask_role_difference", "/out_of_scope"]


@pytest.mark.parametrize(
    "action, general, situation",
    [
        (ActionAnswerCapabilities(), "hva kan du hjelpe meg med?", "vi har mange seniorer som går av tidlig, hva kan du hjelpe oss med?"),
        (ActionAnswerOutOfScope(), "hvor er nærmeste kafé?", "ingen orker jobben lenger, alle er utslitte"),
    ],
)
def test_a_general_answer_gives_way_to_the_help_for_a_situation(domain, action, general, situation):
    messages, events = run_action(action, form_tracker(None, general), domain)
    assert events == []
    assert "Ut fra det du forteller" not in str(messages)
    messages, events = run_action(action, form_tracker(None, situation), domain)
    assert messages[0]["text"].startswith("Ut fra det du forteller (")
    assert slot_events(events)["situation_suggested"]


def test_a_role_question_naming_no_role_but_a_problem_gets_the_measures(kb, domain):
    """The NLU may read "vi ønsker å komme i forkant av fraværet" as a question about the roles;
    it names no role but what the workplace wants. "Hvem har ansvaret ..." is about the roles."""
    tracker = form_tracker(None, "vi ønsker å komme i forkant av fraværet", intent="ask_role")
    messages, events = run_action(ActionAnswerRole(), tracker, domain)
    assert messages[0]["text"].startswith("Ut fra det du forteller (vil forebygge)")
    tracker = form_tracker(None, "Hvem har ansvaret for å forebygge fravær?", intent="ask_role")
    messages, events = run_action(ActionAnswerRole(), tracker, domain)
    assert shown(messages) == [expected(kb, kb.roles_overview)] and events == []


def test_affirmation_offers_whom_to_contact_in_the_place_named(domain):
    """"ia hjelp kirkenes" may be unclear as a question; the place it names makes whom to
    contact there the likeliest one."""
    entities = [{"entity": "place", "value": "Kirkenes", "text": "kirkenes"}]
    messages, _ = run_action(ActionDefaultAskAffirmation(), build_tracker("fallback", entities), domain)
    assert messages[0]["buttons"][0] == {
        "title": "Hvem kan vi kontakte om IA i Kirkenes?",
        "payload": '/ask_contact{"place": "Kirkenes"}',
    }
    assert messages[0]["buttons"][-1]["payload"] == "/out_of_scope" and len(messages[0]["buttons"]) == 4


def test_affirmation_offers_the_thing_the_message_names_first(kb, domain):
    """"agp, hvor mange dager betaler vi?" may be unclear as a question; the step of the
    sick-leave follow-up it names is then the first suggestion, before the likeliest intents."""
    entities = [{"entity": "milestone", "value": "arbeidsgiverperiode", "text": "agp"}]
    messages, _ = run_action(ActionDefaultAskAffirmation(), build_tracker("fallback", entities), domain)
    buttons = messages[0]["buttons"]
    entry = kb.resolve("ask_sick_leave_followup/arbeidsgiverperiode")
    assert buttons[0] == {"title": entry.question, "payload": kb.payload("ask_sick_leave_followup/arbeidsgiverperiode")}
    assert [b["payload"] for b in buttons[1:]] == ["/ask_ia_council", "/ask_council_members", "/out_of_scope"]
    # A name the knowledge base has no entry for adds nothing.
    entities = [{"entity": "milestone", "value": "no_such_step", "text": "x"}]
    messages, _ = run_action(ActionDefaultAskAffirmation(), build_tracker("fallback", entities), domain)
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/ask_ia_council", "/ask_council_members", "/out_of_scope"]


def test_out_of_scope_naming_a_step_of_the_follow_up_is_asked_back(kb, domain):
    """"Kan NAV stanse sykepengene hvis jeg ikke har prøvd meg i jobb innen åtte uker?" may read
    as a question about NAV's services, but it names the activity requirement: the step is
    offered first, and the assistant does not say it only answers questions about IA."""
    state = tracker_state("topic")
    state["latest_message"].update({
        "intent": {"name": "out_of_scope", "confidence": 0.43},
        "text": "Kan NAV stanse sykepengene hvis jeg ikke har prøvd meg i jobb innen åtte uker?",
        "entities": [{"entity": "milestone", "value": "aktivitetsplikt", "text": "åtte uker"}],
    })
    messages, events = run_action(ActionAnswerOutOfScope(), Tracker.from_dict(state), domain)
    assert events == []
    assert phrases.text("fallback.out_of_scope") not in str(messages)
    entry = kb.resolve("ask_sick_leave_followup/aktivitetsplikt")
    assert messages[0]["buttons"][0] == {"title": entry.question, "payload": kb.payload("ask_sick_leave_followup/aktivitetsplikt")}
    assert messages[0]["buttons"][-1]["payload"] == "/out_of_scope"
    # Naming only a role ("sjefen") is no reason: "Hvor er nærmeste kafé, sjef?" is declined.
    state["latest_message"].update({"text": "Hvor er nærmeste kafé, sjef?", "entities": [{"entity": "ia_role", "value": "leder"}]})
    messages, _ = run_action(ActionAnswerOutOfScope(), Tracker.from_dict(state), domain)
    assert messages[0]["text"] == phrases.text("fallback.out_of_scope")


def test_rephrase_asks_for_other_words(domain):
    messages, events = run_action(ActionDefaultAskRephrase(), build_tracker("fallback"), domain)
    assert events == []
    assert messages[0]["text"].startswith("Beklager at jeg ikke forstod.")


def test_final_fallback_is_honest_lists_capabilities_and_reverts(domain):
    messages, events = run_action(ActionDefaultFallback(), build_tracker("fallback"), domain)
    assert events == [UserUtteranceReverted()]
    assert "idebanken.org, nav.no eller arbeidstilsynet.no" in messages[0]["text"]
    assert messages[1]["text"] == phrases.text("dialogue.capabilities")


@pytest.mark.parametrize("problem", ["empty", "too_long", "markup_only", "no_text"])
def test_invalid_input_gets_a_polite_answer_per_problem(domain, problem):
    messages, events = run_action(ActionInvalidInput(), build_tracker(f"invalid_input_{problem}"), domain)
    assert events == []
    assert [m["text"] for m in messages] == [not_understood(problem)]


def role_tracker(intent, text, role):
    state = tracker_state("topic")
    state["latest_message"].update(
        {"intent": {"name": intent, "confidence": 0.8}, "text": text, "entities": [{"entity": "ia_role", "value": role}]}
    )
    return Tracker.from_dict(state)


@pytest.mark.parametrize(
    "action, intent, text, role, answered",
    [
        # What the law requires is answered from role_rules.yml, whichever of the two intents the NLU chose.
        (ActionAnswerRole(), "ask_role", "Hvem skal ha bedriftshelsetjeneste?", "bht", "rules"),
        (ActionAnswerRole(), "ask_role", "Har verneombudet taushetsplikt?", "verneombud", "rules"),
        (ActionAnswerRole(), "ask_role", "Hva gjør verneombudet i IA-arbeidet?", "verneombud", "role"),
        # "nyvalgt" holds "valg", a word of the rules' part on elections; the question is the role's.
        (ActionAnswerRole(), "ask_role", "Som nyvalgt verneombud, hva forventes av meg?", "verneombud", "role"),
        (ActionAnswerRole(), "ask_role", "Eg er nettopp valt til verneombod, kva er rolla mi?", "verneombud", "role"),
        (ActionAnswerRole(), "ask_role", "Hvordan foregår valget av verneombud?", "verneombud", "rules"),
        # What being elected means in practice, or in IA work, is the role's; a requirement still is the law's.
        (ActionAnswerRole(), "ask_role", "Ble valgt til verneombud i høst, hva innebærer det?", "verneombud", "role"),
        (ActionAnswerRole(), "ask_role", "Må vi ha verneombud for å drive IA-arbeid?", "verneombud", "rules"),
        (ActionAnswerRoleRules(), "ask_role_rules", "Hva gjør et verneombud?", "verneombud", "role"),
        (ActionAnswerRoleRules(), "ask_role_rules", "Hva er valgperioden for et verneombud?", "verneombud", "rules"),
        (ActionAnswerRoleRules(), "ask_role_rules", "Når må vi ha AMU?", "amu", "rules"),
        # A tillitsvalgt's rights come from the main agreement, and are in role_rules.yml too.
        (ActionAnswerRole(), "ask_role", "Har tillitsvalgte rett til fri med lønn?", "tillitsvalgt", "rules"),
        (ActionAnswerRole(), "ask_role", "Hva gjør en tillitsvalgt i IA-arbeidet?", "tillitsvalgt", "role"),
        (ActionAnswerRoleRules(), "ask_role_rules", "Må vi ha tillitsvalgt?", "tillitsvalgt", "rules"),
    ],
)
def test_a_role_question_is_answered_by_what_it_asks(kb, domain, action, intent, text, role, answered):
    messages, _ = run_action(action, role_tracker(intent, text, role), domain)
    entry = kb.role_rules[role] if answered == "rules" else kb.roles[role]
    assert messages[0]["text"].startswith(entry.answer), text


def test_a_followup_about_a_role_rule_gets_that_rule(kb, domain):
    tracker = role_tracker("inform", "og opplæring og lønn for verneombudet da?", "verneombud")
    messages, _ = run_action(ActionAnswerFollowup(), tracker, domain)
    rules = kb.role_rules["verneombud"]
    assert messages[0]["text"].startswith(rules.answer)
    assert next(d for d in rules.details if d.key == "opplaering").answer in messages[0]["text"]
    messages, _ = run_action(ActionAnswerFollowup(), role_tracker("inform", "og verneombudet?", "verneombud"), domain)
    assert messages[0]["text"] == answer_text(kb.roles["verneombud"])


def test_a_followup_naming_two_roles_asks_the_rules_of_the_first(kb, domain):
    state = tracker_state("topic")
    state["latest_message"].update(
        {"intent": {"name": "inform", "confidence": 0.8}, "text": "og opplæring for verneombud og tillitsvalgt?",
         "entities": [{"entity": "ia_role", "value": "verneombud"}, {"entity": "ia_role", "value": "tillitsvalgt"}]}
    )
    messages, _ = run_action(ActionAnswerFollowup(), Tracker.from_dict(state), domain)
    assert [m["text"].split("\n")[0] for m in messages] == [kb.role_rules["verneombud"].answer.split("\n")[0]]


def _clicked_after(question, actions_between, click):
    """A tracker whose latest message is the button `click`, pressed after `question` got
    `actions_between` (the raw events Rasa sends, reverted ones included)."""
    state = tracker_state("topic")
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": question}]
    for name in actions_between:
        events.append({"event": "action", "name": name})
        if name == "action_two_stage_fallback":
            events.append({"event": "bot", "text": "Mente du en av disse?"})
        events.append({"event": "action", "name": "action_listen"})
    if "action_two_stage_fallback" in actions_between:
        # The button first goes to the fallback, which rewinds and replays it.
        events += [{"event": "user", "text": click}, {"event": "action", "name": "action_two_stage_fallback"},
                   {"event": "rewind"}, {"event": "action", "name": "action_listen"}]
    events.append({"event": "user", "text": click})
    state["events"] = events
    state["latest_message"].update({
        "text": click, "intent": {"name": "ask_sick_leave_followup", "confidence": 1.0},
        "entities": [{"entity": "milestone", "value": "arbeidsgiverperiode"}],
    })
    return Tracker.from_dict(state)


def test_a_button_the_fallback_offered_answers_with_the_parts_its_question_asked(kb, domain):
    """The fallback was unsure of a question and offered buttons: the one clicked answers with
    the parts of its entry that the question asked about, not only the entry."""
    question = "Kan vi få dekket sykepengene i arbeidsgiverperioden for en som ofte er borte?"
    click = '/ask_sick_leave_followup{"milestone": "arbeidsgiverperiode"}'
    chronic = next(d for d in kb.milestones["arbeidsgiverperiode"].details if d.key == "kronisk")
    messages, _ = run_action(ActionAnswerSickLeave(), _clicked_after(question, ["action_two_stage_fallback"], click), domain)
    assert chronic.answer in messages[0]["text"]
    # A button under an answer is a question of its own: the question before it does not count.
    messages, _ = run_action(ActionAnswerSickLeave(), _clicked_after(question, ["action_answer_topic"], click), domain)
    assert messages[0]["text"].startswith(kb.milestones["arbeidsgiverperiode"].answer)
    assert chronic.answer not in messages[0]["text"]

"""Whom to contact, where a place lies, the measures that fit, the situation form and its
follow-ups, the councils today and an industry's bransjeprogram, answered in nynorsk to a
conversation in nynorsk (actions/contacts.py, places.py, recommend.py, situation.py,
measures.py, councils.py), with nynorsk input understood; in bokmål they stay as they were."""
import copy
import re
from dataclasses import replace

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import standard
from actions.contact_form import ActionContactStart
from actions.contacts import (
    CANDIDATES_SLOT,
    PLACE_SLOT,
    ActionAnswerCountyOf,
    county_text,
    load_contacts,
    utter_contact,
    which_buttons,
    which_text,
)
from actions.councils import ActionAnswerCouncilToday
from actions.draft import SKIPPED
from actions.fallback import ActionDefaultAskAffirmation
from actions.followup import ActionAnswerFollowup
from actions.forms import OUTCOME_SLOT
from actions.knowledge import load
from actions.measures import ActionAnswerMeasures, programme_text
from actions.places import LIKELY, gazetteer, names
from actions.recommend import (
    INDUSTRY_SLOT,
    LARGE,
    PROBLEM_SLOT,
    SIZE_SLOT,
    SMALL,
    SUGGESTED_SLOT,
    Situation,
    describe,
    read_problems,
    read_size,
    utter_suggestions,
)
from actions.situation import (
    ASK_ACTIONS,
    ActionAnswerFit,
    ActionAnswerHowToApply,
    ActionRecommendMeasures,
    ActionSituationStart,
    ValidateSituationForm,
)
from bot.written_standard import written_standard
from tests.conftest import bokmal_sentences, build_tracker, form_tracker, run_action, slot_events, written_in

# Web addresses are no sentences: a source's address or "arbeidsgiver.nav.no" is written as the
# site writes it.
ADDRESS = re.compile(r"(?:https?://)?(?:[\w-]+\.)+(?:no|com|org)(?:/\S*)?")


def without_addresses(messages):
    return [
        {
            "text": ADDRESS.sub("", m.get("text") or ""),
            "buttons": [{**b, "title": ADDRESS.sub("", b.get("title") or "")} for b in m.get("buttons") or []],
        }
        for m in messages
    ]


def bokmal_in(messages):
    return bokmal_sentences(without_addresses(messages))


def nn(tracker):
    return written_in(tracker, "nn")


@pytest.fixture
def nn_kb():
    standard.use_standard("nn")
    return load(standard="nn")


def contact(place, said="", fuzzy=False):
    dispatcher = CollectingDispatcher()
    utter_contact(dispatcher, place, said, fuzzy)
    return dispatcher.messages


def texts(messages):
    return "\n".join(m["text"] for m in messages)


# ----- whom to contact -------------------------------------------------------------------------
def test_contact_for_a_county_in_nynorsk(nn_kb):
    [place] = gazetteer(nn_kb).county("rogaland")
    messages = contact(place)
    assert bokmal_in(messages) == []
    first, council = messages
    assert first["text"].startswith(
        "Arbeidsplassar i Rogaland høyrer til NAV Arbeidslivssenter Rogaland (NAVs regioninndeling frå 1. januar 2019)."
    )
    assert "\nSlik når de NAV Arbeidslivssenter i dag:\n" in first["text"]
    assert "\nGjeld det arbeidsmiljøet og reglane: Arbeidstilsynets svarteneste, 73 19 97 00" in first["text"]
    # The contact data in nynorsk, not its bokmål text.
    nn_contacts = load_contacts("nn")
    assert nn_contacts.channels["contact_form"].text in first["text"]
    assert load_contacts("nb").channels["contact_form"].text not in first["text"]
    assert council["text"].startswith(nn_contacts.council_text)
    assert [b["title"] for b in council["buttons"]] == ["Lag ein lokal IA-avtale", "Finn verkemiddel for oss", "Ein annan stad"]
    assert [b["payload"] for b in council["buttons"]] == ["/start_local_agreement", "/describe_situation", "/ask_contact"]


def test_contact_data_defaults_to_the_conversations_standard():
    assert load_contacts() is load_contacts("nb")
    standard.use_standard("nn")
    assert load_contacts() is load_contacts("nn")
    assert load_contacts().split_note != load_contacts("nb").split_note


def test_contact_for_a_split_county_and_a_municipality_with_its_own_centre(nn_kb):
    found = gazetteer(nn_kb).read("Sandvika")
    messages = contact(found.place, found.said)
    assert bokmal_in(messages) == []
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "Sandvika ligg i Bærum kommune i Akershus."
    assert lines[1].startswith(
        "Frå 2019 høyrde arbeidsplassar i Bærum kommune til NAV Arbeidslivssenter Vest-Viken (NAVs regioninndeling frå 1. januar 2019)."
    )
    assert load_contacts("nn").split_note in lines[1]


def test_contact_for_an_old_name_a_typo_and_nowhere(nn_kb):
    found = gazetteer(nn_kb).read("Hordaland")
    messages = contact(found.place, found.said)
    assert messages[0]["text"].startswith("Hordaland er i dag ein del av Vestland.\nArbeidsplassar i Vestland høyrer til")
    found = gazetteer(nn_kb).read("Rogalnd")
    messages += contact(found.place, found.said, found.fuzzy)
    assert messages[-2]["text"].startswith("Eg går ut frå at du meiner Rogaland.\n")
    messages += contact(None)
    assert messages[-2]["text"].startswith("NAV Arbeidslivssenter finst i kvart fylke.\nSlik når de")
    assert bokmal_in(messages) == []


@pytest.mark.parametrize(
    "state, first",
    [
        ("council_today_county", "Arbeidsplassar i Rogaland høyrer til NAV Arbeidslivssenter Rogaland"),
        ("council_today_county_with_note", "Frå 2019 høyrde arbeidsplassar i Vestfold til NAV Arbeid Vestfold og Telemark"),
        ("council_today_municipality", "Bærum kommune ligg i Akershus.\nFrå 2019 høyrde arbeidsplassar i Bærum kommune til"),
    ],
)
def test_council_today_with_a_place_in_nynorsk(domain, state, first):
    messages, _ = run_action(ActionAnswerCouncilToday(), nn(build_tracker(state)), domain)
    assert messages[0]["text"].startswith(first)
    assert messages[1]["text"].startswith("Frå 2014 til 2018 hadde kvart fylke eit IA-råd")
    assert bokmal_in(messages) == []


def test_council_today_without_a_place_in_nynorsk(domain):
    messages, _ = run_action(ActionAnswerCouncilToday(), nn(build_tracker("council_today")), domain)
    assert messages[0]["text"].startswith(load(standard="nn").topics["ask_council_today"].answer)
    assert bokmal_in(messages) == []


def test_which_place_did_you_mean_in_nynorsk(domain):
    messages, _ = run_action(ActionAnswerCouncilToday(), nn(build_tracker("council_today_former_county")), domain)
    assert messages[0]["text"] == "«Viken» kan tyde fleire stader. Kva for ein meiner du?"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        f'/ask_contact{{"county": "{key}"}}' for key in ("akershus", "buskerud", "ostfold")
    ]
    more, _ = run_action(ActionAnswerCouncilToday(), nn(build_tracker("council_today_two_counties")), domain)
    assert [b["title"] for b in more[0]["buttons"]] == ["Våler i Østfold", "Våler i Innlandet"]
    assert bokmal_in(messages + more) == []


def test_did_you_mean_for_a_weak_match_in_nynorsk(nn_kb):
    found = gazetteer(nn_kb).read("Trondhjem")
    assert found.place is None and found.fuzzy
    question = {"text": which_text(found.said, found.fuzzy), "buttons": which_buttons(nn_kb, found.candidates)}
    assert question["text"] == "Eg er ikkje sikker på kva stad du meiner med «Trondhjem». Meinte du ein av desse?"
    assert question["buttons"] == [{"title": "Trondheim i Trøndelag", "payload": "Trondheim i Trøndelag"}]
    assert bokmal_in([question]) == []


@pytest.mark.parametrize(
    "text, entities, first",
    [
        ("kva fylke ligg Sandvika i?", [{"entity": "place", "value": "Sandvika"}], "Sandvika ligg i Bærum kommune i Akershus."),
        ("kva fylke er Viken no?", [{"entity": "county", "value": "viken", "text": "Viken"}],
         "Viken vart delt 1. januar 2024 i Akershus, Buskerud og Østfold."),
        ("kva fylke ligg Herøy i", [{"entity": "municipality", "value": "Herøy", "text": "Herøy"}],
         "Det finst fleire stader med namnet «Herøy»: Herøy kommune ligg i Møre og Romsdal; Herøy kommune ligg i Nordland."),
        ("kva fylke ligg Lilehammer i", [], "Eg går ut frå at du meiner Lillehammer. Lillehammer kommune ligg i Innlandet."),
        ("kva fylke ligg Trondhjem i", [], "Eg er ikkje sikker på kva stad du meiner med «Trondhjem». Det kan vere: "
         "Trondheim kommune ligg i Trøndelag."),
        ("kva er Rogaland", [{"entity": "county", "value": "rogaland", "text": "Rogaland"}], "Rogaland er eit fylke."),
        ("kva fylke er Oslo i", [{"entity": "municipality", "value": "Oslo", "text": "Oslo"}], "Oslo er både eit fylke og ein kommune."),
        ("kva fylke ligg det i?", [], "Eg fann ikkje staden du spør om blant fylka, kommunane og stadene eg kjenner. "
         "Skriv gjerne namnet på kommunen, til dømes «Kva fylke ligg Lillehammer i?»."),
    ],
)
def test_which_county_in_nynorsk(domain, text, entities, first):
    tracker = nn(form_tracker(None, text, intent="ask_county_of", entities=entities))
    messages, _ = run_action(ActionAnswerCountyOf(), tracker, domain)
    assert messages[0]["text"].splitlines()[0] == first
    assert bokmal_in(messages) == []


def test_a_list_of_names_is_joined_in_the_standard(nn_kb):
    assert names(nn_kb, ["akershus", "buskerud", "ostfold"]) == "Akershus, Buskerud og Østfold"
    assert names(nn_kb, ["vestland"]) == "Vestland"


def test_every_place_answer_is_nynorsk(nn_kb):
    """Every county, municipality and town, as whom to contact and as where it lies."""
    places = gazetteer(nn_kb)
    messages = []
    for key in nn_kb.counties:
        for place in places.county(key):
            messages += contact(place)
    for name in nn_kb.municipalities:
        found = places.read(name)
        messages.append({"text": county_text(nn_kb, found)})
        if found.place:
            messages += contact(found.place, found.said)
    for town in nn_kb.towns:
        messages.append({"text": county_text(nn_kb, places.read(town))})
    assert len(messages) > 700
    # A place's name is no word of either standard, though the detector reads "Sykkylven" as
    # bokmål (sykkel, syk-).
    names_of_places = sorted({*nn_kb.municipalities, *nn_kb.towns}, key=len, reverse=True)
    name = re.compile(r"\b(?:" + "|".join(map(re.escape, names_of_places)) + r")\b")
    assert bokmal_in([{"text": name.sub("X", m["text"])} for m in messages]) == []


# ----- nynorsk input ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, name",
    [
        ("i Vestland", "Vestland"),
        ("kven kan vi kontakte om IA i Vestland?", "Vestland"),
        ("vi held til i Molde", "Molde"),
        ("me bur i Førde", "Førde"),
        ("verksemda vår ligg i Kristiansund", "Kristiansund"),
        ("kven tek vi kontakt med om IA i Sogn og Fjordane", "Vestland"),
    ],
)
def test_a_place_in_a_nynorsk_message_is_read(domain, text, name):
    _, events = run_action(ActionContactStart(), nn(form_tracker(None, text, intent="ask_contact")), domain)
    assert slot_events(events)[PLACE_SLOT]["name"] == name


@pytest.mark.parametrize(
    "text",
    [
        "eg veit ikkje kva staden heiter",
        "kven kontaktar vi om rolla til leiaren",
        "eg finn ikkje kjelder om det",
        "Kven kan vi kontakte om IA-arbeidet på arbeidsplassen vår?",
    ],
)
def test_nynorsk_words_close_to_a_place_name_are_no_place(kb, text):
    assert gazetteer(kb).read(text).candidates == ()
    assert gazetteer(kb).read(text, min_fuzzy=LIKELY).candidates == ()


def test_nynorsk_words_for_a_workplace_are_read(kb):
    assert read_size("vi er ei verksemd med 40 tilsette", kb) == LARGE
    assert read_size("vi er ei lita verksemd", kb) == SMALL
    assert read_problems("vi har mykje sjukefråvær", kb) == ("high_sick_leave",)
    assert read_problems("ein tilsett har vore sjukmeld i fire månader", kb) == ("long_absence_one",)
    assert read_problems("vi vil førebyggje sjukefråvær", kb) == ("prevention",)


# ----- the measures that fit -------------------------------------------------------------------
def test_a_suggestion_for_a_nynorsk_situation(domain):
    tracker = nn(form_tracker(None, "vi er ein barnehage med høgt sjukefråvær, kva hjelp kan vi få?", intent="ask_measures",
                              entities=[{"entity": "industry", "value": "barnehager"}]))
    messages, events = run_action(ActionAnswerMeasures(), tracker, domain)
    [message] = messages
    lines = message["text"].splitlines()
    assert lines[0] == "Ut frå det du fortel (barnehagar, høgt sjukefråvær), passar dette best:"
    assert lines[1].startswith("1. Bransjeprogram: Bransjen dykkar har eit eige IA-bransjeprogram (Barnehagar, frå 2019).")
    assert " Første steg: " in lines[1]
    assert [b["title"] for b in message["buttons"]][:2] == ["Meir om: Bransjeprogram", "Meir om: NAV Arbeidslivssenter"]
    assert slot_events(events)[SUGGESTED_SLOT][0] == "bransjeprogram"
    assert bokmal_in(messages) == []


def test_a_size_in_nynorsk_is_said_back(domain):
    tracker = nn(form_tracker(None, "vi er ei verksemd med 40 tilsette og mykje sjukefråvær", intent="describe_situation"))
    _, events = run_action(ActionSituationStart(), tracker, domain)
    slots = slot_events(events)
    assert (slots[SIZE_SLOT], slots[PROBLEM_SLOT]) == (LARGE, ["high_sick_leave"])
    messages, _ = run_action(ActionRecommendMeasures(), nn(form_tracker(None, "x", slots=slots)), domain)
    assert messages[0]["text"].startswith("Ut frå det du fortel (stor arbeidsplass, høgt sjukefråvær), passar dette best:")
    assert bokmal_in(messages) == []


def test_nothing_said_and_an_industry_without_a_programme_in_nynorsk(domain):
    messages, _ = run_action(ActionAnswerMeasures(), nn(build_tracker("ask_measures_industry_without_programme")), domain)
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "Ut frå det du fortel (it og kontor), passar dette best:"
    assert "IT og kontor har ikkje noko eige IA-bransjeprogram som eg kjenner til." in lines
    assert any(line.startswith("Fortel meg gjerne den største utfordringa dykkar") for line in lines)
    start, _ = run_action(ActionRecommendMeasures(), nn(form_tracker(None, "x", slots={PROBLEM_SLOT: SKIPPED})), domain)
    assert start[0]["text"].startswith("Du har ikkje fortalt så mykje om arbeidsplassen enno")
    assert bokmal_in(messages + start) == []


def test_every_problem_and_size_is_suggested_in_nynorsk(nn_kb):
    messages = []
    for problem in nn_kb.recommender.problems:
        for size in (None, SMALL, LARGE):
            dispatcher = CollectingDispatcher()
            utter_suggestions(dispatcher, Situation(industry="renhold", problems=(problem,), size=size))
            messages += dispatcher.messages
    assert bokmal_in(messages) == []


def test_describe_is_in_the_standard_and_titles_the_fallback_button(domain, nn_kb):
    assert describe(Situation(industry="sykehjem", problems=("high_sick_leave",), size=SMALL), nn_kb) == (
        "sjukeheim, liten arbeidsplass, høgt sjukefråvær"
    )
    messages, _ = run_action(ActionDefaultAskAffirmation(), nn(build_tracker("fallback_describing_a_situation")), domain)
    assert messages[0]["buttons"][0]["title"] == "Finn verkemiddel for: transport og lager (gods), arbeidsmiljøet"
    assert bokmal_in(messages) == []


# ----- an industry's bransjeprogram --------------------------------------------------------------
def test_an_industrys_programme_in_nynorsk(domain, nn_kb):
    messages, _ = run_action(ActionAnswerMeasures(), nn(build_tracker("ask_measures_industry_only")), domain)
    programme, suggestions = messages
    assert programme["text"].startswith("Sjukeheim: bransjen har eit eige bransjeprogram under IA-avtalen (frå 2019).")
    assert suggestions["text"].splitlines()[0] == "Ut frå det du fortel (sjukeheim, stor arbeidsplass), passar dette best:"
    followed, _ = run_action(ActionAnswerFollowup(), nn(build_tracker("inform_industry")), domain)
    assert bokmal_in(messages + followed) == []


def test_a_programme_without_a_year(nn_kb):
    knowledge = copy.copy(nn_kb)
    industry = nn_kb.industries["sykehjem"]
    knowledge.industries = {"sykehjem": replace(industry, bransjeprogram={"note": ""})}
    assert programme_text(knowledge, "sykehjem").startswith("Sjukeheim: bransjen har eit eige bransjeprogram under IA-avtalen.\n")
    standard.use_standard("nb")
    assert programme_text(knowledge, "sykehjem").startswith("Sjukeheim: bransjen har et eget bransjeprogram under IA-avtalen.\n")


def test_every_programme_is_nynorsk(nn_kb):
    messages = [{"text": programme_text(nn_kb, key)} for key in nn_kb.industries if nn_kb.industries[key].bransjeprogram]
    assert messages and bokmal_in(messages) == []


# ----- the situation form ----------------------------------------------------------------------
FORM = ValidateSituationForm()


def validate(domain, requested, text, **kwargs):
    tracker = nn(form_tracker(f"situation_{requested}", text, form="situation_form", **kwargs))
    messages, events = run_action(FORM, tracker, domain)
    return messages, slot_events(events)


@pytest.mark.parametrize("action", ASK_ACTIONS, ids=lambda a: a().name())
def test_the_form_asks_in_nynorsk(domain, action):
    slot = action().name().replace("action_ask_", "")
    messages, _ = run_action(action(), nn(form_tracker(slot, None, form="situation_form")), domain)
    [message] = messages
    question, example = message["text"].splitlines()
    assert question in ("Kva bransje er de i?", "Kva er den største utfordringa?")
    assert example.startswith("Døme: ")
    assert message["buttons"][-1] == {"title": "Veit ikkje", "payload": "veit ikkje"}
    assert bokmal_in(messages) == []
    # The button sends words the detector reads as nynorsk and the form as «don't know».
    assert written_standard(message["buttons"][-1]["payload"]) == "nn"
    assert all(written_standard(b["payload"]) in ("nn", None) for b in message["buttons"])


def test_the_form_reads_nynorsk_answers_and_says_what_is_wrong_in_nynorsk(domain):
    _, slots = validate(domain, "industry", "barnehage", entities=[{"entity": "industry", "value": "barnehager"}])
    assert slots[INDUSTRY_SLOT] == "barnehager"
    _, slots = validate(domain, "industry", "Anna bransje")
    assert slots[INDUSTRY_SLOT] == "other"
    _, slots = validate(domain, "industry", "vi er ei verksemd med 40 tilsette")
    assert (slots[INDUSTRY_SLOT], slots[SIZE_SLOT]) == ("other", LARGE)
    _, slots = validate(domain, "industry", "veit ikkje")
    assert slots[INDUSTRY_SLOT] == SKIPPED
    _, slots = validate(domain, "problem", "vi har mykje sjukefråvær")
    assert slots[PROBLEM_SLOT] == ["high_sick_leave"]
    wrong, slots = validate(domain, "industry", "123")
    assert wrong[0]["text"] == "Skriv bransjen med ord, til dømes «sjukeheim» eller «butikk»."
    unknown, slots = validate(domain, "problem", "tja, litt av kvart")
    assert unknown[0]["text"].startswith("Den utfordringa kjende eg ikkje att.")
    assert slots[PROBLEM_SLOT] is None
    assert bokmal_in(wrong + unknown) == []


def test_the_form_starts_and_stops_in_nynorsk(domain):
    start, _ = run_action(ActionSituationStart(), nn(form_tracker(None, "vi har høgt sjukefråvær", intent="describe_situation")), domain)
    assert start[0]["text"] == "Eg finn dei verkemidla som passar best for dykk. Først eit kort spørsmål:"
    stop, events = run_action(ActionRecommendMeasures(), nn(form_tracker(None, "x", slots={OUTCOME_SLOT: "cancelled"})), domain)
    assert stop[0]["text"] == "Greitt, då lèt vi det vere. Spør gjerne igjen når du vil."
    assert bokmal_in(start + stop) == []


# ----- follow-ups --------------------------------------------------------------------------------
SUGGESTED = {SUGGESTED_SLOT: ["ekspertbistand", "oppfolging"], PROBLEM_SLOT: ["long_absence_one"]}


def test_how_to_apply_in_nynorsk(domain, nn_kb):
    messages, _ = run_action(ActionAnswerHowToApply(), nn(form_tracker(None, "korleis søkjer vi?", slots=SUGGESTED)), domain)
    fit = nn_kb.recommender.options["ekspertbistand"].fit
    lines = messages[0]["text"].splitlines()
    assert lines[:2] == [f"Tilskot til ekspertbistand: {fit['first_step']}", f"Dette krev: {fit['asks']}"]
    assert bokmal_in(messages) == []


def test_fit_in_nynorsk(domain, nn_kb):
    messages, _ = run_action(ActionAnswerFit(), nn(form_tracker(None, "passar det for oss?", slots=SUGGESTED)), domain)
    lines = messages[0]["text"].splitlines()
    fit = nn_kb.recommender.options["ekspertbistand"].fit
    assert lines[:3] == [f"Tilskot til ekspertbistand – for: {fit['for']}", f"Passar: {fit['fits']}", f"Passar dårlegare: {fit['not_fit']}"]
    assert lines[3] == "Ut frå det du har fortalt (ein tilsett er lenge sjukmeld), er dette blant dei beste forslaga for dykk."
    tracker = nn(form_tracker(None, "passar arbeidsmiljøportalen for oss?", slots=SUGGESTED,
                              entities=[{"entity": "measure", "value": "arbeidsmiljoportalen"}]))
    other, _ = run_action(ActionAnswerFit(), tracker, domain)
    assert "er dette ikkje blant dei tre beste forslaga for dykk." in other[0]["text"]
    assert bokmal_in(messages + other) == []


@pytest.mark.parametrize("action", [ActionAnswerHowToApply, ActionAnswerFit])
def test_a_follow_up_without_a_suggestion_asks_which_in_nynorsk(domain, nn_kb, action):
    messages, _ = run_action(action(), nn(form_tracker(None, "korleis søkjer vi?")), domain)
    assert messages[0]["text"] == "Kva verkemiddel tenkjer du på?"
    assert [b["title"] for b in messages[0]["buttons"]] == [m.name for m in nn_kb.measures.values()]
    assert bokmal_in(messages) == []


# ----- bokmål stays as it was ------------------------------------------------------------------
def test_bokmal_is_unchanged(domain, kb):
    """The words the answers said in bokmål before they came in two standards."""
    assert which_text("herøy", False) == "«Herøy» kan bety flere steder. Hvilket mener du?"
    assert which_text("trondhjem", True) == "Jeg er ikke sikker på hvilket sted du mener med «Trondhjem». Mente du et av disse?"
    [place] = gazetteer(kb).county("rogaland")
    first, council = contact(place)
    assert first["text"].splitlines()[:2] == [
        "Arbeidsplasser i Rogaland hører til NAV Arbeidslivssenter Rogaland (NAVs regioninndeling fra 1. januar 2019).",
        "Slik når dere NAV Arbeidslivssenter i dag:",
    ]
    assert first["text"].splitlines()[4].startswith("Gjelder det arbeidsmiljøet og reglene: Arbeidstilsynets svartjeneste, 73 19 97 00")
    assert [b["title"] for b in council["buttons"]] == ["Lag en lokal IA-avtale", "Finn virkemidler for oss", "Et annet sted"]
    messages, _ = run_action(ActionAnswerCountyOf(), form_tracker(None, "hvilket fylke ligger det i?", intent="ask_county_of"), domain)
    assert messages[0]["text"] == (
        "Jeg fant ikke stedet du spør om blant fylkene, kommunene og stedene jeg kjenner. Skriv gjerne navnet på kommunen, "
        "for eksempel «Hvilket fylke ligger Lillehammer i?»."
    )
    messages, _ = run_action(ActionAnswerFit(), form_tracker(None, "passer det for oss?", slots=SUGGESTED), domain)
    assert messages[0]["text"].splitlines()[1:4] == [
        f"Passer: {kb.recommender.options['ekspertbistand'].fit['fits']}",
        f"Passer dårligere: {kb.recommender.options['ekspertbistand'].fit['not_fit']}",
        "Ut fra det du har fortalt (en ansatt er lenge sykmeldt), er dette blant de beste forslagene for dere.",
    ]
    action = next(a for a in ASK_ACTIONS if a().name() == "action_ask_situation_industry")
    messages, _ = run_action(action(), form_tracker("situation_industry", None, form="situation_form"), domain)
    assert messages[0]["text"] == f"Hvilken bransje er dere i?\nEksempel: {kb.recommender.steps[0].example}"
    dispatcher = CollectingDispatcher()
    utter_suggestions(dispatcher, Situation(industry="renhold", size=SMALL))
    lines = dispatcher.messages[0]["text"].splitlines()
    assert lines[0] == "Ut fra det du forteller (renhold, liten arbeidsplass), passer dette best:"
    assert "Renhold har ikke noe eget IA-bransjeprogram som jeg kjenner til." in lines
    assert dispatcher.messages[0]["buttons"][0]["title"].startswith("Mer om: ")

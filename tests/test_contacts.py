"""Whom to contact (actions/contacts.py, actions/contact_form.py): the answers against
data/ia/contacts.yml, the form that asks where, and the rule that every phone number or e-mail
address in any answer comes from sourced contact data."""
import re

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.contact_form import ASK_ACTIONS, ActionAnswerContact, ActionContactStart, ValidateContactForm
from actions.contacts import (
    CANDIDATES_SLOT,
    PLACE_SLOT,
    ActionAnswerCountyOf,
    county_text,
    load_contacts,
    utter_contact,
)
from actions.draft import SKIPPED
from actions.measures import ActionAnswerMeasures
from actions.places import gazetteer
from actions.recommend import Situation, utter_suggestions
from tests.conftest import form_tracker, run_action, slot_events

PHONE = re.compile(r"(?<!\d)(\d{2} ?\d{2} ?\d{2} ?\d{2}|\d{3} ?\d{2} ?\d{3})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
FORM = ValidateContactForm()


@pytest.fixture(scope="module")
def contacts():
    return load_contacts()


def answer(place, said="", fuzzy=False):
    dispatcher = CollectingDispatcher()
    utter_contact(dispatcher, place, said, fuzzy)
    return dispatcher.messages


def test_every_channel_and_centre_is_sourced_and_dated(contacts, kb):
    for channel in contacts.channels.values():
        assert channel.sources and channel.dated, channel.name
        assert all(s.url.startswith("https://") for s in channel.sources)
    assert set(contacts.counties) == set(kb.counties)
    assert contacts.centre_sources and contacts.council_sources
    # Only the numbers the sources give: NAV's employer line and Arbeidstilsynet's help line.
    assert sorted(contacts.phones()) == ["55 55 33 36", "73 19 97 00"]


@pytest.mark.parametrize("county", sorted(["oslo", "rogaland", "vestland", "nordland", "trondelag", "innlandet", "agder", "more_og_romsdal"]))
def test_a_county_that_kept_its_borders_gets_its_centre(kb, contacts, county):
    [place] = gazetteer(kb).county(county)
    contact, council = answer(place)
    centre = contacts.centres[contacts.counties[county].centre]
    assert contact["text"].startswith(f"Arbeidsplasser i {kb.counties[county].name} hører til {centre.name}")
    assert "55 55 33 36" in contact["text"] and "arbeidsgiver.nav.no/kontakt-oss" in contact["text"]
    assert "\nKilder: https://" in contact["text"] and "\nKilde" in council["text"]
    assert [b["payload"] for b in council["buttons"]] == ["/start_local_agreement", "/describe_situation", "/ask_contact"]


@pytest.mark.parametrize(
    "text, first, centre",
    [
        ("Sandvika", "Sandvika ligger i Bærum kommune i Akershus.", "NAV Arbeidslivssenter Vest-Viken"),
        ("Lillestrøm", "Lillestrøm kommune ligger i Akershus.", "NAV Arbeidslivssenter Øst-Viken"),
        ("Tromsø", "Tromsø kommune ligger i Troms.", "NAV Arbeidslivssenter Troms og Finnmark"),
        ("Skien", "Skien kommune ligger i Telemark.", "NAV Arbeid Vestfold og Telemark"),
    ],
)
def test_a_split_county_says_which_centre_served_it_and_that_no_source_says_more(kb, contacts, text, first, centre):
    found = gazetteer(kb).read(text)
    contact, _ = answer(found.place, found.said)
    lines = contact["text"].splitlines()
    assert lines[0] == first
    assert lines[1].startswith("Fra 2019 hørte arbeidsplasser i ") and centre in lines[1]
    assert contacts.split_note in lines[1]


def test_an_old_name_and_a_typo_are_said_back(kb):
    found = gazetteer(kb).read("Hordaland")
    assert answer(found.place, found.said)[0]["text"].startswith("Hordaland er i dag en del av Vestland.")
    found = gazetteer(kb).read("Rogalnd")
    assert answer(found.place, found.said, found.fuzzy)[0]["text"].startswith("Jeg går ut fra at du mener Rogaland.")


def test_a_typo_the_nlu_matched_is_said_back_and_oslo_is_not_said_twice(kb):
    entity = {"entity": "county", "value": "rogaland", "text": "Rogalnd", "confidence_entity": 0.93}
    found = gazetteer(kb).from_entities([entity])
    assert answer(found.place, found.said, found.fuzzy)[0]["text"].startswith("Jeg går ut fra at du mener Rogaland.\n")
    found = gazetteer(kb).from_entities([{"entity": "municipality", "value": "Oslo", "text": "Oslo"}])
    assert answer(found.place, found.said)[0]["text"].startswith("Arbeidsplasser i Oslo hører til NAV Arbeidslivssenter Oslo")
    assert county_text(kb, found).startswith("Oslo er både et fylke og en kommune.")


def test_the_council_note_of_a_county_comes_with_its_source(kb):
    [place] = gazetteer(kb).county("telemark")
    _, council = answer(place)
    assert kb.counties["telemark"].council_note.strip() in council["text"]
    assert kb.counties["telemark"].sources[0].url in council["text"]


def test_without_a_place_the_national_ways_are_given(contacts):
    contact, council = answer(None)
    assert contact["text"].startswith("NAV Arbeidslivssenter finnes i hvert fylke.")
    assert "55 55 33 36" in contact["text"] and "73 19 97 00" in contact["text"]
    assert council["text"].startswith(contacts.council_text)


def all_answers(kb):
    """Every text the assistant can give from the knowledge base and the contact data."""
    for entry in kb.entries():
        yield entry.answer
    places = gazetteer(kb)
    for key in kb.counties:
        for place in places.county(key):
            yield from (m["text"] for m in answer(place))
    for name in kb.municipalities:
        for place in places.municipality(name):
            yield from (m["text"] for m in answer(place))
            yield county_text(kb, places.read(name))
    for town in kb.towns:
        yield county_text(kb, places.read(town))
    yield from (m["text"] for m in answer(None))
    for problem in kb.recommender.problems:
        dispatcher = CollectingDispatcher()
        utter_suggestions(dispatcher, Situation(problems=(problem,)))
        yield dispatcher.messages[0]["text"]


def test_every_phone_number_or_email_in_any_answer_comes_from_sourced_contact_data(kb, contacts):
    allowed = set(contacts.phones())
    checked = 0
    for text in all_answers(kb):
        checked += 1
        text = re.sub(r"https?://\S+", "", text)  # digits in a source's address are not a number
        assert set(PHONE.findall(text)) <= allowed, text
        assert not EMAIL.search(text), text
    assert checked > 700


# ----- the conversation ------------------------------------------------------------------------
def start(domain, text, entities):
    return run_action(ActionContactStart(), form_tracker(None, text, intent="ask_contact", entities=entities), domain)


def test_a_question_naming_a_place_needs_no_form(domain):
    _, events = start(domain, "hvem kontakter vi om IA i Bodø?", [{"entity": "municipality", "value": "Bodø", "text": "Bodø"}])
    slots = slot_events(events)
    assert slots[PLACE_SLOT]["name"] == "Bodø" and slots[CANDIDATES_SLOT] is None


@pytest.mark.parametrize(
    "text, name",
    [("kontaktinfo ia råd harstad", "Harstad"), ("hvem kan hjelpe oss med IA i kristiansan", "Kristiansand")],
)
def test_a_place_the_nlu_did_not_mark_is_read_from_the_question(domain, text, name):
    _, events = start(domain, text, [])
    assert slot_events(events)[PLACE_SLOT]["name"] == name


def test_a_question_without_a_place_leaves_the_form_to_ask(domain):
    _, events = start(domain, "Hvem kan vi kontakte om IA-arbeidet på arbeidsplassen vår?", [])
    assert slot_events(events)[PLACE_SLOT] is None and slot_events(events)[CANDIDATES_SLOT] is None


def test_help_for_businesses_in_a_place_is_whom_to_contact_there(domain):
    tracker = form_tracker(None, "IA-hjelp for bedrifter i Sarpsborg", intent="ask_measures",
                           entities=[{"entity": "municipality", "value": "Sarpsborg", "text": "Sarpsborg"}])
    messages, _ = run_action(ActionAnswerMeasures(), tracker, domain)
    assert messages[0]["text"].startswith("Sarpsborg kommune ligger i Østfold.")


def test_a_name_of_two_places_leaves_the_form_to_ask_which(domain):
    _, events = start(domain, "hvem hjelper oss i Herøy?", [{"entity": "municipality", "value": "Herøy", "text": "Herøy"}])
    slots = slot_events(events)
    assert slots[PLACE_SLOT] is None
    assert [tuple(p["counties"]) for p in slots[CANDIDATES_SLOT]["places"]] == [("more_og_romsdal",), ("nordland",)]
    tracker = form_tracker("contact_place", None, form="contact_form", slots={CANDIDATES_SLOT: slots[CANDIDATES_SLOT]})
    [ask] = [a for a in ASK_ACTIONS if a().name() == "action_ask_contact_place"]
    messages, _ = run_action(ask(), tracker, domain)
    assert messages[0]["text"] == "«Herøy» kan bety flere steder. Hvilket mener du?"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["Herøy i Møre og Romsdal", "Herøy i Nordland", "vet ikke"]


def validate(domain, text, slots=None):
    tracker = form_tracker("contact_place", text, form="contact_form", slots=slots)
    messages, events = run_action(FORM, tracker, domain)
    return messages, slot_events(events)


def test_the_form_reads_a_place_a_choice_and_a_typo(domain):
    _, slots = validate(domain, "vi holder til i Molde")
    assert slots[PLACE_SLOT]["name"] == "Molde"
    _, slots = validate(domain, "Herøy i Nordland")
    assert (slots[PLACE_SLOT]["name"], slots[PLACE_SLOT]["counties"]) == ("Herøy", ("nordland",))
    _, slots = validate(domain, "Lillehamer")
    assert (slots[PLACE_SLOT]["name"], slots[PLACE_SLOT]["fuzzy"]) == ("Lillehammer", True)
    _, slots = validate(domain, "Trondhjem")
    assert slots[PLACE_SLOT] is None and slots[CANDIDATES_SLOT]["fuzzy"]


def test_the_form_asks_which_without_counting_a_failure(domain):
    messages, slots = validate(domain, "Viken")
    assert messages == [] and slots[PLACE_SLOT] is None and slots["form_failures"] == 0
    assert len(slots[CANDIDATES_SLOT]["places"]) == 3


def test_an_unknown_place_is_said_plainly(domain):
    messages, slots = validate(domain, "Atlantis")
    assert messages[0]["text"].startswith("Jeg fant ikke «Atlantis» blant fylkene, kommunene og stedene")
    assert slots[PLACE_SLOT] is None


def test_dont_know_gives_the_national_ways(domain):
    _, slots = validate(domain, "vet ikke")
    assert slots[PLACE_SLOT] == SKIPPED
    messages, events = run_action(ActionAnswerContact(), form_tracker(None, "vet ikke", slots={PLACE_SLOT: SKIPPED}), domain)
    assert messages[0]["text"].startswith("NAV Arbeidslivssenter finnes i hvert fylke.")
    assert slot_events(events)[PLACE_SLOT] is None


@pytest.mark.parametrize(
    "text, entities, want",
    [
        ("hvilket fylke ligger Sandvika i?", [{"entity": "place", "value": "Sandvika"}], "Sandvika ligger i Bærum kommune i Akershus."),
        ("kva fylke er Viken no?", [{"entity": "county", "value": "viken", "text": "Viken"}], "Viken ble delt 1. januar 2024 i Akershus, Buskerud og Østfold."),
        ("hvilket fylke ligger Herøy i", [{"entity": "municipality", "value": "Herøy", "text": "Herøy"}],
         "Det finnes flere steder med navnet «Herøy»: Herøy kommune ligger i Møre og Romsdal; Herøy kommune ligger i Nordland."),
        ("what county is Lilehammer in", [], "Jeg går ut fra at du mener Lillehammer. Lillehammer kommune ligger i Innlandet."),
    ],
)
def test_which_county_a_place_is_in(domain, text, entities, want):
    messages, _ = run_action(ActionAnswerCountyOf(), form_tracker(None, text, intent="ask_county_of", entities=entities), domain)
    assert messages[0]["text"].splitlines()[0] == want
    assert "\nKilde" in messages[0]["text"]


def test_which_county_for_no_place_says_so(domain):
    messages, _ = run_action(ActionAnswerCountyOf(), form_tracker(None, "hvilket fylke ligger det i?", intent="ask_county_of"), domain)
    assert messages[0]["text"].startswith("Jeg fant ikke stedet du spør om")


def test_a_town_of_several_municipalities_is_asked_about_and_the_button_read_back(domain):
    _, slots = validate(domain, "Mo")
    tracker = form_tracker("contact_place", None, form="contact_form", slots={CANDIDATES_SLOT: slots[CANDIDATES_SLOT]})
    [ask] = [a for a in ASK_ACTIONS if a().name() == "action_ask_contact_place"]
    messages, _ = run_action(ask(), tracker, domain)
    buttons = messages[0]["buttons"]
    assert buttons[0] == {"title": "Mo (Rana, Nordland)", "payload": "Mo i Rana"}
    _, slots = validate(domain, buttons[1]["payload"])
    assert (slots[PLACE_SLOT]["name"], slots[PLACE_SLOT]["municipality"]) == ("Mo", "Nord-Odal")

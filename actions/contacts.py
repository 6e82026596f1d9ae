"""Whom to contact about IA where the user is: the NAV Arbeidslivssenter that serves the place,
how to reach it today, and what became of the county IA council (data/ia/contacts.yml).
A name that means several places gets a question back with a button for each; the form that
asks for a place when a question names none is in actions/contact_form.py."""
from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard
from actions.knowledge import DEFAULT_DIR, KnowledgeBase, KnowledgeError, load, read_localised, Source, Step, parse_sources, parse_step, source_line
from actions.places import COUNTY, LIKELY, MUNICIPALITY, TOWN, Found, Place, gazetteer, names, normalise
from actions.render import kb, latest, latest_text
from actions.standard import current as current_standard

FORM = "contact_form"
PLACE_SLOT = "contact_place"
# The places a name could mean, while the form asks which one.
CANDIDATES_SLOT = "contact_candidates"
# What to do next, after whom to contact: (the phrase of the title, the payload).
NEXT = (
    ("contacts.button_agreement", "/start_local_agreement"),
    ("contacts.button_measures", "/describe_situation"),
    ("contacts.button_elsewhere", "/ask_contact"),
)


def next_buttons() -> List[Dict[str, str]]:
    return [{"title": phrases.text(title), "payload": payload} for title, payload in NEXT]


# ----- the data -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Channel:
    name: str
    dated: str
    sources: Tuple[Source, ...]
    text: str = ""
    where: str = ""
    phone: str = ""
    hours: str = ""
    audience: str = ""


@dataclass(frozen=True)
class Centre:
    name: str
    note: str = ""


@dataclass(frozen=True)
class CountyCentre:
    centre: str
    split: bool
    municipalities: Dict[str, str]


@dataclass(frozen=True)
class Contacts:
    checked: str
    channels: Dict[str, Channel]
    centres: Dict[str, Centre]
    centre_dated: str
    centre_sources: Tuple[Source, ...]
    counties: Dict[str, CountyCentre]
    split_note: str
    council_text: str
    council_sources: Tuple[Source, ...]
    steps: Tuple[Step, ...]

    def centre_of(self, place: Place) -> Tuple[Centre, CountyCentre]:
        served = self.counties[place.county]
        key = served.municipalities.get(place.municipality or "", served.centre)
        return self.centres[key], served

    def phones(self) -> List[str]:
        """Every phone number this data gives, each with its source (the only ones an answer may hold)."""
        return [c.phone for c in self.channels.values() if c.phone]


def _sources(raw: Any, where: str) -> Tuple[Source, ...]:
    return parse_sources(raw, f"contacts.yml: {where}")


def parse_contacts(data: dict, knowledge: KnowledgeBase) -> Contacts:
    channels = {
        str(k): Channel(
            name=str(v["name"]),
            dated=str(v["dated"]),
            sources=_sources(v.get("sources"), f"channels.{k}"),
            text=str(v.get("text") or ""),
            where=str(v.get("where") or ""),
            phone=str(v.get("phone") or ""),
            hours=str(v.get("hours") or ""),
            audience=str(v.get("for") or ""),
        )
        for k, v in data["channels"].items()
    }
    centres = {str(k): Centre(name=str(v["name"]), note=str(v.get("note") or "")) for k, v in data["centres"].items()}
    counties = {
        str(k): CountyCentre(
            centre=str(v["centre"]), split=bool(v.get("split")), municipalities=dict(v.get("municipalities") or {})
        )
        for k, v in data["counties"].items()
    }
    if set(counties) != set(knowledge.counties):
        raise KnowledgeError(f"contacts.yml: counties differ from counties.yml: {set(counties) ^ set(knowledge.counties)}")
    for key, served in counties.items():
        for centre in [served.centre, *served.municipalities.values()]:
            if centre not in centres:
                raise KnowledgeError(f"contacts.yml: {key} names an unknown centre '{centre}'")
        unknown = [m for m in served.municipalities if key not in knowledge.municipalities.get(m, ())]
        if unknown:
            raise KnowledgeError(f"contacts.yml: {key}: municipalities not in the county: {unknown}")
    prefix = str(data["slot_prefix"])
    return Contacts(
        checked=str(data["checked"]),
        channels=channels,
        centres=centres,
        centre_dated=str(data["centre_dated"]),
        centre_sources=_sources(data.get("centre_sources"), "centre_sources"),
        counties=counties,
        split_note=str(data["split_note"]).strip(),
        council_text=str(data["councils"]["text"]).strip(),
        council_sources=_sources(data["councils"].get("sources"), "councils"),
        steps=tuple(parse_step(s, "contacts.yml.steps", prefix) for s in data["steps"]),
    )


def load_contacts(standard: Optional[str] = None) -> Contacts:
    """data/ia/contacts.yml in one written standard, by default the conversation's (both are
    checked by the knowledge base's loader)."""
    return _load_contacts(standard or current_standard())


@functools.lru_cache(maxsize=2)
def _load_contacts(standard: str) -> Contacts:
    return parse_contacts(read_localised(DEFAULT_DIR, "contacts.yml", standard), load(standard=standard))


# ----- the answer ---------------------------------------------------------------------------
def place_from_slot(value: Any) -> Optional[Place]:
    if not isinstance(value, dict):
        return None
    return Place(value["kind"], value["name"], tuple(value["counties"]), value.get("municipality"))


def to_slot(place: Place, found: Found) -> Dict[str, Any]:
    return {**asdict(place), "said": found.said, "fuzzy": found.fuzzy}


def pending(found: Found) -> Optional[Dict[str, Any]]:
    """The candidates to ask about, with what the user wrote, for the candidates slot."""
    if found.place or not found.candidates:
        return None
    return {"said": found.said, "fuzzy": found.fuzzy, "places": [asdict(p) for p in found.candidates]}


def as_written(said: str) -> str:
    """What the user wrote, as a name: "hordaland" -> "Hordaland"."""
    return said[:1].upper() + said[1:]


def place_line(knowledge: KnowledgeBase, place: Place, said: str = "", fuzzy: bool = False) -> str:
    county = knowledge.counties[place.county].name
    if place.kind == TOWN:
        line = phrases.text("contacts.town_in", place=place.name, municipality=place.municipality, county=county)
    elif place.kind == MUNICIPALITY:
        line = phrases.text("contacts.municipality_in", municipality=place.name, county=county) if place.name != county else ""
    elif said and normalise(county) not in normalise(said) and not fuzzy:
        line = phrases.text("contacts.now_part_of", said=as_written(said), county=county)
    else:
        line = ""
    if fuzzy:
        line = f"{phrases.text('contacts.taken_for', place=place.name)} {line}".strip()
    return line


def centre_line(contacts: Contacts, knowledge: KnowledgeBase, place: Place) -> str:
    centre, served = contacts.centre_of(place)
    county = knowledge.counties[place.county].name
    if place.municipality in served.municipalities:
        where = phrases.text("contacts.municipality", municipality=place.municipality)
    else:
        where = county
    served_by = dict(where=where, centre=centre.name, dated=contacts.centre_dated)
    if not served.split:
        return phrases.text("contacts.served", **served_by)
    lines = [phrases.text("contacts.served_from_2019", **served_by)]
    if centre.note:
        lines.append(centre.note)
    lines.append(contacts.split_note)
    return " ".join(lines)


def channel_lines(contacts: Contacts) -> List[str]:
    form = contacts.channels["contact_form"]
    phone = contacts.channels["employer_phone"]
    labour = contacts.channels["arbeidstilsynet"]
    return [
        phrases.text("contacts.reach_today"),
        phrases.text("contacts.form_line", name=form.name, where=form.where, text=form.text, dated=form.dated),
        phrases.text("contacts.phone_line", name=phone.name, phone=phone.phone, hours=phone.hours, dated=phone.dated),
        phrases.text(
            "contacts.labour_line",
            name=labour.name,
            phone=labour.phone,
            hours=labour.hours,
            audience=labour.audience,
            dated=labour.dated,
        ),
    ]


def utter_contact(dispatcher: CollectingDispatcher, place: Optional[Place], said: str = "", fuzzy: bool = False) -> None:
    """Whom to contact for `place` (or anywhere, when None), then the IA council's story there."""
    knowledge, contacts = kb(), load_contacts(standard.current())
    lines: List[str] = []
    sources: List[Source] = []
    if place is None:
        lines.append(phrases.text("contacts.everywhere"))
    else:
        lines += [line for line in (place_line(knowledge, place, said, fuzzy), centre_line(contacts, knowledge, place)) if line]
        sources += contacts.centre_sources[:1]
    lines += channel_lines(contacts)
    for channel in contacts.channels.values():
        sources += channel.sources[:1]
    dispatcher.utter_message(text="\n".join(lines) + "\n" + source_line(tuple(dict.fromkeys(sources)), limit=4))

    council = [contacts.council_text]
    council_sources = list(contacts.council_sources)
    if place is not None:
        county = knowledge.counties[place.county]
        if county.council_note:
            council.append(county.council_note.strip())
            council_sources = list(county.sources[:1]) + council_sources
    dispatcher.utter_message(text=" ".join(council) + "\n" + source_line(tuple(council_sources)), buttons=next_buttons())


def which_buttons(knowledge: KnowledgeBase, places: Sequence[Place], intent: Optional[str] = None) -> List[Dict[str, str]]:
    """A button per place. In the form the payload is words the form reads back ("Herøy i
    Nordland"); outside it, `intent` with the entities that name the place exactly."""
    buttons = []
    for place in places:
        county = knowledge.counties[place.county].name
        if place.kind == COUNTY:
            title = words = place.name
        elif place.kind == TOWN:
            title, words = f"{place.name} ({place.municipality}, {county})", f"{place.name} i {place.municipality}"
        else:
            title = words = f"{place.name} i {county}"
        payload = f"/{intent}{json.dumps(place.entities(), ensure_ascii=False)}" if intent else words
        buttons.append({"title": title, "payload": payload})
    return buttons


def which_text(said: str, fuzzy: bool) -> str:
    return phrases.text("contacts.which_fuzzy" if fuzzy else "contacts.which", said=as_written(said))


def answer_found(dispatcher: CollectingDispatcher, found: Found) -> bool:
    """Answers for the place found outside the form, or asks which one; False if none."""
    if found.place:
        utter_contact(dispatcher, found.place, found.said, found.fuzzy)
        return True
    if found.candidates:
        dispatcher.utter_message(
            text=which_text(found.said, found.fuzzy), buttons=which_buttons(kb(), found.candidates, "ask_contact")
        )
        return True
    return False


def found_in_message(tracker: Tracker, read_text: bool = False) -> Found:
    """The place the latest message names. The NLU finds a place name only where a place is
    meant; after a question about places (`read_text`), any word may be one ("kontaktinfo ia
    råd harstad")."""
    found = gazetteer(kb()).from_entities(latest(tracker, "entities") or [])
    if found.candidates or not read_text:
        return found
    return gazetteer(kb()).read(latest_text(tracker), min_fuzzy=LIKELY)


# ----- the answers -------------------------------------------------------------------------
class ActionAnswerCountyOf(Action):
    """"Hvilket fylke ligger Sandvika i?"."""

    def name(self) -> Text:
        return "action_answer_county_of"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        standard.use(tracker)
        knowledge = kb()
        found = found_in_message(tracker, read_text=True)
        if not found.candidates:
            dispatcher.utter_message(text=phrases.text("contacts.county_not_found"))
            return []
        dispatcher.utter_message(text=county_text(knowledge, found))
        return []


def county_text(knowledge: KnowledgeBase, found: Found) -> str:
    places = found.candidates
    sources = knowledge.municipality_sources[:1]
    if found.place and found.place.kind == COUNTY:
        county = knowledge.counties[found.place.county]
        line = place_line(knowledge, found.place, found.said, found.fuzzy) or phrases.text(
            "contacts.is_county", county=county.name
        )
        return f"{line}\n{source_line(county.sources)}"
    if found.place:
        line = place_line(knowledge, found.place, found.said, found.fuzzy) or phrases.text(
            "contacts.county_and_municipality", place=found.place.name
        )
        if found.place.kind == TOWN:
            sources = knowledge.town_sources[:1] + sources
        return f"{line}\n{source_line(sources)}"
    if all(p.kind == COUNTY for p in places):
        former = next((f for f in knowledge.former_counties.values() if normalise(found.said) in map(normalise, (f.name, *f.aliases))), None)
        if former:
            text = phrases.text("contacts.former_split", former=former.name, became=names(knowledge, former.became))
            return f"{text}\n{source_line(former.sources)}"
    listed = "; ".join(place_line(knowledge, p).rstrip(".") for p in places)
    several = "contacts.several_fuzzy" if found.fuzzy else "contacts.several"
    return f"{phrases.text(several, said=as_written(found.said), places=listed)}\n{source_line(sources)}"

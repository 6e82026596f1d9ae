"""Where the user is: the place resolver (actions/places.py) on what people write, and the
gazetteer that finds place names in whole questions."""
import pytest

from actions.places import COUNTY, MUNICIPALITY, TOWN, gazetteer

# (what the user wrote, (kind, name, county) of the one place meant, fuzzy?)
ONE_PLACE = [
    # counties, as written and in lower case
    ("Oslo", (COUNTY, "Oslo", "oslo"), False),
    ("akershus", (COUNTY, "Akershus", "akershus"), False),
    ("Østfold", (COUNTY, "Østfold", "ostfold"), False),
    ("ostfold", (COUNTY, "Østfold", "ostfold"), False),
    ("Buskerud", (COUNTY, "Buskerud", "buskerud"), False),
    ("Innlandet", (COUNTY, "Innlandet", "innlandet"), False),
    ("Vestfold", (COUNTY, "Vestfold", "vestfold"), False),
    ("Telemark fylke", (COUNTY, "Telemark", "telemark"), False),
    ("Agder", (COUNTY, "Agder", "agder"), False),
    ("Rogaland", (COUNTY, "Rogaland", "rogaland"), False),
    ("vestland", (COUNTY, "Vestland", "vestland"), False),
    ("Møre og Romsdal", (COUNTY, "Møre og Romsdal", "more_og_romsdal"), False),
    ("Trøndelag", (COUNTY, "Trøndelag", "trondelag"), False),
    ("nordland", (COUNTY, "Nordland", "nordland"), False),
    ("Troms", (COUNTY, "Troms", "troms"), False),
    ("Finnmark", (COUNTY, "Finnmark", "finnmark"), False),
    # old county names that became one county
    ("Hordaland", (COUNTY, "Vestland", "vestland"), False),
    ("Sogn og Fjordane", (COUNTY, "Vestland", "vestland"), False),
    ("Hedmark", (COUNTY, "Innlandet", "innlandet"), False),
    ("Oppland", (COUNTY, "Innlandet", "innlandet"), False),
    ("Aust-Agder", (COUNTY, "Agder", "agder"), False),
    ("Vest-Agder", (COUNTY, "Agder", "agder"), False),
    ("Sør-Trøndelag", (COUNTY, "Trøndelag", "trondelag"), False),
    ("Nord-Trøndelag", (COUNTY, "Trøndelag", "trondelag"), False),
    # municipalities, inflected and in sentences
    ("Lillehammer", (MUNICIPALITY, "Lillehammer", "innlandet"), False),
    ("Sarpsborg", (MUNICIPALITY, "Sarpsborg", "ostfold"), False),
    ("harstad", (MUNICIPALITY, "Harstad", "troms"), False),
    ("Bodø", (MUNICIPALITY, "Bodø", "nordland"), False),
    ("vi er i Molde", (MUNICIPALITY, "Molde", "more_og_romsdal"), False),
    ("og i Bodø?", (MUNICIPALITY, "Bodø", "nordland"), False),
    ("Porsgrunn kommune", (MUNICIPALITY, "Porsgrunn", "telemark"), False),
    ("i Tromsø-området", (MUNICIPALITY, "Tromsø", "troms"), False),
    ("Bergensområdet", (MUNICIPALITY, "Bergen", "vestland"), False),
    ("Stavangerregionen", (MUNICIPALITY, "Stavanger", "rogaland"), False),
    ("på Gjøvik", (MUNICIPALITY, "Gjøvik", "innlandet"), False),
    ("Drammen", (MUNICIPALITY, "Drammen", "buskerud"), False),
    ("Bærum", (MUNICIPALITY, "Bærum", "akershus"), False),
    ("Asker", (MUNICIPALITY, "Asker", "akershus"), False),
    ("Lillestrøm", (MUNICIPALITY, "Lillestrøm", "akershus"), False),
    ("Fredrikstad", (MUNICIPALITY, "Fredrikstad", "ostfold"), False),
    ("Kongsberg", (MUNICIPALITY, "Kongsberg", "buskerud"), False),
    ("Tønsberg", (MUNICIPALITY, "Tønsberg", "vestfold"), False),
    ("Skien", (MUNICIPALITY, "Skien", "telemark"), False),
    ("Kristiansand", (MUNICIPALITY, "Kristiansand", "agder"), False),
    ("Haugesund", (MUNICIPALITY, "Haugesund", "rogaland"), False),
    ("Ålesund", (MUNICIPALITY, "Ålesund", "more_og_romsdal"), False),
    ("Haram", (MUNICIPALITY, "Haram", "more_og_romsdal"), False),
    ("Steinkjer", (MUNICIPALITY, "Steinkjer", "trondelag"), False),
    ("Narvik", (MUNICIPALITY, "Narvik", "nordland"), False),
    ("Alta", (MUNICIPALITY, "Alta", "finnmark"), False),
    ("Herøy i Nordland", (MUNICIPALITY, "Herøy", "nordland"), False),
    ("Våler i Innlandet", (MUNICIPALITY, "Våler", "innlandet"), False),
    # Sami and Kven names
    ("Guovdageaidnu", (MUNICIPALITY, "Kautokeino", "finnmark"), False),
    ("Kárášjohka", (MUNICIPALITY, "Karasjok", "finnmark"), False),
    ("Tråante", (MUNICIPALITY, "Trondheim", "trondelag"), False),
    ("Snåase", (MUNICIPALITY, "Snåsa", "trondelag"), False),
    ("Porsanki", (MUNICIPALITY, "Porsanger", "finnmark"), False),
    ("Romsa", (COUNTY, "Troms", "troms"), False),
    # towns and places that are not municipalities
    ("Sandvika", (TOWN, "Sandvika", "akershus"), False),
    ("Mo i Rana", (TOWN, "Mo i Rana", "nordland"), False),
    ("Bryne", (TOWN, "Bryne", "rogaland"), False),
    ("Leknes", (TOWN, "Leknes", "nordland"), False),
    ("Ski", (TOWN, "Ski", "akershus"), False),
    ("Jessheim", (TOWN, "Jessheim", "akershus"), False),
    ("Førde", (TOWN, "Førde", "vestland"), False),
    ("Kirkenes", (TOWN, "Kirkenes", "finnmark"), False),
    ("Svolvær", (TOWN, "Svolvær", "nordland"), False),
    ("Hønefoss", (TOWN, "Hønefoss", "buskerud"), False),
    ("Mosjøen", (TOWN, "Mosjøen", "nordland"), False),
    ("Sand i Suldal", (TOWN, "Sand", "rogaland"), False),
    # typos
    ("Rogalnd", (COUNTY, "Rogaland", "rogaland"), True),
    ("kristiansan", (MUNICIPALITY, "Kristiansand", "agder"), True),
    ("Lillehamer", (MUNICIPALITY, "Lillehammer", "innlandet"), True),
    ("Finmark", (COUNTY, "Finnmark", "finnmark"), True),
    ("Nordlannd", (COUNTY, "Nordland", "nordland"), True),
    ("Stavangr", (MUNICIPALITY, "Stavanger", "rogaland"), True),
]

# (what the user wrote, the places it could mean, as "name/county")
SEVERAL = [
    ("Herøy", {"Herøy/more_og_romsdal", "Herøy/nordland"}),
    ("Våler", {"Våler/ostfold", "Våler/innlandet"}),
    ("Viken", {"Akershus/akershus", "Buskerud/buskerud", "Østfold/ostfold"}),
    ("Vestfold og Telemark", {"Vestfold/vestfold", "Telemark/telemark"}),
    ("Troms og Finnmark", {"Troms/troms", "Finnmark/finnmark"}),
    ("Mo", {"Mo/nordland", "Mo/innlandet", "Mo/more_og_romsdal"}),
    ("Sand", {"Sand/rogaland", "Sand/innlandet", "Sand/akershus"}),
    # A typo not close enough to take without asking: "Mente du Trondheim?".
    ("Trondhjem", {"Trondheim/trondelag"}),
]

NOWHERE = ["xyzzy", "Atlantis", "hva er IA", "", "12345", "Gotham City", "<b>", "København"]


@pytest.fixture(scope="module")
def places(kb):
    return gazetteer(kb)


@pytest.mark.parametrize("text, want, fuzzy", ONE_PLACE)
def test_one_place(places, text, want, fuzzy):
    found = places.read(text)
    assert found.place is not None, (text, found.candidates)
    assert (found.place.kind, found.place.name, found.place.county) == want
    assert found.fuzzy == fuzzy


@pytest.mark.parametrize("text, want", SEVERAL)
def test_a_name_of_several_places_is_asked_about(places, text, want):
    found = places.read(text)
    assert found.place is None
    assert {f"{p.name}/{p.county}" for p in found.candidates} == want


@pytest.mark.parametrize("text", NOWHERE)
def test_no_place(places, text):
    assert places.read(text).candidates == ()


def test_the_table_is_large_and_covers_every_county(kb):
    assert len(ONE_PLACE) + len(SEVERAL) + len(NOWHERE) >= 80
    assert {county for _, (_, _, county), _ in ONE_PLACE} == set(kb.counties)


def test_every_municipality_and_town_is_found_by_its_own_name(kb, places):
    for name, counties in kb.municipalities.items():
        assert {p.county for p in places.read(name).candidates if p.kind == MUNICIPALITY} == set(counties), name
    for town, municipalities in kb.towns.items():
        assert {p.municipality for p in places.read(town).candidates if p.kind == TOWN} == set(municipalities), town


@pytest.mark.parametrize(
    "question, entity",
    [
        ("Hvem tar vi kontakt med om IA i Sandvika?", ("place", "Sandvika")),
        ("IA-hjelp for bedrifter i Mo i Rana", ("place", "Mo i Rana")),
        ("hvem kan hjelpe oss i Bergensområdet", ("municipality", "Bergen")),
        ("kontaktinfo for IA i Tråante", ("municipality", "Trondheim")),
        # Capitalised as the user wrote it, though the pipeline lower-cases its tokens.
        ("Kontakt NAV arbeidslivssenter Fredrikstad", ("municipality", "Fredrikstad")),
        ("IA-kontakt Mo i Rana", ("place", "Mo i Rana")),
    ],
)
def test_the_nlu_finds_towns_and_areas_in_a_question(entities_of, question, entity):
    assert entity in entities_of(question)


def test_a_town_that_is_an_ordinary_word_needs_a_place_context(entities_of):
    assert ("place", "Ski") not in entities_of("Vi har kjøpt nye ski til alle ansatte på lageret vårt")
    assert ("place", "Ski") in entities_of("Vi holder til i Ski og lurer på hvem vi kan ringe")

"""The fuzzy gazetteer finds the knowledge base's names in real sentences: typos, nynorsk,
inflections, English, old county names, municipalities only where a place is meant."""
import pytest
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.gazetteer import FuzzyGazetteer
from tests.conftest import ROOT

SPACY = str(ROOT / "build" / "spacy-nb")


@pytest.mark.parametrize(
    "text, found",
    [
        ("Hva gjør verneombudet i IA-arbeidet?", ("ia_role", "verneombud")),
        ("kva gjer verneombodet i ia-arbeidet", ("ia_role", "verneombud")),
        ("hva gjør vernombudet", ("ia_role", "verneombud")),  # typo
        ("hva er rollen til tillitsvlagte", ("ia_role", "tillitsvalgt")),  # typo
        ("What does the safety representative do?", ("ia_role", "verneombud")),
        ("what does the union rep do in IA work", ("ia_role", "tillitsvalgt")),
        ("Hva skal lederen gjøre?", ("ia_role", "leder")),
        ("Når må vi ha AMU?", ("ia_role", "amu")),
        ("Hva er AMUs oppgaver?", ("ia_role", "amu")),  # the genitive of a short name
        ("BHTs rolle i IA", ("ia_role", "bht")),
        ("Når er dialogmøte 2?", ("milestone", "dialogmote_2")),
        ("hva er aktivitetsplikten", ("milestone", "aktivitetsplikt")),
        ("Hvordan søker vi om ekspertbistand?", ("measure", "ekspertbistand")),
        ("Finnes tilretteleggingstilskuddet ennå?", ("measure", "hjelpemidler")),
        ("Does NAV pay for work aids?", ("measure", "hjelpemidler")),
        ("Vi er en barnehage", ("industry", "barnehager")),
        ("Finnes det IA-råd i Hordaland?", ("county", "vestland")),
        ("Er det IA-råd i Viken?", ("county", "viken")),
        ("Vi holder til i Bærum", ("municipality", "Bærum")),
        ("jeg jobber i tromsø kommune", ("municipality", "Tromsø")),
    ],
)
def test_finds_the_name(entities_of, text, found):
    assert found in entities_of(text)


def test_dialogmote_2_is_not_also_dialogmote_1(entities_of):
    assert entities_of("Hva skjer på dialogmøte 2?") == [("milestone", "dialogmote_2")]


def test_a_head_count_is_not_the_employees_role(entities_of):
    assert entities_of("Vi er ca 120 ansatte, må vi ha AMU?") == [("ia_role", "amu")]
    assert entities_of("Vi er tolv tilsette") == []
    assert ("ia_role", "ansatt") in entities_of("Hva er de ansattes rolle i IA-arbeidet?")


def test_a_number_of_weeks_is_no_milestone_of_other_weeks(entities_of):
    assert entities_of("Hun ble sykmeldt for 2 uker siden") == []
    assert ("milestone", "dialogmote_2") in entities_of("Hva skjer når det har gått 26 uker?")


def test_two_roles_in_order(entities_of):
    assert entities_of("Hva er forskjellen på tillitsvalgt og verneombud?") == [
        ("ia_role", "tillitsvalgt"),
        ("ia_role", "verneombud"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Sola skinner og det er fint vær i dag",  # Sola is a municipality, here the sun
        "Det tar en time å kjøre dit hvis man har tid",  # Time is a municipality
        "Hva er IA-avtalen egentlig for noe?",
        "Hvor mye tjener man som kokk?",
        "Hvilke virkemidler har IA-avtalen?",  # not hjelpemidler
        "Kan du hjelpe meg?",
    ],
)
def test_ordinary_words_are_not_names(entities_of, text):
    assert entities_of(text) == []


def test_short_names_need_an_exact_match(entities_of):
    assert ("ia_role", "amu") not in entities_of("hva betyr amo")


def test_a_place_named_like_a_word_is_found_with_place_context(entities_of):
    assert ("municipality", "Sola") in entities_of("Vi er et sykehjem i Sola kommune")


def test_entity_offsets_point_at_the_words(entities_of):
    spacy_nlp = SpacyNLP(SpacyNLP.load_model(SPACY), {**SpacyNLP.get_default_config(), "model": SPACY})
    message = Message(data={TEXT: "Og hovudverneombodet?"})
    spacy_nlp.process([message], spacy_nlp.provide())
    SpacyTokenizer(SpacyTokenizer.get_default_config()).process([message])
    FuzzyGazetteer({"knowledge_base": str(ROOT / "data" / "ia")}).process([message])
    [entity] = message.get(ENTITIES)
    assert entity["value"] == "hovedverneombud"
    assert message.get(TEXT)[entity["start"] : entity["end"]] == "hovudverneombodet"
    assert entity["extractor"] == "FuzzyGazetteer"


def test_a_phrase_seen_before_is_answered_as_the_first_time():
    gazetteer = FuzzyGazetteer({"knowledge_base": str(ROOT / "data" / "ia")})
    phrases = ["verneombudet", "vernombudet", "tillitsvlagte", "bergensområdet", "hva er", "sola",
               "i sola", "dialogmøte 2", "hordaland", "trondhjem", "amu", "xyz"]
    first = [gazetteer._lookup(phrase) for phrase in phrases]
    again = [gazetteer._lookup(phrase) for phrase in phrases]
    assert first == again == [gazetteer._match(phrase) for phrase in phrases]
    assert gazetteer._lookup.cache_info().hits == len(phrases)

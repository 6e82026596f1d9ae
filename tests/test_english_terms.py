"""English terms read with their Norwegian words (bot/english_terms.py)."""
import pytest

from bot.english_terms import expand


@pytest.mark.parametrize("text, words", [
    ("What are my duties as an employee on sick leave?", ["plikter", "arbeidstaker", "sykefravær"]),
    ("Who is the safety rep and what about the union representative?", ["verneombud", "tillitsvalgt"]),
    ("Does my boss have to adapt my work?", ["leder", "tilrettelegging"]),
    ("When is the dialogue meeting, and do we need a follow-up plan?", ["dialogmøte", "oppfølgingsplan"]),
    ("How many sick days can I take without a doctor's note?", ["egenmelding"]),
])
def test_an_english_question_gets_the_norwegian_words_of_its_terms(text, words):
    expanded = expand(text)
    assert expanded.startswith(text)
    for word in words:
        assert word in expanded[len(text):].split()


@pytest.mark.parametrize("text", [
    "Hva er de fire stegene i IA-samarbeidet?",  # "fire" is four, not dismissal
    "Hva gjør verneombudet i IA-arbeidet?",
    "Kva plan skal leiaren lage saman med den sjukmelde?",
    "",
])
def test_a_norwegian_question_is_left_as_it_is(text):
    assert expand(text) == text

"""A described situation with a yes/no question about the writer's own case is asked back, not
sent to the measure finder (bot/own_case.py)."""
import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.own_case import OwnCaseQuestion, asks_about_own_case


def classified(text, intent, confidence=0.6):
    ranking = [{"name": intent, "confidence": confidence}, {"name": "ask_sick_employee_duties", "confidence": 0.2}]
    message = Message(data={TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    OwnCaseQuestion({}).process([message])
    return message


@pytest.mark.parametrize("text", [
    "er sykmeldt fra lageret, sjefen vil at jeg skal komme inn og gjøre lettere ting. må jeg det?",
    "Avdelingslederen mener sykefravær er hennes sak og ikke mitt som verneombud. Stemmer det?",
    "eg er 40 % sjukmeld og rektor vil styre kva eg gjer. kven bestemmer det?",
    "I'm on sick leave and my boss wants me in for a meeting, do I have to go?",
])
def test_a_question_about_ones_own_case_is_asked_back(text):
    message = classified(text, "describe_situation")
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.6}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == [
        "nlu_fallback", "describe_situation", "ask_sick_employee_duties"]


@pytest.mark.parametrize("text, intent", [
    # A request for help or measures is what the measure finder is for.
    ("Vi har tre langtidssykmeldte. Hvor kan jeg få hjelp til å jobbe systematisk med fraværet?", "describe_situation"),
    ("Mange av lærarane er sjukmelde, kan eg krevje at rektor set i gang tiltak?", "describe_situation"),
    # "What can I do?" asks what to do, not whether one may or must.
    ("Eier et lite verksted, en av karene har vondt i kneet og er ofte borte. Hva kan jeg gjøre?", "describe_situation"),
    # A description without a question about oneself.
    ("Vi er et sykehjem med mye fravær", "describe_situation"),
    # Only the measure finder's intent is changed.
    ("Må jeg møte på dialogmøtet?", "ask_sick_employee_duties"),
])
def test_other_messages_keep_their_intent(text, intent):
    assert classified(text, intent).get(INTENT)["name"] == intent


def test_the_own_case_is_read_in_both_standards_and_english():
    assert asks_about_own_case("må eg stille på møtet?")
    assert asks_about_own_case("har jeg plikt til å svare?")
    assert asks_about_own_case("am I allowed to refuse?")
    assert not asks_about_own_case("hva kan vi gjøre når jeg har så mange syke?")
    assert not asks_about_own_case("kva bør eg gjere når mange er sjukmelde?")
    assert not asks_about_own_case("two of my staff are often off sick, what can I do?")
    # A question word before it makes an open question: what to do, where to start.
    assert not asks_about_own_case("I run a warehouse and sick leave keeps rising. Where do I even start?")
    assert not asks_about_own_case("Lederen bestemmer alt alene. Hvordan kan jeg ta det opp?")
    assert asks_about_own_case("Hvorfor spør du? Må jeg svare på det?")

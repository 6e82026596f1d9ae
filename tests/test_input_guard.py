"""Bad input (empty, huge, binary, markup, script, identity numbers) is cleaned before the
NLU reads it, and gets an intent of its own."""
import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.input_guard import MAX_CHARS, InputCleaner, InputVerdict, clean
from bot.privacy import EMAIL_REDACTED, PHONE_REDACTED, REDACTED, is_identity_number, redact


@pytest.mark.parametrize("raw", ["", "   ", "\n\t ", None, 42])
def test_empty_or_not_text(raw):
    assert clean(raw) == ("", "empty")


def test_huge_input_is_cut_to_the_limit_and_flagged():
    text, problem = clean("verneombud " * 100_000)
    assert problem == "too_long"
    assert len(text) <= MAX_CHARS


def test_binary_garbage_has_no_text():
    text, problem = clean("\x00\x01\x02\xff\xfe\x1b[31m\ufffd\x7f")
    assert problem == "no_text"
    assert "\x00" not in text


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert('x')</script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<img src=x onerror=alert(1)>",
        "<div><br/></div>",
    ],
)
def test_markup_or_script_only(raw):
    text, problem = clean(raw)
    assert problem == "markup_only"
    assert "<" not in text and "alert(" not in text


def test_markup_around_a_question_keeps_the_question():
    assert clean("<b>Hva gjør verneombudet</b> i <i>IA-arbeidet</i>?") == (
        "Hva gjør verneombudet i IA-arbeidet ?",
        None,
    )


def test_script_inside_a_question_is_removed():
    text, problem = clean("Hva er IA?<script>document.cookie</script>")
    assert problem is None
    assert text == "Hva er IA?"


@pytest.mark.parametrize("text", ["5", "5 %", "5,2", "150", "2026–2028", "12.5 %"])
def test_a_short_number_is_an_answer_not_unreadable_input(text):
    assert clean(text) == (text, None)


# Eleven digits whose control digits are right (made for the test: 1 January 1990, numbers 100-102).
@pytest.mark.parametrize("number", ["01019010046", "010190 10046", "010190-10127", "01019010208"])
def test_identity_numbers_are_removed(number):
    text, problem = clean(f"Kollegaen min har fnr {number} og er sykmeldt")
    assert problem == "personal_data"
    assert number not in text and REDACTED in text


@pytest.mark.parametrize(
    "text, placeholder",
    [
        ("ring meg på 91234567", PHONE_REDACTED),
        ("ring meg på 912 34 567", PHONE_REDACTED),
        ("ring meg på 91 23 45 67", PHONE_REDACTED),
        ("ring meg på +47 91234567", PHONE_REDACTED),
        ("mitt svenske nummer er +46 70 123 45 67", PHONE_REDACTED),
        ("send det til kari.nordmann@firma.no", EMAIL_REDACTED),
        ("SEND DET TIL Ola+IA@Eksempel.Kommune.NO takk", EMAIL_REDACTED),
    ],
)
def test_phone_numbers_and_email_addresses_are_removed(text, placeholder):
    cleaned, problem = clean(text)
    assert problem == "personal_data"
    assert placeholder in cleaned and not any(ch.isdigit() for ch in cleaned) and "@" not in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "Vi har 1234567 kroner",
        "ordrenummer 01019012345",  # eleven digits, wrong control digits: not an identity number
        "123456789012 er for langt",
        "IA-avtalen 2025–2028",
        "sykefraværet er 5,2 prosent",
        "innen 26 uker og 52 uker",
        "§ 8-24 og § 15-8",
        "ring 1881",
    ],
)
def test_other_numbers_are_kept(text):
    assert redact(text) == text


@pytest.mark.parametrize("number, valid", [("01019010046", True), ("01019010047", False), ("01019012345", False)])
def test_the_control_digits_decide(number, valid):
    assert is_identity_number(number) is valid


def test_cleaner_then_verdict_gives_intents():
    cleaner, verdict = InputCleaner({}), InputVerdict({})
    messages = [Message(data={TEXT: t}) for t in ["", "fnr 01019010046", "Hva er IA?"]]
    cleaner.process(messages)
    for m in messages:  # what the classifier between the two would have said
        m.set(INTENT, {"name": "ask_ia_agreement", "confidence": 0.9})
    verdict.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == ["invalid_input", "personal_data", "ask_ia_agreement"]
    assert messages[1].get(TEXT) == f"fnr {REDACTED}"

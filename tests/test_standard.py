"""The conversation's written standard as the actions read it (actions/standard.py), and the
phrases they say in it (actions/phrases.py, data/ia/phrases/)."""
import asyncio

import pytest
import yaml

from actions import phrases, standard
from actions.phrases import PhraseError, parse
from actions.standard import NB, NN, Standard, of_events
from bot.written_standard import read_choice, written_standard


def user(text, lang=None):
    """A user event as the action server receives it, parsed as the NLU component parses it."""
    parse_data = {"text": text}
    if written_standard(text):
        parse_data[standard.VERDICT] = written_standard(text)
    if read_choice(text):
        parse_data[standard.CHOICE] = read_choice(text)
    return {"event": "user", "text": text, "parse_data": parse_data, "metadata": {"lang": lang} if lang else {}}


def bot(text):
    return {"event": "bot", "text": text}


def test_a_conversation_in_nynorsk_is_answered_in_nynorsk_and_neutral_turns_keep_it():
    events = [user("Kva gjer verneombodet?"), bot("..."), user("ok"), user("Vestland")]
    assert of_events(events) == Standard(NN)


def test_no_messages_and_english_give_bokmal():
    assert of_events([]) == Standard(NB)
    assert of_events([user("Who should we contact in Bergen?")]) == Standard(NB)


def test_the_page_language_starts_the_conversation_and_the_users_writing_switches_it():
    assert of_events([user("/greet", lang="nn"), user("ok", lang="nn")]).standard == NN
    assert of_events([user("/greet", lang="nn"), user("Hva gjør verneombudet?", lang="nn")]).standard == NB
    # Any other language of the page (English, generic Norwegian) says nothing.
    assert of_events([user("/greet", lang="no"), user("ok", lang="en")]).standard == NB


def test_an_explicit_choice_holds_against_one_message_in_the_other_standard():
    events = [user("Hva er IA?"), user("svar på nynorsk"), user("Hva er egenmelding?")]
    assert of_events(events) == Standard(NN, chosen=True, against=1)


def test_only_the_latest_session_counts():
    events = [user("Kva er IA?"), {"event": "session_started"}, user("ok")]
    assert of_events(events) == Standard(NB)


def test_an_action_answers_in_its_own_conversations_standard():
    """The standard is set per task: two conversations answered at once do not mix."""

    class Tracker:
        def __init__(self, events):
            self.events = events

    async def answer(events, delay):
        standard.use(Tracker(events))
        await asyncio.sleep(delay)
        return phrases.text("dialogue.thank")

    async def both():
        return await asyncio.gather(answer([user("kva er IA?")], 0.02), answer([user("hva er IA?")], 0.0))

    assert asyncio.run(both()) == [phrases.text("dialogue.thank", NN), phrases.text("dialogue.thank", NB)]


# ----- phrases -----------------------------------------------------------------------------------
def test_every_phrase_has_both_standards_and_they_differ_where_words_differ():
    loaded = phrases.load()
    assert loaded, "no phrases found"
    for key, phrase in loaded.items():
        texts = phrase["text"]
        assert set(texts) == {NB, NN}, key
        # The detector reads each text as its own standard, or as neutral: never the other one.
        assert written_standard(texts[NB]) in (NB, None), (key, texts[NB])
        assert written_standard(texts[NN]) in (NN, None), (key, texts[NN])
        for button in phrase["buttons"]:
            assert written_standard(button["title"][NB]) in (NB, None), (key, button)
            assert written_standard(button["title"][NN]) in (NN, None), (key, button)


def test_phrases_used_in_the_code_exist():
    import re

    from tests.conftest import ROOT

    used = set()
    for path in (ROOT / "actions").glob("*.py"):
        used |= set(re.findall(r"""phrases\.(?:text|utter|buttons)\(\s*(?:dispatcher,\s*)?["']([\w.]+)["']""", path.read_text()))
    assert used, "found no phrase used"
    missing = used - set(phrases.load())
    assert not missing, f"phrases used but not in data/ia/phrases/: {sorted(missing)}"


def write(tmp_path, name, data):
    (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "value, problem",
    [
        ("Bare bokmål", "needs exactly nb and nn"),
        ({"nb": "Hei"}, "needs exactly nb and nn"),
        ({"nb": "Hei", "nn": ""}, "empty"),
        ({"nb": "Hei {name}", "nn": "Hei"}, "different placeholders"),
        ({"nb": "Hei", "nn": "Hei", "en": "Hi"}, "needs exactly nb and nn"),
        ({"text": {"nb": "Hei", "nn": "Hei"}, "buttons": [{"title": "Ja", "payload": "/affirm"}]}, "needs exactly"),
        ({"text": {"nb": "Hei", "nn": "Hei"}, "buttons": [{"title": {"nb": "Ja", "nn": "Ja"}}]}, "title and a payload"),
    ],
)
def test_the_loader_refuses_a_phrase_in_one_standard_only(tmp_path, value, problem):
    with pytest.raises(PhraseError, match=problem):
        parse(write(tmp_path, "area.yml", {"name": value}))


def test_a_phrase_is_read_in_the_standard_asked_for(tmp_path):
    loaded = parse(write(tmp_path, "area.yml", {"hello": {"nb": "Hei, {who}!", "nn": "Hei, {who}!"}}))
    assert loaded["area.hello"]["text"] == {"nb": "Hei, {who}!", "nn": "Hei, {who}!"}
    assert phrases.text("dialogue.goodbye", NN) != phrases.text("dialogue.goodbye", NB)
    standard.use_standard(NN)
    assert phrases.text("dialogue.goodbye") == phrases.text("dialogue.goodbye", NN)
    assert [b["title"] for b in phrases.buttons("dialogue.greet")][0].startswith("Kva")

"""The written-standard detector (bot/written_standard.py): bokmål or nynorsk per message,
an explicit choice, and the rule that keeps the conversation's standard.

The held-out sets in tests/nlu/written_standard/ are short chat messages written apart from
the NLU training data; the file a message is in is its label."""
import re

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.standard import CHOICE, NB, NN, VERDICT, Standard, next_standard
from bot.written_standard import MIN_SCORE, WrittenStandardDetector, detect, read_choice
from tests.conftest import ROOT

SETS = ROOT / "tests" / "nlu" / "written_standard"
MIN_ACCURACY = 0.97  # over the messages that carry a signal
MIN_SIGNAL = 0.90  # share of a bokmål or nynorsk set that must carry a signal
MIN_NEUTRAL = 0.90  # share of the neutral set that must get no verdict
MIN_SET_SIZE = 320


def messages(name):
    lines = (SETS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


@pytest.mark.parametrize("standard", [NB, NN])
def test_accuracy_on_the_held_out_set(standard):
    texts = messages(standard)
    assert len(texts) >= MIN_SET_SIZE
    verdicts = [(text, detect(text)) for text in texts]
    with_signal = [(text, v) for text, v in verdicts if v.standard]
    right = sum(1 for _, v in with_signal if v.standard == standard)
    wrong = [(text, v.standard, v.markers) for text, v in with_signal if v.standard != standard]
    no_signal = [(text, v.markers) for text, v in verdicts if not v.standard]
    accuracy = right / len(with_signal)
    print(
        f"\n{standard}: {len(texts)} messages, {len(with_signal)} with a signal "
        f"({len(with_signal) / len(texts):.3f}), {len(no_signal)} without; "
        f"accuracy {accuracy:.4f} ({right}/{len(with_signal)})"
    )
    for text, markers in no_signal:
        print(f"  no signal: {text!r} {markers}")
    for item in wrong:
        print(f"  wrong: {item}")
    assert accuracy >= MIN_ACCURACY, wrong
    assert len(with_signal) / len(texts) >= MIN_SIGNAL
    # A message left neutral may hold weak hints ("ei", "no") but no marker that is clear alone.
    assert [(t, m) for t, m in no_signal if any(weight >= MIN_SCORE for _, _, weight in m)] == []


def test_neutral_messages_get_no_verdict():
    texts = messages("neutral")
    assert len(texts) >= 80
    given = [(text, detect(text).standard) for text in texts if detect(text).standard]
    share = 1 - len(given) / len(texts)
    print(f"\nneutral: {len(texts)} messages, {share:.3f} without a verdict; given: {given}")
    assert share >= MIN_NEUTRAL, given


@pytest.mark.parametrize(
    "name, standard",
    [("test_nynorsk.yml", NN), ("test_bokmal.yml", NB), ("test_english.yml", None)],
)
def test_the_nlu_test_sentences_by_language(name, standard):
    """The NLU's own held-out sentences in one language, written for another purpose."""
    from rasa.shared.nlu.training_data.loading import load_data

    texts = [m.get("text") for m in load_data(str(ROOT / "tests" / "nlu" / name)).intent_examples]
    given = [detect(text).standard for text in texts]
    if standard is None:
        assert given.count(None) / len(texts) >= MIN_NEUTRAL
        return
    with_signal = [g for g in given if g]
    print(f"\n{name}: {len(with_signal)} of {len(texts)} with a signal, "
          f"{with_signal.count(standard)} right")
    assert with_signal.count(standard) / len(with_signal) >= MIN_ACCURACY
    # Greetings and thanks in these files carry no marker; most sentences do.
    assert len(with_signal) / len(texts) >= 0.8


def _normalise(text):
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def test_the_sets_are_not_training_data_and_not_read_as_nlu_test_data():
    from tests.test_nlu_heldout import examples

    trained = {_normalise(text) for text, _ in examples(ROOT / "data" / "nlu")}
    nlu_tests = {_normalise(text) for text, _ in examples(ROOT / "tests" / "nlu")}
    ours = [_normalise(t) for name in (NB, NN) for t in messages(name)]
    assert [t for t in ours if t in trained] == []
    # The NLU held-out test reads only tests/nlu/*.yml: these .txt files are not in it.
    assert [t for t in ours if t in nlu_tests] == []


@pytest.mark.parametrize(
    "text, standard",
    [
        ("kva?", NN),
        ("KORLEIS", NN),
        ("ikkje", NN),
        ("Kven er verneombod hos oss?", NN),
        ("me har høgt sjukefråvær i verksemda", NN),
        ("arbeidsgjevaren seier ikkje noko", NN),
        ("korlies søkjer vi", NN),  # a typo in the marker
        ("kor leis", NN),  # a split word
        ("sokjer tilskot", NN),  # o for ø
        ("hva?", NB),
        ("Hvordan", NB),
        ("ikke", NB),
        ("de ansatte har mye fravær", NB),
        ("virksomhten vår", NB),  # a typo in the marker
        ("hvordn søker vi", NB),
        ("åssen funker det", NB),
        ("ok", None),
        ("Vestland", None),
        ("AMU", None),
        ("Tell me more about the agreement", None),  # "me" is English here
        ("no, that is not what I asked", None),
        ("sykkelen min", None),  # not "syk-"
        ("fastlegen", None),  # not "-lege" as in "vanlege"
    ],
)
def test_single_messages(text, standard):
    assert detect(text).standard == standard, detect(text)


@pytest.mark.parametrize(
    "text, choice",
    [
        ("svar på nynorsk", NN),
        ("Kan du skrive nynorsk?", NN),
        ("nynorsk, takk", NN),
        ("Eg vil ha svar på nynorsk", NN),
        ("kan du svara på nynorks", NN),  # a typo in the name
        ("ikkje bokmål, takk", NN),
        ("kan du ikkje svare på nynorsk?", NN),  # a polite request, not a refusal
        ("bokmål takk", NB),
        ("skriv på bokmål", NB),
        ("bytt til bokmål", NB),
        ("jeg vil helst ha bokmål", NB),
        ("på bok mål, takk", NB),
        ("ikke på nynorsk", NB),
        ("answer in nynorsk", NN),
        ("please reply in Nynorsk", NN),
        ("Can you answer in bokmål please", NB),
        ("I would prefer nynorsk", NN),
        ("NYNORSK!!", NN),
        ("Nynorsk er fint", None),
        ("Kva er nynorsk?", None),
        ("bokmål eller nynorsk?", None),
        ("er det lov å skrive nynorsk i søknaden?", None),
        ("Hva er forskjellen på bokmål og nynorsk?", None),
        ("kva er sjukefråvær", None),
    ],
)
def test_explicit_choice(text, choice):
    assert read_choice(text) == choice


@pytest.mark.parametrize("raw", ["", None, 42, "\x00\ufffd", "🙂" * 500, "kva " * 2000])
def test_odd_input_does_not_break_it(raw):
    verdict = detect(raw)
    assert verdict.standard in (None, NN)
    assert read_choice(raw) is None


def _run(texts, start=None):
    """The conversation's standard after each message, as the detector and the rule give it."""
    state, seen = start, []
    for text in texts:
        state = next_standard(state, detect(text).standard, read_choice(text))
        seen.append(state.standard)
    return seen, state


def test_bokmal_until_the_user_writes_otherwise():
    assert next_standard(None, None, None) == Standard(NB, chosen=False)
    seen, _ = _run(["Hello, what is IA?", "ok", "Vestland"])
    assert seen == [NB, NB, NB]


def test_neutral_messages_keep_the_standard_and_a_clear_switch_switches():
    seen, state = _run(
        ["Kva gjer verneombodet?", "ok", "ja", "Vestland", "AMU", "Hvem betaler?", "takk"]
    )
    assert seen == [NN, NN, NN, NN, NN, NB, NB]
    assert not state.chosen


def test_a_page_language_starts_the_conversation_and_writing_switches_it():
    seen, state = _run(["ok", "who do I contact in Bergen?", "Hva er IA?"], start=Standard(NN))
    assert seen == [NN, NN, NB]
    assert not state.chosen


def test_english_keeps_the_conversations_standard():
    seen, _ = _run(["korleis søkjer vi?", "who do I contact in Bergen?"])
    assert seen == [NN, NN]


def test_an_explicit_choice_wins_and_holds_against_one_message():
    seen, state = _run(["Hva er IA?", "svar på nynorsk", "Hva er egenmelding?", "ok"])
    assert seen == [NB, NN, NN, NN]
    assert state == Standard(NN, chosen=True, against=1)


def test_a_choice_gives_way_to_two_messages_in_a_row_in_the_other_standard():
    seen, state = _run(["nynorsk, takk", "Hva er IA?", "ja", "Hvem betaler sykepengene?"])
    assert seen == [NN, NN, NN, NB]
    assert state == Standard(NB, chosen=False)


def test_a_message_in_the_chosen_standard_breaks_the_row():
    seen, _ = _run(["answer in nynorsk", "Hva er IA?", "kva med tilsette?", "Hvem betaler?", "ok"])
    assert seen == [NN, NN, NN, NN, NN]


def test_a_new_choice_replaces_the_old_one():
    seen, state = _run(["svar på nynorsk", "bokmål, takk", "Kva er IA?"])
    assert seen == [NN, NB, NB]
    assert state == Standard(NB, chosen=True, against=1)


def test_the_component_is_registered_for_the_pipeline():
    registered = DefaultV1Recipe._from_registry("bot.written_standard.WrittenStandardDetector")
    assert registered.clazz is WrittenStandardDetector
    assert DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER in registered.types
    assert registered.is_trainable is False


def test_the_component_marks_rasa_messages():
    component = WrittenStandardDetector.create({}, None, None, None)
    texts = [
        "Korleis lagar vi ein lokal IA-avtale?",
        "Hvordan lager vi en lokal IA-avtale?",
        "ok",
        "svar på nynorsk",
    ]
    parsed = component.process([Message(data={TEXT: t}) for t in texts])
    assert [(m.get(VERDICT), m.get(CHOICE)) for m in parsed] == [
        (NN, None),
        (NB, None),
        (None, None),
        (None, NN),
    ]
    # What the parse data carries (Rasa leaves out keys whose value is None).
    output = [m.as_dict(only_output_properties=True) for m in parsed]
    assert output[0][VERDICT] == NN and CHOICE not in output[0]
    assert output[3][CHOICE] == NN and VERDICT not in output[3]
    assert VERDICT not in output[2] and CHOICE not in output[2]


def test_the_component_leaves_training_data_alone():
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = TrainingData([Message(data={TEXT: "kva er IA?", "intent": "ask_ia"})])
    assert WrittenStandardDetector({}).process_training_data(data) is data
    assert data.training_examples[0].get(VERDICT) is None


def test_the_component_fits_the_pipeline_after_the_input_cleaner():
    import yaml
    from rasa.engine.recipes.recipe import Recipe
    from rasa.engine.validation import validate

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    name = "bot.written_standard.WrittenStandardDetector"
    names = [step["name"] for step in config["pipeline"]]
    assert names.index(name) == names.index("bot.input_guard.InputCleaner") + 1
    model_config = Recipe.recipe_for_name(config["recipe"]).graph_config_for_recipe(
        config, {}, is_finetuning=False
    )
    assert any(name in node for node in model_config.predict_schema.nodes)
    validate(model_config)


def test_a_single_message_is_answered_in_its_choice_its_writing_or_its_pages_language():
    from bot.written_standard import message_standard

    assert message_standard("svar på nynorsk, takk", {"lang": "nb"}) == NN
    assert message_standard("Korleis søkjer vi?", {"lang": "nb"}) == NN
    assert message_standard("Hvordan søker vi?", {"lang": "nn"}) == NB
    assert message_standard("ok", {"lang": "nn"}) == NN
    assert message_standard("ok", {"lang": "en"}) == NB
    assert message_standard(None, None) == NB


@pytest.mark.parametrize(
    "text, only",
    [
        ("svar på nynorsk", True),
        ("bokmål, takk", True),
        ("kan du svare meg på nynorsk?", True),
        ("Kan du svare på nynorsk om kva verneombodet gjer?", False),
        ("kva er nynorsk?", False),
        ("er det lov å skrive nynorsk?", False),
        ("Hva gjør verneombudet?", False),
    ],
)
def test_a_message_that_only_chooses(text, only):
    from bot.written_standard import is_only_a_choice

    assert is_only_a_choice(text) is only


def test_the_choice_component_sets_and_takes_the_choice_intent():
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

    from bot.written_standard import CHOOSE_INTENT, WrittenStandardChoice

    def parsed(text, ranking):
        message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
        [message] = WrittenStandardChoice.create({}, None, None, None).process([message])
        return message.get(INTENT)["name"], [r["name"] for r in message.get(INTENT_RANKING_KEY)]

    chose = [{"name": CHOOSE_INTENT, "confidence": 0.6}, {"name": "ask_ia_agreement", "confidence": 0.3}]
    other = [{"name": "out_of_scope", "confidence": 0.5}, {"name": CHOOSE_INTENT, "confidence": 0.2}]
    assert parsed("svar på nynorsk, takk", other) == (CHOOSE_INTENT, [CHOOSE_INTENT, "out_of_scope"])
    assert parsed("kva er nynorsk?", chose) == ("ask_ia_agreement", ["ask_ia_agreement"])
    assert parsed("Hva er IA-avtalen?", other) == ("out_of_scope", ["out_of_scope", CHOOSE_INTENT])


@pytest.mark.parametrize("text", ["Sykkylven", "vi held til i Sykkylven", "Sykkylven kommune"])
def test_a_place_name_is_no_sign_of_a_standard(text):
    """"Sykkylven" starts like bokmål "syk-" but is a place: it must not switch a nynorsk
    conversation to bokmål."""
    assert detect(text).standard in (None, NN)
    assert "sykkylven" not in [m[0] for m in detect(text).markers]

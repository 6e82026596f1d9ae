import json
import os
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "ia-assistent.tar.gz"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def bokmal_unless_told():
    """Each test starts in bokmål, and leaves bokmål behind for the module and session fixtures
    built before the next test's own fixtures run."""
    from actions import standard

    standard.use_standard(standard.DEFAULT)
    yield
    standard.use_standard(standard.DEFAULT)


@pytest.fixture(scope="session")
def kb():
    from actions.knowledge import load

    return load()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def tracker_state(name: str) -> Dict[str, Any]:
    """A tracker state from tests/fixtures/trackers.json."""
    states = json.loads((FIXTURES / "trackers.json").read_text(encoding="utf-8"))
    state = states[name]
    message = state["latest_message"]
    message.setdefault("entities", [])
    message.setdefault("intent_ranking", [message["intent"]])
    state.setdefault("sender_id", name)
    state.setdefault("slots", {})
    state.setdefault("events", [])
    state.setdefault("paused", False)
    state.setdefault("followup_action", None)
    state.setdefault("active_loop", {})
    state.setdefault("latest_action_name", "action_listen")
    return state


def build_tracker(name: str, entities: Optional[List[Dict[str, Any]]] = None):
    from rasa_sdk import Tracker

    state = tracker_state(name)
    if entities is not None:
        state["latest_message"]["entities"] = entities
    return Tracker.from_dict(state)


def written_in(tracker, standard: str):
    """`tracker` as it is when the user wrote their first message in `standard` (`nb`, `nn`):
    an earlier user message carries the verdict the NLU component gives it."""
    from actions.standard import VERDICT

    earlier = {"event": "user", "text": "", "parse_data": {VERDICT: standard}}
    tracker.events = [earlier] + list(tracker.events or [])
    return tracker


def sentences_in(messages, standard: str) -> List[str]:
    """The sentences of the bot's `messages` (texts and button titles) the written-standard
    detector reads as `standard` (`nb` or `nn`)."""
    import re

    from bot.written_standard import written_standard

    texts = []
    for message in messages:
        texts.append(message.get("text") or "")
        texts += [b.get("title") or "" for b in message.get("buttons") or []]
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?:])\s+|\n", t) if s.strip()]
    # Web addresses and «quoted» names (a page's title on nav.no) are not the bot's own words.
    own_words = lambda s: re.sub(r"https?://\S+|\b[\w.-]+\.no\S*|«[^»]*»", " ", s)  # noqa: E731
    return [s for s in sentences if written_standard(own_words(s)) == standard]


def bokmal_sentences(messages) -> List[str]:
    """The bokmål sentences among the bot's `messages`: in a nynorsk conversation there must be none."""
    return sentences_in(messages, "nb")


def run_action(action, tracker, domain_dict):
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain_dict))
    return dispatcher.messages, events


def form_tracker(
    requested: Optional[str],
    text: Optional[str],
    intent: str = "inform",
    confidence: float = 0.9,
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    form: str = "local_agreement_form",
    input_problem: Optional[str] = None,
):
    """The tracker Rasa's FormAction sends its validation action: the user's message, then the
    form's ActionExecuted, then the extracted candidate for the requested slot (as
    rasa/core/actions/forms.py builds it)."""
    from rasa_sdk import Tracker

    events: List[Dict[str, Any]] = [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
        {"event": "slot", "name": "requested_slot", "value": requested},
        {"event": "action", "name": form},
    ]
    if requested is not None and text is not None:
        events.append({"event": "slot", "name": requested, "value": text})
    all_slots = {"requested_slot": requested, **(slots or {})}
    if requested is not None:
        all_slots[requested] = text
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": entities or [],
        "input_problem": input_problem,
    }
    return Tracker(
        sender_id="form-test",
        slots=all_slots,
        latest_message=message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name=form,
    )


def slot_events(events) -> Dict[str, Any]:
    """The slots a list of events sets, the last value winning as in Rasa."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture(scope="session")
def entities_of():
    """(entity, value) pairs the fuzzy gazetteer finds in a text, through the real spaCy
    tokenizer of the NLU pipeline."""
    from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.gazetteer import FuzzyGazetteer

    spacy_path = str(ROOT / "build" / "spacy-nb")
    spacy_nlp = SpacyNLP(SpacyNLP.load_model(spacy_path), {**SpacyNLP.get_default_config(), "model": spacy_path})
    tokenizer = SpacyTokenizer(SpacyTokenizer.get_default_config())
    gazetteer = FuzzyGazetteer({"knowledge_base": str(ROOT / "data" / "ia")})

    def run(text):
        message = Message(data={TEXT: text})
        spacy_nlp.process([message], spacy_nlp.provide())
        tokenizer.process([message])
        gazetteer.process([message])
        return [(e["entity"], e["value"]) for e in message.get(ENTITIES, [])]

    return run

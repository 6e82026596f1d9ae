"""The real-question set (tests/nlu/real/questions.yml): questions people asked or pages are
built around, each with its source, our label and the facts a right answer must give; never
training data. scripts/evaluate_real_questions.py asks them of a running assistant."""
import re

import pytest
import yaml
from rapidfuzz import fuzz

from tests.conftest import ROOT
from tests.real_questions import MARKERS
from tests.test_nlu_heldout import examples, normalise

REAL = ROOT / "tests" / "nlu" / "real" / "questions.yml"
# rapidfuzz ratio (0-100) from which a training sentence counts as a copy of a real question.
NEAR_COPY = 90


@pytest.fixture(scope="module")
def questions():
    return yaml.safe_load(REAL.read_text(encoding="utf-8"))["questions"]


def test_every_question_has_its_source_label_facts_and_right_answers(questions, domain, kb):
    assert len(questions) >= 250
    for q in questions:
        assert q["text"].strip() and re.match(r"https?://\S+$", q["url"]), q
        assert q["intent"] in domain["intents"] or q["intent"].startswith("none:"), q
        assert isinstance(q["facts"], list), q
        assert isinstance(q["answer"], list), q
        for ref in q["answer"]:
            if ref not in MARKERS:
                entry, _, detail = ref.partition("#")
                assert kb.resolve(entry), q
                assert not detail or detail in [d.key for d in kb.resolve(entry).details], q
    texts = [normalise(q["text"]) for q in questions]
    assert len(set(texts)) == len(texts)


def test_no_real_question_is_training_data(questions):
    """Not the questions themselves, nor a training sentence that is nearly one (a word or two
    changed, "når" for "mens"): the set measures questions the model has not seen."""
    trained = {normalise(text) for text, _ in examples(ROOT / "data" / "nlu")}
    assert [q["text"] for q in questions if normalise(q["text"]) in trained] == []
    near = [
        (q["text"], text)
        for q in questions
        for text in trained
        if fuzz.ratio(normalise(q["text"]), text) >= NEAR_COPY
    ]
    assert near == []

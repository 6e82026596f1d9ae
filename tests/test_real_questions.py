"""The real-question set (tests/nlu/real/questions.yml): questions people asked or pages are
built around, each with its source, our label and the facts a right answer must give; never
training data. scripts/evaluate_real_questions.py asks them of a running assistant."""
import re

import pytest
import yaml

from tests.conftest import ROOT
from tests.test_nlu_heldout import examples, normalise

REAL = ROOT / "tests" / "nlu" / "real" / "questions.yml"


@pytest.fixture(scope="module")
def questions():
    return yaml.safe_load(REAL.read_text(encoding="utf-8"))["questions"]


def test_every_question_has_its_source_label_and_facts(questions, domain):
    assert len(questions) >= 250
    for q in questions:
        assert q["text"].strip() and re.match(r"https?://\S+$", q["url"]), q
        assert q["intent"] in domain["intents"] or q["intent"].startswith("new:"), q
        assert isinstance(q["facts"], list), q
    texts = [normalise(q["text"]) for q in questions]
    assert len(set(texts)) == len(texts)


def test_no_real_question_is_training_data(questions):
    trained = {normalise(text) for text, _ in examples(ROOT / "data" / "nlu")}
    assert [q["text"] for q in questions if normalise(q["text"]) in trained] == []

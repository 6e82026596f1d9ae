"""The knowledge base: sourced, short, consistent, and free of invented contact data."""
import re
import shutil

import pytest
import yaml

from actions.knowledge import KnowledgeError, parse
from tests.conftest import ROOT

KB_DIR = ROOT / "data" / "ia"
PHONE = re.compile(r"(?<!\d)(\d{2} ?\d{2} ?\d{2} ?\d{2}|\d{3} ?\d{2} ?\d{3})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_every_entry_is_sourced_short_and_plain(kb):
    for entry in kb.entries():
        assert entry.sources, entry.ref
        assert all(s.url.startswith("https://") or s.url.startswith("http://") for s in entry.sources)
        words = len(entry.answer.split())
        assert 15 <= words <= 150, f"{entry.ref}: {words} words"
        for detail in entry.details:
            assert 10 <= len(detail.answer.split()) <= 120, (entry.ref, detail.key)
            assert "\n\n" not in detail.answer and detail.title, (entry.ref, detail.key)
        assert "**" not in entry.answer and "##" not in entry.answer, entry.ref
        # The chat channels split a message at a blank line: one answer, one bubble.
        assert "\n\n" not in entry.answer, entry.ref
        assert entry.question.endswith("?"), entry.ref


def test_no_contact_data_is_given_without_a_structured_source(kb):
    """Phone numbers and e-mail addresses are never part of free answer text."""
    for entry in kb.entries():
        assert not PHONE.search(entry.answer), (entry.ref, PHONE.search(entry.answer).group())
        assert not EMAIL.search(entry.answer), entry.ref


def test_every_answering_intent_has_its_content(kb, domain):
    rules = yaml.safe_load((ROOT / "data" / "stories" / "rules.yml").read_text(encoding="utf-8"))
    for rule in rules["rules"]:
        steps = rule["steps"]
        if {"action": "action_answer_topic"} in steps:
            intents = [o["intent"] for o in steps[0]["or"]]
            assert intents and all(i in kb.topics for i in intents)
    assert set(kb.topics) - {"ask_council_today"} <= set(domain["intents"])


def test_aliases_do_not_name_two_different_things(kb):
    owners = {}
    for entity, value, alias in kb.names():
        if entity in {"county", "municipality", "place"}:
            continue  # "Oslo" is both, and the gazetteer keeps both; place names: tests/test_places.py
        owners.setdefault(alias, set()).add((entity, value))
    clashes = {alias: sorted(o) for alias, o in owners.items() if len(o) > 1}
    assert clashes == {}


def test_every_municipality_is_in_a_county_and_every_county_has_municipalities(kb):
    # The 357 municipalities of 2024: Herøy and Våler are names of two each.
    assert sum(len(counties) for counties in kb.municipalities.values()) == 357
    assert len(kb.counties) == 15
    counties_used = {c for counties in kb.municipalities.values() for c in counties}
    assert counties_used == set(kb.counties)
    assert kb.counties_of_municipality("Bærum") == ("akershus",)
    assert kb.counties_of_municipality("Haram") == ("more_og_romsdal",)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["roles"]["verneombud"].pop("sources"), "'sources' is missing"),
        (lambda d: d["roles"]["verneombud"].__setitem__("next", ["ask_role/pilot"]), "points to nothing"),
        (lambda d: d["roles"]["verneombud"].__setitem__("sources", [{"url": "idebanken"}]), "is not a URL"),
    ],
)
def test_the_loader_rejects_a_broken_knowledge_base(tmp_path, edit, message):
    copy = tmp_path / "ia"
    shutil.copytree(KB_DIR, copy)
    roles = yaml.safe_load((copy / "roles.yml").read_text(encoding="utf-8"))
    edit(roles)
    (copy / "roles.yml").write_text(yaml.safe_dump(roles, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=message):
        parse(copy)

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


# ----- both written standards (språklova § 15) ------------------------------------------------
@pytest.fixture(scope="module")
def both():
    return parse(KB_DIR, "nb"), parse(KB_DIR, "nn")


def entry_pairs(both):
    nb, nn = both
    nn_entries = {e.ref: e for e in nn.entries()}
    return [(e, nn_entries[e.ref]) for e in nb.entries()]


def test_every_entry_exists_in_both_standards_with_the_same_facts(both):
    pairs = entry_pairs(both)
    assert len(pairs) == len(list(both[1].entries())) > 50
    for nb, nn in pairs:
        assert (nn.sources, nn.next, nn.aliases) == (nb.sources, nb.next, nb.aliases), nb.ref
        assert [d.key for d in nn.details] == [d.key for d in nb.details], nb.ref
        # A translation keeps every number (dates, weeks, §§, thresholds) and every line.
        assert sorted(re.findall(r"\d+", nn.answer)) == sorted(re.findall(r"\d+", nb.answer)), nb.ref
        assert nn.answer.count("\n") == nb.answer.count("\n"), nb.ref
        assert nn.question.endswith("?"), nb.ref


def test_the_nynorsk_is_nynorsk(both):
    """Not the bokmål text again: nynorsk forms where bokmål has its own (hva, ikke, jeg, syk-)."""
    bokmaal_only = re.compile(r"\b(hva|hvordan|hvem|ikke|jeg|noe|bare|selv|mye|fravær|sykmeld\w*|sykepenger)\b", re.I)
    # Web addresses and names quoted as they are written («En bra dag på jobb») are not prose.
    quoted = re.compile(r"\S+\.(no|org|com)\S*|«[^»]*»")

    def prose(text):
        return quoted.sub(" ", text)

    for nb, nn in entry_pairs(both):
        assert nn.answer != nb.answer, nb.ref
        found = bokmaal_only.search(prose(nn.answer))
        assert not found, (nb.ref, found and found.group())
        for nb_detail, nn_detail in zip(nb.details, nn.details):
            assert nn_detail.answer != nb_detail.answer, (nb.ref, nb_detail.key)
            assert not bokmaal_only.search(prose(nn_detail.answer)), (nb.ref, nb_detail.key)


def test_every_entry_renders_in_both_standards(both):
    from actions.render import answer_text

    for nb, nn in entry_pairs(both):
        for entry in (nb, nn):
            text = answer_text(entry, "")
            assert text.startswith(entry.answer) and "https://" in text, entry.ref


def test_the_guided_dialogues_and_the_recommender_exist_in_both_standards(both):
    nb, nn = both
    for a, b in zip(nb.agreement.steps + nb.recommender.steps, nn.agreement.steps + nn.recommender.steps):
        assert a.key == b.key and a.choices == b.choices
        for field in ("question", "why", "help"):
            assert getattr(a, field) and getattr(b, field) and getattr(a, field) != getattr(b, field), (a.key, field)
        assert b.example  # may read the same in both ("2 år, ut 2027 eller 2026–2028")
    assert set(nb.agreement.texts) == set(nn.agreement.texts)
    for key, option in nb.recommender.options.items():
        assert set(option.fit) == set(nn.recommender.options[key].fit)


def rewrite(tmp_path, name, edit):
    copy = tmp_path / "ia"
    shutil.copytree(KB_DIR, copy)
    data = yaml.safe_load((copy / name).read_text(encoding="utf-8"))
    edit(data)
    (copy / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


@pytest.mark.parametrize("standard", ["nb", "nn"])
@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["roles"]["verneombud"]["answer"].pop("nn"), r"missing \['nn'\]"),
        (lambda d: d["roles"]["verneombud"]["answer"].pop("nb"), r"missing \['nb'\]"),
        (lambda d: d["roles"]["verneombud"]["question"].__setitem__("nn", ""), r"missing \['nn'\]"),
        (lambda d: d["roles"]["verneombud"].__setitem__("answer", "Bare på bokmål."), "one written standard only"),
        (lambda d: d["roles"]["verneombud"]["answer"].__setitem__("se", "Davvisámegiella"), r"unknown \['se'\]"),
    ],
)
def test_the_loader_refuses_a_text_in_one_standard_only(tmp_path, edit, message, standard):
    from actions.knowledge import load

    copy = rewrite(tmp_path, "roles.yml", edit)
    with pytest.raises(KnowledgeError, match=message):
        load(str(copy), standard)

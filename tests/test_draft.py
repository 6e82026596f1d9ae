"""The local IA agreement as it is rendered: every section, the parties' names, the basis of
each part, and user text that can break nothing."""
import datetime as dt
import re

import pytest

from actions.draft import SKIPPED, chat_text, document, draft_markdown, escape, filename, summary

TODAY = dt.date(2026, 11, 22)
ANSWERS = {
    "workplace": "Solbakken sykehjem",
    "employer": "Kari Hansen, daglig leder",
    "employees": "Per Olsen, hovedtillitsvalgt",
    "verneombud": "Ja – Lise Berg",
    "intention": "Vi vil også rekruttere unge",
    "period": "2026–2028",
    "sick_leave_target": "Sykefraværet skal ned til 6 % eller lavere",
    "other_goals": SKIPPED,
    "focus_areas": "Forebyggende arbeidsmiljøarbeid",
    "activities": "Kartlegge arbeidsmiljøet",
    "meetings": "Fast punkt i AMU hvert kvartal",
    "evaluation": "Én gang i året, med sykefraværsstatistikken",
    "measures": "NAV Arbeidslivssenter, Arbeidsmiljøportalen",
    "signing": "Drammen",
    "confirm": "ja",
}
HOSTILE = [
    "# Overskrift",
    "[klikk her](https://example.invalid)",
    "<script>alert(1)</script>",
    "**fet** _kursiv_ `kode` ~~stryk~~ | tabell |",
    "linje én\n\n## Falsk seksjon\n- punkt",
    "\u202eavtale\u202c med retningsmerker",
    "![bilde](https://example.invalid/x.png)",
    "tekst med & og < og >",
    "😀 emoji 🎉",
    "ש" * 20,
]


@pytest.fixture(scope="module")
def guide(kb):
    return kb.agreement


def test_every_section_heading_and_the_about_part_are_there(guide):
    text = draft_markdown(guide, ANSWERS, TODAY)
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    expected = [f"{n}. {s['heading']}" for n, s in enumerate(guide.draft["sections"], start=1)]
    assert [h.replace(" (god praksis)", "") for h in headings] == expected + ["Om avtalen"]
    assert text.startswith("# Lokal IA-avtale for Solbakken sykehjem\n")
    assert "22.11.2026" in text


def test_the_parties_intention_period_goals_meetings_and_signatures_are_filled_in(guide):
    text = draft_markdown(guide, ANSWERS, TODAY)
    for point in guide.draft["intention_points"]:
        assert point in text
    assert "I tillegg: Vi vil også rekruttere unge" in text
    assert "- Arbeidsgiver: Kari Hansen, daglig leder" in text
    assert "For arbeidsgiveren: Kari Hansen, daglig leder" in text
    assert "For de ansatte: Per Olsen, hovedtillitsvalgt" in text
    assert "Sted: Drammen    Dato: ____" in text
    assert "2026–2028" in text and "Fast punkt i AMU hvert kvartal" in text
    # A skipped step is marked as not agreed, not left out.
    assert f"- Andre mål: {guide.draft['not_agreed']}" in text


def test_the_template_and_good_practice_are_told_apart(guide):
    text = draft_markdown(guide, ANSWERS, TODAY)
    assert guide.draft["legend"] in text
    for number, section in enumerate(guide.draft["sections"], start=1):
        steps = [guide.step(k) for k in section["steps"]]
        good_practice = all(s.basis == "god_praksis" for s in steps)
        heading = f"## {number}. {section['heading']}"
        assert (heading + " (god praksis)" in text) == good_practice, heading
    # A good-practice step inside a template section is marked on its own line.
    assert "- Verneombud (god praksis): Ja – Lise Berg" in text


def test_the_draft_says_it_is_voluntary_and_points_to_the_template(guide):
    text = draft_markdown(guide, ANSWERS, TODAY)
    assert "frivillig og gir ingen automatiske rettigheter" in text
    assert "https://www.idebanken.org/ia/ia-samarbeid/lokal-ia-avtale" in text
    assert "dokumenterte dialogen" in text and "NAV Arbeidslivssenter" in text


@pytest.mark.parametrize("hostile", HOSTILE)
def test_user_text_cannot_add_structure_links_or_html(guide, hostile):
    answers = {key: hostile for key in ANSWERS}
    answers["confirm"] = "ja"
    text = draft_markdown(guide, answers, TODAY)
    clean = draft_markdown(guide, {k: "x" for k in ANSWERS}, TODAY)
    # The same lines, headings and list items as with harmless answers.
    assert len(text.splitlines()) == len(clean.splitlines())
    assert re.findall(r"^#+ .*$", text, flags=re.MULTILINE)[1:] == re.findall(
        r"^#+ .*$", clean, flags=re.MULTILINE
    )[1:]
    assert "<script" not in text and "](" not in text.replace("\\](", "")
    assert "\u202e" not in text


@pytest.mark.parametrize(
    "raw, escaped",
    [
        ("Nilsen & Sønn <AS>", "Nilsen &amp; Sønn &lt;AS&gt;"),
        ("**fet**", "\\*\\*fet\\*\\*"),
        ("[lenke](x)", "\\[lenke\\](x)"),
        ("a\nb\r\nc\td", "a b c d"),
        ("# Overskrift", "\\# Overskrift"),
        ("- punkt", "\\- punkt"),
        ("1. punkt", "1\\. punkt"),
        ("\u202eomvendt\u200b", "omvendt"),
        (None, ""),
    ],
)
def test_escape(raw, escaped):
    assert escape(raw) == escaped


def test_chat_text_is_one_bubble_and_shows_ampersands_as_typed(guide):
    answers = dict(ANSWERS, workplace="Nilsen & Sønn")
    text = chat_text(draft_markdown(guide, answers, TODAY))
    assert "\n\n" not in text and not text.startswith("#")
    assert text.startswith("Lokal IA-avtale for Nilsen & Sønn\n")


def test_the_document_payload(guide):
    payload = document(guide, ANSWERS, TODAY)
    assert set(payload) == {"data"}
    data = payload["data"]
    assert data["type"] == "document" and data["mime"] == "text/markdown"
    assert data["filename"] == "lokal-ia-avtale-solbakken-sykehjem.md"
    assert data["content"] == draft_markdown(guide, ANSWERS, TODAY)


def test_a_draft_in_progress_says_so_and_leaves_blanks(guide):
    text = draft_markdown(guide, {"workplace": "Solbakken"}, TODAY, final=False)
    assert "Utkast under arbeid" in text
    assert "- Arbeidsgiver: " + guide.draft["not_agreed"] in text


@pytest.mark.parametrize(
    "workplace, name",
    [
        ("Ærlige Øvre Å AS", "lokal-ia-avtale-aerlige-ovre-a-as.md"),
        ("../../etc/passwd", "lokal-ia-avtale-etc-passwd.md"),
        ("😀", "lokal-ia-avtale.md"),
        (SKIPPED, "lokal-ia-avtale.md"),
    ],
)
def test_filenames_are_safe(workplace, name):
    assert filename({"workplace": workplace}) == name


def test_the_summary_numbers_every_answer(guide):
    lines = summary(guide, ANSWERS).splitlines()
    steps = [s for s in guide.steps if s.kind != "confirm"]
    assert len(lines) == len(steps)
    assert lines[0] == "1. Arbeidsplass: Solbakken sykehjem"
    assert lines[7] == f"8. Andre mål: {SKIPPED}"

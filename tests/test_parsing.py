"""Reading short answers in a guided dialogue: commands, yes/no, targets, periods, noise."""
import datetime as dt

import pytest

from actions.parsing import (
    looks_like_nonsense,
    match_command,
    parse_percent,
    parse_period,
    split_yes_no,
    target_text,
)

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def words(kb):
    return kb.form_words


@pytest.mark.parametrize(
    "text, command",
    [
        ("hjelp", "help"),
        ("Hva betyr det?", "help"),
        ("kva tyder det", "help"),
        ("hopp over", "skip"),
        ("Hopp over dette steget", "skip"),
        ("vet ikke", "skip"),
        ("tilbake", "back"),
        ("gå tilbake", "back"),
        ("tilbke", "back"),
        ("attende", "back"),
        ("avbryt", "cancel"),
        ("avbyt", "cancel"),
        ("AVBRYT!", "cancel"),
        ("pause", "pause"),
        ("fortsett seinare", "pause"),
        ("vis utkastet", "show_draft"),
        ("Vis utkastet så langt", "show_draft"),
        ("show draft", "show_draft"),
    ],
)
def test_commands_are_recognised_with_typos_nynorsk_and_english(words, text, command):
    assert match_command(text, words.commands) == command


@pytest.mark.parametrize(
    "text",
    [
        "Solbakken sykehjem",
        "Kari Hansen, daglig leder",
        "Vi har ingen tillitsvalgte, men Ola er valgt som ansattrepresentant",
        "Hjelpemiddelsentralen i Oslo",
        "Fast punkt i AMU hvert kvartal",
        "",
        "   ",
    ],
)
def test_answers_are_not_taken_for_commands(words, text):
    assert match_command(text, words.commands) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ja", (True, "")),
        ("Ja, vi står bak alle tre", (True, "vi står bak alle tre")),
        ("ja takk", (True, "")),
        ("Nei", (False, "")),
        ("nei, endre perioden", (False, "endre perioden")),
        ("Lise Berg", (None, "Lise Berg")),
        ("JA, Lise Berg er verneombud", (True, "Lise Berg er verneombud")),
        ("japanske arbeidsmetoder", (None, "japanske arbeidsmetoder")),
    ],
)
def test_yes_and_no_keep_the_rest_of_the_answer(words, text, expected):
    assert split_yes_no(text, words.yes, words.no) == expected


@pytest.mark.parametrize(
    "text, value",
    [
        ("5", (5.0, False)),
        ("5 %", (5.0, False)),
        ("5%", (5.0, False)),
        ("fem prosent", (5.0, False)),
        ("fem", (5.0, False)),
        ("5,2", (5.2, False)),
        ("5.2 prosent", (5.2, False)),
        ("fem og en halv prosent", (5.5, False)),
        ("under 6 prosent", (6.0, False)),
        ("ned fra 8 til 6 %", (6.0, False)),
        ("redusere med 10 %", (10.0, True)),
        ("vi vil ned 10 prosent", (10.0, True)),
        ("ned til 5 prosent", (5.0, False)),
        ("reduce by 10 percent", (10.0, True)),
    ],
)
def test_sick_leave_targets_are_read(text, value):
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["0", "100", "150 %", "-3", "mye lavere", "", "ingen anelse", "x" * 5000])
def test_targets_outside_0_to_100_or_without_a_number_are_refused(text):
    assert parse_percent(text) is None


def test_targets_read_as_sentences():
    assert target_text(5.2, False) == "Sykefraværet skal ned til 5,2 % eller lavere"
    assert target_text(10.0, True) == "Redusere sykefraværet med 10 %"


@pytest.mark.parametrize(
    "text, period",
    [
        ("2 år", "2 år"),
        ("to år", "2 år"),
        ("ett år", "1 år"),
        ("2,5 år", "2,5 år"),
        ("18 måneder", "18 måneder"),
        ("12 mnd", "12 måneder"),
        ("et halvt år", "6 måneder"),
        ("three years", "3 år"),
        ("ut 2026", "Ut 2026"),
        ("until the end of 2027", "Ut 2027"),
        ("2025–2027", "2025–2027"),
        ("2026-2028", "2026–2028"),
        ("fra 2026 til 2028", "2026–2028"),
        ("1.1.2027–31.12.2028", "1.1.2027–31.12.2028"),
        ("1.1.27 - 31.12.28", "1.1.2027–31.12.2028"),
        ("til 31.12.2027", "Til 31.12.2027"),
        ("like lenge som IA-avtalen", "Ut 2028, som den nasjonale IA-avtalen (2025–2028)"),
        ("inntil videre", "Inntil videre; partene vurderer avtalen ved hver evaluering"),
    ],
)
def test_periods_are_read(text, period):
    assert parse_period(text, TODAY) == period


@pytest.mark.parametrize(
    "text",
    [
        "lenge",
        "vet ikke",
        "2015–2017",  # over before it starts
        "ut 2020",
        "2028–2026",  # backwards
        "31.2.2027–1.1.2028",  # no such date
        "50 år",  # longer than ten years
        "0 måneder",
        "2026–2050",
        "",
    ],
)
def test_what_is_neither_a_duration_nor_a_current_range_is_refused(text):
    assert parse_period(text, TODAY) is None


@pytest.mark.parametrize("text", ["asdfgh", "xxxx", "😀😀😀", "!!!", "a", "bcdfghj", "1234"])
def test_noise_is_nonsense(text):
    assert looks_like_nonsense(text)


@pytest.mark.parametrize(
    "text", ["Solbakken sykehjem", "Kari", "AMU", "Nav", "Lise Berg 😀", "مستشفى أوسلو", "שלום עולם"]
)
def test_real_answers_in_any_script_are_not_nonsense(text):
    assert not looks_like_nonsense(text)

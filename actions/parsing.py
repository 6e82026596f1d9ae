"""Reads short answers in a guided dialogue: commands, yes/no, percentages, periods, nonsense.

Every reader takes the user's text as typed (bokmål, nynorsk or English) and returns either
the value to keep or None; none of them raises on hostile input. A value the reader words
itself ("18 måneder", "Sykefraværet skal ned til 6 % eller lavere") is kept in bokmål
(`STORED`), whatever the conversation's standard: actions/draft.py shows it in that standard
(the phrases are in data/ia/phrases/draft.yml).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Dict, Iterable, Optional, Tuple

from rapidfuzz import fuzz

from actions import phrases
from actions.standard import NB

# The written standard of the values the readers word themselves.
STORED = NB

# A command may be followed by a word or two: "hopp over dette", "gå tilbake ett steg".
COMMAND_EXTRA_WORDS = 2
COMMAND_FUZZY_SCORE = 85
COMMAND_FUZZY_MIN_LENGTH = 5

NUMBER_WORDS = {
    "null": 0, "zero": 0,
    "en": 1, "ein": 1, "ett": 1, "eitt": 1, "ei": 1, "one": 1,
    "to": 2, "two": 2, "tre": 3, "three": 3, "fire": 4, "four": 4, "fem": 5, "five": 5,
    "seks": 6, "six": 6, "sju": 7, "syv": 7, "seven": 7, "åtte": 8, "eight": 8,
    "ni": 9, "nine": 9, "ti": 10, "ten": 10, "elleve": 11, "eleven": 11, "tolv": 12,
    "twelve": 12, "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17,
    "atten": 18, "nitten": 19, "tjue": 20, "tyve": 20, "twenty": 20, "tretti": 30,
    "tredve": 30, "førti": 40, "femti": 50, "seksti": 60, "sytti": 70, "åtti": 80,
    "nitti": 90, "hundre": 100,
}
NUMBER = re.compile(r"(?<![\d.,\-−])(\d{1,4}(?:[.,]\d+)?)(?![\d])")
# "redusere med 10 %", "ned 10 prosent", "reduce by 10 %": a change, not a level ("ned til 5 %" is a level).
RELATIVE = re.compile(r"\b(med|by|ned|redusere|reduseres|reduserast|reduce|kutte|kutt|minske|minke)\s*$")
VOWELS = set("aeiouyæøåéèêóòôàáäöü")
KEYBOARD_RUNS = ("qwert", "asdf", "zxcv", "hjkl", "wasd", "yxcv", "æøå")
_YEAR = r"(20\d\d)"
_DATE = r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)"
_DASH = r"\s*(?:-|–|—|til|to|until|tom|t\.o\.m\.?)\s*"
MONTH_UNITS = ("måned", "måneder", "månad", "månader", "mnd", "month", "months")
YEAR_UNITS = ("år", "året", "year", "years", "yr", "yrs")
OPEN_ENDED = (
    "inntil videre", "til videre", "inntil vidare", "til vidare", "løpende", "løpande",
    "until further notice", "ingen sluttdato", "inga sluttdato",
)
LIKE_THE_AGREEMENT = ("avtaleperioden", "ia-avtalen", "ia avtalen", "den nasjonale avtalen")
# The national IA agreement runs 2025–2028 (data/ia/topics.yml, ask_agreement_history).
NATIONAL_AGREEMENT_START, NATIONAL_AGREEMENT_END = 2025, 2028
MAX_YEARS = 10
_UNIT = r"(?:(?:prosent|percent|pst|" + "|".join(MONTH_UNITS + YEAR_UNITS) + r")\b|%)"
WORD_NUMBER = re.compile(
    r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b"
    r"(?=\s+(?:(?:og|and)\s+(?:en|ein|a)\s+halv\w*\s+)?" + _UNIT + ")"
)
HALF = re.compile(r"(\d+)\s+(?:og|and)\s+(?:en|ein|a)\s+halv\w*")


def visible(text: str) -> str:
    """Control and format characters removed, spaces folded."""
    return " ".join("".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(text or "")).split())


def plain(text: str) -> str:
    """`visible`, in lower case."""
    return visible(text).lower()


def words_only(text: str) -> str:
    """`plain` without punctuation: what commands and yes/no are matched against."""
    return " ".join(re.sub(r"[^\w\s%]", " ", plain(text)).split())


def match_command(text: str, commands: Dict[str, Iterable[str]]) -> Optional[str]:
    """The command `text` is (a key of `commands`), allowing typos and a couple of extra
    words after the command; None for anything else."""
    said = words_only(text)
    if not said:
        return None
    phrases = sorted(
        ((phrase, name) for name, items in commands.items() for phrase in items),
        key=lambda pair: -len(pair[0]),
    )
    for phrase, name in phrases:
        if said == phrase:
            return name
    for phrase, name in phrases:
        if said.startswith(phrase + " ") and len(said[len(phrase):].split()) <= COMMAND_EXTRA_WORDS:
            return name
    if len(said) >= COMMAND_FUZZY_MIN_LENGTH:
        best = max(phrases, key=lambda pair: fuzz.ratio(said, pair[0]))
        if fuzz.ratio(said, best[0]) >= COMMAND_FUZZY_SCORE and len(best[0]) >= COMMAND_FUZZY_MIN_LENGTH:
            return best[1]
    return None


def split_yes_no(text: str, yes: Iterable[str], no: Iterable[str]) -> Tuple[Optional[bool], str]:
    """(True, rest) for "ja, og …", (False, rest) for "nei …", (None, text) otherwise. The rest
    keeps the user's own wording, without the leading yes or no."""
    original = visible(text)
    said = words_only(text)
    for answer, phrases in ((True, yes), (False, no)):
        for phrase in sorted(phrases, key=len, reverse=True):
            if said == phrase:
                return answer, ""
            if said.startswith(phrase + " "):
                lead = r"^\W*" + r"\W+".join(map(re.escape, phrase.split())) + r"\b\W*"
                rest = re.sub(lead, "", original, flags=re.IGNORECASE)
                return answer, rest.strip()
    return None, str(text).strip()


def _number_words(text: str) -> str:
    """Digits for number words that stand before a unit ("fem prosent", "to år") or alone,
    and "5 og en halv" as 5,5. Other words are left alone: "to" is also English."""
    if text.strip(" .!") in NUMBER_WORDS:
        return str(NUMBER_WORDS[text.strip(" .!")])
    text = WORD_NUMBER.sub(lambda m: str(NUMBER_WORDS[m.group(1)]), text)
    return HALF.sub(r"\1,5", text)


def _to_float(number: str) -> float:
    return float(number.replace(",", "."))


def percent_label(value: float) -> str:
    return (f"{value:.1f}".rstrip("0").rstrip(".")).replace(".", ",") + " %"


def parse_percent(text: str) -> Optional[Tuple[float, bool]]:
    """(value, relative) for a sick-leave target: "5", "5 %", "fem prosent", "5,2",
    "under 6 prosent", "redusere med 10 %". None when there is no number or it is not
    strictly between 0 and 100."""
    said = _number_words(plain(text))
    found = list(NUMBER.finditer(said))
    if not found:
        return None
    # "fra 8 til 6 %": the level they aim for is the last number.
    last = found[-1]
    value = _to_float(last.group(1))
    if not 0 < value < 100:
        return None
    relative = bool(RELATIVE.search(said[: last.start()]))
    return value, relative


def _stored(key: str, **values) -> str:
    return phrases.text(f"draft.{key}", STORED, **values)


def target_text(value: float, relative: bool) -> str:
    """How a sick-leave target reads in the summary and the draft (kept in bokmål)."""
    return _stored("target_reduce" if relative else "target_level", percent=percent_label(value))


def _date(day: str, month: str, year: str) -> Optional[dt.date]:
    year_number = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return dt.date(year_number, int(month), int(day))
    except ValueError:
        return None


def _date_label(date: dt.date) -> str:
    return f"{date.day}.{date.month}.{date.year}"


def parse_period(text: str, today: Optional[dt.date] = None) -> Optional[str]:
    """How long the agreement lasts, as it will read in the draft, or None when `text` is
    neither a duration ("2 år", "18 måneder") nor a date range ("2025–2027", "ut 2026",
    "1.1.2026–31.12.2027"), or when the period has ended or runs past ten years."""
    today = today or dt.date.today()
    said = _number_words(plain(text))

    dates = re.search(_DATE + _DASH + _DATE, said)
    if dates:
        start, end = _date(*dates.group(1, 2, 3)), _date(*dates.group(4, 5, 6))
        if start and end and start < end and end >= today and end.year - start.year <= MAX_YEARS:
            return f"{_date_label(start)}–{_date_label(end)}"
        return None
    years = re.search(r"\b" + _YEAR + _DASH + _YEAR + r"\b", said)
    if years:
        start_year, end_year = int(years.group(1)), int(years.group(2))
        if start_year <= end_year and end_year >= today.year and end_year - start_year <= MAX_YEARS:
            return f"{start_year}–{end_year}"
        return None
    until_date = re.search(r"\b(ut|til|to|until|through)\s+" + _DATE, said)
    if until_date:
        end = _date(*until_date.group(2, 3, 4))
        if end and today <= end and end.year - today.year <= MAX_YEARS:
            return _stored("period_until_date", date=_date_label(end))
        return None
    until_year = re.search(r"\b(ut|til|to|until|through|out)\s+(?:(?:året|the end of|end of|utgangen av)\s+)?" + _YEAR + r"\b", said)
    if until_year:
        end_year = int(until_year.group(2))
        if today.year <= end_year <= today.year + MAX_YEARS:
            return _stored("period_until_year", year=end_year)
        return None
    if any(phrase in said for phrase in LIKE_THE_AGREEMENT):
        return _stored(
            "period_like_the_agreement",
            year=NATIONAL_AGREEMENT_END,
            period=f"{NATIONAL_AGREEMENT_START}–{NATIONAL_AGREEMENT_END}",
        )
    if any(phrase in said for phrase in OPEN_ENDED):
        return _stored("period_open_ended")
    if re.search(r"\b(et|ett|eit|eitt|a|one)?\s*halvt\s+år\b|\bhalf a year\b", said):
        return _stored("period_months", months=6)
    duration = re.search(r"(\d+(?:[.,]5)?)\s*(" + "|".join(MONTH_UNITS + YEAR_UNITS) + r")\b", said)
    if duration:
        amount, unit = _to_float(duration.group(1)), duration.group(2)
        months = amount if unit in MONTH_UNITS else amount * 12
        if 1 <= months <= MAX_YEARS * 12:
            if unit in MONTH_UNITS:
                return _stored("period_months", months=int(months)) if months != 1 else _stored("period_one_month")
            return _stored("period_years", years=f"{amount:g}".replace(".", ","))
        return None
    return None


def looks_like_nonsense(text: str) -> bool:
    """True for answers no workplace would write: no letters, a keyboard run, a long word
    without vowels, or one character repeated."""
    said = plain(text)
    letters = [ch for ch in said if ch.isalpha()]
    if len(letters) < 2:
        return True
    squashed = said.replace(" ", "")
    if len(set(squashed)) <= 2 and len(squashed) >= 3:
        return True
    words = re.findall(r"[^\W\d_]+", said)
    if len(words) == 1 and any(run in words[0] for run in KEYBOARD_RUNS):
        return True
    # Only Latin words are expected to have vowels (Arabic and Hebrew write few of them).
    return any(
        len(word) >= 6 and all(ord(ch) < 0x250 for ch in word) and not VOWELS & set(word)
        for word in words
    )

"""Renders the local IA agreement from the guide's step data and the user's answers: the
summary before confirmation, and the draft as Markdown (chat text and a document), in the
conversation's written standard (the words around the answers: data/ia/phrases/draft.yml).

An answer the assistant worded itself (a skipped step, a period, a target, a button's choice,
the names of measures) is kept in bokmål and shown in the conversation's standard
(`shown_answer`); what the user typed is shown as typed.

Whatever the user typed goes through `escape` first, so nothing in it can start a heading or
a list, open a link, or reach a page as HTML."""
from __future__ import annotations

import datetime as dt
import functools
import html
import re
import string
import unicodedata
from typing import Dict, List, Optional, Tuple

from actions import phrases
from actions.knowledge import Guide, Step, load
from actions.parsing import STORED, visible
from actions.standard import STANDARDS, current

# An optional step the user skipped: the value kept in the slot (phrase draft.skipped in bokmål;
# a test checks that they agree), shown in the conversation's standard.
SKIPPED = "(hoppet over)"
BLANK = "______________________"
MIME = "text/markdown"
_MARKDOWN = re.compile(r"([\\`*_\[\]~|])")
_LINE_START = re.compile(r"^([#>+\-=])")
_NUMBERED = re.compile(r"^(\d+)([.)])")
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def escape(text: object) -> str:
    """`text` as one line of inert Markdown: control and direction characters removed, white
    space folded, HTML's & < > escaped and Markdown's inline markers backslashed."""
    cleaned = _MARKDOWN.sub(r"\\\1", html.escape(visible(text), quote=False))
    # Nor can it start a heading, quote or list where it begins a line.
    cleaned = _LINE_START.sub(r"\\\1", cleaned)
    return _NUMBERED.sub(r"\1\\\2", cleaned)


def answered(value: Optional[str]) -> bool:
    return value is not None and value != SKIPPED


# ----- answers the assistant worded, in the conversation's standard ---------------------------
# Phrases of data/ia/phrases/draft.yml a kind of step keeps as its answer, by name prefix.
WORDED_BY_KIND = {"period": "period_", "percent": "target_"}
CHOICE_PREFIX = "choice_"


def _pattern(template: str) -> "re.Pattern[str]":
    """A phrase's text as a pattern its filled-in text matches, a group per placeholder."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts))


@functools.lru_cache(maxsize=8)
def _worded(prefix: str) -> Tuple[Tuple[str, "re.Pattern[str]"], ...]:
    """The phrases named `prefix`*, each with the pattern of its kept (bokmål) text."""
    return tuple(
        (key, _pattern(phrase["text"][STORED]))
        for key, phrase in phrases.load().items()
        if key.startswith(f"draft.{prefix}")
    )


def _reworded(prefix: str, value: str) -> Optional[str]:
    for key, pattern in _worded(prefix):
        match = pattern.fullmatch(value)
        if match:
            return phrases.text(key, **match.groupdict())
    return None


@functools.lru_cache(maxsize=32)
def _button_titles(step_key: str) -> Dict[str, int]:
    """A step's button titles, in either standard, to their place among its buttons."""
    titles: Dict[str, int] = {}
    for standard in STANDARDS:
        steps = [s for s in load(standard=standard).agreement.steps if s.key == step_key]
        for index, title in enumerate(steps[0].buttons if steps else ()):
            titles.setdefault(title, index)
    return titles


@functools.lru_cache(maxsize=2)
def _measure_keys() -> Dict[str, str]:
    """The names of the measures, in either standard, to their keys."""
    return {m.name: key for standard in STANDARDS for key, m in load(standard=standard).measures.items()}


def shown_answer(step: Step, value: str) -> str:
    """An answer as it reads in the conversation's standard: what the assistant worded (a
    skipped step, a period or target, a choice, a button clicked in the other standard, the
    names of measures) in that standard, what the user typed as typed. Not escaped."""
    if value == SKIPPED:
        return phrases.text("draft.skipped")
    prefixes = [WORDED_BY_KIND.get(step.kind), CHOICE_PREFIX if step.choices else None]
    for prefix in filter(None, prefixes):
        reworded = _reworded(prefix, value)
        if reworded is not None:
            return reworded
    if value in _button_titles(step.key):
        steps = [s for s in load(standard=current()).agreement.steps if s.key == step.key]
        return steps[0].buttons[_button_titles(step.key)[value]]
    if step.kind == "measures":
        measures = load(standard=current()).measures
        keys = _measure_keys()
        return ", ".join(measures[keys[part]].name if part in keys else part for part in value.split(", "))
    return value


def shown(step: Step, value: Optional[str]) -> str:
    if value is None:
        return "–"
    return escape(shown_answer(step, value))


def summary(guide: Guide, answers: Dict[str, Optional[str]]) -> str:
    """Every answer, numbered, as the user confirms them ("endre 6" changes the sixth)."""
    lines = [
        f"{number}. {step.title}: {shown(step, answers.get(step.key))}"
        for number, step in enumerate(numbered_steps(guide), start=1)
    ]
    return "\n".join(lines)


def numbered_steps(guide: Guide) -> List[Step]:
    """The steps that ask for content (all but the confirmation)."""
    return [step for step in guide.steps if step.kind != "confirm"]


def _intention(guide: Guide, value: Optional[str]) -> List[str]:
    points = guide.draft["intention_points"]
    lines = [phrases.text("draft.agreed_points")] + [f"{i}. {p}" for i, p in enumerate(points, start=1)]
    if answered(value) and value.strip().lower() not in ("ja", ""):
        lines.append(phrases.text("draft.in_addition", addition=escape(value)))
    return lines


def _signing(guide: Guide, answers: Dict[str, Optional[str]]) -> List[str]:
    def given(key: str) -> str:
        value = answers.get(key)
        return escape(shown_answer(guide.step(key), value)) if value is not None else ""

    place = given("signing") if answered(answers.get("signing")) else BLANK
    return [
        phrases.text("draft.place_and_date", place=place, blank=BLANK),
        "",
        BLANK,
        phrases.text("draft.for_employer", name=given("employer")),
        "",
        BLANK,
        phrases.text("draft.for_employees", name=given("employees")),
    ]


def _good_practice(marked: bool) -> str:
    return f" ({phrases.text('draft.good_practice')})" if marked else ""


def _label(step: Step, section_basis: str) -> str:
    return step.title + _good_practice(step.basis == "god_praksis" and section_basis != "god_praksis")


def draft_markdown(
    guide: Guide, answers: Dict[str, Optional[str]], today: dt.date, final: bool = True
) -> str:
    """The agreement as a Markdown document; `final` False marks a draft still being made."""
    spec = guide.draft
    not_agreed = spec["not_agreed"]

    def given(step: Step) -> str:
        value = answers.get(step.key)
        return escape(shown_answer(step, value)) if answered(value) else not_agreed

    workplace = given(guide.step("workplace")) if answered(answers.get("workplace")) else BLANK
    state = phrases.text("draft.final" if final else "draft.in_progress")
    made = phrases.text("draft.made", state=state, date=f"{today.day}.{today.month}.{today.year}")
    out: List[str] = [
        "# " + phrases.text("draft.heading", title=spec["title"], workplace=workplace),
        "",
        f"*{made}*",
        "",
        spec["legend"],
    ]
    for number, section in enumerate(spec["sections"], start=1):
        steps = [guide.step(key) for key in section["steps"]]
        basis = "god_praksis" if all(s.basis == "god_praksis" for s in steps) else "mal"
        heading = section["heading"] + _good_practice(basis == "god_praksis")
        out += ["", f"## {number}. {heading}", ""]
        keys = [s.key for s in steps]
        if keys == ["intention"]:
            out += _intention(guide, answers.get("intention"))
        elif keys == ["signing"]:
            out += _signing(guide, answers)
        elif len(steps) == 1:
            out.append(given(steps[0]))
        else:
            for step in steps:
                out.append(f"- {_label(step, basis)}: {given(step)}")
    out += ["", "## " + phrases.text("draft.about"), ""] + [f"- {line}" for line in spec["about"]]
    return "\n".join(out) + "\n"


def chat_text(markdown: str) -> str:
    """The draft for a chat bubble: no blank lines (the channels would split the message
    there), headings and emphasised lines as plain lines, and & < > as themselves: a chat
    shows text as text."""
    lines = [
        html.unescape(re.sub(r"^\*(.+)\*$", r"\1", re.sub(r"^#+\s+", "", line)))
        for line in markdown.splitlines()
        if line.strip()
    ]
    return "\n".join(lines)


def filename(answers: Dict[str, Optional[str]]) -> str:
    workplace = answers.get("workplace") if answered(answers.get("workplace")) else ""
    name = str(workplace or "").lower().translate(_ASCII)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))[:40].strip("-")
    stem = phrases.text("draft.file_name")
    return f"{stem}-{slug}.md" if slug else f"{stem}.md"


def document(guide: Guide, answers: Dict[str, Optional[str]], today: dt.date, final: bool = True) -> dict:
    """The custom payload a channel can offer as a download. Rasa's socketio channel passes
    the payload's keys to socket.io's emit, so the document sits under `data`."""
    return {
        "data": {
            "type": "document",
            "filename": filename(answers),
            "mime": MIME,
            "content": draft_markdown(guide, answers, today, final),
        }
    }

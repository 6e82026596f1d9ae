"""Renders the local IA agreement from the guide's step data and the user's answers: the
summary before confirmation, and the draft as Markdown (chat text and a document).

Whatever the user typed goes through `escape` first, so nothing in it can start a heading or
a list, open a link, or reach a page as HTML."""
from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from typing import Dict, List, Optional

from actions.knowledge import Guide, Step
from actions.parsing import visible

# An optional step the user skipped.
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


def shown(value: Optional[str]) -> str:
    if value is None:
        return "–"
    return value if value == SKIPPED else escape(value)


def summary(guide: Guide, answers: Dict[str, Optional[str]]) -> str:
    """Every answer, numbered, as the user confirms them ("endre 6" changes the sixth)."""
    lines = [
        f"{number}. {step.title}: {shown(answers.get(step.key))}"
        for number, step in enumerate(numbered_steps(guide), start=1)
    ]
    return "\n".join(lines)


def numbered_steps(guide: Guide) -> List[Step]:
    """The steps that ask for content (all but the confirmation)."""
    return [step for step in guide.steps if step.kind != "confirm"]


def _intention(guide: Guide, value: Optional[str]) -> List[str]:
    points = guide.draft["intention_points"]
    lines = ["Partene er enige om dette:"] + [f"{i}. {p}" for i, p in enumerate(points, start=1)]
    if answered(value) and value.strip().lower() not in ("ja", ""):
        lines.append(f"I tillegg: {escape(value)}")
    return lines


def _signing(answers: Dict[str, Optional[str]]) -> List[str]:
    place = escape(answers["signing"]) if answered(answers.get("signing")) else BLANK
    return [
        f"Sted: {place}    Dato: {BLANK}",
        "",
        BLANK,
        f"For arbeidsgiveren: {escape(answers.get('employer'))}",
        "",
        BLANK,
        f"For de ansatte: {escape(answers.get('employees'))}",
    ]


def _label(step: Step, section_basis: str) -> str:
    marker = " (god praksis)" if step.basis == "god_praksis" and section_basis != "god_praksis" else ""
    return f"{step.title}{marker}"


def draft_markdown(
    guide: Guide, answers: Dict[str, Optional[str]], today: dt.date, final: bool = True
) -> str:
    """The agreement as a Markdown document; `final` False marks a draft still being made."""
    spec = guide.draft
    not_agreed = spec["not_agreed"]
    workplace = escape(answers.get("workplace")) if answered(answers.get("workplace")) else BLANK
    state = "Utkast" if final else "Utkast under arbeid"
    out: List[str] = [
        f"# {spec['title']} for {workplace}",
        "",
        f"*{state}, laget med IA-assistenten {today.day}.{today.month}.{today.year}. "
        "Partene tilpasser og signerer selv.*",
        "",
        spec["legend"],
    ]
    for number, section in enumerate(spec["sections"], start=1):
        steps = [guide.step(key) for key in section["steps"]]
        basis = "god_praksis" if all(s.basis == "god_praksis" for s in steps) else "mal"
        heading = section["heading"] + (" (god praksis)" if basis == "god_praksis" else "")
        out += ["", f"## {number}. {heading}", ""]
        keys = [s.key for s in steps]
        if keys == ["intention"]:
            out += _intention(guide, answers.get("intention"))
        elif keys == ["signing"]:
            out += _signing(answers)
        elif len(steps) == 1:
            value = answers.get(steps[0].key)
            out.append(escape(value) if answered(value) else not_agreed)
        else:
            for step in steps:
                value = answers.get(step.key)
                out.append(f"- {_label(step, basis)}: {escape(value) if answered(value) else not_agreed}")
    out += ["", "## Om avtalen", ""] + [f"- {line}" for line in spec["about"]]
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
    return f"lokal-ia-avtale-{slug}.md" if slug else "lokal-ia-avtale.md"


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

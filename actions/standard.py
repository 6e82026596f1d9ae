"""The conversation's written standard: bokmål (`nb`) or nynorsk (`nn`).

A state body answers a private person in writing in the standard the person used (språklova
§ 15 first paragraph), chat included. The NLU component bot.written_standard reads each
message and puts its verdict (`written_standard`) and an explicit choice
(`written_standard_choice`) in the message's parse data. This module folds those over the
conversation with `next_standard`, the conversation rule, and makes the result the standard
the actions answer in (`use`, `current`).

The rule needs no slot and no extra round trip: every action gets the conversation's events
and reads the standard from them. A web page may say which standard it is written in
(`<ia-chat lang="nn">`): the web chat sends it as `lang` in each message's metadata, and the
conversation starts in it.
"""
from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional

NB = "nb"
NN = "nn"
STANDARDS = (NB, NN)
DEFAULT = NB

# Keys the NLU component puts in a message's parse data (bot/written_standard.py).
VERDICT = "written_standard"
CHOICE = "written_standard_choice"
# The intent of a message that only chooses a standard ("svar på nynorsk").
CHOOSE_INTENT = "choose_written_standard"


@dataclass(frozen=True)
class Standard:
    """A conversation's written standard: which one, whether the user chose it, and how many
    messages in a row the user has written in the other one since then."""

    standard: str = DEFAULT
    chosen: bool = False
    against: int = 0


# Messages in a row, written in the other standard, that override the user's explicit choice.
OVERRIDE_CHOICE_AFTER = 2


def next_standard(
    current: Optional[Standard], verdict: Optional[str], choice: Optional[str]
) -> Standard:
    """The conversation's standard after one more message.

    - At the start (`current` None) the standard is bokmål until the user writes or chooses.
      A web page that sets the language starts with `Standard(lang)`: not a choice the user
      made, so the user's writing switches it.
    - An explicit choice always wins and is remembered as chosen.
    - A neutral message (no verdict: "ok", "ja", "Vestland", English) keeps the standard.
    - A message in the other standard switches a standard that was read from the user's
      writing at once. A standard the user chose holds until the user chooses again or
      writes the other standard in two messages in a row (neutral messages between them do
      not break the row; a message in the chosen standard does).
    """
    current = current or Standard()
    if choice in STANDARDS:
        return Standard(choice, chosen=True)
    if verdict not in STANDARDS:
        return current
    if verdict == current.standard:
        return Standard(current.standard, current.chosen, 0)
    if not current.chosen:
        return Standard(verdict)
    against = current.against + 1
    if against >= OVERRIDE_CHOICE_AFTER:
        return Standard(verdict)
    return Standard(current.standard, True, against)


def page_standard(metadata: Any) -> Optional[str]:
    """The standard a page says it is written in (`lang` in a message's metadata), if it says
    one of the two: "nn" and "nb" ("no", a generic Norwegian, says neither)."""
    lang = metadata.get("lang") if isinstance(metadata, dict) else None
    return lang if lang in STANDARDS else None


def _this_session(events: Iterable[Dict[str, Any]]) -> list:
    events = list(events or [])
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    return events[starts[-1] + 1 :] if starts else events


def of_events(events: Iterable[Dict[str, Any]]) -> Standard:
    """The standard after the user's messages among `events` (a tracker's events as dicts),
    from the start of the latest session."""
    state: Optional[Standard] = None
    for event in _this_session(events):
        if event.get("event") != "user":
            continue
        if state is None:
            page = page_standard(event.get("metadata"))
            state = Standard(page) if page else None
        parse = event.get("parse_data") or {}
        state = next_standard(state, parse.get(VERDICT), parse.get(CHOICE))
    return state or Standard()


def of_tracker(tracker: Any) -> str:
    """The standard to answer in: `nb` or `nn`."""
    return of_events(getattr(tracker, "events", None) or []).standard


_current: contextvars.ContextVar[str] = contextvars.ContextVar("written_standard", default=DEFAULT)


def use(tracker: Any) -> str:
    """Makes the conversation's standard the one this action answers in, and returns it.
    Every action calls it first; the action server runs each request in its own task, so
    the choice never leaks into another conversation."""
    standard = of_tracker(tracker)
    _current.set(standard)
    return standard


def use_standard(standard: str) -> None:
    """Answers in `standard` from now on in this task (tests, and code without a tracker)."""
    if standard not in STANDARDS:
        raise ValueError(f"unknown written standard {standard!r}")
    _current.set(standard)


def current() -> str:
    return _current.get()

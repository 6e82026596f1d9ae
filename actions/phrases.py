"""What the assistant says in its own words, in both written standards (data/ia/phrases/).

The knowledge base (actions/knowledge.py) holds the facts; this holds the rest: greetings,
questions back, error messages, button titles, the words around the answers. Each file
`<area>.yml` maps a name to a phrase, and a phrase is read as `<area>.<name>`:

    not_found:                      # a text: both standards, nothing else
      nb: "Jeg fant ikke {place}."
      nn: "Eg fann ikkje {place}."
    greet:                          # a message: a text and buttons
      text: {nb: "...", nn: "..."}
      buttons:
        - title: {nb: "...", nn: "..."}
          payload: "/ask_ia_agreement"

Every text must give both standards with the same {placeholders}; the loader refuses a file
that does not, so a sentence cannot ship in one standard only. The text picked is the one in
the conversation's standard (actions/standard.py) unless one is asked for.
"""
from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from actions.standard import STANDARDS, current

PHRASE_DIR = Path(__file__).resolve().parent.parent / "data" / "ia" / "phrases"
MESSAGE_KEYS = {"text", "buttons"}
BUTTON_KEYS = {"title", "payload"}


class PhraseError(ValueError):
    """A phrase file is malformed: a text in one standard only, unknown keys, placeholders
    that differ between the standards."""


def _placeholders(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _bilingual(value: Any, where: str) -> Dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(STANDARDS):
        raise PhraseError(f"{where}: needs exactly {' and '.join(STANDARDS)}, got {value!r}")
    for standard in STANDARDS:
        if not isinstance(value[standard], str) or not value[standard].strip():
            raise PhraseError(f"{where}.{standard}: empty or not a text")
    try:
        fields = [_placeholders(value[s]) for s in STANDARDS]
    except ValueError as error:
        raise PhraseError(f"{where}: {error}") from None
    if fields[0] != fields[1]:
        raise PhraseError(f"{where}: the standards have different placeholders {fields}")
    return value


def _phrase(value: Any, where: str) -> Dict[str, Any]:
    """A phrase as {"text": {nb, nn}, "buttons": [{"title": {nb, nn}, "payload": str}]}."""
    if isinstance(value, dict) and set(value) <= MESSAGE_KEYS and "text" in value:
        buttons = value.get("buttons") or []
        if not isinstance(buttons, list):
            raise PhraseError(f"{where}.buttons: expected a list")
        checked = []
        for i, button in enumerate(buttons):
            if not isinstance(button, dict) or set(button) != BUTTON_KEYS or not isinstance(button["payload"], str):
                raise PhraseError(f"{where}.buttons[{i}]: needs a title and a payload")
            checked.append({"title": _bilingual(button["title"], f"{where}.buttons[{i}].title"), "payload": button["payload"]})
        return {"text": _bilingual(value["text"], f"{where}.text"), "buttons": checked}
    return {"text": _bilingual(value, where), "buttons": []}


def parse(directory: Path) -> Dict[str, Dict[str, Any]]:
    phrases: Dict[str, Dict[str, Any]] = {}
    for path in sorted(directory.glob("*.yml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        if not isinstance(data, dict):
            raise PhraseError(f"{path.name}: expected a mapping at the top")
        for name, value in data.items():
            key = f"{path.stem}.{name}"
            phrases[key] = _phrase(value, key)
    return phrases


@functools.lru_cache(maxsize=4)
def load(directory: Optional[Path] = None) -> Dict[str, Dict[str, Any]]:
    """Every phrase, read and checked once per process."""
    return parse(directory or PHRASE_DIR)


def text(key: str, standard: Optional[str] = None, **values: Any) -> str:
    """The phrase `key` in `standard` (default: the conversation's), with `values` filled in."""
    phrase = load()[key]
    return phrase["text"][standard or current()].format(**values)


def buttons(key: str, standard: Optional[str] = None) -> List[Dict[str, str]]:
    """The phrase's buttons, titled in `standard` (default: the conversation's)."""
    standard = standard or current()
    return [{"title": b["title"][standard], "payload": b["payload"]} for b in load()[key]["buttons"]]


def utter(dispatcher: Any, key: str, offered: Optional[List[Dict[str, str]]] = None, **values: Any) -> None:
    """Sends the phrase `key` with `offered` buttons first, then the phrase's own."""
    dispatcher.utter_message(text=text(key, **values), buttons=list(offered or []) + buttons(key))

#!/usr/bin/env python3
"""Asks a running assistant every question in tests/nlu/real/questions.yml, each in a new
conversation, and reports how the whole bot handled it: which intent the NLU chose and whether it
was answered, asked back about (a fallback question, a form's question) or declined.

Usage (with `make serve` running):
    .venv/bin/python scripts/evaluate_real_questions.py [--url http://localhost:5005] [--token T]

The token is Rasa's HTTP API token (logs/api-token under `make serve`); the tracker tells which
action answered. Labels `new:<topic>` are topics the assistant has no answer for yet.
"""
from __future__ import annotations

import argparse
import json
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "nlu" / "real" / "questions.yml"
ASKED_BACK = {"action_two_stage_fallback", "action_default_ask_affirmation", "action_default_ask_rephrase"}
DECLINED = {"action_answer_out_of_scope", "action_default_fallback"}


def call(url: str, body: dict | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def outcome(events: list) -> tuple[str, str, list]:
    """(intent, how it was handled, the actions run) for the one user turn in `events`."""
    user = next(e for e in events if e.get("event") == "user")
    intent = (user.get("parse_data") or {}).get("intent", {}).get("name", "")
    actions = [e["name"] for e in events if e.get("event") == "action" and e["name"] not in ("action_listen", "action_session_start")]
    if any(a in ASKED_BACK or a.startswith("action_ask_") for a in actions):
        return intent, "asked back", actions
    if any(a in DECLINED for a in actions):
        return intent, "declined", actions
    return intent, "answered", actions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--token", default=None, help="Rasa API token (default: logs/api-token)")
    args = parser.parse_args()
    token = args.token or (ROOT / "logs" / "api-token").read_text().strip()
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]

    rows = []
    for q in questions:
        sender = uuid.uuid4().hex
        call(f"{args.url}/webhooks/rest/webhook", {"sender": sender, "message": q["text"]})
        tracker = call(f"{args.url}/conversations/{sender}/tracker?token={token}")
        intent, how, actions = outcome(tracker["events"])
        rows.append((q, intent, how, actions))

    known = [r for r in rows if not r[0]["intent"].startswith("new:")]
    right_intent = [r for r in known if r[1] == r[0]["intent"]]
    print(f"{len(rows)} questions; {len(known)} labelled with an existing intent, {len(rows) - len(known)} with a new topic")
    print(f"intent right (existing intents): {len(right_intent)} of {len(known)} = {len(right_intent) / max(1, len(known)):.3f}")
    for label, subset in (("existing intents", known), ("new topics", [r for r in rows if r not in known])):
        counts = Counter(r[2] for r in subset)
        print(f"{label}: " + ", ".join(f"{how} {n}" for how, n in counts.most_common()))
    print("\nanswered with another intent than the label (existing intents):")
    for q, intent, how, actions in known:
        if intent != q["intent"] and how == "answered":
            print(f"  {q['intent']:<26} -> {intent:<26} {q['text'][:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Asks a running assistant every question in tests/nlu/real/questions.yml, each in a new
conversation, and prints how the whole bot answered: right, asked back, declined or wrong, per
label, and every question not answered right (tests/real_questions.py judges).

Usage (with `make serve` running):
    .venv/bin/python scripts/evaluate_real_questions.py [--url http://localhost:5005] [--token T]

The token is Rasa's HTTP API token (logs/api-token under `make serve`); the tracker tells which
actions answered.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.knowledge import load  # noqa: E402
from tests import real_questions  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--token", default=None, help="Rasa API token (default: logs/api-token)")
    args = parser.parse_args()
    token = args.token or (ROOT / "logs" / "api-token").read_text().strip()
    verdicts = real_questions.ask_all(args.url, token, load(), real_questions.load_questions())
    print(real_questions.report(verdicts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

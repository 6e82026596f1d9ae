"""English words for the things IA work is about, with the Norwegian words the intent models know.

Most training sentences are Norwegian, and an English question shares few words with them:
"What are my duties as an employee on sick leave?" has none of "plikter", "arbeidstaker" or
"sykmeldt". `expand` appends the Norwegian words of every English term a message holds, so the
models read both; a message without English terms is unchanged. It is applied to the training
sentences and to every message alike (bot/intent_ensemble.py).

Words that are also everyday Norwegian words are left out: "fire" (four) or "plan" would misread
Norwegian questions.
"""
from __future__ import annotations

import re
from typing import List, Pattern, Tuple

TERMS: List[Tuple[str, str]] = [
    (r"sick ?leave|off sick|on sick|(?:absence|absent) (?:due to|because of) (?:illness|sickness)"
     r"|sickness absence", "sykefravær sykmeldt"),
    (r"sick ?notes?|doctor'?s notes?|medical certificates?", "sykmelding"),
    (r"self[- ]certif\w*|sick days?|without a (?:sick|doctor'?s) note", "egenmelding"),
    (r"employers?", "arbeidsgiver"),
    (r"employees?|workers?|staff", "arbeidstaker ansatt"),
    (r"safety (?:representatives?|reps?|delegates?|officers?)|health and safety rep\w*", "verneombud"),
    (r"union (?:representatives?|reps?)|shop stewards?|trade union rep\w*|employee representatives?",
     "tillitsvalgt"),
    (r"work(?:ing)? environment committees?", "arbeidsmiljøutvalg AMU"),
    (r"occupational health(?: services?)?", "bedriftshelsetjeneste BHT"),
    (r"dialogue meetings?", "dialogmøte"),
    (r"follow[- ]up plans?", "oppfølgingsplan"),
    (r"sick pay|sickness (?:benefits?|pay)", "sykepenger"),
    (r"inclusive (?:workplaces?|working life|work)", "inkluderende arbeidsliv IA"),
    (r"adapt\w*|accommodat\w*|facilitat\w*|adjustments?", "tilrettelegging"),
    (r"dut(?:y|ies)|obligations?|responsibilit\w*", "plikter ansvar"),
    (r"managers?|leaders?|boss(?:es)?|supervisors?", "leder"),
    (r"local (?:ia |iw )?agreements?", "lokal IA-avtale"),
    (r"measures|instruments|schemes?", "virkemidler tiltak"),
    (r"dismiss\w*|terminat\w*", "oppsigelse"),
    (r"graded sick\w*|partial sick\w*", "gradert sykmelding"),
    (r"activity (?:requirement|duty|obligation)", "aktivitetsplikt"),
    (r"employer(?:'s)? period", "arbeidsgiverperioden"),
    (r"collaborat\w*|cooperat\w*|co-operat\w*", "samarbeid"),
    (r"ia councils?|county councils?", "IA-råd"),
    (r"(?:back|return) to work|back into work", "tilbake i jobb"),
]

PATTERNS: List[Tuple[Pattern[str], str]] = [
    (re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE), norwegian) for pattern, norwegian in TERMS
]


def expand(text: str) -> str:
    """`text` with the Norwegian words of its English terms appended, in TERMS order."""
    extra = [norwegian for pattern, norwegian in PATTERNS if pattern.search(text)]
    return f"{text} {' '.join(extra)}" if extra else text

"""Norwegian stems for the intent classifier's features (bot/intent_ensemble.py).

No pretrained Norwegian spaCy model can be installed here, so nothing else brings "sykmeldingen",
"sykmeldinga" and "sykmelding" together as one word. `stem` gives each word its Snowball stem (the
`norwegian` stemmer of the snowballstemmer package, pure Python, nothing to download),
lower-cased. The classifier reads the stems beside the words as written and their character
n-grams, which keep spelling variants and the forms Snowball's rules do not bring together
("arbeidsgiver" → "arbeidsgiv", but "arbeidsgiveren" → "arbeidsgiver").
"""
from __future__ import annotations

import functools

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("norwegian")


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball stem of `word`, lower-cased: verneombudet → verneombud."""
    return _STEMMER.stemWord(word.lower())

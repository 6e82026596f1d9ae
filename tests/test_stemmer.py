"""Norwegian stems for the intent classifier's features (bot/stemmer.py)."""
import pytest

from bot.stemmer import stem


@pytest.mark.parametrize(
    "forms",
    [
        ["verneombud", "verneombudet", "verneombuda"],
        ["sykmelding", "sykmeldingen", "sykmeldinga", "sykmeldinger"],
        ["arbeidsgiveren", "arbeidsgivere", "Arbeidsgiverens"],
        ["oppfølgingsplan", "oppfølgingsplanen", "oppfølgingsplaner"],
        ["sykepenger", "sykepengene", "sykepengar"],
        ["dialogmøte", "dialogmøtet", "dialogmøter", "dialogmøtene"],
    ],
)
def test_inflected_forms_share_a_stem(forms):
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}


def test_different_words_keep_different_stems():
    assert len({stem(w) for w in ["verneombud", "tillitsvalgt", "arbeidsgiver", "sykepenger"]}) == 4

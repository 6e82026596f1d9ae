"""The measure recommender: situations as users write them → the measures that fit, ranked by the
rule table in data/ia/recommend.yml. The industry is read by the real fuzzy gazetteer, the
problem and size by actions/recommend.py. Each row says why, with the fact it rests on
(../shared/domain/ia_facts.md, whose sources the knowledge base cites)."""
import pytest

from actions.recommend import SMALL, Situation, rank, read_problems, read_size

# (message, the best suggestion, others that must be among the three)
TABLE = [
    # A number of long-term sick-listed is high absence; a lasting impairment gets NAV's aids first.
    ("avdelingsleder på et sykehjem med tre langtidssykmeldte samtidig", "bransjeprogram", {"arbeidslivssenter"}),
    ("en ansatt i butikken har fått varig nedsatt funksjonsevne og trenger spesialutstyr", "hjelpemidler", {"oppfolging"}),
    # §2.3: sykehus has had a bransjeprogram since 2019; §2.1: Arbeidslivssenter is for high absence.
    ("mange langtidssykmeldte på sykehuset", "bransjeprogram", {"arbeidslivssenter"}),
    # §6 + §2.2: one employee's long absence: the follow-up duties first, then ekspertbistand.
    ("en medarbeider har vært sykmeldt i et halvt år og vi vet ikke hva vi skal gjøre", "oppfolging", {"ekspertbistand"}),
    # §2.4: Arbeidsmiljøportalen is made for preventive work.
    ("vi vil komme i forkant av fraværet", "arbeidsmiljoportalen", {"idebanken"}),
    # §2.3: bygg og anlegg has a programme; §2.1 (NAV practice): small workplaces are less often taken on.
    ("liten snekkerbedrift med mye fravær", "bransjeprogram", {"sykefravaersstatistikk"}),
    # §2.3: barnehager have a programme; §2.6: statistics show only doctor-certified absence.
    ("we are a kindergarten with a lot of short absences", "bransjeprogram", {"arbeidsmiljoportalen", "sykefravaersstatistikk"}),
    # §2.4: frisør is on Arbeidsmiljøportalen since 2021; no bransjeprogram (§2.3).
    ("vi er 8 ansatte i en frisørsalong og har mange egenmeldinger", "arbeidsmiljoportalen", {"sykefravaersstatistikk"}),
    # §4: the local agreement is an agreement on the parties' cooperation.
    ("samarbeidet mellom ledelsen og de tillitsvalgte fungerer dårlig", "lokal_ia_avtale", {"idebanken"}),
    # §1: frafall is one of the national goals; §2.5 Idébanken shares examples.
    ("mange seniorer hos oss vurderer å slutte tidlig", "arbeidslivssenter", {"idebanken"}),
    # §1 + §2.1: drop-out is a national goal NAV Arbeidslivssenter works with.
    ("folk slutter hele tiden på hotellet", "arbeidslivssenter", {"idebanken"}),
    # §6: the oppfølgingsplan and dialogue meetings frame the return; §2.2 ekspertbistand.
    ("hvordan får vi en kollega tilbake i jobb etter lang sykmelding", "oppfolging", {"ekspertbistand"}),
    # Nothing said: the entry points (§4 local agreement, §2.6 statistics, §2.5 Idébanken).
    ("kan du hjelpe oss", "lokal_ia_avtale", {"sykefravaersstatistikk", "idebanken"}),
    # §2.3: butikkhandel got a programme in 2025.
    ("vi er en butikk", "bransjeprogram", {"lokal_ia_avtale"}),
    # §2.4 tools for the working environment; §2.9 Arbeidstilsynet's guidance.
    ("mye stress og dårlig arbeidsmiljø i it-bedriften", "arbeidsmiljoportalen", {"arbeidstilsynet"}),
    # §2.3: sykehjem programme since 2019.
    ("høyt sykefravær på sykehjemmet", "bransjeprogram", {"arbeidslivssenter", "sykefravaersstatistikk"}),
    # §2.3: hjemmetjenesten programme from 2025.
    ("mye fravær i hjemmesykepleien", "bransjeprogram", {"arbeidslivssenter"}),
    # §2.3: skole og SFO programme from 2025; §2.4 prevention.
    ("vi er en SFO og vil forebygge sykefravær", "bransjeprogram", {"arbeidsmiljoportalen"}),
    # §2.3: rutebuss og persontrafikk programme since 2019.
    ("bussjåførene våre er mye syke", "bransjeprogram", {"arbeidslivssenter"}),
    # No programme for drosje in any source (§2.3): high absence → Arbeidslivssenter first.
    ("drosjesentralen har høyt sykefravær", "arbeidslivssenter", {"sykefravaersstatistikk"}),
    # §2.3: næringsmiddelindustrien (matproduksjon) programme since 2019.
    ("matproduksjon med mange sykmeldte", "bransjeprogram", {"arbeidslivssenter"}),
    # Fiskeindustri: no source names a programme for it; absence → Arbeidslivssenter.
    ("fiskeindustri med mye sykefravær", "arbeidslivssenter", {"sykefravaersstatistikk"}),
    # §2.3: barnevern programme from 2025.
    ("barnevernet har høyt fravær og mange slutter", "bransjeprogram", {"arbeidslivssenter"}),
    # Restaurant: no programme (§2.3); short absences → tools and own overview.
    ("restauranten har mange korte fravær", "arbeidsmiljoportalen", {"sykefravaersstatistikk"}),
    # Renhold: no programme (§2.3); working environment → Arbeidsmiljøportalen.
    ("renholdsbedrift med tunge løft og belastningsskader", "arbeidsmiljoportalen", {"arbeidstilsynet"}),
    # §2.3: bygg og anlegg; §6 one employee.
    ("en ansatt på byggeplassen har vært sykmeldt i fire måneder", "oppfolging", {"ekspertbistand", "bransjeprogram"}),
    # Nynorsk: §2.1 high absence.
    ("vi har høgt sjukefråvær i kommunen", "arbeidslivssenter", {"sykefravaersstatistikk"}),
    # Nynorsk: §6 + §2.2 one employee.
    ("ein tilsett har vore sjukmeld lenge", "oppfolging", {"ekspertbistand"}),
    # English: prevention, §2.4.
    ("we want to prevent sick leave before it happens", "arbeidsmiljoportalen", {"idebanken"}),
    # English: one employee, §6.
    ("one employee has been on sick leave for months", "oppfolging", {"ekspertbistand"}),
    # Small workplace, high absence, no industry: §2.1 practice (small) lowers Arbeidslivssenter.
    ("vi er 6 ansatte og har mye sykefravær", "sykefravaersstatistikk", {"lokal_ia_avtale"}),
    # Large workplace, high absence: Arbeidslivssenter first (§2.1).
    ("vi er 400 ansatte og har høyt sykefravær", "arbeidslivssenter", {"sykefravaersstatistikk"}),
    # Cooperation in English, §4.
    ("the cooperation between management and the union is poor", "lokal_ia_avtale", {"idebanken"}),
    # Back to work with graded sick leave, §6 (activity duty).
    ("hvordan kan vi bruke gradert sykmelding for å få folk tilbake på jobb", "oppfolging", {"ekspertbistand"}),
]


@pytest.mark.parametrize("text, best, among", TABLE, ids=[row[0][:40] for row in TABLE])
def test_situations_get_the_measures_that_fit(kb, entities_of, text, best, among):
    industries = [value for entity, value in entities_of(text) if entity == "industry"]
    situation = Situation(
        industry=industries[0] if industries else None,
        problems=read_problems(text, kb),
        size=read_size(text, kb),
    )
    ranked = rank(situation, kb)
    keys = [s.option.key for s in ranked]
    assert keys[0] == best, (situation, keys)
    assert among <= set(keys), (situation, keys)
    assert 2 <= len(ranked) <= 3
    for suggestion in ranked:
        assert suggestion.why and "{" not in suggestion.why


def test_the_table_is_large_and_varied():
    assert len(TABLE) >= 30
    assert len({best for _, best, _ in TABLE}) >= 6


def test_a_programme_names_the_industry_and_year(kb):
    [top, *_] = rank(Situation(industry="sykehjem"), kb)
    assert top.option.key == "bransjeprogram"
    assert top.why == "Bransjen deres har et eget IA-bransjeprogram (Sykehjem, fra 2019)."


@pytest.mark.parametrize(
    "text, size",
    [
        ("vi er 12 ansatte", SMALL),
        ("over 250 tilsette", "large"),
        ("liten bedrift", SMALL),
        ("Vi er et lite bakeri", SMALL),
        ("lita verksemd på Voss", SMALL),
        ("vi", None),
        # Whole words only: "slitasjeskadar" holds "lita", and small children make no small workplace.
        ("mange av dei tilsette har slitasjeskadar", None),
        ("en barnehage med små barn", None),
    ],
)
def test_size(kb, text, size):
    assert read_size(text, kb) == size


def test_every_option_can_be_suggested_and_says_how(kb):
    suggested = set()
    for rule in kb.recommender.rules:
        suggested |= {k for k, v in rule.scores.items() if v > 0}
    assert suggested == set(kb.recommender.options)
    for option in kb.recommender.options.values():
        assert option.sources and all(option.fit.values()), option.key


"""Which written standard the user writes: bokmål (`nb`) or nynorsk (`nn`).

A state body answers a private person in writing in the standard the person used
(språklova § 15 first paragraph), chat included. This module decides that from each message
and keeps the choice for the conversation:

- `detect(text)` scores a message from words and forms that differ between the standards
  (kva/hva, korleis/hvordan, ikkje/ikke, eg/jeg, verksemd/virksomhet, tilsett/ansatt,
  sjuk-/syk-, fråvær/fravær, -leg/-lig, -heit/-het, -ar/-er, ...). Case and punctuation do not
  matter; typos are read by folding (o for ø, "ikkkje"), by joining split words
  ("kor leis") and, for longer words only, by rapidfuzz against the marker words. A message
  with no signal, or one in English, gets no verdict (`None`): "ok", "ja", "Vestland", "AMU".
- `read_choice(text)` reads an explicit choice: "svar på nynorsk", "bokmål, takk",
  "answer in nynorsk".
- The conversation rule, `next_standard`, is in actions/standard.py: the actions fold it
  over the conversation.
- `WrittenStandardDetector` is the Rasa NLU component that puts `written_standard` and
  `written_standard_choice` on each parsed message.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from rapidfuzz import process
from rapidfuzz.distance import OSA
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.standard import CHOICE, CHOOSE_INTENT, DEFAULT, NB, NN, VERDICT, page_standard
from bot.component import ConfigComponent


# A message gets a verdict when the winning standard scores at least this and more than the
# other: one strong marker ("kva?") is enough, one weak one ("no", "me", "da") is not.
MIN_SCORE = 2

# Marker words, by weight: 3 = a form of one standard only, common in chat; 2 = one standard
# in practice, or a word that also has another use; 1 = a hint that is not enough alone.
_NN = {
    3: """
        kva kvar kvart kvarandre kven kvifor korleis kvi ikkje ikje ikkj eg noko nokon nokre
        noka berre sjølv sjølve sjølvsagt heile heilt heil fekk gjekk gjer gjere gjera vere
        vera vore vorte verte mykje fleire frå ifrå utan utanfor hjå medan sidan innan difor
        ein eit eitt inga ingi annan ho hennar deira dykk dykkar meir noreg veit seier seie
        seia kjem treng trengst finst synest meiner meinte meine tenkjer tenkje spørje spørja
        spurde jobbar snakkar lagar brukar handlar passar startar kostar varar betalar svarar
        høyrer høyrt skjønar byrjar byrje kallar kallast trur tvilar orkar sluttar fortel
        fortelje gje gjev gjeve sjå ringje ringjer ringde krevje leggje følgje følgjer følgd
        søkje søkjer søkjast tilsetje tilset tilsett tilsette dekkjer tek teke høg høgt høgare
        høgaste skule skulen veke veka veker vekene månad månader måndag måndagar framleis
        førre seinare seinast vidare døme dømet lenkje opningstider opningstida namn namnet
        heiter heitte nyvald vald valt valde val valet kjelde kjelda kjeldene saman allereie
        kjelder enno òg heime heimanfrå heimekontor løn pengar pengane dagar dagane timar timane gong
        gongen gonger fyrste partane partar reglar reglane inneber avtalar avtalane verksemd
        verksemda verksemder verksemdene tillitsvald tillitsvalde verneombod verneombodet
        hovudverneombod hovudverneombodet hovud sjukmeld sjukmelde sjukmelding sjukmeldinga
        sjukefråvær sjukefråværet sjukepengar fråvær fråværet arbeidsgjevar arbeidsgjevaren
        arbeidsgjevarar arbeidsgjevarperioden eigenmelding eige eigen eigne eigentleg
        teieplikt tilskot arbeidsmiljølova oppseiing rettleiing leiar leiaren leiarar leiing
        bedriftshelseteneste bedriftshelsetenesta korsen kåleis kvaffor kvafor kvifør
    """,
    # "anna" is also a name; "stega", "tala", "måla" are also (rare) bokmål; "koss" and
    # "dokker" are also written by bokmål users in the north.
    2: """
        kor dei deim gjeld tyder fell bede verka kome tal sjukt mykkje lenkja koffor kofor
        ligg held driv sit halde anna stega tala måla lova koss kossen dokker dokkar
    """,
    1: "me no ei ka kem høyre vert plikta les",
}
_NB = {
    3: """
        hva hvem hvor hvordan hvorfor hvilken hvilket hvilke hver hvert hverandre hvis ikke
        ikkke ikek jeg noe noen bare selv selve hele helt hel fikk gikk gjør gjøre være vært
        mye flere fra uten utenfor annet annen hun hennes deres dere norge sier kommer trenger
        finnes synes mener spurte jobber snakker handler betaler svarer hører hørt skjønner
        holde ligger holder sitter leser skriver begynner gjelder kaller tror tviler orker
        fortell fortelle fulgt ansette ansetter ansatt ansatte uke uka uken uker ukene måned
        måneden måneder mandag mandager fremdeles forrige senere videre åpningstider
        åpningstiden navn navnet heter nyvalgt valgt valg valget kilde kilden kildene sammen
        allerede hjemme hjemmefra hjemmekontor penger pengene dager dagene stegene tallene
        målene partene parter regler reglene innebærer avtaler avtalene virksomhet
        virksomheten virksomheter virksomhetene tillitsvalgt tillitsvalgte verneombud
        verneombudet hovedverneombud hovedverneombudet hoved sykmeldt sykmeldte sykmelding
        sykmeldingen sykefravær sykefraværet sykepenger fravær fraværet arbeidsgiver
        arbeidsgiveren arbeidsgivere arbeidsgiverperioden egenmelding eget egen egne egentlig
        taushetsplikt tilskudd loven arbeidsmiljøloven oppsigelse veiledning leder lederen
        ledere ledelse bedriftshelsetjeneste bedriftshelsetjenesten hvafor åssen åffer
    """,
    2: """
        nå da siden innen dem mer vet mente spørre bruker passer starter koster slutter kreve
        følger dekker høy høyt høyere fortsatt ringte timer plikten faller bedt virket man et
        ett en se skole skolen driver tall
    """,
    # "i gang" and "enda" ("enda meir") are nynorsk too.
    1: """
        derfor tenker søker tar gir gi lager ringer ringe tilrettelegge tilrettelegger gang
        enda hæ itte je æ
    """,
}

# Parts of longer words (compounds, inflections): (part, standard, weight, where) with where
# "start" (prefix), "end" (suffix) or "in" (anywhere).
_PARTS: List[Tuple[str, str, int, str]] = [
    ("sjuk", NN, 3, "start"),
    ("fråv", NN, 3, "in"),
    ("verksemd", NN, 3, "in"),
    ("gjevar", NN, 3, "in"),
    ("givar", NN, 3, "in"),
    ("takar", NN, 3, "in"),
    ("tillitsvald", NN, 3, "in"),
    ("verneombod", NN, 3, "in"),
    ("tenest", NN, 3, "in"),
    ("eigenmeld", NN, 3, "in"),
    ("tilskot", NN, 3, "in"),
    ("oppseiing", NN, 3, "in"),
    ("rettleie", NN, 3, "in"),
    ("leiar", NN, 3, "in"),
    ("tilsett", NN, 3, "in"),
    ("hovud", NN, 3, "start"),
    ("hoved", NB, 3, "start"),
    ("heit", NN, 3, "end"),
    ("heita", NN, 3, "end"),
    ("heiter", NN, 3, "end"),
    ("arar", NN, 3, "end"),
    ("arane", NN, 3, "end"),
    ("lova", NN, 3, "end"),
    ("syk", NB, 3, "start"),
    ("fravæ", NB, 3, "in"),
    ("fraver", NB, 3, "in"),
    ("virksomhet", NB, 3, "in"),
    ("giver", NB, 3, "in"),
    ("taker", NB, 3, "in"),
    ("tillitsvalgt", NB, 3, "in"),
    ("verneombud", NB, 3, "in"),
    ("tjenest", NB, 3, "in"),
    ("egenmeld", NB, 3, "in"),
    ("tilskudd", NB, 3, "in"),
    ("oppsigelse", NB, 3, "in"),
    ("veiled", NB, 3, "in"),
    ("ansatt", NB, 3, "in"),
    ("het", NB, 3, "end"),
    ("heten", NB, 3, "end"),
    ("heter", NB, 3, "end"),
    ("hetene", NB, 3, "end"),
    ("loven", NB, 2, "end"),
    ("leder", NB, 2, "in"),
]
# Endings that mark a standard in a longer word that is not listed: (ending, standard,
# weight, shortest word).
_ENDINGS: List[Tuple[str, str, int, int]] = [
    ("leg", NN, 2, 5),
    ("legt", NN, 2, 6),
    ("lege", NN, 2, 7),
    ("legare", NN, 2, 8),
    ("legast", NN, 2, 8),
    ("legaste", NN, 2, 9),
    ("ane", NN, 2, 6),
    ("ast", NN, 2, 7),
    ("ande", NN, 2, 8),
    ("lig", NB, 2, 5),
    ("lige", NB, 2, 6),
    ("ligt", NB, 2, 6),
    ("ligere", NB, 2, 8),
    ("ligst", NB, 2, 7),
    ("ligste", NB, 2, 8),
    ("else", NB, 1, 7),
    ("elsen", NB, 1, 8),
    ("elser", NB, 1, 8),
    ("ende", NB, 2, 9),
    ("ingen", NB, 2, 7),
    ("es", NB, 2, 6),
    ("are", NN, 1, 7),
    ("inga", NN, 1, 6),
]
# Words these endings would misread (shared words, English, the doctor in "fastlege").
_NOT_ENDINGS = set(
    """
    kolleg privileg lege legen fastlege fastlegen bedriftslege tannlege overlege allmennlege
    kommunelege bane vane plane hane mane trane fane rane kane humane urbane profane
    kontrast podcast ballast bombast utkast utkastet innkast bofast overlast forecast
    blande lande strande sende vende hende kjende oversende ettersende tilsende avsende
    omvende innvende forklare avklare
    erklare besvare forsvare tilsvare unnvare felles
    """.split()
)
_NOT_SYK = ("sykkel", "sykl")

# Common words written alike in both standards: fuzzy matching leaves them alone.
_SHARED = set(
    """
    og i på til med for av om at som det den er var har hadde kan skal vil må bør kunne
    skulle ville måtte burde blir bli ble blitt få får går gå gjort svar svare svaret
    hjelp hjelpe hjelper takk hei ja nei ok alle mange lite litt godt bra fint når her der
    lenge ofte alltid aldri kanskje gjerne heller også eller men fordi dersom etter før
    under over mellom gjennom rundt hos ved mot lurer lure jobb jobbe jobben arbeid arbeide
    avtale avtalen lokal lokale tiltak tiltaket ordning ordningen kontakt kontakte
    spørsmål spørsmålet møte møtet møter dialogmøte dialogmøtet oppfølging oppfølgingsplan
    oppfølgingsplanen tilrettelegging plikt plikter rett retten lov lovlig kommune kommunen
    fylke fylket bedrift bedriften bedrifter firma firmaet barnehage barnehagen prosent
    mål målet tid tiden år året dag dagen sjef sjefen kollega kollegaen kollegaer
    legen legeerklæring gradert diagnosen diagnose ferie pause tilbake stopp avbryt
    forklare forklar forstår forstå skrive skriv snakke lese sende ringt kurs opplæring
    helse miljø arbeidsmiljø arbeidsmiljøet bransje bransjen bransjeprogram
    bransjeprogrammet virkemiddel mentor ekspertbistand statistikk informasjon
    nettside dokument utkastet steget neste første andre tredje fire fem seks sju åtte
    fortsett fortsette stemmer ferdig sikker usikker sliten vondt ryggen trene reise melde
    evaluere bidra
    involvere inkludere hindre konkret praksis plan planen rolle rollen rolla ansvar
    ansvaret arbeidslivet arbeidslivssenter arbeidslivssenteret arbeidstilsynet
    """.split()
)

# English words: a message with two of them, making up a third of its words, is English and
# gets no verdict (it is answered in bokmål unless the user chooses), even with Norwegian terms
# in it ("what does verneombud mean"). Words that are also Norwegian ("i", "at", "for", "to",
# "man", "her") are left out.
_ENGLISH = set(
    """
    the a an is are was were be been being what who whom where when why how which do does
    did have has my me you your we our us they their them it its this that these those
    there can could should would will shall must may of in on with about from and or not
    yes please thanks thank hello hi get tell give more some any many much long sick leave
    pay employer employee employees agreement workplace representative safety contact
    question answer reply write respond speak if than then just only also too very other
    another same example goals asked help need want know like does doing kindergarten
    programme program sector absences absence short lot delegate every each year years
    report people company business work working job council councils sickness staff
    manager union rules law rights still now should our new old first
    """.split()
)


def _is_english(word: str) -> bool:
    """A word that is English, by the list above or by a spelling Norwegian words lack."""
    if word in _ALSO_ENGLISH:
        return False
    return word in _ENGLISH or (
        len(word) > 3 and ("th" in word or "w" in word or word.endswith(("ies", "tion", "tions")))
    )

# Markers that are English words too ("tell me", "no"): they count only in a message with no
# English word.
_ALSO_ENGLISH = {"me", "no", "man", "eg", "ho", "ein", "se", "hel", "held", "sit"}

_WORD = re.compile(r"[a-zæøåäöüéèêóòôâàáí]+")
_NORWEGIAN_NAMES = (
    ("nynorsk", NN),
    ("bokmål", NB),
    ("bokmal", NB),
    ("bokmaal", NB),
)


@dataclass(frozen=True)
class Verdict:
    """A message's written standard (`nb`, `nn` or None), the winning margin, both scores and
    the words that carried them."""

    standard: Optional[str]
    score: int
    nb: int
    nn: int
    markers: Tuple[Tuple[str, str, int], ...] = ()


def _fold(word: str) -> str:
    """The word as typed on a keyboard without æøå, with a letter typed three times or more
    typed twice: the key for typos that only differ there ("sokjer", "ikkkje"). Doubled
    letters stay: "komme", "tall" and "verre" are words of their own."""
    word = word.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    word = "".join(
        ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch)
    )
    return re.sub(r"(.)\1\1+", r"\1\1", word)


def _table(words: Dict[int, str], standard: str) -> Dict[str, Tuple[str, int]]:
    return {w: (standard, weight) for weight, text in words.items() for w in text.split()}


_LEXICON: Dict[str, Tuple[str, int]] = {**_table(_NB, NB), **_table(_NN, NN)}
assert sum(len(t.split()) for table in (_NB, _NN) for t in table.values()) == len(_LEXICON), (
    "a marker listed twice"
)


def _folded_index() -> Dict[str, Tuple[str, int]]:
    index: Dict[str, Tuple[str, int]] = {}
    clash = set()
    for word, (standard, weight) in _LEXICON.items():
        key = _fold(word)
        if key in index and index[key][0] != standard:
            clash.add(key)
        index[key] = (standard, min(weight, index.get(key, (standard, weight))[1]))
    clash |= {_fold(w) for w in _SHARED}
    return {k: v for k, v in index.items() if k not in clash}


_FOLDED = _folded_index()
# Longer markers for rapidfuzz (short words are too close to other words to guess at).
_FUZZY_KEYS = [w for w, (_, weight) in _LEXICON.items() if weight >= 2 and len(w) >= 7]


def _parts(word: str) -> Optional[Tuple[str, int]]:
    if word in _NOT_ENDINGS:
        return None
    best: Dict[str, int] = {}
    for part, standard, weight, where in _PARTS:
        if len(word) <= len(part) and where != "in":
            continue
        if where == "start" and not word.startswith(part):
            continue
        if where == "end" and not word.endswith(part):
            continue
        if where == "in" and part not in word:
            continue
        if part == "syk" and word.startswith(_NOT_SYK):
            continue
        best[standard] = max(weight, best.get(standard, 0))
    if not best or len(set(best.values())) < len(best):
        return None  # no part, or parts of both standards ("sjukefravær")
    standard = max(best, key=best.get)
    return standard, best[standard]


def _ending(word: str) -> Optional[Tuple[str, int]]:
    if word in _NOT_ENDINGS:
        return None
    for ending, standard, weight, shortest in _ENDINGS:
        if len(word) >= shortest and word.endswith(ending):
            return standard, weight
    return None


def _fuzzy(word: str) -> Optional[Tuple[str, int]]:
    if len(word) < 6 or word in _SHARED:
        return None
    limit = 1 if len(word) < 10 else 2
    hits = process.extract(word, _FUZZY_KEYS, scorer=OSA.distance, score_cutoff=limit, limit=10)
    # A key that only adds or drops an ending is another form of a word, not a typo of it:
    # "gjelde" is not "gjelder", "trenge" not "trenger".
    hits = [hit for hit in hits if not (hit[0].startswith(word) or word.startswith(hit[0]))]
    if not hits:
        return None
    nearest = min(score for _, score, _ in hits)
    standards = {_LEXICON[key][0] for key, score, _ in hits if score == nearest}
    if len(standards) != 1:
        return None
    return standards.pop(), 2


def _mark(word: str) -> Optional[Tuple[str, int]]:
    """The standard a single (lower-case) word points to, with its weight, or None."""
    if word in _LEXICON:
        return _LEXICON[word]
    if word in _SHARED:
        return None
    found = _parts(word)
    if found:
        return found
    folded = _fold(word)
    if folded in _FOLDED:
        return _FOLDED[folded]
    return _fuzzy(word) or _ending(word)


def words(text: str) -> List[str]:
    return _WORD.findall(text.lower()) if isinstance(text, str) else []


@functools.lru_cache(maxsize=1)
def _place_names() -> frozenset:
    """One-word names of counties, municipalities and towns (data/ia/): "Sykkylven" is a
    place, not "syk-", whoever writes it. A name that is itself a marker word stays one."""
    from actions.knowledge import load

    kinds = {"county", "municipality", "place"}
    names = {alias.lower() for kind, _, alias in load().names() if kind in kinds}
    return frozenset(n for n in names if " " not in n and "-" not in n and n not in _LEXICON)


def detect(text: str) -> Verdict:
    """The written standard of one message (see the module docstring)."""
    tokens = words(text)
    english = sum(1 for t in tokens if _is_english(t))
    if english >= 2 and english * 3 >= len(tokens):
        return Verdict(None, 0, 0, 0)
    score = {NB: 0, NN: 0}
    markers = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        # A word split by a typo: "kor leis", "hvor dan".
        if i + 1 < len(tokens) and word not in _LEXICON and tokens[i + 1] not in _LEXICON:
            joined = word + tokens[i + 1]
            if joined in _LEXICON:
                word, i = joined, i + 1
        found = None if word in _place_names() else _mark(word)
        if found:
            standard, weight = found
            if english and word in _ALSO_ENGLISH:
                weight = 0
            score[standard] += weight
            markers.append((word, standard, weight))
        i += 1
    best = max((NB, NN), key=lambda s: score[s])
    other = NN if best == NB else NB
    margin = score[best] - score[other]
    if score[best] >= MIN_SCORE and margin > 0:
        return Verdict(best, margin, score[NB], score[NN], tuple(markers))
    return Verdict(None, 0, score[NB], score[NN], tuple(markers))


def written_standard(text: str) -> Optional[str]:
    return detect(text).standard


def message_standard(text: Any, metadata: Any = None) -> str:
    """The standard to answer one message in when the conversation is not at hand (a channel
    refusing it, a fault before the NLU): the one it chooses or is written in, else the page's
    (`lang` in its metadata), else bokmål."""
    text = text if isinstance(text, str) else ""
    return read_choice(text) or written_standard(text) or page_standard(metadata) or DEFAULT


# -- explicit choice ---------------------------------------------------------------------------

_NEGATION = {"ikke", "ikkje", "ikkj", "ikje", "not", "no", "uten", "utan"}
# Words that ask the assistant to write in a standard, in both standards and English.
_ASK = set(
    """
    svar svare svara svarer svarar skriv skrive skriva skriver snakk snakke snakka prat
    prate prata bruk bruke bruka forklar forklare forklara bytt bytte byt byte endre endra
    ha answer reply respond write speak talk use switch change continue fortsett fortsette
    halde hald gå
    """.split()
)
# Words that may stand around a bare choice ("nynorsk, takk", "på bokmål please").
_POLITE = set(
    """
    takk tack please pls gjerne helst heller er du snill snil ver vær så bra ja ok kan på over til
    men eg jeg vil ønskjer ønsker foretrekker føretrekkjer og in to i would like prefer rather
    thanks yes
    """.split()
)


def _standard_name(word: str) -> Optional[str]:
    if len(word) < 5:
        return None
    for name, standard in _NORWEGIAN_NAMES:
        if word == name or (len(word) >= 6 and OSA.distance(word, name) <= 1):
            return standard
    return None


# Words of a choice message besides the standard's name ("kan du svare meg på nynorsk?").
_AROUND_A_CHOICE = set(
    """
    kan kunne du dere de meg oss eg jeg vi me vil at fra frå nå no av heretter resten ta ver vær
    igjen tilbake can could would you me from now on again back
    """.split()
)


def is_only_a_choice(text: str) -> bool:
    """True when `text` chooses a standard and says nothing else ("svar på nynorsk",
    "bokmål, takk"); false for "kan du svare på nynorsk om kva verneombodet gjer?", a choice
    with a question: that question is answered, in the standard chosen."""
    if not read_choice(text):
        return False
    rest = [
        w for w in words(text.lower().replace("ny norsk", "nynorsk").replace("bok mål", "bokmål"))
        if not _standard_name(w) and w not in _ASK | _POLITE | _NEGATION | _AROUND_A_CHOICE
    ]
    return not rest


def read_choice(text: str) -> Optional[str]:
    """`nn` or `nb` when the message asks for answers in that standard, else None.

    A choice is a message that is only the standard's name, with polite words around it
    ("nynorsk, takk", "på bokmål", "bokmål please"), or one that asks the assistant to write,
    answer or switch in it ("svar på nynorsk", "kan du skrive nynorsk?", "answer in nynorsk",
    "bytt til bokmål"). "ikkje bokmål" chooses the other. Talking about a standard ("kva er
    nynorsk?", "bokmål eller nynorsk?") chooses nothing.
    """
    if not isinstance(text, str):
        return None
    text = text.lower().replace("ny norsk", "nynorsk").replace("bok mål", "bokmål")
    tokens = words(text)
    found = []
    for i, word in enumerate(tokens):
        standard = _standard_name(word)
        if standard:
            before = tokens[max(0, i - 2) : i]
            if any(b in _NEGATION for b in before):
                standard = NB if standard == NN else NN
            found.append((i, standard))
    if not found or len({s for _, s in found}) != 1:
        return None
    standard = found[0][1]
    names = {i for i, _ in found}
    rest = [t for i, t in enumerate(tokens) if i not in names]
    if all(t in _POLITE or t in _NEGATION for t in rest):
        return standard
    first = found[0][0]
    asks = [i for i, t in enumerate(tokens[:first]) if t in _ASK]
    for i in asks:
        if i > 0 and tokens[i - 1] in {"å", "to"}:
            continue  # "er det lov å skrive nynorsk?" talks about writing, it does not ask
        if first - i <= 4:
            return standard
    return None


# -- the NLU component -------------------------------------------------------------------------


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class WrittenStandardDetector(ConfigComponent):
    """Puts the message's written standard (`written_standard`: nb, nn or None) and an explicit
    choice (`written_standard_choice`: nb, nn or None) on each message; Rasa leaves keys whose
    value is None out of the parse data."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            message.set(VERDICT, written_standard(text), add_to_output=True)
            message.set(CHOICE, read_choice(text), add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class WrittenStandardChoice(ConfigComponent, IntentClassifier):
    """After the intent classifiers: a message that only chooses a standard ("svar på
    nynorsk") gets the intent `choose_written_standard`, whatever the classifier made of it; a
    message the classifier took for a choice that does not choose ("kva er nynorsk?") gets its next intent."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            ranking = message.get(INTENT_RANKING_KEY) or []
            if is_only_a_choice(text):
                verdict = {"name": CHOOSE_INTENT, "confidence": 1.0}
                message.set(INTENT, verdict, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [verdict] + [r for r in ranking if r.get("name") != CHOOSE_INTENT], add_to_output=True)
            elif (message.get(INTENT) or {}).get("name") == CHOOSE_INTENT:
                others = [r for r in ranking if r.get("name") != CHOOSE_INTENT]
                if others:
                    message.set(INTENT, others[0], add_to_output=True)
                    message.set(INTENT_RANKING_KEY, others, add_to_output=True)
        return messages

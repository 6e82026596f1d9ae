"""Where the user is: a county, a municipality or a town, read from the NLU's entities or from
free text ("vi er i Molde", "Rogalnd", "i Tromsø-området"). A name that means several places
(Herøy, Viken) or a weak fuzzy match gives candidates to ask about; nothing is guessed silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from rapidfuzz import fuzz, process

from actions import phrases
from actions.knowledge import KnowledgeBase

COUNTY, MUNICIPALITY, TOWN = "county", "municipality", "town"
# A fuzzy match is taken without asking from this score, if no other place comes close.
SURE = 90
# Below this a name is not a candidate at all.
CANDIDATE = 80
# In a whole question (not an answer to "where?"), a fuzzy name must be at least this close.
LIKELY = 85
CLOSE = 4
MAX_CANDIDATES = 4
# Words around a place name in a message or an answer.
_AROUND = re.compile(
    r"^(?:(?:vi|me|eg|jeg|we|i|we're|i'm|er|is|are|holder|held|til|jobber|jobbar|arbeider|work|based|"
    r"ligger|ligg|bor|bur|sitter|sit|og|and|hva|kva|what|how|about|med|om|in|i|på|pa|fra|frå|from|at|near|"
    r"rundt|kring|ved|nær|kommune|kommun)\s+)+"
)
# Words of a question about a place that are never its name. The nynorsk ones include words
# close enough to a name to be read as a typo of it: "staden" (Stad), "rolla" (Rollag),
# "kjelder" (Kjeller).
QUESTION_WORDS = {
    "hvilket", "hvilken", "kva", "fylke", "fylket", "ligger", "ligg", "høyrer", "hører", "kommune", "kommunen",
    "which", "county", "municipality", "where", "kontakt", "kontakte", "hjelp", "hjelpe",
    "kven", "kvar", "korleis", "kontaktar", "staden", "stader", "stadene", "rolla", "kjelde", "kjelda", "kjelder",
}
_SUFFIX_WORDS = re.compile(
    r"\s+(?:kommune|kommun|fylke|fylkeskommune|county|municipality|area|region|sentrum|by|city)$"
)
_COMPOUND = re.compile(r"(?:-| )?(?:området|omradet|regionen|distriktet|traktene|området\w*)$")


@dataclass(frozen=True)
class Place:
    """One place: `name` is what to call it, `counties` the county or counties of 2024 it lies in
    (several only for a county that was split), `municipality` for a municipality or a town."""

    kind: str
    name: str
    counties: Tuple[str, ...]
    municipality: Optional[str] = None

    @property
    def county(self) -> str:
        return self.counties[0]

    def entities(self) -> Dict[str, str]:
        """The entities that name exactly this place (for a button payload)."""
        if self.kind == COUNTY:
            return {"county": self.county}
        if self.kind == TOWN:
            return {"place": self.name, "municipality": self.municipality}
        return {"municipality": self.name, "county": self.county}


@dataclass(frozen=True)
class Found:
    """What was read: one place (`place`), or candidates to ask about, or nothing."""

    said: str
    candidates: Tuple[Place, ...] = ()
    fuzzy: bool = False
    score: float = 0.0

    @property
    def place(self) -> Optional[Place]:
        """The one place meant: also when the names all lie in one county and say the same
        ("Oslo" is a county and a municipality), the first, broadest one."""
        if self.fuzzy and self.score < SURE:
            return None
        if len({p.counties for p in self.candidates}) == 1 and len({p.name for p in self.candidates}) == 1:
            return self.candidates[0]
        return None

def normalise(text: str) -> str:
    text = text.lower().replace("–", "-")
    text = re.sub(r"[^\w\s-]", " ", text)
    return " ".join(text.split()).strip("-")


def stems(name: str) -> List[str]:
    """The forms a place name may be written in, plainest last: "bergensområdet" -> bergens,
    bergen; "tromsø kommune" -> tromsø."""
    forms = [name]
    bare = _SUFFIX_WORDS.sub("", name)
    bare = _COMPOUND.sub("", bare).strip("- ")
    if bare and bare != name:
        forms.append(bare)
    if bare.endswith("s") and len(bare) > 4:
        forms.append(bare[:-1])
    return forms


class Gazetteer:
    """Every place name the knowledge base knows, normalised, with the places it names."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.kb = knowledge
        self.names: Dict[str, List[Place]] = {}
        for key, county in knowledge.counties.items():
            place = Place(COUNTY, county.name, (key,))
            for alias in (county.name, *county.aliases):
                self._add(alias, place)
        for former in knowledge.former_counties.values():
            for alias in (former.name, *former.aliases):
                for key in former.became:
                    self._add(alias, Place(COUNTY, knowledge.counties[key].name, (key,)))
        for name in knowledge.municipalities:
            for place in self.municipality(name):
                self._add(name, place)
        for other, name in knowledge.municipality_names.items():
            for place in self.municipality(name):
                self._add(other, place)
        for town in knowledge.towns:
            for place in self.town(town):
                self._add(town, place)
        self.choices = list(self.names)

    def _add(self, alias: str, place: Place) -> None:
        places = self.names.setdefault(normalise(alias), [])
        if place not in places:
            places.append(place)

    # ----- places by name -------------------------------------------------------------
    def municipality(self, name: str) -> List[Place]:
        """One place per county: Herøy and Våler are two municipalities each."""
        return [Place(MUNICIPALITY, name, (c,), name) for c in self.kb.counties_of_municipality(name)]

    def town(self, name: str) -> List[Place]:
        """One place per municipality a town name is found in (usually one)."""
        return [
            Place(TOWN, name, (county,), municipality)
            for municipality in self.kb.towns.get(name, ())
            for county in self.kb.municipalities[municipality]
        ]

    def county(self, key: str) -> List[Place]:
        if key in self.kb.counties:
            return [Place(COUNTY, self.kb.counties[key].name, (key,))]
        former = self.kb.former_counties.get(key)
        return [Place(COUNTY, self.kb.counties[k].name, (k,)) for k in former.became] if former else []

    # ----- reading ----------------------------------------------------------------------
    def from_entities(self, entities: Sequence[Dict[str, Any]]) -> Found:
        """The place the NLU's entities name: the most specific one (a town, then a
        municipality, then a county), a county narrowing down a name that exists twice.
        `said` is the text the entity was found in ("Hordaland", "Bergensområdet")."""
        def said(entity: Dict[str, Any]) -> str:
            return str(entity.get("text") or entity.get("value") or "")

        def score(entity: Dict[str, Any]) -> float:
            return 100 * float(entity.get("confidence_entity") or 1.0)

        def fuzzy(entity: Dict[str, Any]) -> bool:
            # The NLU's gazetteer matched a typo ("Rogalnd"): say what it was taken for.
            return score(entity) < 100

        counties = [e for e in entities if e.get("entity") == "county"]
        named_municipalities = {str(e.get("value")) for e in entities if e.get("entity") == "municipality"}
        in_counties = [p for e in counties for p in self.county(str(e.get("value")))]
        specific = [e for e in entities if e.get("entity") == "place" and e.get("value") in self.kb.towns]
        specific += [e for e in entities if e.get("entity") == "municipality"]
        for entity in specific:
            value = str(entity.get("value"))
            places = self.town(value) if entity.get("entity") == "place" else self.municipality(value)
            narrowed = [p for p in places if any(p.county == c.county for c in in_counties)]
            if entity.get("entity") == "place":
                # "Sand i Suldal": the municipality named with a town narrows it down.
                narrowed = [p for p in narrowed or places if p.municipality in named_municipalities] or narrowed
            if places:
                return Found(said(entity), tuple(narrowed or places), fuzzy(entity), score(entity))
        if in_counties:
            return Found(said(counties[0]), tuple(dict.fromkeys(in_counties)), fuzzy(counties[0]), score(counties[0]))
        return Found("")

    def read(self, text: str, min_fuzzy: float = CANDIDATE) -> Found:
        """The place a short answer names: exact names (in any of their written forms) in the
        text first, longest first; else the closest name, fuzzy."""
        said = normalise(text)
        bare = _AROUND.sub("", said)
        exact = self._exact(bare)
        if exact:
            return exact
        words = bare.split()
        for size in range(min(4, len(words)), 0, -1):
            for i in range(len(words) - size + 1):
                if size == 1 and len(words) > 3 and (len(words[i]) < 3 or words[i] in QUESTION_WORDS):
                    continue  # in a whole question, "os" or "bø" is rarely the place
                found = self._exact(" ".join(words[i : i + size]))
                if found:
                    return found
        # A typo: the whole answer, or one of its longer words ("what county is Lilehammer in").
        tries = [self._fuzzy(bare)] + [self._fuzzy(w) for w in words if len(w) >= 5 and w != bare and w not in QUESTION_WORDS]
        best = max(tries, key=lambda f: (bool(f.place), f.score, -len(f.candidates)))
        return best if best.score >= min_fuzzy else Found(said)

    def _exact(self, phrase: str) -> Optional[Found]:
        for form in stems(phrase):
            if form in self.names:
                return Found(phrase, tuple(self.names[form]))
        # "Herøy i Nordland", "Sand i Suldal": a county or municipality after the name narrows it.
        match = re.match(r"^(.+?)(?:\s+i|\s+in|,)?\s+(\S.*)$", phrase)
        if match and match.group(1) in self.names and match.group(2) in self.names:
            within = self.names[match.group(2)]
            counties = {p.county for p in within if p.kind == COUNTY}
            municipalities = {p.municipality for p in within if p.kind == MUNICIPALITY}
            narrowed = [
                p for p in self.names[match.group(1)]
                if p.kind != COUNTY and (p.county in counties or p.municipality in municipalities)
            ]
            if narrowed:
                return Found(phrase, tuple(narrowed))
        return None

    def _fuzzy(self, phrase: str) -> Found:
        if len(phrase) < 4:
            return Found(phrase)
        scored: Dict[str, float] = {}
        for form in stems(phrase):
            for name, score, _ in process.extract(form, self.choices, scorer=fuzz.ratio, limit=MAX_CANDIDATES, score_cutoff=CANDIDATE):
                scored[name] = max(score, scored.get(name, 0))
        if not scored:
            return Found(phrase)
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
        best_name, best = ranked[0]
        close = [name for name, score in ranked if best - score < CLOSE]
        places = tuple(dict.fromkeys(p for name in close for p in self.names[name]))
        if best >= SURE and len(close) == 1:
            return Found(phrase, tuple(self.names[best_name]), fuzzy=True, score=best)
        return Found(phrase, places[:MAX_CANDIDATES], fuzzy=True, score=best)


_BUILT: Dict[int, Gazetteer] = {}


def gazetteer(knowledge: KnowledgeBase) -> Gazetteer:
    """The place names of `knowledge`, indexed once per knowledge base."""
    if id(knowledge) not in _BUILT:
        _BUILT[id(knowledge)] = Gazetteer(knowledge)
    return _BUILT[id(knowledge)]


def names(knowledge: KnowledgeBase, keys: Iterable[str]) -> str:
    """"Akershus, Buskerud og Østfold", in the conversation's written standard."""
    listed = [knowledge.counties[k].name for k in keys]
    if len(listed) == 1:
        return listed[0]
    return phrases.text("contacts.list_and", items=", ".join(listed[:-1]), last=listed[-1])

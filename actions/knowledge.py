"""The one loader of the knowledge base in data/ia/.

Both the action server (answers) and the NLU gazetteer (names to recognise) read the
knowledge base through this module, so a fact or a name lives in one place only.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import yaml

from actions import phrases
# The two written standards every text the user sees exists in (språklova § 15): bokmål, nynorsk.
from actions.standard import DEFAULT as DEFAULT_STANDARD, STANDARDS

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "ia"

# Fields that hold text a user reads: each must give both standards, {nb: ..., nn: ...}.
# (Names of places, bodies and centres are proper names and stay as they are.)
TEXT_FIELDS = {
    "question", "answer", "why", "example", "help", "intro", "resume", "paused", "cancelled",
    "cancelled_after_draft", "done", "for", "fits", "not_fit", "asks", "first_step", "council_note",
    "heading",
}

# Which entity carries the key of an entry, per intent that answers from a keyed collection.
ENTITY_OF_INTENT = {
    "ask_role": "ia_role",
    "ask_role_rules": "ia_role",
    "ask_sick_leave_followup": "milestone",
    "ask_measures": "measure",
}


# The intent that starts the guided local IA agreement; a `next` may point to it.
DIALOGUE_START = "start_local_agreement"
STEP_KINDS = {
    "text", "yes_no_or_name", "intention", "period", "percent", "measures", "confirm", "industry", "problem", "place",
}
FIT_FIELDS = ("for", "fits", "not_fit", "asks", "first_step")
BASES = {"mal", "god_praksis"}


class KnowledgeError(ValueError):
    """The knowledge base is malformed (missing field, unknown reference, ...)."""


@dataclass(frozen=True)
class Source:
    url: str
    date: Optional[str] = None


@dataclass(frozen=True)
class Detail:
    """A part of an entry's answer given only when the question asks about it (`about` matches
    the message): "Har verneombudet taushetsplikt?" gets the rules for verneombud and the part
    on confidentiality, not every detail of the role."""

    key: str
    title: str
    about: "re.Pattern[str]"
    answer: str


@dataclass(frozen=True)
class Entry:
    """Something the assistant can answer: a readable question, the answer and its sources."""

    ref: str
    question: str
    answer: str
    sources: Tuple[Source, ...]
    next: Tuple[str, ...] = ()
    aliases: Tuple[str, ...] = ()
    name: Optional[str] = None
    details: Tuple[Detail, ...] = ()


@dataclass(frozen=True)
class Industry:
    key: str
    name: str
    aliases: Tuple[str, ...]
    bransjeprogram: Optional[dict]
    sources: Tuple[Source, ...]


@dataclass(frozen=True)
class County:
    key: str
    name: str
    aliases: Tuple[str, ...]
    council_note: Optional[str]
    sources: Tuple[Source, ...]


@dataclass(frozen=True)
class FormerCounty:
    key: str
    name: str
    aliases: Tuple[str, ...]
    became: Tuple[str, ...]
    sources: Tuple[Source, ...]


@dataclass(frozen=True)
class Step:
    """One step of a guided dialogue: what it asks, how an answer is read, and its basis."""

    key: str
    slot: str
    title: str
    kind: str
    optional: bool
    basis: str
    question: str
    why: str
    example: str
    help: str
    buttons: Tuple[str, ...]
    choices: Dict[str, str]
    sources: Tuple[Source, ...]


@dataclass(frozen=True)
class Guide:
    """The guided local IA agreement (data/ia/agreement.yml): texts, steps and the draft."""

    entry: Entry
    texts: Dict[str, str]
    steps: Tuple[Step, ...]
    draft: dict

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.key == key)


@dataclass(frozen=True)
class FormWords:
    """What steers a guided dialogue (data/ia/forms.yml): commands and yes/no words."""

    commands: Dict[str, Tuple[str, ...]]
    yes: Tuple[str, ...]
    no: Tuple[str, ...]


@dataclass(frozen=True)
class Option:
    """Something the assistant can suggest for a situation: a measure, or other help."""

    key: str
    name: str
    fit: Dict[str, str]
    sources: Tuple[Source, ...]
    # The question answering more about it ("ask_measures/ekspertbistand"), if there is one.
    ref: Optional[str] = None


@dataclass(frozen=True)
class Rule:
    when: str
    scores: Dict[str, int]
    why: Dict[str, str]


@dataclass(frozen=True)
class Recommender:
    """data/ia/recommend.yml: the options, the problems users describe and the rule table."""

    options: Dict[str, Option]
    problems: Dict[str, Tuple[str, Tuple["re.Pattern[str]", ...]]]
    small_below: int
    size_words: Dict[str, "re.Pattern[str]"]
    rules: Tuple[Rule, ...]
    steps: Tuple[Step, ...]
    industry_not_needed_for: Tuple[str, ...] = ()


@dataclass
class KnowledgeBase:
    topics: Dict[str, Entry]
    roles_overview: Entry
    roles: Dict[str, Entry]
    role_rules_overview: Entry
    role_rules: Dict[str, Entry]
    sick_leave_overview: Entry
    milestones: Dict[str, Entry]
    measures_overview: Entry
    measures: Dict[str, Entry]
    industries: Dict[str, Industry]
    counties: Dict[str, County]
    former_counties: Dict[str, FormerCounty]
    municipalities: Dict[str, Tuple[str, ...]]
    agreement: Guide
    form_words: FormWords
    recommender: Recommender
    municipality_sources: Tuple[Source, ...] = field(default_factory=tuple)
    # Other names of municipalities (Sami and Kven official names, old names) -> the name above.
    municipality_names: Dict[str, str] = field(default_factory=dict)
    # Towns and other places that are not municipalities -> their municipality, or several
    # municipalities for a name found in more than one (places.yml).
    towns: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    town_sources: Tuple[Source, ...] = field(default_factory=tuple)

    # ----- look-ups -------------------------------------------------------------------
    def collection(self, intent: str) -> Tuple[Entry, Dict[str, Entry]]:
        """The overview entry and the keyed entries an intent answers from."""
        if intent == "ask_role":
            return self.roles_overview, self.roles
        if intent == "ask_role_rules":
            return self.role_rules_overview, self.role_rules
        if intent == "ask_sick_leave_followup":
            return self.sick_leave_overview, self.milestones
        if intent == "ask_measures":
            return self.measures_overview, self.measures
        raise KeyError(intent)

    def resolve(self, ref: str) -> Entry:
        """The entry a `next` reference ("intent" or "intent/key") points to."""
        intent, _, key = ref.partition("/")
        if intent in ENTITY_OF_INTENT:
            overview, entries = self.collection(intent)
            if not key:
                return overview
            if key in entries:
                return entries[key]
        elif intent in self.topics and not key:
            return self.topics[intent]
        elif ref == DIALOGUE_START:
            return self.agreement.entry
        raise KeyError(ref)

    @staticmethod
    def payload(ref: str) -> str:
        """The Rasa button payload that asks the question of a reference."""
        intent, _, key = ref.partition("/")
        if key:
            return "/" + intent + json.dumps({ENTITY_OF_INTENT[intent]: key}, ensure_ascii=False)
        return "/" + intent

    def entries(self) -> Iterator[Entry]:
        yield from self.topics.values()
        for intent in ENTITY_OF_INTENT:
            overview, entries = self.collection(intent)
            yield overview
            yield from entries.values()

    def counties_of_municipality(self, name: str) -> Tuple[str, ...]:
        return self.municipalities.get(name, ())

    def names(self) -> Iterator[Tuple[str, str, str]]:
        """Every (entity, value, alias) the NLU should recognise in a user's text."""
        for intent, entity in ENTITY_OF_INTENT.items():
            _, entries = self.collection(intent)
            for key, entry in entries.items():
                for alias in entry.aliases:
                    yield entity, key, alias
        for key, industry in self.industries.items():
            for alias in industry.aliases:
                yield "industry", key, alias
        for key, county in self.counties.items():
            for alias in (county.name, *county.aliases):
                yield "county", key, alias
        for key, former in self.former_counties.items():
            for alias in (former.name, *former.aliases):
                yield "county", key, alias
        for name in self.municipalities:
            yield "municipality", name, name
        for other, name in self.municipality_names.items():
            yield "municipality", name, other
        for town in self.towns:
            yield "place", town, town


# ----- parsing ------------------------------------------------------------------------
def _require(data: dict, key: str, where: str):
    if key not in data or data[key] in (None, "", []):
        raise KnowledgeError(f"{where}: '{key}' is missing")
    return data[key]


def _sources(data: dict, where: str, required: bool = True) -> Tuple[Source, ...]:
    return parse_sources(data.get("sources"), where, required)


def parse_sources(raw: Any, where: str, required: bool = True) -> Tuple[Source, ...]:
    """A list of sources (URLs, each optionally with a date), checked."""
    raw = raw or []
    if required and not raw:
        raise KnowledgeError(f"{where}: 'sources' is missing")
    out = []
    for item in raw:
        if isinstance(item, str):
            item = {"url": item}
        url = _require(item, "url", where)
        if not str(url).startswith(("https://", "http://")):
            raise KnowledgeError(f"{where}: source '{url}' is not a URL")
        date = item.get("date")
        out.append(Source(url=str(url), date=str(date) if date is not None else None))
    return tuple(out)


def _aliases(data: dict) -> Tuple[str, ...]:
    return tuple(str(a).strip().lower() for a in data.get("aliases") or () if str(a).strip())


def _entry(ref: str, data: dict, where: str) -> Entry:
    return Entry(
        ref=ref,
        question=str(_require(data, "question", where)).strip(),
        answer=str(_require(data, "answer", where)).strip(),
        sources=_sources(data, where),
        next=tuple(data.get("next") or ()),
        aliases=_aliases(data),
        name=str(data["name"]) if data.get("name") else None,
        details=tuple(
            Detail(
                key=str(key),
                title=str(_require(part, "title", f"{where}.details.{key}")),
                about=re.compile(str(_require(part, "about", f"{where}.details.{key}")), re.IGNORECASE),
                answer=str(_require(part, "answer", f"{where}.details.{key}")).strip(),
            )
            for key, part in (data.get("details") or {}).items()
        ),
    )


def _keyed(intent: str, data: dict, where: str) -> Dict[str, Entry]:
    return {
        str(key): _entry(f"{intent}/{key}", value, f"{where}.{key}")
        for key, value in (data or {}).items()
    }


def _is_bilingual(value: Any) -> bool:
    return isinstance(value, dict) and bool(set(value) & set(STANDARDS))


def localise(data: Any, standard: str, where: str) -> Any:
    """`data` with every {nb: ..., nn: ...} text replaced by its text in `standard`. A text that
    gives only one standard, or a TEXT_FIELDS field with plain text, is refused: a fact cannot
    ship in one written standard only."""
    if _is_bilingual(data):
        missing = [s for s in STANDARDS if data.get(s) in (None, "", [])]
        extra = [k for k in data if k not in STANDARDS]
        if missing or extra:
            raise KnowledgeError(f"{where}: needs exactly {' and '.join(STANDARDS)}; missing {missing}, unknown {extra}")
        return data[standard]
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key in TEXT_FIELDS and isinstance(value, str):
                raise KnowledgeError(f"{where}.{key}: text in one written standard only (give nb and nn)")
            out[key] = localise(value, standard, f"{where}.{key}")
        return out
    if isinstance(data, list):
        return [localise(value, standard, f"{where}[{i}]") for i, value in enumerate(data)]
    return data


@functools.lru_cache(maxsize=64)
def _localised(path: Path, standard: str) -> Any:
    """A file of the knowledge base in one standard, read and checked once per process."""
    with path.open(encoding="utf-8") as fh:
        return localise(yaml.safe_load(fh), standard, path.name)


def read_localised(directory: Path, name: str, standard: str = DEFAULT_STANDARD) -> dict:
    path = directory / name
    data = _localised(path, standard)
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected a mapping at the top")
    return data


def _check_references(kb: KnowledgeBase) -> None:
    unknown_roles = [key for key in kb.role_rules if key not in kb.roles]
    if unknown_roles:
        raise KnowledgeError(f"role_rules.yml: keys that are no role in roles.yml: {unknown_roles}")
    for entry in kb.entries():
        for ref in entry.next:
            try:
                kb.resolve(ref)
            except KeyError:
                raise KnowledgeError(f"{entry.ref}: next '{ref}' points to nothing") from None
    for option in kb.recommender.options.values():
        if option.ref:
            try:
                kb.resolve(option.ref)
            except KeyError:
                raise KnowledgeError(f"option {option.key}: ref '{option.ref}' points to nothing") from None
    for key, former in kb.former_counties.items():
        unknown = [c for c in former.became if c not in kb.counties]
        if unknown:
            raise KnowledgeError(f"former county {key}: unknown counties {unknown}")
    for name, counties in kb.municipalities.items():
        unknown = [c for c in counties if c not in kb.counties]
        if unknown:
            raise KnowledgeError(f"municipality {name}: unknown counties {unknown}")
    named = [(other, name) for other, name in kb.municipality_names.items()]
    named += [(town, name) for town, names in kb.towns.items() for name in names]
    for other, name in named:
        if name not in kb.municipalities:
            raise KnowledgeError(f"{other}: unknown municipality '{name}'")


def parse_step(data: dict, where: str, slot_prefix: str) -> Step:
    key = str(_require(data, "key", where))
    where = f"{where}.{key}"
    kind = _require(data, "kind", where)
    if kind not in STEP_KINDS:
        raise KnowledgeError(f"{where}: unknown kind '{kind}'")
    basis = _require(data, "basis", where)
    if basis not in BASES:
        raise KnowledgeError(f"{where}: unknown basis '{basis}'")
    choices = {str(k): str(v) for k, v in (data.get("choices") or {}).items()}
    return Step(
        key=key,
        slot=slot_prefix + key,
        title=str(_require(data, "title", where)),
        kind=kind,
        optional=bool(data.get("optional", False)),
        basis=basis,
        question=str(_require(data, "question", where)).strip(),
        why=str(_require(data, "why", where)).strip(),
        example=str(_require(data, "example", where)).strip(),
        help=str(_require(data, "help", where)).strip(),
        buttons=tuple(str(b) for b in data.get("buttons") or ()),
        choices=choices,
        sources=_sources(data, where),
    )


def _guide(data: dict) -> Guide:
    where = "agreement.yml"
    prefix = str(_require(data, "slot_prefix", where))
    steps = tuple(parse_step(s, f"{where}.steps", prefix) for s in _require(data, "steps", where))
    keys = [s.key for s in steps]
    if len(set(keys)) != len(keys):
        raise KnowledgeError(f"{where}: a step key is used twice")
    draft = _require(data, "draft", where)
    shown = [k for section in _require(draft, "sections", f"{where}.draft") for k in section["steps"]]
    unknown = [k for k in shown if k not in keys]
    if unknown:
        raise KnowledgeError(f"{where}: the draft shows unknown steps {unknown}")
    texts = {
        name: str(_require(data, name, where)).strip()
        for name in ("intro", "resume", "paused", "cancelled", "cancelled_after_draft", "done")
    }
    entry = Entry(
        ref=DIALOGUE_START,
        question=str(_require(data, "title", where)),
        answer=texts["intro"],
        sources=_sources(data, where),
    )
    return Guide(entry=entry, texts=texts, steps=steps, draft=draft)


def _fit(data: dict, where: str) -> Dict[str, str]:
    fit = _require(data, "fit", where)
    return {name: str(_require(fit, name, f"{where}.fit")).strip() for name in FIT_FIELDS}


def _recommender(data: dict, measures: dict) -> Recommender:
    where = "recommend.yml"
    options: Dict[str, Option] = {}
    for key, value in _require(measures, "measures", "measures.yml").items():
        options[str(key)] = Option(
            key=str(key),
            name=str(_require(value, "name", f"measures.{key}")),
            fit=_fit(value, f"measures.{key}"),
            sources=_sources(value, f"measures.{key}") + _sources(value["fit"], f"measures.{key}.fit", required=False),
            ref=f"ask_measures/{key}",
        )
    for key, value in _require(data, "options", where).items():
        options[str(key)] = Option(
            key=str(key),
            name=str(_require(value, "name", f"{where}.{key}")),
            fit=_fit(value, f"{where}.{key}"),
            sources=_sources(value, f"{where}.{key}"),
            ref=value.get("ref"),
        )
    problems = {
        str(key): (
            str(_require(value, "title", f"{where}.problems.{key}")),
            tuple(re.compile(p) for p in _require(value, "patterns", f"{where}.problems.{key}")),
        )
        for key, value in _require(data, "problems", where).items()
    }
    conditions = set(problems) | {"programme", "no_programme", "small", "nothing"}
    rules = []
    for number, rule in enumerate(_require(data, "rule_table", where), start=1):
        here = f"{where}.rule_table[{number}]"
        when = _require(rule, "when", here)
        if when not in conditions:
            raise KnowledgeError(f"{here}: unknown condition '{when}'")
        scores = {str(k): int(v) for k, v in _require(rule, "scores", here).items()}
        why = {str(k): str(v) for k, v in (rule.get("why") or {}).items()}
        unknown = [k for k in list(scores) + list(why) if k not in options]
        if unknown:
            raise KnowledgeError(f"{here}: unknown options {unknown}")
        missing = [k for k, v in scores.items() if v > 0 and k not in why]
        if missing:
            raise KnowledgeError(f"{here}: no reason given for {missing}")
        rules.append(Rule(when=when, scores=scores, why=why))
    prefix = str(_require(data, "slot_prefix", where))
    return Recommender(
        options=options,
        problems=problems,
        small_below=int(_require(data, "small_below", where)),
        size_words={k: re.compile(v) for k, v in _require(data, "size_words", where).items()},
        rules=tuple(rules),
        steps=tuple(parse_step(s, f"{where}.steps", prefix) for s in _require(data, "steps", where)),
        industry_not_needed_for=tuple(data.get("industry_not_needed_for") or ()),
    )


def _form_words(data: dict) -> FormWords:
    def phrases(items) -> Tuple[str, ...]:
        return tuple(str(p).strip().lower() for p in items or () if str(p).strip())

    commands = {str(k): phrases(v) for k, v in _require(data, "commands", "forms.yml").items()}
    return FormWords(commands=commands, yes=phrases(data.get("affirm")), no=phrases(data.get("deny")))


def parse(directory: Path, standard: str = DEFAULT_STANDARD) -> KnowledgeBase:
    """The knowledge base with every text in `standard` (nb or nn); both must be there."""
    if standard not in STANDARDS:
        raise KnowledgeError(f"unknown written standard {standard!r}; known: {STANDARDS}")
    roles = read_localised(directory, "roles.yml", standard)
    role_rules = read_localised(directory, "role_rules.yml", standard)
    topics = read_localised(directory, "topics.yml", standard)
    sick = read_localised(directory, "sick_leave.yml", standard)
    measures = read_localised(directory, "measures.yml", standard)
    industries = read_localised(directory, "industries.yml", standard)
    counties = read_localised(directory, "counties.yml", standard)
    municipalities = read_localised(directory, "municipalities.yml", standard)
    places = read_localised(directory, "places.yml", standard)

    kb = KnowledgeBase(
        topics={
            str(k): _entry(str(k), v, f"topics.{k}")
            for k, v in _require(topics, "topics", "topics.yml").items()
        },
        roles_overview=_entry("ask_role", _require(roles, "overview", "roles.yml"), "roles.overview"),
        roles=_keyed("ask_role", _require(roles, "roles", "roles.yml"), "roles"),
        role_rules_overview=_entry(
            "ask_role_rules", _require(role_rules, "overview", "role_rules.yml"), "role_rules.overview"
        ),
        role_rules=_keyed("ask_role_rules", _require(role_rules, "requirements", "role_rules.yml"), "requirements"),
        sick_leave_overview=_entry(
            "ask_sick_leave_followup", _require(sick, "overview", "sick_leave.yml"), "sick_leave.overview"
        ),
        milestones=_keyed("ask_sick_leave_followup", _require(sick, "milestones", "sick_leave.yml"), "milestones"),
        measures_overview=_entry(
            "ask_measures", _require(measures, "overview", "measures.yml"), "measures.overview"
        ),
        measures=_keyed("ask_measures", _require(measures, "measures", "measures.yml"), "measures"),
        industries={
            str(k): Industry(
                key=str(k),
                name=str(_require(v, "name", f"industries.{k}")),
                aliases=_aliases(v),
                bransjeprogram=v.get("bransjeprogram"),
                sources=_sources(v, f"industries.{k}", required=bool(v.get("bransjeprogram"))),
            )
            for k, v in _require(industries, "industries", "industries.yml").items()
        },
        counties={
            str(k): County(
                key=str(k),
                name=str(_require(v, "name", f"counties.{k}")),
                aliases=_aliases(v),
                council_note=(v.get("council_note") or None),
                sources=_sources(v, f"counties.{k}"),
            )
            for k, v in _require(counties, "counties", "counties.yml").items()
        },
        former_counties={
            str(k): FormerCounty(
                key=str(k),
                name=str(_require(v, "name", f"former_counties.{k}")),
                aliases=_aliases(v),
                became=tuple(_require(v, "became", f"former_counties.{k}")),
                sources=_sources(v, f"former_counties.{k}"),
            )
            for k, v in (counties.get("former_counties") or {}).items()
        },
        municipalities={
            str(name): tuple(ids)
            for name, ids in _require(municipalities, "municipalities", "municipalities.yml").items()
        },
        agreement=_guide(read_localised(directory, "agreement.yml", standard)),
        form_words=_form_words(read_localised(directory, "forms.yml", standard)),
        recommender=_recommender(read_localised(directory, "recommend.yml", standard), measures),
        municipality_sources=_sources(municipalities, "municipalities.yml"),
        municipality_names={
            str(other): str(name)
            for part in (municipalities.get("other_names"), places.get("municipality_names"))
            for other, name in (part or {}).items()
        },
        towns={
            str(town): tuple(v["municipalities"]) if "municipalities" in v else (str(_require(v, "municipality", f"places.{town}")),)
            for town, v in _require(places, "places", "places.yml").items()
        },
        town_sources=_sources(places, "places.yml"),
    )
    _check_references(kb)
    return kb


def load(directory: Optional[str] = None, standard: str = DEFAULT_STANDARD) -> KnowledgeBase:
    """The knowledge base in `directory` (default data/ia/) in one written standard, parsed once
    per process and standard. Both standards are checked whichever is asked for: `localise`
    refuses a text that lacks either, and every file of the directory is read, also those
    `parse` does not use (contacts.yml)."""
    return _load((Path(directory) if directory else DEFAULT_DIR).resolve(), standard)


@functools.lru_cache(maxsize=8)
def _load(path: Path, standard: str) -> KnowledgeBase:
    for name in sorted(p.name for p in path.glob("*.yml")):
        read_localised(path, name, standard)
    return parse(path, standard)


def source_line(sources: Tuple[Source, ...], limit: int = 2) -> str:
    """The line that names an answer's sources, in the conversation's written standard."""
    shown: List[Source] = list(sources[:limit])
    key = "answers.source_one" if len(shown) == 1 else "answers.source_many"
    return phrases.text(key, urls=", ".join(s.url for s in shown))


def with_sources(text: str, sources: Tuple[Source, ...], limit: int = 2) -> str:
    """`text` with its source line last. One newline only: Rasa's REST and Socket.IO channels
    split a text message at blank lines, and an answer belongs in one bubble with its source."""
    return f"{text}\n{source_line(sources, limit)}"

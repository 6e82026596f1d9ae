"""Fuzzy gazetteer: finds roles, sick-leave milestones, measures, industries, counties and
municipalities in a message by matching its words against the names in data/ia/.

rapidfuzz carries typos and inflections that are not listed as aliases ("vernombudet",
"tillitsvalgtes"); short names must match exactly, and municipality names that are also
ordinary words ("Sola", "Time", "Strand") need a place context ("i Sola", "Sola kommune").
Every entity carries the canonical key from the knowledge base as its value.

What a phrase matches depends on the phrase alone, so the answers for the last `LOOKUPS_KEPT`
phrases are kept: words and word pairs that come back in message after message ("hva er",
"ia-avtalen", "verneombudet") are not matched against every name again.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Sequence, Text, Tuple

from rapidfuzz import fuzz, process
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge import load
from actions.places import stems
from bot.component import ConfigComponent

PLACE_WORDS_BEFORE = {"i", "på", "pa", "fra", "frå", "in", "til", "kommune", "fylke", "near", "from"}
PLACE_WORDS_AFTER = {"kommune", "kommun", "municipality", "fylke", "fylkeskommune"}
PLACE_ENTITIES = {"county", "municipality", "place"}
# Names that are also ordinary words ("Sola", "Time", "Ski", "Sand") count only where a place is meant.
CONTEXT_ENTITIES = {"municipality", "place"}
# Priority when two kinds of names cover the same words: the more specific kind wins.
LOOKUPS_KEPT = 4096
PRIORITY = {"milestone": 6, "measure": 5, "ia_role": 4, "industry": 3, "county": 2, "municipality": 1, "place": 1}
# "ca 120 ansatte", "tolv tilsette": a head count tells how large the workplace is; the employees
# are not the role the message asks about.
COUNTED = ("ia_role", "ansatt")
COUNT = re.compile(
    r"^(\d+([-–.,]\d+)?|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|femten|tjue|tretti|førti|femti|hundre)$"
)


@dataclass(frozen=True)
class Match:
    entity: str
    value: str
    start_token: int
    end_token: int  # exclusive
    score: float


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FuzzyGazetteer(ConfigComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "knowledge_base": "data/ia",
            # Minimum rapidfuzz ratio for a fuzzy match; names up to `exact_up_to`
            # characters must match exactly.
            "threshold": 86,
            "municipality_threshold": 92,
            "exact_up_to": 4,
            "max_words": 4,
        }

    @classmethod
    def required_components(cls) -> List[type]:
        return [SpacyTokenizer]

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        kb = load(self.config["knowledge_base"])
        # alias -> list of (entity, value); one alias can name a county and a municipality.
        self.lexicon: Dict[str, List[Tuple[str, str]]] = {}
        for entity, value, alias in kb.names():
            key = _normalise(alias)
            if key and (entity, value) not in self.lexicon.get(key, []):
                self.lexicon.setdefault(key, []).append((entity, value))
        self.fuzzy_choices = [a for a in self.lexicon if len(a) > self.config["exact_up_to"]]
        self.max_words = min(self.config["max_words"], max(len(a.split()) for a in self.lexicon))
        self._lookup = functools.lru_cache(maxsize=LOOKUPS_KEPT)(self._match)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = self.extract(message)
            if found:
                message.set(
                    ENTITIES,
                    message.get(ENTITIES, []) + self.add_extractor_name(found),
                    add_to_output=True,
                )
        return messages

    # ----- matching -------------------------------------------------------------------
    def extract(self, message: Message) -> List[Dict[str, Any]]:
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        if not tokens:
            return []
        text = message.get(TEXT) or ""
        words = [_normalise(t.text) for t in tokens]
        matches = self._candidates(tokens, words, text)
        chosen = _non_overlapping(matches)
        entities, seen = [], set()
        for m in sorted(chosen, key=lambda m: m.start_token):
            if (m.entity, m.value) in seen:
                continue
            seen.add((m.entity, m.value))
            start, end = tokens[m.start_token].start, tokens[m.end_token - 1].end
            entities.append(
                {
                    "entity": m.entity,
                    "value": m.value,
                    "start": start,
                    "end": end,
                    "confidence_entity": round(m.score / 100, 3),
                    "text": text[start:end],
                }
            )
        return entities

    def _candidates(self, tokens: Sequence[Any], words: Sequence[str], text: str) -> List[Match]:
        out: List[Match] = []
        n = len(words)
        for size in range(1, self.max_words + 1):
            for i in range(0, n - size + 1):
                span = words[i : i + size]
                if not all(span) or not any(ch.isalpha() for ch in "".join(span)):
                    continue
                phrase = " ".join(span)
                for entity, value, score in self._lookup(phrase):
                    if entity in CONTEXT_ENTITIES and not self._place_context(tokens, words, text, i, i + size):
                        continue
                    if (entity, value) == COUNTED and i > 0 and COUNT.match(words[i - 1]):
                        continue
                    out.append(Match(entity, value, i, i + size, score))
        return out

    def _match(self, phrase: str) -> Tuple[Tuple[str, str, float], ...]:
        """(entity, value, score) of the names `phrase` matches (`_lookup` keeps the answers)."""
        if phrase in self.lexicon:
            return tuple((e, v, 100.0) for e, v in self.lexicon[phrase])
        # "bergensområdet", "stavangerregionen": a place name inside a word about its area.
        for form in stems(phrase)[1:]:
            places = [(e, v) for e, v in self.lexicon.get(form, []) if e in PLACE_ENTITIES]
            if places:
                return tuple((e, v, 100.0) for e, v in places)
        # "AMUs oppgaver", "BHTs rolle": the genitive of a short name (places excepted: "Ås").
        if phrase.endswith("s") and len(phrase) - 1 <= self.config["exact_up_to"]:
            owners = [(e, v) for e, v in self.lexicon.get(phrase[:-1], []) if e not in PLACE_ENTITIES]
            if owners:
                return tuple((e, v, 100.0) for e, v in owners)
        if len(phrase) <= self.config["exact_up_to"]:
            return ()
        best = process.extractOne(
            phrase, self.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=self.config["threshold"]
        )
        if not best:
            return ()
        alias, score, _ = best
        # Fuzzy matches must look like the same word: same first letter, similar length, and the
        # same numbers ("for 2 uker siden" is not "26 uker").
        if alias[0] != phrase[0] or abs(len(alias) - len(phrase)) > 3:
            return ()
        if re.findall(r"\d+", alias) != re.findall(r"\d+", phrase):
            return ()
        return tuple(
            (e, v, float(score))
            for e, v in self.lexicon[alias]
            if e not in CONTEXT_ENTITIES or score >= self.config["municipality_threshold"]
        )

    @staticmethod
    def _place_context(tokens: Sequence[Any], words: Sequence[str], text: str, start: int, end: int) -> bool:
        if len(words) <= 3:  # a bare answer such as "Bergen" or "i Bergen"
            return True
        if start > 0 and words[start - 1] in PLACE_WORDS_BEFORE:
            return True
        if end < len(words) and words[end] in PLACE_WORDS_AFTER:
            return True
        # As the user wrote it: the spaCy pipeline lower-cases its tokens.
        first = text[tokens[start].start : tokens[start].end]
        return start > 0 and first[:1].isupper() and not first.isupper()


def _normalise(text: str) -> str:
    text = text.lower().strip()
    text = text.strip(".,;:!?()[]{}\"'«»")
    return " ".join(text.split())


def _non_overlapping(matches: List[Match]) -> List[Match]:
    """Best matches first (score, then longer spans, then the more specific kind)."""
    ranked = sorted(
        matches,
        key=lambda m: (m.score, m.end_token - m.start_token, PRIORITY.get(m.entity, 0)),
        reverse=True,
    )
    taken: set = set()
    chosen: List[Match] = []
    for m in ranked:
        span = set(range(m.start_token, m.end_token))
        if span & taken:
            # The same words may name a county and a municipality (Oslo): keep both.
            if not any(
                c.start_token == m.start_token
                and c.end_token == m.end_token
                and {c.entity, m.entity} == {"county", "municipality"}
                for c in chosen
            ):
                continue
        taken |= span
        chosen.append(m)
    return chosen


"""Consistent typed placeholders across a whole transcript, and re-identification."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.deid.case_people import CaseOrganisation, CasePerson
from pipeline.deid.engine import Span
from pipeline.deid.normalise import normalise_text
from pipeline.deid.words import word_tokens

_DIGIT_TYPES = {"BSN", "TELEFOON", "IBAN", "POSTCODE", "KENTEKEN", "ID"}


def _normalise(entity_type: str, value: str) -> str:
    value = normalise_text(value).text  # "San\u200bne" and "Sanne" are one person
    if entity_type in _DIGIT_TYPES:
        return re.sub(r"[\W_]", "", value).lower()
    return " ".join(t.base.lower() for t in word_tokens(value)) or value.lower()


@dataclass
class PlaceholderBook:
    """Hands out placeholders: the same entity gets the same placeholder everywhere.

    Person names are linked by shared words, so "Rob Hendriks" and later "Rob" (or "Hendriks")
    share ``[PERSOON-1]``. CASE people get their role placeholder.
    """

    people: list[CasePerson] = field(default_factory=list)
    organisations: list[CaseOrganisation] = field(default_factory=list)
    """CASE organisations hold ``[INSTELLING-1..k]``; other institutions are numbered after them."""
    mapping: dict[str, str] = field(default_factory=dict)
    """placeholder -> original value (first full form seen; the CASE name for role placeholders)."""
    _keys: dict[tuple[str, str], str] = field(default_factory=dict)
    _person_words: dict[str, set[str]] = field(default_factory=dict)
    _counters: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        for person in self.people:
            self.mapping.setdefault(person.placeholder, person.full_name)
        for org in self.organisations:
            self.mapping.setdefault(org.placeholder, org.full_name)
        self._counters["INSTELLING"] = len(self.organisations)

    def placeholder_for(self, span: Span, value: str) -> str:
        if span.case_placeholder:
            self.mapping.setdefault(span.case_placeholder, value)
            return span.case_placeholder
        key = (span.type, _normalise(span.type, value))
        if key in self._keys:
            return self._keys[key]
        if span.type == "PERSOON":
            words = {w for w in key[1].split() if len(w) > 2 and w not in {"van", "der", "den"}}
            for placeholder, known in self._person_words.items():
                if words and (words <= known or known <= words):
                    self._keys[key] = placeholder
                    if len(words) > len(known):
                        self._person_words[placeholder] = words | known
                        self.mapping[placeholder] = value
                    return placeholder
        self._counters[span.type] += 1
        placeholder = f"[{span.type}-{self._counters[span.type]}]"
        self._keys[key] = placeholder
        self.mapping[placeholder] = value
        if span.type == "PERSOON":
            self._person_words[placeholder] = {w for w in key[1].split() if len(w) > 2}
        return placeholder


def replace_spans(text: str, spans: list[Span], book: PlaceholderBook) -> tuple[str, list[str]]:
    """Text with every span replaced by its placeholder; also the placeholder per span."""
    out, placeholders, last = [], [], 0
    for span in sorted(spans, key=lambda s: s.start):
        placeholder = book.placeholder_for(span, text[span.start : span.end])
        out.append(text[last : span.start])
        out.append(placeholder)
        placeholders.append(placeholder)
        last = span.end
    out.append(text[last:])
    return "".join(out), placeholders


def reidentify(text: str, mapping: dict[str, str]) -> str:
    """Put the original values back for the placeholders in ``text`` (used on the final letter)."""
    if not mapping:
        return text
    pattern = re.compile("|".join(re.escape(p) for p in sorted(mapping, key=len, reverse=True)))
    return pattern.sub(lambda m: mapping[m.group(0)], text)

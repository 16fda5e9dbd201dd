"""Token-level scores for de-identification: per-type precision/recall/F1, redaction precision
and leak rate (share of annotated personal-data tokens that survive into the output)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    per_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    redaction: Counts = field(default_factory=Counts)
    """Type-blind: is a token redacted at all? Its precision is the precision on non-PII."""
    gold_tokens: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    leaked_tokens: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    negative_tokens: int = 0
    negative_redacted: int = 0

    def leak_rate(self, entity_type: str) -> float:
        n = self.gold_tokens.get(entity_type, 0)
        return self.leaked_tokens.get(entity_type, 0) / n if n else 0.0

    def overall_leak_rate(self) -> float:
        n = sum(self.gold_tokens.values())
        return sum(self.leaked_tokens.values()) / n if n else 0.0


def _label(start: int, end: int, spans: list[tuple[int, int, str]]) -> str | None:
    for s, e, t in spans:
        if s < end and start < e:
            return t
    return None


def score_example(text: str, gold: list[tuple[int, int, str]], predicted: list[tuple[int, int, str]], scores: Scores) -> None:
    """Add one example. A token is labelled by the span it overlaps; a gold token not covered by
    any prediction (of any type) leaks."""
    for m in _TOKEN.finditer(text):
        g = _label(m.start(), m.end(), gold)
        p = _label(m.start(), m.end(), predicted)
        if g is not None:
            scores.gold_tokens[g] += 1
            if p is None:
                scores.leaked_tokens[g] += 1
        if g is not None and p == g:
            scores.per_type[g].tp += 1
        else:
            if g is not None:
                scores.per_type[g].fn += 1
            if p is not None:
                scores.per_type[p].fp += 1
        if g and p:
            scores.redaction.tp += 1
        elif p:
            scores.redaction.fp += 1
        elif g:
            scores.redaction.fn += 1
    if not gold:
        tokens = list(_TOKEN.finditer(text))
        scores.negative_tokens += len(tokens)
        scores.negative_redacted += sum(1 for m in tokens if _label(m.start(), m.end(), predicted))

"""The per-span decision rule: how the evidence of all recognizers on one stretch of text becomes
one redaction (or none).

Every recognizer proposes spans with a type and a score (Presidio scores, after the context
enhancer raised those with a context word such as "meneer", "mijn dochter" just before them).
The engine subtracts allow-listed phrases, trims punctuation and groups proposals that overlap
into a *cluster*. For each cluster this module decides, in this order:

1. **Structured identifiers win.** If any proposal is a structured type (BSN, IBAN, phone,
   e-mail, URL, postcode, address, licence plate, care id, date), the cluster gets that type:
   a name inside an e-mail address is still redacted as part of the address.
2. **CASE.json wins next.** A proposal from the case recognizers (people and organisations the
   case lists) gives the cluster its role placeholder ("[INWONER]").
3. **Otherwise the evidence is combined per type** with a noisy-OR over recognizers:
   ``S(type) = 1 - prod(1 - score_r)``, one term per recognizer (its best score for that type).
   Independent sources that agree ("Sanne" in the name list *and* found by the NER) give a
   higher score than either alone; the reported score is ``S`` of the chosen type.
4. **Type choice** among names, places and organisations: the highest ``S``, except
   - a span the institution recognizer names in full ("Stichting De Overloop") stays an
     organisation even if a person proposal lies inside it;
   - person evidence only from weak sources (name lists, unknown capitalised words) gives way
     to a place or organisation proposal from the place list or the institution recognizer that
     is at least as long ("Eindhoven"; but not "Linden" inside "Marco van der Linden");
   - between a weak person reading and the NER model's place reading the higher ``S`` decides
     ("Gerda": name list 0.75 > NER place 0.72; "Eindhoven": NER place 0.72 > name list 0.70).
5. **Negative evidence from the lexicon and casing.** A cluster supported *only* by the NER
   model is dropped when it is one word that is an ordinary Dutch word (the hunspell lexicon's
   lower-case entries and Deduce's whitelists: "Goed", "Dus" at the start of a sentence), or
   when it has no capital letter in a text that has capitals ("geboortedatum" in a cased
   transcript). In an all-lower-case transcript the NER's lower-case spans are kept.
6. **Keep** the cluster when ``S`` reaches the threshold (config ``score_threshold``). Presidio has
   already removed single proposals below it, so this only matters for the combined score.

The union of the cluster is redacted (so no part of any proposal leaks); titles ("meneer") at
its start are left in the text. The output keeps the deciding recognizer in ``recognizer`` and
every contributing recognizer in ``evidence`` ("SpacyNerRecognizer:PERSOON:0.83").
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.deid.lexicon import Lexicon

STRUCTURED = {"EMAIL", "URL", "IBAN", "BSN", "TELEFOON", "POSTCODE", "ADRES", "KENTEKEN", "ID", "DATUM"}
NAME_TYPES = ("PERSOON", "LOCATIE", "INSTELLING")
WEAK_PERSON = {"NameListRecognizer", "UnknownCapitalisedRecognizer"}
NER_RECOGNIZERS = {"SpacyNerRecognizer", "TransformersNerRecognizer"}
INSTITUTION = "InstitutionRecognizer"


@dataclass(frozen=True)
class Proposal:
    """One recognizer's proposal after allow-list subtraction and trimming."""

    start: int
    end: int
    type: str
    score: float
    recognizer: str
    case_placeholder: str | None = None


@dataclass(frozen=True)
class Decision:
    type: str
    score: float
    recognizer: str
    case_placeholder: str | None
    evidence: tuple[str, ...]


def noisy_or(scores: list[float]) -> float:
    p = 1.0
    for s in scores:
        p *= 1.0 - max(0.0, min(1.0, s))
    return 1.0 - p


def type_scores(cluster: list[Proposal]) -> dict[str, float]:
    """Noisy-OR per type over recognizers (each recognizer's best score for the type)."""
    best: dict[tuple[str, str], float] = {}
    for c in cluster:
        key = (c.type, c.recognizer)
        best[key] = max(best.get(key, 0.0), c.score)
    out: dict[str, float] = {}
    for (t, _), s in best.items():
        out.setdefault(t, 0.0)
        out[t] = noisy_or([out[t], s])
    return out


def _evidence(cluster: list[Proposal]) -> tuple[str, ...]:
    seen: dict[tuple[str, str], float] = {}
    for c in cluster:
        key = (c.recognizer, c.type)
        seen[key] = max(seen.get(key, 0.0), c.score)
    return tuple(f"{r}:{t}:{s:.2f}" for (r, t), s in sorted(seen.items()))


def _choose_name_type(cluster: list[Proposal], scores: dict[str, float]) -> Proposal:
    names = [c for c in cluster if c.type in NAME_TYPES] or cluster
    top_type = max(scores, key=lambda t: (scores[t], t in NAME_TYPES))
    persons = [c for c in cluster if c.type == "PERSOON"]
    named = [c for c in cluster if c.recognizer == INSTITUTION]
    if named and all(any(n.start <= p.start and p.end <= n.end for n in named) for p in persons):
        return max(named, key=lambda c: (c.end - c.start, c.score))
    places = [c for c in cluster if c.type in ("LOCATIE", "INSTELLING")]
    listed_places = [c for c in places if c.recognizer not in NER_RECOGNIZERS]
    longest_person = max((p.end - p.start for p in persons), default=0)
    covering = [c for c in listed_places if c.end - c.start >= longest_person]
    if persons and covering and all(p.recognizer in WEAK_PERSON for p in persons):
        return max(covering, key=lambda c: c.score)
    return max((c for c in names if c.type == top_type), key=lambda c: (c.score, c.end - c.start),
               default=max(names, key=lambda c: c.score))


def is_lexicon_word_only_from_ner(text: str, cluster: list[Proposal], lexicon: Lexicon | None) -> bool:
    """Rule 5: a cluster only the NER supports that is one ordinary Dutch word, or has no capital
    letter while the text has capitals (cased text: "geboortedatum" is no name)."""
    if any(c.recognizer not in NER_RECOGNIZERS for c in cluster):
        return False
    start, end = min(c.start for c in cluster), max(c.end for c in cluster)
    piece = text[start:end]
    if not any(ch.isupper() for ch in piece) and any(ch.isupper() for ch in text):
        return True
    words = piece.split()
    return lexicon is not None and len(words) == 1 and lexicon.is_common(words[0].strip(".,;:!?'\""))


def decide(text: str, cluster: list[Proposal], threshold: float, lexicon: Lexicon | None = None) -> Decision | None:
    """Apply rules 1-6 to one cluster of overlapping proposals."""
    evidence = _evidence(cluster)
    structured = [c for c in cluster if c.type in STRUCTURED]
    if structured:
        best = max(structured, key=lambda c: (c.score, c.end - c.start))
        return Decision(best.type, best.score, best.recognizer, None, evidence)
    case_hit = next((c for c in cluster if c.case_placeholder), None)
    if case_hit is not None:
        return Decision(case_hit.type, case_hit.score, case_hit.recognizer, case_hit.case_placeholder, evidence)
    if is_lexicon_word_only_from_ner(text, cluster, lexicon):
        return None
    scores = type_scores(cluster)
    best = _choose_name_type(cluster, scores)
    score = round(scores.get(best.type, best.score), 3)
    if score < threshold:
        return None
    return Decision(best.type, score, best.recognizer, None, evidence)

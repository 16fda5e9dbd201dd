"""Matching generated verslag items to gold items, without an LLM judge.

How two statements are compared (this text is also shown in the report):

1. Both are normalised (:mod:`eval.normalize`), placeholders such as ``[INWONER]`` are removed,
   Dutch stop words are dropped and the remaining words are stemmed (Snowball, Dutch), so
   "wandelen"/"wandelgroep" do not match but "schulden"/"schuld" do.
2. Similarity is the Dice coefficient of the two sets of content stems: 2·|gedeeld| / (|A| + |B|).
   It is 1 for the same content words, 0 for none in common; the shared stems are recorded per
   match so a reader can check why two items were paired.
3. Generated and gold items of one section are paired one-to-one, highest similarity first, as long
   as the similarity reaches the threshold (default 0.35). Gold items left unpaired are omissions.
4. A "must not appear" statement counts as present when some generated item reaches the (stricter)
   forbidden threshold **and** both have the same polarity: an item with a negation ("geen",
   "niet", "nooit" ...) does not match a statement without one, and vice versa.

Lexical overlap misses paraphrases ("eenzaam" vs "weinig contact"): recall is then underestimated,
never overestimated by an agreeable judge. The report shows every pair so this can be checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from eval.normalize import DutchNormaliser

STOPWORDS = frozenset("""
aan al alle alles als altijd ander andere ben bij daar dan dat de der deze die dit doch doen door dus een eens
en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je jij jou jouw
kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat ons onze ook op over
reeds s te tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen wie wil wij wordt
worden zal ze zelf zich zij zijn zo zonder zou weer gaan gaat graag samen keer elke per deze week dan
""".split())
NEGATIONS = frozenset({"geen", "niet", "nooit", "niks", "niets", "nergens", "zonder"})
_PLACEHOLDER = re.compile(r"\[[A-Z0-9_-]+\]")
_NORMALISER = DutchNormaliser()


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def _words(text: str) -> list[str]:
    return _NORMALISER(_PLACEHOLDER.sub(" ", text)).split()


def content_stems(text: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """Stemmed content words; ``ignore`` holds normalised words to leave out (e.g. the case's names,
    which the pseudonymised draft cannot contain)."""
    words = [w for w in _words(text) if w not in STOPWORDS and w not in NEGATIONS and w not in ignore and len(w) > 1]
    return frozenset(_stemmer().stemWords(words))


def name_words(names: list[str]) -> frozenset[str]:
    """Normalised words of people's names (for ``ignore``)."""
    return frozenset(w for n in names for w in _words(n) if w not in STOPWORDS)


def has_negation(text: str) -> bool:
    return any(w in NEGATIONS for w in _words(text))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


@dataclass(frozen=True)
class Match:
    generated: int
    gold: int
    similarity: float
    shared: tuple[str, ...]



def match_items(generated: list[str], gold: list[str], threshold: float, ignore: frozenset[str] = frozenset()) -> list[Match]:
    """Greedy one-to-one pairing by descending Dice similarity (ties: document order)."""
    gen_stems = [content_stems(t, ignore) for t in generated]
    gold_stems = [content_stems(t, ignore) for t in gold]
    candidates = []
    for i, g in enumerate(gen_stems):
        for j, h in enumerate(gold_stems):
            sim = dice(g, h)
            if sim >= threshold:
                candidates.append((-sim, i, j))
    candidates.sort()
    used_gen: set[int] = set()
    used_gold: set[int] = set()
    matches = []
    for neg_sim, i, j in candidates:
        if i in used_gen or j in used_gold:
            continue
        used_gen.add(i)
        used_gold.add(j)
        matches.append(Match(i, j, -neg_sim, tuple(sorted(gen_stems[i] & gold_stems[j]))))
    return matches


def best_similarity(text: str, others: list[str], ignore: frozenset[str] = frozenset()) -> tuple[float, int | None]:
    """Highest Dice similarity of ``text`` against ``others`` and the index reaching it."""
    stems = content_stems(text, ignore)
    best, where = 0.0, None
    for k, other in enumerate(others):
        sim = dice(stems, content_stems(other, ignore))
        if sim > best:
            best, where = sim, k
    return best, where


def statement_present(statement: str, generated: list[str], threshold: float, ignore: frozenset[str] = frozenset()) -> tuple[bool, str | None, float]:
    """Whether a forbidden ``statement`` is asserted by some generated item (same polarity)."""
    stems, negated = content_stems(statement, ignore), has_negation(statement)
    best_text, best = None, 0.0
    for text in generated:
        if has_negation(text) != negated:
            continue
        sim = dice(stems, content_stems(text, ignore))
        if sim > best:
            best, best_text = sim, text
    return best >= threshold, best_text, best


#: Words that make an "ik wil" a care offering or solution (Samenwerkwijze: an ik wil never is).
CARE_OFFER_TERMS = (
    "behandeling", "therapie", "therapeut", "psycholoog", "psychiater", "ggz", "poh", "praktijkondersteuner",
    "wijkteam", "sociaal team", "begeleiding", "dagbesteding", "schuldhulp", "schuldhulpverlening",
    "medicatie", "medicijnen", "antidepressiva", "opname", "verwijzing", "doorverwijzing", "cursus",
    "training", "coach", "hulpverlener", "maatschappelijk werk", "indicatie", "wmo", "zorgaanbod",
    "mantelzorgondersteuning", "respijtzorg", "welzijn op recept", "thuiszorg", "verslavingszorg",
)


def care_offer_terms(text: str) -> list[str]:
    """Care-offer terms in ``text``: whole phrases, or words starting with a one-word term."""
    words = _words(text)
    padded = " " + " ".join(words) + " "
    found = []
    for term in CARE_OFFER_TERMS:
        if " " in term:
            if f" {term} " in padded:
                found.append(term)
        elif any(w.startswith(term) for w in words):
            found.append(term)
    return found


# --- the turn-aware gold-item matcher (drafting issue) ----------------------------------------------

#: Most segments a generated item may cite and still find a gold item: an item resting on a whole
#: block of the conversation proves nothing about where its content came from.
MAX_CITED = 6
#: How far (in turns) a cited segment may lie from one of the gold item's turns.
TURN_TOLERANCE = 1


@dataclass(frozen=True)
class GoldHit:
    gold: int
    generated: int
    shared: tuple[str, ...]
    distance: int
    """Turns between the nearest cited segment and a gold turn (0 or 1)."""


def gold_pair(
    gold_text: str, gold_turns: list[int], text: str, cited: list[int],
    ignore: frozenset[str] = frozenset(), max_cited: int = MAX_CITED, tolerance: int = TURN_TOLERANCE,
) -> tuple[tuple[str, ...], int] | None:
    """(shared stems, turn distance) when the generated item (``text``, ``cited``) finds the gold item.

    It does when (1) it cites between 1 and ``max_cited`` distinct segments, (2) at least one cited
    segment lies within ``tolerance`` turns of one of the gold item's turns, and (3) it shares at
    least one content stem with the gold text. A gold item without turns cannot be found.
    """
    distinct = set(cited)
    if not distinct or len(distinct) > max_cited or not gold_turns:
        return None
    distance = min(abs(c - g) for c in distinct for g in gold_turns)
    if distance > tolerance:
        return None
    shared = tuple(sorted(content_stems(gold_text, ignore) & content_stems(text, ignore)))
    return (shared, distance) if shared else None


def gold_items(value: object) -> list[tuple[str, list[int]]]:
    """(text, turns) of the gold items of one section as stored in ``gold.json``."""
    items = [] if value is None else (value if isinstance(value, list) else [value])
    return [(i["tekst"], [int(b) for b in i.get("bronnen", [])]) if isinstance(i, dict) else (str(i), [])
            for i in items]


def match_gold_items(
    gold: list[tuple[str, list[int]]], generated: list[tuple[str, list[int]]], ignore: frozenset[str] = frozenset(),
) -> list[GoldHit]:
    """One-to-one pairs of gold items (text, turns) and generated items (text, bronnen) of one section.

    Every pair that passes :func:`gold_pair` is a candidate; candidates are taken most shared stems
    first (then nearest, then document order) and each gold and each generated item is used once, so
    one broad item cannot count for several gold items.
    """
    candidates = []
    for j, (gold_text, turns) in enumerate(gold):
        for k, (text, cited) in enumerate(generated):
            pair = gold_pair(gold_text, turns, text, cited, ignore)
            if pair is not None:
                candidates.append((-len(pair[0]), pair[1], j, k, pair[0]))
    candidates.sort()
    used_gold: set[int] = set()
    used_gen: set[int] = set()
    hits = []
    for _, distance, j, k, shared in candidates:
        if j in used_gold or k in used_gen:
            continue
        used_gold.add(j)
        used_gen.add(k)
        hits.append(GoldHit(gold=j, generated=k, shared=shared, distance=distance))
    return sorted(hits, key=lambda h: h.gold)

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

"""Evidence mode, afspraken without a model: one afspraak per action sentence the duo says.

The gespreksduo closes a VG by stating the actions ("Dan de afspraken. [INWONER] meldt zich deze
week aan bij de hardloopgroep. [PROFESSIONAL-POH] stuurt vandaag de link."). Each such sentence is
already the afspraak, in the professionals' own words; asked to rewrite it, the bundled 1.5B model
merges, truncates or garbles them (docs/drafting.md). So this writer splits the labelled planning
turns into sentences, keeps those that state an action (an actor doing something, or a moment),
and fills ``wie`` (the placeholder or speaker that acts), ``wat`` (the action without actor and
moment), ``waar`` (the phrase after bij/naar/via/aan) and ``wanneer`` (the time expression) from the
sentence. The item's text is the sentence itself (``herkomst="citaat"``), cited by its segment.

A later sentence that says the same as an earlier one (the summary repeating a proposal) replaces it,
so the list holds each action once, in its most complete (latest) form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.transcript import PseudonymisedSegment
from pipeline.verslag import schema as s
from pipeline.verslag.grounding import content_stems

_SENTENCE = re.compile(r"[^.!?]+[.!?]?")
_PLACEHOLDER = re.compile(r"\[[A-ZÀ-Ý_]+(?:-[A-Z0-9À-Ý_]+)*\]")
WHEN = re.compile(
    r"\b(?:vandaag|morgen|overmorgen|(?:(?:deze|volgende|komende) |over (?:\w+ )?)(?:week|weken|maand|maanden)|"
    r"binnen (?:\w+ )?(?:dagen|weken|maanden|week|maand)|(?:elke |komende |volgende |aanstaande )?"
    r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)(?:avond|middag|ochtend)?|"
    r"(?:voor|na|eind|begin) (?:de zomer|de vakantie|januari|februari|maart|april|mei|juni|juli|augustus|"
    r"september|oktober|november|december)|elke (?:\w+ )?(?:week|weken|dag|maand))\b", re.IGNORECASE)
ACTION = re.compile(
    r"\b(?:meld|meldt|melden|vraag|vraagt|vragen|bel|belt|bellen|regel|regelt|regelen|maak|maakt|maken|stuur|stuurt|"
    r"sturen|neem|neemt|nemen|zoek|zoekt|zoeken|plan|plant|plannen|ga|gaat|gaan|kom|komt|komen|breng|brengt|brengen|"
    r"help|helpt|helpen|open|opent|openen|drink|drinkt|drinken|loop|loopt|lopen|spreek|spreekt|spreken|kijk|kijkt|"
    r"kijken|begeleid|begeleidt|begeleiden|informeer|informeert|informeren)\b",
    re.IGNORECASE)
NOT_AN_ACTION = re.compile(r"^\W*(?:dan |en )?(?:de )?afspraken\b|\bvat(?:ten)? (?:\w+ )*samen\b|\?\s*$", re.IGNORECASE)
SUBJECT_I = re.compile(r"^\W*(?:en |dan |daarna |verder )?(?:ik)\b", re.IGNORECASE)
SUBJECT_WE = re.compile(r"^\W*(?:en |dan |daarna |verder )?(?:we|wij)\b", re.IGNORECASE)
CONDITIONAL = re.compile(r"^\W*(?:als|mocht|wanneer|indien)\b", re.IGNORECASE)
""""Als de klachten blijven, kijken we opnieuw" is a possibility, not an afspraak."""
MIN_WORDS = 4
SAME_ACTION = 0.5
"""Share of content stems two sentences must have in common to count as the same action."""


WHERE = re.compile(r"\b(?:bij|naar|via|aan)(?! (?:bij|naar|via)\b) (?:de |het |een )?(?P<waar>[^,.;]+)", re.IGNORECASE)
_LEAD = re.compile(r"^\W*(?:en |dan |daarna |verder )?(?:ik|we|wij|\[[^\]]+\])\s+", re.IGNORECASE)


def _where(sentence: str) -> str | None:
    """The place or loket: the phrase after bij/naar/via/aan, without a trailing moment."""
    match = WHERE.search(sentence)
    if match is None:
        return None
    place = re.split(r"\s(?:en|om|zodat|want|maar|dan|of)\s", WHEN.sub("", match.group("waar")))[0].strip(" ,")
    return place or None


def _what(sentence: str) -> str:
    """The action: the sentence without its leading actor and its moment."""
    what = WHEN.sub("", _LEAD.sub("", sentence.strip()))
    return re.sub(r"\s{2,}", " ", what).strip(" .,")


def _actor(sentence: str, speaker: str | None) -> str | None:
    if SUBJECT_I.search(sentence):
        return speaker
    if SUBJECT_WE.search(sentence):
        return "het gespreksduo"
    first = _PLACEHOLDER.search(sentence[:40])
    return first.group(0) if first is not None else None


def action_sentences(segment: PseudonymisedSegment) -> list[str]:
    """The sentences of a planning turn that state an action (an action verb, or a moment)."""
    found = []
    for raw in _SENTENCE.findall(segment.text):
        sentence = raw.strip()
        if len(sentence.split()) < MIN_WORDS or NOT_AN_ACTION.search(sentence) or CONDITIONAL.search(sentence):
            continue
        if ACTION.search(sentence) and (WHEN.search(sentence) or _PLACEHOLDER.search(sentence)
                                        or SUBJECT_I.search(sentence) or SUBJECT_WE.search(sentence)):
            found.append(sentence)
    return found


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def afspraken_from_sentences(ids: Sequence[int], segments: dict[int, PseudonymisedSegment],
                             limit: int) -> list[s.Afspraak]:
    """One afspraak per action sentence of the segments ``ids`` (a repeated action once, latest wins)."""
    kept: list[tuple[set[str], s.Afspraak]] = []
    for segment_id in sorted(ids):
        segment = segments.get(segment_id)
        if segment is None:
            continue
        for sentence in action_sentences(segment):
            when = WHEN.search(sentence)
            item = s.Afspraak(tekst=sentence, bronnen=[segment_id], herkomst="citaat", wie=_actor(sentence, segment.speaker),
                              wat=_what(sentence) or None, waar=_where(sentence), wanneer=when.group(0) if when else None)
            stems = content_stems(sentence)
            same = next((i for i, (other, _) in enumerate(kept) if _overlap(stems, other) >= SAME_ACTION), None)
            if same is None:
                kept.append((stems, item))
            else:
                earlier = kept[same][1]
                item.bronnen = sorted({*earlier.bronnen, segment_id})
                kept[same] = (stems, item)
    return [item for _, item in kept][:limit]

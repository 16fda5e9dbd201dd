"""Evidence mode, step 4 without a model: decide uitkomst and ggz_verwijzing_nodig from what the
gespreksduo proposes at the end of the conversation.

The outcome categories are the ones the regions use (``../shared/domain/README.md``, "Outcome
categories"): ggz (basis-/specialistische ggz, behandeling, verslavingszorg; POH-ggz), sociaal
domein (wijkteam, welzijn, Wmo-begeleiding, schuldhulpverlening, buurthuis), both, geen formele
zorg (eigen netwerk, zelfhulp), and the regional overlegtafel when the VG does not reach a plan.

The rule reads the professionals' sentences in the closing part of the conversation (where the duo
plans the vervolg), skipping questions, negated sentences ("ik zie geen reden voor behandeling in
de ggz") and conditional ones ("als het erger wordt, ...", and a "dan ..." that follows one), and takes the first that applies of:
overlegtafel; ggz and sociaal-domein offers together; ggz; sociaal domein; an explicit "geen
behandeling/ondersteuning nodig" or self-help. A ggz-verwijzing is needed when a ggz offer other
than the POH-ggz (which sits in the huisarts practice) is proposed. When nothing applies the rule
does not decide and the caller may ask the model.

The bundled 1.5B model picked the right category for 1 of 6 conversations from the right segments
(docs/drafting.md); this rule is transparent, cites the sentences it used, and is easy to extend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.transcript import PseudonymisedSegment
from pipeline.verslag.cues import CLIENT_ROLES, role_of


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


OVERLEGTAFEL = _any(r"\boverlegtafel\b", r"\bmultidisciplinair overleg\b", r"\bcasustafel\b")
GGZ_REFERRAL = _any(
    r"\bbasis ?-?ggz\b", r"\bspecialistische ggz\b", r"\b[bs]ggz\b", r"\bverwijzing\b", r"\bverwijzen\b",
    r"\bbehandeling\b", r"\btherapie\b", r"\bpsycholoog\b", r"\bpsychiater\b", r"\bverslavingszorg\b",
    r"\bwachtlijst (?:bij )?(?:de )?ggz\b", r"\bggz[- ]?(?:instelling|aanbieder|behandelaar)\b")
GGZ_IN_PRACTICE = _any(r"\bpoh[- ]?ggz\b", r"\bpraktijkondersteuner\b")
SOCIAAL_DOMEIN = _any(
    r"\bwijkteam\b", r"\bsociaal (?:wijk)?team\b", r"\bbuurtteam\b", r"\bschuldhulp", r"\bbudget(?:coach|beheer)\b",
    r"\bwelzijn\b", r"\bbuurthuis\b", r"\bwmo\b", r"\b(?:ambulante|individuele) begeleiding\b", r"\bdagbesteding\b",
    r"\bmaatschappelijk werk", r"\bmantelzorg(?:ondersteuning|consulent)\b", r"\bvrijwilligers?(?:werk|centrale)\b",
    r"\bjongerenwerk", r"\bformulierenhulp\b", r"\bsociaal raadslie?d")
NO_FORMAL_CARE = _any(
    r"\bgeen (?:reden|noodzaak|aanleiding) (?:voor|tot) (?:\w+ )?(?:behandeling|formele|zorg|ondersteuning|hulp)",
    r"\bgeen (?:formele )?(?:zorg|ondersteuning|behandeling) nodig\b", r"\bzelfhulp", r"\beigen netwerk\b")
NEGATION = re.compile(r"\b(?:geen|niet|nooit|hoeft niet)\b", re.IGNORECASE)
CONDITIONAL = re.compile(r"^\s*(?:als|mocht|wanneer|indien)\b", re.IGNORECASE)
THEN = re.compile(r"^\s*(?:dan|daarna)\b", re.IGNORECASE)
SENTENCE = re.compile(r"[^.!?]+[.!?]?")


@dataclass
class OutcomeDecision:
    """The decided category, whether a ggz-verwijzing is needed, and the segments it rests on."""

    uitkomst: str
    ggz_verwijzing_nodig: bool
    bronnen: list[int] = field(default_factory=list)
    zinnen: list[str] = field(default_factory=list)
    """The professionals' sentences the decision rests on, in transcript order."""


def _closing_segments(segments: Sequence[PseudonymisedSegment], tail: float) -> list[PseudonymisedSegment]:
    start = int(len(segments) * (1.0 - tail))
    return [seg for seg in segments[start:] if role_of(seg) not in CLIENT_ROLES]


def decide_outcome(
    segments: Sequence[PseudonymisedSegment], *, tail: float = 0.4, max_sources: int = 6, max_sentences: int = 3,
) -> OutcomeDecision | None:
    """The outcome the professionals propose in the last ``tail`` of the conversation, or None."""
    hits: dict[str, list[tuple[int, str]]] = {"overlegtafel": [], "ggz": [], "poh": [], "sociaal": [], "geen": []}
    for seg in _closing_segments(segments, tail):
        conditional = False
        for sentence in SENTENCE.findall(seg.text):
            sentence = sentence.strip()
            # "Als de klachten niet minder worden, kijken we opnieuw. Dan kan de POH ggz u zien."
            conditional = bool(CONDITIONAL.search(sentence)) or conditional and bool(THEN.search(sentence))
            if not sentence or sentence.endswith("?") or conditional:
                continue
            if NO_FORMAL_CARE.search(sentence):
                hits["geen"].append((seg.id, sentence))
                continue
            if NEGATION.search(sentence):
                continue
            for key, pattern in (("overlegtafel", OVERLEGTAFEL), ("ggz", GGZ_REFERRAL), ("poh", GGZ_IN_PRACTICE),
                                 ("sociaal", SOCIAAL_DOMEIN)):
                if pattern.search(sentence):
                    hits[key].append((seg.id, sentence))
    ggz = hits["ggz"] or hits["poh"]

    def decision(category: str, *keys: str) -> OutcomeDecision:
        found = sorted({hit for k in keys for hit in hits[k]}, key=lambda hit: hit[0])
        sentences = list(dict.fromkeys(sentence for _, sentence in found))
        return OutcomeDecision(category, bool(hits["ggz"]), sorted({i for i, _ in found})[:max_sources],
                               sentences[:max_sentences])

    if hits["overlegtafel"]:
        return decision("overlegtafel", "overlegtafel")
    if ggz and hits["sociaal"]:
        return decision("ggz en sociaal domein", "ggz", "poh", "sociaal")
    if ggz:
        return decision("ggz", "ggz", "poh")
    if hits["sociaal"]:
        return decision("sociaal domein", "sociaal")
    if hits["geen"]:
        return decision("geen formele zorg", "geen")
    return None

"""Evidence mode, step 1 without a model: label segments from the VG method's own structure.

The Verkennend Gesprek is built around three questions the gespreksduo asks the inwoner ("Wat wilt
u?", "Wat kunt u zelf?", "Wat heeft u nodig?", the Samenwerkwijze of ``../shared/domain``), and the
duo closes with who does what, when, who keeps the regie and where to go with questions. The
bundled 1.5B model cannot label a window of segments (it answers ``geen`` for every one, see
docs/drafting.md), so this labeller uses that structure directly:

* a **question cue** in a professional's turn ("wat zou u willen", "waar bent u goed in") makes the
  inwoner's and naaste's next turns evidence for that section, until a professional asks something
  else or ``horizon`` segments have passed;
* a **statement cue** in the inwoner's own turn ("ik wil", "ik heb ... nodig", "ik kan goed") labels
  that turn (a negated "ik kan ... niet" is not a strength);
* **follow-up cues** in a professional's turn (a concrete action with a time, "in de tussentijd",
  "over zes weken", "de regie", "als u vragen heeft", "verwijzing") label the vervolg sections.

The cues are Dutch phrasings of the method's questions and of ordinary planning talk, written from
the method documents, not from the evaluation conversations. A segment may carry several labels.
What the model then writes from each group is checked by the grounding step as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.transcript import PseudonymisedSegment

CLIENT_ROLES = frozenset({"inwoner", "naaste"})
UNKNOWN_ROLES = frozenset({None, "onbekend"})


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_YOU = r"(?:u|je|jij|jullie)"
QUESTION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ik_heb_nodig", _any(
        rf"\bwat (?:heeft|heb|hebben) {_YOU}\b[^?]*\bnodig\b", r"\bwat (?:zou|kan) (?:u|je|jullie) helpen\b",
        rf"\bwaar(?:bij|mee) (?:zou|kan|wilt|wil) {_YOU}\b[^?]*\bhulp\b", r"\bwelke (?:hulp|steun|ondersteuning)\b",
        rf"\bwat moet er\b[^?]*\bgebeuren\b")),
    ("ik_kan", _any(
        rf"\bwat (?:kunt|kan|kun) {_YOU}\b[^?]*\bzelf\b", rf"\bwat (?:kunt|kan|kun) {_YOU}\b",
        rf"\bwaar (?:bent|ben|zijn) {_YOU}\b[^?]*\bgoed in\b", rf"\bwat (?:lukt|gaat) (?:er )?(?:wel|goed)\b",
        rf"\bwat doet {_YOU}\b[^?]*\b(?:graag|zelf)\b", r"\bwie (?:kan|kunnen) (?:u|je|jullie) helpen\b",
        r"\bwie (?:staan|staat) (?:er )?(?:om )?(?:u|je) heen\b")),
    ("ik_wil", _any(
        rf"\bwat (?:wilt|wil|willen) {_YOU}\b(?![^?]*\bbespreken\b)", rf"\bwat zou(?:den)? {_YOU}\b[^?]*\bwillen\b",
        rf"\bwat vind(?:t)? {_YOU}\b[^?]*\bbelangrijk\b", rf"\bwaar (?:hoopt|hoop) {_YOU}\b",
        rf"\bwat (?:hoopt|hoop) {_YOU}\b", rf"\bwat (?:is|zijn) (?:uw|je|jouw) (?:doel|doelen|wens|wensen)\b",
        r"\bals (?:het|alles) (?:weer )?(?:wat )?beter gaat\b")),
    ("hulpvraag", _any(
        rf"\bwat (?:wilt|wil|willen) {_YOU}\b[^?]*\bbespreken\b", rf"\bwaar(?:om|voor) (?:bent|ben|zijn) {_YOU}\b[^?]*\b(?:hier|gekomen)\b",
        rf"\bwat brengt {_YOU}\b", rf"\bwaar (?:loopt|loop|lopen) {_YOU}\b[^?]*\btegenaan\b",
        rf"\bwaar (?:maakt|maak) {_YOU}\b[^?]*\bzorgen\b", r"\bwat is er aan de hand\b",
        rf"\bwaar(?:mee)? (?:kunnen|kan) we {_YOU}\b[^?]*\bhelpen\b")),
)
"""Professional's question -> the section the inwoner's answer is evidence for (first match wins)."""

STATEMENT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ik_heb_nodig", _any(
        r"\b(?:ik|wij|we) (?:heb|hebben) [^.?!]*\bnodig\b", r"\bik zou [^.?!]*\bhulp\b", r"\bhulp (?:bij|met)\b",
        r"\biemand (?:die|om|met wie)\b", r"\bik zoek\b", r"\b(?:dat|het) zou (?:echt )?(?:fijn|helpen)\b")),
    ("ik_wil", _any(
        r"\bik wil\b(?! (?:het )?niet)", r"\bik zou (?:graag|willen|het liefst)\b", r"\bik hoop\b",
        r"\bmijn (?:wens|doel)\b", r"\bhet liefst\b")),
    ("ik_kan", _any(
        r"\bik kan\b(?![^.?!]*\b(?:niet|geen|nauwelijks|nooit)\b)", r"\bik ben (?:best |heel )?goed in\b",
        r"\bdat lukt (?:me |mij )?(?:nog )?(?:wel|goed)\b", r"\bik (?:doe|regel|houd|hou) (?:zelf|al)\b",
        r"\bik (?:help|zorg voor|sport|wandel|werk)\b")),
)
"""The inwoner's own words -> section (every match counts; a question cue before it wins)."""

FOLLOW_UP_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("afspraken", _any(
        r"\b(?:ik|we|wij) (?:meld|melden|vraag|vragen|bel|bellen|regel|regelen|maak|maken|stuur|sturen|neem|nemen|"
        r"zoek|zoeken|plan|plannen|ga|gaan|kom|komen|spreek|spreken) [^.?!]*\b(?:aan|op|af|contact|uit|langs|samen|na)\b",
        r"\b(?:ik|we|wij) (?:spreken|spraken) af\b", r"\bafgesproken\b", r"\bik stel voor\b",
        r"\b(?:deze|volgende|komende) week\b", r"\b(?:maandag|dinsdag|woensdag|donderdag|vrijdag)\b",
        r"\bvoor (?:het eind|eind|half) van\b", r"\bbinnen (?:\w+ )?(?:dagen|weken)\b",
        r"\b(?:ik|we) vat(?:ten)? (?:het )?samen\b")),
    ("overbrugging", _any(
        r"\bin de tussentijd\b", r"\btot (?:de behandeling|dat|het|die) (?:begint|loopt|start|rond is)\b",
        r"\bwachttijd\b", r"\bwachtlijst\b", r"\boverbrugg", r"\bintussen\b")),
    ("evaluatiemoment", _any(
        r"\bover (?:\w+ )?(?:weken|maanden|week|maand)\b", r"\bevalu", r"\bhoe het (?:gaat|loopt|gegaan is)\b",
        r"\bterugkijken\b", r"\bvervolggesprek\b")),
    ("regie", _any(
        r"\bregie\b", r"\boverzicht over (?:alle |de )?afspraken\b", r"\baanspreekpunt\b", r"\bcasusregisseur\b",
        r"\bcontactpersoon\b", r"\bwie houdt\b", r"\bhoudt [^.?!]*\boverzicht\b")),
    ("vragen_naar", _any(
        rf"\b(?:als|bij|met) {_YOU} vragen\b", r"\bvragen (?:heeft|hebt|zijn)\b", rf"\b(?:kunt|kun|kan) {_YOU} (?:mij|ons|\S+) bellen\b",
        r"\bbereikbaar\b", rf"\b{_YOU} (?:kunt|kan|kun) terecht\b", r"\btelefoonnummer\b")),
    ("uitkomst", _any(
        r"\bverwijzing\b", r"\bverwijz", r"\bbasis ?-?ggz\b", r"\bspecialistische ggz\b", r"\bgeen (?:verdere )?(?:ggz|behandeling)\b",
        r"\b(?:wijkteam|sociaal team) (?:pakt|neemt|gaat)\b", r"\bpraktijkondersteuner\b", r"\bpoh[- ]?ggz\b")),
)
"""A professional's planning talk -> vervolg sections (every match counts)."""


def role_of(segment: PseudonymisedSegment) -> str | None:
    """The segment's role, or the one its role placeholder names (``[INWONER]``, ``[NAASTE-1]``)."""
    if segment.role not in UNKNOWN_ROLES:
        return segment.role
    speaker = (segment.speaker or "").upper()
    if speaker == "[INWONER]":
        return "inwoner"
    if speaker.startswith("[NAASTE"):
        return "naaste"
    return segment.role


SHORT_REPLY_WORDS = 6
"""A professional's short encouragement ("Mooi. En verder?") keeps a question open."""
_GO_ON = re.compile(r"\b(?:verder|nog meer|nog iets|vertel|zoals|bijvoorbeeld)\b|^\W*(?:ja|mooi|goed|fijn|oké|mm+|hm+)\W*$",
                    re.IGNORECASE)


def _keeps_question_open(text: str) -> bool:
    return len(text.split()) <= SHORT_REPLY_WORDS and bool(_GO_ON.search(text))
_NEGATED = re.compile(r"\b(?:niet|geen|nooit|nergens|niemand)\b", re.IGNORECASE)


def _all_negated(text: str) -> bool:
    sentences = [s for s in re.split(r"[.!?]+", text) if s.strip()]
    return bool(sentences) and all(_NEGATED.search(s) for s in sentences)


def _question_label(text: str) -> str | None:
    for label, pattern in QUESTION_CUES:
        if pattern.search(text):
            return label
    return None


def cue_labels(segments: Sequence[PseudonymisedSegment], *, horizon: int = 5) -> dict[str, list[int]]:
    """Section label -> sorted ids of the segments the cues mark as evidence for it.

    ``horizon``: a question's label applies to client turns at most this many segments after it.
    With unknown roles (no CASE.json, no role detection) every speaker counts as both.
    """
    found: dict[str, set[int]] = {}
    pending: tuple[str, int] | None = None  # (label, position of the question)
    answered = False
    for position, seg in enumerate(segments):
        role = role_of(seg)
        client, unknown = role in CLIENT_ROLES, role in UNKNOWN_ROLES
        professional = not client and not unknown
        asked = _question_label(seg.text) if not client else None
        if asked is not None:
            pending, answered = (asked, position), False
        elif pending is not None and (position - pending[1] > horizon or professional and (
                not _keeps_question_open(seg.text) and ("?" in seg.text or answered))):
            pending = None  # the duo asked something else, or said more than "Mooi. En verder?" after an answer
        if (client or unknown) and asked is None:
            labels = set()
            if pending is not None:
                answered = True
                if not (pending[0] in ("ik_wil", "ik_kan") and _all_negated(seg.text)):
                    labels.add(pending[0])  # "Naar de verslavingszorg ga ik niet." is no wish or strength
            if role != "naaste" or pending is None:
                labels |= {label for label, pattern in STATEMENT_CUES if pattern.search(seg.text)}
            if role == "naaste" and pending is None:
                labels -= {"ik_wil", "ik_kan"}  # a naaste's own wishes and strengths are not the inwoner's
            for label in labels:
                found.setdefault(label, set()).add(seg.id)
        if professional or unknown and asked is None:
            for label, pattern in FOLLOW_UP_CUES:
                if pattern.search(seg.text):
                    found.setdefault(label, set()).add(seg.id)
    return {label: sorted(ids) for label, ids in found.items()}

"""Role proposal: which speaker is the inwoner, the naaste and each professional.

Evidence, strongest first:

1. an introduction naming a CASE.json participant ("ik ben Sanne" with Sanne in CASE.json);
2. an introduction naming a role ("ik werk als POH-ggz", "ik ben haar partner");
3. conversation patterns: professionals ask the questions, the inwoner talks most and about
   themselves ("ik", "mijn").

Speakers are matched to the expected participants (CASE.json, or a typical VG without it) with the
Hungarian algorithm on these scores. Each role comes with a confidence; the gespreksduo confirms or
changes it (:func:`apply_role_overrides`, CLI ``--rol SPREKER_2=naaste``).
"""

from __future__ import annotations

import re
from typing import get_args

import numpy as np
from scipy.optimize import linear_sum_assignment

from pipeline.case import CaseMetadata
from core.errors import InputError
from pipeline.transcript import Role, Transcript

ROLES: tuple[str, ...] = get_args(Role)
PROFESSIONAL_ROLES = ("poh", "ggz", "sociaal", "ervaringsdeskundige")

INTRODUCTION = re.compile(r"\b(?i:ik ben|mijn naam is|ik heet|je spreekt met|u spreekt met)\s+([A-Z][\w'-]+)")
ROLE_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("poh", re.compile(r"\b(poh[- ]?ggz|poh|praktijkondersteuner)\b", re.I)),
    ("ervaringsdeskundige", re.compile(r"\bervaringsdeskundige\b", re.I)),
    ("ggz", re.compile(r"\b((basis)?psycholoog|spv|sociaal[- ]psychiatrisch verpleegkundige|psychiater|ggz|behandelaar)\b", re.I)),
    ("sociaal", re.compile(r"\b(wijkteam|buurtteam|sociaal team|sociaal domein|maatschappelijk werk(er|ster)?|welzijnswerk(er)?|consulent|farent)\b", re.I)),
    ("sociaal", re.compile(r"\bMEE\b")),
)
NAASTE_INTRO = re.compile(
    r"\b(ik ben|als)\s+(zijn|haar|de|z'n|d'r)\s+(partner|moeder|vader|zus|broer|vriend|vriendin|dochter|zoon|"
    r"man|vrouw|echtgenoot|echtgenote|buurman|buurvrouw|oom|tante|opa|oma)\b",
    re.I,
)
FIRST_PERSON = re.compile(r"\b(ik|mij|me|mijn|m'n)\b", re.I)
WORD = re.compile(r"\w+")

CONFIDENCE_NAME = 0.95
CONFIDENCE_KEYWORD = 0.85


def _slots(case: CaseMetadata, found_professional_roles: list[str]) -> list[tuple[str, str | None]]:
    """Expected participants as (role, first name or None)."""
    first = lambda name: name.split()[0].lower() if name.strip() else None  # noqa: E731
    if case.participant_count:
        slots: list[tuple[str, str | None]] = [("inwoner", first(case.inwoner.naam) if case.inwoner else None)]
        slots += [("naaste", first(n.naam)) for n in case.naasten]
        slots += [(p.rol, first(p.naam)) for p in case.professionals]
        return slots
    professionals = list(dict.fromkeys(found_professional_roles))
    professionals += [r for r in ("ggz", "sociaal") if r not in professionals][: max(0, 2 - len(professionals))]
    return [("inwoner", None), ("naaste", None)] + [(r, None) for r in professionals]


def _evidence(transcript: Transcript) -> dict[str, dict]:
    stats: dict[str, dict] = {}
    for s in transcript.segments:
        if not s.speaker:
            continue
        st = stats.setdefault(s.speaker, {"words": 0, "first": 0, "sentences": 0, "questions": 0, "names": [], "roles": [], "naaste": False})
        st["words"] += len(WORD.findall(s.text))
        st["first"] += len(FIRST_PERSON.findall(s.text))
        sentences = [x for x in re.split(r"(?<=[.?!])\s+", s.text.strip()) if x]
        st["sentences"] += len(sentences)
        st["questions"] += sum(1 for x in sentences if x.endswith("?"))
        st["names"] += [m.group(1).lower() for m in INTRODUCTION.finditer(s.text)]
        if INTRODUCTION.search(s.text) or re.search(r"\b(ik werk|werkzaam)\b", s.text, re.I):
            st["roles"] += [role for role, pattern in ROLE_KEYWORDS if pattern.search(s.text)]
        st["naaste"] |= bool(NAASTE_INTRO.search(s.text))
    return stats


def propose_roles(transcript: Transcript, case: CaseMetadata) -> dict[str, tuple[Role, float]]:
    """Proposed role and confidence (0-1) per speaker label; ``onbekend`` when nothing fits."""
    stats = _evidence(transcript)
    speakers = list(stats)
    if not speakers:
        return {}
    found = [r for st in stats.values() for r in st["roles"] if r in PROFESSIONAL_ROLES]
    slots = _slots(case, found)
    total_words = max(1, sum(st["words"] for st in stats.values()))
    score = np.zeros((len(speakers), len(slots)))
    strength = np.zeros((len(speakers), len(slots)))  # confidence of the strongest evidence
    for i, spk in enumerate(speakers):
        st = stats[spk]
        share = st["words"] / total_words
        questions = st["questions"] / max(1, st["sentences"])
        first_person = st["first"] / max(1, st["words"])
        for j, (role, name) in enumerate(slots):
            if name and name in st["names"]:
                score[i, j] += 10
                strength[i, j] = CONFIDENCE_NAME
            if role in st["roles"] or (role == "naaste" and st["naaste"]):
                score[i, j] += 5
                strength[i, j] = max(strength[i, j], CONFIDENCE_KEYWORD)
            if role in PROFESSIONAL_ROLES and (st["naaste"] or st["names"] and not st["roles"]):
                score[i, j] -= 1  # introduced without a profession: probably not a professional
            if role == "inwoner":
                score[i, j] += 2 * share + 4 * first_person - 2 * questions
            elif role in PROFESSIONAL_ROLES:
                score[i, j] += 2 * questions
    rows, cols = linear_sum_assignment(-score)
    proposals: dict[str, tuple[Role, float]] = {spk: ("onbekend", 0.0) for spk in speakers}
    for i, j in zip(rows, cols):
        role = slots[j][0]
        if strength[i, j] > 0:
            confidence = float(strength[i, j])
        else:  # patterns only: confidence from the margin over this speaker's next-best slot
            others = np.delete(score[i], j)
            margin = float(score[i, j] - others.max()) if len(others) else 1.0
            confidence = round(float(np.clip(0.35 + 0.1 * margin, 0.2, 0.6)), 2)
        proposals[speakers[i]] = (role, confidence)  # type: ignore[assignment]
    return proposals


def with_roles(transcript: Transcript, roles: dict[str, tuple[Role, float]], *, source: str) -> Transcript:
    """Transcript with ``speakers``, each segment's ``role`` and ``options['speaker_roles']`` set."""
    previous = dict(transcript.options.get("speaker_roles", {}))
    for label, (role, confidence) in roles.items():
        previous[label] = {"role": role, "confidence": round(confidence, 2), "source": source}
    speakers = {**transcript.speakers, **{label: role for label, (role, _) in roles.items()}}
    segments = [s.model_copy(update={"role": speakers.get(s.speaker) if s.speaker else None}) for s in transcript.segments]
    return transcript.model_copy(
        update={"speakers": speakers, "segments": segments, "options": {**transcript.options, "speaker_roles": previous}}
    )


def apply_role_overrides(transcript: Transcript, overrides: dict[str, str]) -> Transcript:
    """Apply roles confirmed or changed by the gespreksduo (confidence 1.0, source ``bevestigd``)."""
    labels = sorted({s.speaker for s in transcript.segments if s.speaker})
    confirmed: dict[str, tuple[Role, float]] = {}
    for label, role in overrides.items():
        if label not in labels:
            raise InputError(
                f"Spreker '{label}' komt niet voor in dit transcript.",
                hint=f"Gebruik een van: {', '.join(labels) or '(geen sprekers gevonden)'}.",
            )
        if role not in ROLES:
            raise InputError(f"Onbekende rol '{role}' voor {label}.", hint=f"Kies uit: {', '.join(ROLES)}.")
        confirmed[label] = (role, 1.0)  # type: ignore[assignment]
    return with_roles(transcript, confirmed, source="bevestigd")


def parse_role_flags(values: list[str]) -> dict[str, str]:
    """``["SPREKER_2=naaste", "3=ggz"]`` -> ``{"SPREKER_2": "naaste", "SPREKER_3": "ggz"}``."""
    out: dict[str, str] = {}
    for value in values:
        label, sep, role = value.partition("=")
        label, role = label.strip().upper(), role.strip().lower()
        if not sep or not label or not role:
            raise InputError(f"'{value}' is geen geldige rolaanduiding.", hint="Schrijf bijvoorbeeld --rol SPREKER_2=naaste.")
        out[label if label.startswith("SPREKER_") else f"SPREKER_{label}"] = role
    return out

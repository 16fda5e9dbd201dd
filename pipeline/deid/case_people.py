"""People named in CASE.json, each with the role placeholder used for them in the transcript."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.case import CaseMetadata

PROFESSIONAL_PLACEHOLDER = {
    "ggz": "[PROFESSIONAL-GGZ]",
    "sociaal": "[PROFESSIONAL-SOCIAAL]",
    "ervaringsdeskundige": "[ERVARINGSDESKUNDIGE]",
    "poh": "[PROFESSIONAL-POH]",
}

INTERFIXES = {"van", "de", "der", "den", "ter", "ten", "het", "in", "'t", "te", "la", "le", "el", "al", "da", "di", "du", "op", "vander", "vd"}


@dataclass(frozen=True)
class CasePerson:
    full_name: str
    placeholder: str
    first_names: tuple[str, ...]
    """Given names (not initials)."""
    surname: tuple[str, ...]
    """Surname tokens including interfixes, e.g. ``("de", "Wit")``."""

    @property
    def surname_core(self) -> tuple[str, ...]:
        return tuple(t for t in self.surname if t.lower() not in INTERFIXES)


def _split_name(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tokens = [t for t in name.replace(",", " ").split() if t]
    first: list[str] = []
    i = 0
    # given names: leading tokens that are not interfixes, keeping at least one token for the surname
    while i < len(tokens) - 1 and tokens[i].lower() not in INTERFIXES:
        first.append(tokens[i])
        i += 1
    surname = tuple(tokens[i:])
    given = tuple(t for t in first if not (len(t.rstrip(".")) <= 2 and t.endswith(".")) and len(t) > 1)
    return given, surname


def case_people(case: CaseMetadata) -> list[CasePerson]:
    """Everyone in the case with a role placeholder; numbered when a role occurs twice."""
    raw: list[tuple[str, str]] = []
    if case.inwoner:
        raw.append((case.inwoner.naam, "[INWONER]"))
    for i, naaste in enumerate(case.naasten, start=1):
        raw.append((naaste.naam, f"[NAASTE-{i}]"))
    for prof in case.professionals:
        raw.append((prof.naam, PROFESSIONAL_PLACEHOLDER[prof.rol]))
    if case.huisarts:
        raw.append((case.huisarts.naam, "[HUISARTS]"))
    counts = Counter(p for _, p in raw)
    seen: Counter[str] = Counter()
    people = []
    for name, placeholder in raw:
        if not name.strip():
            continue
        if counts[placeholder] > 1 and not placeholder.startswith("[NAASTE"):
            seen[placeholder] += 1
            placeholder = placeholder[:-1] + f"-{seen[placeholder]}]"
        given, surname = _split_name(name)
        people.append(CasePerson(name, placeholder, given, surname))
    return people


def role_placeholder(role: str | None, case: CaseMetadata) -> str | None:
    """Placeholder for a speaker role from diarization (``inwoner``, ``ggz`` ...)."""
    if role in (None, "onbekend"):
        return None
    if role == "inwoner":
        return "[INWONER]"
    if role == "naaste":
        return "[NAASTE-1]" if len(case.naasten) <= 1 else "[NAASTE]"
    return PROFESSIONAL_PLACEHOLDER.get(role)

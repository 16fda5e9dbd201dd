"""People named in CASE.json, each with the role placeholder used for them in the transcript."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
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
    gender: str | None = None
    """``"v"``/``"m"`` when the relation says so (a naaste who is ``moeder``, ``zoon`` ...), else ``None``.
    Used only to resolve a title plus a surname two CASE people share ("meneer De Groot")."""
    kind: str = "naaste"
    """``inwoner``, ``naaste``, ``professional`` or ``huisarts``."""

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


_FEMALE = {"moeder", "dochter", "zus", "zuster", "vrouw", "echtgenote", "vriendin", "oma", "tante", "nicht",
           "schoonmoeder", "schoondochter", "schoonzus", "stiefmoeder", "grootmoeder", "buurvrouw"}
_MALE = {"vader", "zoon", "broer", "man", "echtgenoot", "vriend", "opa", "oom", "neef", "schoonvader",
         "schoonzoon", "zwager", "stiefvader", "grootvader", "buurman"}


def _gender(relation: str | None) -> str | None:
    rel = (relation or "").strip().lower()
    return "v" if rel in _FEMALE else "m" if rel in _MALE else None


def case_people(case: CaseMetadata) -> list[CasePerson]:
    """Everyone in the case with a role placeholder; numbered when a role occurs twice."""
    raw: list[tuple[str, str, str | None, str]] = []
    if case.inwoner:
        raw.append((case.inwoner.naam, "[INWONER]", None, "inwoner"))
    for i, naaste in enumerate(case.naasten, start=1):
        raw.append((naaste.naam, f"[NAASTE-{i}]", _gender(naaste.relatie), "naaste"))
    for prof in case.professionals:
        raw.append((prof.naam, PROFESSIONAL_PLACEHOLDER[prof.rol], None, "professional"))
    if case.huisarts:
        raw.append((case.huisarts.naam, "[HUISARTS]", None, "huisarts"))
    counts = Counter(p for _, p, _, _ in raw)
    seen: Counter[str] = Counter()
    people = []
    for name, placeholder, gender, kind in raw:
        if not name.strip():
            continue
        if counts[placeholder] > 1 and not placeholder.startswith("[NAASTE"):
            seen[placeholder] += 1
            placeholder = placeholder[:-1] + f"-{seen[placeholder]}]"
        given, surname = _split_name(name)
        people.append(CasePerson(name, placeholder, given, surname, gender, kind))
    return people


@dataclass(frozen=True)
class CaseOrganisation:
    """A practice or organisation named in CASE.json that is not on the allow-list."""

    full_name: str
    placeholder: str
    core: str
    """The distinctive part without a leading institution word: "De Linde" for
    "Huisartsenpraktijk De Linde"."""


#: Words that name the kind of institution; a CASE organisation without its leading kind word
#: is still that organisation ("De Linde").
INSTITUTION_WORDS = (
    "huisartsenpraktijk|huisartspraktijk|huisartsenpost|praktijk|gezondheidscentrum|apotheek|stichting|"
    "school|basisschool|kliniek|zorgboerderij|verpleeghuis|verzorgingshuis|woonzorgcentrum|"
    "fysiotherapiepraktijk|psychologenpraktijk|tandartspraktijk|kinderdagverblijf|kinderopvang|bv|b\\.v\\."
)
_KIND_WORD = re.compile(r"(?i)^(?:" + INSTITUTION_WORDS + r")\s+")


def case_organisations(case: CaseMetadata, is_allowed: Callable[[str], bool]) -> list[CaseOrganisation]:
    """The huisarts practice and the professionals' organisations, each with a fixed
    ``[INSTELLING-n]``; organisations the allow-list keeps (sociale-kaart names such as
    "Wijkteam 's-Hertogenbosch", "Farent") are left out: they stay in the text."""
    names: list[str] = []
    if case.huisarts and case.huisarts.praktijk:
        names.append(case.huisarts.praktijk)
    names.extend(p.organisatie for p in case.professionals if p.organisatie)
    out: list[CaseOrganisation] = []
    seen: set[str] = set()
    for raw in names:
        name = re.sub(r"\s*\([^)]*\)", "", raw).strip()  # "De Linde (POH-ggz)" -> "De Linde"
        if not name or name.lower() in seen or is_allowed(name):
            continue
        seen.add(name.lower())
        core = _KIND_WORD.sub("", name).strip() or name
        out.append(CaseOrganisation(name, f"[INSTELLING-{len(out) + 1}]", core))
    return out


def role_placeholder(role: str | None, case: CaseMetadata) -> str | None:
    """Placeholder for a speaker role from diarization (``inwoner``, ``ggz`` ...)."""
    if role in (None, "onbekend"):
        return None
    if role == "inwoner":
        return "[INWONER]"
    if role == "naaste":
        return "[NAASTE-1]" if len(case.naasten) <= 1 else "[NAASTE]"
    return PROFESSIONAL_PLACEHOLDER.get(role)

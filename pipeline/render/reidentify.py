"""Re-identification for the letter: only what the letter needs, nothing else.

The vault mapping (placeholder -> original) holds every detected personal detail. The letter may
show the names of the participants (inwoner, naasten, professionals, huisarts); every other
placeholder (addresses, phone numbers, BSN, names of people who were not there) stays a placeholder.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel

from pipeline.case import CaseMetadata

_TITLES = {"mevrouw", "mevr", "meneer", "mr", "dhr", "de heer", "dokter", "dr", "mw"}
_TOKEN = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_PLACEHOLDER = re.compile(r"\[[A-ZÀ-Ý_]+(?:-[A-Z0-9À-Ý_]+)*\]")  # [PERSOON-3], [PROFESSIONAL-GGZ]

M = TypeVar("M", bound=BaseModel)


def participant_names(case: CaseMetadata) -> list[str]:
    names = []
    if case.inwoner:
        names.append(case.inwoner.naam)
    names += [n.naam for n in case.naasten]
    names += [p.naam for p in case.professionals]
    if case.huisarts:
        names.append(case.huisarts.naam)
    return names


def _tokens(text: str) -> set[str]:
    return {t.lower() for t in _TOKEN.findall(text)} - _TITLES


def letter_mapping(case: CaseMetadata, mapping: dict[str, str]) -> dict[str, str]:
    """The part of ``mapping`` the letter may use: placeholders that stand for a participant's name."""
    allowed: dict[str, str] = {}
    participants = [_tokens(n) for n in participant_names(case)]
    for placeholder, original in mapping.items():
        tokens = _tokens(original)
        if tokens and any(tokens <= p for p in participants if p):
            allowed[placeholder] = original
    if case.inwoner and "[INWONER]" not in allowed:
        allowed["[INWONER]"] = case.inwoner.naam
    return allowed


def reidentify_text(text: str, allowed: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: allowed.get(m.group(0), m.group(0)), text)


def _walk(value: Any, allowed: dict[str, str]) -> Any:
    if isinstance(value, str):
        return reidentify_text(value, allowed)
    if isinstance(value, list):
        return [_walk(v, allowed) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, allowed) for k, v in value.items()}
    return value


def reidentify_model(model: M, allowed: dict[str, str], *, skip: tuple[str, ...] = ("grounding", "draft")) -> M:
    """A copy of ``model`` with allowed placeholders replaced in its text (diagnostics left alone)."""
    data = model.model_dump(mode="json")
    out = {k: (v if k in skip else _walk(v, allowed)) for k, v in data.items()}
    return type(model).model_validate(out)

"""Speaker labels from imported transcripts (WebVTT names) become neutral labels.

Video-call exports label cues with people's real names. Those names must not travel as speaker
labels into the pseudonymised transcript, so they become ``SPREKER_n``; when a name matches a
person in CASE.json the role is known at once.
"""

from __future__ import annotations

import re

from pipeline.case import CaseMetadata
from pipeline.transcript import Role, Transcript

_LABEL = re.compile(r"^SPREKER_\d+$")


def _norm(name: str) -> str:
    return " ".join(name.lower().replace(".", " ").split())


def _case_roles(case: CaseMetadata) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    if case.inwoner:
        roles[_norm(case.inwoner.naam)] = "inwoner"
    for n in case.naasten:
        roles[_norm(n.naam)] = "naaste"
    for p in case.professionals:
        roles[_norm(p.naam)] = p.rol
    return roles


def _match_role(name: str, roles: dict[str, Role]) -> Role | None:
    key = _norm(name)
    if key in roles:
        return roles[key]
    tokens = set(key.split())
    for full, role in roles.items():
        if tokens and tokens <= set(full.split()):  # "Anna" or "Anna Jansen" vs "Anna Jansen-de Boer"
            return role
    return None


def neutralise_speaker_labels(transcript: Transcript, case: CaseMetadata) -> Transcript:
    """Replace name-like speaker labels by ``SPREKER_n`` and record roles found in CASE.json."""
    names = [s.speaker for s in transcript.segments if s.speaker and not _LABEL.match(s.speaker)]
    if not names:
        return transcript
    roles = _case_roles(case)
    label_of: dict[str, str] = {}
    for name in dict.fromkeys(names):
        label_of[name] = f"SPREKER_{len(label_of) + 1}"
    speakers = dict(transcript.speakers)
    segments = []
    for seg in transcript.segments:
        if seg.speaker in label_of:
            label = label_of[seg.speaker]
            role = seg.role or _match_role(seg.speaker, roles)
            if role and label not in speakers:
                speakers[label] = role
            seg = seg.model_copy(update={"speaker": label, "role": role or speakers.get(label)})
        segments.append(seg)
    return transcript.model_copy(update={"segments": segments, "speakers": speakers})

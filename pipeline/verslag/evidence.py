"""Evidence mode, steps 1-2: label every segment once with the sections it is evidence for, then
group the labelled segments per section.

Step 1 reads the pseudonymised transcript in windows that fit the context (a small overlap so a
turn at a window edge is seen with its neighbour). The model answers, per label of a closed set, the
ids of the segments in the window that are evidence for it (constrained JSON: one key per label,
integer lists). Every transcript token goes through the model once (plus the overlap), not once per
section. Ids outside the window are dropped.

Step 2 groups a section's segments: a segment joins the current group when it is the next turn, or
lies within ``max_gap`` turns and shares a content word with the group; a group holds at most
``max_group`` segments, so an item never rests on a block.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from models.llm.base import LLMBackend, Message
from pipeline.transcript import PseudonymisedSegment
from pipeline.verslag.grounding import content_stems
from pipeline.verslag.prompts import Prompt
from pipeline.verslag.structured import generate_structured

LABELS: tuple[str, ...] = (
    "hulpvraag", "ik_wil", "ik_kan", "ik_heb_nodig", "afspraken",
    "regie", "overbrugging", "evaluatiemoment", "vragen_naar", "uitkomst",
)
NONE_LABEL = "geen"
Label = Literal[
    "geen", "hulpvraag", "ik_wil", "ik_kan", "ik_heb_nodig", "afspraken",
    "regie", "overbrugging", "evaluatiemoment", "vragen_naar", "uitkomst",
]


def window_model(ids: Sequence[int]) -> type[BaseModel]:
    """Output model for one window: one required key per segment id (in order), one label each.

    A fixed object (no repetition in the grammar) keeps llama.cpp's grammar small, makes the model
    answer for every segment, and costs about six generated tokens per segment.
    """
    fields = {f"s{i}": (Label, Field(alias=str(i))) for i in ids}
    return create_model(  # type: ignore[call-overload]
        "EvidenceWindow", __config__=ConfigDict(extra="forbid", populate_by_name=False), **fields)


def evidence_line(segment: PseudonymisedSegment) -> str:
    """``[id] SPEAKER (rol): text``; the role lets the model tell an inwoner's wish from an offer."""
    role = f" ({segment.role})" if segment.role else ""
    return f"[{segment.id}] {segment.speaker or 'SPREKER'}{role}: {segment.text}"


def make_windows(
    segments: Sequence[PseudonymisedSegment], budget_tokens: int, count_tokens: Callable[[str], int], overlap: int,
    max_segments: int = 10_000,
) -> list[list[PseudonymisedSegment]]:
    """Consecutive windows of at most ``budget_tokens`` (at least one segment each); each window
    after the first starts ``overlap`` segments before the previous one ended."""
    costs = [count_tokens(evidence_line(s)) + 1 for s in segments]
    windows: list[list[PseudonymisedSegment]] = []
    start = 0
    while start < len(segments):
        end, used = start, 0
        while end < len(segments) and (end == start or (used + costs[end] <= budget_tokens
                                                          and end - start < max_segments)):
            used += costs[end]
            end += 1
        windows.append(list(segments[start:end]))
        if end >= len(segments):
            break
        start = max(end - overlap, start + 1)
    return windows


@dataclass
class StepCounter:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


def label_segments(
    segments: Sequence[PseudonymisedSegment],
    llm: LLMBackend,
    prompt: Prompt,
    repair: Prompt,
    *,
    window_tokens: int,
    window_segments: int,
    overlap: int,
    max_tokens_per_segment: int,
    max_retries: int,
    seed: int,
    counter: StepCounter,
) -> dict[str, list[int]]:
    """Section label -> sorted ids of the segments that are evidence for it."""
    found: dict[str, set[int]] = {name: set() for name in LABELS}
    started = time.perf_counter()
    for window in make_windows(segments, window_tokens, llm.count_tokens, overlap, window_segments):
        output = window_model([s.id for s in window])
        messages = [
            Message(role="system", content=prompt.text),
            Message(role="user", content="Segmenten:\n" + "\n".join(evidence_line(s) for s in window)),
        ]
        result = generate_structured(llm, messages, output, repair_prompt=repair, task="bewijs",
                                     max_tokens=max_tokens_per_segment * len(window) + 16,
                                     max_retries=max_retries, seed=seed)
        counter.requests += result.attempts
        counter.prompt_tokens += result.prompt_tokens
        counter.completion_tokens += result.completion_tokens
        if result.value is None:
            counter.failures.append(f"venster {window[0].id}-{window[-1].id}: " + "; ".join(result.errors[-1:]))
            continue
        for seg in window:
            label = getattr(result.value, f"s{seg.id}")
            if label != NONE_LABEL:
                found[label].add(seg.id)
    counter.seconds += time.perf_counter() - started
    return {name: sorted(v) for name, v in found.items()}


def group_segments(
    ids: Sequence[int], texts: dict[int, str], *, max_gap: int = 3, max_group: int = 4,
) -> list[list[int]]:
    """Groups of evidence ids: adjacent turns, or near turns sharing a content word; at most
    ``max_group`` ids per group. ``texts`` maps id -> segment text (for the shared words)."""
    order = sorted(dict.fromkeys(i for i in ids if i in texts))
    position = {sid: k for k, sid in enumerate(sorted(texts))}
    groups: list[list[int]] = []
    stems: list[set[str]] = []
    for sid in order:
        words = {w for w in content_stems(texts[sid]) if not w.startswith("[")}
        if groups and len(groups[-1]) < max_group:
            gap = position[sid] - position[groups[-1][-1]]
            if gap <= 1 or (gap <= max_gap and words & stems[-1]):
                groups[-1].append(sid)
                stems[-1] |= words
                continue
        groups.append([sid])
        stems.append(set(words))
    return groups

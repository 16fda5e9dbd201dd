"""Word-level speaker assignment: each word gets the speaker whose turn covers it best, and a
Whisper segment is split wherever the speaker changes between its words.

Assigning whole segments is what makes sentence ends land on the next speaker: Whisper often keeps
a short answer ("Ja, dat klopt.") inside the question's segment.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.diarization import SpeakerTurn
from pipeline.transcript import Segment, Word

NEAREST_TURN_SECONDS = 1.0
"""A word outside every turn takes the nearest turn's speaker if it is at most this far away."""


def speaker_at(start: float, end: float, turns: Sequence[SpeakerTurn]) -> str | None:
    """Speaker with the largest overlap with [start, end]; else the nearest turn within 1 s."""
    best, best_overlap = None, 0.0
    nearest, nearest_distance = None, NEAREST_TURN_SECONDS
    for t in turns:
        overlap = min(end, t.end) - max(start, t.start)
        if overlap > best_overlap:
            best, best_overlap = t.speaker, overlap
        distance = max(t.start - end, start - t.end, 0.0)
        if best is None and distance <= nearest_distance:
            nearest, nearest_distance = t.speaker, distance
    return best if best is not None else nearest


def _fill_gaps(labels: list[str | None], fallback: str | None) -> list[str | None]:
    out = list(labels)
    for i in range(len(out)):
        if out[i] is None and i > 0:
            out[i] = out[i - 1]
    for i in range(len(out) - 2, -1, -1):
        if out[i] is None:
            out[i] = out[i + 1]
    return [x if x is not None else fallback for x in out]


def _runs(labels: list[str | None]) -> list[tuple[int, int]]:
    runs, start = [], 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            runs.append((start, i))
            start = i
    return runs


def smooth_word_labels(words: Sequence[Word], labels: list[str | None], min_turn_seconds: float) -> list[str | None]:
    """Absorb runs shorter than ``min_turn_seconds`` that sit between two runs of one speaker."""
    labels = list(labels)
    changed = True
    while changed:
        changed = False
        runs = _runs(labels)
        for k in range(1, len(runs) - 1):
            a, b = runs[k]
            before, after = labels[runs[k - 1][0]], labels[runs[k + 1][0]]
            if before == after and words[b - 1].end - words[a].start < min_turn_seconds:
                labels[a:b] = [before] * (b - a)
                changed = True
                break
    return labels


def _text(words: Sequence[Word]) -> str:
    return "".join(w.word for w in words).strip()


def assign_segment(segment: Segment, turns: Sequence[SpeakerTurn], min_turn_seconds: float) -> list[Segment]:
    """Speaker-labelled pieces of ``segment`` (ids are renumbered by the caller)."""
    segment_speaker = speaker_at(segment.start, segment.end, turns)
    if not segment.words:
        return [segment.model_copy(update={"speaker": segment_speaker or segment.speaker})]
    raw = [speaker_at(w.start, w.end, turns) for w in segment.words]
    labels = smooth_word_labels(segment.words, _fill_gaps(raw, segment_speaker or segment.speaker), min_turn_seconds)
    runs = _runs(labels)
    if len(runs) == 1:
        return [segment.model_copy(update={"speaker": labels[0]})]
    pieces = []
    for index, (a, b) in enumerate(runs):
        words = segment.words[a:b]
        pieces.append(
            segment.model_copy(
                update={
                    "start": segment.start if index == 0 else words[0].start,
                    "end": segment.end if index == len(runs) - 1 else words[-1].end,
                    "speaker": labels[a],
                    "text": _text(words),
                    "words": list(words),
                }
            )
        )
    return pieces


def speech_regions(segments: Sequence[Segment], max_gap: float = 0.3) -> list[tuple[float, float]]:
    """Speech (start, end) regions from word timestamps (segment times when there are no words)."""
    spans = sorted(
        (w.start, w.end) for s in segments for w in (s.words or [Word(start=s.start, end=s.end, word="")]) if w.end > w.start
    )
    regions: list[tuple[float, float]] = []
    for a, b in spans:
        if regions and a - regions[-1][1] <= max_gap:
            regions[-1] = (regions[-1][0], max(regions[-1][1], b))
        else:
            regions.append((a, b))
    return regions

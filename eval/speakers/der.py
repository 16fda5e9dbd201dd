"""Diarization error rate (DER), computed exactly on time intervals (no frame rounding).

DER = (missed speech + false alarm + speaker confusion) / total reference speech, following the
NIST RT / md-eval definition:

- the recording is cut at every reference and hypothesis boundary; in each piece of duration d
  with ``n_ref`` reference and ``n_hyp`` hypothesis speakers active, missed = max(0, n_ref - n_hyp) * d,
  false alarm = max(0, n_hyp - n_ref) * d, confusion = (min(n_ref, n_hyp) - n_correct) * d, where
  n_correct counts reference speakers whose mapped hypothesis speaker is also active;
- the mapping reference -> hypothesis speaker is one-to-one and maximises the total overlap
  (Hungarian algorithm), computed on the scored time only;
- ``collar`` seconds on *each side* of every reference boundary are not scored (md-eval
  convention; pyannote.metrics' ``collar`` is the total width, i.e. twice this value);
- overlapping reference speech is scored unless ``skip_overlap``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy.optimize import linear_sum_assignment

from core.errors import EvaluationError


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: float
    end: float
    speaker: str


class DERResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    der: float
    missed: float
    false_alarm: float
    confusion: float
    total: float
    """Seconds of scored reference speech (overlap counted once per speaker)."""
    mapping: dict[str, str]
    """Reference speaker -> hypothesis speaker."""
    collar: float
    skip_overlap: bool


def read_rttm(path: Path) -> dict[str, list[Turn]]:
    """RTTM ``SPEAKER`` lines grouped by file id."""
    out: dict[str, list[Turn]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split()
        if not fields or fields[0] != "SPEAKER":
            continue
        try:
            start, duration = float(fields[3]), float(fields[4])
            out.setdefault(fields[1], []).append(Turn(start=start, end=start + duration, speaker=fields[7]))
        except (IndexError, ValueError):
            raise EvaluationError(
                f"{path.name}: regel {number} is geen geldige RTTM-regel.",
                hint="Verwacht: SPEAKER <bestand> 1 <start> <duur> <NA> <NA> <spreker> <NA> <NA>",
            ) from None
    return out


def write_rttm(turns: Iterable[Turn], file_id: str) -> str:
    return "".join(
        f"SPEAKER {file_id} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> {t.speaker} <NA> <NA>\n" for t in turns
    )


def _uem_without_collars(reference: list[Turn], collar: float, end: float) -> list[tuple[float, float]]:
    if collar <= 0:
        return [(0.0, end)]
    holes = sorted((max(0.0, b - collar), b + collar) for t in reference for b in (t.start, t.end))
    keep, cursor = [], 0.0
    for a, b in holes:
        if a > cursor:
            keep.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        keep.append((cursor, end))
    return keep


def _active(turns: list[Turn], a: float, b: float) -> set[str]:
    return {t.speaker for t in turns if t.start < b and t.end > a}


def diarization_error_rate(
    reference: list[Turn], hypothesis: list[Turn], *, collar: float = 0.0, skip_overlap: bool = False
) -> DERResult:
    """Exact DER of ``hypothesis`` against ``reference`` (see module docstring)."""
    end = max([t.end for t in reference + hypothesis], default=0.0)
    scored = _uem_without_collars(reference, collar, end)
    cuts = sorted({0.0, end, *(x for t in reference + hypothesis for x in (t.start, t.end)), *(x for r in scored for x in r)})
    pieces: list[tuple[float, set[str], set[str]]] = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        mid = (a + b) / 2
        if b <= a or not any(s <= mid < e for s, e in scored):
            continue
        ref, hyp = _active(reference, a, b), _active(hypothesis, a, b)
        if skip_overlap and len(ref) > 1:
            continue
        if ref or hyp:
            pieces.append((b - a, ref, hyp))

    ref_ids = sorted({t.speaker for t in reference})
    hyp_ids = sorted({t.speaker for t in hypothesis})
    overlap = np.zeros((len(ref_ids), len(hyp_ids)))
    for d, ref, hyp in pieces:
        for r in ref:
            for h in hyp:
                overlap[ref_ids.index(r), hyp_ids.index(h)] += d
    mapping: dict[str, str] = {}
    if overlap.size:
        rows, cols = linear_sum_assignment(-overlap)
        mapping = {ref_ids[r]: hyp_ids[c] for r, c in zip(rows, cols) if overlap[r, c] > 0}

    missed = false_alarm = confusion = total = 0.0
    for d, ref, hyp in pieces:
        n_ref, n_hyp = len(ref), len(hyp)
        correct = sum(1 for r in ref if mapping.get(r) in hyp)
        total += n_ref * d
        missed += max(0, n_ref - n_hyp) * d
        false_alarm += max(0, n_hyp - n_ref) * d
        confusion += (min(n_ref, n_hyp) - correct) * d
    if total == 0:
        raise EvaluationError(
            "De referentie bevat geen spraak binnen het gescoorde deel; DER is niet gedefinieerd.",
            hint="Controleer het referentiebestand (RTTM) en de collar-instelling.",
        )
    return DERResult(
        der=(missed + false_alarm + confusion) / total,
        missed=missed,
        false_alarm=false_alarm,
        confusion=confusion,
        total=total,
        mapping=mapping,
        collar=collar,
        skip_overlap=skip_overlap,
    )

"""Speaker-attributed word error rate: cpWER (concatenated minimum-permutation WER).

From the CHiME-6 challenge: per speaker, all words of that speaker are concatenated in time
order, for reference and hypothesis alike; reference and hypothesis speakers are paired one-to-one
so that the total number of word errors is minimal (unpaired speakers are compared with nothing);
cpWER = total errors / reference words. Speaker confusion shows up as deletions for one speaker
and insertions for another, so cpWER >= the plain WER of the same words.
"""

from __future__ import annotations

from collections.abc import Callable

import jiwer
import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy.optimize import linear_sum_assignment

from eval.normalize import DutchNormaliser
from pipeline.transcript import Transcript


class CpWERResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cpwer: float
    errors: int
    reference_words: int
    mapping: dict[str, str | None]
    """Reference speaker -> hypothesis speaker (``None``: paired with nothing)."""


def speaker_texts(transcript: Transcript) -> dict[str, str]:
    """Each speaker's words in time order (segments without a speaker count as ``?``)."""
    out: dict[str, list[str]] = {}
    for s in sorted(transcript.segments, key=lambda s: s.start):
        out.setdefault(s.speaker or "?", []).append(s.text)
    return {k: " ".join(v) for k, v in out.items()}


def _errors(reference: str, hypothesis: str) -> int:
    ref, hyp = reference.split(), hypothesis.split()
    if not ref:
        return len(hyp)
    if not hyp:
        return len(ref)
    o = jiwer.process_words(reference, hypothesis)
    return o.substitutions + o.deletions + o.insertions


def cpwer(
    reference: dict[str, str], hypothesis: dict[str, str], normalise: Callable[[str], str] | None = None
) -> CpWERResult:
    """cpWER between per-speaker texts (see module docstring)."""
    normalise = normalise or DutchNormaliser()
    ref = {k: normalise(v) for k, v in reference.items()}
    hyp = {k: normalise(v) for k, v in hypothesis.items()}
    ref_ids, hyp_ids = list(ref), list(hyp)
    n = max(len(ref_ids), len(hyp_ids))
    cost = np.zeros((n, n), dtype=int)
    for i in range(n):
        for j in range(n):
            r = ref[ref_ids[i]] if i < len(ref_ids) else ""
            h = hyp[hyp_ids[j]] if j < len(hyp_ids) else ""
            cost[i, j] = _errors(r, h)
    rows, cols = linear_sum_assignment(cost)
    errors = int(cost[rows, cols].sum())
    words = sum(len(v.split()) for v in ref.values())
    mapping = {ref_ids[i]: (hyp_ids[j] if j < len(hyp_ids) else None) for i, j in zip(rows, cols) if i < len(ref_ids)}
    return CpWERResult(cpwer=errors / max(1, words), errors=errors, reference_words=words, mapping=mapping)


def transcript_cpwer(reference: Transcript, hypothesis: Transcript) -> CpWERResult:
    return cpwer(speaker_texts(reference), speaker_texts(hypothesis))

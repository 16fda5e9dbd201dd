"""Frame-level helpers shared by diarization backends: speech masks and label runs to turns."""

from __future__ import annotations

import numpy as np

from models.diarization import SAMPLE_RATE, SpeakerTurn


def regions_to_mask(regions: list[tuple[float, float]], n_frames: int, frame_seconds: float) -> np.ndarray:
    """Boolean mask of frames inside any (start, end) region."""
    mask = np.zeros(n_frames, dtype=bool)
    for start, end in regions:
        a = max(0, int(np.floor(start / frame_seconds)))
        b = min(n_frames, int(np.ceil(end / frame_seconds)))
        if b > a:
            mask[a:b] = True
    return mask


def frame_dbfs(audio: np.ndarray, frame_seconds: float) -> np.ndarray:
    """RMS level per frame in dBFS (-120 for digital silence)."""
    hop = int(round(frame_seconds * SAMPLE_RATE))
    n = int(np.ceil(len(audio) / hop))
    padded = np.zeros(n * hop, dtype=np.float64)
    padded[: len(audio)] = audio
    rms = np.sqrt(np.mean(padded.reshape(n, hop) ** 2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-6))


def _close_gaps(mask: np.ndarray, max_gap: int) -> np.ndarray:
    out = mask.copy()
    idx = np.flatnonzero(mask)
    if len(idx) < 2:
        return out
    gaps = np.flatnonzero(np.diff(idx) - 1 > 0)
    for g in gaps:
        a, b = idx[g], idx[g + 1]
        if b - a - 1 <= max_gap:
            out[a + 1 : b] = True
    return out


def speech_mask_from_energy(
    audio: np.ndarray, frame_seconds: float, *, floor_dbfs: float = -55.0, above_noise_db: float = 12.0
) -> np.ndarray:
    """Energy voice-activity mask: louder than the noise floor + ``above_noise_db``; gaps < 0.3 s closed."""
    levels = frame_dbfs(audio, frame_seconds)
    if len(levels) == 0:
        return np.zeros(0, dtype=bool)
    noise = float(np.percentile(levels, 10))
    mask = levels > max(floor_dbfs, noise + above_noise_db)
    return _close_gaps(mask, int(round(0.3 / frame_seconds)))


def frames_to_turns(frame_labels: np.ndarray, frame_seconds: float) -> list[SpeakerTurn]:
    """Runs of equal non-negative labels to turns (label ``-1`` is non-speech)."""
    turns: list[SpeakerTurn] = []
    if len(frame_labels) == 0:
        return turns
    change = np.flatnonzero(np.diff(frame_labels)) + 1
    bounds = np.concatenate([[0], change, [len(frame_labels)]])
    for a, b in zip(bounds[:-1], bounds[1:]):
        label = int(frame_labels[a])
        if label >= 0:
            turns.append(SpeakerTurn(start=round(a * frame_seconds, 3), end=round(b * frame_seconds, 3), speaker=str(label)))
    return turns

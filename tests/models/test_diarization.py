"""Diarization backends: registry, clustering, frame helpers, and the real Resemblyzer encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eval.speakers.der import Turn
from models.diarization import DiarizationRequest
from pipeline.backends import build_diarizer
from models.diarization.clustering import ClusteringOptions, cluster_embeddings
from models.diarization.fake import FakeDiarizer
from models.diarization.speech import frames_to_turns, regions_to_mask, speech_mask_from_energy
from core.settings import Settings
from core.errors import ModelError


def _clusters(sizes: list[int], spread: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Non-negative unit vectors around distinct random centres (like Resemblyzer d-vectors)."""
    rng = np.random.default_rng(seed)
    centres = rng.random((len(sizes), 256)) ** 4
    rows, truth = [], []
    for k, n in enumerate(sizes):
        rows.append(np.abs(centres[k] + rng.normal(0, spread, (n, 256))))
        truth += [k] * n
    e = np.vstack(rows)
    return e / np.linalg.norm(e, axis=1, keepdims=True), np.array(truth)


def _agree(labels: np.ndarray, truth: np.ndarray) -> bool:
    pairs = {(a, b) for a, b in zip(labels.tolist(), truth.tolist())}
    return len(pairs) == len(set(truth.tolist())) == len(set(labels.tolist()))


@pytest.mark.parametrize("method", ["spectral", "agglomerative"])
@pytest.mark.parametrize(
    "sizes,given,expected",
    [
        ([30, 20, 25], 3, 3),  # known count
        ([30, 20, 25], None, 3),  # estimated
        ([40, 15], None, 2),
        ([50], None, 1),  # one speaker: over-split clusters are merged back
    ],
)
def test_cluster_embeddings_finds_speakers(method: str, sizes: list[int], given: int | None, expected: int) -> None:
    e, truth = _clusters(sizes, spread=0.02)
    labels, estimated = cluster_embeddings(e, num_speakers=given, min_speakers=1, options=ClusteringOptions(method=method))
    assert estimated is (given is None)
    assert len(set(labels.tolist())) == expected
    assert _agree(labels, truth)
    assert labels[0] == 0  # ids ordered by first appearance


@pytest.mark.parametrize("given", [2, None])
def test_long_recordings_cluster_a_sample_and_label_every_window(given: int | None) -> None:
    """Beyond ``max_windows`` the clustering runs on an even sample and the rest take the nearest centroid."""
    e, truth = _clusters([400, 250, 350][: 2 if given else 3], spread=0.02, seed=3)
    sampled, _ = cluster_embeddings(e, num_speakers=given, options=ClusteringOptions(max_windows=60))
    full, _ = cluster_embeddings(e, num_speakers=given, options=ClusteringOptions(max_windows=5000))
    assert sampled.shape == (len(e),)
    assert _agree(sampled, truth)
    assert sampled.tolist() == full.tolist()


def test_clustering_memory_does_not_grow_with_the_square_of_the_length() -> None:
    import tracemalloc

    e, _ = _clusters([3000, 3000], spread=0.02, seed=4)  # full affinity: 6000^2 x 8 B = 288 MB per matrix
    tracemalloc.start()
    try:
        labels, _ = cluster_embeddings(e, num_speakers=2, options=ClusteringOptions(max_windows=300))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(set(labels.tolist())) == 2
    assert peak < 150_000_000, f"peak {peak / 1e6:.0f} MB"  # one full affinity matrix alone: 288 MB


def test_cluster_embeddings_edge_cases() -> None:
    assert cluster_embeddings(np.zeros((0, 256)), num_speakers=None)[0].size == 0
    one = np.ones((1, 256))
    assert cluster_embeddings(one, num_speakers=3)[0].tolist() == [0]


def test_frames_to_turns_and_masks() -> None:
    labels = np.array([-1, 0, 0, 1, 1, -1, 0])
    turns = frames_to_turns(labels, 0.01)
    assert [(t.start, t.end, t.speaker) for t in turns] == [(0.01, 0.03, "0"), (0.03, 0.05, "1"), (0.06, 0.07, "0")]
    mask = regions_to_mask([(0.02, 0.04)], 6, 0.01)
    assert mask.tolist() == [False, False, True, True, False, False]


def test_speech_mask_from_energy_separates_tone_from_silence() -> None:
    sr = 16_000
    audio = np.zeros(3 * sr, dtype=np.float32)
    audio[sr : 2 * sr] = 0.3 * np.sin(2 * np.pi * 220 * np.arange(sr) / sr)
    mask = speech_mask_from_energy(audio, 0.01)
    assert mask[110:190].all() and not mask[:90].any() and not mask[210:].any()


@pytest.mark.parametrize(
    "backend,pyannote_dir,message",
    [
        ("pyannote", None, "geen lokale pipeline-map"),
        ("pyannote", "missing", "ontbreekt config.yaml"),
        ("pyannote", "with-config", "pyannote.audio is niet geïnstalleerd"),
    ],
)
def test_pyannote_backend_errors_say_what_to_do(tmp_path, backend: str, pyannote_dir: str | None, message: str) -> None:
    directory = None
    if pyannote_dir == "with-config":
        directory = tmp_path
        (tmp_path / "config.yaml").write_text("pipeline: {}\n")
    elif pyannote_dir == "missing":
        directory = tmp_path / "nope"
    settings = Settings(diarization_backend=backend, pyannote_pipeline_dir=directory)
    with pytest.raises(ModelError) as info:
        build_diarizer(settings)
    assert message in info.value.message
    assert info.value.hint


def test_none_backend_loads_nothing() -> None:
    assert build_diarizer(Settings(diarization_backend="none")) is None


def test_fake_backend_clips_to_speech_regions() -> None:
    fake = FakeDiarizer([(0.0, 5.0, "a"), (5.0, 9.0, "b")])
    result = fake.diarize(np.zeros(16_000 * 9, np.float32), DiarizationRequest(speech_regions=[(1.0, 2.0), (4.0, 6.0)]))
    assert [(t.start, t.end, t.speaker) for t in result.turns] == [(1.0, 2.0, "a"), (4.0, 5.0, "a"), (5.0, 6.0, "b")]
    assert result.num_speakers == 2


@pytest.mark.parametrize("bad", [{"min_speakers": 3, "max_speakers": 2}, {"num_speakers": 0}])
def test_request_rejects_impossible_bounds(bad: dict) -> None:
    with pytest.raises(ValueError):
        DiarizationRequest(**bad)


DATA = Path(__file__).resolve().parents[1] / "data" / "diarize"


@pytest.mark.slow
def test_resemblyzer_diarizes_committed_recording_offline(no_network) -> None:
    """Real encoder on three espeak voices with known turns (tests/data/diarize/mono.*)."""
    import soundfile as sf

    from eval.speakers.der import diarization_error_rate, read_rttm

    audio, _ = sf.read(DATA / "mono.ogg", dtype="float32")
    reference = read_rttm(DATA / "mono.rttm")["mono"]
    backend = build_diarizer(Settings(diarization_backend="resemblyzer"))
    assert backend is not None and len(backend.model_ref.sha256 or "") == 64
    request = DiarizationRequest(num_speakers=3, speech_regions=[(t.start, t.end) for t in reference])
    result = backend.diarize(audio, request)
    assert result.num_speakers == 3 and not result.estimated
    hypothesis = [Turn(start=t.start, end=t.end, speaker=t.speaker) for t in result.turns]
    der = diarization_error_rate(reference, hypothesis)
    assert der.missed < 0.5 and der.false_alarm < 0.5  # turns stay inside the given speech
    assert der.der < 0.2, der  # measured 0.106 (two of the three voices are similar male espeak voices)

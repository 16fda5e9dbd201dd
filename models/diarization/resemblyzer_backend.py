"""Embedded diarization: Resemblyzer d-vectors on sliding windows over speech, clustered.

Resemblyzer (PyPI ``resemblyzer``, Apache-2.0) ships its GE2E speaker encoder inside the wheel
(``resemblyzer/pretrained.pt``, 17 MB), so nothing is downloaded. It imports ``webrtcvad``, which
needs ``pkg_resources`` (``setuptools<81``).

Windows slide over the speech-only timeline (silence removed), so every window is full of speech;
each speech frame (10 ms) takes the label of the nearest window centre.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.diarization import (
    SAMPLE_RATE,
    Diarization,
    DiarizationRequest,
    SpeakerTurn,
    as_mono_float32,
)
from models.diarization.clustering import ClusteringMethod, ClusteringOptions, cluster_embeddings
from models.diarization.speech import frames_to_turns, regions_to_mask, speech_mask_from_energy
from core.errors import DiarizationError, ModelError
from core.provenance import ModelRef

logger = logging.getLogger(__name__)

FRAME_SECONDS = 0.01  # Resemblyzer mel hop
_MEL_CHUNK_SECONDS = 60


@dataclass
class WindowEmbeddings:
    """Embeddings of windows on the speech-only timeline."""

    embeddings: np.ndarray  # (n_windows, 256)
    speech_frames: np.ndarray  # indices (10 ms frames) of speech in the recording, in order
    window_frames: int
    step_frames: int


class ResemblyzerDiarizer:
    name = "resemblyzer"

    def __init__(self, encoder, weights: Path, *, window_seconds: float = 1.6, step_seconds: float = 0.4,
                 clustering: ClusteringMethod = "spectral", batch_size: int = 64,
                 label_anchor: float = 0.5) -> None:
        if not 0 < step_seconds <= window_seconds:
            raise ValueError("step_seconds must be positive and at most window_seconds")
        self._encoder = encoder
        self._weights = weights
        self._sha256: str | None = None
        self.window_frames = int(round(window_seconds / FRAME_SECONDS))
        self.step_frames = max(1, int(round(step_seconds / FRAME_SECONDS)))
        self.clustering = ClusteringOptions(method=clustering)
        self.batch_size = batch_size
        self.label_anchor = label_anchor
        """Where in a window its label applies (0 = start, 1 = end). The encoder's LSTM summarises
        a window by its final state, so one might expect the later part to dominate; on the test recordings the centre (0.5) measured best."""

    @classmethod
    def load(cls, **kwargs) -> ResemblyzerDiarizer:
        """Load the bundled encoder on CPU (about a second)."""
        try:
            import resemblyzer
            from resemblyzer import VoiceEncoder
        except ImportError as exc:  # missing package or setuptools>=81 without pkg_resources
            raise ModelError(
                f"Het diarisatiemodel (Resemblyzer) kan niet geladen worden: {exc.__class__.__name__}.",
                hint='Installeer het met: pip install "resemblyzer==0.1.4" "setuptools<81" '
                "(of kies VG_DIARIZATION_BACKEND=none).",
            ) from None
        weights = Path(resemblyzer.__file__).with_name("pretrained.pt")
        if not weights.is_file():
            raise ModelError(
                "Het Resemblyzer-pakket mist zijn sprekermodel (pretrained.pt).",
                hint='Herinstalleer: pip install --force-reinstall "resemblyzer==0.1.4".',
            )
        started = time.perf_counter()
        encoder = VoiceEncoder(device="cpu", verbose=False)
        encoder.eval()
        logger.info("loaded Resemblyzer speaker encoder in %.2f s", time.perf_counter() - started)
        return cls(encoder, weights, **kwargs)

    @property
    def model_ref(self) -> ModelRef:
        if self._sha256 is None:
            self._sha256 = hashlib.sha256(self._weights.read_bytes()).hexdigest()
        return ModelRef(backend=self.name, name="resemblyzer-0.1.4-ge2e", path=str(self._weights), sha256=self._sha256)

    # --- embedding ----------------------------------------------------------------------------
    def _mel(self, audio: np.ndarray) -> np.ndarray:
        from resemblyzer.audio import normalize_volume, wav_to_mel_spectrogram

        wav = normalize_volume(audio, -30, increase_only=True)
        chunk = _MEL_CHUNK_SECONDS * SAMPLE_RATE
        frames_per_chunk = int(round(_MEL_CHUNK_SECONDS / FRAME_SECONDS))
        n_frames = int(np.ceil(len(wav) / (FRAME_SECONDS * SAMPLE_RATE)))
        parts = [wav_to_mel_spectrogram(wav[i : i + chunk])[:frames_per_chunk] for i in range(0, len(wav), chunk)]
        mel = np.concatenate(parts) if parts else np.zeros((0, 40), np.float32)
        return mel[:n_frames]

    def embed_windows(self, audio: np.ndarray, speech: np.ndarray) -> WindowEmbeddings:
        """Embed windows over the speech frames ``speech`` (boolean mask of 10 ms frames)."""
        import torch

        mel = self._mel(audio)
        speech = speech[: len(mel)]
        speech_frames = np.flatnonzero(speech)
        n = len(speech_frames)
        if n == 0:
            return WindowEmbeddings(np.zeros((0, 256), np.float32), speech_frames, self.window_frames, self.step_frames)
        speech_mel = mel[speech_frames]
        w, s = self.window_frames, self.step_frames
        if n < w:  # short recording: one window, repeated speech fills it
            speech_mel = np.resize(speech_mel, (w, speech_mel.shape[1]))
        starts = list(range(0, max(1, len(speech_mel) - w + 1), s))
        if starts[-1] + w < len(speech_mel):
            starts.append(len(speech_mel) - w)
        outputs = []
        with torch.inference_mode():
            for i in range(0, len(starts), self.batch_size):
                batch = np.stack([speech_mel[j : j + w] for j in starts[i : i + self.batch_size]])
                outputs.append(self._encoder(torch.from_numpy(batch)).numpy())
        embeddings = np.concatenate(outputs)
        return WindowEmbeddings(embeddings, speech_frames, w, s if len(starts) > 1 else w)

    # --- diarization --------------------------------------------------------------------------
    def diarize(self, audio: np.ndarray, request: DiarizationRequest) -> Diarization:
        audio = as_mono_float32(audio)
        n_frames = int(np.ceil(len(audio) / (FRAME_SECONDS * SAMPLE_RATE)))
        if request.speech_regions is None:
            speech = speech_mask_from_energy(audio, FRAME_SECONDS)
        else:
            speech = regions_to_mask(request.speech_regions, n_frames, FRAME_SECONDS)
        try:
            windows = self.embed_windows(audio, speech)
        except RuntimeError as exc:  # torch failures: out of memory and the like
            raise DiarizationError(
                "Sprekerherkenning is mislukt tijdens het berekenen van stemkenmerken.",
                hint="Probeer het opnieuw met minder andere programma's open, of zet diarisatie uit (VG_DIARIZATION_BACKEND=none).",
            ) from exc
        labels, estimated = cluster_embeddings(
            windows.embeddings,
            num_speakers=request.num_speakers,
            min_speakers=request.min_speakers,
            max_speakers=request.max_speakers,
            options=self.clustering,
        )
        frame_labels = np.full(n_frames, -1, dtype=int)
        if len(labels):
            position = np.arange(len(windows.speech_frames))
            anchor = self.label_anchor * windows.window_frames
            centre_index = np.rint((position - anchor) / windows.step_frames).astype(int)
            frame_labels[windows.speech_frames] = labels[np.clip(centre_index, 0, len(labels) - 1)]
        turns = frames_to_turns(frame_labels, FRAME_SECONDS)
        return Diarization(
            turns=turns,
            num_speakers=len(set(labels.tolist())),
            estimated=estimated,
            model=self.model_ref,
        )


__all__ = ["ResemblyzerDiarizer", "SpeakerTurn", "WindowEmbeddings"]

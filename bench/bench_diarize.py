"""CPU cost of diarization per hour of audio, next to transcription.

    .venv/bin/python -m bench.bench_diarize [--minutes 5] [--asr-seconds 60]

Audio: the committed three-voice recording (tests/data/diarize/mono.ogg) repeated to the
requested length. Diarization uses the embedded Resemblyzer backend with energy-based speech
detection; transcription uses the configured faster-whisper model on the first ``--asr-seconds``.
Figures are extrapolated linearly to one hour (both costs are linear in audio length, except the
clustering, which is measured separately).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from models.diarization import DiarizationRequest
from models.diarization.clustering import cluster_embeddings
from models.diarization.resemblyzer_backend import ResemblyzerDiarizer
from models.diarization.speech import speech_mask_from_energy
from core.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "diarize" / "mono.ogg"
SR = 16_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Diarization cost per hour of audio (CPU).")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--asr-seconds", type=float, default=60.0, help="0 skips transcription")
    args = parser.parse_args(argv)

    clip, _ = sf.read(DATA, dtype="float32")
    n = int(args.minutes * 60 * SR)
    audio = np.resize(clip, n).astype(np.float32)
    hours = n / SR / 3600

    started = time.perf_counter()
    backend = ResemblyzerDiarizer.load()
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    speech = speech_mask_from_energy(audio, 0.01)
    windows = backend.embed_windows(audio, speech)
    embed_s = time.perf_counter() - started
    started = time.perf_counter()
    cluster_embeddings(windows.embeddings, num_speakers=None, min_speakers=2)
    cluster_s = time.perf_counter() - started
    started = time.perf_counter()
    result = backend.diarize(audio, DiarizationRequest(num_speakers=3))
    total_s = time.perf_counter() - started

    print(f"audio: {n / SR:.0f} s ({len(windows.embeddings)} windows of {backend.window_frames / 100:.1f} s, step {backend.step_frames / 100:.2f} s)")
    print(f"resemblyzer load: {load_s:.2f} s")
    print(f"embedding: {embed_s:.2f} s -> {embed_s / hours:.0f} s per hour of audio (RTF {embed_s / (n / SR):.4f})")
    print(f"clustering (estimated count): {cluster_s:.2f} s for {len(windows.embeddings)} windows")
    print(f"diarize() end to end: {total_s:.2f} s -> {total_s / hours:.0f} s per hour (RTF {total_s / (n / SR):.4f}); {result.num_speakers} speakers")

    if args.asr_seconds > 0:
        from models.asr import AsrOptions
        from pipeline.backends import build_asr

        asr = build_asr(Settings())
        part = audio[: int(args.asr_seconds * SR)]
        started = time.perf_counter()
        asr.transcribe(part, AsrOptions())
        asr_s = time.perf_counter() - started
        asr_rtf = asr_s / args.asr_seconds
        print(f"transcription ({asr.model_ref.name}, word timestamps): RTF {asr_rtf:.3f} -> {asr_rtf * 3600:.0f} s per hour")
        print(f"diarization / transcription cost ratio: {(total_s / (n / SR)) / asr_rtf:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

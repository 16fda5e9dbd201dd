"""Audio to letter on N minutes of real speech: per-stage wall time, RTF and peak RSS.

    python -m bench e2e --minutes 60 [--seed 0] [--keep DIR]
    python -m bench e2e --minutes 180 --transcript-only     # memory on long audio, no LLM


Builds an N-minute two-speaker recording from the speech-nl corpus (``eval.speech_nl``: both
halves, turns of the two voices alternating, utterances reused in a new order once all were used),
then runs ``vg process`` (``pipeline.runner.run_pipeline``) on it with the configured models
(``VG_*`` settings), speaker count given as 2. Prints and writes ``out/bench/e2e-<N>min.json``.
Model loading is part of the first stage that uses a model, as in a real run.
``--transcript-only`` runs the transcript stage alone (decode, chunked transcription,
diarization): the part whose memory could grow with the length of the recording.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import psutil

TARGETS = {"transcript": 240.0, "verslag": 240.0}  # seconds per 60 minutes (issue 14)


def main(argv: list[str] | None = None) -> int:
    from core.settings import REPO_ROOT, Settings
    from eval.speech_nl import conversation_layout, load_corpus, render
    from models.asr import AsrOptions
    from pipeline.audio import AudioOptions
    from pipeline.backends import Backends
    from pipeline.case import CaseMetadata
    from pipeline.measure import measure
    from pipeline.runner import ProcessOptions, run_pipeline
    from pipeline.transcribe import TranscribeOptions

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=None, help="keep the outputs in this folder")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "bench")
    parser.add_argument("--transcript-only", action="store_true",
                        help="run only the transcript stage (memory and speed on long audio)")
    args = parser.parse_args(argv)
    print(f"load before: {os.getloadavg()}")
    settings = Settings()
    tmp = Path(tempfile.mkdtemp(prefix="vg-e2e-"))
    try:
        wav = tmp / "gesprek.wav"
        started = time.perf_counter()
        placed = render(conversation_layout(load_corpus(None, "all"), args.minutes, seed=args.seed), wav)
        audio_seconds = placed[-1].end
        print(f"built {audio_seconds / 60:.1f} min recording ({len(placed)} utterances) in {time.perf_counter() - started:.1f} s")
        options = ProcessOptions(
            audio=AudioOptions(max_seconds=settings.max_audio_seconds, max_file_mb=settings.max_file_mb),
            transcribe=TranscribeOptions(asr=AsrOptions(beam_size=settings.asr_beam_size, batch_size=settings.asr_batch_size,
                                     word_timestamps=settings.asr_word_timestamps)),
            speakers=2, reuse=False,
        )
        out_dir = args.keep or (tmp / "out")
        if args.transcript_only:
            return _transcript_only(wav, audio_seconds, settings, options, args)
        with measure() as total:
            record = run_pipeline(wav, out_dir, case=CaseMetadata(), backends=Backends(settings), options=options)
        rows = [{"stage": s.stage, "seconds": round(s.wall_seconds, 1), "rtf": round(s.wall_seconds / audio_seconds, 4),
                 "per_60_min": round(s.wall_seconds * 3600 / audio_seconds, 1), "peak_rss_mb": s.peak_rss_mb}
                for s in record.stages]
        print(f"\n{'stage':<12}{'seconds':>9}{'RTF':>8}{'s/60 min':>10}{'peak RSS MB':>13}")
        for r in rows:
            print(f"{r['stage']:<12}{r['seconds']:>9.1f}{r['rtf']:>8.3f}{r['per_60_min']:>10.0f}{(r['peak_rss_mb'] or 0):>13.0f}")
        peak = max(total.peak_rss_mb, psutil.Process().memory_info().rss / 2**20)
        print(f"total {total.wall_seconds:.1f} s for {audio_seconds / 60:.1f} min (RTF {total.wall_seconds / audio_seconds:.3f}); "
              f"peak RSS {peak:.0f} MB; status {record.status}")
        for stage, target in TARGETS.items():
            got = next((r["per_60_min"] for r in rows if r["stage"] == stage), None)
            if got is not None:
                print(f"  {stage}: {got:.0f} s per 60 min vs target {target:.0f} s ({'ok' if got <= target else f'{got / target:.1f}x over'})")
        print(f"load after: {os.getloadavg()}")
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"e2e-{args.minutes:g}min.json").write_text(json.dumps({
            "audio_seconds": audio_seconds, "total_seconds": round(total.wall_seconds, 1), "peak_rss_mb": round(peak),
            "stages": rows, "status": record.status, "load": os.getloadavg()}, indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _transcript_only(wav: Path, audio_seconds: float, settings, options, args) -> int:
    from core.provenance import StageInfo
    from pipeline import stages
    from pipeline.backends import Backends
    from pipeline.case import CaseMetadata
    from pipeline.measure import measure
    from pipeline.stage_options import build_stage_options

    opts = build_stage_options(settings, options)
    info = StageInfo(stage="transcript")
    with measure() as m:
        transcript = stages.make_transcript(wav, CaseMetadata(), Backends(settings), opts.transcript, info,
                                            lambda _s, _m: None)
    file_mb = wav.stat().st_size / 2**20
    print(f"transcript only: {m.wall_seconds:.1f} s for {audio_seconds / 60:.1f} min (RTF {m.wall_seconds / audio_seconds:.3f}); "
          f"{len(transcript.segments)} segments; peak RSS {m.peak_rss_mb:.0f} MB (16 kHz wav {file_mb:.0f} MB)")
    print(f"load after: {os.getloadavg()}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"transcript-{args.minutes:g}min.json").write_text(json.dumps({
        "audio_seconds": audio_seconds, "seconds": round(m.wall_seconds, 1), "peak_rss_mb": round(m.peak_rss_mb),
        "wav_mb": round(file_mb), "segments": len(transcript.segments), "load": os.getloadavg()}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

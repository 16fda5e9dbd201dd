"""Per-stage wall time, real-time factor and peak RSS of ``vg process`` on the bundled sample.

Also compares sequential and batched faster-whisper decoding on the same audio.
Usage: ``python -m bench.bench_pipeline [AUDIO] [--case CASE.json]``. Results are printed and
written to ``out/bench/pipeline.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from models.asr import AsrOptions
from pipeline.audio import decode_audio
from pipeline.backends import Backends
from pipeline.case import load_case
from core.settings import REPO_ROOT, Settings
from pipeline.measure import measure
from pipeline.runner import ProcessOptions, run_pipeline
from pipeline.transcribe import TranscribeOptions, transcribe

SAMPLE = REPO_ROOT / "samples" / "vg-demo"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("audio", nargs="?", type=Path, default=SAMPLE / "gesprek.ogg")
    parser.add_argument("--case", type=Path, default=SAMPLE / "case.json")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "bench")
    args = parser.parse_args()

    settings = Settings()
    backends = Backends(settings)
    audio = decode_audio(args.audio)
    minutes = audio.duration / 60
    print(f"Audio: {args.audio.name}, {audio.duration:.1f} s, {audio.channels} channel(s)")
    results: dict[str, dict] = {"audio_seconds": audio.duration}

    with measure() as m:
        asr = backends.asr
    print(f"ASR model load: {m.wall_seconds:.1f} s ({asr.model_ref.name}, device {getattr(asr, 'device', '?')})")
    for label, batch in (("sequential", 0), ("batched-8", 8)):
        opts = TranscribeOptions(asr=AsrOptions(batch_size=batch), channels="mix")
        with measure() as m:
            t = transcribe(audio, asr, opts)
        rtf = m.wall_seconds / audio.duration
        results[f"asr_{label}"] = {"seconds": round(m.wall_seconds, 2), "rtf": round(rtf, 3),
                                   "segments": len(t.segments), "peak_rss_mb": m.peak_rss_mb}
        print(f"ASR {label:<11} {m.wall_seconds:7.1f} s  RTF {rtf:.3f}  ({60 * rtf:.1f} min per hour of audio)  "
              f"peak RSS {m.peak_rss_mb:.0f} MB")

    out_dir = args.out / "run"
    shutil.rmtree(out_dir, ignore_errors=True)
    started = time.perf_counter()
    record = run_pipeline(args.audio, out_dir, case=load_case(args.case), backends=backends,
                          options=ProcessOptions(reuse=False))
    total = time.perf_counter() - started
    print(f"\nvg process on {minutes:.1f} min of audio: {total:.1f} s total (RTF {total / audio.duration:.2f}; "
          f"first-use model loading included)")
    print(f"{'stage':<12}{'seconds':>10}{'RTF':>8}{'peak RSS MB':>14}")
    for stage in record.stages:
        print(f"{stage.stage:<12}{stage.wall_seconds:>10.1f}{stage.wall_seconds / audio.duration:>8.3f}"
              f"{(stage.peak_rss_mb or 0):>14.0f}")
        results[f"stage_{stage.stage}"] = {"seconds": stage.wall_seconds, "rtf": round(stage.wall_seconds / audio.duration, 3),
                                           "peak_rss_mb": stage.peak_rss_mb}
    results["total_seconds"] = round(total, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "pipeline.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

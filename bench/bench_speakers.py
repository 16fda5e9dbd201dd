"""Diarization on two real voices: DER and speaker-attributed WER (cpWER), speaker count given and unknown.

    python -m bench.bench_speakers [--minutes 3] [--dev-seed 11] [--test-seed 12]

Two conversations from ``eval.speech_nl``: one from the dev half (seed ``--dev-seed``) on which the
Resemblyzer window/step/clustering variants are compared, and one from the held-out half (another
seed) on which only the variant chosen on dev is reported. Transcription runs once per
conversation per timestamp mode (word timestamps vs batched segment timestamps) with the configured
model; diarization then runs per variant on the same transcript. DER without collar.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

VARIANTS = {  # name: (window seconds, step seconds, clustering)
    "w1.6-s0.4-spectral": (1.6, 0.4, "spectral"),
    "w1.2-s0.3-spectral": (1.2, 0.3, "spectral"),
    "w1.6-s0.4-agglo": (1.6, 0.4, "agglomerative"),
    "w2.0-s0.5-spectral": (2.0, 0.5, "spectral"),
}
TIMESTAMPS = {
    "words": dict(word_timestamps=True),
    "segments": dict(word_timestamps=False, segment_timestamps=True),  # sequential decoding always has them
}


def main(argv: list[str] | None = None) -> int:
    from core.settings import REPO_ROOT, Settings
    from eval.speakers.der import read_rttm
    from eval.speakers.score import score_speakers
    from eval.speech_nl import load_corpus, write_conversation
    from models.asr import AsrOptions
    from pipeline.backends import build_diarizer
    from pipeline.audio import decode_audio
    from pipeline.backends import Backends
    from pipeline.case import CaseMetadata
    from pipeline.diarize import DiarizeOptions, diarize
    from pipeline.transcribe import TranscribeOptions, transcribe
    from pipeline.transcript import Transcript

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--dev-seed", type=int, default=11)
    parser.add_argument("--test-seed", type=int, default=12)
    parser.add_argument("--variant", default=None, help="report only this variant (skip the dev comparison)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "bench")
    args = parser.parse_args(argv)
    print(f"load before: {os.getloadavg()}")
    settings = Settings()
    asr = Backends(settings).asr
    diarizers = {name: build_diarizer(settings.model_copy(update={
        "diarization_window_seconds": w, "diarization_step_seconds": s, "diarization_clustering": c}))
        for name, (w, s, c) in VARIANTS.items()}
    results: list[dict] = []

    def run(part: str, seed: int, variants: list[str]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            conv = Path(tmp) / f"{part}-s{seed}"
            write_conversation(conv, load_corpus(None, part), args.minutes, seed)
            audio = decode_audio(conv / "audio.wav")
            ref_turns = next(iter(read_rttm(conv / "reference.rttm").values()))
            gold = Transcript.model_validate_json((conv / "transcript.gold.json").read_text())
        for ts_name, ts in TIMESTAMPS.items():
            opts = TranscribeOptions(asr=AsrOptions(beam_size=settings.asr_beam_size, batch_size=settings.asr_batch_size, **ts), channels="mix")
            started = time.perf_counter()
            transcript = transcribe(audio, asr, opts)
            asr_s = time.perf_counter() - started
            for name in variants:
                for count in (2, None):
                    started = time.perf_counter()
                    hyp = diarize(audio.mono(), transcript, diarizers[name], CaseMetadata(),
                                  DiarizeOptions(num_speakers=count, max_speakers=settings.diarization_max_speakers))
                    d_s = time.perf_counter() - started
                    sc = score_speakers(hyp, ref_turns, gold)
                    row = {"part": part, "seed": seed, "timestamps": ts_name, "variant": name,
                           "count": "given" if count else "unknown", "der": round(sc.der.der, 4),
                           "cpwer": round(sc.cpwer.cpwer, 4), "speakers_found": sc.hypothesis_speakers,
                           "asr_seconds": round(asr_s, 1), "diarize_seconds": round(d_s, 1), "audio_seconds": audio.duration}
                    results.append(row)
                    print(f"{part:<8} s{seed} {ts_name:<9}{name:<20} count {row['count']:<8} DER {row['der']:.3f}  "
                          f"cpWER {row['cpwer']:.3f}  speakers {row['speakers_found']}  asr {asr_s:.0f} s  diarize {d_s:.1f} s",
                          flush=True)

    if args.variant:
        chosen = args.variant
    else:
        run("dev", args.dev_seed, list(VARIANTS))
        dev_given = [r for r in results if r["count"] == "given" and r["timestamps"] == "words"]
        chosen = min(dev_given, key=lambda r: (r["der"], r["cpwer"]))["variant"]
        print(f"chosen on dev (lowest DER, count given, word timestamps): {chosen}")
    run("heldout", args.test_seed, [chosen])
    print(f"load after: {os.getloadavg()}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "speakers.json").write_text(json.dumps({"chosen": chosen, "rows": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

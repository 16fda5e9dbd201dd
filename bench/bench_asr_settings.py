"""ASR settings on real Dutch speech: WER, CER, RTF and peak RSS per faster-whisper setting.

    python -m bench.bench_asr_settings [--minutes 4] [--part dev|heldout] [--only NAME ...]

Builds a recording from one half of the speech-nl corpus (``eval.speech_nl``: dev to choose,
held-out to report), decodes it once, then runs each setting through the ASR backend (the same
call the transcription stage makes). WER/CER after the project's Dutch normalisation. Writes
``out/bench/asr-settings-<part>.json``. Run reported figures under ``flock /tmp/vg-measure.lock``.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from models.asr import AsrOptions

SETTINGS: dict[str, AsrOptions] = {
    "seq-b5-words": AsrOptions(beam_size=5, word_timestamps=True),
    "seq-b5": AsrOptions(beam_size=5, word_timestamps=False),
    "seq-b1": AsrOptions(beam_size=1, word_timestamps=False),
    "seq-b5-vad500": AsrOptions(beam_size=5, word_timestamps=False, vad_min_silence_ms=500),
    "bat8-b5-words": AsrOptions(batch_size=8, beam_size=5, word_timestamps=True),
    "bat8-b5-segts": AsrOptions(batch_size=8, beam_size=5, word_timestamps=False, segment_timestamps=True),
    "bat8-b5-nots": AsrOptions(batch_size=8, beam_size=5, word_timestamps=False, segment_timestamps=False),
    "bat8-b1-segts": AsrOptions(batch_size=8, beam_size=1, word_timestamps=False, segment_timestamps=True),
    "bat16-b5-segts": AsrOptions(batch_size=16, beam_size=5, word_timestamps=False, segment_timestamps=True),
    "bat4-b5-segts": AsrOptions(batch_size=4, beam_size=5, word_timestamps=False, segment_timestamps=True),
}


def error_rates(reference: str, hypothesis: str) -> tuple[float, float]:
    """(WER, CER) after the evaluation's Dutch normalisation."""
    import jiwer

    from eval.normalize import DutchNormaliser

    norm = DutchNormaliser()
    ref, hyp = norm(reference), norm(hypothesis)
    return jiwer.wer(ref, hyp), jiwer.cer(ref, hyp)


def main(argv: list[str] | None = None) -> int:
    from core.settings import REPO_ROOT, Settings
    from eval.speech_nl import load_corpus, long_layout, render
    from pipeline.audio import decode_audio
    from pipeline.backends import Backends
    from pipeline.measure import measure

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=4.0)
    parser.add_argument("--part", choices=["dev", "heldout"], default="dev")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "bench")
    args = parser.parse_args(argv)

    print(f"load before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        placed = render(long_layout(load_corpus(None, args.part), args.minutes, seed=0), wav)
        audio = decode_audio(wav)
    reference = " ".join(p.utterance.text for p in placed)
    samples = audio.mono()
    asr = Backends(Settings()).asr
    asr.transcribe(samples[: 16_000 * 5], AsrOptions())  # warm-up: first call pays one-time costs
    rows = []
    for name, options in SETTINGS.items():
        if args.only and name not in args.only:
            continue
        with measure() as m:
            result = asr.transcribe(samples, options)
        wer, cer = error_rates(reference, " ".join(s.text for s in result.segments))
        row = {"setting": name, "options": options.model_dump(), "wer": round(wer, 4), "cer": round(cer, 4),
               "seconds": round(m.wall_seconds, 1), "rtf": round(m.wall_seconds / audio.duration, 4),
               "peak_rss_mb": m.peak_rss_mb, "segments": len(result.segments)}
        rows.append(row)
        print(f"{name:<16} WER {wer:6.3f}  CER {cer:6.3f}  {m.wall_seconds:6.1f} s  RTF {row['rtf']:.3f}  "
              f"peak RSS {m.peak_rss_mb:.0f} MB  {len(result.segments)} segments", flush=True)
    print(f"load after: {os.getloadavg()}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"asr-settings-{args.part}.json").write_text(json.dumps(
        {"part": args.part, "audio_seconds": audio.duration, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

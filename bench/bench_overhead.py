"""Transcript-stage overhead over a raw faster-whisper call with the same settings, same file, one run.

    python -m bench.bench_overhead [--minutes 2] [--repeats 2]

Raw: ``WhisperModel.transcribe`` (or ``BatchedInferencePipeline.transcribe``) on the WAV path, the
generator consumed, with the options the stage would pass. Stage: ``decode_audio`` + the
``transcribe`` stage with the same loaded model and options (diarization is a separate feature and
measured by ``bench_speakers``). The two alternate (raw, stage, raw, stage ...) and the medians are
compared, so machine noise hits both alike. Target: stage <= 1.05 x raw.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from core.settings import Settings
    from eval.speech_nl import load_corpus, long_layout, render
    from models.asr import AsrOptions
    from pipeline.audio import decode_audio
    from pipeline.backends import Backends
    from pipeline.transcribe import TranscribeOptions, transcribe

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"load before: {os.getloadavg()}")
    settings = Settings()
    asr = Backends(settings).asr
    opts = TranscribeOptions(asr=AsrOptions(beam_size=settings.asr_beam_size, batch_size=settings.asr_batch_size,
                                     word_timestamps=settings.asr_word_timestamps), channels="mix")
    a = opts.asr
    raw_kwargs = dict(language=a.language, beam_size=a.beam_size, vad_filter=a.vad_filter, word_timestamps=a.word_timestamps,
                      initial_prompt=a.initial_prompt)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        render(long_layout(load_corpus(None, "dev"), args.minutes, seed=7), wav)
        model = asr._model  # the same loaded CTranslate2 model: only the code around it differs
        if a.batch_size > 0:
            from faster_whisper import BatchedInferencePipeline

            pipe = BatchedInferencePipeline(model=model)

            def raw() -> int:
                segs, _ = pipe.transcribe(str(wav), batch_size=a.batch_size, without_timestamps=not a.segment_timestamps, **raw_kwargs)
                return len(list(segs))
        else:
            def raw() -> int:
                segs, _ = model.transcribe(str(wav), condition_on_previous_text=a.condition_on_previous_text, **raw_kwargs)
                return len(list(segs))

        def stage() -> int:
            return len(transcribe(decode_audio(wav), asr, opts).segments)

        raw()  # warm-up (first-call costs) for both paths
        times: dict[str, list[float]] = {"raw": [], "stage": []}
        for _ in range(args.repeats):
            for name, fn in (("raw", raw), ("stage", stage)):
                started = time.perf_counter()
                n = fn()
                times[name].append(time.perf_counter() - started)
                print(f"{name:<6} {times[name][-1]:6.1f} s  {n} segments", flush=True)
    r, s = statistics.median(times["raw"]), statistics.median(times["stage"])
    print(f"settings: batch {a.batch_size}, beam {a.beam_size}, word timestamps {a.word_timestamps}, "
          f"segment timestamps {a.segment_timestamps}; audio {args.minutes:.1f} min")
    print(f"median raw {r:.1f} s, stage {s:.1f} s: overhead {100 * (s / r - 1):+.1f}% (target <= +5%)")
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

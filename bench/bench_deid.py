"""Throughput of de-identification on a generated one-hour VG transcript (~9,000 words).

    python -m bench.bench_deid [--words 9000] [--without ner] [--repeat 7]

Prints engine build time (Deduce load; the one-time lookup build is excluded when warmed up),
words per second and seconds per hour of conversation. The transcript is synthetic: sentences
from eval/data/pii (names, numbers, addresses), so dense with personal data that almost every turn
has a name - a worst case. A second figure is taken on the six development conversations
(eval/data/dev, ~3,900 words), where most turns have no name, as in a real conversation.
"""

from __future__ import annotations

import argparse
import random
import time

from pathlib import Path

from eval.pii.dataset import DEFAULT_CASE, load_examples
from pipeline.case import load_case
from pipeline.deid import DeidOptions, build_engine, deidentify
from pipeline.transcript import Segment, Transcript, TranscriptSource


def one_hour_transcript(words: int, seed: int = 1) -> Transcript:
    rng = random.Random(seed)
    sentences = [e.text for e in load_examples()]
    segments, count, t = [], 0, 0.0
    while count < words:
        turn = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        n = len(turn.split())
        duration = n * 0.4
        segments.append(Segment(id=len(segments) + 1, start=t, end=t + duration, speaker=f"SPREKER_{len(segments) % 4 + 1}", text=turn))
        t += duration
        count += n
    return Transcript(duration=t, segments=segments, source=TranscriptSource(kind="text", filename="bench.txt", sha256="0" * 64),
                      speakers={"SPREKER_1": "inwoner", "SPREKER_2": "ggz", "SPREKER_3": "sociaal", "SPREKER_4": "naaste"})


DEV = Path(__file__).resolve().parents[1] / "eval" / "data" / "dev"


def _timed(items, engine, repeat: int) -> list[float]:
    for transcript, case in items:
        deidentify(transcript, case, engine)  # the first call warms caches
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for transcript, case in items:
            deidentify(transcript, case, engine)
        runs.append(time.perf_counter() - t0)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=9000)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs (best and median are printed)")
    parser.add_argument("--without", action="append", default=[], help="leave a recognizer out (e.g. ner)")
    args = parser.parse_args()
    transcript = one_hour_transcript(args.words)
    words = sum(len(s.text.split()) for s in transcript.segments)
    case = load_case(DEFAULT_CASE)
    t0 = time.perf_counter()
    options = DeidOptions()
    if args.without:
        from pipeline.deid.config import load_config

        options = DeidOptions(recognizers=[n for n in load_config(None).recognizers if n not in args.without])
    engine = build_engine(options)
    build = time.perf_counter() - t0
    deidentify(transcript, case, engine)  # first call warms caches
    runs = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = deidentify(transcript, case, engine)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    per_hour = best * 9000 / words
    print(f"transcript: {words} words, {len(transcript.segments)} segments, {len(result.pseudonymised.entities)} replacements")
    print(f"engine build (Deduce cached): {build:.1f} s")
    median = sorted(runs)[len(runs) // 2]
    print(f"de-identification: best of {args.repeat} {best:.2f} s  ->  {words / best:,.0f} words/s "
          f"(median {median:.2f} s -> {words / median:,.0f} words/s)")
    print(f"seconds per hour of conversation (9,000 words): {per_hour:.2f} s  (target < 2 s: {'met' if per_hour < 2 else 'NOT met'})")
    from pipeline.transcript_io import read_transcript_file

    conversations = [(read_transcript_file(c / "transcript.gold.json"), load_case(c / "case.json"))
                     for c in sorted(DEV.iterdir()) if (c / "transcript.gold.json").is_file() and (c / "case.json").is_file()]
    if conversations:
        dev_words = sum(len(s.text.split()) for t, _ in conversations for s in t.segments)
        dev_runs = _timed(conversations, engine, args.repeat)
        best, median = min(dev_runs), sorted(dev_runs)[len(dev_runs) // 2]
        print(f"development conversations ({len(conversations)}, {dev_words} words): best {dev_words / best:,.0f} words/s "
              f"(median {dev_words / median:,.0f} words/s)")


if __name__ == "__main__":
    main()

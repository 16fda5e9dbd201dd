"""Speaker scores of one recording: DER against reference turns and cpWER against a gold transcript.

    python -m eval.speakers.score transcript.json reference.rttm [--gold transcript.gold.json] [--collar 0.25]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from eval.speakers.cpwer import CpWERResult, transcript_cpwer
from eval.speakers.der import DERResult, Turn, diarization_error_rate, read_rttm
from pipeline.transcript import Transcript


class SpeakerScores(BaseModel):
    model_config = ConfigDict(extra="forbid")

    der: DERResult
    cpwer: CpWERResult | None = None
    reference_speakers: int
    hypothesis_speakers: int


def transcript_turns(transcript: Transcript) -> list[Turn]:
    """Hypothesis turns from speaker-labelled segments (word times when present: tighter)."""
    turns = []
    for s in transcript.segments:
        if not s.speaker:
            continue
        start = s.words[0].start if s.words else s.start
        end = s.words[-1].end if s.words else s.end
        if end > start:
            turns.append(Turn(start=start, end=end, speaker=s.speaker))
    return turns


def score_speakers(
    hypothesis: Transcript, reference_turns: list[Turn], gold: Transcript | None = None, *, collar: float = 0.0
) -> SpeakerScores:
    hyp_turns = transcript_turns(hypothesis)
    return SpeakerScores(
        der=diarization_error_rate(reference_turns, hyp_turns, collar=collar),
        cpwer=transcript_cpwer(gold, hypothesis) if gold is not None else None,
        reference_speakers=len({t.speaker for t in reference_turns}),
        hypothesis_speakers=len({t.speaker for t in hyp_turns}),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transcript", type=Path)
    parser.add_argument("rttm", type=Path)
    parser.add_argument("--gold", type=Path)
    parser.add_argument("--collar", type=float, default=0.0)
    args = parser.parse_args(argv)
    hypothesis = Transcript.model_validate_json(args.transcript.read_text(encoding="utf-8"))
    reference = [t for turns in read_rttm(args.rttm).values() for t in turns]
    gold = Transcript.model_validate_json(args.gold.read_text(encoding="utf-8")) if args.gold else None
    print(json.dumps(score_speakers(hypothesis, reference, gold, collar=args.collar).model_dump(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Drafting time and tokens per step: ``python -m bench.bench_draft [--mode evidence] [--model NAME]
[--words 9000] [--conversations vg01,vg02] [--show]``.

The transcript is built from the dev set's gold transcripts (de-identified with the case of each
conversation), concatenated and looped until it has at least ``--words`` words, with segment ids
renumbered. ``--words 0`` drafts each conversation on its own. Prints wall time, per-step (evidence
mode) or per-section (sections mode) prompt/generated tokens and seconds, and the load average
before and after, as JSON lines.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from core.settings import Settings
from pipeline.backends import Backends
from pipeline.case import load_case
from pipeline.deid import deidentify
from pipeline.stage_options import draft_options
from pipeline.transcript import PseudonymisedTranscript, Transcript
from pipeline.verslag import draft_verslag

DEV = Path(__file__).resolve().parents[1] / "eval" / "data" / "dev"


def pseudonymised(backends: Backends, name: str) -> PseudonymisedTranscript:
    transcript = Transcript.model_validate_json((DEV / name / "transcript.gold.json").read_text(encoding="utf-8"))
    case = load_case(DEV / name / "case.json")
    return deidentify(transcript, case, backends.deid_engine, backends.deid_options).pseudonymised


def looped(parts: list[PseudonymisedTranscript], words: int) -> PseudonymisedTranscript:
    segments, placeholders, offset, total = [], [], 0.0, 0
    while total < words:
        for part in parts:
            for seg in part.segments:
                segments.append(seg.model_copy(update={"id": len(segments) + 1, "start": seg.start + offset,
                                                       "end": seg.end + offset}))
                total += len(seg.text.split())
            placeholders += [p for p in part.placeholders if p not in placeholders]
            offset += part.duration
    return PseudonymisedTranscript(duration=offset, segments=segments, placeholders=placeholders)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["evidence", "sections"], default="evidence")
    parser.add_argument("--model", default=None)
    parser.add_argument("--words", type=int, default=9000)
    parser.add_argument("--conversations", default="vg01,vg02,vg03,vg04")
    parser.add_argument("--show", action="store_true", help="print the items (pseudonymised) for development")
    args = parser.parse_args()
    overrides = {"llm_model": args.model} if args.model else {}
    settings = Settings(**overrides)
    backends = Backends(settings)
    names = args.conversations.split(",")
    parts = [pseudonymised(backends, n) for n in names]
    inputs = [("+".join(names), looped(parts, args.words))] if args.words else list(zip(names, parts))
    llm = backends.llm
    for name, pt in inputs:
        load_before = os.getloadavg()
        started = time.perf_counter()
        verslag = draft_verslag(pt, llm, draft_options(settings, mode=args.mode))
        wall = time.perf_counter() - started
        info = verslag.draft
        steps = ([s.model_dump(exclude={"fouten"}) | {"fouten": len(s.fouten)} for s in info.stappen] if info.stappen
                 else [{"sectie": s.sectie, "prompt_tokens": s.prompt_tokens, "completion_tokens": s.completion_tokens,
                        "seconds": s.seconds, "status": s.status} for s in info.secties])
        print(json.dumps({
            "input": name, "mode": args.mode, "model": llm.model_ref.name, "segments": len(pt.segments),
            "words": sum(len(s.text.split()) for s in pt.segments), "transcript_tokens": info.transcript_tokens,
            "wall_seconds": round(wall, 1), "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()], "cpu_count": os.cpu_count(),
            "items": len(list(verslag.iter_items())), "niet_onderbouwd": verslag.grounding.niet_onderbouwd,
            "steps": steps,
        }, ensure_ascii=False))
        if args.show:
            print("  bewijs:", json.dumps(info.bewijs))
            for path, item in verslag.iter_items():
                print(f"  {path} [{item.status}/{item.herkomst}] {item.bronnen}: {item.tekst}")
            if verslag.uitkomst:
                print("  uitkomst:", verslag.uitkomst.categorie)


if __name__ == "__main__":
    main()

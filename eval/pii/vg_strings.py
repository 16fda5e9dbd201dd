"""Personal data that survives de-identification of whole VG conversations:
``python -m eval.pii.vg_strings [--data eval/data/dev] [--configs deduce,rules,full]``.

For each conversation directory (``transcript.gold.json`` + ``case.json`` + ``gold.json`` with its
``persoonsgegevens`` list), the transcript is de-identified with the case, and each listed string
is looked for in the pseudonymised text (case-insensitive, punctuation and spacing ignored, whole
words). A string found there *survived* (it would reach the LLM). Person recall = persons not
surviving / persons listed. Conversations are synthetic (``eval/data/dev/README.md``); only counts
and, with ``--show``, the types of the survivors are printed, never the text of a real set.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from eval.pii.ner_bench import ABLATION, options_for
from pipeline.case import load_case
from pipeline.deid import build_engine, deidentify
from pipeline.transcript_io import read_transcript_file

DEV = Path(__file__).resolve().parents[1] / "data" / "dev"


def _norm(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def conversations(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if (p / "gold.json").is_file() and (p / "transcript.gold.json").is_file())


def survivors(conv: Path, engine) -> tuple[Counter, Counter, list[tuple[str, str]]]:
    gold = json.loads((conv / "gold.json").read_text(encoding="utf-8")).get("persoonsgegevens", [])
    transcript = read_transcript_file(conv / "transcript.gold.json")
    case = load_case(conv / "case.json") if (conv / "case.json").is_file() else load_case(None)
    result = deidentify(transcript, case, engine)
    pseudo = _norm("\n".join(s.text for s in result.pseudonymised.segments))
    original = _norm("\n".join(s.text for s in transcript.segments))
    listed, survived, which = Counter(), Counter(), []
    for item in gold:
        needle = _norm(item["tekst"])
        if needle.strip() and needle in original:  # only strings that occur in the transcript count
            listed[item["type"]] += 1
            if needle in pseudo:
                survived[item["type"]] += 1
                which.append((item["type"], item["tekst"]))
    return listed, survived, which


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEV)
    ap.add_argument("--configs", default="deduce,rules,full")
    ap.add_argument("--show", action="store_true", help="print the surviving strings (synthetic sets only)")
    args = ap.parse_args(argv)
    convs = conversations(args.data)
    for config in args.configs.split(","):
        engine = build_engine(options_for(config))
        listed, survived, shown = Counter(), Counter(), []
        for conv in convs:
            lst, srv, which = survivors(conv, engine)
            listed.update(lst)
            survived.update(srv)
            shown.extend((conv.name, t, s) for t, s in which)
        total, lost = sum(listed.values()), sum(survived.values())
        per = listed.get("PERSOON", 0)
        person_recall = (per - survived.get("PERSOON", 0)) / max(1, per)
        print(f"{ABLATION[config]:<34} {len(convs)} conversations: {lost} of {total} strings survived; "
              f"person recall {person_recall:.3f} ({per - survived.get('PERSOON', 0)}/{per}); "
              + ", ".join(f"{t} {survived[t]}/{listed[t]}" for t in sorted(listed)))
        if args.show:
            for name, t, s in shown:
                print(f"   {name} {t}: {s}")


if __name__ == "__main__":
    main()

"""Run the de-identification evaluation: ``python -m eval.pii.run [--ablation] [--errors]``.

Prints per-type precision/recall/F1 (token level), leak rates and, with ``--ablation``, what each
name-evidence source adds. Errors are printed only with ``--errors`` (they show set sentences,
which are synthetic; never run that on real data).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eval.pii.dataset import DEFAULT_CASE, DEFAULT_SET, Example, load_examples
from eval.pii.metrics import Scores, score_example
from pipeline.case import load_case
from pipeline.deid import DeidOptions, build_engine, deidentify_text

ZERO_LEAK_TYPES = ("BSN", "TELEFOON", "EMAIL", "IBAN", "POSTCODE")
NAME_SOURCES = ["case_names", "name_lists", "unknown_capitalised", "name_context", "initials", "name_spread"]
ABLATION = [
    ("Deduce only", ["deduce"]),
    ("+ CASE names", ["deduce", "case_names"]),
    ("+ name lists", ["deduce", "case_names", "name_lists"]),
    ("+ hunspell (unknown capitalised)", ["deduce", "case_names", "name_lists", "unknown_capitalised"]),
    ("+ context words", ["deduce", *NAME_SOURCES[:5]]),
    ("+ names spread (all)", ["deduce", *NAME_SOURCES]),
    ("all but Deduce", NAME_SOURCES),
]
#: Context recognizers for places and institutions, switched off one at a time.
CONTEXT_SOURCES = ["places", "institutions"]


def evaluate(examples: list[Example], engine, case, errors: list | None = None) -> Scores:
    scores = Scores()
    for ex in examples:
        result = deidentify_text(ex.text, case, engine)
        predicted = [(e.start, e.end, e.type) for e in result.entities]
        gold = [(g.start, g.end, g.type) for g in ex.entities]
        score_example(ex.text, gold, predicted, scores)
        if errors is not None and set(gold) != set(predicted):
            errors.append((ex.id, ex.text, gold, predicted))
    return scores


def format_scores(scores: Scores) -> str:
    lines = [f"{'type':<11}{'P':>7}{'R':>7}{'F1':>7}{'leak':>7}{'tokens':>8}"]
    for t in sorted(scores.gold_tokens):
        c = scores.per_type[t]
        lines.append(f"{t:<11}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{scores.leak_rate(t):>7.3f}{scores.gold_tokens[t]:>8}")
    r = scores.redaction
    lines.append(f"{'(any PII)':<11}{r.precision:>7.3f}{r.recall:>7.3f}{r.f1:>7.3f}{scores.overall_leak_rate():>7.3f}")
    lines.append(f"negatives: {scores.negative_redacted}/{scores.negative_tokens} tokens redacted")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE)
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args(argv)
    examples = load_examples(args.set)
    case = load_case(args.case)
    engine = build_engine(DeidOptions())
    errors: list = []
    scores = evaluate(examples, engine, case, errors if args.errors else None)
    print(f"{len(examples)} sentences, {sum(1 for e in examples if not e.entities)} negatives\n")
    print(format_scores(scores))
    if args.errors:
        for ex_id, text, gold, pred in errors:
            print(f"\n{ex_id}: {text}\n  gold: {[(text[s:e], t) for s, e, t in gold]}\n  pred: {[(text[s:e], t) for s, e, t in pred]}")
    if args.ablation:
        full = set(engine.recognizer_names) - set(NAME_SOURCES) - {"deduce"}
        print("\nAblation: person names (PERSOON) with the pattern recognizers always on")
        print(f"{'sources':<36}{'P':>7}{'R':>7}{'F1':>7}{'any-P':>7}")
        for label, sources in ABLATION:
            eng = build_engine(DeidOptions(recognizers=sorted(full | set(sources))))
            s = evaluate(examples, eng, case)
            c = s.per_type["PERSOON"]
            print(f"{label:<36}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{s.redaction.precision:>7.3f}")
        print("\nAblation: places and institutions (R = recall, any-P = precision on any PII)")
        print(f"{'recognizers':<36}{'LOC R':>7}{'INST R':>7}{'any-P':>7}{'neg':>7}")
        for label, off in [("all", []), ("without places", ["places"]), ("without institutions", ["institutions"]),
                           ("without both", CONTEXT_SOURCES)]:
            s = evaluate(examples, build_engine(DeidOptions(recognizers=[n for n in engine.recognizer_names if n not in off and n != "ner_model"])), case)
            print(f"{label:<36}{s.per_type['LOCATIE'].recall:>7.3f}{s.per_type['INSTELLING'].recall:>7.3f}"
                  f"{s.redaction.precision:>7.3f}{s.negative_redacted:>7}")


if __name__ == "__main__":
    main()

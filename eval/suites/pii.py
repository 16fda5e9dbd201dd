"""PII suite: de-identification on an annotated sentence set (``eval/data/pii``, by the
de-identification stage's owners), token-level precision/recall/F1 per entity type and leak rates.

Each sentence is a sample; per sentence the token counts of :mod:`eval.pii.metrics` are kept, and
every metric is a micro ratio over all sentences (F1 = 2·TP / (2·TP + FP + FN)), with bootstrap
intervals over sentences. Sentence text never goes into results.json or the report.
"""

from __future__ import annotations

from pathlib import Path

from eval.core.dataset import Dataset, Sample
from eval.core.scorer import Score, scorer
from eval.core.task import Task, TaskState
from eval.suites.base import DATA_DIR, EvalContext, suite

ZERO_LEAK_TYPES = ("BSN", "TELEFOON", "EMAIL", "IBAN", "POSTCODE")


def load_pii_dataset(directory: Path) -> tuple[Dataset, Path | None]:
    from eval.pii.dataset import DEFAULT_SET, load_examples

    path = directory / DEFAULT_SET.name if directory.is_dir() else directory
    examples = load_examples(path)
    samples = [Sample(id=ex.id, input=ex.text, target=[g.model_dump() for g in ex.entities],
                      metadata={"synthetic": True, "negatief": not ex.entities}) for ex in examples]
    case = path.parent / "case.json"
    return Dataset(name=f"pii:{path.name}", root=path.parent, samples=samples), (case if case.is_file() else None)


def deidentify_sentence(ctx: EvalContext, case_path: Path | None):
    from eval.pii.metrics import Scores, score_example
    from pipeline.case import load_case
    from pipeline.deid import deidentify_text

    case = load_case(case_path)

    def solve(state: TaskState) -> None:
        text = state.sample.input or ""
        result = deidentify_text(text, case, ctx.backends.deid_engine, ctx.backends.deid_options)
        scores = Scores()
        gold = [(g["start"], g["end"], g["type"]) for g in state.sample.target]
        score_example(text, gold, [(e.start, e.end, e.type) for e in result.entities], scores)
        state.output["scores"] = scores

    return solve


def type_metrics(entity_type: str) -> list:
    key = entity_type.lower()

    @scorer(name=f"pii/recall_{key}", aggregate="ratio", description=f"Recall (tokenniveau) voor {entity_type}.")
    def recall():
        def score(state: TaskState) -> Score | None:
            c = state.output["scores"].per_type.get(entity_type)
            if c is None or c.tp + c.fn == 0:
                return None
            return Score(value=c.tp / (c.tp + c.fn), numerator=c.tp, denominator=c.tp + c.fn,
                         explanation=f"{c.tp} van {c.tp + c.fn} tokens als {entity_type} herkend")
        return score

    @scorer(name=f"pii/precisie_{key}", aggregate="ratio", description=f"Precisie (tokenniveau) voor {entity_type}.")
    def precision():
        def score(state: TaskState) -> Score | None:
            c = state.output["scores"].per_type.get(entity_type)
            if c is None or c.tp + c.fp == 0:
                return None
            return Score(value=c.tp / (c.tp + c.fp), numerator=c.tp, denominator=c.tp + c.fp,
                         explanation=f"{c.fp} tokens onterecht als {entity_type}")
        return score

    @scorer(name=f"pii/f1_{key}", aggregate="ratio", description=f"F1 (tokenniveau) voor {entity_type}: 2·TP / (2·TP + FP + FN).")
    def f1():
        def score(state: TaskState) -> Score | None:
            c = state.output["scores"].per_type.get(entity_type)
            if c is None or 2 * c.tp + c.fp + c.fn == 0:
                return None
            return Score(value=2 * c.tp / (2 * c.tp + c.fp + c.fn), numerator=2 * c.tp, denominator=2 * c.tp + c.fp + c.fn)
        return score

    @scorer(name=f"pii/lek_{key}", aggregate="ratio", lower_is_better=True,
            description=f"Lekpercentage {entity_type}: aandeel geannoteerde tokens dat onveranderd in de uitvoer blijft.")
    def leak():
        def score(state: TaskState) -> Score | None:
            s = state.output["scores"]
            n = s.gold_tokens.get(entity_type, 0)
            if not n:
                return None
            leaked = s.leaked_tokens.get(entity_type, 0)
            return Score(value=leaked / n, numerator=leaked, denominator=n, explanation=f"{leaked} van {n} tokens gelekt")
        return score

    return [recall(), precision(), f1(), leak()]


@scorer(name="pii/lek_harde_identificatoren", aggregate="ratio", lower_is_better=True,
        description="Lekpercentage over BSN, telefoon, e-mail, IBAN en postcode samen.")
def hard_identifier_leak():
    def score(state: TaskState) -> Score | None:
        s = state.output["scores"]
        n = sum(s.gold_tokens.get(t, 0) for t in ZERO_LEAK_TYPES)
        if not n:
            return None
        leaked = sum(s.leaked_tokens.get(t, 0) for t in ZERO_LEAK_TYPES)
        return Score(value=leaked / n, numerator=leaked, denominator=n, explanation=f"{leaked} van {n} tokens gelekt")
    return score


@scorer(name="pii/lek_totaal", aggregate="ratio", lower_is_better=True,
        description="Lekpercentage over alle geannoteerde persoonsgegevens.")
def overall_leak():
    def score(state: TaskState) -> Score | None:
        s = state.output["scores"]
        n = sum(s.gold_tokens.values())
        if not n:
            return None
        leaked = sum(s.leaked_tokens.values())
        return Score(value=leaked / n, numerator=leaked, denominator=n)
    return score


@scorer(name="pii/precisie_niet_pii", aggregate="ratio",
        description="Precisie van het weglakken: aandeel weggelakte tokens dat werkelijk een persoonsgegeven was.")
def redaction_precision():
    def score(state: TaskState) -> Score | None:
        r = state.output["scores"].redaction
        if r.tp + r.fp == 0:
            return None
        return Score(value=r.tp / (r.tp + r.fp), numerator=r.tp, denominator=r.tp + r.fp,
                     explanation=f"{r.fp} tokens onterecht weggelakt")
    return score


@suite("pii", default_data=DATA_DIR / "pii", uses_conversations=False,
       description="De-identificatie: precisie/recall/F1 per type en lekpercentage")
def pii_suite(ctx: EvalContext, data_dir: Path) -> Task:
    data, case = load_pii_dataset(data_dir)
    ctx.record_model("deid", _deid_ref())
    scorers = [hard_identifier_leak(), overall_leak(), redaction_precision()]
    present = sorted({g["type"] for s in data.samples for g in s.target})
    for t in present:
        scorers.extend(type_metrics(t))
    return Task(
        name="pii", dataset=data, solver=[deidentify_sentence(ctx, case)], scorer=scorers,
        metadata={"toelichting": [
            "Elke zin is een sample; maten zijn micro-gemiddelden over alle tokens, met bootstrap-intervallen over zinnen. "
            "Een token lekt als het geannoteerd is als persoonsgegeven en door geen enkele detectie (van welk type ook) "
            "wordt bedekt. De zinnen zelf staan niet in dit rapport."],
            "per_sample_plots": False},
        limitations=["De de-identificatieset bestaat uit zelfgeschreven zinnen in de stijl van ASR-uitvoer, niet uit echte "
                     "transcripten; namen en nummers zijn verzonnen. Echte gesprekken bevatten namen en spellingen die hier ontbreken."],
    )


def _deid_ref():
    from core.provenance import ModelRef

    return ModelRef(backend="presidio+deduce", name="pipeline.deid")

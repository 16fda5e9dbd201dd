"""PII suite: de-identification on an annotated sentence set (``eval/data/pii``, by the
de-identification stage's owners), token-level precision/recall/F1 per entity type and leak rates.

Each sentence is a sample; per sentence the token counts of :mod:`eval.pii.metrics` are kept, and
every metric is a micro ratio over all sentences (F1 = 2·TP / (2·TP + FP + FN)), with bootstrap
intervals over sentences. Sentence text never goes into results.json or the report.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from eval.core.dataset import Dataset, Sample
from eval.core.scorer import Score, Scorer, scorer
from eval.core.task import Task, TaskState
from eval.pii.metrics import Counts as EntityCounts, Scores
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
    from eval.pii.metrics import score_example
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


RatioCounts = Callable[["Scores"], tuple[int, int]]
"""From a sentence's token counts to (numerator, denominator) of one ratio."""


def ratio_scorer(name: str, description: str, counts: RatioCounts, *, lower_is_better: bool = False,
                 explain: Callable[[int, int], str] | None = None) -> Scorer:
    """A micro-averaged ratio metric over the sentences' token counts (skipped when the denominator is 0)."""

    @scorer(name=name, aggregate="ratio", lower_is_better=lower_is_better, description=description)
    def build():
        def score(state: TaskState) -> Score | None:
            numerator, denominator = counts(state.output["scores"])
            if not denominator:
                return None
            return Score(value=numerator / denominator, numerator=numerator, denominator=denominator,
                         explanation=explain(numerator, denominator) if explain else None)
        return score

    return build()


def _leaked(types: tuple[str, ...] | None) -> RatioCounts:
    def counts(s: Scores) -> tuple[int, int]:
        wanted = types or tuple(s.gold_tokens)
        return sum(s.leaked_tokens.get(t, 0) for t in wanted), sum(s.gold_tokens.get(t, 0) for t in wanted)
    return counts


def type_metrics(entity_type: str) -> list[Scorer]:
    """Recall, precision, F1 and leak rate for one entity type."""
    key, t = entity_type.lower(), entity_type

    def per_type(s: Scores) -> EntityCounts:
        return s.per_type.get(t) or EntityCounts()

    return [
        ratio_scorer(f"pii/recall_{key}", f"Recall (tokenniveau) voor {t}.",
                     lambda s: (per_type(s).tp, per_type(s).tp + per_type(s).fn),
                     explain=lambda n, d: f"{n} van {d} tokens als {t} herkend"),
        ratio_scorer(f"pii/precisie_{key}", f"Precisie (tokenniveau) voor {t}.",
                     lambda s: (per_type(s).tp, per_type(s).tp + per_type(s).fp),
                     explain=lambda n, d: f"{d - n} tokens onterecht als {t}"),
        ratio_scorer(f"pii/f1_{key}", f"F1 (tokenniveau) voor {t}: 2·TP / (2·TP + FP + FN).",
                     lambda s: (2 * per_type(s).tp, 2 * per_type(s).tp + per_type(s).fp + per_type(s).fn)),
        ratio_scorer(f"pii/lek_{key}", f"Lekpercentage {t}: aandeel geannoteerde tokens dat onveranderd in de uitvoer blijft.",
                     _leaked((t,)), lower_is_better=True, explain=lambda n, d: f"{n} van {d} tokens gelekt"),
    ]


def hard_identifier_leak() -> Scorer:
    return ratio_scorer("pii/lek_harde_identificatoren", "Lekpercentage over BSN, telefoon, e-mail, IBAN en postcode samen.",
                        _leaked(ZERO_LEAK_TYPES), lower_is_better=True, explain=lambda n, d: f"{n} van {d} tokens gelekt")


def overall_leak() -> Scorer:
    return ratio_scorer("pii/lek_totaal", "Lekpercentage over alle geannoteerde persoonsgegevens.",
                        _leaked(None), lower_is_better=True)


def redaction_precision() -> Scorer:
    return ratio_scorer("pii/precisie_niet_pii",
                        "Precisie van het weglakken: aandeel weggelakte tokens dat werkelijk een persoonsgegeven was.",
                        lambda s: (s.redaction.tp, s.redaction.tp + s.redaction.fp),
                        explain=lambda n, d: f"{d - n} tokens onterecht weggelakt")


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

"""Kaart suite: sociale-kaart matching on gold needs (``eval/data/kaart``, by the sociale-kaart
stage's owners): P@3, recall@5 and MRR per retrieval mode, one sample per need.

The catalogue is a fresh temporary database loaded with the bundled seed catalogue, so the figures
do not depend on what a region imported into its own database.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from eval.core.dataset import Dataset, Sample
from eval.core.scorer import Score, scorer
from eval.core.task import Task, TaskState
from eval.suites.base import DATA_DIR, EvalContext, suite

#: Fixed "today" so staleness flags (and thus results) do not change with the calendar.
EVAL_TODAY = dt.date(2026, 1, 1)


class KaartSuiteOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    depth: int = 10
    """Suggestions requested per need (recall@5 and MRR look at this list)."""


def load_kaart_dataset(directory: Path) -> Dataset:
    from eval.kaart.gold import load_gold

    files = sorted(directory.glob("needs-gold*.csv")) if directory.is_dir() else [directory]
    gold = load_gold(files)
    samples = [Sample(id=g.need_id, input=g.need, target=g.relevant_ids,
                      metadata={"gemeente": g.gemeente, "regio": g.region, "levensdomeinen": g.levensdomeinen,
                                "hiaat": g.is_gap, "bron": g.source_file}) for g in gold]
    return Dataset(name=f"kaart:{directory.name}", root=directory if directory.is_dir() else directory.parent, samples=samples)


def rank_services(ctx: EvalContext, catalogue, modes: list[str], depth: int):
    from pipeline.kaart import KaartOptions, suggest

    def solve(state: TaskState) -> None:
        meta = state.sample.metadata
        for mode in modes:
            options = KaartOptions(mode=mode, top_k=depth, today=EVAL_TODAY)  # type: ignore[arg-type]
            suggestions = suggest([state.sample.input or ""], catalogue, options, gemeente=meta["gemeente"],
                                  regio=meta["regio"], levensdomeinen=meta["levensdomeinen"], embedder=ctx.backends.embedder)
            state.output[mode] = [s.service_id for s in suggestions]

    return solve


def retrieval_scorers(mode: str, suffix: str) -> list:
    from eval.kaart.evaluate import precision_at_k, recall_at_k, reciprocal_rank

    def make(name: str, fn, description: str):
        @scorer(name=f"kaart/{name}{suffix}", aggregate="mean", description=description)
        def factory():
            def score(state: TaskState) -> Score | None:
                relevant = set(state.sample.target or [])
                if not relevant:
                    return None  # a gap need (no fitting offering) has no precision/recall
                ranked = state.output[mode]
                return Score(value=fn(ranked, relevant), answer=", ".join(ranked[:5]),
                             explanation=f"top-5 {ranked[:5]}; relevant {sorted(relevant)}")
            return score
        return factory()

    label = f" ({mode})"
    return [
        make("p_at_3", lambda r, rel: precision_at_k(r, rel, 3), f"Precisie van de eerste drie suggesties{label}."),
        make("recall_at_5", lambda r, rel: recall_at_k(r, rel, 5), f"Aandeel relevante diensten in de top 5{label}."),
        make("mrr", reciprocal_rank, f"Reciprocal rank van de eerste relevante dienst{label}."),
    ]


@suite("kaart", default_data=DATA_DIR / "kaart", uses_conversations=False,
       description="Sociale kaart: P@3, recall@5, MRR per zoekmodus")
def kaart_suite(ctx: EvalContext, data_dir: Path) -> Task:
    from pipeline.kaart import open_catalogue

    options: KaartSuiteOptions = ctx.options("kaart", KaartSuiteOptions)  # type: ignore[assignment]
    dataset = load_kaart_dataset(data_dir)
    workdir = tempfile.mkdtemp(prefix="vg-eval-kaart-")
    catalogue = open_catalogue(Path(workdir) / "kaart.sqlite3", seed_if_empty=True)
    embedder = ctx.backends.embedder
    modes = ["lexical", "dense", "hybrid"] if embedder is not None else ["lexical"]
    if embedder is not None:
        ctx.record_model("embeddings", embedder.model_ref)
    configured = "hybrid" if embedder is not None else "lexical"
    scorers = retrieval_scorers(configured, "")
    for mode in modes:
        scorers += retrieval_scorers(mode, f"_{mode}")
    return Task(
        name="kaart", dataset=dataset, solver=[rank_services(ctx, catalogue, modes, options.depth)], scorer=scorers,
        metadata={"modi": modes, "ingestelde_modus": configured, "per_sample_plots": False, "toelichting": [
            f"Maten zonder achtervoegsel gelden voor de ingestelde zoekmodus ({configured}); de andere modi staan ernaast. "
            "Behoeften waarvoor de annotator geen passend aanbod vond (hiaten) tellen niet mee in P@3/recall/MRR."
            + ("" if embedder else " Er is geen embeddingmodel ingesteld (VG_EMBEDDING_MODEL): alleen lexicaal zoeken is gemeten.")]},
        limitations=["De sociale-kaartcatalogus is een kleine zaadcatalogus afgeleid uit beleidsdocumenten, en de gouden "
                     "koppelingen zijn door het ontwikkelteam gemaakt; een regio meet dit opnieuw op haar eigen kaart."],
    )

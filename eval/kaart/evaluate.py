"""Retrieval metrics for sociale-kaart matching: P@3, recall@5 and MRR per mode, and the zwak flag.

Each need is ranked with the production ``suggest`` function (same filters: region, gemeente,
audience), asking for ``depth`` suggestions. A ``random`` row ranks the same allowed candidates in
random order (mean over fixed-seed shuffles) so the figures can be read against chance.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from eval.kaart.gold import GoldNeed
from models.embeddings import EmbeddingBackend
from pipeline.kaart import Catalogue, KaartOptions, suggest
from pipeline.kaart.match import available, region_of
from pipeline.kaart.profile import normalise_region


def precision_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return sum(1 for r in ranked[:k] if r in relevant) / k


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return sum(1 for r in ranked[:k] if r in relevant) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    return next((1.0 / i for i, r in enumerate(ranked, start=1) if r in relevant), 0.0)


class NeedResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    need_id: str
    ranked: list[str]
    first_relevant_rank: int | None
    zwak: bool
    gap: bool


class ModeMetrics(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: str
    subset: str
    n: int
    p_at_3: float
    recall_at_5: float
    mrr: float
    zwak_on_gaps: str = ""
    """How many gold gap needs were flagged zwak, e.g. ``4/6``."""
    zwak_on_others: str = ""
    """How many non-gap needs were (wrongly) flagged zwak."""
    seconds_per_need: float = 0.0


class KaartEvalReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metrics: list[ModeMetrics]
    per_need: dict[str, list[NeedResult]] = Field(default_factory=dict)
    audience: str
    depth: int
    embedding_model: str | None = None


def _aggregate(mode: str, subset: str, gold: list[GoldNeed], ranked: dict[str, list[str]],
               zwak: dict[str, bool] | None, seconds: float) -> ModeMetrics:
    rel = {g.need_id: set(g.relevant_ids) for g in gold}
    n = len(gold) or 1
    gaps = [g for g in gold if g.is_gap]
    others = [g for g in gold if not g.is_gap]
    return ModeMetrics(
        mode=mode, subset=subset, n=len(gold),
        p_at_3=round(sum(precision_at_k(ranked[g.need_id], rel[g.need_id], 3) for g in gold) / n, 3),
        recall_at_5=round(sum(recall_at_k(ranked[g.need_id], rel[g.need_id], 5) for g in gold) / n, 3),
        mrr=round(sum(reciprocal_rank(ranked[g.need_id], rel[g.need_id]) for g in gold) / n, 3),
        zwak_on_gaps=f"{sum(zwak[g.need_id] for g in gaps)}/{len(gaps)}" if zwak is not None else "",
        zwak_on_others=f"{sum(zwak[g.need_id] for g in others)}/{len(others)}" if zwak is not None else "",
        seconds_per_need=round(seconds / n, 4),
    )


def _random_rankings(catalogue: Catalogue, gold: list[GoldNeed], options: KaartOptions,
                     depth: int, shuffles: int = 200) -> list[dict[str, list[str]]]:
    entries = catalogue.entries()
    rng = random.Random(0)
    runs: list[dict[str, list[str]]] = [{} for _ in range(shuffles)]
    for g in gold:
        regio = normalise_region(g.region) or region_of(g.gemeente, entries)
        pool = [e.ref for e in entries if available(e, options, g.gemeente, regio)]
        for run in runs:
            run[g.need_id] = rng.sample(pool, min(depth, len(pool)))
    return runs


def evaluate_kaart(
    catalogue: Catalogue,
    gold: list[GoldNeed],
    *,
    modes: Sequence[str] = ("lexical",),
    embedder: EmbeddingBackend | None = None,
    audience: str = "inwoner",
    depth: int = 10,
    today: dt.date = dt.date(2026, 1, 1),
) -> KaartEvalReport:
    options = KaartOptions(top_k=depth, audience=audience, today=today)  # type: ignore[arg-type]
    subsets = {"alle": gold}
    for name in sorted({g.source_file for g in gold}):
        subsets[name] = [g for g in gold if g.source_file == name]
    metrics: list[ModeMetrics] = []
    per_need: dict[str, list[NeedResult]] = {}
    for mode in modes:
        opts = options.model_copy(update={"mode": mode})
        ranked: dict[str, list[str]] = {}
        zwak: dict[str, bool] = {}
        start = time.perf_counter()
        for g in gold:
            sugg = suggest([g.need], catalogue, opts, gemeente=g.gemeente, regio=g.region,
                           levensdomeinen=g.levensdomeinen, embedder=embedder)
            ranked[g.need_id] = [s.service_id for s in sugg]
            zwak[g.need_id] = bool(sugg) and sugg[0].zwak or not sugg
        seconds = time.perf_counter() - start
        for name, subset in subsets.items():
            metrics.append(_aggregate(mode, name, subset, ranked, zwak, seconds * len(subset) / max(len(gold), 1)))
        per_need[mode] = [
            NeedResult(need_id=g.need_id, ranked=ranked[g.need_id], zwak=zwak[g.need_id], gap=g.is_gap,
                       first_relevant_rank=next((i for i, r in enumerate(ranked[g.need_id], 1)
                                                 if r in g.relevant_ids), None))
            for g in gold
        ]
    runs = _random_rankings(catalogue, gold, options, depth)
    for name, subset in subsets.items():
        rows = [_aggregate("random", name, subset, run, None, 0.0) for run in runs]
        metrics.append(ModeMetrics(
            mode="random", subset=name, n=len(subset),
            p_at_3=round(sum(r.p_at_3 for r in rows) / len(rows), 3),
            recall_at_5=round(sum(r.recall_at_5 for r in rows) / len(rows), 3),
            mrr=round(sum(r.mrr for r in rows) / len(rows), 3),
        ))
    return KaartEvalReport(metrics=metrics, per_need=per_need, audience=audience, depth=depth,
                           embedding_model=embedder.model_ref.name if embedder else None)


def format_table(report: KaartEvalReport) -> str:
    lines = [f"{'modus':<8} {'subset':<22} {'n':>3} {'P@3':>6} {'R@5':>6} {'MRR':>6} {'zwak hiaat':>10} {'zwak ander':>10}"]
    for m in report.metrics:
        lines.append(f"{m.mode:<8} {m.subset:<22} {m.n:>3} {m.p_at_3:>6.3f} {m.recall_at_5:>6.3f} {m.mrr:>6.3f} "
                     f"{m.zwak_on_gaps:>10} {m.zwak_on_others:>10}")
    return "\n".join(lines)

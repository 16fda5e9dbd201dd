"""Match ``ik heb nodig`` items to sociale-kaart entries and explain each match in plain Dutch."""

from __future__ import annotations

import datetime as dt
import logging
import math
from functools import lru_cache

import numpy as np
import yaml

from core.resources import package_path
from models.embeddings import EmbeddingBackend
from models.llm.base import LLMBackend
from pipeline.kaart.candidate import Candidate
from pipeline.kaart.options import KaartOptions
from pipeline.kaart.rerank import rerank
from pipeline.kaart.profile import LANDELIJK, KaartEntry, normalise_region, same_gemeente
from pipeline.kaart.retrieval import DenseIndex, LexicalHits, LexicalIndex, rrf
from pipeline.kaart.store import Catalogue
from pipeline.verslag.schema import KaartSuggestie

logger = logging.getLogger(__name__)

REGIONS_PATH = package_path("pipeline.kaart", "regions.yaml")
_DOMAIN_LABELS = {"financien": "financiën", "lvb": "lvb (licht verstandelijke beperking)"}


@lru_cache(maxsize=1)
def _gemeente_regions() -> dict[str, str]:
    data = yaml.safe_load(REGIONS_PATH.read_text(encoding="utf-8"))
    return {g.lower(): region for region, gs in data["regions"].items() for g in gs}


def region_of(gemeente: str | None, entries: list[KaartEntry]) -> str | None:
    if not gemeente:
        return None
    for e in entries:
        if e.regio and any(same_gemeente(g, gemeente) for g in e.gemeenten):
            return e.regio
    return _gemeente_regions().get(gemeente.strip().lower())


def available(entry: KaartEntry, opts: KaartOptions, gemeente: str | None, regio: str | None) -> bool:
    """Filters: audience, type, age, region and gemeente."""
    if opts.audience != "alle" and entry.audience != opts.audience:
        return False
    if opts.voorziening_types and entry.voorziening_type not in opts.voorziening_types:
        return False
    if opts.only_levensdomeinen and not set(entry.levensdomeinen) & set(opts.only_levensdomeinen):
        return False
    if opts.leeftijd is not None:
        if entry.minimum_leeftijd is not None and opts.leeftijd < entry.minimum_leeftijd:
            return False
        if entry.maximum_leeftijd is not None and opts.leeftijd > entry.maximum_leeftijd:
            return False
    if entry.regio == LANDELIJK:
        return True
    if regio is not None and entry.regio not in (None, regio):
        return False
    if entry.gemeenten:
        return gemeente is not None and any(same_gemeente(g, gemeente) for g in entry.gemeenten)
    # Region-wide entry: fine when the region is known (checked above) or no place is given at all;
    # with only an unknown gemeente we cannot tell whether it covers the inwoner.
    return regio is not None or gemeente is None




def _lexical_index(catalogue: Catalogue, opts: KaartOptions) -> LexicalIndex:
    key = ("lexical", opts.synonyms_path)
    if key not in catalogue.cache:
        catalogue.cache[key] = LexicalIndex(catalogue.entries(), opts.synonyms_path)
    return catalogue.cache[key]  # type: ignore[return-value]


def _dense_index(catalogue: Catalogue, embedder: EmbeddingBackend) -> DenseIndex:
    key = ("dense", embedder.name, embedder.model_ref.path)
    if key not in catalogue.cache:
        catalogue.cache[key] = DenseIndex(catalogue.entries(), embedder)
    return catalogue.cache[key]  # type: ignore[return-value]


def _reason(entry: KaartEntry, hits: LexicalHits | None, i: int, domains: list[str], similarity: float | None) -> str:
    parts = []
    if hits is not None:
        direct, syns, _ = hits.explain(i)
        if direct:
            parts.append("woorden uit de hulpvraag: " + ", ".join(direct))
        if syns:
            parts.append("verwante woorden: " + ", ".join(f"{a} ~ {b}" for a, b in syns[:4]))
    shared = [d for d in entry.levensdomeinen if d in domains]
    if shared:
        parts.append("levensdomein: " + ", ".join(_DOMAIN_LABELS.get(d, d.replace("-", " ")) for d in shared))
    if similarity is not None:
        parts.append(f"inhoudelijk vergelijkbaar (gelijkenis {similarity:.2f})")
    text = "Komt overeen op " + "; ".join(parts) + "." if parts else "Geen duidelijke overeenkomst."
    if entry.toegang != "onbekend":
        text += f" Toegang: {entry.toegang.replace('-', ' ')}."
    if entry.status != "active":
        text += " Let op: gepland of niet actief, nog niet (overal) open."
    return text


def rank_need(
    need: str, catalogue: Catalogue, opts: KaartOptions, *, gemeente: str | None, regio: str | None,
    levensdomeinen: list[str], mode: str, embedder: EmbeddingBackend | None,
) -> list[Candidate]:
    entries = catalogue.entries()
    allowed = np.array([available(e, opts, gemeente, regio) for e in entries], dtype=bool)
    boost = np.array([1.0 + opts.domain_bonus * bool(set(e.levensdomeinen) & set(levensdomeinen)) for e in entries])
    hits = _lexical_index(catalogue, opts).search(need, opts.synonym_weight) if mode != "dense" else None
    sims = _dense_index(catalogue, embedder).search(need) if mode != "lexical" and embedder else None
    rankings: list[list[int]] = []
    lex = dense = None
    if hits is not None:
        lex = hits.scores * boost
        order = [int(i) for i in np.argsort(-lex, kind="stable") if allowed[i] and lex[i] > 0]
        rankings.append(order)
    if sims is not None:
        dense = sims * boost
        rankings.append([int(i) for i in np.argsort(-dense, kind="stable") if allowed[i]])
    if mode == "hybrid" and len(rankings) == 2:
        fused = rrf(rankings, opts.rrf_k)
        order = sorted(fused, key=lambda i: -fused[i])
        scores = fused
    elif lex is not None:
        order, scores = rankings[0], {i: float(lex[i]) for i in rankings[0]}
    else:
        order, scores = rankings[0], {i: float(dense[i]) for i in rankings[0]}  # type: ignore[index]
    fallback = False
    if not order:  # nothing matches the words: offer entries sharing a levensdomein, flagged weak
        fallback = True
        order = [i for i in np.argsort(-boost, kind="stable") if allowed[i] and boost[i] > 1.0]
        scores = {int(i): 0.0 for i in order}
    top = [int(i) for i in order[: max(opts.top_k, opts.rerank_candidates if opts.llm_rerank else 0)]]
    weak = fallback or _is_weak(hits, sims, top[:1], opts)
    return [
        Candidate(i, round(scores[i], 4), _reason(entries[i], hits, i, levensdomeinen,
                                                    float(sims[i]) if sims is not None else None), weak)
        for i in top
    ]


def _is_weak(hits: LexicalHits | None, sims: np.ndarray | None, best: list[int], opts: KaartOptions) -> bool:
    if not best:
        return True
    lex_weak = True
    if hits is not None:  # a low score is forgiven when every word of the need is matched (short needs)
        scale = math.log1p(len(hits.scores))
        lex_weak = float(hits.scores[best[0]]) < opts.min_lexical_score * scale and not hits.full_coverage(best[0])
    dense_weak = sims is None or float(sims[best[0]]) < opts.min_dense_similarity
    return lex_weak and dense_weak


def suggest(
    needs: list[str],
    catalogue: Catalogue,
    options: KaartOptions,
    *,
    gemeente: str | None,
    regio: str | None,
    levensdomeinen: list[str] | None = None,
    embedder: EmbeddingBackend | None = None,
    llm: LLMBackend | None = None,
) -> list[KaartSuggestie]:
    """Ranked, explained suggestions for every need (``options.top_k`` each, need order kept)."""
    mode = options.mode if options.mode != "auto" else ("hybrid" if embedder else "lexical")
    if mode in ("dense", "hybrid") and embedder is None:
        from core.errors import CatalogueError

        raise CatalogueError(
            f"Zoekmodus '{mode}' vraagt een embeddingmodel, maar er is er geen geladen.",
            hint="Stel VG_EMBEDDING_MODEL in op een lokale sentence-transformers-map, of gebruik modus 'lexical'.",
        )
    entries = catalogue.entries()
    regio = normalise_region(regio) or region_of(gemeente, entries)
    today = options.today or dt.date.today()
    out: list[KaartSuggestie] = []
    for n, need in enumerate(needs):
        if not need.strip():
            continue
        cands = rank_need(need, catalogue, options, gemeente=gemeente, regio=regio,
                          levensdomeinen=levensdomeinen or [], mode=mode, embedder=embedder)
        if options.llm_rerank and llm is not None and len(cands) > 1:
            cands = rerank(need, cands, entries, llm)
        for c in cands[: options.top_k]:
            e = entries[c.index]
            age = e.age_days(today)
            stale = options.unknown_date_is_stale if age is None else age > options.stale_after_days
            out.append(KaartSuggestie(
                need=need, need_index=n, service_id=e.ref, naam=e.naam, organisatie=e.organisatie,
                score=c.score, reden=c.reden + (" Zwakke match: controleer of dit past." if c.zwak else ""),
                contact=e.contact, bron=e.bron, laatst_gewijzigd=e.laatst_gewijzigd, verouderd=stale, zwak=c.zwak,
            ))
    return out

"""Fitting a long conversation into the model's context: per-section retrieval of segments.

A 60-90 minute VG is 12-18k tokens; the bundled model has 8k. When the whole transcript does not fit
the token budget of a section, segments are ranked with BM25 (Dutch stemming and stop words)
against the section's query, and the best ones, each with its neighbours for context, are added
until the budget is full. The selection is returned in conversation order and recorded per section.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from pipeline.transcript import PseudonymisedSegment

logger = logging.getLogger(__name__)


def segment_line(segment: PseudonymisedSegment) -> str:
    """One prompt line per segment; the same format as ``PseudonymisedTranscript.render_for_prompt``."""
    return f"[{segment.id}] {segment.speaker or 'SPREKER'}: {segment.text}"


def _bm25_scores(texts: Sequence[str], query: str) -> list[float]:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("dutch")
    corpus_tokens = bm25s.tokenize(list(texts), stopwords="nl", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus_tokens, show_progress=False)
    query_tokens = bm25s.tokenize([query], stopwords="nl", stemmer=stemmer, return_ids=False, show_progress=False)[0]
    known = [t for t in query_tokens if t in retriever.vocab_dict]
    if not known:
        return [0.0] * len(texts)
    return [float(x) for x in retriever.get_scores(known)]


def select_segments(
    segments: Sequence[PseudonymisedSegment],
    query: str,
    budget_tokens: int,
    count_tokens: Callable[[str], int],
    *,
    neighbours: int = 1,
) -> list[int]:
    """Ids of the segments to show for one section, within ``budget_tokens``, in conversation order."""
    if not segments:
        return []
    lines = [segment_line(s) for s in segments]
    costs = [count_tokens(line) + 1 for line in lines]
    if sum(costs) <= budget_tokens:
        return [s.id for s in segments]
    scores = _bm25_scores([s.text for s in segments], query)
    # Rank by score; ties (e.g. all zero) keep conversation order, later segments first because
    # afspraken and conclusions usually come at the end of a VG.
    order = sorted(range(len(segments)), key=lambda i: (-scores[i], -i))
    chosen: set[int] = set()
    used = 0
    for i in order:
        window = [j for j in range(i - neighbours, i + neighbours + 1) if 0 <= j < len(segments)]
        # The hit itself first; neighbours only if they still fit.
        for j in sorted(window, key=lambda j: j != i):
            if j in chosen:
                continue
            if used + costs[j] > budget_tokens:
                if j == i:
                    break
                continue
            chosen.add(j)
            used += costs[j]
        if used >= budget_tokens:
            break
    logger.debug("retrieval chose %d of %d segments (%d tokens)", len(chosen), len(segments), used)
    return [segments[j].id for j in sorted(chosen)]

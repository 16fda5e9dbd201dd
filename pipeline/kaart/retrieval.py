"""Search indexes over catalogue entries: BM25 (Dutch stems, compounds, synonyms) and dense vectors.

Indexes score *all* entries; filtering (region, audience, age, type) happens in ``match``. Both are
built once per catalogue version and kept in ``Catalogue.cache``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from models.embeddings import EmbeddingBackend
from pipeline.kaart.profile import KaartEntry
from pipeline.kaart.text import SYNONYMS_PATH, WEAK_WORDS, Analyzer, load_synonyms, words

logger = logging.getLogger(__name__)


@dataclass
class LexicalHits:
    scores: np.ndarray
    """Combined BM25 score per entry (need words + weighted synonyms)."""
    content: list[str]
    """The need's content words (stop words and weak words removed)."""
    _stems: dict[str, set[str]]
    _pairs: list[tuple[str, str]]
    _syn_stems: dict[str, set[str]]
    _trig_covers: dict[str, set[str]]
    _term_sets: list[set[str]]
    n_words: int = 0
    """Content words of the need, including words no entry knows (a gap shows up as unknown words)."""

    def explain(self, i: int) -> tuple[list[str], list[tuple[str, str]], float]:
        """For entry ``i``: need words found, (need word, synonym) pairs found, and coverage."""
        terms = self._term_sets[i]
        direct = [w for w in self.content if self._stems[w] & terms]
        syns = [(trig, syn) for trig, syn in self._pairs if self._syn_stems[syn] and self._syn_stems[syn] <= terms]
        covered = set(direct)
        for trig, _ in syns:  # a synonym covers the need word(s) that triggered its group
            covered |= self._trig_covers[trig]
        return direct, syns, (len(covered) / len(self.content) if self.content else 0.0)

    def full_coverage(self, i: int) -> bool:
        """True when every content word of the need (known to the catalogue or not) is matched."""
        return bool(self.n_words) and self.explain(i)[2] * len(self.content) >= self.n_words


class LexicalIndex:
    def __init__(self, entries: list[KaartEntry], synonyms_path: Path | None = None) -> None:
        vocabulary = {w for e in entries for w in words(e.search_text()) if len(w) >= 4}
        self.analyzer = Analyzer(load_synonyms(synonyms_path or SYNONYMS_PATH), vocabulary)
        doc_terms = [self.analyzer.terms(e.search_text()) for e in entries]
        self.term_sets = [set(t) for t in doc_terms]
        known = set().union(*self.term_sets) if self.term_sets else set()
        self.matchable = known | {t for g in self.analyzer.groups for ph in g.phrases for t in ph}
        self.bm25 = bm25s.BM25(k1=1.2, b=0.75)
        self.bm25.index(doc_terms or [["_"]], show_progress=False)
        self.size = len(entries)

    def _scores(self, terms: list[str]) -> np.ndarray:
        if not terms or not self.size:
            return np.zeros(self.size)
        return np.asarray(self.bm25.get_scores(terms), dtype=float)[: self.size]

    def search(self, need: str, synonym_weight: float = 0.5) -> LexicalHits:
        content = [w for w in dict.fromkeys(words(need)) if w not in WEAK_WORDS]
        stems = {w: set(self.analyzer.terms(w)) for w in content}
        # Words no entry and no synonym uses ("terwijl", "sta") cannot be matched by any entry;
        # coverage counts only the words the catalogue could have matched.
        n_words = len(content)
        content = [w for w in content if stems[w] & self.matchable]
        query = sorted({t for s in stems.values() for t in s})
        expansion, pairs = self.analyzer.expand(query)
        scores = self._scores(query) + synonym_weight * self._scores(expansion)
        syn_stems = {syn: set(self.analyzer.terms(syn)) for _, syn in pairs}
        trig_covers = {
            trig: {w for w in content if stems[w] & set(self.analyzer.terms(trig))} for trig, _ in pairs
        }
        return LexicalHits(scores, content, stems, pairs, syn_stems, trig_covers, self.term_sets, n_words)


def dense_text(entry: KaartEntry) -> str:
    parts = [entry.naam, ", ".join(entry.trefwoorden), entry.beschrijving, entry.doelgroep or ""]
    return ". ".join(p for p in parts if p)


class DenseIndex:
    def __init__(self, entries: list[KaartEntry], embedder: EmbeddingBackend, batch_size: int = 64) -> None:
        self.embedder = embedder
        texts = [dense_text(e) for e in entries]
        chunks = [embedder.embed(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
        self.matrix = np.vstack(chunks) if chunks else np.zeros((0, embedder.dimension))
        self._queries: dict[str, np.ndarray] = {}
        logger.info("dense index: %d entries, dimension %d", len(texts), embedder.dimension)

    def search(self, need: str) -> np.ndarray:
        if not len(self.matrix):
            return np.zeros(0)
        if need not in self._queries:
            if len(self._queries) > 1024:
                self._queries.clear()
            self._queries[need] = self.embedder.embed([need])[0]
        return self.matrix @ self._queries[need]


def rrf(rankings: list[list[int]], k: int = 60) -> dict[int, float]:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the rankings an item appears in."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, idx in enumerate(ranking, start=1):
            fused[idx] = fused.get(idx, 0.0) + 1.0 / (k + rank)
    return fused

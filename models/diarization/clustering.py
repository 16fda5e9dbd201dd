"""Clustering of speaker embeddings into speakers, with the number of speakers given or estimated.

Embeddings are L2-normalised d-vectors (one per window). ``spectral`` follows the affinity
refinement of Wang et al., "Speaker Diarization with LSTM" (ICASSP 2018): cosine affinity, row-wise
pruning, symmetrisation, diffusion and row-wise max normalisation; the number of speakers is the
largest eigen-gap of the refined affinity. ``agglomerative`` is average-linkage on cosine distance.
When the count is estimated, clusters whose centroids are nearly identical are merged afterwards
(``merge_similarity``), which is what lets a single-speaker channel come out as one speaker.
"""

from __future__ import annotations

import logging
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

logger = logging.getLogger(__name__)

ClusteringMethod = Literal["spectral", "agglomerative"]


class ClusteringOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: ClusteringMethod = "spectral"
    prune_keep: float = Field(default=0.2, gt=0, le=1)
    """Spectral: fraction of strongest affinities kept per row (the rest are scaled by 0.01)."""
    merge_similarity: float = Field(default=0.95, ge=0, le=1)
    """Estimated counts only: merge clusters whose centroid cosine similarity is at least this."""
    reassign_iterations: int = Field(default=2, ge=0)
    """Re-assign windows to the nearest cluster centroid afterwards (smooths spectral labels)."""
    max_windows: int = Field(default=2000, ge=10)
    """At most this many windows, spread evenly over the recording, are clustered; the others take
    the nearest centroid. The affinity matrices grow with the square of the window count (8,000
    windows, one hour at a 0.4 s step, are 0.5 GB each and several live at once; three hours would
    not fit in memory), so this keeps clustering memory and time constant for any length."""


def _normalise(embeddings: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(embeddings, axis=1, keepdims=True)
    return embeddings / np.maximum(norms, 1e-9)


def refined_affinity(embeddings: np.ndarray, prune_keep: float) -> np.ndarray:
    """Cosine affinity refined as in Wang et al. (2018); symmetric, values in [0, 1]."""
    e = _normalise(embeddings)
    a = np.clip(e @ e.T, 0.0, 1.0)
    n = len(a)
    np.fill_diagonal(a, 0.0)
    np.fill_diagonal(a, a.max(axis=1))
    keep = max(1, int(np.ceil(prune_keep * n)))
    threshold = -np.sort(-a, axis=1)[:, keep - 1 : keep]
    a = np.where(a >= threshold, a, a * 0.01)
    a = np.maximum(a, a.T)
    a = a @ a.T
    a = a / np.maximum(a.max(axis=1, keepdims=True), 1e-9)
    return (a + a.T) / 2


def estimate_count(affinity: np.ndarray, min_k: int, max_k: int) -> int:
    """Number of clusters from the largest eigen-gap of the normalised affinity."""
    n = len(affinity)
    max_k = min(max_k, n - 1) if n > 1 else 1
    if max_k <= min_k:
        return max(1, min(min_k, n))
    degree = affinity.sum(axis=1)
    d = 1.0 / np.sqrt(np.maximum(degree, 1e-9))
    normalised = affinity * d[:, None] * d[None, :]
    eigenvalues = np.sort(np.linalg.eigvalsh(normalised))[::-1]
    gaps = eigenvalues[min_k - 1 : max_k] - eigenvalues[min_k : max_k + 1]
    return int(min_k + np.argmax(gaps))


def _cluster_fixed(embeddings: np.ndarray, k: int, options: ClusteringOptions, affinity: np.ndarray | None) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering, SpectralClustering

    if k <= 1 or len(embeddings) <= k:
        return np.arange(len(embeddings)) if len(embeddings) <= k and k > 1 else np.zeros(len(embeddings), int)
    if options.method == "agglomerative":
        model = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average")
        return model.fit_predict(embeddings)
    if affinity is None:
        affinity = refined_affinity(embeddings, options.prune_keep)
    model = SpectralClustering(n_clusters=k, affinity="precomputed", random_state=0, assign_labels="kmeans", n_init=10)
    return model.fit_predict(affinity)


def _centroids(embeddings: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ids = np.unique(labels)
    return ids, _normalise(np.stack([embeddings[labels == i].mean(axis=0) for i in ids]))


def _nearest(embeddings: np.ndarray, ids: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    return ids[np.argmax(embeddings @ centroids.T, axis=1)]


def _reassign(embeddings: np.ndarray, labels: np.ndarray, iterations: int) -> np.ndarray:
    for _ in range(iterations):
        new = _nearest(embeddings, *_centroids(embeddings, labels))
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _merge_similar(embeddings: np.ndarray, labels: np.ndarray, threshold: float, min_k: int) -> np.ndarray:
    while True:
        ids, centroids = _centroids(embeddings, labels)
        if len(ids) <= min_k:
            return labels
        sim = centroids @ centroids.T
        np.fill_diagonal(sim, -1.0)
        i, j = np.unravel_index(np.argmax(sim), sim.shape)
        if sim[i, j] < threshold:
            return labels
        labels = np.where(labels == ids[j], ids[i], labels)


def cluster_embeddings(
    embeddings: np.ndarray,
    *,
    num_speakers: int | None,
    min_speakers: int = 1,
    max_speakers: int = 6,
    options: ClusteringOptions | None = None,
) -> tuple[np.ndarray, bool]:
    """Label each embedding with a cluster id 0..k-1 (ordered by first appearance).

    Returns ``(labels, estimated)``; ``estimated`` is False when ``num_speakers`` was given.
    """
    options = options or ClusteringOptions()
    n = len(embeddings)
    if n == 0:
        return np.zeros(0, dtype=int), num_speakers is None
    e = _normalise(np.asarray(embeddings, dtype=np.float64))
    sample = e if n <= options.max_windows else e[np.unique(np.linspace(0, n - 1, options.max_windows).round().astype(int))]
    affinity = refined_affinity(sample, options.prune_keep) if options.method == "spectral" and len(sample) > 2 else None
    if num_speakers is not None:
        k, estimated = min(num_speakers, n), False
    elif affinity is not None:
        k, estimated = estimate_count(affinity, min_speakers, max_speakers), True
    elif options.method == "agglomerative":
        k, estimated = min(max_speakers, n), True  # over-split, then merge near-identical clusters
    else:
        k, estimated = min(max(min_speakers, 1), n), True
    labels = _cluster_fixed(sample, k, options, affinity)
    if len(sample) < n:
        labels = _nearest(e, *_centroids(sample, labels))
    labels = _reassign(e, labels, options.reassign_iterations)
    if estimated:
        labels = _merge_similar(e, labels, options.merge_similarity, max(1, min_speakers))
    order = {old: new for new, old in enumerate(dict.fromkeys(labels.tolist()))}
    logger.debug("clustered %d windows into %d speakers (estimated=%s)", n, len(order), estimated)
    return np.array([order[x] for x in labels.tolist()], dtype=int), estimated

"""The real packaged embedding model (all-MiniLM-L6-v2), loaded offline, in dense and hybrid retrieval."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eval.kaart import evaluate_kaart, load_gold
from eval.kaart.evaluate import format_table
from models.embeddings import EmbeddingBackend
from core.errors import ModelError
from pipeline.kaart import open_catalogue


def test_unknown_embedding_model_is_a_clear_error(tmp_path: Path) -> None:
    from models.embeddings_st import resolve_embedding_model

    with pytest.raises(ModelError) as info:
        resolve_embedding_model(str(tmp_path / "bestaat-niet"))
    assert info.value.hint


@pytest.mark.slow
def test_minilm_dense_and_hybrid_on_gold(tmp_path: Path, no_network) -> None:
    from models.embeddings_st import load_embedder

    embedder = load_embedder("all-minilm-l6-v2")
    assert isinstance(embedder, EmbeddingBackend) and embedder.dimension == 384
    vectors = embedder.embed(["schulden", "geldzorgen"])
    assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    catalogue = open_catalogue(tmp_path / "db.sqlite3")
    report = evaluate_kaart(catalogue, load_gold(), modes=["dense", "hybrid"], embedder=embedder)
    print(format_table(report))
    rows = {(m.mode, m.subset): m for m in report.metrics}
    chance = rows[("random", "alle")].mrr
    # An English-centred model on Dutch text: weaker than lexical, but clearly above chance.
    assert rows[("dense", "alle")].mrr > 1.5 * chance
    assert rows[("hybrid", "alle")].mrr > 2 * chance

"""Fixtures for sociale-kaart tests: a fresh catalogue with the bundled seed, and fakes."""

from __future__ import annotations

from pathlib import Path

import zlib

import numpy as np
import pytest

from pipeline.kaart import Catalogue, open_catalogue
from core.provenance import ModelRef


@pytest.fixture
def seeded(tmp_path: Path) -> Catalogue:
    catalogue = open_catalogue(tmp_path / "vg.sqlite3")
    yield catalogue
    catalogue.close()


class FakeEmbedder:
    """Bag-of-characters embedder: deterministic, cheap, and similar texts get similar vectors."""

    name = "fake"
    dimension = 64

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend="fake", name="fake-embedder", path=None)

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, zlib.crc32(word[:5].encode()) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()

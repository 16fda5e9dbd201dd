"""Case metadata (CASE.json): what the gespreksduo knows anyway about a Verkennend Gesprek.

Used for de-identification (these names are always caught) and to re-identify the advies letter.
See ``samples/vg-demo/case.json`` for an example.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import CaseFileError
from core.safe_json import MAX_DEPTH, JsonTooDeepError, loads_limited

ProfessionalRole = Literal["ggz", "sociaal", "ervaringsdeskundige", "poh"]


class Inwoner(BaseModel):
    model_config = ConfigDict(extra="forbid")

    naam: str
    geboortedatum: dt.date | None = None
    gemeente: str | None = None


class Naaste(BaseModel):
    model_config = ConfigDict(extra="forbid")

    naam: str
    relatie: str | None = None
    """E.g. ``partner``, ``moeder``, ``vriendin``."""


class Professional(BaseModel):
    model_config = ConfigDict(extra="forbid")

    naam: str
    rol: ProfessionalRole
    organisatie: str | None = None


class Huisarts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    naam: str
    praktijk: str | None = None


class CaseMetadata(BaseModel):
    """Everything optional: an empty case is valid (the letter then uses placeholders)."""

    model_config = ConfigDict(extra="forbid")

    inwoner: Inwoner | None = None
    naasten: list[Naaste] = Field(default_factory=list)
    professionals: list[Professional] = Field(default_factory=list)
    huisarts: Huisarts | None = None
    datum_gesprek: dt.date | None = None
    regio: str | None = None

    @property
    def participant_count(self) -> int:
        return (1 if self.inwoner else 0) + len(self.naasten) + len(self.professionals)


def load_case(path: Path | None) -> CaseMetadata:
    """Read CASE.json; ``None`` gives an empty case."""
    if path is None:
        return CaseMetadata()
    if not path.is_file():
        raise CaseFileError(
            f"Casusbestand niet gevonden: {path.name}",
            hint="Geef met --case het pad naar een bestaand CASE.json (zie samples/vg-demo/case.json).",
        )
    try:
        data = loads_limited(path.read_text(encoding="utf-8"))
    except JsonTooDeepError:
        raise CaseFileError(
            f"{path.name} is te diep genest (meer dan {MAX_DEPTH} niveaus) en is dus geen casusbestand.",
            hint="Zie docs/case-json.md voor het formaat; zie samples/vg-demo/case.json voor een voorbeeld.",
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CaseFileError(
            f"{path.name} is geen geldige JSON (regel {getattr(exc, 'lineno', '?')}).",
            hint="Controleer het bestand met een JSON-validator; zie samples/vg-demo/case.json voor een voorbeeld.",
        ) from None
    try:
        return CaseMetadata.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) or "(hoofdniveau)" for e in exc.errors())
        raise CaseFileError(
            f"{path.name} klopt niet met het casusformaat; controleer: {fields}.",
            hint="Zie docs/case-json.md voor de velden en toegestane waarden.",
        ) from None

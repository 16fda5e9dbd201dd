"""The YAML configuration of the de-identification stage (``conf/nl.yaml`` by default)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.resources import package_path
from core.errors import DeidentificationError

DEFAULT_CONFIG = package_path("pipeline.deid", "conf", "nl.yaml")

#: Allow-list groups that apply to every region.
GENERAL_ALLOW_GROUPS = ("default", "medications", "everyday", "common_words")


class DeidConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: str = "nl"
    score_threshold: float = Field(0.4, ge=0, le=1)
    recognizers: list[str]
    context: dict[str, list[str]] = Field(default_factory=dict)
    allow_list: dict[str, list[str]] = Field(default_factory=dict)

    def allow_phrases(self, region: str | None) -> list[tuple[str, bool]]:
        """``(phrase, case_sensitive)`` for the default groups plus the region's group (all
        regions when none is set). ``common_words`` match case-sensitively: "de bakker" stays,
        "De Bakker" is a surname."""
        groups = list(GENERAL_ALLOW_GROUPS)
        if region:
            groups.append(region)
        else:
            groups.extend(k for k in self.allow_list if k not in GENERAL_ALLOW_GROUPS)
        phrases: list[tuple[str, bool]] = []
        for group in groups:
            phrases.extend((p, group == "common_words") for p in self.allow_list.get(group, []))
        return phrases


def load_config(path: Path | None = None) -> DeidConfig:
    path = path or DEFAULT_CONFIG
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return DeidConfig.model_validate(data)
    except FileNotFoundError:
        raise DeidentificationError(
            f"Configuratiebestand voor de-identificatie niet gevonden: {path.name}",
            hint="Zet VG_DEID_CONFIG op een bestaand YAML-bestand of laat het leeg voor de standaard.",
        ) from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise DeidentificationError(
            f"Configuratiebestand voor de-identificatie is ongeldig: {path.name} ({type(exc).__name__}).",
            hint="Vergelijk het met pipeline/deid/conf/nl.yaml.",
        ) from None

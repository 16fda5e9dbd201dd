"""Gold needs for sociale-kaart matching (CSV, columns as in ``eval/data/kaart/README.md``)."""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from core.resources import package_path
from core.errors import EvaluationError

GOLD_DIR = package_path("eval", "data", "kaart")
GOLD_FILES = ("needs-gold-seed.csv", "needs-gold-eigen.csv")
COLUMNS = ("need_id", "need", "region", "gemeente", "levensdomeinen", "relevant_ids", "notes")


class GoldNeed(BaseModel):
    model_config = ConfigDict(extra="forbid")

    need_id: str
    need: str
    region: str
    gemeente: str
    levensdomeinen: list[str]
    relevant_ids: list[str]
    """Most relevant first."""
    notes: str = ""
    source_file: str = ""

    @property
    def is_gap(self) -> bool:
        """The annotator marked no fitting offering (notes start with 'Hiaat')."""
        return self.notes.strip().lower().startswith("hiaat")


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def load_gold(paths: list[Path] | None = None) -> list[GoldNeed]:
    paths = paths or [GOLD_DIR / name for name in GOLD_FILES]
    needs: list[GoldNeed] = []
    seen: set[str] = set()
    for path in paths:
        if not path.exists():
            raise EvaluationError(f"Gold-bestand {path} ontbreekt.", hint="Herstel eval/data/kaart uit git.")
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise EvaluationError(f"{path.name} mist kolommen: {', '.join(missing)}.",
                                      hint=f"Verwacht: {', '.join(COLUMNS)}.")
            for line, row in enumerate(reader, start=2):
                try:
                    need = GoldNeed(
                        need_id=row["need_id"], need=row["need"], region=row["region"], gemeente=row["gemeente"],
                        levensdomeinen=_split(row["levensdomeinen"]), relevant_ids=_split(row["relevant_ids"]),
                        notes=row.get("notes") or "", source_file=path.name,
                    )
                except ValidationError as exc:
                    raise EvaluationError(f"{path.name} rij {line} is ongeldig: {exc.errors()[0]['msg']}.",
                                          hint="Vul alle kolommen in.") from None
                if not need.relevant_ids or need.need_id in seen:
                    raise EvaluationError(f"{path.name} rij {line}: geen relevante ids of dubbel need_id.",
                                          hint="Elke need heeft een uniek id en minstens één relevant id.")
                seen.add(need.need_id)
                needs.append(need)
    return needs

"""The annotated PII set: JSONL, one sentence per line (format in eval/data/pii/README.md).

The JSONL is generated from a readable source file with inline markup ``[[text|TYPE]]``:
``python -m eval.pii.dataset SRC.txt OUT.jsonl``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from core.resources import package_path
from core.errors import EvaluationError

DATA_DIR = package_path("eval", "data", "pii")
DEFAULT_SET = DATA_DIR / "vg-pii-nl.jsonl"
DEFAULT_CASE = DATA_DIR / "case.json"
TYPES = {"PERSOON", "LOCATIE", "INSTELLING", "ADRES", "POSTCODE", "DATUM", "LEEFTIJD", "BSN", "TELEFOON",
         "EMAIL", "IBAN", "URL", "KENTEKEN", "ID"}
_MARK = re.compile(r"\[\[(.+?)\|([A-Z]+)\]\]")


class GoldSpan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: int
    end: int
    type: str


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    text: str
    entities: list[GoldSpan]


def parse_markup(line: str) -> tuple[str, list[GoldSpan]]:
    out, spans, last = [], [], 0
    pos = 0
    for m in _MARK.finditer(line):
        out.append(line[last : m.start()])
        pos += m.start() - last
        surface, etype = m.group(1), m.group(2)
        if etype not in TYPES:
            raise EvaluationError(f"Onbekend type {etype} in de annotatie.", hint=f"Gebruik een van: {', '.join(sorted(TYPES))}.")
        spans.append(GoldSpan(start=pos, end=pos + len(surface), type=etype))
        out.append(surface)
        pos += len(surface)
        last = m.end()
    out.append(line[last:])
    return "".join(out), spans


def convert(src: Path, dst: Path) -> int:
    rows = []
    for n, line in enumerate(src.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        text, spans = parse_markup(line.strip())
        rows.append(Example(id=f"s{n:04d}", text=text, entities=spans))
    dst.write_text("".join(r.model_dump_json() + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def load_examples(path: Path = DEFAULT_SET) -> list[Example]:
    if not path.is_file():
        raise EvaluationError(f"Evaluatieset niet gevonden: {path.name}", hint="Zie eval/data/pii/README.md.")
    examples = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            ex = Example.model_validate_json(line)
        except ValidationError:
            raise EvaluationError(f"{path.name}, regel {n}: geen geldig voorbeeld.", hint="Zie eval/data/pii/README.md voor het formaat.") from None
        for span in ex.entities:
            if span.type not in TYPES or not 0 <= span.start < span.end <= len(ex.text):
                raise EvaluationError(f"{path.name}, regel {n}: ongeldige annotatie.", hint="Controleer start/end en type.")
        examples.append(ex)
    return examples


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])), "examples")

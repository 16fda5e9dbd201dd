"""Validation shared by the sociale-kaart readers: closed value sets, row problems, one error per file."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core.errors import CatalogueError
from pipeline.kaart import profile
from pipeline.kaart.hsds import Service

CLOSED_TAXONOMIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "domain": ("vg-domein", profile.DOMEINEN),
    "voorziening_type": ("vg-voorziening-type", profile.VOORZIENING_TYPES),
    "toegang": ("vg-toegang", profile.TOEGANG),
    "audience": ("vg-audience", profile.AUDIENCES),
}

_HINT = "Verbeter de genoemde rijen en importeer het bestand opnieuw; er is niets opgeslagen."


def fail_on_problems(path: Path, problems: list[str]) -> None:
    if problems:
        shown = problems[:50] + ([f"... en nog {len(problems) - 50} problemen"] if len(problems) > 50 else [])
        raise CatalogueError(
            f"Het bestand {path.name} bevat {len(problems)} fout(en); de import is niet uitgevoerd:\n- "
            + "\n- ".join(shown),
            problems=problems,
            hint=_HINT,
        )


def _pydantic_problems(prefix: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(object)"
        why = "ontbreekt" if err["type"] == "missing" else f"ongeldige waarde ({err['msg']})"
        out.append(f"{prefix}: veld '{loc}' {why}")
    return out




def _profile_problems(service: Service) -> list[str]:
    problems = []
    closed = {tax: allowed for tax, allowed in (v for v in CLOSED_TAXONOMIES.values())}
    closed["vg-levensdomein"] = profile.LEVENSDOMEINEN
    for attr in service.attributes:
        tax = attr.taxonomy_term.taxonomy if attr.taxonomy_term else None
        if tax in closed and attr.taxonomy_term and attr.taxonomy_term.name not in closed[tax]:
            problems.append(f"onbekende waarde '{attr.taxonomy_term.name}' in taxonomie {tax}")
    return problems


def validate_services(path: Path, items: list[Any], label: str) -> list[Service]:
    problems: list[str] = []
    services: list[Service] = []
    seen: set[str] = set()
    for i, item in enumerate(items, start=1):
        ident = item.get("id", "?") if isinstance(item, dict) else "?"
        prefix = f"{label} {i} (id '{ident}')"
        try:
            service = Service.model_validate(item)
        except ValidationError as exc:
            problems += _pydantic_problems(prefix, exc)
            continue
        extra = _profile_problems(service)
        if service.id in seen:
            extra.append("id komt dubbel voor")
        seen.add(service.id)
        problems += [f"{prefix}: {p}" for p in extra]
        services.append(service)
    if not items:
        problems.append("het bestand bevat geen diensten (services)")
    fail_on_problems(path, problems)
    return services




def group_by(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            out[row[key]].append(row)
    return out

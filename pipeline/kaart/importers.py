"""Read a sociale-kaart export into HSDS ``Service`` objects, validating every row.

Three forms are understood:

* the flat seed CSV (``pipeline/kaart/seed/seed-catalogue.csv``, columns described in its README);
* HSDS 3.0 JSON: one service, a list of services, or an API page ``{"contents": [...]}``;
* the HSDS 3.0 tabular form: a directory (or its ``datapackage.json``) with ``services.csv``,
  ``organizations.csv``, ``service_areas.csv``, ``attributes.csv``, ``taxonomy_terms.csv``, ...

Readers collect *all* problems first and then raise one ``CatalogueError`` listing them by row, so
that a beheerder can fix a file in one go. Nothing is returned (and so nothing stored) when any row
is wrong: an import never half-succeeds.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from pathlib import Path
from typing import Any

from core.errors import CatalogueError
from pipeline.kaart import profile
from pipeline.kaart.hsds import MetadataRecord, Organization, Service, ServiceArea
from pipeline.kaart.validation import CLOSED_TAXONOMIES, fail_on_problems, validate_services

logger = logging.getLogger(__name__)

SEED_COLUMNS = (
    "id", "name", "organization", "region", "gemeenten", "domain", "voorziening_type", "toegang", "audience",
    "levensdomeinen", "doelgroep", "description", "keywords", "source", "confidence",
)
_PLANNED = re.compile(r"(?i)\b(gepland|in ontwikkeling|streven: live|start met|start uiterlijk)\b")
_AGE_RANGE = re.compile(r"\b(\d{1,2})\s*[-–]\s*(\d{1,2})\b")


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


# --- the flat seed CSV --------------------------------------------------------------------------


def _seed_row_problems(row: dict[str, str]) -> list[str]:
    problems = []
    for col in ("id", "name", "region"):
        if not row.get(col, "").strip():
            problems.append(f"kolom '{col}' is leeg")
    for col, (_, allowed) in CLOSED_TAXONOMIES.items():
        value = row.get(col, "").strip()
        if value and value not in allowed:
            problems.append(f"kolom '{col}' heeft onbekende waarde '{value}' (toegestaan: {', '.join(allowed)})")
    for domain in _split(row.get("levensdomeinen", "")):
        if domain not in profile.LEVENSDOMEINEN:
            problems.append(f"onbekend levensdomein '{domain}' (toegestaan: {', '.join(profile.LEVENSDOMEINEN)})")
    return problems


def seed_row_to_service(row: dict[str, str]) -> Service:
    slug = row["id"].strip()
    sid = profile.make_id("service", slug)
    region = profile.normalise_region(row["region"]) or profile.LANDELIJK
    attrs = [profile.attribute(sid, "vg-extern-id", slug), profile.attribute(sid, "vg-regio", region)]
    for col, (taxonomy, _) in CLOSED_TAXONOMIES.items():
        if row.get(col, "").strip():
            attrs.append(profile.attribute(sid, taxonomy, row[col].strip()))
    attrs += [profile.attribute(sid, "vg-levensdomein", d) for d in _split(row.get("levensdomeinen", ""))]
    attrs += [profile.attribute(sid, "vg-trefwoord", k) for k in _split(row.get("keywords", ""))]
    attrs += [profile.attribute(sid, "vg-herkomst", s) for s in _split(row.get("source", ""))]
    areas = [ServiceArea(id=profile.make_id("area", slug, g), service_id=sid, name=g) for g in _split(row.get("gemeenten", ""))]
    if not areas:
        areas = [ServiceArea(id=profile.make_id("area", slug, region), service_id=sid, name=region,
                             description="Hele regio" if region != profile.LANDELIJK else "Heel Nederland")]
    org = None
    if row.get("organization", "").strip():
        name = row["organization"].strip()
        org = Organization(id=profile.make_id("organization", name), name=name)
    description = row.get("description", "").strip()
    planned = _PLANNED.search(description)
    doelgroep = row.get("doelgroep", "").strip() or None
    ages = _AGE_RANGE.search(doelgroep or "")
    toegang = row.get("toegang", "").strip()
    return Service(
        id=sid,
        name=row["name"].strip(),
        status="inactive" if planned else "active",
        alert="Gepland of in opbouw: nog niet (overal) open. Zie de beschrijving." if planned else None,
        organization_id=org.id if org else None,
        organization=org,
        description=description or None,
        eligibility_description=doelgroep,
        minimum_age=float(ages.group(1)) if ages else None,
        maximum_age=float(ages.group(2)) if ages else None,
        application_process=toegang.replace("-", " ") if toegang and toegang != "onbekend" else None,
        service_areas=areas,
        attributes=attrs,
        metadata=[MetadataRecord(
            id=profile.make_id("metadata", slug), resource_id=sid, resource_type="service",
            last_action_type="create", field_name="confidence",
            replacement_value=row.get("confidence", "").strip(), updated_by="seed-catalogue.csv",
        )],
    )


def read_seed_csv(path: Path) -> list[Service]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("id", "name", "region") if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogueError(
                f"{path.name} mist de verplichte kolom(men) {', '.join(missing)}.",
                problems=[f"kolom ontbreekt: {c}" for c in missing],
                hint=f"Gebruik de kolommen {', '.join(SEED_COLUMNS)} (zie docs/sociale-kaart.md).",
            )
        rows = list(reader)
    problems: list[str] = []
    seen: dict[str, int] = {}
    services = []
    for line, row in enumerate(rows, start=2):
        row = {k: (v or "") for k, v in row.items() if k is not None}
        label = f"Rij {line} (id '{row.get('id', '').strip()}')"
        row_problems = _seed_row_problems(row)
        slug = row.get("id", "").strip()
        if slug and slug in seen:
            row_problems.append(f"id komt al voor op rij {seen[slug]}")
        seen.setdefault(slug, line)
        if row_problems:
            problems += [f"{label}: {p}" for p in row_problems]
            continue
        services.append(seed_row_to_service(row))
    if not rows:
        problems.append("het bestand bevat geen rijen")
    fail_on_problems(path, problems)
    return services


# --- HSDS JSON ------------------------------------------------------------------------------------


def read_hsds_json(path: Path) -> list[Service]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CatalogueError(
            f"{path.name} is geen geldige JSON ({exc}).", hint="Controleer of het een HSDS 3.0 JSON-export is."
        ) from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
    elif isinstance(data, dict) and isinstance(data.get("services"), list):
        items = data["services"]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict) and "id" in data and "name" in data:
        items = [data]
    else:
        raise CatalogueError(
            f"{path.name} heeft geen herkenbare HSDS-vorm.",
            hint="Verwacht: een service-object, een lijst services of een pagina met 'contents'.",
        )
    return validate_services(path, items, "Dienst")


def detect_format(path: Path) -> str:
    """``seed-csv``, ``hsds-json`` or ``hsds-datapackage``."""
    if not path.exists():
        raise CatalogueError(f"Bestand of map {path} bestaat niet.", hint="Controleer het pad.")
    if path.is_dir() or path.name == "datapackage.json":
        return "hsds-datapackage"
    if path.suffix.lower() == ".csv":
        return "seed-csv"
    if path.suffix.lower() == ".json":
        return "hsds-json"
    raise CatalogueError(
        f"Onbekend bestandstype: {path.name}.",
        hint="Gebruik een .csv (vlakke sociale kaart), een HSDS .json of een map met datapackage.json.",
    )


def read_any(path: Path) -> tuple[str, list[Service]]:
    from pipeline.kaart.tabular import read_hsds_datapackage

    fmt = detect_format(path)
    readers = {"seed-csv": read_seed_csv, "hsds-json": read_hsds_json, "hsds-datapackage": read_hsds_datapackage}
    try:
        services = readers[fmt](path)
    except UnicodeDecodeError:
        raise CatalogueError(f"{path.name} is geen UTF-8-tekst; er is niets geïmporteerd.",
                             hint="Sla de export op als UTF-8 (CSV of JSON) en importeer opnieuw.") from None
    except csv.Error as exc:
        raise CatalogueError(f"{path.name} is geen leesbare CSV ({exc}); er is niets geïmporteerd.",
                             hint="Controleer het scheidingsteken en de aanhalingstekens, of exporteer opnieuw.") from None
    logger.info("read %d services (%s)", len(services), fmt)
    return fmt, services

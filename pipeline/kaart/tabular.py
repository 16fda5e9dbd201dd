"""The HSDS 3.0 tabular form: a Frictionless data package of CSV files, one per HSDS table.

The CSV rows are nested into ``service_full`` objects (a service with its organization,
service areas, attributes with their taxonomy terms, phones, contacts, locations and schedules)
and then validated like an HSDS JSON import. Problems name the CSV file and its line number.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from core.errors import CatalogueError
from pipeline.kaart.hsds import Service
from pipeline.kaart.validation import group_by, validate_services

#: HSDS resource name -> default file name in the data package.
RESOURCES = {
    "service": "services.csv",
    "organization": "organizations.csv",
    "service_area": "service_areas.csv",
    "attribute": "attributes.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "phone": "phones.csv",
    "contact": "contacts.csv",
    "location": "locations.csv",
    "address": "addresses.csv",
    "service_at_location": "service_at_location.csv",
    "schedule": "schedules.csv",
    "language": "languages.csv",
    "cost_option": "cost_options.csv",
}
_NUMBERS = {"minimum_age", "maximum_age", "latitude", "longitude", "extension", "amount"}


def _resource_paths(path: Path) -> tuple[Path, dict[str, Path]]:
    base = path if path.is_dir() else path.parent
    paths = {name: base / file for name, file in RESOURCES.items()}
    package = base / "datapackage.json"
    if package.exists():
        try:
            meta = json.loads(package.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CatalogueError(f"datapackage.json is geen geldige JSON ({exc}).", hint="Herstel het bestand.") from None
        for res in meta.get("resources", []):
            if isinstance(res, dict) and res.get("name") in RESOURCES and isinstance(res.get("path"), str):
                paths[res["name"]] = base / res["path"]
    return base, paths


def _read_table(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = []
        for line, raw in enumerate(csv.DictReader(fh), start=2):
            row: dict[str, Any] = {"_line": line}
            for key, value in raw.items():
                if key is None or value is None or value == "":
                    continue
                row[key] = float(value) if key in _NUMBERS and _is_number(value) else value
            rows.append(row)
        return rows


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "_line"}


def read_hsds_datapackage(path: Path) -> list[Service]:
    base, paths = _resource_paths(path)
    if not paths["service"].exists():
        raise CatalogueError(
            f"In {base} staat geen {paths['service'].name}.",
            hint="Een HSDS-datapakket heeft minstens services.csv (en meestal organizations.csv).",
        )
    tables = {name: _read_table(p) for name, p in paths.items()}
    orgs = {r["id"]: _clean(r) for r in tables["organization"] if "id" in r}
    terms = {r["id"]: _clean(r) for r in tables["taxonomy_term"] if "id" in r}
    addresses = group_by(tables["address"], "location_id")
    locations = {
        r["id"]: {**_clean(r), "addresses": [_clean(a) for a in addresses.get(r["id"], [])]}
        for r in tables["location"] if "id" in r
    }
    by_service = {name: group_by(tables[name], "service_id") for name in
                  ("service_area", "phone", "contact", "schedule", "language", "cost_option", "service_at_location")}
    attributes = group_by([a for a in tables["attribute"] if a.get("link_entity", "service") == "service"], "link_id")
    problems: list[str] = []
    items = []
    for row in tables["service"]:
        item = _clean(row)
        sid = item.get("id", "")
        prefix = f"{paths['service'].name} rij {row['_line']} (id '{sid}')"
        if item.get("organization_id"):
            if item["organization_id"] not in orgs:
                problems.append(f"{prefix}: organization_id '{item['organization_id']}' staat niet in organizations.csv")
            else:
                item["organization"] = orgs[item["organization_id"]]
        for name in ("service_area", "phone", "contact", "schedule", "language", "cost_option"):
            item[f"{name}s"] = [_clean(r) for r in by_service[name].get(sid, [])]
        sals = []
        for sal in by_service["service_at_location"].get(sid, []):
            sal = _clean(sal)
            if sal.get("location_id") in locations:
                sal["location"] = locations[sal["location_id"]]
            sals.append(sal)
        item["service_at_locations"] = sals
        attrs = []
        for attr in attributes.get(sid, []):
            attr = _clean(attr)
            if attr.get("taxonomy_term_id") and attr["taxonomy_term_id"] not in terms:
                problems.append(f"attributes.csv rij {attr.get('id', '?')}: taxonomy_term_id staat niet in taxonomy_terms.csv")
            elif attr.get("taxonomy_term_id"):
                attr["taxonomy_term"] = terms[attr["taxonomy_term_id"]]
            attrs.append(attr)
        item["attributes"] = attrs
        items.append(item)
    if problems:
        raise CatalogueError(
            f"Het datapakket {base.name} bevat {len(problems)} fout(en); de import is niet uitgevoerd:\n- "
            + "\n- ".join(problems[:50]),
            problems=problems,
            hint="Verbeter de genoemde rijen en importeer opnieuw; er is niets opgeslagen.",
        )
    return validate_services(paths["service"], items, f"{paths['service'].name} dienst")

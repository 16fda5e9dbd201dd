"""Importers and store: every format, row-level Dutch errors, all-or-nothing imports, HSDS round trip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from core.errors import CatalogueError
from pipeline.kaart import Catalogue, open_catalogue
from pipeline.kaart.importers import SEED_COLUMNS, read_hsds_json, read_seed_csv
from pipeline.kaart.store import SEED_PATH
from pipeline.kaart.tabular import read_hsds_datapackage

GOOD_ROW = {
    "id": "test-wandel", "name": "Wandelgroep De Stap", "organization": "Buurtwerk", "region": "gooi",
    "gemeenten": "Hilversum", "domain": "sociale-basis", "voorziening_type": "informeel",
    "toegang": "vrij-toegankelijk", "audience": "inwoner", "levensdomeinen": "sociale-relaties;meedoen",
    "doelgroep": "volwassenen 18-99", "description": "Samen wandelen.", "keywords": "wandelen;ontmoeten",
    "source": "test", "confidence": "stated",
}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SEED_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bundled_seed_imports_completely(seeded: Catalogue) -> None:
    entries = seeded.entries()
    assert len(entries) == 70
    assert sum(e.audience == "professional" for e in entries) == 10
    arnhem = next(e for e in entries if e.ref == "cg-wijkteams-arnhem")
    assert arnhem.regio == "centraal-gelderland" and arnhem.gemeenten == ["Arnhem"]
    planned = next(e for e in entries if e.ref == "gooi-herstelvoorzieningen")
    assert planned.status == "inactive" and planned.alert
    injebol = next(e for e in entries if e.ref == "landelijk-injebol")
    assert (injebol.minimum_leeftijd, injebol.maximum_leeftijd) == (16, 27)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({}, None),
        ({"gemeenten": ""}, None),
        ({"voorziening_type": "buurtfeest"}, "onbekende waarde 'buurtfeest'"),
        ({"audience": "iedereen"}, "kolom 'audience'"),
        ({"levensdomeinen": "geluk"}, "onbekend levensdomein 'geluk'"),
        ({"name": ""}, "kolom 'name' is leeg"),
        ({"region": ""}, "kolom 'region' is leeg"),
    ],
)
def test_seed_row_validation(tmp_path: Path, change: dict[str, str], fragment: str | None) -> None:
    path = write_csv(tmp_path / "k.csv", [{**GOOD_ROW, **change}])
    if fragment is None:
        assert len(read_seed_csv(path)) == 1
        return
    with pytest.raises(CatalogueError) as info:
        read_seed_csv(path)
    assert any(fragment in p and p.startswith("Rij 2") for p in info.value.problems)
    assert info.value.hint


def test_duplicate_ids_are_reported_with_both_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", [GOOD_ROW, GOOD_ROW])
    with pytest.raises(CatalogueError) as info:
        read_seed_csv(path)
    assert info.value.problems == ["Rij 3 (id 'test-wandel'): id komt al voor op rij 2"]


def test_failed_import_changes_nothing(seeded: Catalogue, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [GOOD_ROW])
    seeded.import_file(good, bron="gooi-test")
    bad = write_csv(tmp_path / "bad.csv", [{**GOOD_ROW, "id": "x2"}, {**GOOD_ROW, "id": "x3", "toegang": "soms"}])
    with pytest.raises(CatalogueError):
        seeded.import_file(bad, bron="gooi-test")
    assert [e.ref for e in seeded.entries() if e.bron == "gooi-test"] == ["test-wandel"]
    assert {s.name for s in seeded.sources()} == {"seed-documenten", "gooi-test"}


def test_reimport_replaces_one_source_only(seeded: Catalogue, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", [GOOD_ROW])
    first = seeded.import_file(path, bron="b")
    again = seeded.import_file(path, bron="b")
    assert (first.replaced, again.replaced) == (0, 1)
    assert len(seeded.entries()) == 71


def test_hsds_json_round_trip(seeded: Catalogue, tmp_path: Path) -> None:
    exported = seeded.export_hsds()
    assert exported["total_items"] == 70
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    services = read_hsds_json(path)
    other = open_catalogue(tmp_path / "other.sqlite3", seed_if_empty=False)
    other.import_services(services, bron="terug", region=None, fmt="hsds-json", file_name="x", sha256="0")
    assert [e.model_dump(exclude={"bron"}) for e in other.entries()] == [
        e.model_dump(exclude={"bron"}) for e in seeded.entries()
    ]


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ([{"id": "a", "name": "Dienst"}], None),
        ({"contents": [{"id": "a", "name": "Dienst", "status": "active"}]}, None),
        ([{"id": "a"}], "veld 'name' ontbreekt"),
        ([{"id": "a", "name": "D", "status": "gesloten"}], "veld 'status'"),
        ([{"id": "a", "name": "D"}, {"id": "a", "name": "E"}], "id komt dubbel voor"),
        ([], "geen diensten"),
    ],
)
def test_hsds_json_validation(tmp_path: Path, payload: object, fragment: str | None) -> None:
    path = tmp_path / "h.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    if fragment is None:
        assert read_hsds_json(path)[0].name == "Dienst"
    else:
        with pytest.raises(CatalogueError) as info:
            read_hsds_json(path)
        assert any(fragment in p for p in info.value.problems)


def test_invalid_json_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text("{niet json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="geen geldige JSON"):
        read_hsds_json(path)


def _datapackage(tmp_path: Path, org_id: str) -> Path:
    d = tmp_path / "pkg"
    d.mkdir()
    (d / "datapackage.json").write_text(json.dumps({"resources": [{"name": "service", "path": "services.csv"}]}))
    (d / "services.csv").write_text(
        "id,organization_id,name,description,status,assured_date,last_modified\n"
        f"s1,{org_id},Schuldhulp Hilversum,Hulp bij schulden,active,2024-01-10,2024-01-09T10:00:00Z\n",
        encoding="utf-8",
    )
    (d / "organizations.csv").write_text("id,name,description\no1,Gemeente Hilversum,Gemeente\n", encoding="utf-8")
    (d / "service_areas.csv").write_text("id,service_id,name\na1,s1,Hilversum\n", encoding="utf-8")
    (d / "phones.csv").write_text("id,service_id,number\np1,s1,035 123 4567\n", encoding="utf-8")
    (d / "taxonomy_terms.csv").write_text(
        "id,name,description,taxonomy\nt1,maatwerkvoorziening,x,vg-voorziening-type\n", encoding="utf-8")
    (d / "attributes.csv").write_text(
        "id,link_id,taxonomy_term_id,link_entity\nat1,s1,t1,service\n", encoding="utf-8")
    return d


def test_tabular_datapackage_nests_related_tables(tmp_path: Path) -> None:
    services = read_hsds_datapackage(_datapackage(tmp_path, "o1"))
    catalogue = open_catalogue(tmp_path / "db.sqlite3", seed_if_empty=False)
    catalogue.import_services(services, bron="gooi", region="gooi", fmt="hsds-datapackage", file_name="p", sha256="0")
    entry = catalogue.entries()[0]
    assert (entry.organisatie, entry.gemeenten, entry.regio) == ("Gemeente Hilversum", ["Hilversum"], "gooi")
    assert entry.voorziening_type == "maatwerkvoorziening"
    assert entry.contact == "tel. 035 123 4567"
    assert entry.laatst_gewijzigd is not None and entry.laatst_gewijzigd.isoformat() == "2024-01-10"


def test_tabular_datapackage_reports_broken_links(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as info:
        read_hsds_datapackage(_datapackage(tmp_path, "onbekend"))
    assert "organization_id 'onbekend' staat niet in organizations.csv" in info.value.problems[0]


def test_migrations_run_once(tmp_path: Path) -> None:
    Catalogue(tmp_path / "db.sqlite3").close()
    reopened = Catalogue(tmp_path / "db.sqlite3")
    names = [r[0] for r in reopened._db.execute("SELECT name FROM _kaart_migrations")]
    assert names == ["m001_sources_and_services", "m002_flat_entry_column"]


def test_seed_file_is_the_shared_seed() -> None:
    assert SEED_PATH.exists() and SEED_PATH.read_text(encoding="utf-8").startswith("id,name,organization")


def test_rows_from_before_the_flat_column_are_still_read(seeded: Catalogue, tmp_path: Path) -> None:
    before = [e.model_dump() for e in seeded.entries()]
    with seeded._db:
        seeded._db.execute("UPDATE kaart_services SET entry_json = NULL")
    reopened = Catalogue(seeded.path)
    assert [e.model_dump() for e in reopened.entries()] == before


@pytest.mark.parametrize(("name", "content"), [
    ("export.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),          # binary, not UTF-8 (found by the API fuzzer)
    ("export.csv", "id,name,region\n1,Caf\u00e9,Gooi\n".encode("latin-1")),  # latin-1 export
    ("export.json", b"\xff\xfe{\x00}\x00"),                          # UTF-16 JSON
])
def test_non_utf8_exports_are_a_dutch_catalogue_error(tmp_path, name: str, content: bytes) -> None:
    from pipeline.kaart.importers import read_any

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CatalogueError, match="(?i)utf-8"):
        read_any(path)

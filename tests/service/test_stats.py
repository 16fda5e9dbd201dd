"""Statistieken: one anonymous row per approval, small groups never shown, CSV and chart data."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from service.db import CaseStat
from service.stats import ALL, aggregate, month_chart
from tests.service.helpers import auth, processed_case, wait


def _stat(month: str, gemeente: str, uitkomst: str = "ggz", hours: float = 24.0, **extra: int) -> CaseStat:
    values = {"ai_items": 10, "changed_items": 2, "ai_chars": 1000, "edit_distance": 100, "suggestions": 4,
              "suggestions_accepted": 1, **extra}
    return CaseStat(month=month, gemeente=gemeente, uitkomst=uitkomst, hours_to_approval=hours, **values)


def test_approval_writes_one_anonymous_row(client) -> None:
    case_id = processed_case(client)
    gv = auth(client, "gv1")
    client.put(f"/api/casussen/{case_id}/verslag/items/hulpvraag", json={"tekst": "Sanne wil rust."}, headers=gv)
    assert client.post(f"/api/casussen/{case_id}/suggesties/0", json={"besluit": "geaccepteerd"}, headers=gv).status_code == 200
    assert client.post(f"/api/casussen/{case_id}/vaststellen", headers=gv).status_code == 202
    wait(client, case_id, states=("vastgesteld",))
    with client.app.state.sessions() as db:
        [row] = db.scalars(select(CaseStat)).all()
    assert row.gemeente == "onbekend" and row.changed_items == 1 and row.edit_distance > 0
    assert row.suggestions >= 1 and row.suggestions_accepted == 1 and row.hours_to_approval >= 0
    values = " ".join(str(getattr(row, c.name)) for c in CaseStat.__table__.columns)
    assert case_id not in values and "Sanne" not in values


def test_groups_below_the_minimum_are_never_shown_not_even_by_subtraction(client) -> None:
    with client.app.state.sessions() as db:
        db.add_all([_stat("2026-11", "Hilversum") for _ in range(5)] + [_stat("2026-11", "Huizen") for _ in range(2)]
                   + [_stat("2026-12", "Hilversum", uitkomst="sociaal domein") for _ in range(6)])
        db.commit()
        figures = aggregate(db, min_group=5)
    shown = {(g["maand"], g["gemeente"]): g for g in figures["groepen"]}
    assert ("2026-11", "Hilversum") in shown and ("2026-11", "Huizen") not in shown
    assert ("2026-11", ALL) not in shown  # 7 - 5 would reveal the 2 of Huizen
    assert shown[("2026-12", ALL)]["aantal_vg"] == 6 and shown[("2026-12", "Hilversum")]["uitkomst"]["sociaal domein"] == 6
    assert figures["onderdrukte_groepen"] == 1
    november = shown[("2026-11", "Hilversum")]
    assert november["aandeel_ai_tekst_gewijzigd"] == 0.1 and november["suggesties_geaccepteerd"] == 0.25
    assert november["uren_tot_vaststelling_mediaan"] == 24.0
    assert [b["maand"] for b in month_chart(figures)["bars"]] == ["2026-12"]


@pytest.mark.parametrize("who", ["wg", "bh"])
def test_werkgroep_and_beheerder_export_csv(client, who: str) -> None:
    with client.app.state.sessions() as db:
        db.add_all([_stat("2026-10", "Weesp") for _ in range(5)])
        db.commit()
    response = client.get("/api/statistiek.csv", headers=auth(client, who))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {(r["maand"], r["gemeente"], r["aantal_vg"]) for r in rows} == {("2026-10", ALL, "5"), ("2026-10", "Weesp", "5")}
    assert rows[0]["uitkomst_ggz"] == "5"
    assert client.get("/api/statistiek.csv", headers=auth(client, "gv1")).status_code == 404

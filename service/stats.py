"""Statistieken: anonymous figures per month and gemeente for the werkgroep and the beheerder.

At approval one ``case_stats`` row is written with only what the regions report on (month,
gemeente, uitkomst, hours from upload to approval, how much AI text the professionals changed,
suggestions accepted): no case id, no names, no text, so it cannot be joined back to a case and it
outlives the case's retention period. Aggregates are shown only for groups of at least
``VG_STATS_MIN_GROUP`` VGs (default 5); a month's total is shown only when the gemeenten it hides
are themselves empty or large enough, so no small group can be found by subtraction.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.verslag.schema import UITKOMSTEN, Verslag
from service.db import Case, CaseStat, ItemEdit

ALL = "alle gemeenten"
UNKNOWN_GEMEENTE = "onbekend"


def record_approval(db: Session, case: Case, verslag: Verslag) -> CaseStat:
    """Write the anonymous figures of an approved case (called once, at approval)."""
    meta = json.loads(case.case_json or "{}")
    gemeente = ((meta.get("inwoner") or {}).get("gemeente") or UNKNOWN_GEMEENTE).strip()[:100] or UNKNOWN_GEMEENTE
    edits = list(db.scalars(select(ItemEdit).where(ItemEdit.case_id == case.id)))
    ai_items = [item for _, item in verslag.iter_items() if item.status != "handmatig"]
    edited_ai = [e for e in edits if e.action in ("bewerkt", "verwijderd") and e.original]
    approved = case.approved_at or case.created
    started = case.uploaded_at or case.created
    row = CaseStat(
        month=approved.strftime("%Y-%m"), gemeente=gemeente,
        uitkomst=verslag.uitkomst.categorie if verslag.uitkomst is not None else None,
        hours_to_approval=round(max((approved - started).total_seconds(), 0) / 3600, 2),
        ai_items=len(ai_items) + len(edited_ai), changed_items=len(edited_ai),
        ai_chars=sum(len(i.tekst) for i in ai_items) + sum(len(e.original) for e in edited_ai),
        edit_distance=sum(e.distance for e in edited_ai),
        suggestions=len(verslag.suggesties),
        suggestions_accepted=sum(s.status == "geaccepteerd" for s in verslag.suggesties),
    )
    db.add(row)
    db.commit()
    return row


@dataclass
class Group:
    maand: str
    gemeente: str
    rows: list[CaseStat] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        rows = self.rows
        uitkomst = Counter(r.uitkomst or "onbekend" for r in rows)
        chars = sum(r.ai_chars for r in rows)
        suggestions = sum(r.suggestions for r in rows)
        return {
            "maand": self.maand, "gemeente": self.gemeente, "aantal_vg": len(rows),
            "uitkomst": {u: uitkomst.get(u, 0) for u in (*UITKOMSTEN, "onbekend")},
            "uren_tot_vaststelling_mediaan": round(statistics.median(r.hours_to_approval for r in rows), 1),
            "aandeel_ai_tekst_gewijzigd": round(sum(r.edit_distance for r in rows) / chars, 3) if chars else 0.0,
            "aandeel_ai_items_gewijzigd": round(sum(r.changed_items for r in rows) / max(sum(r.ai_items for r in rows), 1), 3),
            "suggesties_geaccepteerd": round(sum(r.suggestions_accepted for r in rows) / suggestions, 3) if suggestions else None,
        }


def aggregate(db: Session, min_group: int) -> dict[str, Any]:
    """Figures per month and gemeente (and per month overall) for groups of at least ``min_group``."""
    by_month: dict[str, dict[str, list[CaseStat]]] = defaultdict(lambda: defaultdict(list))
    for row in db.scalars(select(CaseStat).order_by(CaseStat.month)):
        by_month[row.month][row.gemeente].append(row)
    groups: list[dict[str, Any]] = []
    suppressed = 0
    for month, gemeenten in sorted(by_month.items()):
        shown = {g: rows for g, rows in gemeenten.items() if len(rows) >= min_group}
        hidden = sum(len(rows) for g, rows in gemeenten.items() if g not in shown)
        suppressed += len(gemeenten) - len(shown)
        total = [r for rows in gemeenten.values() for r in rows]
        if len(total) >= min_group and (hidden == 0 or hidden >= min_group):
            groups.append(Group(month, ALL, total).figures())
        groups.extend(Group(month, g, rows).figures() for g, rows in sorted(shown.items()))
    return {"minimale_groep": min_group, "groepen": groups, "onderdrukte_groepen": suppressed,
            "uitkomsten": [*UITKOMSTEN, "onbekend"]}


CSV_COLUMNS = ("maand", "gemeente", "aantal_vg", *(f"uitkomst_{u}" for u in (*UITKOMSTEN, "onbekend")),
               "uren_tot_vaststelling_mediaan", "aandeel_ai_tekst_gewijzigd", "aandeel_ai_items_gewijzigd",
               "suggesties_geaccepteerd")


def as_csv(figures: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for group in figures["groepen"]:
        flat = {k: v for k, v in group.items() if k != "uitkomst"}
        flat.update({f"uitkomst_{u}": n for u, n in group["uitkomst"].items()})
        writer.writerow(flat)
    return buffer.getvalue()


def month_chart(figures: dict[str, Any], width: int = 640, height: int = 220) -> dict[str, Any]:
    """Bars of VGs per month (the 'alle gemeenten' rows) as plain numbers for an inline SVG."""
    months = [g for g in figures["groepen"] if g["gemeente"] == ALL]
    top = max((g["aantal_vg"] for g in months), default=0) or 1
    slot = (width - 40) / max(len(months), 1)
    bars = [{"x": round(40 + i * slot + slot * 0.15, 1), "w": round(slot * 0.7, 1),
             "h": round((height - 40) * g["aantal_vg"] / top, 1), "maand": g["maand"], "n": g["aantal_vg"]}
            for i, g in enumerate(months)]
    for bar in bars:
        bar["y"] = round(height - 20 - bar["h"], 1)
    return {"width": width, "height": height, "bars": bars, "top": top}

"""Rating sheets: export per draft and rater, import filled sheets, summarise with agreement."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from jinja2 import Environment, StrictUndefined, select_autoescape
from pydantic import BaseModel, ConfigDict

from eval.review.agreement import krippendorff_alpha, mean_weighted_kappa
from core.errors import EvaluationError

SCALE = (1, 2, 3, 4, 5)
COLUMNS = ("concept", "beoordelaar", "criterium", "vraag", "score", "opmerking")
#: (key, question in Dutch). The first nine follow PDQI-9; the last is specific to the VG.
RUBRIC: tuple[tuple[str, str], ...] = (
    ("actueel", "Geeft het verslag de situatie weer zoals die in dit gesprek besproken is (niets verouderds of van elders)?"),
    ("juist", "Klopt alles wat er staat met wat er in het gesprek gezegd is (geen verzonnen of verdraaide informatie)?"),
    ("volledig", "Staat alles belangrijks erin: hulpvraag, ik wil / ik kan / ik heb nodig, afspraken, uitkomst?"),
    ("bruikbaar", "Kan de huisarts of de volgende hulpverlener hier direct mee verder?"),
    ("geordend", "Is het verslag logisch opgebouwd en staat alles onder het juiste kopje?"),
    ("begrijpelijk", "Is de tekst helder en begrijpelijk, ook voor de inwoner (B1)?"),
    ("beknopt", "Is het verslag kort en zonder herhaling of overbodige details?"),
    ("samenhangend", "Vat het verslag samen en legt het verbanden, in plaats van het gesprek na te vertellen?"),
    ("consistent", "Spreekt het verslag zichzelf nergens tegen (bijv. uitkomst tegenover afspraken)?"),
    ("eigen_woorden", "Staan 'ik wil'-items in de woorden van de inwoner, zonder zorgaanbod of oplossing?"),
)
_KEYS = {k for k, _ in RUBRIC}


def _draft_id(path: Path) -> tuple[str, Path]:
    if path.is_dir():
        return path.name, path / "verslag.json"
    return (path.parent.name if path.name == "verslag.json" else path.stem), path


_SHEET_HTML = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Beoordeling {{ draft_id }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}table{border-collapse:collapse;width:100%}
.nok{color:#a00}</style></head><body>
<h1>Beoordeling conceptverslag {{ draft_id }}</h1>
<p>Lees het concept hieronder. Vul daarna in <code>{{ csv_name }}</code> per vraag een score in van 1 (helemaal niet)
tot 5 (volledig) en eventueel een opmerking. Beoordeel zelfstandig, zonder overleg met andere beoordelaars.
Uitspraken gemarkeerd als <span class="nok">niet onderbouwd</span> vond de automatische controle niet terug in het gesprek.</p>
<h2>Vragen</h2><table><tr><th>criterium</th><th>vraag</th></tr>
{% for key, q in rubric %}<tr><td>{{ key }}</td><td>{{ q }}</td></tr>{% endfor %}</table>
<h2>Concept</h2>
{% for path, item in items %}<p><strong>{{ path }}</strong>: {{ item.tekst }}{% if item.status == "niet_onderbouwd" %} <span class="nok">(niet onderbouwd)</span>{% endif %}</p>
{% else %}<p>(leeg concept)</p>{% endfor %}
</body></html>"""


def export_sheets(drafts: list[Path], out_dir: Path, raters: list[str]) -> list[Path]:
    """Write ``<concept>__<beoordelaar>.csv`` per draft and rater, and ``<concept>.html`` per draft."""
    from pipeline.verslag import Verslag

    if not raters:
        raise EvaluationError("Geen beoordelaars opgegeven.", hint="Geef minstens één --rater.")
    out_dir.mkdir(parents=True, exist_ok=True)
    env = Environment(autoescape=select_autoescape(default=True), undefined=StrictUndefined)
    template = env.from_string(_SHEET_HTML)
    written: list[Path] = []
    for draft in drafts:
        draft_id, path = _draft_id(draft)
        if not path.is_file():
            raise EvaluationError(f"Geen verslag.json gevonden voor {draft.name}.", hint="Geef verslag.json-bestanden of uitvoermappen van 'vg process'.")
        verslag = Verslag.model_validate_json(path.read_text(encoding="utf-8"))
        for rater in raters:
            sheet = out_dir / f"{draft_id}__{rater}.csv"
            buf = io.StringIO()
            writer = csv.writer(buf, delimiter=";")
            writer.writerow(COLUMNS)
            for key, question in RUBRIC:
                writer.writerow([draft_id, rater, key, question, "", ""])
            sheet.write_text(buf.getvalue(), encoding="utf-8-sig")
            written.append(sheet)
        html = out_dir / f"{draft_id}.html"
        html.write_text(template.render(draft_id=draft_id, csv_name=f"{draft_id}__<beoordelaar>.csv",
                                        rubric=RUBRIC, items=list(verslag.iter_items())), encoding="utf-8")
        written.append(html)
    return written


class Rating(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concept: str
    beoordelaar: str
    criterium: str
    score: int | None
    opmerking: str = ""


def _read_sheet(path: Path) -> list[Rating]:
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = [c for c in ("concept", "beoordelaar", "criterium", "score") if c not in (reader.fieldnames or [])]
    if missing:
        raise EvaluationError(f"{path.name} mist kolommen: {', '.join(missing)}.", hint=f"Verwacht: {', '.join(COLUMNS)}.")
    ratings = []
    for line, row in enumerate(reader, start=2):
        raw = (row.get("score") or "").strip()
        if row["criterium"] not in _KEYS:
            raise EvaluationError(f"{path.name}, regel {line}: onbekend criterium '{row['criterium']}'.",
                                  hint="Laat de kolom 'criterium' staan zoals geëxporteerd.")
        if raw and raw not in {str(s) for s in SCALE}:
            raise EvaluationError(f"{path.name}, regel {line}: score '{raw}' is geen geheel getal van 1 tot 5.",
                                  hint="Vul 1, 2, 3, 4 of 5 in, of laat het vak leeg als u het niet kunt beoordelen.")
        ratings.append(Rating(concept=row["concept"], beoordelaar=row["beoordelaar"], criterium=row["criterium"],
                              score=int(raw) if raw else None, opmerking=(row.get("opmerking") or "").strip()))
    return ratings


def import_sheets(paths: list[Path]) -> list[Rating]:
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(p.glob("*.csv")) if p.is_dir() else [p])
    if not files:
        raise EvaluationError("Geen ingevulde formulieren (CSV) gevonden.", hint="Geef de CSV-bestanden of de map ermee.")
    ratings: list[Rating] = []
    seen: set[tuple[str, str, str]] = set()
    for f in files:
        for r in _read_sheet(f):
            key = (r.concept, r.beoordelaar, r.criterium)
            if key in seen:
                raise EvaluationError(f"{f.name}: '{r.criterium}' voor concept {r.concept} door {r.beoordelaar} staat er dubbel in.",
                                      hint="Elk formulier hoort bij één concept en één beoordelaar.")
            seen.add(key)
            ratings.append(r)
    return ratings


class ItemSummary(BaseModel):
    item: str
    mean: float | None
    n: int
    alpha: float | None
    """Krippendorff's alpha (ordinal) across raters, units = concepts."""
    kappa: float | None
    """Quadratic-weighted Cohen's kappa, mean over rater pairs."""


class ReviewSummary(BaseModel):
    n_sheets: int
    n_raters: int
    n_concepts: int
    items: list[ItemSummary]
    alpha_overall: float | None
    """Alpha over all (concept, criterium) units together."""


def summarise(ratings: list[Rating]) -> ReviewSummary:
    raters = sorted({r.beoordelaar for r in ratings})
    concepts = sorted({r.concept for r in ratings})
    items = []
    for key, _ in RUBRIC + (("totaal", ""),):
        rows = [r for r in ratings if r.score is not None and (key == "totaal" or r.criterium == key)]
        if key == "totaal":
            units: dict = {}
            for r in rows:
                units.setdefault((r.concept, r.criterium), {})[r.beoordelaar] = r.score
            by_rater: dict[str, dict] = {}
            for (c, k), scores in units.items():
                for rater, s in scores.items():
                    by_rater.setdefault(rater, {})[(c, k)] = s
        else:
            units = {}
            for r in rows:
                units.setdefault(r.concept, {})[r.beoordelaar] = r.score
            by_rater = {}
            for c, scores in units.items():
                for rater, s in scores.items():
                    by_rater.setdefault(rater, {})[c] = s
        alpha = krippendorff_alpha({u: list(s.values()) for u, s in units.items()}, "ordinal")
        kappa = mean_weighted_kappa(by_rater, SCALE)
        mean = sum(r.score for r in rows) / len(rows) if rows else None
        items.append(ItemSummary(item=key, mean=mean, n=len(rows), alpha=alpha, kappa=kappa))
    overall = items.pop()
    return ReviewSummary(n_sheets=len({(r.concept, r.beoordelaar) for r in ratings}), n_raters=len(raters),
                         n_concepts=len(concepts), items=items, alpha_overall=overall.alpha)

"""What the pages and the API do with cases: create, upload, review edits, roles, approval.

Every lookup goes through ``own_case``/``own_letter`` so another person's id is simply not found.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InputError
from core.files import read_private_text, write_private_text
from pipeline.verslag.schema import ITEM_FIELDS, Afspraak, Item, Verslag
from service import audit
from service.stats import record_approval
from service.db import Case, CaseMember, ItemEdit, Letter, StageProgress, User, now
from service.worker import STAGES, Processing, case_dir

NOT_FOUND = "Niet gevonden."
LIST_FIELDS = {"positieve_gezondheid", "ik_wil", "ik_kan", "ik_heb_nodig", "afspraken", "overbrugging"}
ADDABLE = ("ik_wil", "ik_kan", "ik_heb_nodig", "afspraken", "overbrugging")
SECTION_LABELS = {"hulpvraag": "Hulpvraag", "positieve_gezondheid": "Positieve Gezondheid", "ik_wil": "Ik wil",
                  "ik_kan": "Ik kan", "ik_heb_nodig": "Ik heb nodig", "afspraken": "Afspraken", "regie": "Regie",
                  "overbrugging": "Overbrugging", "evaluatiemoment": "Evaluatiemoment", "vragen_naar": "Vragen naar",
                  "uitkomst": "Uitkomst", "ggz_verwijzing_nodig": "GGZ-verwijzing nodig", "advies_huisarts": "Advies aan de huisarts"}
PATH = re.compile(r"^([a-z_]+)(?:\[(\d{1,4})\])?$")


def own_case(db: Session, user: User, case_id: str) -> Case:
    """The case if ``user`` is one of its gespreksvoerders; otherwise 404 (never 403: ids leak nothing)."""
    case = db.get(Case, case_id) if user.role == "gespreksvoerder" and len(case_id) <= 64 else None
    if case is None or db.scalar(select(CaseMember).where(CaseMember.case_id == case.id,
                                                          CaseMember.user_id == user.id)) is None:
        raise HTTPException(404, NOT_FOUND)
    return case


def own_letter(db: Session, user: User, letter_id: str) -> Letter:
    letter = db.get(Letter, letter_id) if user.role == "huisarts" and len(letter_id) <= 64 else None
    if letter is None or letter.huisarts_id != user.id:
        raise HTTPException(404, NOT_FOUND)
    return letter


def my_cases(db: Session, user: User) -> list[Case]:
    return list(db.scalars(select(Case).join(CaseMember, CaseMember.case_id == Case.id)
                           .where(CaseMember.user_id == user.id).order_by(Case.created.desc())))


def stages(db: Session, case: Case) -> list[dict[str, str]]:
    rows = {r.stage: r for r in db.scalars(select(StageProgress).where(StageProgress.case_id == case.id))}
    return [{"stage": s, "label": label, "state": rows[s].state if s in rows else "wachtrij",
             "message": rows[s].message if s in rows else ""} for s, label in STAGES.items()]


def case_summary(db: Session, case: Case) -> dict[str, Any]:
    return {"id": case.id, "titel": case.title, "status": case.status, "stap": case.stage, "melding": case.message,
            "fout": case.error, "bestand": case.input_name, "aangemaakt": case.created.isoformat(timespec="seconds"),
            "toestemming": {"door": case.consent_by, "hoe": case.consent_how, "wanneer": case.consent_at.isoformat()},
            "stappen": stages(db, case), "vastgesteld": case.approved_at is not None}


def out_dir(processing: Processing, case: Case) -> Path:
    return case_dir(processing.settings, case.id) / "uitvoer"


def load_transcript(processing: Processing, case: Case) -> dict[str, Any]:
    """The raw transcript (names included) as JSON data; stored encrypted with the vault key."""
    from pipeline.artefacts import has_raw_transcript, load_raw_transcript

    folder = out_dir(processing, case)
    if not has_raw_transcript(folder):
        raise HTTPException(404, "Transcript niet gevonden.")
    return load_raw_transcript(folder, processing.backends.vault_key).model_dump(mode="json")


def load_verslag(processing: Processing, case: Case) -> Verslag:
    path = out_dir(processing, case) / "verslag.json"
    if case.status not in ("klaar", "vastgesteld") or not path.is_file():
        raise HTTPException(409, "Het conceptverslag is nog niet klaar.")
    return Verslag.model_validate_json(read_private_text(path))


def save_verslag(processing: Processing, case: Case, verslag: Verslag) -> None:
    write_private_text(out_dir(processing, case) / "verslag.json", verslag.model_dump_json(indent=2))


def _editable(case: Case) -> None:
    if case.approved_at is not None:
        raise HTTPException(409, "Dit verslag is vastgesteld en kan niet meer worden gewijzigd.")
    if case.status != "klaar":
        raise HTTPException(409, "Het conceptverslag is nog niet klaar.")


def levenshtein(a: str, b: str) -> int:
    a, b = a[:4000], b[:4000]
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _record(db: Session, case: Case, user: User, path: str, action: str, original: str, edited: str) -> None:
    row = db.scalar(select(ItemEdit).where(ItemEdit.case_id == case.id, ItemEdit.path == path))
    if row is None:
        row = ItemEdit(case_id=case.id, path=path, action=action, original=original, user_id=user.id)
        db.add(row)
    row.edited, row.user_id, row.updated = edited, user.id, now()
    row.action = action if row.action != "toegevoegd" else row.action
    row.distance = levenshtein(row.original, edited)
    db.commit()
    audit.record(db, user, "verwijderd" if action == "verwijderd" else "gewijzigd", "verslag", case.id,
                 f"{action} {path.split('#')[0]}")


def _locate(verslag: Verslag, path: str) -> tuple[str, int | None, Item]:
    match = PATH.match(path)
    if not match or match.group(1) not in ITEM_FIELDS:
        raise HTTPException(404, NOT_FOUND)
    name, index = match.group(1), match.group(2)
    value = getattr(verslag, name)
    if isinstance(value, list):
        if index is None or int(index) >= len(value):
            raise HTTPException(404, NOT_FOUND)
        return name, int(index), value[int(index)]
    if index is not None or value is None:
        raise HTTPException(404, NOT_FOUND)
    return name, None, value


def _text(tekst: str) -> str:
    tekst = tekst.strip()
    if not tekst or len(tekst) > 4000:
        raise InputError("De tekst van een onderdeel moet tussen 1 en 4000 tekens lang zijn.", hint="Pas de tekst aan.")
    return tekst


def edit_item(db: Session, processing: Processing, case: Case, user: User, path: str, tekst: str) -> Item:
    _editable(case)
    verslag = load_verslag(processing, case)
    _, _, item = _locate(verslag, path)
    tekst = _text(tekst)
    original = item.tekst
    item.tekst, item.status = tekst, "handmatig"
    save_verslag(processing, case, verslag)
    _record(db, case, user, path, "bewerkt", original, tekst)
    return item


def add_item(db: Session, processing: Processing, case: Case, user: User, section: str, tekst: str) -> str:
    _editable(case)
    if section not in ADDABLE:
        raise InputError("Aan dit onderdeel kan niets worden toegevoegd.", hint=f"Kies uit: {', '.join(ADDABLE)}.")
    verslag = load_verslag(processing, case)
    items = getattr(verslag, section)
    cls = Afspraak if section == "afspraken" else Item
    items.append(cls(tekst=_text(tekst), status="handmatig"))
    save_verslag(processing, case, verslag)
    path = f"{section}[{len(items) - 1}]"
    _record(db, case, user, path, "toegevoegd", "", items[-1].tekst)
    return path


def remove_item(db: Session, processing: Processing, case: Case, user: User, path: str) -> None:
    _editable(case)
    verslag = load_verslag(processing, case)
    name, index, item = _locate(verslag, path)
    if index is None:
        setattr(verslag, name, None)
    else:
        getattr(verslag, name).pop(index)
    save_verslag(processing, case, verslag)
    removed = db.scalar(select(ItemEdit).where(ItemEdit.case_id == case.id, ItemEdit.path.like(f"{path}#%")))
    _record(db, case, user, f"{path}#verwijderd{now().timestamp():.0f}" if removed else f"{path}#verwijderd",
            "verwijderd", item.tekst, "")


def decide_suggestion(db: Session, processing: Processing, case: Case, user: User, index: int, decision: str) -> None:
    _editable(case)
    verslag = load_verslag(processing, case)
    if not 0 <= index < len(verslag.suggesties):
        raise HTTPException(404, NOT_FOUND)
    suggestion = verslag.suggesties[index]
    if decision not in ("geaccepteerd", "afgewezen"):
        raise InputError("Kies accepteren of afwijzen.")
    if decision == "geaccepteerd" and suggestion.status != "geaccepteerd":
        verslag.afspraken.append(Afspraak(tekst=f"Contact met {suggestion.naam} voor {suggestion.need}.",
                                          status="handmatig", ondersteuning_naam=suggestion.naam, waar=suggestion.organisatie))
        _record(db, case, user, f"afspraken[{len(verslag.afspraken) - 1}]", "toegevoegd", "", verslag.afspraken[-1].tekst)
    suggestion.status = decision  # type: ignore[assignment]
    save_verslag(processing, case, verslag)
    audit.record(db, user, "gewijzigd", "verslag", case.id, f"suggestie {index} {decision}")


def set_roles(db: Session, processing: Processing, case: Case, user: User, roles: dict[str, str]) -> None:
    """Confirmed speaker roles: the pipeline re-runs only the stages whose key depends on them."""
    _editable(case)
    from pipeline.transcript import Role
    from typing import get_args

    allowed = set(get_args(Role))
    if not roles or any(r not in allowed for r in roles.values()) or len(roles) > 20:
        raise InputError("Onbekende rol.", hint=f"Kies uit: {', '.join(sorted(allowed))}.")
    transcript = load_transcript(processing, case)
    known = {s.get("speaker") for s in transcript.get("segments", [])} | set(transcript.get("speakers", {}))
    if any(label not in known for label in roles):
        raise InputError("Onbekende spreker.", hint="Gebruik de sprekerlabels uit het transcript.")
    case.role_overrides = json.dumps(roles)
    case.status = "wachtrij"
    db.commit()
    audit.record(db, user, "gewijzigd", "casus", case.id, "sprekerrollen")
    processing.enqueue(case.id)


def approve(db: Session, processing: Processing, case: Case, user: User) -> None:
    _editable(case)
    if case.huisarts_id is None:
        raise InputError("Er is geen huisarts gekozen voor deze casus.", hint="Kies bij de casus de huisarts.")
    verslag = load_verslag(processing, case)  # before the status changes: the final text the figures come from
    case.approved_at, case.approved_by, case.status = now(), user.id, "wachtrij"
    db.commit()
    record_approval(db, case, verslag)
    audit.record(db, user, "vastgesteld", "casus", case.id)
    processing.enqueue(case.id)


def remove_upload_dir(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)

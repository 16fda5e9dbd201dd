"""The JSON API under ``/api/`` (everything the pages do; OpenAPI at ``/api/openapi.json``)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from core.errors import InputError
from pipeline.case import CaseMetadata, Huisarts as CaseHuisarts
from service import audit, cases, stats
from service.db import Case, CaseMember, Letter, User, now
from service.files import file_response, media_response
from service.deps import DB, Beheerder, CurrentUser, Gespreksvoerder, Huisarts, Werkgroep
from service.security import COOKIE, create_session, hash_password, login
from service.uploads import clean_name, probe, stream_to_file
from service.worker import case_dir

router = APIRouter(prefix="/api")
MEDIA = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf"}
CASE_FILES = {"advies-huisarts.html", "advies-huisarts.txt", "advies-huisarts.pdf", "samenvatting-b1.html",
              "samenvatting-b1.txt", "verslag.html"}
LETTER_FILES = {"html": "advies-huisarts.html", "pdf": "advies-huisarts.pdf", "txt": "advies-huisarts.txt"}


class LoginIn(BaseModel):
    gebruikersnaam: str = Field(max_length=80)
    wachtwoord: str = Field(max_length=200)


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bevestigd_door: str = Field(min_length=1, max_length=200)
    wijze: str = Field(min_length=1, max_length=200, description="Hoe: mondeling, schriftelijk ...")
    gegeven: bool = Field(description="Toestemming opname en AI-verwerking gegeven")


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    titel: str = Field(min_length=1, max_length=200)
    casus: CaseMetadata = Field(default_factory=CaseMetadata)
    huisarts_id: int | None = None
    mede_gespreksvoerder_id: int | None = None
    toestemming: ConsentIn


class TextIn(BaseModel):
    tekst: str = Field(max_length=4000)


class AddIn(TextIn):
    sectie: str = Field(max_length=40)


class DecisionIn(BaseModel):
    besluit: Literal["geaccepteerd", "afgewezen"]


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gebruikersnaam: str = Field(min_length=2, max_length=80, pattern=r"^[A-Za-z0-9._-]+$")
    naam: str = Field(default="", max_length=200)
    rol: Literal["gespreksvoerder", "huisarts", "werkgroep", "beheerder"]
    wachtwoord: str = Field(min_length=10, max_length=200)


def _user_out(user: User) -> dict[str, Any]:
    return {"id": user.id, "gebruikersnaam": user.name, "naam": user.display_name, "rol": user.role, "actief": user.active}


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.post("/sessie")
def api_login(body: LoginIn, request: Request, response: Response, db: DB) -> dict[str, Any]:
    app = request.app
    if not app.state.limiter.allow(request.client.host if request.client else "?"):
        raise HTTPException(429, "Te veel inlogpogingen. Wacht enkele minuten.")
    user, reason = login(db, body.gebruikersnaam, body.wachtwoord, app.state.config)
    if user is None:
        audit.record(db, None, "geweigerd", "gebruiker", detail="inloggen mislukt (API)", actor="onbekend")
        raise HTTPException(401, reason)
    audit.record(db, user, "ingelogd", "gebruiker", str(user.id), "API")
    token = create_session(db, user, app.state.config)
    app.state.set_cookie(response, token)
    return _user_out(user)


@router.get("/ik")
def me(user: CurrentUser) -> dict[str, Any]:
    return _user_out(user)


@router.get("/huisartsen")
def huisartsen(_: Gespreksvoerder, db: DB) -> list[dict[str, Any]]:
    return [_user_out(u) for u in db.scalars(select(User).where(User.role == "huisarts", User.active))]


def create_case(db, user: User, body: CaseIn) -> Case:  # noqa: ANN001
    if not body.toestemming.gegeven:
        raise InputError("Zonder vastgelegde toestemming kan geen casus worden aangemaakt.",
                         hint="Vraag toestemming voor opname en AI-verwerking en leg vast wie die bevestigde.")
    huisarts = db.get(User, body.huisarts_id) if body.huisarts_id is not None else None
    if body.huisarts_id is not None and (huisarts is None or huisarts.role != "huisarts"):
        raise InputError("Onbekende huisarts.", hint="Kies een huisarts uit de lijst.")
    meta = body.casus
    if huisarts is not None and meta.huisarts is None:
        meta = meta.model_copy(update={"huisarts": CaseHuisarts(naam=huisarts.display_name or huisarts.name)})
    case = Case(title=body.titel, case_json=meta.model_dump_json(), huisarts_id=body.huisarts_id,
                consent_by=body.toestemming.bevestigd_door, consent_how=body.toestemming.wijze, consent_at=now(),
                consent_recorded_by=user.id)
    db.add(case)
    db.flush()
    db.add(CaseMember(case_id=case.id, user_id=user.id))
    other = db.get(User, body.mede_gespreksvoerder_id) if body.mede_gespreksvoerder_id else None
    if other is not None and other.role == "gespreksvoerder" and other.id != user.id:
        db.add(CaseMember(case_id=case.id, user_id=other.id))
    db.commit()
    audit.record(db, user, "aangemaakt", "casus", case.id)
    return case


@router.post("/casussen", status_code=201)
def api_create_case(body: CaseIn, user: Gespreksvoerder, db: DB) -> dict[str, Any]:
    return cases.case_summary(db, create_case(db, user, body))


@router.get("/casussen")
def api_cases(user: Gespreksvoerder, db: DB) -> list[dict[str, Any]]:
    return [cases.case_summary(db, c) for c in cases.my_cases(db, user)]


@router.get("/casussen/{case_id}")
def api_case(case_id: str, user: Gespreksvoerder, db: DB) -> dict[str, Any]:
    return cases.case_summary(db, cases.own_case(db, user, case_id))  # status polling: not logged


async def receive_upload(request: Request, db, case: Case, naam: str) -> None:  # noqa: ANN001
    """Stream the body to disk, probe it, then queue the case. Refusals leave nothing behind."""
    processing = request.app.state.processing
    if case.status not in ("nieuw", "fout") or case.approved_at is not None:
        raise HTTPException(409, "Voor deze casus is al een opname ontvangen.")
    display = clean_name(naam)
    folder = case_dir(processing.settings, case.id) / "invoer"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    part = Path(tempfile.mkstemp(dir=folder, suffix=".deel")[1])
    part.unlink()
    try:
        await stream_to_file(request.stream(), part, processing.settings.max_file_mb * 1024 * 1024)
        suffix = probe(part, processing.settings)
    except BaseException:
        part.unlink(missing_ok=True)
        if not any(folder.iterdir()):
            cases.remove_upload_dir(folder.parent)
        raise
    for old in folder.glob("opname.*"):
        old.unlink()
    part.replace(folder / f"opname{suffix}")
    case.input_name, case.input_file, case.status, case.error = display, f"opname{suffix}", "wachtrij", None
    case.uploaded_at = now()
    db.commit()
    processing.enqueue(case.id)


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


@router.put("/casussen/{case_id}/opname", status_code=202, openapi_extra=UPLOAD_BODY)
async def api_upload(case_id: str, request: Request, user: Gespreksvoerder, db: DB,
                     naam: Annotated[str, Query(max_length=1000, description="Oorspronkelijke bestandsnaam")]) -> dict[str, Any]:
    case = cases.own_case(db, user, case_id)
    await receive_upload(request, db, case, naam)
    audit.record(db, user, "geupload", "opname", case.id)
    return cases.case_summary(db, case)


def _case_file(request: Request, case: Case, name: str) -> Path:
    path = cases.out_dir(request.app.state.processing, case) / name
    if not path.is_file():
        raise HTTPException(404, "Bestand niet gevonden.")
    return path


@router.get("/casussen/{case_id}/transcript")
def api_transcript(case_id: str, request: Request, user: Gespreksvoerder, db: DB) -> JSONResponse:
    case = cases.own_case(db, user, case_id)
    transcript = cases.load_transcript(request.app.state.processing, case)
    audit.record(db, user, "bekeken", "transcript", case.id)
    return JSONResponse(transcript)


@router.get("/casussen/{case_id}/audio")
def api_audio(case_id: str, request: Request, user: Gespreksvoerder, db: DB) -> Response:
    """The recording, with HTTP range requests so the player can start at any segment."""
    case = cases.own_case(db, user, case_id)
    path = case_dir(request.app.state.processing.settings, case.id) / "invoer" / str(case.input_file)
    if not case.input_file or path.suffix in (".vtt", ".txt") or not path.is_file():
        raise HTTPException(404, "Geen opname bij deze casus.")
    if "range" not in request.headers or request.headers["range"].startswith("bytes=0-"):
        audit.record(db, user, "bekeken", "opname", case.id)  # once per playback, not per range request
    return media_response(path, request, f"audio/{path.suffix.lstrip('.')}")


@router.get("/casussen/{case_id}/verslag")
def api_verslag(case_id: str, request: Request, user: Gespreksvoerder, db: DB) -> dict[str, Any]:
    case = cases.own_case(db, user, case_id)
    verslag = cases.load_verslag(request.app.state.processing, case)
    audit.record(db, user, "bekeken", "verslag", case.id)
    return verslag.model_dump(mode="json")


@router.put("/casussen/{case_id}/verslag/items/{path}")
def api_edit(case_id: str, path: str, body: TextIn, request: Request, user: Gespreksvoerder, db: DB) -> dict[str, Any]:
    case = cases.own_case(db, user, case_id)
    return cases.edit_item(db, request.app.state.processing, case, user, path, body.tekst).model_dump(mode="json")


@router.post("/casussen/{case_id}/verslag/items", status_code=201)
def api_add(case_id: str, body: AddIn, request: Request, user: Gespreksvoerder, db: DB) -> dict[str, str]:
    case = cases.own_case(db, user, case_id)
    return {"pad": cases.add_item(db, request.app.state.processing, case, user, body.sectie, body.tekst)}


@router.delete("/casussen/{case_id}/verslag/items/{path}", status_code=204)
def api_remove(case_id: str, path: str, request: Request, user: Gespreksvoerder, db: DB) -> None:
    cases.remove_item(db, request.app.state.processing, cases.own_case(db, user, case_id), user, path)


@router.post("/casussen/{case_id}/suggesties/{index}")
def api_suggestion(case_id: str, index: int, body: DecisionIn, request: Request, user: Gespreksvoerder, db: DB) -> dict[str, str]:
    cases.decide_suggestion(db, request.app.state.processing, cases.own_case(db, user, case_id), user, index, body.besluit)
    return {"status": body.besluit}


@router.post("/casussen/{case_id}/rollen", status_code=202)
def api_roles(case_id: str, body: dict[str, str], request: Request, user: Gespreksvoerder, db: DB) -> dict[str, Any]:
    case = cases.own_case(db, user, case_id)
    cases.set_roles(db, request.app.state.processing, case, user, body)
    return cases.case_summary(db, case)


@router.delete("/casussen/{case_id}", status_code=204)
def api_delete_case(case_id: str, request: Request, user: Gespreksvoerder, db: DB) -> None:
    """Delete the case now (e.g. the inwoner withdraws consent): files, rows and queue messages."""
    from service.retention import delete_case

    case = cases.own_case(db, user, case_id)
    processing = request.app.state.processing
    delete_case(db, processing.settings.data_dir, processing.queues, case.id, user=user, actor=user.name,
                reason="verwijderd door gespreksvoerder")


@router.post("/casussen/{case_id}/vaststellen", status_code=202)
def api_approve(case_id: str, request: Request, user: Gespreksvoerder, db: DB) -> dict[str, Any]:
    case = cases.own_case(db, user, case_id)
    cases.approve(db, request.app.state.processing, case, user)
    return cases.case_summary(db, case)


@router.get("/casussen/{case_id}/bestanden/{name}")
def api_case_file(case_id: str, name: str, request: Request, user: Gespreksvoerder, db: DB) -> Response:
    if name not in CASE_FILES:
        raise HTTPException(404, "Bestand niet gevonden.")
    case = cases.own_case(db, user, case_id)
    path = _case_file(request, case, name)
    audit.record(db, user, "geexporteerd", "bestand", case.id, name)
    return file_response(path, MEDIA[path.suffix])


def _letter_out(letter: Letter) -> dict[str, Any]:
    return {"id": letter.id, "titel": letter.title, "bezorgd": letter.delivered.isoformat(timespec="seconds"),
            "gelezen": letter.read_at.isoformat(timespec="seconds") if letter.read_at else None}


@router.get("/brieven")
def api_letters(user: Huisarts, db: DB) -> list[dict[str, Any]]:
    rows = db.scalars(select(Letter).where(Letter.huisarts_id == user.id).order_by(Letter.delivered.desc()))
    return [_letter_out(letter) for letter in rows]


@router.get("/brieven/{letter_id}/{fmt}")
def api_letter_file(letter_id: str, fmt: str, request: Request, user: Huisarts, db: DB) -> Response:
    letter = cases.own_letter(db, user, letter_id)
    if fmt not in LETTER_FILES:
        raise HTTPException(404, "Bestand niet gevonden.")
    path = case_dir(request.app.state.processing.settings, letter.case_id) / "uitvoer" / LETTER_FILES[fmt]
    if not path.is_file():
        raise HTTPException(404, "Bestand niet gevonden.")
    audit.record(db, user, "geexporteerd", "brief", letter.id, fmt)
    return file_response(path, MEDIA[path.suffix], filename=f"advies-huisarts.{fmt}" if fmt != "html" else None)


@router.post("/brieven/{letter_id}/gelezen")
def api_letter_read(letter_id: str, user: Huisarts, db: DB) -> dict[str, Any]:
    letter = cases.own_letter(db, user, letter_id)
    letter.read_at = letter.read_at or now()
    db.commit()
    return _letter_out(letter)


@router.get("/gebruikers")
def api_users(_: Beheerder, db: DB) -> list[dict[str, Any]]:
    return [_user_out(u) for u in db.scalars(select(User).order_by(User.name))]


@router.post("/gebruikers", status_code=201)
def api_create_user(body: UserIn, admin: Beheerder, db: DB) -> dict[str, Any]:
    if db.scalar(select(User).where(User.name == body.gebruikersnaam)) is not None:
        raise HTTPException(409, "Deze gebruikersnaam bestaat al.")
    user = User(name=body.gebruikersnaam, display_name=body.naam, role=body.rol, password_hash=hash_password(body.wachtwoord))
    db.add(user)
    db.commit()
    audit.record(db, admin, "aangemaakt", "gebruiker", str(user.id), body.rol)
    return _user_out(user)


@router.put("/kaart/import", openapi_extra=UPLOAD_BODY)
async def api_kaart_import(request: Request, admin: Beheerder, db: DB,
                           soort: Annotated[Literal["csv", "json"], Query(description="csv (seed) of json (HSDS 3.0)")]) -> dict[str, Any]:
    from pipeline.kaart import open_catalogue

    settings = request.app.state.processing.settings
    with tempfile.TemporaryDirectory(dir=settings.data_dir) as tmp:
        path = Path(tmp) / f"import.{soort}"
        await stream_to_file(request.stream(), path, 50 * 1024 * 1024)
        result = open_catalogue(settings.database_path).import_file(path, bron="beheer", region=settings.region)
    audit.record(db, admin, "geimporteerd", "sociale-kaart", detail=soort)
    return result.model_dump(mode="json")


@router.get("/audit")
def api_audit(admin: Beheerder, db: DB, limit: Annotated[int, Query(ge=1, le=1000)] = 200,
              voor: Annotated[int | None, Query(description="Alleen regels met een lager id (bladeren)")] = None,
              ) -> dict[str, Any]:
    """The newest audit rows (newest first) and whether the hash chain is intact."""
    rows = [audit.as_row(e) for e in audit.entries(db, limit=limit, before=voor)]
    check = audit.verify(db)
    audit.record(db, admin, "bekeken", "audit", detail=f"{len(rows)} regels")
    return {"regels": rows, "keten": {"intact": check.ok, "regels": check.rows, "eerste_fout": check.first_broken,
                                      "reden": check.reason}}


@router.get("/audit.csv")
def api_audit_csv(admin: Beheerder, db: DB) -> StreamingResponse:
    """The whole audit log as CSV, oldest first (with the hashes, so it can be verified elsewhere)."""
    audit.record(db, admin, "geexporteerd", "audit", detail="csv")
    return StreamingResponse(audit.csv_lines(db), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="auditlog.csv"'})


@router.get("/statistiek")
def api_stats(user: Werkgroep, request: Request, db: DB) -> dict[str, Any]:
    """Anonymous figures per month and gemeente (groups of at least VG_STATS_MIN_GROUP VGs only)."""
    figures = stats.aggregate(db, request.app.state.config.stats_min_group)
    audit.record(db, user, "bekeken", "statistiek")
    return {**figures, "peildatum": dt.date.today().isoformat()}


@router.get("/statistiek.csv")
def api_stats_csv(user: Werkgroep, request: Request, db: DB) -> Response:
    figures = stats.aggregate(db, request.app.state.config.stats_min_group)
    audit.record(db, user, "geexporteerd", "statistiek", detail="csv")
    return Response(stats.as_csv(figures), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="vg-statistiek.csv"'})

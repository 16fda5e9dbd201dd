"""Server-rendered Dutch pages (Jinja2, ``templates/app``); forms carry a CSRF token."""

from __future__ import annotations

import json
import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy import func, select

from core.errors import InputError
from core.settings import TEMPLATES_DIR
from pipeline.case import CaseMetadata, Inwoner, Naaste
from service import api, audit, cases
from service.stats import month_chart
from service.db import ItemEdit, Letter, User
from service.deps import DB
from service.security import COOKIE, create_session, csrf_ok, login, session_for, sha256

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES_DIR / "app"))
HOME = {"gespreksvoerder": "/casussen", "huisarts": "/brieven", "beheerder": "/beheer", "werkgroep": "/statistiek"}


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"csrf": getattr(request.state, "csrf", ""), **context},
                                      status_code=status_code)


def error_page(request: Request, status: int, message: str, hint: str | None) -> HTMLResponse:
    return render(request, "fout.html.j2", status, user=getattr(request.state, "user", None), status=status,
                  message=message, hint=hint)


async def page_user(request: Request, db, *roles: str) -> User:  # noqa: ANN001
    session = session_for(db, request.cookies.get(COOKIE))
    if session is None:
        raise HTTPException(401, "Niet ingelogd.")
    request.state.csrf = session.csrf
    if request.method == "POST":
        form = await request.form()
        if not csrf_ok(session.csrf, str(form.get("csrf_token", ""))):
            raise HTTPException(403, "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
    user = db.get(User, session.user_id)
    if user is None or not user.active:
        raise HTTPException(401, "Niet ingelogd.")
    request.state.user = user
    if roles and user.role not in roles:
        raise HTTPException(404, "Niet gevonden.")
    return user


@router.get("/")
async def home(request: Request, db: DB) -> Response:
    session = session_for(db, request.cookies.get(COOKIE))
    user = db.get(User, session.user_id) if session else None
    return RedirectResponse(HOME[user.role] if user else "/inloggen", status_code=303)


@router.get("/inloggen")
def login_form(request: Request, db: DB) -> Response:
    token = secrets.token_urlsafe(24)
    no_users = db.scalar(select(func.count()).select_from(User)) == 0
    response = render(request, "inloggen.html.j2", csrf=token, no_users=no_users, error=None)
    response.set_cookie("vg_login_csrf", token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/inloggen")
async def login_submit(request: Request, db: DB) -> Response:
    form = await request.form()
    if not csrf_ok(request.cookies.get("vg_login_csrf", ""), str(form.get("csrf_token", ""))):
        raise HTTPException(403, "Het formulier is verlopen. Laad de pagina opnieuw.")
    if not request.app.state.limiter.allow(request.client.host if request.client else "?"):
        return render(request, "inloggen.html.j2", 429, csrf=form.get("csrf_token"), no_users=False,
                      error="Te veel inlogpogingen. Wacht enkele minuten.")
    user, reason = login(db, str(form.get("gebruikersnaam", ""))[:80], str(form.get("wachtwoord", ""))[:200],
                         request.app.state.config)
    if user is None:
        audit.record(db, None, "geweigerd", "gebruiker", detail="inloggen mislukt", actor="onbekend")
        return render(request, "inloggen.html.j2", 401, csrf=form.get("csrf_token"), no_users=False, error=reason)
    audit.record(db, user, "ingelogd", "gebruiker", str(user.id))
    response = RedirectResponse(HOME[user.role], status_code=303)
    request.app.state.set_cookie(response, create_session(db, user, request.app.state.config))
    return response


@router.post("/uitloggen")
async def logout(request: Request, db: DB) -> Response:
    await page_user(request, db)
    session = session_for(db, request.cookies.get(COOKIE))
    if session is not None:
        db.delete(session)
        db.commit()
    response = RedirectResponse("/inloggen", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/casussen")
async def case_list(request: Request, db: DB) -> Response:
    user = await page_user(request, db, "gespreksvoerder")
    return render(request, "casussen.html.j2", user=user, cases=cases.my_cases(db, user))


def _people(db) -> dict[str, list[User]]:  # noqa: ANN001
    return {r: list(db.scalars(select(User).where(User.role == r, User.active))) for r in ("huisarts", "gespreksvoerder")}


@router.get("/casussen/nieuw")
async def new_case_form(request: Request, db: DB) -> Response:
    user = await page_user(request, db, "gespreksvoerder")
    return render(request, "nieuwe-casus.html.j2", user=user, people=_people(db), error=None, form={})


@router.post("/casussen/nieuw")
async def new_case_submit(request: Request, db: DB) -> Response:
    user = await page_user(request, db, "gespreksvoerder")
    form = {k: str(v).strip() for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        naasten = [Naaste(naam=n.strip()) for n in form.get("naasten", "").split(",") if n.strip()]
        meta = CaseMetadata(inwoner=Inwoner(naam=form.get("inwoner_naam") or "Inwoner",
                                            geboortedatum=form.get("geboortedatum") or None,
                                            gemeente=form.get("gemeente") or None),
                            naasten=naasten, datum_gesprek=form.get("datum") or None, regio=form.get("regio") or None)
        body = api.CaseIn(titel=form.get("titel") or "Verkennend gesprek", casus=meta,
                          huisarts_id=int(form["huisarts_id"]) if form.get("huisarts_id") else None,
                          mede_gespreksvoerder_id=int(form["mede_id"]) if form.get("mede_id") else None,
                          toestemming=api.ConsentIn(bevestigd_door=form.get("toestemming_door", ""),
                                                    wijze=form.get("toestemming_wijze", ""),
                                                    gegeven=form.get("toestemming") == "ja"))
        case = api.create_case(db, user, body)
    except (ValidationError, ValueError, InputError) as exc:
        message = exc.message if isinstance(exc, InputError) else "Controleer de velden: " + ", ".join(
            sorted({str(e["loc"][-1]) for e in exc.errors()})) if isinstance(exc, ValidationError) else "Ongeldige invoer."
        return render(request, "nieuwe-casus.html.j2", 400, user=user, people=_people(db), error=message, form=form)
    return RedirectResponse(f"/casussen/{case.id}", status_code=303)


def _review(request: Request, case) -> dict[str, Any]:  # noqa: ANN001
    processing = request.app.state.processing
    folder = cases.out_dir(processing, case)
    transcript = cases.load_transcript(processing, case)
    verslag = cases.load_verslag(processing, case)
    sections: dict[str, list[tuple[str, Any]]] = {}
    for path, item in verslag.iter_items():
        sections.setdefault(path.split("[")[0], []).append((path, item))
    speakers = sorted({s.get("speaker") for s in transcript["segments"] if s.get("speaker")})
    roles = {**{s.get("speaker"): s.get("role") for s in transcript["segments"]}, **transcript.get("speakers", {})}
    return {"transcript": transcript, "verslag": verslag, "sections": sections, "labels": cases.SECTION_LABELS,
            "speakers": speakers, "roles": roles, "addable": cases.ADDABLE,
            "has_audio": bool(case.input_file) and not str(case.input_file).endswith((".vtt", ".txt"))}


@router.get("/casussen/{case_id}")
async def case_page(case_id: str, request: Request, db: DB) -> Response:
    user = await page_user(request, db, "gespreksvoerder")
    case = cases.own_case(db, user, case_id)
    context: dict[str, Any] = {"user": user, "case": case, "summary": cases.case_summary(db, case)}
    if case.status in ("klaar", "vastgesteld"):  # content is shown (the progress page's reloads are not logged)
        audit.record(db, user, "bekeken", "verslag", case.id, "beoordelingspagina")
        context.update(_review(request, case))
        context["edits"] = {e.path: e for e in db.scalars(select(ItemEdit).where(ItemEdit.case_id == case.id))}
    from pipeline.transcript import Role
    from typing import get_args

    return render(request, "casus.html.j2", all_roles=get_args(Role), **context)


@router.post("/casussen/{case_id}/{action}")
async def case_action(case_id: str, action: str, request: Request, db: DB) -> Response:
    user = await page_user(request, db, "gespreksvoerder")
    case = cases.own_case(db, user, case_id)
    form = await request.form()
    processing = request.app.state.processing
    if action == "bewerken":
        cases.edit_item(db, processing, case, user, str(form.get("pad", "")), str(form.get("tekst", "")))
    elif action == "toevoegen":
        cases.add_item(db, processing, case, user, str(form.get("sectie", "")), str(form.get("tekst", "")))
    elif action == "verwijderen":
        cases.remove_item(db, processing, case, user, str(form.get("pad", "")))
    elif action == "suggestie":
        cases.decide_suggestion(db, processing, case, user, int(str(form.get("index", "-1")) or -1), str(form.get("besluit", "")))
    elif action == "rollen":
        cases.set_roles(db, processing, case, user, {k[5:]: str(v) for k, v in form.items() if k.startswith("rol::")})
    elif action == "vaststellen":
        cases.approve(db, processing, case, user)
    else:
        raise HTTPException(404, "Niet gevonden.")
    anchor = f"#{form.get('pad')}" if action == "bewerken" else ""
    return RedirectResponse(f"/casussen/{case.id}{anchor}", status_code=303)


@router.get("/brieven")
async def inbox(request: Request, db: DB) -> Response:
    user = await page_user(request, db, "huisarts")
    letters = list(db.scalars(select(Letter).where(Letter.huisarts_id == user.id).order_by(Letter.delivered.desc())))
    return render(request, "brieven.html.j2", user=user, letters=letters)


@router.get("/brieven/{letter_id}")
async def letter_page(letter_id: str, request: Request, db: DB) -> Response:
    user = await page_user(request, db, "huisarts")
    letter = cases.own_letter(db, user, letter_id)
    audit.record(db, user, "bekeken", "brief", letter.id)
    return render(request, "brief.html.j2", user=user, letter=letter)


@router.post("/brieven/{letter_id}/gelezen")
async def letter_read(letter_id: str, request: Request, db: DB) -> Response:
    user = await page_user(request, db, "huisarts")
    api.api_letter_read(letter_id, user, db)
    return RedirectResponse("/brieven", status_code=303)


@router.get("/beheer")
async def admin(request: Request, db: DB) -> Response:
    user = await page_user(request, db, "beheerder")
    return render(request, "beheer.html.j2", user=user, users=list(db.scalars(select(User).order_by(User.name))),
                  roles=("gespreksvoerder", "huisarts", "werkgroep", "beheerder"), error=None)


@router.post("/beheer/gebruikers")
async def admin_create(request: Request, db: DB) -> Response:
    user = await page_user(request, db, "beheerder")
    form = await request.form()
    try:
        body = api.UserIn(gebruikersnaam=str(form.get("gebruikersnaam", "")), naam=str(form.get("naam", "")),
                          rol=str(form.get("rol", "")), wachtwoord=str(form.get("wachtwoord", "")))  # type: ignore[arg-type]
        api.api_create_user(body, user, db)
    except (ValidationError, HTTPException):
        return render(request, "beheer.html.j2", 400, user=user, users=list(db.scalars(select(User).order_by(User.name))),
                      roles=("gespreksvoerder", "huisarts", "werkgroep", "beheerder"),
                      error="Gebruiker niet aangemaakt: gebruikersnaam bestaat al of wachtwoord korter dan 10 tekens.")
    return RedirectResponse("/beheer", status_code=303)


@router.get("/beheer/audit")
async def audit_page(request: Request, db: DB) -> Response:
    user = await page_user(request, db, "beheerder")
    voor = request.query_params.get("voor")
    data = api.api_audit(user, db, limit=200, voor=int(voor) if voor and voor.isdigit() else None)
    return render(request, "audit.html.j2", user=user, rows=data["regels"], keten=data["keten"])


@router.get("/statistiek")
async def stats(request: Request, db: DB) -> Response:
    user = await page_user(request, db, "werkgroep", "beheerder")
    figures = api.api_stats(user, request, db)
    return render(request, "statistiek.html.j2", user=user, stats=figures, chart=month_chart(figures))


__all__ = ["error_page", "router", "sha256"]

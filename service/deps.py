"""Request dependencies: database session, the signed-in user (cookie or bearer token), CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from service.db import User
from service.security import COOKIE, csrf_ok, session_for, user_for_token

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as db:
        yield db


DB = Annotated[Session, Depends(get_db)]


async def optional_user(request: Request, db: DB) -> User | None:
    """Async on purpose: a few indexed lookups, cheaper on the event loop than a hop to the thread pool
    (each sync dependency is one; under 20 users those hops dominated the API's latency)."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = user_for_token(db, auth[7:].strip())
        if user is None:
            raise HTTPException(401, "Ongeldig of ingetrokken token.")
        return user
    session = session_for(db, request.cookies.get(COOKIE))
    if session is None:
        return None
    request.state.csrf = session.csrf
    if request.method in UNSAFE and not csrf_ok(session.csrf, request.headers.get("x-csrf-token")
                                                or getattr(request.state, "form_csrf", None)):
        raise HTTPException(403, "Het formulier is verlopen of ongeldig (CSRF). Laad de pagina opnieuw.")
    user = db.get(User, session.user_id)
    return user if user is not None and user.active else None


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise HTTPException(401, "Niet ingelogd.")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def role(*roles: str):  # noqa: ANN201 - dependency factory
    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(404, "Niet gevonden.")
        return user

    return Depends(check)


Gespreksvoerder = Annotated[User, role("gespreksvoerder")]
Huisarts = Annotated[User, role("huisarts")]
Beheerder = Annotated[User, role("beheerder")]
Werkgroep = Annotated[User, role("werkgroep", "beheerder")]
"""Anonymous statistics: the werkgroep AI and the beheerder."""

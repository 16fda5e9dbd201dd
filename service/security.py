"""Passwords (argon2), sessions, personal API tokens, CSRF and login rate limiting."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.config import ServiceSettings
from service.db import User, WebSession, now

COOKIE = "vg_sessie"
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("niet-bestaand-account")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def check_password(user: User | None, password: str) -> bool:
    """Constant-ish time: an unknown user still costs one argon2 verification."""
    try:
        return _hasher.verify(user.password_hash if user and user.password_hash else _DUMMY, password) and bool(user)
    except (VerificationError, InvalidHashError):
        return False


class LoginLimiter:
    """Per client address: at most ``limit`` attempts per window (in memory, per process)."""

    def __init__(self, limit: int, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        t = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] < t - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(t)
            return True


def login(db: Session, name: str, password: str, config: ServiceSettings) -> tuple[User | None, str]:
    """Returns (user, "") or (None, Dutch reason). Locks the account after repeated failures."""
    user = db.scalar(select(User).where(User.name == name))
    if user is not None and user.locked_until and user.locked_until > now():
        return None, "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het later opnieuw."
    if not check_password(user, password) or user is None or not user.active:
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= config.login_max_failures:
                user.locked_until = now() + dt.timedelta(minutes=config.lockout_minutes)
                user.failed_logins = 0
            db.commit()
        return None, "Onbekende gebruikersnaam of onjuist wachtwoord."
    user.failed_logins, user.locked_until = 0, None
    db.commit()
    return user, ""


def create_session(db: Session, user: User, config: ServiceSettings) -> str:
    token = secrets.token_urlsafe(32)
    db.add(WebSession(token_hash=sha256(token), user_id=user.id, csrf=secrets.token_urlsafe(24),
                      expires=now() + dt.timedelta(hours=config.session_hours)))
    db.commit()
    return token


def session_for(db: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    session = db.get(WebSession, sha256(token))
    if session is None:
        return None
    if session.expires <= now():
        db.delete(session)
        db.commit()
        return None
    return session


def new_api_token(db: Session, user: User) -> str:
    """A personal bearer token; only its hash is stored, the token is shown once."""
    token = "vg_" + secrets.token_urlsafe(32)
    user.token_hash = sha256(token)
    db.commit()
    return token


def user_for_token(db: Session, token: str) -> User | None:
    user = db.scalar(select(User).where(User.token_hash == sha256(token)))
    return user if user is not None and user.active else None


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given or "")

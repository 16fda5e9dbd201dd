"""Database models (SQLAlchemy 2) and the session factory.

Portable types only (String, Integer, DateTime, Text, Boolean) so the same models run on SQLite (the
default, in the data directory) and PostgreSQL (``VG_DATABASE_URL=postgresql://...``, psycopg 3).
Datetimes are naive UTC on both; string lengths are enforced by PostgreSQL, so every writer
truncates or validates to the column length. The schema is created and upgraded by Alembic (``service/migrations``), never by
``create_all`` in production code.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from core import at_rest
from core.errors import DatabaseError, VaultError

logger = logging.getLogger(__name__)

ROLES = ("gespreksvoerder", "huisarts", "werkgroep", "beheerder")
CASE_STATES = ("nieuw", "wachtrij", "bezig", "klaar", "fout", "vastgesteld")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    pass


class EncryptedText(TypeDecorator):
    """Text encrypted with the at-rest keyring (:mod:`core.at_rest`) before it reaches the database.

    For the columns that hold what a client or professional typed about a client (case title,
    CASE.json, consent, file name, review edits): a database dump or backup shows ``enc:`` and a
    Fernet token. Values written before encryption existed are read as they are (migration 0004
    encrypts them). Never used in a WHERE clause (the ciphertext differs per write)."""

    impl = Text
    cache_ok = True
    PREFIX = "enc:"

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201
        if value is None:
            return None
        return self.PREFIX + _keyring().encrypt(str(value).encode("utf-8")).decode("ascii")

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        if value is None or not value.startswith(self.PREFIX):
            return value
        return _keyring().decrypt(value[len(self.PREFIX):].encode("ascii"), "Een databaseveld").decode("utf-8")


def _keyring() -> at_rest.Keyring:
    keyring = at_rest.current_keyring()
    if keyring is None:
        raise VaultError("De sleutel voor de database is niet geladen.",
                         hint="Open de database via open_database(), die de sleutel uit VG_SECRETS_DIR of VG_VAULT_KEY laadt.")
    return keyring


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class WebSession(Base):
    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    expires: Mapped[dt.datetime] = mapped_column(DateTime)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(EncryptedText, default="")
    case_json: Mapped[str] = mapped_column(EncryptedText, default="{}")
    huisarts_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    consent_by: Mapped[str] = mapped_column(EncryptedText)
    consent_how: Mapped[str] = mapped_column(String(200))
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime)
    consent_recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="nieuw")
    stage: Mapped[str | None] = mapped_column(String(40), nullable=True)
    message: Mapped[str | None] = mapped_column(String(300), nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    input_name: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    input_file: Mapped[str | None] = mapped_column(String(40), nullable=True)
    role_overrides: Mapped[str] = mapped_column(Text, default="{}")
    claimed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    heartbeat: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class CaseMember(Base):
    """The gespreksvoerders who may see and edit a case (the gespreksduo)."""

    __tablename__ = "case_members"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class StageProgress(Base):
    __tablename__ = "stage_progress"
    __table_args__ = (UniqueConstraint("case_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(String(300), default="")
    updated: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class ItemEdit(Base):
    """What the professional changed versus what the model wrote, per item (a werkgroep measure)."""

    __tablename__ = "item_edits"
    __table_args__ = (UniqueConstraint("case_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    original: Mapped[str] = mapped_column(EncryptedText, default="")
    edited: Mapped[str] = mapped_column(EncryptedText, default="")
    distance: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Letter(Base):
    __tablename__ = "letters"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    huisarts_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(EncryptedText, default="")
    delivered: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class AuditEntry(Base):
    """One row of the append-only audit log (see :mod:`service.audit`); no content, no client names."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    """No foreign key: the log outlives accounts and cases."""
    user_name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))


class CaseStat(Base):
    """Anonymous figures of one approved VG (see :mod:`service.stats`): no case id, names or text."""

    __tablename__ = "case_stats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    gemeente: Mapped[str] = mapped_column(String(100))
    uitkomst: Mapped[str | None] = mapped_column(String(40), nullable=True)
    hours_to_approval: Mapped[float] = mapped_column(Float)
    ai_items: Mapped[int] = mapped_column(Integer, default=0)
    changed_items: Mapped[int] = mapped_column(Integer, default=0)
    ai_chars: Mapped[int] = mapped_column(Integer, default=0)
    edit_distance: Mapped[int] = mapped_column(Integer, default=0)
    suggestions: Mapped[int] = mapped_column(Integer, default=0)
    suggestions_accepted: Mapped[int] = mapped_column(Integer, default=0)


def database_url(data_dir: Path, configured: str | None = None) -> str:
    """The configured URL (``VG_DATABASE_URL``) or the embedded SQLite file in the data directory.

    ``postgresql://`` and ``postgres://`` mean psycopg 3 (the driver the project pins).
    """
    if not configured:
        return f"sqlite:///{data_dir / 'app.db'}"
    for prefix in ("postgresql://", "postgres://"):
        if configured.startswith(prefix):
            return "postgresql+psycopg://" + configured[len(prefix):]
    return configured


def describe(url: str) -> str:
    """The URL without password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(ongeldige URL)"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # No pool: a connection per session. The pages are async handlers that use the database; with a
        # small pool, 20 users made them wait on the event loop for connections that the threaded API
        # handlers could only return through that same loop (bench/bench_load.py hung). SQLite connects
        # in microseconds.
        engine = create_engine(url, connect_args={"timeout": 30}, poolclass=NullPool)

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record) -> None:  # noqa: ANN001
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
            cur.close()
        return engine
    # A server database: drop connections the server closed (restart, idle timeout) before use.
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=30,
                           connect_args={"connect_timeout": 10} if "psycopg" in url else {})
    if url.startswith("postgresql"):
        event.listen(engine, "before_cursor_execute", _strip_nul, retval=True)
    return engine


def _strip_nul(_conn, _cursor, statement, parameters, _context, _many):  # noqa: ANN001, ANN202
    """PostgreSQL text cannot hold NUL characters (SQLite can): a ``\\u0000`` in submitted text would
    be a server error on one database and not the other. It carries no meaning; drop it."""
    def clean(value):  # noqa: ANN001, ANN202
        return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value

    if isinstance(parameters, dict):
        return statement, {k: clean(v) for k, v in parameters.items()}
    if isinstance(parameters, list | tuple) and parameters and isinstance(parameters[0], dict):
        return statement, [{k: clean(v) for k, v in row.items()} for row in parameters]
    if isinstance(parameters, list | tuple):
        return statement, type(parameters)(clean(v) for v in parameters)
    return statement, parameters


def _config(url: str):  # noqa: ANN202
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


MIGRATION_LOCK = 7_160_516
"""PostgreSQL advisory lock id: the app and workers of a region start together; one migrates at a time."""


def migrate(url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default the newest; zero setup for the embedded SQLite)."""
    from alembic import command

    if not url.startswith("postgresql"):
        command.upgrade(_config(url), revision)
        return
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK})
            try:
                command.upgrade(_config(url), revision)
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK})
    finally:
        engine.dispose()


def downgrade(url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(_config(url), revision)


def open_database(data_dir: Path, url: str | None = None, key: bytes | None = None) -> sessionmaker:
    """Load the at-rest key, migrate and open the database; a clear Dutch error when it cannot be reached.

    ``key``: the at-rest key(s) (``Backends.vault_key``); default the configured one (VG_VAULT_KEY or
    the key file in VG_SECRETS_DIR), so the app, the workers and the CLI read each other's rows."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if key is None:
        from core.settings import Settings
        from pipeline.deid.vault import settings_key

        key = settings_key(Settings())
    at_rest.use_keyring(key)
    url = database_url(data_dir, url)
    try:
        migrate(url)
        return sessionmaker(make_engine(url), expire_on_commit=False)
    except (OperationalError, ArgumentError, NoSuchModuleError, ModuleNotFoundError) as exc:
        logger.error("database unavailable: %s (%s)", describe(url), type(exc).__name__)
        raise DatabaseError(
            f"De database is niet bereikbaar of niet te openen ({describe(url)}).",
            hint="Controleer VG_DATABASE_URL (bijvoorbeeld postgresql://vg@db-server/vg), of de databaseserver "
                 "draait en deze computer er mag verbinden; zonder VG_DATABASE_URL gebruikt de app SQLite in VG_DATA_DIR.",
        ) from None

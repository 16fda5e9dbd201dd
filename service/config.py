"""Settings of the web app itself (``VG_`` environment variables, like ``core.settings``)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VG_", env_file=".env", extra="ignore")

    tls_certfile: Path | None = None
    tls_keyfile: Path | None = None
    allow_remote: bool = False
    """Binding to anything but loopback needs this set to true (and HTTPS, see below)."""
    allow_insecure_remote: bool = False
    """Explicit override: serve a non-loopback address without HTTPS (e.g. behind a TLS proxy)."""
    cookie_secure: bool | None = None
    """Secure flag on the session cookie; default: on whenever HTTPS is configured or remote."""
    session_hours: float = 8.0
    login_max_failures: int = 5
    lockout_minutes: int = 15
    login_ip_limit: int = 30
    """Login attempts per client address per 5 minutes before ``429``."""
    worker_stale_seconds: int = 60
    """A running job without a heartbeat for this long is taken over by another worker."""
    worker_recover_seconds: float = 30.0
    """How often each worker looks for jobs of dead workers (and for cases whose queue message was lost)."""
    database_url: str | None = None
    """``VG_DATABASE_URL``: e.g. ``postgresql://vg:wachtwoord@db.regio.local/vg`` (psycopg 3) for a region;
    unset: SQLite in the data directory (one team, one machine)."""
    queue_url: str | None = None
    """``VG_QUEUE_URL``: ``redis://host:6379/0`` lets workers on several machines share the queue; unset:
    a SQLite queue in the data directory (workers on this machine only)."""
    retention_days: int = 90
    """``VG_RETENTION_DAYS``: whole cases (files, rows, queue messages) are deleted this many days after
    approval, or after creation when never approved; 0 switches automatic deletion off. Workers check
    every ``retention_check_hours``; ``vg retention run`` does it by hand."""
    retention_check_hours: float = 6.0
    stats_min_group: int = 5
    """``VG_STATS_MIN_GROUP``: statistics are shown only for groups (month x gemeente) of at least this many VGs."""
    worker_nice: int = 10
    """``VG_WORKER_NICE``: ``vg worker`` lowers its CPU priority by this much (0: not), so on a machine that
    also serves the web app, long jobs yield to people's requests (bench/bench_load.py)."""
    worker_capabilities: str = "asr,llm,cpu"
    """``VG_WORKER_CAPABILITIES``: which stages this process runs (``asr`` transcription, ``llm`` drafting,
    ``cpu`` the rest); e.g. ``asr,llm`` on a GPU host and ``cpu`` on the others."""

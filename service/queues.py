"""The job queues: one Huey queue per worker capability, on SQLite (default) or Redis.

A case is processed as far as the worker that claimed it is *capable* of, then handed to the queue
of the capability its next stage needs (``asr`` transcription, ``llm`` drafting, ``cpu`` the rest).
A GPU host with ``VG_WORKER_CAPABILITIES=asr,llm`` and CPU hosts with ``cpu`` thus share one case.
With every capability in one process (the default) a case never leaves its worker.

- ``VG_QUEUE_URL`` unset: ``SqliteHuey`` in ``<data_dir>/queue.db``, for workers on this machine.
- ``VG_QUEUE_URL=redis://host:6379/0``: ``RedisHuey``, shared by workers on several machines. Only
  the configured address is ever contacted. Queue messages carry a case id, never content.
"""

from __future__ import annotations

from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from core.errors import QueueError

CAPABILITIES = ("asr", "llm", "cpu")
STAGE_CAPABILITY = {"transcript": "asr", "deidentify": "cpu", "verslag": "llm", "kaart": "cpu", "render": "llm"}
"""Which capability a stage needs when it must be computed (reusing a finished stage needs none).
Rendering writes the B1 summary with the LLM, so it is an ``llm`` stage."""
FIRST = "asr"
"""New and recovered cases enter here; a worker that reuses a stage moves on without it."""


def stage_capability(stage: str, llm_rerank: bool = False) -> str:
    if stage == "kaart" and llm_rerank:
        return "llm"
    return STAGE_CAPABILITY[stage]


def parse_capabilities(text: str) -> tuple[str, ...]:
    """``"asr, llm"`` -> ``("asr", "llm")`` in canonical order; unknown or empty: a Dutch error."""
    wanted = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = sorted(wanted - set(CAPABILITIES))
    if unknown or not wanted:
        raise QueueError(
            f"Onbekende of lege workercapaciteit: {', '.join(unknown) or '(leeg)'}.",
            hint="Zet VG_WORKER_CAPABILITIES op een of meer van asr, llm, cpu, gescheiden door komma's "
                 "(bijvoorbeeld asr,llm op een GPU-machine en cpu op de andere).",
        )
    return tuple(c for c in CAPABILITIES if c in wanted)


def make_queues(data_dir: Path, queue_url: str | None) -> dict[str, Huey]:
    """One Huey per capability, all on the same storage."""
    if not queue_url:
        return {c: SqliteHuey(f"vg-{c}", filename=str(data_dir / "queue.db"), results=False) for c in CAPABILITIES}
    if not queue_url.startswith(("redis://", "rediss://", "unix://")):
        raise QueueError(
            "VG_QUEUE_URL moet een Redis-adres zijn.",
            hint="Bijvoorbeeld redis://wachtrij.regio.local:6379/0, of laat VG_QUEUE_URL leeg voor de SQLite-wachtrij.",
        )
    return {c: RedisHuey(f"vg-{c}", url=queue_url, results=False) for c in CAPABILITIES}


def check_reachable(queues: dict[str, Huey]) -> None:
    """Fail early with a Dutch message instead of a traceback in a consumer thread."""
    try:
        for huey in queues.values():
            huey.pending_count()
    except Exception as exc:  # noqa: BLE001 - redis.ConnectionError, sqlite3.OperationalError ...
        raise QueueError(
            f"De wachtrij is niet bereikbaar ({type(exc).__name__}).",
            hint="Controleer VG_QUEUE_URL en of de Redis-server draait en deze computer er mag verbinden.",
        ) from None

"""Background processing on Huey: SQLite storage under the data directory, or Redis
(``VG_QUEUE_URL``) shared by worker machines; one queue per capability (:mod:`service.queues`).

One task, ``process_case(case_id)``, runs the pipeline for a case as far as this worker's
capabilities (``VG_WORKER_CAPABILITIES``) allow, then hands it to the queue of the next stage. It is idempotent: the pipeline
reuses every stage whose artefact is already on disk, and a case is *claimed* atomically in the
database before it runs, so a duplicate task (or a second worker) never runs a case twice at once.
A worker killed mid-job leaves the case ``bezig`` with a dead claimer; ``recover()`` (at every
worker start and once a minute) puts it back in the queue and it resumes from the last finished stage.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import signal
import socket
import threading
import time
from pathlib import Path

from huey.consumer import Consumer
from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from core import at_rest
from core.errors import VGError
from core.settings import Settings
from pipeline.backends import Backends
from pipeline.case import CaseMetadata
from pipeline.run_context import StageElsewhere
from pipeline.runner import ProcessOptions, run_pipeline
from service.config import ServiceSettings
from service.db import Case, Letter, StageProgress, now
from service.queues import FIRST, STAGE_CAPABILITY, check_reachable, make_queues, parse_capabilities, stage_capability

logger = logging.getLogger(__name__)
STAGES = {"transcript": "Transcript maken", "deidentify": "Pseudonimiseren",
          "verslag": "Conceptverslag schrijven", "render": "Brieven opmaken"}


def case_dir(settings: Settings, case_id: str) -> Path:
    return settings.data_dir / "cases" / case_id


def options_from_settings(settings: Settings, role_overrides: dict[str, str]) -> ProcessOptions:
    """The VG_* processing settings, exactly as ``vg process`` builds them, plus confirmed roles."""
    from pipeline.stage_options import process_options

    return process_options(settings, role_overrides=role_overrides)


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _claimer_dead(claimed_by: str | None) -> bool:
    if not claimed_by:
        return True
    host, _, rest = claimed_by.partition(":")
    if host != socket.gethostname():
        return False
    pid = int(rest.split(":")[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class _EmbeddedConsumer(Consumer):
    """Inside ``vg serve`` the web server owns the signals; the consumer must not take them."""

    def _set_signal_handlers(self) -> None:
        pass


class Processing:
    """The queue, its task and the embedded consumer, bound to one data directory."""

    def __init__(self, settings: Settings, backends: Backends, sessions: sessionmaker, config: ServiceSettings) -> None:
        self.settings, self.backends, self.sessions, self.config = settings, backends, sessions, config
        # every file written below the case folders is encrypted at rest with the vault key(s)
        at_rest.seal_tree(settings.data_dir / "cases", backends.vault_key)
        self.capabilities = parse_capabilities(config.worker_capabilities)
        self.runs_here = {s for s in STAGE_CAPABILITY if stage_capability(s, settings.kaart_llm_rerank) in self.capabilities}
        self.queues = make_queues(settings.data_dir, config.queue_url)
        self.consumers: list[Consumer] = []
        self._stopping = threading.Event()
        self._tasks = {}
        for capability, huey in self.queues.items():  # every process can enqueue on every queue

            @huey.task(name="process_case")
            def process_case(case_id: str) -> None:
                self.run_case(case_id)

            self._tasks[capability] = process_case

    @property
    def huey(self):  # noqa: ANN201 - the entry queue (kept for callers that inspect it)
        return self.queues[FIRST]

    # --- queue --------------------------------------------------------------------------------
    def enqueue(self, case_id: str, capability: str = FIRST) -> bool:
        """Queue the case; if the queue is unreachable the case stays 'wachtrij' and recovery re-queues it."""
        try:
            self._tasks[capability](case_id)
        except Exception as exc:  # noqa: BLE001 - redis.ConnectionError and friends: nothing is lost
            logger.warning("queue unreachable (%s); case stays waiting and is re-queued by recovery", type(exc).__name__)
            return False
        return True

    def recover(self) -> int:
        """Re-queue cases whose worker died or whose task left the queue; returns how many."""
        stale = now() - dt.timedelta(seconds=self.config.worker_stale_seconds)
        pending = {t.args[0] for huey in self.queues.values() for t in huey.pending()
                   if t.name == "process_case" and t.args}
        count = 0
        with self.sessions() as db:
            for case in db.scalars(select(Case).where(Case.status.in_(("wachtrij", "bezig")))):
                if case.status == "bezig" and not (_claimer_dead(case.claimed_by) or (case.heartbeat or stale) <= stale):
                    continue
                if case.status == "wachtrij" and case.id in pending:
                    continue
                claimed_by = case.claimed_by
                result = db.execute(update(Case).where(Case.id == case.id, Case.status == case.status,
                                                       Case.claimed_by.is_(None) if claimed_by is None else Case.claimed_by == claimed_by)
                                    .values(status="wachtrij", claimed_by=None))
                db.commit()
                if result.rowcount == 1 and self.enqueue(case.id):  # another worker's recovery did not get there first
                    count += 1
        if count:
            logger.info("recovered %d interrupted job(s)", count)
        return count

    def _recover_every(self, seconds: float) -> None:
        next_retention = time.monotonic()
        while not self._stopping.wait(seconds):
            try:
                self.recover()
                if time.monotonic() >= next_retention:
                    next_retention = time.monotonic() + self.config.retention_check_hours * 3600
                    self.apply_retention()
            except Exception as exc:  # noqa: BLE001 - e.g. the database briefly unreachable: try again later
                logger.warning("recovery or retention failed: %s", type(exc).__name__)

    def apply_retention(self) -> int:
        """Delete the cases whose retention period has passed (``VG_RETENTION_DAYS``); returns how many."""
        from service.retention import run_retention

        with self.sessions() as db:
            report = run_retention(db, self.settings.data_dir, self.queues, self.config.retention_days)
        if report.deleted:
            logger.info("retention: deleted %d case(s)", len(report.deleted))
        return len(report.deleted)

    def start(self, workers: int = 1) -> None:
        """Consumer threads for each queue of this worker's capabilities, plus periodic recovery."""
        check_reachable(self.queues)
        self.recover()
        self._stopping.clear()
        for capability in self.capabilities:
            consumer = _EmbeddedConsumer(self.queues[capability], workers=workers, worker_type="thread", periodic=False,
                                         check_worker_health=False, initial_delay=0.05, max_delay=0.5)
            consumer.start()
            self.consumers.append(consumer)
        threading.Thread(target=self._recover_every, args=(self.config.worker_recover_seconds,), daemon=True).start()

    def stop(self) -> None:
        self._stopping.set()
        for consumer in self.consumers:
            consumer.stop(graceful=True)
        self.consumers = []

    def run_forever(self, workers: int = 1) -> None:
        """``vg worker``: run until SIGTERM/SIGINT; running jobs finish first (graceful)."""
        done = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: done.set())
        self.start(workers)
        logger.info("worker ready: capabilities %s", ",".join(self.capabilities))
        done.wait()
        self.stop()

    # --- the task -----------------------------------------------------------------------------
    def _claim(self, case_id: str, me: str) -> bool:
        stale = now() - dt.timedelta(seconds=self.config.worker_stale_seconds)
        with self.sessions() as db:
            case = db.get(Case, case_id)
            if case is None or case.status not in ("wachtrij", "bezig"):
                return False
            if case.status == "bezig" and not (_claimer_dead(case.claimed_by) or (case.heartbeat or stale) <= stale):
                return False
            result = db.execute(update(Case).where(Case.id == case_id, Case.status == case.status,
                                                   Case.claimed_by.is_(case.claimed_by) if case.claimed_by is None
                                                   else Case.claimed_by == case.claimed_by)
                                .values(status="bezig", claimed_by=me, heartbeat=now(), runs=Case.runs + 1, error=None))
            db.commit()
            return result.rowcount == 1

    def _progress(self, case_id: str, stage: str, message: str) -> None:
        with self.sessions() as db:
            for row in db.scalars(select(StageProgress).where(StageProgress.case_id == case_id,
                                                              StageProgress.state == "bezig", StageProgress.stage != stage)):
                row.state = "klaar"
            row = db.scalar(select(StageProgress).where(StageProgress.case_id == case_id, StageProgress.stage == stage))
            if row is None:
                row = StageProgress(case_id=case_id, stage=stage, state="bezig")
                db.add(row)
            done = message.startswith("hergebruikt") or message.startswith("klaar")
            row.state, row.message, row.updated = ("klaar" if done else "bezig"), message[:300], now()
            db.execute(update(Case).where(Case.id == case_id).values(stage=stage, message=message[:300], heartbeat=now()))
            db.commit()

    def _finish(self, case_id: str, status: str, error: str | None) -> None:
        with self.sessions() as db:
            case = db.get(Case, case_id)
            assert case is not None
            for row in db.scalars(select(StageProgress).where(StageProgress.case_id == case_id, StageProgress.state == "bezig")):
                row.state = "klaar" if status != "fout" else "fout"
            if status == "klaar" and case.approved_at is not None:
                status = "vastgesteld"
                if case.huisarts_id and db.scalar(select(Letter).where(Letter.case_id == case_id)) is None:
                    db.add(Letter(case_id=case_id, huisarts_id=case.huisarts_id, title=case.title))
            case.status, case.error, case.claimed_by, case.message = status, error, None, None
            db.commit()
        if status == "vastgesteld" and not self.settings.keep_raw:
            # The recording (or call transcript) was kept only for the review (playback, re-runs);
            # once the verslag is approved and the letter delivered it goes (VG_KEEP_RAW=true keeps it).
            shutil.rmtree(case_dir(self.settings, case_id) / "invoer", ignore_errors=True)

    def _hand_off(self, case_id: str, me: str, capability: str) -> None:
        """Release the claim, then queue the case for a worker with ``capability`` (in that order: a
        crash in between leaves a 'wachtrij' case that is not pending, which ``recover`` re-queues)."""
        with self.sessions() as db:
            db.execute(update(Case).where(Case.id == case_id, Case.claimed_by == me)
                       .values(status="wachtrij", claimed_by=None, message="Wacht op een worker voor de volgende stap"))
            db.commit()
        self.enqueue(case_id, capability)

    def run_case(self, case_id: str) -> None:
        me = _me()
        if not self._claim(case_id, me):
            return
        with self.sessions() as db:
            case = db.get(Case, case_id)
            assert case is not None
            meta = CaseMetadata.model_validate_json(case.case_json)
            overrides = json.loads(case.role_overrides or "{}")
            input_file = case.input_file
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(5):
                with self.sessions() as db:
                    db.execute(update(Case).where(Case.id == case_id, Case.claimed_by == me).values(heartbeat=now()))
                    db.commit()

        threading.Thread(target=beat, daemon=True).start()
        folder = case_dir(self.settings, case_id)
        try:
            run_pipeline(folder / "invoer" / str(input_file), folder / "uitvoer", case=meta, backends=self.backends,
                         options=options_from_settings(self.settings, overrides),
                         progress=lambda stage, message: self._progress(case_id, stage, message),
                         runs_here=self.runs_here)
            self._finish(case_id, "klaar", None)
        except StageElsewhere as elsewhere:
            self._hand_off(case_id, me, stage_capability(elsewhere.stage, self.settings.kaart_llm_rerank))
        except VGError as exc:
            self._finish(case_id, "fout", f"{exc.message} {exc.hint or ''}".strip()[:500])
        except Exception as exc:  # noqa: BLE001 - a job must end in a state, never vanish
            logger.error("job failed unexpectedly: %s", type(exc).__name__)  # no content, no traceback
            self._finish(case_id, "fout", "Onverwachte fout bij de verwerking. Probeer het opnieuw of meld het bij de beheerder.")
        finally:
            stop.set()

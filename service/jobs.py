"""Processing jobs: one output directory per uploaded VG, run in a worker thread, one at a time.

A single worker keeps memory predictable (the models are large and already loaded once); jobs
queue behind it. Job state lives in the job directory (``job.json``) so a restart loses nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from pipeline.backends import Backends
from pipeline.case import CaseMetadata
from pipeline.inputs import check_input, safe_upload_name
from core.errors import VGError
from pipeline.runner import ProcessOptions, run_pipeline

logger = logging.getLogger(__name__)

JobStatus = Literal["wachtrij", "bezig", "klaar", "fout"]


class Job(BaseModel):
    id: str
    status: JobStatus = "wachtrij"
    created: str
    input_name: str
    stage: str | None = None
    message: str | None = None
    error: str | None = None
    outputs: list[str] = []


class JobManager:
    def __init__(self, root: Path, backends: Backends) -> None:
        self.root = root
        self.backends = backends
        self.root.mkdir(parents=True, exist_ok=True)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vg-job")
        self._lock = threading.Lock()

    def _dir(self, job_id: str) -> Path:
        return self.root / job_id

    def _save(self, job: Job) -> None:
        """Write job.json atomically: a status request never sees a half-written file."""
        with self._lock:
            path = self._dir(job.id) / "job.json"
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(job.model_dump_json(indent=2), encoding="utf-8")
            tmp.replace(path)

    def get(self, job_id: str) -> Job | None:
        try:
            uuid.UUID(job_id)
        except ValueError:
            return None
        path = self._dir(job_id) / "job.json"
        return Job.model_validate_json(path.read_text()) if path.is_file() else None

    def output_path(self, job_id: str, name: str) -> Path | None:
        job = self.get(job_id)
        if job is None or name not in job.outputs:
            return None
        return self._dir(job_id) / "uitvoer" / name

    def submit(self, filename: str, content: bytes, case: CaseMetadata, options: ProcessOptions) -> Job:
        """Store the upload, check it can be processed (InputError -> nothing kept), queue it."""
        job = Job(id=str(uuid.uuid4()), created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  input_name=safe_upload_name(filename))
        job_dir = self._dir(job.id)
        (job_dir / "invoer").mkdir(parents=True)
        input_path = job_dir / "invoer" / job.input_name
        try:
            input_path.write_bytes(content)
            check_input(input_path, options.audio)
        except BaseException:
            shutil.rmtree(job_dir, ignore_errors=True)
            raise
        self._save(job)
        self._executor.submit(self._run, job, input_path, case, options)
        return job

    def _run(self, job: Job, input_path: Path, case: CaseMetadata, options: ProcessOptions) -> None:
        job.status = "bezig"
        self._save(job)

        def progress(stage: str, message: str) -> None:
            job.stage, job.message = stage, message
            self._save(job)

        try:
            record = run_pipeline(input_path, self._dir(job.id) / "uitvoer", case=case, backends=self.backends,
                                  options=options, progress=progress)
            job.outputs = sorted(set(record.outputs.values()) | {"run.json"})
            job.status = "klaar"
        except VGError as exc:
            job.status, job.error = "fout", str(exc)
        except Exception:  # noqa: BLE001 - a job must end in a state, never vanish
            logger.exception("job %s failed unexpectedly", job.id)
            job.status, job.error = "fout", "Onverwachte fout; zie het serverlog (zonder inhoud)."
        self._save(job)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

"""FastAPI application factory. Models load once in the lifespan, never per request."""

from __future__ import annotations

import core.offline  # noqa: F401  (first: offline/telemetry environment before any library)
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from pydantic import ValidationError

from pipeline.backends import Backends
from pipeline.case import CaseMetadata
from core.settings import Settings
from core.errors import InputError, VGError
from pipeline.runner import ProcessOptions
from service.jobs import Job, JobManager

def get_jobs(request: Request) -> JobManager:
    return request.app.state.jobs


JobsDep = Annotated[JobManager, Depends(get_jobs)]
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain", ".pdf": "application/pdf", ".json": "application/json"}


def create_app(settings: Settings | None = None, backends: Backends | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.jobs = JobManager(settings.data_dir / "jobs", backends or Backends(settings))
        yield
        app.state.jobs.shutdown()

    app = FastAPI(title="VG-verslag", version="0.1.0", lifespan=lifespan,
                  docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")

    @app.exception_handler(VGError)
    async def vg_error(_: Request, exc: VGError) -> JSONResponse:
        status = 400 if isinstance(exc, InputError) else 500
        return JSONResponse({"fout": exc.message, "wat_nu": exc.hint}, status_code=status)

    @app.get("/api/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/verwerkingen", status_code=202)
    async def submit(manager: JobsDep, bestand: Annotated[UploadFile, File(description="Opname of transcript")],
                     casus: Annotated[str | None, Form(description="CASE.json als tekst")] = None) -> Job:
        content = await bestand.read()
        if len(content) > settings.max_file_mb * 1024 * 1024:
            raise InputError(f"Bestand groter dan {settings.max_file_mb} MB.")
        if not content:
            raise InputError("Leeg bestand ontvangen.", hint="Kies de opname opnieuw.")
        try:
            case = CaseMetadata.model_validate(json.loads(casus)) if casus else CaseMetadata()
        except (ValueError, ValidationError, RecursionError):  # RecursionError: "{{{{..." nested deep
            raise InputError("De casusgegevens (CASE.json) zijn ongeldig.", hint="Zie docs/case-json.md.") from None
        return manager.submit(bestand.filename or "opname", content, case, ProcessOptions())

    @app.get("/api/verwerkingen/{job_id}")
    def status(job_id: str, manager: JobsDep) -> Job:
        job = manager.get(job_id)
        if job is None:
            raise HTTPException(404, "Onbekende verwerking.")
        return job

    @app.get("/api/verwerkingen/{job_id}/bestanden/{name}")
    def output(job_id: str, name: str, manager: JobsDep) -> FileResponse:
        path = manager.output_path(job_id, name)
        if path is None or not path.is_file():
            raise HTTPException(404, "Bestand niet gevonden.")
        return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"))

    return app

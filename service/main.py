"""FastAPI application factory: database, queue, embedded worker, API and pages.

Models load once (in ``Backends``), never per request. Fakes for tests are injected here
(``backends=``); production code never patches anything.
"""

from __future__ import annotations

import core.offline  # noqa: F401  (first: offline/telemetry environment before any library)
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from core.errors import InputError, VGError
from core.settings import Settings
from pipeline.backends import Backends
from service.config import ServiceSettings
from service.db import open_database
from service.security import COOKIE, LoginLimiter
from service.queues import check_reachable
from service.worker import Processing


def create_app(settings: Settings | None = None, backends: Backends | None = None, *,
               config: ServiceSettings | None = None, embedded_worker: bool = True, workers: int = 1) -> FastAPI:
    settings = settings or Settings()
    config = config or ServiceSettings()
    secure = config.cookie_secure if config.cookie_secure is not None else bool(config.tls_certfile)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if embedded_worker and workers > 0:  # 0: only separate ``vg worker`` processes run jobs (a region)
            app.state.processing.start(workers)
        yield
        app.state.processing.stop()

    app = FastAPI(title="VG-verslag", version="0.2.0", lifespan=lifespan,
                  docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")
    backends = backends or Backends(settings)
    app.state.sessions = open_database(settings.data_dir, config.database_url, backends.vault_key)
    app.state.config = config
    app.state.limiter = LoginLimiter(config.login_ip_limit)
    app.state.processing = Processing(settings, backends, app.state.sessions, config)
    if config.queue_url:
        check_reachable(app.state.processing.queues)  # a clear Dutch error at start, not on the first upload

    def set_cookie(response: Response, token: str) -> None:
        response.set_cookie(COOKIE, token, max_age=int(config.session_hours * 3600), httponly=True,
                            secure=secure, samesite="strict", path="/")

    app.state.set_cookie = set_cookie

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/")

    @app.exception_handler(VGError)
    async def vg_error(request: Request, exc: VGError) -> Response:
        status = 400 if isinstance(exc, InputError) else 422
        if wants_html(request):
            from service.pages import error_page

            return error_page(request, status, exc.message, exc.hint)
        return JSONResponse({"fout": exc.message, "wat_nu": exc.hint}, status_code=status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if wants_html(request):
            from fastapi.responses import RedirectResponse

            from service.pages import error_page

            if exc.status_code == 401:
                return RedirectResponse("/inloggen", status_code=303)
            return error_page(request, exc.status_code, str(exc.detail), None)
        return JSONResponse({"fout": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "verzoek" for e in exc.errors()})[:10]
        return JSONResponse({"fout": "Ongeldige invoer.", "velden": fields}, status_code=422)

    @app.middleware("http")
    async def headers(request: Request, call_next) -> Response:  # noqa: ANN001
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    from service import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    return app

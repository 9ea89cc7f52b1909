"""create_app(settings): lifespan, routers, static files, error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import SecretStr
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__, errors, secret_key
from app.api import account, beheer, common, ogc, site, voorstellen, zelfbeheer
from app.api.common import OpenApiCORS, SecurityPolicy
from app.config import PROJECT_DIR, Settings, get_settings
from app.db import database_url, explain_connection_error, make_engine, make_read_engine
from app.mailer import MailWorker
from app.services import jobs
from app.services.mail import smtp_settings

log = logging.getLogger("kaart.web")
HTML_ERRORS = {404: "Deze pagina bestaat niet (meer).",
               503: "De database is tijdelijk niet bereikbaar. Probeer het later opnieuw."}


def create_app(settings: Settings | None = None, url: str | None = None) -> FastAPI:
    """Build the app; `url` overrides the settings' database (tests use their own)."""
    settings = settings or get_settings()
    if not settings.secret_key.get_secret_value():
        settings.secret_key = SecretStr(secret_key.load_or_create(
            settings.data_dir / secret_key.FILE_NAME))
    engine = make_engine(url or database_url(settings))
    read_engine = make_read_engine(engine.url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """The mail worker sends the outbox after commits, for as long as the app runs."""
        mailer = MailWorker(engine, smtp_settings(settings))
        app.state.mailer = mailer
        mailer.start()
        try:
            jobs.sweep(engine, settings)  # what a killed process left behind
        except DBAPIError:  # no database yet, or not migrated: nothing to sweep
            logging.getLogger("kaart").warning("taken niet opgeruimd", exc_info=True)
        try:
            yield
        finally:
            mailer.stop()
            app.state.jobs.close()  # jobs still running here are recorded as afgebroken
            engine.dispose()
            read_engine.dispose()

    app = FastAPI(title="Voorzieningenkaart", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_engine = read_engine
    app.state.jobs = jobs.Runner(engine, settings.taak_stil_s)
    app.state.templates = Jinja2Templates(directory=PROJECT_DIR / "templates")
    app.state.templates.env.globals["broncode_url"] = settings.broncode_url
    site.install(app.state.templates.env)
    account.install(app)
    account.after_login(app, zelfbeheer.na_inloggen)
    # Host header check (mail links never come from it), proxies
    common.hosts_install(app, settings)
    app.mount("/static", StaticFiles(directory=PROJECT_DIR / "static"), name="static")
    common.problems_install(app)
    app.add_exception_handler(StarletteHTTPException, _page_or_problem)
    app.add_exception_handler(errors.DomainError, _page_or_problem)
    app.add_exception_handler(OperationalError, _database_down)
    app.include_router(common.router)
    # The open API first: routes are matched in order, and /v1 carries the most requests.
    for router in ogc.routers:
        app.include_router(router)
    # the menu shows who is logged in, also on public pages
    knows_user = [Depends(account.get_current_user)]
    for router in (*site.routers, zelfbeheer.public_router):
        app.include_router(router, dependencies=knows_user)
    for router in (*zelfbeheer.routers, account.router, *beheer.routers, voorstellen.router):
        app.include_router(router)
    app.router.redirect_slashes = False
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=5)  # 9 costs 15% req/s
    app.add_middleware(OpenApiCORS, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                       expose_headers=["API-Version", "Content-Crs", "ETag", "Location"])
    app.add_middleware(StandardHeaders)
    app.add_middleware(SecurityPolicy, basemap_url=settings.basemap_url)
    app.add_middleware(common.HttpMethods)  # outermost: HEAD runs as GET everywhere
    return app


API_VERSION = "1.0.0"


STANDARD_HEADERS = [(b"api-version", API_VERSION.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY")]


class StandardHeaders:
    """NL API Design Rules: API-Version on every response; safe defaults for browsers.

    Plain ASGI rather than BaseHTTPMiddleware: no extra task and stream per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in STANDARD_HEADERS
                            if k not in present or k == b"api-version"]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _wants_html(request: Request) -> bool:
    """Browsers get a Dutch page; API clients and /health get problem+json."""
    path = request.url.path
    if path.startswith(("/v1", "/health", "/static")):
        return False
    return "text/html" in request.headers.get("accept", "")


async def _database_down(request: Request, exc: Exception) -> Response:
    """A lost database is a 503 with a clear message, never a 500."""
    url = request.app.state.engine.url.render_as_string()
    return await _page_or_problem(request, errors.DatabaseUnavailable(
        explain_connection_error(exc, url)))


async def _page_or_problem(request: Request, exc: Exception) -> Response:
    if isinstance(exc, errors.DatabaseUnavailable):
        # where the database lives (host, port) is for the operator's log, not the world
        log.warning("%s %s: %s", request.method, request.url.path, exc)
        exc = errors.DatabaseUnavailable(HTML_ERRORS[503])
    if isinstance(exc, errors.DomainError):
        status, detail = errors.status_for(exc), str(exc)
        if _wants_html(request):
            detail = HTML_ERRORS.get(status, detail)
    else:
        assert isinstance(exc, StarletteHTTPException)
        status, detail = exc.status_code, HTML_ERRORS.get(exc.status_code, str(exc.detail))
    if not _wants_html(request):
        return common.problem(status, detail)
    templates: Jinja2Templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, "pages/error.html", {"status": status, "message": detail, "gemeente": None},
        status_code=status)
    return response

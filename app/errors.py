"""Domain errors and the one table that maps them to HTTP (application/problem+json)."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class SetupError(Exception):
    """The installation is not usable; the message says, in one line, what to do."""


class DomainError(Exception):
    """A rule of the domain was broken; the message is Dutch and meant for the user."""


class NotFound(DomainError):
    """The thing asked for does not exist (in this gemeente)."""


class Conflict(DomainError):
    """The change collides with the current state (e.g. a groenvak already taken)."""


class Unauthorized(DomainError):
    """No valid credentials (API key) were given."""


class Forbidden(DomainError):
    """The user may not do this."""


class InvalidInput(DomainError):
    """Input that the domain cannot accept."""


class UnsupportedMedia(InvalidInput):
    """415: a body in a format we do not read."""


class TooLarge(InvalidInput):
    """413: a body over the limit."""


class DatabaseUnavailable(DomainError):
    """The database cannot be reached."""


STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Unauthorized: 401,
    Forbidden: 403,
    InvalidInput: 400,
    UnsupportedMedia: 415,
    TooLarge: 413,
    DatabaseUnavailable: 503,
}

PROBLEM = "application/problem+json"


def problem(status: int, detail: str, **extra: object) -> JSONResponse:
    """RFC 9457 problem details, as the NL API Design Rules ask."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def status_for(exc: DomainError) -> int:
    """Walk the class hierarchy so subclasses inherit their parent's status."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem(status_for(exc), str(exc))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"name": ".".join(str(p) for p in e.get("loc", ())), "reason": e.get("msg", "")}
              for e in exc.errors()]
    return problem(400, "De aanvraag bevat ongeldige waarden.", invalidParams=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(exc.status_code, str(exc.detail))


def install(app: FastAPI) -> None:
    """Register the handlers; pages may override per route with their own templates."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)

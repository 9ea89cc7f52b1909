"""Errors as HTTP answers: RFC 9457 problem details for the API (NL API Design Rules).

The domain errors themselves live in app.errors, free of any web framework, so services and
the CLI can raise them without importing FastAPI."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import DomainError, status_for

PROBLEM = "application/problem+json"


def problem(status: int, detail: str, **extra: object) -> JSONResponse:
    """RFC 9457 problem details, as the NL API Design Rules ask."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)



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

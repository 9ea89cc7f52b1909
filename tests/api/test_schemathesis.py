"""Schemathesis against the served /v1/openapi.json: every operation, every check, no failures.

The app runs under uvicorn on its own database (writes must not disturb other tests), and the
write operations use a real API key. The seed is fixed and the examples bounded, so a run is
repeatable and stays well under two minutes.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.engine import events, from_schema

from app import migrate
from app.config import Settings
from app.main import create_app
from app.services.accounts import apikeys
from app.services.demo import laden as demo
from tests.conftest import fresh_database
from tests.live_server import serve

SEED = 20240601
MAX_EXAMPLES = 10  # per operation in the fuzzing phase; the coverage phase adds its own cases
MAX_RESPONSE_TIME = 30.0  # seconds; enables max_response_time, the one check that needs a value
# schemathesis's default for positive_data_acceptance
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
# every check schemathesis 4 has; all must run, none may be left out
ALL_CHECKS = {
    "allow_header_conformance", "content_type_conformance", "ensure_resource_availability",
    "ignored_auth", "max_response_time", "missing_required_header", "negative_data_rejection",
    "not_a_server_error", "object_level_authorization", "positive_data_acceptance",
    "response_headers_conformance", "response_schema_conformance", "status_code_conformance",
    "unsupported_method", "use_after_free"}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module")
def served_api(settings: Settings) -> Iterator[tuple[str, str]]:
    """(base URL, API key) of the app under uvicorn on a throw-away database of its own."""
    url = fresh_database(settings, "kaart_schemathesis")
    migrate.upgrade(url)
    demo.load(url)
    key = apikeys.create_from_cli(url, "schemathesis", "medewerker", None)
    with serve(create_app(settings, url=url)) as base:
        yield base, key


def _interval(days: list[date], open_start: bool, open_end: bool) -> str:
    start, end = sorted(days)
    return f"{'..' if open_start else start.isoformat()}/{'..' if open_end else end.isoformat()}"


# RFC 3339 instants and intervals (begin not after end), what the datetime parameter takes
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
INSTANTS = DATES | st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1),
                                timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))
INTERVALS = (INSTANTS.map(lambda m: m.isoformat().replace("+00:00", "Z"))
             | st.builds(_interval, st.lists(DATES, min_size=2, max_size=2), st.booleans(),
                         st.booleans()))


def config(key: str) -> schemathesis.Config:
    """Every phase and every check; a fixed seed and deterministic generation.

    One setting widens a check: for the write operations, positive_data_acceptance also takes
    422 (RFC 9110: the content is well-formed but cannot be processed). JSON Schema cannot say
    that a ring must be closed or a geometry must lie inside the gemeente, so a generated
    geometry that fits the schema is almost never one the data can take; 422 says exactly that
    and the document lists it. Every read operation keeps the default statuses."""
    generation = {"max-examples": MAX_EXAMPLES, "deterministic": True, "mode": "all"}
    writes = {"include-method": ["POST", "PUT", "PATCH"], "checks": {
        "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}}}
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "headers": {"X-Api-Key": key},
        "generation": generation,
        "checks": {"enabled": True, "max_response_time": MAX_RESPONSE_TIME},
        "phases": {"enabled": True},
        # schemathesis leaves out the operation that served the document unless named
        "operations": [writes, {"include-path": "/openapi.json", "enabled": True}],
    })


def operations(doc: dict[str, Any]) -> set[str]:
    """'METHOD /path' of every operation in the document, as schemathesis labels them."""
    return {f"{method.upper()} {path}" for path, item in doc["paths"].items()
            for method in item if method in METHODS}


def describe(check: Any, interaction: Any) -> str:
    """The check, its message and the request and answer that broke it."""
    failure = check.failure_info.failure
    text = f"[{check.name}] {failure.operation}: {failure.title}: {failure.message}"
    if interaction is not None:
        request, response = interaction.request, interaction.response
        body = (request.body or b"")[:300]
        text += f"\n    {request.method} {request.uri} {body!r}"
        if response is not None:
            text += f"\n    -> {response.status_code} {response.content[:300]!r}"
    return text


def test_schemathesis_finds_no_failures(served_api: tuple[str, str]) -> None:
    base, key = served_api
    doc = httpx.get(f"{base}/v1/openapi.json").json()
    # The document marks filter as format cql2: a grammar no JSON Schema can state. These two
    # filters are valid in both filter-langs (whichever one is drawn); tests/unit/test_cql2.py
    # covers the grammar itself.
    schemathesis.openapi.format("cql2", st.sampled_from(["true", "false"]))
    schemathesis.openapi.format("rfc3339-interval", INTERVALS)
    schema = schemathesis.openapi.from_url(f"{base}/v1/openapi.json", config=config(key))
    started = time.monotonic()
    failures: list[str] = []
    errors: list[str] = []
    tested: set[str] = set()
    checks_run: set[str] = set()
    requests: Counter[str] = Counter()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            recorder = event.recorder
            requests[str(getattr(event, "phase", "fuzzing"))] += len(recorder.interactions)
            for case in recorder.cases.values():
                tested.add(case.value.operation.label)
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    checks_run.add(check.name)
                    if check.failure_info is not None:
                        failures.append(describe(check, recorder.interactions.get(case_id)))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(repr(event))
    elapsed = time.monotonic() - started
    print(f"{len(tested)} operations, {sum(requests.values())} requests {dict(requests)}, "
          f"{elapsed:.0f} s; checks: {', '.join(sorted(checks_run))}")
    unique = sorted(set(failures))
    assert not errors, "\n".join(errors)
    assert not unique, f"{len(unique)} failures:\n" + "\n".join(unique)
    assert checks_run >= ALL_CHECKS, f"never ran: {sorted(ALL_CHECKS - checks_run)}"
    documented = operations(doc)
    assert tested == documented, f"untested: {sorted(documented - tested)}"

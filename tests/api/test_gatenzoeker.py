"""Beheer › Gatenzoeker through the app: staff start a ranking for a wijk, the page follows the
background job to its table and CSV; bad input is answered beside the fields."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.services import bereikbaarheid
from app.services.demo.adopties import BEWONER, MEDEWERKER
from tests.api.account_helpers import HTML, csrf_of, login, make_client, resident

WIJK = "WK990107"  # Beekdal: many woonadressen far from zorg


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def _post(web: TestClient, **data: str) -> object:
    token = csrf_of(web.get(f"/beheer/gaten?wijk={WIJK}", headers=HTML).text)
    return web.post("/beheer/gaten", data={**data, "csrf_token": token}, headers=HTML,
                    follow_redirects=False)


def test_only_staff_reach_it(web: TestClient, session: Session) -> None:
    assert web.get("/beheer/gaten", headers=HTML, follow_redirects=False).status_code in (
        303, 401)
    resident(session, BEWONER)
    assert login(web, BEWONER).status_code == 303
    assert web.get("/beheer/gaten", headers=HTML).status_code == 403


def test_every_field_is_checked_at_once_and_kept(web: TestClient, session: Session) -> None:
    resident(session, MEDEWERKER, rol="medewerker")
    assert login(web, MEDEWERKER).status_code == 303
    page = _post(web, wijk=WIJK, categorie="bestaat-niet", minuten="7")
    assert page.status_code == 400  # type: ignore[attr-defined]
    text = page.text  # type: ignore[attr-defined]
    assert "Kies een categorie uit de lijst." in text and "Kies 5, 10 of 15 minuten." in text
    assert "foutoverzicht" in text
    assert f'<option value="{WIJK}" selected' in text  # what was chosen stays chosen


def test_ranking_runs_in_the_background_and_matches_the_service(
        web: TestClient, session: Session) -> None:
    resident(session, MEDEWERKER, rol="medewerker")
    assert login(web, MEDEWERKER).status_code == 303
    started = _post(web, wijk=WIJK, categorie="zorg", minuten="5")
    assert started.status_code == 303  # type: ignore[attr-defined]
    url = started.headers["location"]  # type: ignore[attr-defined]
    deadline = time.monotonic() + 120
    while True:
        fragment = web.get(url, headers={**HTML, "HX-Request": "true"})
        assert fragment.status_code == 200
        if 'data-status="klaar"' in fragment.text or time.monotonic() > deadline:
            break
        assert 'data-status="mislukt"' not in fragment.text, fragment.text
        time.sleep(0.3)
    assert 'data-testid="gaten-tabel"' in fragment.text
    rows = list(csv.reader(io.StringIO(web.get(url + "/plekken.csv").text.lstrip("\ufeff")),
                           delimiter=";"))
    expected = bereikbaarheid.beste_plekken(session, "GM9901", WIJK, "zorg", 5)
    assert len(rows) == 1 + len(expected.plekken) > 1
    assert [(r[1], int(r[2])) for r in rows[1:]] == [(p.label, p.erbij)
                                                     for p in expected.plekken]
    gains = [int(r[2]) for r in rows[1:]]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0

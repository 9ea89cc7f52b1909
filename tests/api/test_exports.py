"""GET /exports/{laag}.{formaat} and the Beheer › Export page through the real app: who may
download, bad parameters as Dutch problem+json, content types and file names, and a large
export that runs in the background while the page shows its progress."""

from __future__ import annotations

import io
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.api.common.csrf import SESSION_COOKIE
from app.config import Settings
from app.services import export as export_package  # the face the Beheer route reads
from app.services import jobs
from app.services.accounts import sessions as auth_sessions
from app.services.accounts.gebruikers import create_user
from app.services.demo.adopties import BEWONER, MEDEWERKER
from app.services.export import bestanden as export
from tests.api.account_helpers import HTML, csrf_of, login, make_client, resident
from tests.conftest import scalar

PROBLEM = "application/problem+json"


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def als(web: TestClient, session: Session, email: str) -> None:
    resident(session, email)
    assert login(web, email).status_code == 303


def groenvakken_in(session: Session, wijk: str) -> int:
    return int(scalar(session, """SELECT count(*) FROM groenvak g JOIN gebied w ON w.id = g.wijk_id
        WHERE w.code = :w AND g.vervallen_op IS NULL""", w=wijk))  # type: ignore[arg-type]


def test_visitors_get_401_or_the_login_page(web: TestClient) -> None:
    api = web.get("/exports/groenvakken.shp")
    assert api.status_code == 401 and api.headers["content-type"] == PROBLEM
    assert "Log in als medewerker" in api.json()["detail"]
    page = web.get("/exports/groenvakken.shp?wijk=WK990103", headers=HTML,
                   follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/inloggen?volgende=%2Fexports%2Fgroenvakken")
    assert web.get("/beheer/export", headers=HTML, follow_redirects=False).status_code == 303


def test_residents_and_staff_elsewhere_get_403(web: TestClient, session: Session) -> None:
    als(web, session, BEWONER)
    refused = web.get("/exports/groenvakken.shp")
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert web.get("/beheer/export", headers=HTML).status_code == 403
    web.cookies.clear()
    session.execute(text("INSERT INTO gemeente (code, naam) VALUES ('GM9902', 'Elders')"))
    ander = create_user(session, "GM9902", "medewerker@elders.example", "medewerker",
                        "Medewerker Elders", "een lange zin als wachtwoord", actor="test")
    _, cookie = auth_sessions.create_session(session, ander)
    session.flush()
    web.cookies.set(SESSION_COOKIE, cookie)
    elsewhere = web.get("/exports/groenvakken.csv")
    assert elsewhere.status_code == 403 and "andere gemeente" in elsewhere.json()["detail"]


@pytest.mark.parametrize("bestand,media_type", [
    ("groenvakken.shp", "application/zip"),
    ("groenvakken.gpkg", "application/geopackage+sqlite3"),
    ("groenvakken.geojson", "application/geo+json"),
    ("groenvakken.csv", "text/csv; charset=utf-8"),
])
def test_staff_download_each_format(web: TestClient, session: Session, tmp_path: Path,
                                    bestand: str, media_type: str) -> None:
    als(web, session, MEDEWERKER)
    before = set(Path(tempfile.gettempdir()).glob("kaart-export-*"))
    response = web.get(f"/exports/{bestand}?wijk=WK990103")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    suffix = {"shp": ".zip"}.get(bestand.split(".")[1], "." + bestand.split(".")[1])
    assert response.headers["content-disposition"] == \
        f'attachment; filename="groenvakken-WK990103{suffix}"'
    assert response.headers["cache-control"] == "private, no-store"
    path = tmp_path / f"download{suffix}"
    path.write_bytes(response.content)
    source = f"/vsizip/{path}/groenvakken.shp" if suffix == ".zip" else path
    assert pyogrio.read_info(source)["features"] == groenvakken_in(session, "WK990103")
    assert set(Path(tempfile.gettempdir()).glob("kaart-export-*")) == before  # cleaned up


def test_every_layer_in_one_geopackage(web: TestClient, session: Session,
                                       tmp_path: Path) -> None:
    als(web, session, MEDEWERKER)
    response = web.get("/exports/alles.gpkg")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="alles.gpkg"'
    path = tmp_path / "alles.gpkg"
    path.write_bytes(response.content)
    assert [n for n, _ in pyogrio.list_layers(path)] == ["gebieden", "voorzieningen",
                                                          "groenvakken", "adopties"]


@pytest.mark.parametrize("url,status,message", [
    ("/exports/groenvakken.xls", 400, "Kies als formaat shp, gpkg, geojson of csv."),
    ("/exports/groenvakken", 400, "Vraag een laag en een formaat"),
    ("/exports/bomen.shp", 400, "Onbekende laag 'bomen'"),
    ("/exports/groenvakken,adopties.shp", 400, "alleen als GeoPackage"),
    ("/exports/alles.csv", 400, "alleen als GeoPackage"),
    ("/exports/groenvakken.shp?status=weg", 400, "Onbekende status 'weg' voor groenvakken"),
    ("/exports/voorzieningen.csv?status=actief", 400, "Op status filteren kan alleen"),
    ("/exports/groenvakken.shp?wijk=WK%20990103", 400, "Een wijkcode bestaat uit"),
    ("/exports/groenvakken.shp?wijk=WK000000", 404, "bestaat niet in deze gemeente"),
    ("/exports/groenvakken.shp?wijk=" + "W" * 41, 400, "ongeldige waarden"),
])
def test_bad_parameters_are_dutch_problems(web: TestClient, session: Session, url: str,
                                           status: int, message: str) -> None:
    als(web, session, MEDEWERKER)
    response = web.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    assert message in response.json()["detail"]


def test_status_filter_on_adopties(web: TestClient, session: Session, tmp_path: Path) -> None:
    als(web, session, MEDEWERKER)
    response = web.get("/exports/adopties.csv?status=actief&status=beeindigd")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == \
        'attachment; filename="adopties-actief-beeindigd.csv"'
    lines = response.content.decode("utf-8").splitlines()
    expected = scalar(session, "SELECT count(*) FROM adoptie WHERE status IN "
                               "('actief', 'beeindigd') AND gemeente_code = 'GM9901'")
    assert len(lines) - 1 == expected


def post_export(web: TestClient, **data: str) -> Any:
    token = csrf_of(web.get("/beheer/export", headers=HTML).text)
    return web.post("/beheer/export", data={**data, "csrf_token": token}, headers=HTML,
                    follow_redirects=False)


def test_page_sends_a_small_export_to_the_download(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    page = web.get("/beheer/export", headers=HTML)
    assert page.status_code == 200
    assert '<a class="utrecht-link utrecht-link--html-a" href="/beheer/export" ' \
           'aria-current="page">Export</a>' in page.text
    for field in ('name="laag"', 'name="formaat"', 'name="wijk"', 'name="status"'):
        assert field in page.text
    sent = post_export(web, laag="groenvakken", formaat="shp", wijk="WK990103",
                       status="in_zelfbeheer")
    assert sent.status_code == 303
    assert sent.headers["location"] == "/exports/groenvakken.shp?wijk=WK990103&status=in_zelfbeheer"
    assert web.get(sent.headers["location"]).status_code == 200


def test_page_shows_errors_next_to_fields(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    refused = post_export(web, laag="alles", formaat="csv", wijk="WK000000", status="")
    assert refused.status_code == 400
    assert 'id="veld-laag-fout"' in refused.text and "alleen als GeoPackage" in refused.text
    refused = post_export(web, laag="groenvakken", formaat="gpkg", wijk="WK000000", status="")
    assert refused.status_code == 400
    assert 'id="veld-wijk-fout"' in refused.text
    assert "Kies een wijk of dorp uit de lijst." in refused.text
    refused = post_export(web, laag="gebieden", formaat="gpkg", wijk="", status="actief")
    assert refused.status_code == 400 and 'id="veld-status-fout"' in refused.text
    no_token = web.post("/beheer/export", data={"laag": "groenvakken", "formaat": "shp"},
                        headers=HTML, follow_redirects=False)
    assert no_token.status_code == 403


def test_large_export_runs_in_the_background_with_progress(
        web: TestClient, session: Session, settings: Settings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    write = export.write

    def held(*args: Any, **kwargs: Any) -> dict[str, int]:
        assert gate.wait(30)
        return write(*args, **kwargs)

    monkeypatch.setattr(export_package, "DIRECT_MAX", 100)
    monkeypatch.setattr(export, "write", held)
    als(web, session, MEDEWERKER)
    started = post_export(web, laag="groenvakken", formaat="gpkg", wijk="", status="")
    assert started.status_code == 303
    url = started.headers["location"]
    assert url.startswith("/beheer/export/taken/")
    page = web.get(url, headers=HTML)
    assert page.status_code == 200 and 'data-status="bezig"' in page.text
    assert 'hx-trigger="every 1s"' in page.text and '<progress id="export-voortgang"' in page.text
    assert web.get(url + "/bestand").status_code == 404
    gate.set()
    deadline = time.monotonic() + 60
    while True:
        fragment = web.get(url, headers={**HTML, "HX-Request": "true"})
        assert fragment.status_code == 200 and "<html" not in fragment.text
        if 'data-status="bezig"' not in fragment.text or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert 'data-status="klaar"' in fragment.text and "hx-trigger" not in fragment.text
    assert f'href="{url}/bestand"' in fragment.text
    download = web.get(url + "/bestand")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/geopackage+sqlite3"
    path = tmp_path / "job.gpkg"
    path.write_bytes(download.content)
    committed = scalar(session, "SELECT count(*) FROM groenvak WHERE gemeente_code = 'GM9901' "
                                "AND vervallen_op IS NULL AND extern_id <> 'EXPORT-1'")
    assert pyogrio.read_info(path)["features"] == committed

    # another medewerker does not see this job
    web.cookies.clear()
    other = create_user(session, "GM9901", "collega@lindewaard.example", "medewerker",
                        "Collega", "een lange zin als wachtwoord", actor="test")
    _, cookie = auth_sessions.create_session(session, other)
    session.flush()
    web.cookies.set(SESSION_COOKIE, cookie)
    assert web.get(url, headers=HTML).status_code == 404
    # the file stays for an hour, then the sweep removes it
    engine = web.app.state.engine  # type: ignore[attr-defined]
    folder = jobs.folders.folder(settings, url.rsplit("/", 1)[1], create=False)
    assert folder.is_dir() and not jobs.folders.sweep(engine, settings)
    jobs.folders.sweep(engine, settings, keep_s=0)
    assert not folder.exists()


def test_zip_is_valid_when_streamed(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    response = web.get("/exports/adopties.shp")
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert z.testzip() is None
        assert "README.txt" in z.namelist()
        assert "aant_deeln  aantal_deelnemers" in z.read("README.txt").decode("utf-8")

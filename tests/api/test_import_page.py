"""Beheer › Import through the real app: staff upload a file, htmx follows the background
import to its result and report; bad files are refused next to the field and change nothing.
The import commits for real, so these tests use a database of their own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from app import migrate
from app.main import create_app
from app.services import demo
from app.services.demo_adopties import BEWONER, MEDEWERKER
from tests.api.account_helpers import HTML, csrf_of, login, resident
from tests.conftest import app_settings, fresh_database
from tests.db.import_files import RD, demo_groenvakken, square, write
from tests.db.test_import_bad_files import lines, not_a_zip
from tests.db.test_import_groenvakken import fingerprint

HX = {**HTML, "HX-Request": "true"}
TABLES = ["groenvak", "adoptie", "onderhoud", "laag_versie"]


@pytest.fixture(scope="module")
def page_db() -> Iterator[tuple[str, Engine]]:
    url = fresh_database(app_settings(), "kaart_test_import")
    migrate.upgrade(url)
    demo.load(url)
    engine = create_engine(url)
    with Session(engine) as session:
        resident(session, MEDEWERKER)
        resident(session, BEWONER)
        session.commit()
    yield url, engine
    engine.dispose()


def client_for(page_db: tuple[str, Engine], **settings: object) -> TestClient:
    app = create_app(app_settings(**settings), url=page_db[0])
    return TestClient(app)


@pytest.fixture()
def staff(page_db: tuple[str, Engine]) -> Iterator[TestClient]:
    with client_for(page_db) as client:
        assert login(client, MEDEWERKER).status_code == 303
        yield client


def upload(client: TestClient, path: Path, **fields: str) -> Response:
    token = csrf_of(client.get("/beheer/import", headers=HTML).text)
    with path.open("rb") as fh:
        return client.post("/beheer/import", headers=HX, data={"csrf_token": token, **fields},
                           files={"bestand": (path.name, fh, "application/octet-stream")})


def follow(client: TestClient, page: str) -> str:
    """Poll like htmx until the fragment stops asking to be polled."""
    job = page.split('hx-get="/beheer/import/')[1].split('"')[0]
    for _ in range(120):
        page = client.get(f"/beheer/import/{job}", headers=HX).text
        if 'data-status="bezig"' not in page:
            return page
        time.sleep(0.5)
    raise AssertionError("import did not finish")


def test_staff_upload_runs_in_the_background(staff: TestClient, page_db: tuple[str, Engine],
                                             tmp_path: Path) -> None:
    engine = page_db[1]
    form = staff.get("/beheer/import", headers=HTML)
    assert form.status_code == 200 and 'href="/beheer/import" aria-current="page"' in form.text
    with engine.connect() as conn:
        frame = demo_groenvakken(conn)
    frame.loc[0, "geometry"] = frame.geometry.iloc[0].buffer(0.5, join_style="mitre")
    new = gpd.GeoDataFrame({"vak_id": ["WEB-1"], "type": ["haag"], "naam": ["Haag"]},
                           geometry=[square(232000, 476000)], crs=RD)
    path = write(gpd.GeoDataFrame(pd.concat([frame, new], ignore_index=True), crs=RD),
                 tmp_path / "beheersysteem.gpkg")
    started = upload(staff, path, laag="groenvakken", id_veld="vak_id", soort_veld="type")
    assert started.status_code == 200
    assert 'hx-trigger="every 1s"' in started.text and "<progress" in started.text
    done = follow(staff, started.text)
    assert 'data-status="klaar"' in done
    assert ("5001 gelezen, 1 nieuw, 1 bijgewerkt, 4999 ongewijzigd, 0 hersteld, "
            "0 overgeslagen, 0 vervallen.") in done
    link = [p.split('"')[0] for p in done.split('href="') if p.startswith("/beheer/import/")][0]
    report = staff.get(link)
    assert report.status_code == 200 and report.text == "rij,id,actie,reden\n"
    assert report.headers["content-type"] == "text/csv; charset=utf-8"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT soort FROM groenvak WHERE extern_id = 'WEB-1'")
                            ).scalar() == "haag"


def test_bad_upload_is_refused_next_to_the_field(staff: TestClient,
                                                 page_db: tuple[str, Engine],
                                                 tmp_path: Path) -> None:
    with page_db[1].connect() as conn:
        before = fingerprint(conn, TABLES)
    refused = upload(staff, not_a_zip(tmp_path), laag="groenvakken", id_veld="vak_id")
    assert refused.status_code == 400
    assert ('id="veld-bestand-fout"><span class="visually-hidden">Fout: </span>Het bestand '
            'kapot.zip is geen geldig zip-bestand.') in refused.text
    no_id = upload(staff, lines(tmp_path), laag="groenvakken")
    assert no_id.status_code == 400
    assert "Vul het veld met het id uit het beheersysteem in." in no_id.text
    failed = follow(staff, upload(staff, lines(tmp_path), laag="groenvakken",
                                  id_veld="vak_id").text)
    assert ("De import is mislukt: Het bestand lijnen.gpkg bevat lijnen; voor groenvakken zijn "
            "vlakken (Polygon of MultiPolygon) nodig. Er is niets gewijzigd.") in failed
    with page_db[1].connect() as conn:
        assert fingerprint(conn, TABLES) == before


def test_size_limit_from_settings(page_db: tuple[str, Engine], tmp_path: Path) -> None:
    with client_for(page_db, import_max_mb=1) as client:
        assert login(client, MEDEWERKER).status_code == 303
        big = tmp_path / "groot.geojson"
        big.write_bytes(b" " * 1_500_000)
        refused = upload(client, big, laag="groenvakken", id_veld="vak_id")
        assert refused.status_code == 400
        assert "Het bestand groot.geojson is 1,5 MB; de grens is 1,0 MB." in refused.text


def test_residents_and_forged_forms_are_refused(page_db: tuple[str, Engine],
                                                tmp_path: Path) -> None:
    with client_for(page_db) as client:
        assert client.get("/beheer/import", headers=HTML, follow_redirects=False
                          ).status_code == 303
        assert login(client, BEWONER).status_code == 303
        assert client.get("/beheer/import", headers=HTML).status_code == 403
    with client_for(page_db) as client:
        assert login(client, MEDEWERKER).status_code == 303
        forged = client.post("/beheer/import", headers=HTML, data={"laag": "groenvakken"},
                             files={"bestand": ("x.csv", b"a,b\n", "text/csv")})
        assert forged.status_code == 403
        assert client.get("/beheer/import/onbekend", headers=HTML).status_code == 404

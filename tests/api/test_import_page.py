"""Beheer › Import through the real app: staff upload a file, htmx follows the background
import to its result and report; bad files are refused next to the field and change nothing.
The import commits for real, so these tests use a database of their own."""

from __future__ import annotations

import os
import re
import tempfile
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
from app.services.demo import laden as demo
from app.services.demo.adopties import BEWONER, MEDEWERKER
from tests.api.account_helpers import HTML, csrf_of, login, resident
from tests.conftest import app_settings, fresh_database
from tests.db.import_files import RD, demo_groenvakken, square, write
from tests.db.test_import_bad_files import lines, not_a_zip
from tests.db.test_import_groenvakken import fingerprint
from tests.db.test_import_vervallen import beheer_file, busiest_wijk, missing, open_adopties

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


UPLOADS = Path(tempfile.gettempdir()) / f"kaart-test-import-{os.getpid()}"


def client_for(page_db: tuple[str, Engine], **settings: object) -> TestClient:
    settings.setdefault("upload_dir", UPLOADS)
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
    if 'hx-trigger="every 1s"' not in page:
        return page
    job = page.split('hx-get="/beheer/import/')[1].split('"')[0]
    for _ in range(120):
        page = client.get(f"/beheer/import/{job}", headers=HX).text
        if 'hx-trigger="every 1s"' not in page:
            return page
        time.sleep(0.5)
    raise AssertionError("import did not finish")


def job_of(page: str) -> str:
    """The id of the job a fragment shows: on the fragment itself, so also a job that ended
    before its first page (a file refused at once has no polling or report link)."""
    found = re.search(r'data-taak="([A-Za-z0-9_-]{10,})"', page)
    assert found, page
    return found.group(1)


def confirm(client: TestClient, proef: str) -> str:
    """Step 2: press "Importeren bevestigen" on a finished proef, then follow the import."""
    assert 'data-proef="ja"' in proef and 'data-status="klaar"' in proef
    action = proef.split('hx-post="')[1].split('"')[0]
    assert action.endswith("/bevestigen") and ">Importeren bevestigen</button>" in proef
    started = client.post(action, headers=HX, data={"csrf_token": csrf_of(proef)})
    assert started.status_code == 200 and 'data-proef="nee"' in started.text
    return follow(client, started.text)


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
    with engine.connect() as conn:
        before = fingerprint(conn, TABLES)
    started = upload(staff, path, laag="groenvakken", id_veld="vak_id", soort_veld="type")
    assert started.status_code == 200
    assert 'hx-trigger="every 1s"' in started.text and "<progress" in started.text
    proef = follow(staff, started.text)
    assert "Dit is een proef: er is nog niets gewijzigd." in proef
    assert ("5001 gelezen, 1 nieuw, 1 bijgewerkt, 4999 ongewijzigd, 0 hersteld, "
            "0 overgeslagen, 0 vervallen.") in proef
    with engine.connect() as conn:
        assert fingerprint(conn, TABLES) == before
    done = confirm(staff, proef)
    assert 'data-status="klaar"' in done and "De import is klaar." in done
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
    assert ("De proef is mislukt: Het bestand lijnen.gpkg bevat lijnen; voor groenvakken zijn "
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


def test_proef_lists_the_adopties_then_confirm_imports_the_same_file(
        staff: TestClient, page_db: tuple[str, Engine], tmp_path: Path) -> None:
    engine = page_db[1]
    with engine.connect() as conn:
        path, ids = beheer_file(conn, tmp_path)
        wijk = busiest_wijk(conn, ids)
        binnen = missing(conn, ids, "g.wijk_id = (SELECT id FROM gebied WHERE code = :w)", w=wijk)
        kept = open_adopties(conn, binnen)
        before = fingerprint(conn, TABLES)
    form = staff.get("/beheer/import", headers=HTML).text
    assert f'<option value="wijk {wijk}">' in form and '<option value="" selected>' in form
    started = upload(staff, path, laag="groenvakken", id_veld="vak_id", soort_veld="type",
                     vervallen=f"wijk {wijk}")
    proef = follow(staff, started.text)
    expire = len(binnen) - len(kept)
    counts = (f"41 gelezen, 0 nieuw, 1 bijgewerkt, 40 ongewijzigd, 0 hersteld, 0 overgeslagen, "
              f"{expire} vervallen, {len(kept)} behouden (open adoptie).")
    assert counts in proef and f"vervallen binnen: wijk {wijk}." in proef
    listed = proef.split('data-testid="import-adopties"')[1].split("</table>")[0]
    for adoptie, status, extern_id in kept:
        assert (f"<td class=\"utrecht-table__cell\">{extern_id}</td>" in listed
                and f'href="/beheer/adopties/{adoptie}">{adoptie}</a>' in listed
                and f"<td class=\"utrecht-table__cell\">{status}</td>" in listed)
    assert listed.count("overgeslagen: groenvak blijft") == len(kept)
    with engine.connect() as conn:
        assert fingerprint(conn, TABLES) == before

    done = confirm(staff, proef)
    assert "De import is klaar. Groenvakken uit beheer.gpkg: " + counts in done
    with engine.connect() as conn:
        assert missing(conn, ids, "g.wijk_id = (SELECT id FROM gebied WHERE code = :w)",
                       w=wijk) == sorted(e for _, _, e in kept)
    # a second click (or another tab) starts nothing new: it shows the same import
    job = job_of(done)
    again = staff.post(proef.split('hx-post="')[1].split('"')[0], headers=HX,
                       data={"csrf_token": csrf_of(proef)})
    assert f'href="/beheer/import/{job}/rapport.csv"' in again.text


def test_any_process_answers_and_a_silent_job_reads_afgebroken(
        staff: TestClient, page_db: tuple[str, Engine], tmp_path: Path) -> None:
    path = write(gpd.GeoDataFrame({"vak_id": ["P-1"]}, geometry=[square(232000, 477000)],
                                  crs=RD), tmp_path / "een.gpkg")
    job_id = job_of(upload(staff, path, laag="groenvakken", id_veld="vak_id").text)
    with client_for(page_db) as other:  # another server process, same database
        assert login(other, MEDEWERKER).status_code == 303
        page = follow(other, other.get(f"/beheer/import/{job_id}", headers=HX).text)
        assert 'data-status="klaar"' in page and "1 gelezen, 1 nieuw" in page
    # a job whose process died: its heartbeat stopped two minutes ago
    with page_db[1].begin() as conn:
        conn.execute(text("""INSERT INTO taak (id, soort, status, gemeente_code, parameters,
                                               hartslag_op)
            VALUES ('dood-proces-0001', 'import', 'bezig', 'GM9901', CAST(:p AS jsonb),
                    now() - interval '2 minutes')"""),
                     {"p": '{"laag": "groenvakken", "bestand": "groot.zip", "proef": false}'})
    folder = UPLOADS / "taken" / "dood-proces-0001"
    folder.mkdir(parents=True)
    (folder / "groot.zip").write_bytes(b"x" * 1000)
    page = staff.get("/beheer/import/dood-proces-0001", headers=HX).text
    assert 'data-status="afgebroken"' in page and "hx-trigger" not in page
    assert "De import is afgebroken. De taak gaf na " in page
    assert "geen teken van leven meer" in page and "Er is niets gewijzigd." in page
    assert not folder.exists()


def test_a_proef_that_cannot_be_confirmed_says_why_and_starts_nothing(
        staff: TestClient, page_db: tuple[str, Engine], tmp_path: Path) -> None:
    path = write(gpd.GeoDataFrame({"vak_id": ["B-1"]}, geometry=[square(232000, 478000)],
                                  crs=RD), tmp_path / "bevestig.gpkg")
    goed = upload(staff, path, laag="groenvakken", id_veld="vak_id").text
    fout = upload(staff, lines(tmp_path), laag="groenvakken", id_veld="vak_id").text
    proef, _ = follow(staff, goed), follow(staff, fout)
    with page_db[1].connect() as conn:
        before = fingerprint(conn, TABLES)
        taken = conn.execute(text("SELECT count(*) FROM taak")).scalar()
    for job, reason in ((job_of(fout), "Alleen een geslaagde proef kan worden bevestigd."),
                        (job_of(goed), "Het bestand van deze proef is niet meer bewaard")):
        if job == job_of(goed):  # its file was cleaned up (after an hour, or by hand)
            for kept in (UPLOADS / "taken" / job).iterdir():
                kept.unlink()
        refused = staff.post(f"/beheer/import/{job}/bevestigen", headers=HX,
                             data={"csrf_token": csrf_of(proef)})
        assert refused.status_code == 409 and 'data-proef="ja"' in refused.text
        box = re.search(r'role="alert" tabindex="-1" id="foutoverzicht">(.*?)</div>',
                        refused.text, re.S)
        assert box and reason in box.group(1) and "Er is niets gewijzigd." in box.group(1)
    with page_db[1].connect() as conn:
        assert fingerprint(conn, TABLES) == before
        assert conn.execute(text("SELECT count(*) FROM taak")).scalar() == taken

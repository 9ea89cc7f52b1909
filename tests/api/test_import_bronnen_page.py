"""The import page knows the real sources: an OpenStreetMap extract uploaded as such runs as
a proef (nothing changes), then the confirmed import fills the geography tables; the same file
offered as groenvakken is refused next to the field."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.api.test_import_page import (  # noqa: F401  (page_db and staff are fixtures)
    confirm,
    follow,
    page_db,
    staff,
    upload,
)
from tests.db.bronnen_files import osm_pbf
from tests.db.test_import_groenvakken import fingerprint

GEO = ["adres", "straat", "pand", "water", "terrein"]
TELLING = "Nu in de kaart: adressen 2, panden 1, straten 5, water 1, terrein 1."


def test_osm_upload_proef_then_import(staff: TestClient,  # noqa: F811
                                      page_db: tuple[str, Engine],  # noqa: F811
                                      tmp_path: Path) -> None:
    engine = page_db[1]
    form = staff.get("/beheer/import").text
    assert 'value="osm"' in form and 'value="bag"' in form and ".pbf" in form
    with engine.connect() as conn:
        voor = fingerprint(conn, GEO)
    proef = follow(staff, upload(staff, osm_pbf(tmp_path), laag="osm").text)
    assert "Dit is een proef: er is nog niets gewijzigd." in proef, proef
    assert TELLING in proef, proef
    with engine.connect() as conn:
        assert fingerprint(conn, GEO) == voor
    done = confirm(staff, proef)
    assert "De import is klaar." in done and TELLING in done
    with engine.connect() as conn:
        assert conn.execute(text("SELECT naam FROM terrein WHERE extern_id = 'osm:way/1005'")
                            ).scalar() == "Dorpspark"


def test_pbf_as_groenvakken_is_refused(staff: TestClient,  # noqa: F811
                                       tmp_path: Path) -> None:
    page = upload(staff, osm_pbf(tmp_path), laag="groenvakken", id_veld="id")
    assert page.status_code == 400
    assert "Het bestandstype van dorp.osm.pbf wordt niet ondersteund." in page.text

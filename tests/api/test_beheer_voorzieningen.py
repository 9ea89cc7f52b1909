"""Beheer of voorzieningen and categories through the real app and PostGIS: the form with RD or
lat/lon, Dutch messages next to the fields, archive, 'Nu gecontroleerd', audit rows, and who may."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.services.demo.adopties import BEWONER, MEDEWERKER
from app.services.voorzieningen.categorieen import contrast_met_wit
from app.services.voorzieningen.velden import BUITEN, NIET_ALLEBEI
from tests.api.account_helpers import GEMEENTE, HTML, csrf_of, login, make_client, resident
from tests.conftest import scalar

LIJST = "/beheer/voorzieningen"
RD = (232000.0, 476000.0)  # in the middle of the demo town


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def als(web: TestClient, session: Session, email: str) -> None:
    resident(session, email)
    assert login(web, email).status_code == 303


def categorie(session: Session, code: str = "ontmoeting") -> int:
    return int(scalar(session, "SELECT id FROM categorie WHERE gemeente_code = :g AND code = :c",
                      g=GEMEENTE, c=code))  # type: ignore[arg-type]


def post(web: TestClient, page: str, action: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_of(web.get(page, headers=HTML).text)
    return web.post(action, data={**data, "csrf_token": token}, headers=HTML,
                    follow_redirects=False)


def velden(session: Session, **extra: str) -> dict[str, str]:
    return {"naam": "Buurthuis De Kastanje", "categorie": str(categorie(session)),
            "adres": "Kerkstraat 1", "postcode": "5351ab", "plaats": "Lindewaard",
            "website": "https://kastanje.example.nl", "email": "info@kastanje.example.nl",
            "x": str(RD[0]), "y": str(RD[1]), **extra}


def nieuw_id(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 303, response.text
    found = re.fullmatch(rf"{LIJST}/(\d+)\?melding=aangemaakt", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def audits(session: Session, fid: int) -> list[str]:
    return [str(a) for a in session.connection().exec_driver_sql(
        "SELECT actie FROM audit_log WHERE object_type = 'voorziening' AND object_id = %s "
        "ORDER BY id", (str(fid),)).scalars()]


def test_visitors_log_in_and_residents_are_refused(web: TestClient, session: Session) -> None:
    fid = int(scalar(session, "SELECT min(id) FROM voorziening"))  # type: ignore[arg-type]
    gets = [LIJST, f"{LIJST}/nieuw", f"{LIJST}/{fid}", "/beheer/categorieen",
            "/beheer/voorstellen"]
    for path in gets:
        anonymous = web.get(path, headers=HTML, follow_redirects=False)
        assert anonymous.status_code == 303, path
        assert anonymous.headers["location"].startswith("/inloggen?volgende=%2Fbeheer"), path
    als(web, session, BEWONER)
    for path in gets:
        refused = web.get(path, headers=HTML)
        assert refused.status_code == 403 and "alleen voor medewerkers" in refused.text, path
    token = csrf_of(web.get("/account", headers=HTML).text)
    for path in (f"{LIJST}/nieuw", f"{LIJST}/{fid}/archiveren", f"{LIJST}/{fid}/gecontroleerd",
                 "/beheer/categorieen"):
        refused = web.post(path, data={**velden(session), "csrf_token": token}, headers=HTML,
                           follow_redirects=False)
        assert refused.status_code == 403, path
    assert scalar(session, "SELECT status FROM voorziening WHERE id = :i", i=fid) \
        == "gepubliceerd"


def test_create_with_rd_coordinates_publishes_with_audit(web: TestClient,
                                                           session: Session) -> None:
    als(web, session, MEDEWERKER)
    fid = nieuw_id(post(web, f"{LIJST}/nieuw", f"{LIJST}/nieuw", velden(session)))
    row = session.connection().exec_driver_sql(
        "SELECT status, postcode, wijk_id IS NOT NULL, ST_X(geometrie), ST_Y(geometrie) "
        "FROM voorziening WHERE id = %s", (fid,)).one()
    assert tuple(row) == ("gepubliceerd", "5351 AB", True, RD[0], RD[1])
    assert audits(session, fid) == ["aangemaakt"]
    medewerker = scalar(session, "SELECT id FROM gebruiker WHERE email = :e", e=MEDEWERKER)
    assert scalar(session, "SELECT actor FROM audit_log WHERE object_type = 'voorziening' "
                           "AND object_id = :i", i=str(fid)) == f"gebruiker:{medewerker}"
    item = web.get(f"/v1/collections/voorzieningen/items/{fid}")
    assert item.status_code == 200
    assert item.json()["properties"]["naam"] == "Buurthuis De Kastanje"
    page = web.get(f"{LIJST}/{fid}?melding=aangemaakt", headers=HTML)
    assert "De voorziening is aangemaakt" in page.text
    assert 'value="Buurthuis De Kastanje"' in page.text


def test_create_with_lat_lon_from_the_map_picker(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    lon, lat = session.connection().exec_driver_sql(
        "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_Point(232100, 476100), 28992), "
        "4326) p").one()
    data = velden(session, x="", y="", lat=f"{lat:.7f}".replace(".", ","), lon=f"{lon:.7f}")
    fid = nieuw_id(post(web, f"{LIJST}/nieuw", f"{LIJST}/nieuw", data))
    afstand = scalar(session, "SELECT ST_Distance(geometrie, ST_SetSRID(ST_Point(232100, "
                              "476100), 28992)) FROM voorziening WHERE id = :i", i=fid)
    assert afstand < 0.02  # type: ignore[operator]


def test_wrong_fields_get_dutch_messages_and_change_nothing(web: TestClient,
                                                            session: Session) -> None:
    als(web, session, MEDEWERKER)
    before = scalar(session, "SELECT count(*) FROM voorziening")
    data = velden(session, naam=" ", categorie="999999", postcode="12345", website="www.x.nl",
                  email="geen-adres", telefoon="bel mij", x="100000", y="400000")
    response = post(web, f"{LIJST}/nieuw", f"{LIJST}/nieuw", data)
    assert response.status_code == 400
    text = response.text
    for fout in ("Vul de naam in.", "Kies een categorie uit de lijst.",
                 "Vul een postcode in als 1234 AB.", "begint met http:// of https://",
                 "Vul een geldig e-mailadres in", "Vul een telefoonnummer in", BUITEN):
        assert fout in text, fout
    assert 'id="veld-postcode-fout"' in text and 'aria-invalid="true"' in text
    assert 'value="www.x.nl"' in text  # what was typed stays
    both = post(web, f"{LIJST}/nieuw", f"{LIJST}/nieuw", velden(session, lat="51.7", lon="5.5"))
    assert both.status_code == 400 and NIET_ALLEBEI in both.text
    none = post(web, f"{LIJST}/nieuw", f"{LIJST}/nieuw", velden(session, x="", y="162000"))
    assert none.status_code == 400 and "Vul ook de rd x in." in none.text
    assert scalar(session, "SELECT count(*) FROM voorziening") == before


def test_edit_keeps_the_point_archive_and_check(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    fid = nieuw_id(post(web, f"{LIJST}/nieuw", f"{LIJST}/nieuw", velden(session)))
    form = web.get(f"{LIJST}/{fid}", headers=HTML).text
    lat = re.search(r'name="lat" type="text" value="([^"]+)"', form)
    lon = re.search(r'name="lon" type="text" value="([^"]+)"', form)
    assert lat and lon
    data = velden(session, naam="Buurthuis De Kastanje (nieuw)", x="", y="",
                  lat=lat.group(1), lon=lon.group(1))
    saved = post(web, f"{LIJST}/{fid}", f"{LIJST}/{fid}", data)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{LIJST}/{fid}?melding=opgeslagen"
    row = session.connection().exec_driver_sql(
        "SELECT naam, ST_X(geometrie), ST_Y(geometrie) FROM voorziening WHERE id = %s",
        (fid,)).one()
    assert tuple(row) == ("Buurthuis De Kastanje (nieuw)", RD[0], RD[1])

    assert post(web, f"{LIJST}/{fid}", f"{LIJST}/{fid}/gecontroleerd", {}).status_code == 303
    assert scalar(session, "SELECT laatst_gecontroleerd FROM voorziening WHERE id = :i",
                  i=fid) == date.today()
    assert post(web, f"{LIJST}/{fid}", f"{LIJST}/{fid}/archiveren", {}).status_code == 303
    assert scalar(session, "SELECT status FROM voorziening WHERE id = :i", i=fid) \
        == "gearchiveerd"
    assert web.get(f"/v1/collections/voorzieningen/items/{fid}").status_code == 404
    again = post(web, f"{LIJST}/{fid}", f"{LIJST}/{fid}/archiveren", {})
    assert again.status_code == 409 and "al gearchiveerd" in again.text
    assert post(web, f"{LIJST}/{fid}", f"{LIJST}/{fid}/publiceren", {}).status_code == 303
    assert web.get(f"/v1/collections/voorzieningen/items/{fid}").status_code == 200
    assert audits(session, fid) == ["aangemaakt", "gewijzigd", "gecontroleerd",
                                    "status:gepubliceerd->gearchiveerd",
                                    "status:gearchiveerd->gepubliceerd"]


def test_a_form_without_csrf_token_is_refused(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    before = scalar(session, "SELECT count(*) FROM voorziening")
    for token in ("", "vervalst"):
        response = web.post(f"{LIJST}/nieuw", data={**velden(session), "csrf_token": token},
                            headers=HTML, follow_redirects=False)
        assert response.status_code == 403
    assert scalar(session, "SELECT count(*) FROM voorziening") == before


def test_list_filters(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    nieuw_id(post(web, f"{LIJST}/nieuw", f"{LIJST}/nieuw",
                  velden(session, naam="Ontmoetingsplek Q-17")))
    found = web.get(f"{LIJST}?zoek=q-17", headers=HTML)
    assert found.status_code == 200
    assert found.text.count("data-voorziening=") == 1 and "1 voorziening<" in found.text
    published = scalar(session, "SELECT count(*) FROM voorziening WHERE gemeente_code = :g "
                                "AND status = 'gepubliceerd'", g=GEMEENTE)
    assert f"{published} voorzieningen" in web.get(LIJST, headers=HTML).text
    wrong = web.get(f"{LIJST}?status=weg", headers=HTML)
    assert wrong.status_code == 400 and "Kies een status uit de lijst." in wrong.text


def test_categories_create_warn_edit_and_delete(web: TestClient, session: Session) -> None:
    assert contrast_met_wit("#ffffff") == 1.0 and contrast_met_wit("#000000") == 21.0
    als(web, session, MEDEWERKER)
    bad = post(web, "/beheer/categorieen", "/beheer/categorieen",
               {"naam": "", "kleur": "geel", "volgorde": "x"})
    assert bad.status_code == 400
    for fout in ("Vul de naam in.", "Vul een kleur in als #rrggbb", "Vul een geheel getal in"):
        assert fout in bad.text
    made = post(web, "/beheer/categorieen", "/beheer/categorieen",
                {"naam": "Zorg & welzijn", "icoon": "hart", "kleur": "#FFFF00",
                 "volgorde": "15", "is_initiatief": "ja"})
    assert made.status_code == 303
    cid = int(made.headers["location"].split("/")[-1].split("?")[0])
    row = session.connection().exec_driver_sql(
        "SELECT code, kleur, volgorde, is_initiatief FROM categorie WHERE id = %s", (cid,)).one()
    assert tuple(row) == ("zorg-welzijn", "#ffff00", 15, True)
    page = web.get(made.headers["location"], headers=HTML).text
    assert 'data-testid="contrast-waarschuwing"' in page and "1,07:1" in page.replace(".", ",")
    assert "te laag voor witte tekst" in web.get("/beheer/categorieen", headers=HTML).text
    edit = post(web, f"/beheer/categorieen/{cid}", f"/beheer/categorieen/{cid}",
                {"naam": "Zorg en welzijn", "icoon": "hart", "kleur": "#1d5c8c",
                 "volgorde": "15"})
    assert edit.status_code == 303
    assert 'data-testid="contrast-waarschuwing"' not in web.get(
        f"/beheer/categorieen/{cid}", headers=HTML).text
    assert scalar(session, "SELECT is_initiatief FROM categorie WHERE id = :i", i=cid) is False
    in_use = categorie(session)
    refused = post(web, f"/beheer/categorieen/{in_use}",
                   f"/beheer/categorieen/{in_use}/verwijderen", {})
    assert refused.status_code == 409 and "in gebruik" in refused.text
    assert scalar(session, "SELECT count(*) FROM categorie WHERE id = :i", i=in_use) == 1
    gone = post(web, f"/beheer/categorieen/{cid}", f"/beheer/categorieen/{cid}/verwijderen", {})
    assert gone.status_code == 303
    assert scalar(session, "SELECT count(*) FROM categorie WHERE id = :i", i=cid) == 0
    assert [str(a) for a in session.connection().exec_driver_sql(
        "SELECT actie FROM audit_log WHERE object_type = 'categorie' AND object_id = %s "
        "ORDER BY id", (str(cid),)).scalars()] == ["aangemaakt", "gewijzigd", "verwijderd"]

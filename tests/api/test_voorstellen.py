"""Co-creation through the real app and PostGIS: a resident proposes, staff accept (edited) or
reject with a reason, mail goes out; nothing is public before acceptance; the proposer keeps an
accepted initiative up to date (contact live, a move to review); who may do what."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.services.demo.adopties import BEWONER, MEDEWERKER
from app.services.voorzieningen.voorstellen import GEEN_RECHT, NIETS_GEWIJZIGD
from tests.api.account_helpers import (
    GEMEENTE,
    HTML,
    csrf_of,
    login,
    mails_to,
    make_client,
    resident,
)
from tests.conftest import scalar

ANDERE = "bewoner-c@example.org"
NAAM = "Repair Café Lindewaard"
V1 = "/v1/collections/voorzieningen/items"


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def als(web: TestClient, session: Session, email: str) -> None:
    web.cookies.clear()
    resident(session, email, naam="Bewoner A" if email == BEWONER else "Bewoner C")
    assert login(web, email).status_code == 303


def post(web: TestClient, page: str, action: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_of(web.get(page, headers=HTML).text)
    return web.post(action, data={**data, "csrf_token": token}, headers=HTML,
                    follow_redirects=False)


def categorie(session: Session, code: str) -> str:
    return str(scalar(session, "SELECT id FROM categorie WHERE gemeente_code = :g AND code = :c",
                      g=GEMEENTE, c=code))


def latlon(session: Session, x: float, y: float) -> tuple[str, str]:
    lon, lat = session.connection().exec_driver_sql(
        f"SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_Point({x}, {y}), 28992), "
        f"4326) p").one()
    return f"{lat:.7f}", f"{lon:.7f}"


def voorstel_doen(web: TestClient, session: Session) -> int:
    """Bewoner A proposes an initiative with lat/lon, as the map picker fills them in."""
    lat, lon = latlon(session, 232050, 476050)
    response = post(web, "/voorstellen/nieuw?soort=initiatief", "/voorstellen/nieuw", {
        "naam": NAAM, "categorie": categorie(session, "initiatief"),
        "omschrijving": "Elke eerste zaterdag samen repareren.", "telefoon": "0412 123456",
        "lat": lat, "lon": lon, "toelichting": "Wij zitten in het buurthuis."})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/mijn/voorstellen?melding=ingediend"
    return int(scalar(session, "SELECT max(id) FROM voorstel"))  # type: ignore[arg-type]


def form_fields(page: str, form_id: str = "formulier-voorziening") -> dict[str, str]:
    """What a browser would send from the form: its inputs, selected option and textareas."""
    form = page.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    data = dict(re.findall(r'<input[^>]*name="(\w+)" type="(?:text|email|tel|url|date)"'
                           r'(?: value="([^"]*)")?', form))
    found = re.search(r'<option value="(\d+)" selected', form)
    data["categorie"] = found.group(1) if found else ""
    for name in ("omschrijving", "openingstijden"):
        area = re.search(rf'name="{name}" rows="\d+"[^>]*>([^<]*)</textarea>', form)
        data[name] = area.group(1) if area else ""
    return {k: html.unescape(v) for k, v in data.items()}


def accept_form(web: TestClient, voorstel: int, **changes: str) -> dict[str, str]:
    """The accept form as the page prefills it, with changes."""
    page = web.get(f"/beheer/voorstellen/{voorstel}", headers=HTML).text
    return {**form_fields(page), **changes}


def test_proposal_is_not_public_until_accepted(web: TestClient, session: Session) -> None:
    als(web, session, BEWONER)
    voorstel = voorstel_doen(web, session)
    assert scalar(session, "SELECT status FROM voorstel WHERE id = :i", i=voorstel) \
        == "ingediend"
    assert scalar(session, "SELECT count(*) FROM voorziening WHERE naam = :n", n=NAAM) == 0
    assert NAAM not in web.get(f"{V1}?limit=10000").text
    mine = web.get("/mijn/voorstellen?melding=ingediend", headers=HTML).text
    assert NAAM in mine and "In behandeling" in mine and "Uw voorstel is ingediend" in mine

    als(web, session, MEDEWERKER)
    queue = web.get("/beheer/voorstellen", headers=HTML).text
    assert f'href="/beheer/voorstellen/{voorstel}"' in queue and "Nieuw initiatief" in queue
    data = accept_form(web, voorstel, naam="Repair Café De Linde")
    assert data["telefoon"] == "0412 123456" and data["bron"] == "Voorstel van een bewoner"
    accepted = post(web, f"/beheer/voorstellen/{voorstel}",
                    f"/beheer/voorstellen/{voorstel}/accepteren", data)
    assert accepted.status_code == 303, accepted.text
    fid = scalar(session, "SELECT voorziening_id FROM voorstel WHERE id = :i", i=voorstel)
    row = session.connection().exec_driver_sql(
        "SELECT v.naam, v.status, v.voorgesteld_door_id = g.id, s.status, "
        "ST_Distance(v.geometrie, ST_SetSRID(ST_Point(232050, 476050), 28992)) < 0.02 "
        "FROM voorziening v JOIN voorstel s ON s.voorziening_id = v.id, gebruiker g "
        "WHERE v.id = %s AND g.email = %s", (fid, BEWONER)).one()
    assert tuple(row) == ("Repair Café De Linde", "gepubliceerd", True, "geaccepteerd", True)
    item = web.get(f"{V1}/{fid}")
    assert item.status_code == 200
    props = item.json()["properties"]
    assert props["naam"] == "Repair Café De Linde" and props["initiatief"] is True
    assert not any("voorgesteld" in k or "gebruiker" in k for k in props)
    assert BEWONER not in item.text and "Bewoner A" not in item.text
    assert "Wij zitten in het buurthuis" not in item.text  # the note is for the gemeente only
    [mail] = mails_to(session, BEWONER)
    assert mail.onderwerp == "Uw voorstel is geaccepteerd"
    assert f"/voorzieningen/{fid}/bijwerken" in mail.tekst
    assert scalar(session, "SELECT count(*) FROM audit_log WHERE object_type = 'voorstel' "
                           "AND object_id = :i AND actie = 'status:ingediend->geaccepteerd'",
                  i=str(voorstel)) == 1
    assert scalar(session, "SELECT count(*) FROM audit_log WHERE object_type = 'voorziening' "
                           "AND object_id = :i AND actie = 'aangemaakt'", i=str(fid)) == 1
    decided = web.get(f"/beheer/voorstellen/{voorstel}", headers=HTML).text
    assert "Geaccepteerd" in decided and "formulier-afwijzen" not in decided
    twice = post(web, "/beheer/categorieen", f"/beheer/voorstellen/{voorstel}/afwijzen",
                 {"reden": "Toch niet"})
    assert twice.status_code == 409 and "al beslist" in twice.text


def test_reject_needs_a_reason_and_mails_it(web: TestClient, session: Session) -> None:
    als(web, session, BEWONER)
    voorstel = voorstel_doen(web, session)
    als(web, session, MEDEWERKER)
    page = f"/beheer/voorstellen/{voorstel}"
    empty = post(web, page, f"{page}/afwijzen", {"reden": "  "})
    assert empty.status_code == 400 and "Geef de reden van de afwijzing" in empty.text
    assert scalar(session, "SELECT status FROM voorstel WHERE id = :i", i=voorstel) \
        == "ingediend"
    assert mails_to(session, BEWONER) == []
    rejected = post(web, page, f"{page}/afwijzen", {"reden": "Dit initiatief bestaat al."})
    assert rejected.status_code == 303
    assert scalar(session, "SELECT status || ':' || reden FROM voorstel WHERE id = :i",
                  i=voorstel) == "afgewezen:Dit initiatief bestaat al."
    [mail] = mails_to(session, BEWONER)
    assert mail.onderwerp == "Uw voorstel is niet overgenomen"
    assert "Reden: Dit initiatief bestaat al." in mail.tekst
    assert scalar(session, "SELECT count(*) FROM voorziening WHERE naam = :n", n=NAAM) == 0
    als(web, session, BEWONER)
    mine = web.get("/mijn/voorstellen", headers=HTML).text
    assert "Afgewezen" in mine and "Dit initiatief bestaat al." in mine


def test_wrong_proposal_gets_messages_next_to_the_fields(web: TestClient,
                                                         session: Session) -> None:
    als(web, session, BEWONER)
    before = scalar(session, "SELECT count(*) FROM voorstel")
    response = post(web, "/voorstellen/nieuw", "/voorstellen/nieuw",
                    {"naam": "", "categorie": "", "postcode": "AB 1234",
                     "website": "ftp://x.nl", "lat": "", "lon": ""})
    assert response.status_code == 400
    for fout in ("Vul de naam in.", "Kies een categorie uit de lijst.",
                 "Vul een postcode in als 1234 AB.", "begint met http:// of https://",
                 "Kies een plek op de kaart"):
        assert fout in response.text, fout
    assert 'href="#veld-lat"' in response.text  # the summary links to the place fields
    assert scalar(session, "SELECT count(*) FROM voorstel") == before


def test_who_may_do_what(web: TestClient, session: Session) -> None:
    fid = int(scalar(session, "SELECT min(id) FROM voorziening "
                              "WHERE status = 'gepubliceerd'"))  # type: ignore[arg-type]
    for path in ("/voorstellen/nieuw", "/mijn/voorstellen", f"/voorzieningen/{fid}/correctie",
                 f"/voorzieningen/{fid}/bijwerken"):
        anonymous = web.get(path, headers=HTML, follow_redirects=False)
        assert anonymous.status_code == 303, path
        assert anonymous.headers["location"].startswith("/inloggen?volgende="), path
    als(web, session, BEWONER)
    voorstel = voorstel_doen(web, session)
    for path in ("/beheer/voorstellen", f"/beheer/voorstellen/{voorstel}"):
        assert web.get(path, headers=HTML).status_code == 403
    token = csrf_of(web.get("/voorstellen/nieuw", headers=HTML).text)
    for action in ("accepteren", "afwijzen"):
        refused = web.post(f"/beheer/voorstellen/{voorstel}/{action}", headers=HTML,
                           data={"reden": "x", "naam": "x", "csrf_token": token},
                           follow_redirects=False)
        assert refused.status_code == 403
    assert scalar(session, "SELECT status FROM voorstel WHERE id = :i", i=voorstel) \
        == "ingediend"
    # a demo voorziening nobody proposed: nobody may keep it up to date
    refused = web.get(f"/voorzieningen/{fid}/bijwerken", headers=HTML)
    assert refused.status_code == 403 and GEEN_RECHT in refused.text


def test_proposer_updates_contact_live_and_a_move_goes_to_review(web: TestClient,
                                                                  session: Session) -> None:
    als(web, session, BEWONER)
    voorstel = voorstel_doen(web, session)
    als(web, session, MEDEWERKER)
    assert post(web, f"/beheer/voorstellen/{voorstel}",
                f"/beheer/voorstellen/{voorstel}/accepteren",
                accept_form(web, voorstel)).status_code == 303
    fid = scalar(session, "SELECT voorziening_id FROM voorstel WHERE id = :i", i=voorstel)
    pagina = f"/voorzieningen/{fid}/bijwerken"

    als(web, session, ANDERE)
    assert web.get(pagina, headers=HTML).status_code == 403
    token = csrf_of(web.get("/voorstellen/nieuw", headers=HTML).text)
    assert web.post(pagina, data={"telefoon": "06 11111111", "csrf_token": token},
                    headers=HTML, follow_redirects=False).status_code == 403

    als(web, session, BEWONER)
    form = web.get(pagina, headers=HTML).text
    lat = re.search(r'name="lat" type="text" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    lon = re.search(r'name="lon" type="text" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    live = post(web, pagina, pagina, {"omschrijving": "Elke zaterdag.",
                                      "telefoon": "0412 654321", "website": "https://rc.example.nl",
                                      "lat": lat, "lon": lon})
    assert live.status_code == 303
    assert live.headers["location"] == "/mijn/voorstellen?melding=bijgewerkt"
    props = web.get(f"{V1}/{fid}").json()["properties"]
    assert (props["telefoon"], props["website"], props["omschrijving"]) == \
        ("0412 654321", "https://rc.example.nl", "Elke zaterdag.")
    assert scalar(session, "SELECT count(*) FROM audit_log WHERE object_type = 'voorziening' "
                           "AND object_id = :i AND actie = 'bijgewerkt:initiatiefnemer'",
                  i=str(fid)) == 1
    bad = post(web, pagina, pagina, {"email": "geen", "lat": lat, "lon": lon})
    assert bad.status_code == 400 and "Vul een geldig e-mailadres in" in bad.text

    nieuw_lat, nieuw_lon = latlon(session, 232300, 476300)
    moved = post(web, pagina, pagina, {"omschrijving": "Elke zaterdag.",
                                       "telefoon": "0412 654321",
                                       "website": "https://rc.example.nl",
                                       "lat": nieuw_lat, "lon": nieuw_lon})
    assert moved.headers["location"] == "/mijn/voorstellen?melding=verhuizing"
    geometry = web.get(f"{V1}/{fid}?crs=http://www.opengis.net/def/crs/EPSG/0/28992").json()
    assert [round(c) for c in geometry["geometry"]["coordinates"]] == [232050, 476050]
    correctie = session.connection().exec_driver_sql(
        "SELECT soort, status, round(ST_X(geometrie)), round(ST_Y(geometrie)) FROM voorstel "
        "WHERE voorziening_id = %s AND id <> %s", (fid, voorstel)).one()
    assert tuple(correctie) == ("correctie", "ingediend", 232300, 476300)

    als(web, session, MEDEWERKER)
    cid = scalar(session, "SELECT id FROM voorstel WHERE voorziening_id = :f AND id <> :v",
                 f=fid, v=voorstel)
    review = web.get(f"/beheer/voorstellen/{cid}", headers=HTML).text
    assert "Verplaatst over" in review
    assert post(web, f"/beheer/voorstellen/{cid}", f"/beheer/voorstellen/{cid}/accepteren",
                accept_form(web, cid)).status_code == 303  # type: ignore[arg-type]
    assert scalar(session, "SELECT round(ST_X(geometrie)) FROM voorziening WHERE id = :i",
                  i=fid) == 232300


def test_correction_of_a_voorziening(web: TestClient, session: Session) -> None:
    fid, naam, tijden = session.connection().exec_driver_sql(
        "SELECT id, naam, openingstijden FROM voorziening WHERE status = 'gepubliceerd' "
        "ORDER BY id LIMIT 1").one()
    als(web, session, BEWONER)
    page = f"/voorzieningen/{fid}/correctie"
    form = web.get(page, headers=HTML)
    assert form.status_code == 200 and f'value="{naam}"' in form.text.replace("&#39;", "'")
    data = form_fields(form.text)
    unchanged = post(web, page, page, data)
    assert unchanged.status_code == 400 and NIETS_GEWIJZIGD in unchanged.text
    sent = post(web, page, page, {**data, "openingstijden": "ma-vr 9-17"})
    assert sent.status_code == 303
    assert scalar(session, "SELECT openingstijden FROM voorziening WHERE id = :i",
                  i=fid) == tijden  # not changed before review
    voorstel = scalar(session, "SELECT max(id) FROM voorstel")
    als(web, session, MEDEWERKER)
    review = web.get(f"/beheer/voorstellen/{voorstel}", headers=HTML).text
    assert "Openingstijden <strong>(gewijzigd)</strong>" in review
    accepted = post(web, f"/beheer/voorstellen/{voorstel}",
                    f"/beheer/voorstellen/{voorstel}/accepteren",
                    accept_form(web, voorstel))  # type: ignore[arg-type]
    assert accepted.status_code == 303, accepted.text
    assert scalar(session, "SELECT openingstijden FROM voorziening WHERE id = :i",
                  i=fid) == "ma-vr 9-17"
    assert scalar(session, "SELECT voorgesteld_door_id FROM voorziening WHERE id = :i",
                  i=fid) is None  # a correction gives no right to keep it up to date
    assert json.loads(web.get(f"{V1}/{fid}").text)["properties"]["openingstijden"] \
        == "ma-vr 9-17"


def test_accepting_warns_about_the_same_category_nearby_and_names_the_address(
        web: TestClient, session: Session) -> None:
    """A published voorziening of the proposal's category 60 m away is named with its
    distance; one of another category at 10 m is not; the nearest address is shown."""
    als(web, session, BEWONER)
    voorstel = voorstel_doen(web, session)  # an initiatief at RD 232050, 476050
    conn = session.connection()
    x, y = conn.exec_driver_sql("SELECT ST_X(geometrie), ST_Y(geometrie) FROM adres "
                                "WHERE gemeente_code = %s ORDER BY id LIMIT 1",
                                (GEMEENTE,)).one()
    conn.exec_driver_sql("UPDATE voorstel SET geometrie = ST_SetSRID(ST_Point(%s, %s), 28992) "
                         "WHERE id = %s", (x + 1, y, voorstel))
    andere = conn.exec_driver_sql("SELECT id FROM categorie WHERE gemeente_code = %s AND "
                                  "code <> 'initiatief' LIMIT 1", (GEMEENTE,)).scalar_one()
    for naam, dx, cat in (("Ruilkast om de hoek", 60, int(categorie(session, "initiatief"))),
                          ("Ander soort plek", 10, andere), ("Te ver weg", 300,
                                                              int(categorie(session,
                                                                            "initiatief")))):
        conn.exec_driver_sql(
            "INSERT INTO voorziening (gemeente_code, naam, categorie_id, status, geometrie) "
            "VALUES (%s, %s, %s, 'gepubliceerd', ST_SetSRID(ST_Point(%s, %s), 28992))",
            (GEMEENTE, naam, cat, x + 1 + dx, y))
    als(web, session, MEDEWERKER)
    page = web.get(f"/beheer/voorstellen/{voorstel}", headers=HTML).text
    box = page.split('data-testid="controle"', 1)[1].split("</div>\n{% endif %}", 1)[0]
    assert "Ruilkast om de hoek</a> (60 m)" in box
    assert "Ander soort plek" not in box and "Te ver weg" not in box
    adres = conn.exec_driver_sql("SELECT straatnaam FROM adres WHERE gemeente_code = %s "
                                 "ORDER BY id LIMIT 1", (GEMEENTE,)).scalar_one()
    found = re.search(r'data-testid="dichtstbij-adres">([^<]+)<', page)
    assert found and html.unescape(found.group(1)).startswith(adres)

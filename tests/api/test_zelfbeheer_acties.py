"""Resident pages of zelfbeheer through the real app: request, invitation, join, log, leave."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session

from app.config import Settings
from tests.api.account_helpers import (
    HTML,
    csrf_of,
    link_in,
    login,
    mails_to,
    make_client,
    post_form,
    resident,
)
from tests.conftest import scalar


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from app.services.zelfbeheer.fotos import PhotoStore

    client = make_client(settings, db_url, session)
    client.app.state.photo_store = PhotoStore(tmp_path_factory.mktemp("fotos"))  # type: ignore[attr-defined]
    with client:
        yield client


def free_plot(session: Session) -> int:
    return int(scalar(session, """SELECT groenvak_id FROM groenvak_status s
        JOIN groenvak g ON g.id = s.groenvak_id WHERE s.status = 'beschikbaar'
        AND g.oppervlakte_m2 < 400 ORDER BY groenvak_id LIMIT 1"""))


def test_request_needs_login(web: TestClient, session: Session) -> None:
    response = web.get(f"/zelfbeheer/groenvak/{free_plot(session)}/aanvragen", headers=HTML,
                       follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/inloggen")


def test_request_with_a_neighbour_becomes_aangevraagd(web: TestClient, session: Session) -> None:
    resident(session, "bewoner.a@voorbeeld.example", "Bewoner A")
    resident(session, "bewoner.b@voorbeeld.example", "Bewoner B")
    plot = free_plot(session)
    login(web, "bewoner.a@voorbeeld.example")
    form = f"/zelfbeheer/groenvak/{plot}/aanvragen"
    page = web.get(form, headers=HTML).text
    assert "Voorwaarden van de gemeente" in page and "bestrijdingsmiddelen" in page
    refused = post_form(web, form, form, {"groepsnaam": "Lindelaan", "plan": "wieden"})
    assert refused.status_code == 400 and 'id="veld-voorwaarden-fout"' in refused.text
    assert scalar(session, "SELECT status FROM groenvak_status WHERE groenvak_id = :p",
                  p=plot) == "beschikbaar"
    done = post_form(web, form, form, {"groepsnaam": "Lindelaan", "plan": "wieden",
                                       "groepsnaam_openbaar": "ja", "voorwaarden": "ja",
                                       "mede_aanvragers": "bewoner.b@voorbeeld.example"})
    assert done.status_code == 303 and done.headers["location"].startswith("/mijn-groen")
    assert scalar(session, "SELECT status FROM groenvak_status WHERE groenvak_id = :p",
                  p=plot) == "aangevraagd"
    invite = link_in(mails_to(session, "bewoner.b@voorbeeld.example")[-1], "/uitnodiging/")
    web.cookies.clear()
    login(web, "bewoner.b@voorbeeld.example")
    accepted = post_form(web, invite, invite, {"keuze": "ja"})
    assert accepted.status_code == 303
    status = scalar(session, "SELECT a.status FROM adoptie a WHERE a.groenvak_id = :p "
                             "AND a.status IN ('concept','aangevraagd','actief')", p=plot)
    assert status == "aangevraagd"  # the demo gemeente asks 2 households
    mine = web.get("/mijn-groen", headers=HTML).text
    assert "Lindelaan" in mine and "deelnemer" in mine


def test_second_request_on_a_taken_plot_gets_a_clear_answer(web: TestClient,
                                                            session: Session) -> None:
    plot = int(scalar(session, """SELECT groenvak_id FROM groenvak_status
                                  WHERE status = 'in_zelfbeheer' LIMIT 1"""))
    resident(session, "bewoner.c@voorbeeld.example", "Bewoner C")
    login(web, "bewoner.c@voorbeeld.example")
    form = f"/zelfbeheer/groenvak/{plot}/aanvragen"
    response = post_form(web, form, form, {"groepsnaam": "Wij", "voorwaarden": "ja"})
    assert response.status_code == 409 and "al aangevraagd of in zelfbeheer" in response.text


def test_join_request_and_log_with_photo(web: TestClient, session: Session) -> None:
    adoptie, plot = session.connection().exec_driver_sql(
        "SELECT id, groenvak_id FROM adoptie WHERE status = 'actief' ORDER BY id LIMIT 1").one()
    resident(session, "bewoner.d@voorbeeld.example", "Bewoner D")
    login(web, "bewoner.d@voorbeeld.example")
    join = f"/zelfbeheer/adoptie/{adoptie}/aansluiten"
    assert post_form(web, join, join, {}).status_code == 303
    assert scalar(session, """SELECT d.status FROM deelname d JOIN gebruiker u
        ON u.id = d.gebruiker_id WHERE u.email = 'bewoner.d@voorbeeld.example'""") == "aangevraagd"
    # the trekker lets bewoner D in from Mijn groen
    trekker = scalar(session, """SELECT u.email FROM deelname d JOIN gebruiker u
        ON u.id = d.gebruiker_id WHERE d.adoptie_id = :a AND d.rol = 'trekker'""", a=adoptie)
    resident(session, str(trekker))
    web.cookies.clear()
    login(web, str(trekker))
    page = web.get("/mijn-groen", headers=HTML).text
    assert "Bewoner D wil meedoen" in page
    deelname = scalar(session, """SELECT d.id FROM deelname d JOIN gebruiker u
        ON u.id = d.gebruiker_id WHERE u.email = 'bewoner.d@voorbeeld.example'""")
    ok = web.post(f"/mijn-groen/deelnames/{deelname}/beslissen", headers=HTML,
                  data={"keuze": "ja", "csrf_token": csrf_of(page)}, follow_redirects=False)
    assert ok.status_code == 303
    # bewoner D logs onderhoud with a photo that carries GPS in its EXIF
    web.cookies.clear()
    login(web, "bewoner.d@voorbeeld.example")
    image = Image.new("RGB", (64, 48), "green")
    exif = Image.Exif()
    exif[0x8825] = {2: (52.0, 16.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    token = csrf_of(web.get("/mijn-groen", headers=HTML).text)
    logged = web.post(f"/mijn-groen/adopties/{adoptie}/onderhoud", headers=HTML,
                      data={"datum": scalar(session, "SELECT current_date::text"),
                            "activiteit": "wieden", "notitie": "Onkruid weg",
                            "csrf_token": token},
                      files=[("fotos", ("tuin.jpg", buffer.getvalue(), "image/jpeg"))],
                      follow_redirects=False)
    assert logged.status_code == 303, logged.text
    key = scalar(session, "SELECT f.opslag_sleutel FROM foto f JOIN onderhoud o "
                          "ON o.id = f.onderhoud_id WHERE o.notitie = 'Onkruid weg'")
    photo = web.get(f"/fotos/{key}")
    assert photo.status_code == 200 and b"GPS" not in photo.content
    panel = web.get(f"/zelfbeheer/groenvak/{plot}", headers={"HX-Request": "true"}).text
    assert "Onkruid weg" in panel and "Bewoner D" not in panel
    assert f"/fotos/{key}/thumb" in panel  # neighbours see the photo in the log


def test_refused_action_shows_the_reason(web: TestClient, session: Session) -> None:
    adoptie = scalar(session, "SELECT id FROM adoptie WHERE status = 'actief' ORDER BY id LIMIT 1")
    resident(session, "bewoner.e@voorbeeld.example", "Bewoner E")
    login(web, "bewoner.e@voorbeeld.example")
    page = web.get("/account", headers=HTML).text  # bewoner E has no groups, so no forms there
    refused = web.post(f"/mijn-groen/adopties/{adoptie}/beeindigen", headers=HTML,
                       data={"reden": "x", "csrf_token": csrf_of(page)})
    assert refused.status_code == 403 and "Mijn groen" in refused.text
    no_token = web.post(f"/mijn-groen/adopties/{adoptie}/beeindigen", headers=HTML,
                        data={"reden": "x"})
    assert no_token.status_code == 403 and "formulier is verlopen" in no_token.text

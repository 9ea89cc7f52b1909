"""Beheer through the real app and PostGIS: staff review the queue, decide, end, inspect and
mark plots; residents, visitors, forged forms and staff of another gemeente are refused."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.api.beheer import routes as beheer
from app.api.common.csrf import SESSION_COOKIE
from app.config import Settings
from app.services.accounts import sessions as auth_sessions
from app.services.accounts.gebruikers import create_user
from app.services.demo.adopties import BEWONER, MEDEWERKER
from tests.api.account_helpers import (
    GEMEENTE,
    HTML,
    csrf_of,
    login,
    mails_to,
    make_client,
    post_form,
    resident,
)
from tests.conftest import scalar


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    """The app with accounts, plus the Beheer router until the lead includes it in main.py."""
    client = make_client(settings, db_url, session)
    app = client.app
    if not any(getattr(route, "path", None) == "/beheer" for route in app.routes):  # type: ignore[attr-defined]
        app.include_router(beheer.router)  # type: ignore[attr-defined]
    with client:
        yield client


def als(web: TestClient, session: Session, email: str) -> None:
    """Log in through the real login form (demo accounts get a known password first)."""
    resident(session, email)
    assert login(web, email).status_code == 303


def adoptie_met(session: Session, status: str, offset: int = 0) -> int:
    return int(scalar(session, """SELECT id FROM adoptie WHERE gemeente_code = :g
                                  AND status = :s ORDER BY id OFFSET :o LIMIT 1""",
                      g=GEMEENTE, s=status, o=offset))  # type: ignore[arg-type]


def status_van(session: Session, adoptie_id: int) -> str:
    session.expire_all()
    return str(scalar(session, "SELECT status FROM adoptie WHERE id = :id", id=adoptie_id))


def audit(session: Session, adoptie_id: int, actie: str) -> int:
    return int(scalar(session, """SELECT count(*) FROM audit_log WHERE object_type = 'adoptie'
                                  AND object_id = :id AND actie = :a""",
                      id=str(adoptie_id), a=actie))  # type: ignore[arg-type]


def leden(session: Session, adoptie_id: int) -> list[str]:
    return list(session.execute(text(
        """SELECT u.email FROM deelname d JOIN gebruiker u ON u.id = d.gebruiker_id
            WHERE d.adoptie_id = :id AND d.status = 'actief'"""), {"id": adoptie_id}).scalars())


def post(web: TestClient, adoptie_id: int, actie: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return post_form(web, f"/beheer/adopties/{adoptie_id}",
                     f"/beheer/adopties/{adoptie_id}/{actie}", data)


def test_queue_lists_the_waiting_requests(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    start = web.get("/beheer", headers=HTML)
    assert start.status_code == 200 and 'href="/beheer/aanvragen"' in start.text
    assert start.headers["cache-control"] == "private, no-store"
    page = web.get("/beheer/aanvragen", headers=HTML)
    assert page.status_code == 200
    assert "<caption" in page.text and 'scope="col"' in page.text
    expected = session.execute(text(
        "SELECT id FROM adoptie WHERE gemeente_code = :g AND status = 'aangevraagd'"),
        {"g": GEMEENTE}).scalars().all()
    assert len(expected) == 5
    shown = [int(i) for i in re.findall(r'href="/beheer/adopties/(\d+)"', page.text)]
    assert sorted(shown) == sorted(expected)


def test_review_page_shows_the_plot_the_group_and_the_decision_form(
        web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "aangevraagd")
    page = web.get(f"/beheer/adopties/{adoptie}", headers=HTML)
    assert page.status_code == 200
    assert 'data-testid="plotkaart"' in page.text and "vendor/leaflet/leaflet.js" in page.text
    kaart = re.search(r'data-kaart="([^"]*)"', page.text)  # drawn by static/js/kaartbasis.js
    assert kaart and "js/kaartbasis.js" in page.text
    plot = json.loads(html.unescape(kaart.group(1)))["layers"][0]["data"]
    assert plot["type"] in ("Polygon", "MultiPolygon")
    assert "cdn" not in page.text.lower()
    for email in leden(session, adoptie):
        assert email in page.text  # staff see who applied
    assert f'action="/beheer/adopties/{adoptie}/beoordelen"' in page.text
    assert "/schouw" not in page.text  # a schouw belongs to a running adoptie
    assert "Aangemaakt" in page.text and 'data-testid="historie"' in page.text


def test_approve_with_conditions_and_end_date(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "aangevraagd")
    einde = date.today() + timedelta(days=365)
    response = post(web, adoptie, "beoordelen", {
        "besluit": "goedkeuren", "toelichting": "Welkom!",
        "voorwaarden_extra": "Geen plantenbakken op het trottoir.",
        "einddatum": einde.isoformat()})
    assert response.status_code == 303
    assert response.headers["location"] == f"/beheer/adopties/{adoptie}?melding=goedgekeurd"
    assert status_van(session, adoptie) == "actief"
    row = session.execute(text("SELECT einddatum, startdatum, voorwaarden FROM adoptie "
                               "WHERE id = :id"), {"id": adoptie}).one()
    assert row.einddatum == einde and row.startdatum == date.today()
    assert "Geen plantenbakken op het trottoir." in row.voorwaarden
    assert audit(session, adoptie, "status:aangevraagd->actief") == 1
    for email in leden(session, adoptie):
        assert any(m.onderwerp == "Zelfbeheer goedgekeurd" for m in mails_to(session, email))
    page = web.get(response.headers["location"], headers=HTML).text
    assert "De aanvraag is goedgekeurd." in page and "Schouw vastleggen" in page


def test_reject_needs_a_reason_next_to_its_field(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "aangevraagd")
    mails = scalar(session, "SELECT count(*) FROM mail_outbox")
    response = post(web, adoptie, "beoordelen", {"besluit": "afwijzen", "toelichting": "  "})
    assert response.status_code == 400
    assert 'id="foutoverzicht"' in response.text and 'href="#veld-toelichting"' in response.text
    assert re.search(r'id="veld-toelichting-fout">\s*<span class="visually-hidden">Fout: </span>'
                     r"Geef de reden van de afwijzing", response.text)
    assert status_van(session, adoptie) == "aangevraagd"
    assert audit(session, adoptie, "status:aangevraagd->afgewezen") == 0
    assert scalar(session, "SELECT count(*) FROM mail_outbox") == mails
    nothing = post(web, adoptie, "beoordelen", {"toelichting": "?"})
    assert nothing.status_code == 400 and 'id="veld-besluit-fout"' in nothing.text


def test_reject_with_a_reason(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "aangevraagd", 1)
    response = post(web, adoptie, "beoordelen", {"besluit": "afwijzen",
                                                 "toelichting": "Hier komt een fietspad."})
    assert response.status_code == 303
    assert status_van(session, adoptie) == "afgewezen"
    assert audit(session, adoptie, "status:aangevraagd->afgewezen") == 1
    trekker = leden(session, adoptie)[0]
    assert "Hier komt een fietspad." in mails_to(session, trekker)[-1].tekst
    again = post(web, adoptie, "beoordelen", {"besluit": "afwijzen", "toelichting": "x"})
    assert again.status_code == 409  # already decided: said on top, the form is gone
    assert "kan niet naar" in again.text and 'id="formulier-beoordelen"' not in again.text
    assert 'id="foutoverzicht"' not in again.text


def test_a_past_end_date_is_refused_next_to_the_field(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "aangevraagd")
    response = post(web, adoptie, "beoordelen", {"besluit": "goedkeuren",
                                                 "einddatum": date.today().isoformat()})
    assert response.status_code == 400 and 'id="veld-einddatum-fout"' in response.text
    garbage = post(web, adoptie, "beoordelen", {"besluit": "goedkeuren", "einddatum": "morgen"})
    assert garbage.status_code == 400 and 'id="veld-einddatum-fout"' in garbage.text
    assert status_van(session, adoptie) == "aangevraagd"


def test_end_a_running_adoptie(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "actief")
    refused = post(web, adoptie, "beeindigen", {"reden": ""})
    assert refused.status_code == 400 and 'id="veld-reden-fout"' in refused.text
    assert status_van(session, adoptie) == "actief"
    response = post(web, adoptie, "beeindigen", {"reden": "Het plantsoen wordt heringericht."})
    assert response.status_code == 303
    assert response.headers["location"].endswith("?melding=beeindigd")
    assert status_van(session, adoptie) == "beeindigd"
    assert scalar(session, "SELECT reden_beeindiging FROM adoptie WHERE id = :id",
                  id=adoptie) == "Het plantsoen wordt heringericht."
    assert audit(session, adoptie, "status:actief->beeindigd") == 1
    twice = post(web, adoptie, "beeindigen", {"reden": "Nog eens."})
    assert twice.status_code == 409 and "kan niet naar" in twice.text


def test_schouw_ok_and_schouw_that_ends(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "actief", 1)
    before = scalar(session, "SELECT count(*) FROM schouw WHERE adoptie_id = :id", id=adoptie)
    assert post(web, adoptie, "schouw", {"notitie": "?"}).status_code == 400
    ok = post(web, adoptie, "schouw", {"uitkomst": "ok", "notitie": "Netjes."})
    assert ok.status_code == 303 and ok.headers["location"].endswith("?melding=schouw")
    assert scalar(session, "SELECT count(*) FROM schouw WHERE adoptie_id = :id",
                  id=adoptie) == int(before) + 1  # type: ignore[call-overload]
    assert status_van(session, adoptie) == "actief"
    page = web.get(f"/beheer/adopties/{adoptie}", headers=HTML).text
    assert "Netjes." in page
    no_note = post(web, adoptie, "schouw", {"uitkomst": "beeindigen", "notitie": ""})
    assert no_note.status_code == 400 and 'id="veld-notitie-fout"' in no_note.text
    assert status_van(session, adoptie) == "actief"
    end = post(web, adoptie, "schouw", {"uitkomst": "beeindigen",
                                        "notitie": "Al maanden niet onderhouden."})
    assert end.status_code == 303 and end.headers["location"].endswith("schouw-beeindigd")
    assert status_van(session, adoptie) == "beeindigd"
    assert audit(session, adoptie, "status:actief->beeindigd") == 1
    assert scalar(session, """SELECT count(*) FROM audit_log WHERE actie = 'schouw:beeindigen'
                              AND na->>'adoptie_id' = :id""", id=str(adoptie)) == 1


def groenvak_status(session: Session, groenvak_id: int) -> str:
    return str(scalar(session, "SELECT status FROM groenvak_status WHERE groenvak_id = :id",
                      id=groenvak_id))


def test_mark_a_groenvak_suitable_or_not(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    plot = int(scalar(session, """SELECT groenvak_id FROM groenvak_status
                                  WHERE status = 'beschikbaar' ORDER BY groenvak_id
                                  LIMIT 1"""))  # type: ignore[call-overload]
    page = web.get(f"/beheer/groenvakken/{plot}", headers=HTML)
    assert page.status_code == 200 and 'data-testid="plotkaart"' in page.text
    action = f"/beheer/groenvakken/{plot}/geschiktheid"
    off = post_form(web, f"/beheer/groenvakken/{plot}", action, {"mogelijk": "nee"})
    assert off.status_code == 303
    assert off.headers["location"] == f"/beheer/groenvakken/{plot}?melding=niet-geschikt"
    assert groenvak_status(session, plot) == "niet_beschikbaar"
    on = post_form(web, f"/beheer/groenvakken/{plot}", action, {"mogelijk": "ja"})
    assert on.status_code == 303 and groenvak_status(session, plot) == "beschikbaar"
    assert scalar(session, """SELECT count(*) FROM audit_log WHERE object_type = 'groenvak'
                              AND object_id = :id""", id=str(plot)) == 2
    bad = post_form(web, f"/beheer/groenvakken/{plot}", action, {"mogelijk": "misschien"})
    assert bad.status_code == 400 and 'id="veld-mogelijk-fout"' in bad.text


def test_a_plot_in_use_stays_suitable(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "actief")
    plot = int(scalar(session, "SELECT groenvak_id FROM adoptie WHERE id = :id",
                      id=adoptie))  # type: ignore[call-overload]
    refused = post_form(web, f"/beheer/adopties/{adoptie}",
                        f"/beheer/groenvakken/{plot}/geschiktheid",
                        {"mogelijk": "nee", "adoptie_id": str(adoptie)})
    assert refused.status_code == 409
    assert 'id="veld-mogelijk-fout"' in refused.text and "rond die eerst af" in refused.text
    assert f'action="/beheer/adopties/{adoptie}/schouw"' in refused.text  # the adoptie page
    assert groenvak_status(session, plot) == "in_zelfbeheer"


STAFF_GETS = ["/beheer", "/beheer/aanvragen", "/beheer/adopties", "/beheer/adopties/{a}",
              "/beheer/groenvakken/{g}"]
STAFF_POSTS = [("/beheer/adopties/{a}/beoordelen", {"besluit": "afwijzen", "toelichting": "x"}),
               ("/beheer/adopties/{a}/beeindigen", {"reden": "x"}),
               ("/beheer/adopties/{a}/schouw", {"uitkomst": "ok"}),
               ("/beheer/groenvakken/{g}/geschiktheid", {"mogelijk": "nee"})]


def test_visitors_log_in_and_residents_are_refused(web: TestClient, session: Session) -> None:
    adoptie = adoptie_met(session, "aangevraagd")
    plot = scalar(session, "SELECT groenvak_id FROM adoptie WHERE id = :id", id=adoptie)
    for url in STAFF_GETS:
        path = url.format(a=adoptie, g=plot)
        anonymous = web.get(path, headers=HTML, follow_redirects=False)
        assert anonymous.status_code == 303, path
        assert anonymous.headers["location"].startswith("/inloggen?volgende=%2Fbeheer"), path
    als(web, session, BEWONER)
    for url in STAFF_GETS:
        refused = web.get(url.format(a=adoptie, g=plot), headers=HTML)
        assert refused.status_code == 403 and "alleen voor medewerkers" in refused.text
    token = csrf_of(web.get("/account", headers=HTML).text)
    for url, data in STAFF_POSTS:
        refused = web.post(url.format(a=adoptie, g=plot), data={**data, "csrf_token": token},
                           headers=HTML, follow_redirects=False)
        assert refused.status_code == 403, url
    assert status_van(session, adoptie) == "aangevraagd"
    assert groenvak_status(session, int(plot)) == "aangevraagd"  # type: ignore[call-overload]


def test_a_form_without_csrf_token_is_refused(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "aangevraagd")
    for token in ("", "vervalst"):
        response = web.post(f"/beheer/adopties/{adoptie}/beoordelen", headers=HTML,
                            data={"besluit": "goedkeuren", "csrf_token": token},
                            follow_redirects=False)
        assert response.status_code == 403
    assert status_van(session, adoptie) == "aangevraagd"


def test_filters_on_the_list_of_adopties(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    everything = web.get("/beheer/adopties", headers=HTML)
    assert everything.status_code == 200
    total = scalar(session, "SELECT count(*) FROM adoptie WHERE gemeente_code = :g", g=GEMEENTE)
    assert len(re.findall(r'data-adoptie="\d+"', everything.text)) == total
    wijk = str(scalar(session, """SELECT w.code FROM adoptie a JOIN groenvak g
                                  ON g.id = a.groenvak_id JOIN gebied w ON w.id = g.wijk_id
                                  WHERE a.status = 'actief' ORDER BY a.id LIMIT 1"""))
    page = web.get("/beheer/adopties", params={"wijk": wijk, "status": "actief"}, headers=HTML)
    expected = session.execute(text(
        """SELECT a.id FROM adoptie a JOIN groenvak g ON g.id = a.groenvak_id
            JOIN gebied w ON w.id = g.wijk_id WHERE w.code = :w AND a.status = 'actief'"""),
        {"w": wijk}).scalars().all()
    shown = [int(i) for i in re.findall(r'data-adoptie="(\d+)"', page.text)]
    assert expected and sorted(shown) == sorted(expected)
    assert f'<option value="{wijk}" selected>' in page.text
    bad_wijk = web.get("/beheer/adopties", params={"wijk": "WK000000"}, headers=HTML)
    assert bad_wijk.status_code == 400 and 'id="veld-wijk-fout"' in bad_wijk.text
    bad_status = web.get("/beheer/adopties", params={"status": "<b>x</b>"}, headers=HTML)
    assert bad_status.status_code == 400 and 'id="veld-status-fout"' in bad_status.text
    assert "<b>x</b>" not in bad_status.text


def test_messages_come_from_a_fixed_list(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    adoptie = adoptie_met(session, "actief")
    page = web.get(f"/beheer/adopties/{adoptie}", params={"melding": "<script>x</script>"},
                   headers=HTML)
    assert page.status_code == 200 and "<script>x</script>" not in page.text
    assert 'role="status"' not in page.text


def test_staff_of_another_gemeente_cannot_act_here(web: TestClient, session: Session) -> None:
    session.execute(text("INSERT INTO gemeente (code, naam) VALUES ('GM9902', 'Elders')"))
    ander = create_user(session, "GM9902", "medewerker@elders.example", "medewerker",
                        "Medewerker Elders", "een lange zin als wachtwoord", actor="test")
    sessie, cookie = auth_sessions.create_session(session, ander)
    session.commit()
    # This site serves GM9901, whose login form does not know the account; a session from
    # elsewhere (a shared database) must still open nothing here.
    web.cookies.set(SESSION_COOKIE, cookie)
    adoptie = adoptie_met(session, "aangevraagd")
    page = web.get(f"/beheer/adopties/{adoptie}", headers=HTML)
    assert page.status_code == 403 and "andere gemeente" in page.text
    assert web.get("/beheer/aanvragen", headers=HTML).status_code == 403
    refused = web.post(f"/beheer/adopties/{adoptie}/beoordelen", headers=HTML,
                       data={"besluit": "goedkeuren", "csrf_token": sessie.csrf_token},
                       follow_redirects=False)
    assert refused.status_code == 403
    assert status_van(session, adoptie) == "aangevraagd"

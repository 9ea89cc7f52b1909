"""Resident accounts through the real app and PostGIS: register, login, reset, e-mail change,
export, delete, CSRF and the role dependencies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app import secret_key
from app.api.account.auth import CsrfProtect, RequireStaff, RequireUser
from app.config import Settings
from app.models import AuditLog, Deelname, Gebruiker, Sessie, Token, Voorstel
from app.models.base import now
from app.services.demo.adopties import BEWONER, HUISHOUDENS, MEDEWERKER
from tests.api.account_helpers import (
    GEMEENTE,
    HTML,
    PASSWORD,
    cookie_header,
    csrf_of,
    link_in,
    login,
    mails_to,
    make_client,
    post_form,
    resident,
)
from tests.conftest import scalar

NEW = "nieuw.bewoner@voorbeeld.nl"


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    """Like conftest's `client`, with accounts wired in before the app starts."""
    with make_client(settings, db_url, session) as client:
        yield client


def register(web: TestClient, email: str = NEW, password: str = PASSWORD,
             naam: str = "Nieuwe Bewoner") -> Response:
    return post_form(web, "/registreren", "/registreren",
                     {"naam": naam, "email": email, "wachtwoord": password})


def test_register_verify_login_logout(web: TestClient, session: Session) -> None:
    response = register(web)
    assert response.status_code == 200
    assert "Controleer uw e-mail" in response.text
    [mail] = mails_to(session, NEW)
    link = link_in(mail, "/account/bevestigen/")
    user = session.exec(select(Gebruiker).where(Gebruiker.email == NEW)).one()
    assert user.rol == "bewoner" and user.email_geverifieerd_op is None
    assert user.wachtwoord_hash and user.wachtwoord_hash.startswith("$argon2id$")
    token_plain = link.rsplit("/", 1)[1]
    assert scalar(session, "SELECT count(*) FROM token WHERE token_hash = :t", t=token_plain) == 0

    refused = login(web, NEW)
    assert refused.status_code == 400
    assert "nog niet bevestigd" in refused.text
    assert 'action="/account/bevestiging-opnieuw"' in refused.text
    assert "kaart_sessie" not in refused.headers.get("set-cookie", "")

    assert web.get(link, headers=HTML).status_code == 200
    assert web.get(link, headers=HTML).status_code == 400  # single use

    response = login(web, NEW, volgende="/account")
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    cookie = cookie_header(response, "kaart_sessie")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http in this test
    value = web.cookies["kaart_sessie"]
    assert scalar(session, "SELECT count(*) FROM sessie WHERE id = :v", v=value) == 0

    page = web.get("/account", headers=HTML)
    assert page.status_code == 200
    assert "Nieuwe Bewoner" in page.text and NEW in page.text
    assert page.headers["cache-control"] == "no-store"

    out = web.post("/uitloggen", data={"csrf_token": csrf_of(page.text)},
                   follow_redirects=False)
    assert out.status_code == 303
    assert 'kaart_sessie=""' in cookie_header(out, "kaart_sessie")
    assert scalar(session, "SELECT count(*) FROM sessie WHERE gebruiker_id = :u", u=user.id) == 0
    again = web.get("/account", headers=HTML, follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == "/inloggen?volgende=%2Faccount"


def test_session_cookie_is_secure_on_https(settings: Settings, db_url: str,
                                           session: Session) -> None:
    resident(session, "https@voorbeeld.nl")
    with make_client(settings, db_url, session, base_url="https://testserver") as client:
        cookie = cookie_header(login(client, "https@voorbeeld.nl"), "kaart_sessie")
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_register_shows_every_error_next_to_its_field(web: TestClient, session: Session) -> None:
    response = register(web, email="geen-adres", password="kort", naam="")
    assert response.status_code == 400
    for veld in ("naam", "email", "wachtwoord"):
        assert f'id="veld-{veld}-fout"' in response.text
        assert f'aria-describedby="veld-{veld}' in response.text
    assert "minstens 12 tekens" in response.text
    assert 'value="geen-adres"' in response.text
    same = register(web, password=NEW)
    assert same.status_code == 400 and "niet hetzelfde zijn als uw e-mailadres" in same.text
    assert NEW not in same.text.split('name="wachtwoord"')[1].split(">")[0]
    assert scalar(session, "SELECT count(*) FROM gebruiker WHERE email = :e", e=NEW) == 0


def test_register_with_a_taken_address_answers_the_same(web: TestClient,
                                                         session: Session) -> None:
    before = scalar(session, "SELECT count(*) FROM gebruiker")
    response = register(web, email=BEWONER)
    assert response.status_code == 200 and "Controleer uw e-mail" in response.text
    assert scalar(session, "SELECT count(*) FROM gebruiker") == before
    [mail] = mails_to(session, BEWONER)
    assert "Er is al een account" in mail.onderwerp


def test_wrong_password_and_unknown_address_look_the_same(web: TestClient,
                                                          session: Session) -> None:
    resident(session, "iemand@voorbeeld.nl")
    wrong = login(web, "iemand@voorbeeld.nl", "verkeerd wachtwoord")
    unknown = login(web, "niemand@voorbeeld.nl", "verkeerd wachtwoord")
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "Het e-mailadres of het wachtwoord klopt niet." in response.text
        assert "verkeerd wachtwoord" not in response.text
    assert 'value="iemand@voorbeeld.nl"' in wrong.text


def test_password_reset_flow(web: TestClient, session: Session) -> None:
    user = resident(session, "vergeetachtig@voorbeeld.nl")
    assert login(web, user.email).status_code == 303
    known = post_form(web, "/wachtwoord-vergeten", "/wachtwoord-vergeten", {"email": user.email})
    unknown = post_form(web, "/wachtwoord-vergeten", "/wachtwoord-vergeten",
                        {"email": "onbekend@voorbeeld.nl"})
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace(user.email, "X") == unknown.text.replace("onbekend@voorbeeld.nl", "X")
    assert mails_to(session, "onbekend@voorbeeld.nl") == []
    link = link_in(mails_to(session, user.email)[-1], "/wachtwoord-herstellen/")

    assert web.get(link, headers=HTML).status_code == 200
    weak = post_form(web, link, link, {"wachtwoord": "kort"})
    assert weak.status_code == 400 and "minstens 12 tekens" in weak.text
    done = post_form(web, link, link, {"wachtwoord": "een nieuw en lang wachtwoord"})
    assert done.status_code == 200 and "Wachtwoord gewijzigd" in done.text
    assert scalar(session, "SELECT count(*) FROM sessie WHERE gebruiker_id = :u", u=user.id) == 0
    assert web.get(link, headers=HTML).status_code == 400  # used
    assert login(web, user.email).status_code == 400
    assert login(web, user.email, "een nieuw en lang wachtwoord").status_code == 303
    assert "gewijzigd" in mails_to(session, user.email)[-1].onderwerp


def test_password_reset_link_expires(web: TestClient, session: Session) -> None:
    user = resident(session, "traag@voorbeeld.nl")
    post_form(web, "/wachtwoord-vergeten", "/wachtwoord-vergeten", {"email": user.email})
    link = link_in(mails_to(session, user.email)[-1], "/wachtwoord-herstellen/")
    token = session.exec(select(Token).where(Token.gebruiker_id == user.id)).one()
    assert timedelta(minutes=59) < token.verloopt_op - token.aangemaakt_op <= timedelta(hours=1)
    token.verloopt_op = now() - timedelta(seconds=1)
    session.add(token)
    session.flush()
    page = web.get(link, headers=HTML)
    assert page.status_code == 400 and "verlopen" in page.text


def test_email_change_is_confirmed_by_the_new_address(web: TestClient, session: Session) -> None:
    user = resident(session, "oud@voorbeeld.nl")
    login(web, user.email)
    wrong = post_form(web, "/account", "/account/email",
                      {"nieuw_email": "nieuw@voorbeeld.nl", "wachtwoord": "niet goed genoeg"})
    assert wrong.status_code == 400 and "Het wachtwoord klopt niet." in wrong.text
    asked = post_form(web, "/account", "/account/email",
                      {"nieuw_email": "nieuw@voorbeeld.nl", "wachtwoord": PASSWORD})
    assert asked.status_code == 200 and "nieuw@voorbeeld.nl" in asked.text
    session.refresh(user)
    assert user.email == "oud@voorbeeld.nl"
    link = link_in(mails_to(session, "nieuw@voorbeeld.nl")[-1], "/account/email/bevestigen/")
    assert web.get(link, headers=HTML).status_code == 200
    session.refresh(user)
    assert user.email == "nieuw@voorbeeld.nl"
    assert "gewijzigd" in mails_to(session, "oud@voorbeeld.nl")[-1].onderwerp
    assert web.get(link, headers=HTML).status_code == 400
    web.cookies.clear()
    assert login(web, "nieuw@voorbeeld.nl").status_code == 303


def test_export_holds_my_data_and_nobody_elses(web: TestClient, session: Session) -> None:
    user = resident(session, BEWONER)
    other = resident(session, HUISHOUDENS[0])
    session.add(Voorstel(gemeente_code=GEMEENTE, soort="nieuw", gebruiker_id=user.id,
                         gegevens={"naam": "Mijn voorstel"}))
    session.add(Voorstel(gemeente_code=GEMEENTE, soort="nieuw", gebruiker_id=other.id,
                         gegevens={"naam": "Ander voorstel"}))
    session.flush()
    login(web, BEWONER)
    response = web.get("/account/gegevens.json")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    data = response.json()
    assert data["account"]["email"] == BEWONER
    assert {v["gegevens"]["naam"] for v in data["voorstellen"]} == {"Mijn voorstel"}
    assert data["deelnames"] and data["adopties"] and data["onderhoud"]
    mine = set(session.exec(select(Deelname.adoptie_id).where(Deelname.gebruiker_id == user.id)))
    assert {a["id"] for a in data["adopties"]} == mine
    assert all(a["groenvak"]["extern_id"] for a in data["adopties"])
    text = json.dumps(data)
    assert "Ander voorstel" not in text and "Demohuishouden" not in text
    assert not any(address in text for address in HUISHOUDENS)


def test_delete_account_anonymises_and_keeps_a_trace(web: TestClient, session: Session) -> None:
    user = resident(session, BEWONER)
    uid, naam = user.id, user.naam
    groups = scalar(session, "SELECT count(*) FROM deelname WHERE gebruiker_id = :u", u=uid)
    assert groups and naam
    login(web, BEWONER)
    wrong = post_form(web, "/account", "/account/verwijderen", {"wachtwoord": "dit is het niet"})
    assert wrong.status_code == 400 and "Het wachtwoord klopt niet." in wrong.text
    done = post_form(web, "/account", "/account/verwijderen", {"wachtwoord": PASSWORD})
    assert done.status_code == 200 and "Account verwijderd" in done.text
    assert 'kaart_sessie=""' in cookie_header(done, "kaart_sessie")

    session.expire_all()
    gone = session.get(Gebruiker, uid)
    assert gone is not None
    assert (gone.email, gone.naam, gone.wachtwoord_hash, gone.actief) == (
        f"verwijderd-{uid}@verwijderd.invalid", "", None, False)
    assert scalar(session, "SELECT count(*) FROM gebruiker WHERE lower(email) = :e OR naam = :n",
                  e=BEWONER, n=naam) == 0
    assert scalar(session, "SELECT count(*) FROM deelname WHERE gebruiker_id = :u", u=uid) == groups
    assert scalar(session, "SELECT count(*) FROM deelname WHERE gebruiker_id = :u "
                           "AND status <> 'vertrokken'", u=uid) == 0
    for table in ("sessie", "token"):
        assert scalar(session, f"SELECT count(*) FROM {table} WHERE gebruiker_id = :u", u=uid) == 0
    assert scalar(session, "SELECT count(*) FROM mail_outbox WHERE lower(aan) = :e",
                  e=BEWONER) == 0
    rows = session.exec(select(AuditLog).where(AuditLog.actor == f"gebruiker:{uid}")).all()
    assert {r.actie for r in rows} >= {"verwijderd", "vertrokken"}
    assert not any(BEWONER in json.dumps([r.voor, r.na]) or naam in json.dumps([r.voor, r.na])
                   for r in rows)
    web.cookies.clear()
    assert login(web, BEWONER).status_code == 400


def test_staff_cannot_delete_their_own_account_here(web: TestClient, session: Session) -> None:
    resident(session, MEDEWERKER)
    login(web, MEDEWERKER)
    response = post_form(web, "/account", "/account/verwijderen", {"wachtwoord": PASSWORD})
    assert response.status_code == 403
    assert scalar(session, "SELECT actief FROM gebruiker WHERE email = :e", e=MEDEWERKER) is True


def test_csrf_is_required_on_every_post(web: TestClient, session: Session) -> None:
    resident(session, "csrf@voorbeeld.nl")
    form = {"email": "csrf@voorbeeld.nl", "wachtwoord": PASSWORD}
    missing = web.post("/inloggen", data=form, headers=HTML)
    assert missing.status_code == 403
    assert "Uw formulier is verlopen; laad de pagina opnieuw." in missing.text
    anonymous = csrf_of(web.get("/inloggen").text)  # also sets the kaart_csrf cookie
    forged = web.post("/inloggen", data={**form, "csrf_token": "0" * 64})
    assert forged.status_code == 403
    by_header = web.post("/wachtwoord-vergeten", data={"email": "x@voorbeeld.nl"},
                         headers={"X-CSRF-Token": anonymous, "HX-Request": "true"})
    assert by_header.status_code == 200
    assert login(web, "csrf@voorbeeld.nl").status_code == 303

    page = web.get("/account", headers=HTML).text
    assert web.post("/uitloggen", data={"csrf_token": "verkeerd"}).status_code == 403
    htmx = web.post("/uitloggen", headers={"X-CSRF-Token": csrf_of(page), "HX-Request": "true"},
                    follow_redirects=False)
    assert htmx.status_code == 303


def test_an_anonymous_token_only_works_with_its_own_cookie(settings: Settings, db_url: str,
                                                           session: Session) -> None:
    with make_client(settings, db_url, session) as attacker, \
            make_client(settings, db_url, session) as victim:
        token = csrf_of(attacker.get("/inloggen").text)
        victim.get("/inloggen")
        response = victim.post("/wachtwoord-vergeten",
                               data={"email": "x@voorbeeld.nl", "csrf_token": token})
    assert response.status_code == 403


def test_only_same_site_paths_after_login(web: TestClient, session: Session) -> None:
    resident(session, "volgende@voorbeeld.nl")
    for target, expected in (("//evil.example/x", "/account"),
                             ("https://evil.example/", "/account"),
                             ("/\\evil.example", "/account"),
                             ("/zelfbeheer?wijk=1", "/zelfbeheer?wijk=1")):
        web.cookies.clear()
        response = login(web, "volgende@voorbeeld.nl", volgende=target)
        assert response.headers["location"] == expected, target


def test_require_user_and_staff(web: TestClient, session: Session) -> None:
    test_router = APIRouter()

    @test_router.get("/test/medewerkers")
    def staff_only(user: RequireStaff) -> dict[str, str]:
        return {"rol": user.rol}

    @test_router.post("/test/actie", dependencies=[CsrfProtect])
    def action(user: RequireUser) -> dict[str, bool]:
        return {"ok": True}

    web.app.include_router(test_router)  # type: ignore[attr-defined]
    anonymous = web.get("/test/medewerkers", headers=HTML, follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/inloggen?volgende=%2Ftest%2Fmedewerkers"
    htmx = web.get("/test/medewerkers", headers={"HX-Request": "true",
                                                 "HX-Current-URL": "http://testserver/kaart"})
    assert htmx.status_code == 401 and htmx.headers["hx-redirect"] == "/inloggen?volgende=%2Fkaart"

    resident(session, "gewoon@voorbeeld.nl")
    login(web, "gewoon@voorbeeld.nl")
    refused = web.get("/test/medewerkers", headers=HTML)
    assert refused.status_code == 403
    assert "alleen voor medewerkers" in refused.text and "<html" in refused.text
    token = csrf_of(web.get("/account", headers=HTML).text)
    assert web.post("/test/actie", headers={"X-CSRF-Token": token}).json() == {"ok": True}

    web.cookies.clear()
    resident(session, MEDEWERKER)
    login(web, MEDEWERKER)
    assert web.get("/test/medewerkers").json() == {"rol": "medewerker"}


def test_sessions_slide_and_expire(web: TestClient, session: Session) -> None:
    user = resident(session, "glijdend@voorbeeld.nl")
    login(web, user.email)
    sessie = session.exec(select(Sessie).where(Sessie.gebruiker_id == user.id)).one()
    sessie.laatst_gezien_op = now() - timedelta(days=13)
    sessie.verloopt_op = now() + timedelta(days=1)
    session.add(sessie)
    session.flush()
    response = web.get("/account", headers=HTML)
    assert response.status_code == 200
    assert "Max-Age=1209600" in cookie_header(response, "kaart_sessie")
    session.refresh(sessie)
    assert sessie.verloopt_op > now() + timedelta(days=13)

    sessie.verloopt_op = now() - timedelta(seconds=1)
    session.add(sessie)
    session.flush()
    expired = web.get("/account", headers=HTML, follow_redirects=False)
    assert expired.status_code == 303
    assert 'kaart_sessie=""' in cookie_header(expired, "kaart_sessie")


def test_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / secret_key.FILE_NAME
    first = secret_key.load_or_create(path)
    assert len(first) >= 60
    assert secret_key.load_or_create(path) == first
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == [secret_key.FILE_NAME]

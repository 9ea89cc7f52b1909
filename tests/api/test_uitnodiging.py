"""The neighbour's invitation: a mail with context, a public page behind the link that a mail
scanner cannot answer, and "Doe mee" that survives logging in or registering."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
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

A, B = "uitnodiger@voorbeeld.example", "buur@voorbeeld.example"
GROEP = "Vrienden van het Lindeplein"


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def free_plot(session: Session) -> int:
    return int(scalar(session, """SELECT groenvak_id FROM groenvak_status s
        JOIN groenvak g ON g.id = s.groenvak_id WHERE s.status = 'beschikbaar'
        AND g.plaatsnaam IS NOT NULL AND g.oppervlakte_m2 < 400 ORDER BY groenvak_id LIMIT 1"""))


def invite(web: TestClient, session: Session, mede: str = B) -> tuple[int, str]:
    """Resident A applies for a plot and invites B; returns the plot and the link's path."""
    resident(session, A, "Anna Uitnodiger")
    plot = free_plot(session)
    login(web, A)
    form = f"/zelfbeheer/groenvak/{plot}/aanvragen"
    done = post_form(web, form, form, {"groepsnaam": GROEP, "voorwaarden": "ja",
                                       "mede_aanvragers": mede})
    assert done.status_code == 303, done.text
    web.cookies.clear()
    path = link_in(mails_to(session, B)[-1], "/uitnodiging/") if mede else ""
    return plot, path


def token_used(session: Session, path: str) -> bool:
    return bool(scalar(session, """SELECT t.gebruikt_op IS NOT NULL FROM token t
        WHERE t.soort = 'uitnodiging'
          AND t.token_hash = encode(sha256(CAST(:t AS bytea)), 'hex')""",
                       t=path.rsplit("/", 1)[1]))


def test_the_mail_names_the_group_the_place_and_the_deadline(web: TestClient,
                                                             session: Session) -> None:
    plot, _ = invite(web, session)
    mail = mails_to(session, B)[-1]
    plaats = str(scalar(session, "SELECT plaatsnaam FROM groenvak WHERE id = :p", p=plot))
    deadline = scalar(session, "SELECT to_char(now() + interval '14 days', 'DD-MM-YYYY')")
    assert GROEP in mail.tekst and plaats in mail.tekst and plaats in mail.onderwerp
    assert f"geldig tot en met {deadline}" in mail.tekst
    assert A not in mail.tekst and "Anna" not in mail.tekst
    assert "/uitnodiging/" in mail.tekst


def test_the_page_is_public_shows_the_context_and_reading_uses_nothing(
        web: TestClient, session: Session) -> None:
    plot, path = invite(web, session)
    page = web.get(path, headers=HTML)
    assert page.status_code == 200
    plaats = str(scalar(session, "SELECT plaatsnaam FROM groenvak WHERE id = :p", p=plot))
    assert GROEP in page.text and plaats in page.text and "data-kaart=" in page.text
    assert "bestrijdingsmiddelen" in page.text  # the conditions in full
    assert "Doe mee" in page.text and "Nee, liever niet" in page.text
    assert "Anna" not in page.text and A not in page.text and B not in page.text
    assert page.headers["cache-control"] == "private, no-store"
    assert web.head(path).status_code == 200
    assert not token_used(session, path)  # scanners opened it: still open


def test_doe_mee_logged_out_logs_in_and_joins_in_one_go(web: TestClient,
                                                        session: Session) -> None:
    _, path = invite(web, session)
    resident(session, B, "Bert Buur")
    page = web.get(path, headers=HTML).text
    start = web.post(path, data={"keuze": "ja", "csrf_token": csrf_of(page)}, headers=HTML,
                     follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"].startswith("/inloggen?")
    volgende = unquote(start.headers["location"].split("volgende=", 1)[1])
    assert volgende == f"{path}?meedoen=ja"
    assert not token_used(session, path)
    form = web.get(start.headers["location"], headers=HTML).text
    assert f'name="volgende" value="{path}?meedoen=ja"' in form
    done = login(web, B, volgende=volgende)
    assert done.status_code == 303 and done.headers["location"] == "/mijn-groen?melding=uitnodiging"
    assert scalar(session, """SELECT d.status FROM deelname d JOIN gebruiker u
        ON u.id = d.gebruiker_id WHERE u.email = :e""", e=B) == "actief"
    assert token_used(session, path)


def test_registering_from_the_invitation_comes_back_to_it(web: TestClient,
                                                          session: Session) -> None:
    _, path = invite(web, session)
    volgende = f"{path}?meedoen=ja"
    login_page = web.get(f"/inloggen?volgende={volgende.replace('?', '%3F').replace('=', '%3D')}",
                         headers=HTML).text
    register_link = re.search(r'href="(/registreren\?volgende=[^"]+)"', login_page)
    assert register_link, "the login page's register link loses the way back"
    form = register_link.group(1).replace("&amp;", "&")
    nieuw = "nieuwe.buur@voorbeeld.example"
    made = post_form(web, form, "/registreren", {"naam": "Nieuwe Buur", "email": nieuw,
                                                 "wachtwoord": "een lange zin als wachtwoord",
                                                 "volgende": volgende})
    assert made.status_code == 200, made.text
    confirm = re.search(r"https?://[^\s/]+(/account/bevestigen/\S+)",
                        mails_to(session, nieuw)[-1].tekst)
    assert confirm and "volgende=" in confirm.group(1)
    confirmed = web.get(confirm.group(1), headers=HTML).text
    back = re.search(r'href="(/inloggen\?volgende=[^"]+)"', confirmed)
    assert back and unquote(back.group(1).split("=", 1)[1]) == volgende
    done = login(web, nieuw, volgende=volgende)
    assert done.headers["location"] == "/mijn-groen?melding=uitnodiging"


def test_declining_needs_no_account_and_tells_the_contact_person(web: TestClient,
                                                                 session: Session) -> None:
    _, path = invite(web, session)
    before = len(mails_to(session, A))
    page = web.get(path, headers=HTML).text
    declined = web.post(path, data={"keuze": "nee", "csrf_token": csrf_of(page)}, headers=HTML,
                        follow_redirects=False)
    assert declined.status_code == 303
    assert token_used(session, path)
    told = mails_to(session, A)[before:]
    assert [m.onderwerp for m in told] == ["Uitnodiging afgeslagen"] and GROEP in told[0].tekst
    after = web.get(declined.headers["location"], headers=HTML).text
    assert "U heeft de uitnodiging afgeslagen" in after and "Doe mee" not in after
    no_csrf = web.post(path, data={"keuze": "nee"}, headers=HTML)
    assert no_csrf.status_code == 403


def test_a_foreign_next_is_ignored_and_staff_land_on_beheer(web: TestClient,
                                                            session: Session) -> None:
    resident(session, A)
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        assert login(web, A, volgende=evil).headers["location"] == "/account"
        web.cookies.clear()
    resident(session, "medewerker.test@voorbeeld.example", rol="medewerker")
    assert login(web, "medewerker.test@voorbeeld.example").headers["location"] == "/beheer"


def test_one_missing_household_is_singular(web: TestClient, session: Session) -> None:
    invite(web, session, mede="")
    mail = mails_to(session, A)[-1]
    assert "er moet nog 1 huishouden meedoen" in mail.tekst
    assert "2 huishoudens per aanvraag" in mail.tekst

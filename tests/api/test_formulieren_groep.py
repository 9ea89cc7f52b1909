"""The button-only forms of a group (let a neighbour in, withdraw, leave, answer an invitation):
a refused one, or one without a clear choice, says why in the focusable summary at the top and
changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from tests.api.account_helpers import HTML, csrf_of, login, mails_to, make_client, resident
from tests.api.test_formulieren_beheer import refusal
from tests.api.test_uitnodiging import A, B, invite, token_used
from tests.conftest import scalar

D = "aansluiter@voorbeeld.example"


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def als(web: TestClient, session: Session, email: str) -> str:
    """Log in (as the only user of this client); the CSRF token of Mijn groen."""
    web.cookies.clear()
    resident(session, email)
    assert login(web, email).status_code == 303
    return csrf_of(web.get("/account", headers=HTML).text)


def press(web: TestClient, token: str, action: str, **data: str):  # type: ignore[no-untyped-def]
    return web.post(action, data={**data, "csrf_token": token}, headers=HTML,
                    follow_redirects=False)


def adoptie_van(session: Session, email: str) -> int:
    return int(scalar(session, "SELECT d.adoptie_id FROM deelname d JOIN gebruiker u "  # type: ignore[call-overload]
                               "ON u.id = d.gebruiker_id WHERE u.email = :e "
                               "ORDER BY d.id DESC LIMIT 1", e=email))


def deelname_status(session: Session, email: str) -> str:
    return str(scalar(session, "SELECT d.status FROM deelname d JOIN gebruiker u "
                               "ON u.id = d.gebruiker_id WHERE u.email = :e "
                               "ORDER BY d.id DESC LIMIT 1", e=email))


def test_beslissen_without_a_choice_or_by_a_member_decides_nothing(web: TestClient,
                                                                   session: Session) -> None:
    adoptie, trekker = session.connection().exec_driver_sql(
        "SELECT a.id, u.email FROM adoptie a JOIN deelname d ON d.adoptie_id = a.id "
        "AND d.rol = 'trekker' JOIN gebruiker u ON u.id = d.gebruiker_id "
        "WHERE a.status = 'actief' ORDER BY a.id LIMIT 1").one()
    token = als(web, session, D)
    assert press(web, token, f"/zelfbeheer/adoptie/{adoptie}/aansluiten").status_code == 303
    deelname = int(scalar(session, "SELECT d.id FROM deelname d JOIN gebruiker u "  # type: ignore[call-overload]
                                   "ON u.id = d.gebruiker_id WHERE u.email = :e", e=D))
    pad = f"/mijn-groen/deelnames/{deelname}/beslissen"
    token = als(web, session, str(trekker))
    no_choice = press(web, token, pad)  # e.g. a form sent with Enter, no button
    assert no_choice.status_code == 400
    assert refusal(no_choice.text) == "Kies ‘Toelaten’ of ‘Afwijzen’."
    assert "wil meedoen" in no_choice.text  # the request is still there to decide on
    unknown = press(web, token, pad, keuze="misschien")
    assert unknown.status_code == 400 and refusal(unknown.text)
    assert deelname_status(session, D) == "aangevraagd" and mails_to(session, D) == []
    token = als(web, session, D)
    own = press(web, token, pad, keuze="ja")  # the one who asked cannot let himself in
    assert own.status_code == 403 and refusal(own.text) == \
        "Alleen de contactpersoon van deze groep mag dit."
    assert deelname_status(session, D) == "aangevraagd"


def test_intrekken_twice_or_by_someone_else_changes_nothing(web: TestClient,
                                                            session: Session) -> None:
    invite(web, session)
    adoptie = adoptie_van(session, A)
    pad = f"/mijn-groen/adopties/{adoptie}/intrekken"
    token = als(web, session, B)  # invited, not yet a member
    stranger = press(web, token, pad)
    assert stranger.status_code == 403 and refusal(stranger.text)
    assert scalar(session, "SELECT status FROM adoptie WHERE id = :i", i=adoptie) == "concept"
    token = als(web, session, A)
    assert press(web, token, pad).status_code == 303
    told = len(mails_to(session, B))
    twice = press(web, token, pad)  # from a tab that still showed the button
    assert twice.status_code == 409 and "ingetrokken" in refusal(twice.text)
    assert scalar(session, "SELECT status FROM adoptie WHERE id = :i", i=adoptie) \
        == "ingetrokken"
    assert len(mails_to(session, B)) == told


def test_verlaten_by_the_contact_person_or_twice_changes_nothing(web: TestClient,
                                                                 session: Session) -> None:
    _, path = invite(web, session)
    adoptie = adoptie_van(session, A)
    token = als(web, session, B)
    assert press(web, token, path, keuze="ja").status_code == 303
    pad = f"/mijn-groen/adopties/{adoptie}/verlaten"
    token = als(web, session, A)
    trekker = press(web, token, pad)
    assert trekker.status_code == 409
    assert refusal(trekker.text).startswith("Maak eerst een ander lid contactpersoon")
    assert deelname_status(session, A) == "actief"
    token = als(web, session, B)
    assert press(web, token, pad).status_code == 303
    twice = press(web, token, pad)
    assert twice.status_code == 403 and refusal(twice.text) == "U bent geen lid van deze groep."
    assert deelname_status(session, B) == "vertrokken"


def test_an_invitation_answered_without_a_choice_or_by_staff_stays_open(
        web: TestClient, session: Session) -> None:
    _, path = invite(web, session)
    token = als(web, session, B)
    empty = press(web, token, path)
    assert empty.status_code == 400
    assert refusal(empty.text) == "Kies ‘Doe mee’ of ‘Nee, liever niet’."
    assert 'data-testid="antwoord"' in empty.text  # the buttons are still there
    resident(session, "medewerker.uitnodiging@voorbeeld.example", rol="medewerker")
    token = als(web, session, "medewerker.uitnodiging@voorbeeld.example")
    staff = press(web, token, path, keuze="ja")
    assert staff.status_code >= 400 and refusal(staff.text)
    assert not token_used(session, path)
    assert scalar(session, "SELECT count(*) FROM deelname d JOIN gebruiker u "
                           "ON u.id = d.gebruiker_id WHERE u.email = :e", e=B) == 0

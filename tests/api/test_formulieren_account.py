"""Account forms say everything at once, keep what was typed (never a password) and give the
message that fits an empty field; a refused button-only form puts its reason in the focusable
summary."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.services.accounts.recovery import request_password_reset
from tests.api.account_helpers import (
    GEMEENTE,
    HTML,
    PASSWORD,
    csrf_of,
    login,
    make_client,
    post_form,
    resident,
)
from tests.api.test_formulieren_zelfbeheer import summary
from tests.conftest import scalar


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def no_password_echoed(page: str) -> None:
    assert not re.search(r'type="password"[^>]*value=', page)


def test_register_empty_says_every_field_and_keeps_the_rest(web: TestClient) -> None:
    empty = post_form(web, "/registreren", "/registreren",
                      {"naam": "", "email": "", "wachtwoord": ""})
    assert empty.status_code == 400
    assert summary(empty.text) == ["veld-naam", "veld-email", "veld-wachtwoord"]
    text = unescape(empty.text)
    assert "Vul uw naam in." in text and "Vul uw e-mailadres in." in text
    assert "Vul een wachtwoord in." in text and "minstens" not in text.split("Vul een")[0]
    kept = post_form(web, "/registreren", "/registreren",
                     {"naam": "Ans de Vries", "email": "ans@", "wachtwoord": "kort"})
    assert summary(kept.text) == ["veld-email", "veld-wachtwoord"]
    assert 'value="Ans de Vries"' in kept.text and 'value="ans@"' in kept.text
    no_password_echoed(kept.text)


def test_login_empty_names_both_fields(web: TestClient, session: Session) -> None:
    empty = post_form(web, "/inloggen", "/inloggen", {"email": "", "wachtwoord": ""})
    assert empty.status_code == 400
    assert summary(empty.text) == ["veld-email", "veld-wachtwoord"]
    assert "Vul uw e-mailadres in." in unescape(empty.text)
    assert "Vul uw wachtwoord in." in unescape(empty.text)
    only_mail = post_form(web, "/inloggen", "/inloggen",
                          {"email": "iemand@voorbeeld.example", "wachtwoord": ""})
    assert summary(only_mail.text) == ["veld-wachtwoord"]
    assert 'value="iemand@voorbeeld.example"' in only_mail.text
    no_password_echoed(only_mail.text)


@pytest.mark.parametrize("pad", ["/wachtwoord-vergeten", "/account/bevestiging-opnieuw"])
def test_one_address_forms_say_empty_and_wrong_and_keep_it(web: TestClient, pad: str) -> None:
    empty = post_form(web, pad, pad, {"email": ""})
    assert empty.status_code == 400 and summary(empty.text) == ["veld-email"]
    assert "Vul uw e-mailadres in." in unescape(empty.text)
    wrong = post_form(web, pad, pad, {"email": "geen-adres"})
    assert summary(wrong.text) == ["veld-email"] and 'value="geen-adres"' in wrong.text


def test_new_password_form_says_empty_and_short(web: TestClient, session: Session) -> None:
    user = resident(session, "herstel.formulier@voorbeeld.example")
    token = request_password_reset(session, GEMEENTE, user.email, "http://testserver")
    assert token
    pad = f"/wachtwoord-herstellen/{token}"
    empty = post_form(web, pad, pad, {"wachtwoord": ""})
    assert empty.status_code == 400 and summary(empty.text) == ["veld-wachtwoord"]
    assert "Vul een wachtwoord in." in unescape(empty.text)
    short = post_form(web, pad, pad, {"wachtwoord": "kort"})
    assert "minstens 12 tekens" in short.text
    no_password_echoed(short.text)


def test_change_email_checks_address_and_password_together(web: TestClient,
                                                           session: Session) -> None:
    resident(session, "wijzig.formulier@voorbeeld.example")
    login(web, "wijzig.formulier@voorbeeld.example")
    empty = post_form(web, "/account", "/account/email", {"nieuw_email": "", "wachtwoord": ""})
    assert empty.status_code == 400
    assert summary(empty.text) == ["veld-nieuw-email", "email-wachtwoord"]
    assert "Vul uw e-mailadres in." in unescape(empty.text)
    assert "Vul uw huidige wachtwoord in." in unescape(empty.text)
    both = post_form(web, "/account", "/account/email",
                     {"nieuw_email": "nieuw@", "wachtwoord": "fout wachtwoord hier"})
    assert summary(both.text) == ["veld-nieuw-email", "email-wachtwoord"]
    assert "Het wachtwoord klopt niet." in both.text and 'value="nieuw@"' in both.text
    no_password_echoed(both.text)
    ok = post_form(web, "/account", "/account/email",
                   {"nieuw_email": "nieuw.adres@voorbeeld.example", "wachtwoord": PASSWORD})
    assert ok.status_code == 200 and "foutoverzicht" not in ok.text


def test_delete_account_with_an_empty_password_says_so(web: TestClient,
                                                       session: Session) -> None:
    resident(session, "weg.formulier@voorbeeld.example")
    login(web, "weg.formulier@voorbeeld.example")
    empty = post_form(web, "/account", "/account/verwijderen", {"wachtwoord": ""})
    assert empty.status_code == 400 and summary(empty.text) == ["verwijder-wachtwoord"]
    assert "Vul uw wachtwoord in." in unescape(empty.text)
    assert scalar(session, "SELECT actief FROM gebruiker WHERE email = :e",
                  e="weg.formulier@voorbeeld.example") is True


def test_logout_without_a_valid_form_changes_nothing(web: TestClient, session: Session) -> None:
    resident(session, "uit.formulier@voorbeeld.example")
    login(web, "uit.formulier@voorbeeld.example")
    forged = web.post("/uitloggen", data={"csrf_token": "vervalst"}, headers=HTML,
                      follow_redirects=False)
    assert forged.status_code == 403
    assert web.get("/account", headers=HTML, follow_redirects=False).status_code == 200
    token = csrf_of(web.get("/account", headers=HTML).text)
    out = web.post("/uitloggen", data={"csrf_token": token}, headers=HTML,
                   follow_redirects=False)
    assert out.status_code == 303
    assert web.get("/account", headers=HTML, follow_redirects=False).status_code == 303


def test_a_refused_confirmation_puts_its_reason_in_the_focusable_summary(
        web: TestClient, session: Session) -> None:
    resident(session, "bevestig.formulier@voorbeeld.example")
    login(web, "bevestig.formulier@voorbeeld.example")
    adoptie = int(scalar(session, "SELECT id FROM adoptie WHERE status = 'afgewezen' "  # type: ignore[call-overload]
                         "AND gemeente_code = :g ORDER BY id LIMIT 1", g=GEMEENTE))
    pad = f"/zelfbeheer/adoptie/{adoptie}/aansluiten"
    refused = post_form(web, pad, pad, {"keuze": "ja"})
    assert refused.status_code >= 400
    box = re.search(r'role="alert" tabindex="-1" id="foutoverzicht">(.*?)</div>', refused.text,
                    re.S)
    assert box and box.group(1).strip()

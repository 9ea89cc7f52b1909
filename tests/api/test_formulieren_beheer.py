"""Staff forms say everything at once in the order of the page, keep what was typed (the
checkbox too) and change nothing when refused; a refused button-only form (archive, publish,
check, accept a proposal decided meanwhile) puts its reason once in the focusable summary."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.services.demo.adopties import BEWONER, MEDEWERKER
from app.services.voorzieningen.voorstellen import AL_BESLIST
from tests.api.account_helpers import GEMEENTE, HTML, mails_to, make_client
from tests.api.test_beheer_voorzieningen import als, categorie, post
from tests.api.test_formulieren_zelfbeheer import summary
from tests.api.test_voorstellen import accept_form, voorstel_doen
from tests.conftest import scalar

FOUTMELDING = re.compile(r'<div class="utrecht-alert utrecht-alert--error" role="alert" '
                         r'tabindex="-1" id="foutoverzicht">(.*?)</div>\s*</div>\s*</div>', re.S)


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def refusal(page: str) -> str:
    """The text of the one focusable summary of a refused button-only form."""
    assert page.count('id="foutoverzicht"') == 1
    box = FOUTMELDING.search(page)
    assert box, "no focusable summary with the reason"
    return unescape(re.sub(r"<[^>]+>", "", box.group(1))).strip()


def audit_count(session: Session, soort: str, object_id: int) -> int:
    return int(scalar(session, "SELECT count(*) FROM audit_log WHERE object_type = :t "  # type: ignore[call-overload]
                               "AND object_id = :i", t=soort, i=str(object_id)))


def test_categorie_edit_says_everything_at_once_and_keeps_the_tick(web: TestClient,
                                                                   session: Session) -> None:
    als(web, session, MEDEWERKER)
    cid = categorie(session)
    pad = f"/beheer/categorieen/{cid}"
    before = session.connection().exec_driver_sql(
        "SELECT naam, icoon, kleur, volgorde, is_initiatief FROM categorie WHERE id = %s",
        (cid,)).one()
    empty = post(web, pad, pad, {"naam": " ", "icoon": "Hart!", "kleur": "",
                                 "volgorde": "tien", "is_initiatief": "ja"})
    assert empty.status_code == 400
    assert summary(empty.text) == ["veld-naam", "veld-icoon", "veld-kleur", "veld-volgorde"]
    text = unescape(empty.text)
    assert "Vul de naam in." in text and "hoogstens 100" not in text
    assert "Vul een kleur in als #rrggbb" in text and "Vul een geheel getal in" in text
    assert 'value="Hart!"' in empty.text and 'value="tien"' in empty.text
    assert re.search(r'id="veld-is-initiatief"\s+name="is_initiatief" value="ja" checked',
                     empty.text)
    long = post(web, pad, pad, {"naam": "x" * 101, "icoon": "hart", "kleur": "#1d5c8c"})
    assert summary(long.text) == ["veld-naam"] and "hoogstens 100 tekens (nu 101)" in long.text
    assert not re.search(r'name="is_initiatief" value="ja" checked', long.text)
    after = session.connection().exec_driver_sql(
        "SELECT naam, icoon, kleur, volgorde, is_initiatief FROM categorie WHERE id = %s",
        (cid,)).one()
    assert after == before and audit_count(session, "categorie", cid) == 0


def test_accepting_a_voorstel_checks_every_field_and_a_decided_one_says_so(
        web: TestClient, session: Session) -> None:
    als(web, session, BEWONER)
    voorstel = voorstel_doen(web, session)
    als(web, session, MEDEWERKER)
    pad = f"/beheer/voorstellen/{voorstel}"
    data = accept_form(web, voorstel)
    voorzieningen = scalar(session, "SELECT count(*) FROM voorziening")
    wrong = post(web, pad, f"{pad}/accepteren", {**data, "naam": "", "categorie": "",
                                                 "adres": "a" * 201, "telefoon": "bel mij",
                                                 "lon": ""})
    assert wrong.status_code == 400
    # in the order of the page, though the long address is found before the empty name
    assert summary(wrong.text) == ["veld-naam", "veld-categorie", "veld-adres",
                                   "veld-telefoon", "veld-lon"]
    text = unescape(wrong.text)
    for fout in ("Vul de naam in.", "Kies een categorie uit de lijst.",
                 "Gebruik hoogstens 200 tekens (nu 201).", "Vul een telefoonnummer in",
                 "Vul ook de lengtegraad in."):
        assert fout in text, fout
    assert 'value="bel mij"' in wrong.text and f'value="{data["lat"]}"' in wrong.text
    assert scalar(session, "SELECT status FROM voorstel WHERE id = :i", i=voorstel) \
        == "ingediend"
    assert scalar(session, "SELECT count(*) FROM voorziening") == voorzieningen
    assert mails_to(session, BEWONER) == []

    assert post(web, pad, f"{pad}/accepteren", data).status_code == 303
    again = post(web, "/beheer/categorieen", f"{pad}/accepteren", data)  # from a stale tab
    assert again.status_code == 409 and refusal(again.text) == AL_BESLIST
    assert scalar(session, "SELECT count(*) FROM voorziening") == voorzieningen + 1


def published(session: Session) -> int:
    return int(scalar(session, "SELECT min(id) FROM voorziening WHERE gemeente_code = :g "  # type: ignore[call-overload]
                               "AND status = 'gepubliceerd'", g=GEMEENTE))


def test_archiving_twice_says_why_once_and_changes_nothing(web: TestClient,
                                                           session: Session) -> None:
    als(web, session, MEDEWERKER)
    fid = published(session)
    pad = f"/beheer/voorzieningen/{fid}"
    assert post(web, pad, f"{pad}/archiveren", {}).status_code == 303
    audits = audit_count(session, "voorziening", fid)
    again = post(web, "/beheer/categorieen", f"{pad}/archiveren", {})  # from a stale tab
    assert again.status_code == 409
    assert refusal(again.text) == "Deze voorziening is al gearchiveerd."
    assert unescape(again.text).count("al gearchiveerd") == 1
    naam = str(scalar(session, "SELECT naam FROM voorziening WHERE id = :i", i=fid))
    assert f'value="{naam}"' in unescape(again.text)  # the edit form is still filled in
    assert audit_count(session, "voorziening", fid) == audits


def test_publishing_a_published_one_says_why_and_changes_nothing(web: TestClient,
                                                                 session: Session) -> None:
    als(web, session, MEDEWERKER)
    fid = published(session)
    pad = f"/beheer/voorzieningen/{fid}"
    refused = post(web, "/beheer/categorieen", f"{pad}/publiceren", {})
    assert refused.status_code == 409
    assert refusal(refused.text) == "Deze voorziening is al gepubliceerd."
    assert 'href="#formulier-voorziening"' not in refused.text  # no link to a wrong field
    assert audit_count(session, "voorziening", fid) == 0


def test_nu_gecontroleerd_without_a_valid_form_or_right_changes_nothing(
        web: TestClient, session: Session) -> None:
    fid = published(session)
    pad = f"/beheer/voorzieningen/{fid}/gecontroleerd"
    before = scalar(session, "SELECT laatst_gecontroleerd FROM voorziening WHERE id = :i", i=fid)
    als(web, session, MEDEWERKER)
    forged = web.post(pad, data={"csrf_token": "vervalst"}, headers=HTML,
                      follow_redirects=False)
    assert forged.status_code == 403 and "formulier is verlopen" in forged.text
    web.cookies.clear()
    als(web, session, BEWONER)
    resident_try = post(web, "/account", pad, {})
    assert resident_try.status_code == 403
    assert scalar(session, "SELECT laatst_gecontroleerd FROM voorziening WHERE id = :i",
                  i=fid) == before
    assert audit_count(session, "voorziening", fid) == 0

"""Residents' forms for a voorziening that is on the map (keep an initiative up to date,
propose a correction): every message at once in the order of the page, what was typed and
chosen kept, and nothing stored or changed when refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.services.demo.adopties import BEWONER, MEDEWERKER
from app.services.voorzieningen.voorstellen import NIETS_GEWIJZIGD
from tests.api.account_helpers import make_client
from tests.api.test_formulieren_zelfbeheer import summary
from tests.api.test_voorstellen import (
    accept_form,
    als,
    categorie,
    form_fields,
    post,
    voorstel_doen,
)
from tests.conftest import scalar


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


def snapshot(session: Session, fid: int) -> tuple[object, ...]:
    """The voorziening as stored, the proposals about it and its audit rows."""
    return tuple(session.connection().exec_driver_sql(
        "SELECT v.telefoon, v.email, v.website, v.openingstijden, v.omschrijving, "
        "ST_AsText(v.geometrie), (SELECT count(*) FROM voorstel s WHERE s.voorziening_id = v.id),"
        " (SELECT count(*) FROM audit_log a WHERE a.object_type = 'voorziening' "
        "AND a.object_id = v.id::text) FROM voorziening v WHERE v.id = %s", (fid,)).one())


def test_bijwerken_says_everything_at_once_and_changes_nothing(web: TestClient,
                                                               session: Session) -> None:
    als(web, session, BEWONER)
    voorstel = voorstel_doen(web, session)
    als(web, session, MEDEWERKER)
    assert post(web, f"/beheer/voorstellen/{voorstel}",
                f"/beheer/voorstellen/{voorstel}/accepteren",
                accept_form(web, voorstel)).status_code == 303
    fid = int(scalar(session, "SELECT voorziening_id FROM voorstel WHERE id = :i",  # type: ignore[call-overload]
                     i=voorstel))
    before = snapshot(session, fid)
    als(web, session, BEWONER)
    pad = f"/voorzieningen/{fid}/bijwerken"
    wrong = post(web, pad, pad, {"omschrijving": "Elke zaterdag.", "telefoon": "bel mij",
                                 "email": "geen", "openingstijden": "x" * 1001,
                                 "lat": "", "lon": "5,5"})
    assert wrong.status_code == 400
    # in the order of the page, though the long opening hours are found first
    assert summary(wrong.text) == ["veld-telefoon", "veld-email", "veld-openingstijden",
                                   "veld-lat"]
    text = unescape(wrong.text)
    for fout in ("Vul een telefoonnummer in", "Vul een geldig e-mailadres in",
                 "Gebruik hoogstens 1000 tekens (nu 1001).", "Vul ook de breedtegraad in."):
        assert fout in text, fout
    assert 'value="bel mij"' in wrong.text and 'value="geen"' in wrong.text
    assert 'value="5,5"' in wrong.text and ">Elke zaterdag.</textarea>" in wrong.text
    assert snapshot(session, fid) == before


def test_correctie_says_everything_at_once_keeps_the_choice_and_stores_nothing(
        web: TestClient, session: Session) -> None:
    fid = int(scalar(session, "SELECT min(id) FROM voorziening "  # type: ignore[call-overload]
                              "WHERE status = 'gepubliceerd'"))
    before = snapshot(session, fid)
    voorstellen = scalar(session, "SELECT count(*) FROM voorstel")
    als(web, session, BEWONER)
    pad = f"/voorzieningen/{fid}/correctie"
    data = form_fields(web.get(pad, headers={"accept": "text/html"}).text)
    andere = categorie(session, "initiatief")
    assert data["categorie"] != andere
    wrong = post(web, pad, pad, {**data, "naam": " ", "categorie": andere, "adres": "a" * 201,
                                 "postcode": "12", "toelichting": "t" * 2001})
    assert wrong.status_code == 400
    # in the order of the page, though the long address is found before the empty name
    assert summary(wrong.text) == ["veld-naam", "veld-adres", "veld-postcode",
                                   "veld-toelichting"]
    text = unescape(wrong.text)
    assert "Vul de naam in." in text and "Vul een postcode in als 1234 AB." in text
    assert "hoogstens 2000 tekens (nu 2001)" in text
    assert re.search(rf'<option value="{andere}" selected>', wrong.text)
    assert 'value="12"' in wrong.text and ">" + "t" * 2001 + "</textarea>" in wrong.text
    unchanged = post(web, pad, pad, data)
    assert unchanged.status_code == 400 and summary(unchanged.text) == ["formulier-voorziening"]
    assert unescape(unchanged.text).count(NIETS_GEWIJZIGD) == 1  # said once, in the summary
    assert scalar(session, "SELECT count(*) FROM voorstel") == voorstellen
    assert snapshot(session, fid) == before

"""Residents' forms say everything at once and keep what was typed: the request form, the
onderhoud log (a refused photo keeps the entry and names the group), the invitation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from tests.api.account_helpers import HTML, csrf_of, login, make_client, post_form, resident
from tests.api.onderhoud_helpers import log_in_as_trekker
from tests.conftest import scalar


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from app.services.zelfbeheer.fotos import PhotoStore

    client = make_client(settings, db_url, session)
    client.app.state.photo_store = PhotoStore(tmp_path_factory.mktemp("fotos"))  # type: ignore[attr-defined]
    with client:
        yield client


def summary(page: str) -> list[str]:
    """The error summary's links (href targets), in order; it must take the focus."""
    box = re.search(r'<div class="utrecht-alert utrecht-alert--error" role="alert" '
                    r'tabindex="-1" id="foutoverzicht">(.*?)</ul>', page, re.S)
    assert box, "no focusable error summary on the page"
    return re.findall(r'href="#([^"]+)"', box.group(1))


def test_aanvraag_shows_every_error_at_once_and_keeps_the_tick(web: TestClient,
                                                               session: Session) -> None:
    resident(session, "formulier.a@voorbeeld.example")
    plot = int(scalar(session, """SELECT groenvak_id FROM groenvak_status s JOIN groenvak g
        ON g.id = s.groenvak_id WHERE s.status = 'beschikbaar' AND g.plaatsnaam IS NOT NULL
        AND g.oppervlakte_m2 < 400 ORDER BY groenvak_id LIMIT 1"""))
    login(web, "formulier.a@voorbeeld.example")
    form = f"/zelfbeheer/groenvak/{plot}/aanvragen"
    page = web.get(form, headers=HTML).text
    plaats = str(scalar(session, "SELECT plaatsnaam FROM groenvak WHERE id = :p", p=plot))
    assert "data-kaart=" in page and plaats in page  # the plot on a small map, by its place
    empty = post_form(web, form, form, {"groepsnaam": "", "plan": "wieden",
                                        "mede_aanvragers": "geen-adres\nook fout"})
    assert empty.status_code == 400
    assert summary(empty.text) == ["veld-groepsnaam", "veld-mede-aanvragers", "veld-voorwaarden"]
    assert "Geef uw groep een naam." in empty.text and "hoogstens" not in empty.text
    assert "'geen-adres', 'ook fout' zijn geen geldige e-mailadressen" in unescape(empty.text)
    assert ">wieden</textarea>" in empty.text
    ticked = post_form(web, form, form, {"groepsnaam": "x" * 101, "voorwaarden": "ja",
                                         "groepsnaam_openbaar": "ja"})
    assert summary(ticked.text) == ["veld-groepsnaam"]
    assert "hoogstens 100 tekens, u gebruikte er 101" in ticked.text
    assert re.search(r'id="veld-voorwaarden" name="voorwaarden" value="ja"\s+checked', ticked.text)
    assert re.search(r'name="groepsnaam_openbaar" value="ja" checked', ticked.text)


def test_onderhoud_with_a_wrong_photo_keeps_the_form_and_names_group_and_file(
        web: TestClient, session: Session) -> None:
    adoptie = log_in_as_trekker(web, session)
    groep = str(scalar(session, "SELECT groepsnaam FROM adoptie WHERE id = :a", a=adoptie))
    token = csrf_of(web.get("/mijn-groen", headers=HTML).text)
    refused = web.post(f"/mijn-groen/adopties/{adoptie}/onderhoud", headers=HTML,
                       data={"datum": "", "activiteit": "snoeien",
                             "notitie": "Heg bij de school", "csrf_token": token},
                       files=[("fotos", ("vakantie.gif", b"GIF89a not a photo", "image/gif"))])
    assert refused.status_code == 400
    text = unescape(refused.text)
    assert summary(refused.text) == [f"datum-{adoptie}", f"fotos-{adoptie}"]
    assert f"Het onderhoud voor {groep} is nog niet opgeslagen" in text
    assert "Vul de datum in waarop u het onderhoud deed." in text
    assert "vakantie.gif: " in text and "U koos: vakantie.gif" in text
    assert 'value="Heg bij de school"' in refused.text
    assert re.search(r'<option value="snoeien" selected>', refused.text)
    assert int(scalar(session, "SELECT count(*) FROM onderhoud WHERE notitie = :n",
                      n="Heg bij de school")) == 0

"""Beheer's start page and queue through the real app and PostGIS: every tile links to a list
of as many rows as it counts; the queue has a map of the waiting plots and filters; one
decision for many requests checks every field at once, writes one audit row per request, and a
request that is refused is named and keeps its status."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.services.demo.adopties import MEDEWERKER
from tests.api.account_helpers import GEMEENTE, HTML, csrf_of, mails_to, post_form
from tests.api.test_beheer import adoptie_met, als, audit, status_van
from tests.api.test_beheer import web as beheer_web  # noqa: F401  (the fixture)
from tests.api.test_formulieren_zelfbeheer import summary
from tests.conftest import scalar

QUEUE = "/beheer/aanvragen"
BESLUIT = "/beheer/aanvragen/besluit"


@pytest.fixture()
def web(beheer_web: TestClient) -> Iterator[TestClient]:  # noqa: F811
    yield beheer_web


def rows(page: str, testid: str) -> int:
    """The number of body rows in the table with this data-testid (0 when there is none)."""
    table = re.search(rf'data-testid="{testid}">(.*?)</table>', page, re.S)
    if table is None:
        return 0
    body = table.group(1).split("<tbody", 1)[1]
    return len(re.findall(r"<tr\b", body))


def map_of(page: str) -> dict[str, object]:
    found = re.search(r'data-kaart="([^"]+)"', page)
    assert found, "no map on the page"
    config: dict[str, object] = json.loads(unescape(found.group(1)))
    return config


def test_every_tile_links_to_a_list_of_as_many(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    start = web.get("/beheer", headers=HTML).text
    tegels = re.findall(r'<li><a class="beheer-tegel[^"]*" href="([^"]+)" data-tegel="(\w+)">'
                        r'<strong>(\d+)</strong>', start)
    assert {t[1] for t in tegels} == {"aangevraagd", "actief", "zonder_schouw", "concept",
                                      "voorstellen", "niet_geschikt"}
    lijst = re.search(r'<ul class="beheer-tellingen".*?</ul>', start, re.S)
    assert lijst and lijst.group(0).count("<li>") == len(tegels)  # no tile without a link
    testid = {"/beheer/aanvragen": "wachtrij", "/beheer/adopties": "adopties",
              "/beheer/voorstellen": "voorstellen", "/beheer/groenvakken": "groenvakken"}
    for href, sleutel, getal in tegels:
        page = web.get(unescape(href), headers=HTML)
        assert page.status_code == 200, href
        assert rows(page.text, testid[href.split("?")[0]]) == int(getal), sleutel
    assert int(dict((t[1], t[2]) for t in tegels)["zonder_schouw"]) > 0  # the filter filters
    zonder = web.get("/beheer/adopties?status=actief&schouw=zonder", headers=HTML).text
    alle = web.get("/beheer/adopties?status=actief", headers=HTML).text
    assert rows(zonder, "adopties") <= rows(alle, "adopties")
    assert web.get("/beheer/adopties?schouw=x", headers=HTML).status_code == 400
    assert web.get("/beheer/groenvakken?geschikt=x", headers=HTML).status_code == 400


def test_queue_map_and_filters(web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    page = web.get(QUEUE, headers=HTML).text
    waiting = rows(page, "wachtrij")
    assert waiting == 5
    kaart = map_of(page)
    layer = kaart["layers"][0]  # type: ignore[index]
    features = layer["data"]["features"]
    assert len(features) == waiting and kaart["bounds"]
    ids = {int(i) for i in re.findall(r'data-adoptie="(\d+)"', page)}
    assert {f["properties"]["adoptie_id"] for f in features} == ids
    assert all(f["properties"]["href"] == f"/beheer/adopties/{f['properties']['adoptie_id']}"
               and f["geometry"]["type"] == "Point" for f in features)
    assert "js/wachtrij.js" in page and "js/kaartbasis.js" in page
    wijk = str(scalar(session, """SELECT w.code FROM adoptie a JOIN groenvak g
        ON g.id = a.groenvak_id JOIN gebied w ON w.id = g.wijk_id WHERE a.gemeente_code = :g
        AND a.status = 'aangevraagd' ORDER BY a.id LIMIT 1""", g=GEMEENTE))
    in_wijk = int(scalar(session, """SELECT count(*) FROM adoptie a JOIN groenvak g
        ON g.id = a.groenvak_id JOIN gebied w ON w.id = g.wijk_id WHERE a.gemeente_code = :g
        AND a.status = 'aangevraagd' AND w.code = :w""", g=GEMEENTE, w=wijk))  # type: ignore[call-overload]
    filtered = web.get(f"{QUEUE}?wijk={wijk}", headers=HTML).text
    assert rows(filtered, "wachtrij") == in_wijk < waiting
    assert len(map_of(filtered)["layers"][0]["data"]["features"]) == in_wijk  # type: ignore[index]
    concept = web.get(f"{QUEUE}?status=concept", headers=HTML).text
    assert rows(concept, "wachtrij") == int(scalar(  # type: ignore[call-overload]
        session, "SELECT count(*) FROM adoptie WHERE gemeente_code = :g AND status = 'concept'",
        g=GEMEENTE))
    assert 'name="adopties"' not in concept  # only requests waiting for the gemeente are ticked
    wrong = web.get(f"{QUEUE}?wijk=XX&status=weg", headers=HTML)
    assert wrong.status_code == 400 and summary(wrong.text) == ["veld-wijk", "veld-status"]


def test_bulk_form_says_everything_at_once_and_keeps_the_ticks(web: TestClient,
                                                               session: Session) -> None:
    als(web, session, MEDEWERKER)
    empty = post_form(web, QUEUE, BESLUIT, {"toelichting": ""})
    assert empty.status_code == 400
    assert summary(empty.text) == ["veld-adopties", "veld-besluit"]
    assert "Kies minstens één aanvraag in de lijst." in unescape(empty.text)
    eerste, tweede = adoptie_met(session, "aangevraagd"), adoptie_met(session, "aangevraagd", 1)
    token = csrf_of(web.get(QUEUE, headers=HTML).text)
    no_reason = web.post(BESLUIT, headers=HTML, follow_redirects=False, data={
        "adopties": [str(eerste), str(tweede)], "besluit": "afwijzen", "toelichting": " ",
        "csrf_token": token})
    assert no_reason.status_code == 400 and summary(no_reason.text) == ["veld-toelichting"]
    for adoptie in (eerste, tweede):
        assert re.search(rf'id="kies-{adoptie}" name="adopties" value="{adoptie}" checked',
                         no_reason.text)
    assert re.search(r'value="afwijzen" checked', no_reason.text)
    assert status_van(session, eerste) == status_van(session, tweede) == "aangevraagd"
    forged = web.post(BESLUIT, headers=HTML, follow_redirects=False, data={
        "adopties": [str(eerste)], "besluit": "goedkeuren", "csrf_token": "vervalst"})
    assert forged.status_code == 403 and status_van(session, eerste) == "aangevraagd"


def test_bulk_reject_with_one_reason_audits_and_mails_each(web: TestClient,
                                                            session: Session) -> None:
    als(web, session, MEDEWERKER)
    gekozen = [adoptie_met(session, "aangevraagd", i) for i in (0, 1)]
    token = csrf_of(web.get(QUEUE, headers=HTML).text)
    done = web.post(BESLUIT, headers=HTML, follow_redirects=False, data={
        "adopties": [str(a) for a in gekozen], "besluit": "afwijzen",
        "toelichting": "Dit groen wordt volgend jaar heringericht.", "csrf_token": token})
    assert done.status_code == 303 and done.headers["location"].endswith("melding=afgewezen")
    for adoptie in gekozen:
        assert status_van(session, adoptie) == "afgewezen"
        assert audit(session, adoptie, "status:aangevraagd->afgewezen") == 1
        assert scalar(session, "SELECT besluit_toelichting FROM adoptie WHERE id = :a",
                      a=adoptie) == "Dit groen wordt volgend jaar heringericht."
        trekker = str(scalar(session, """SELECT u.email FROM deelname d JOIN gebruiker u
            ON u.id = d.gebruiker_id WHERE d.adoptie_id = :a AND d.rol = 'trekker'""",
                             a=adoptie))
        assert any("heringericht" in m.tekst for m in mails_to(session, trekker))
    assert "zijn afgewezen" in web.get(done.headers["location"], headers=HTML).text


def test_bulk_partial_failure_names_the_request_and_changes_nothing_for_it(
        web: TestClient, session: Session) -> None:
    als(web, session, MEDEWERKER)
    eerste, tweede = adoptie_met(session, "aangevraagd"), adoptie_met(session, "aangevraagd", 1)
    token = csrf_of(web.get(QUEUE, headers=HTML).text)
    # a colleague decides the second one meanwhile, on its own page
    assert post_form(web, f"/beheer/adopties/{tweede}", f"/beheer/adopties/{tweede}/beoordelen",
                     {"besluit": "goedkeuren"}).status_code == 303
    vreemd = int(scalar(session, "SELECT id FROM adoptie WHERE gemeente_code <> :g "  # type: ignore[call-overload]
                        "ORDER BY id LIMIT 1", g=GEMEENTE) or 0)
    ids = [eerste, tweede] + ([vreemd] if vreemd else [])
    mails_tweede = int(scalar(session, "SELECT count(*) FROM mail_outbox"))  # type: ignore[call-overload]
    partial = web.post(BESLUIT, headers=HTML, follow_redirects=False, data={
        "adopties": [str(a) for a in ids], "besluit": "goedkeuren", "toelichting": "",
        "csrf_token": token})
    assert partial.status_code == 200
    text = unescape(partial.text)
    assert "Niet gelukt voor deze aanvragen; er is niets aan gewijzigd:" in text
    assert "1 aanvraag is goedgekeurd." in text
    groep = str(scalar(session, "SELECT groepsnaam FROM adoptie WHERE id = :a", a=tweede))
    assert f"{groep}: " in text
    assert len(summary(partial.text)) == len(ids) - 1
    assert status_van(session, eerste) == "actief"
    assert audit(session, eerste, "status:aangevraagd->actief") == 1
    assert audit(session, tweede, "status:aangevraagd->actief") == 1  # only the colleague's
    if vreemd:
        assert f"Aanvraag {vreemd}: " in text
    sent = int(scalar(session, "SELECT count(*) FROM mail_outbox"))  # type: ignore[call-overload]
    leden = int(scalar(session, """SELECT count(*) FROM deelname WHERE adoptie_id = :a
                                   AND status = 'actief'""", a=eerste))  # type: ignore[call-overload]
    assert sent - mails_tweede <= leden  # no mail for the refused ones

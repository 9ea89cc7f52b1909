"""The public zelfbeheer pages: map page, search and the accessible table."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import scalar

HTML = {"accept": "text/html"}


def test_map_page_has_legend_and_map(client: TestClient) -> None:
    page = client.get("/zelfbeheer", headers=HTML)
    assert page.status_code == 200
    for label in ("Beschikbaar", "Aangevraagd", "In zelfbeheer", "Niet beschikbaar"):
        assert label in page.text
    assert "data-zelfbeheer" in page.text and "js/zelfbeheer.js" in page.text


def test_search_finds_wijk_and_named_groenvak(client: TestClient, session: Session) -> None:
    page = client.get("/zelfbeheer", params={"zoek": "vaartzoom"}, headers=HTML).text
    assert "Vaartzoom (wijk)" in page
    naam = scalar(session, "SELECT naam FROM groenvak WHERE naam IS NOT NULL ORDER BY id LIMIT 1")
    found = client.get("/zelfbeheer", params={"zoek": naam}, headers=HTML).text
    assert naam in found and "data-groenvak=" in found
    nothing = client.get("/zelfbeheer", params={"zoek": "%_%"}, headers=HTML).text
    assert "Niets gevonden" in nothing


def test_table_lists_the_wijk_by_status(client: TestClient, session: Session) -> None:
    wijk = scalar(session, "SELECT code FROM gebied WHERE soort = 'wijk' ORDER BY code LIMIT 1")
    page = client.get("/zelfbeheer/lijst", params={"wijk": wijk, "status": "in_zelfbeheer"},
                      headers=HTML)
    assert page.status_code == 200
    rows = re.findall(r'href="/zelfbeheer/groenvak/(\d+)"', page.text)
    expected = session.connection().exec_driver_sql(
        f"""SELECT g.id FROM groenvak g JOIN groenvak_status s ON s.groenvak_id = g.id
            JOIN gebied w ON w.id = g.wijk_id WHERE w.code = '{wijk}'
            AND s.status = 'in_zelfbeheer' AND g.vervallen_op IS NULL ORDER BY g.id LIMIT 50"""
    ).scalars().all()
    assert [int(r) for r in rows] == expected


def test_table_pages_by_50(client: TestClient, session: Session) -> None:
    wijk = scalar(session, """SELECT w.code FROM gebied w JOIN groenvak g ON g.wijk_id = w.id
                              GROUP BY w.code ORDER BY count(*) DESC LIMIT 1""")
    first = client.get("/zelfbeheer/lijst", params={"wijk": wijk}, headers=HTML).text
    assert len(re.findall(r'href="/zelfbeheer/groenvak/\d+"', first)) == 50
    nxt = re.search(r'href="(/zelfbeheer/lijst\?[^"]*cursor=a\d+)"', first)
    assert nxt
    second = client.get(nxt.group(1).replace("&amp;", "&"), headers=HTML).text
    assert set(re.findall(r"groenvak/(\d+)", first)).isdisjoint(
        re.findall(r"groenvak/(\d+)", second))


def test_bad_filter_gets_a_dutch_message_next_to_the_field(client: TestClient) -> None:
    page = client.get("/zelfbeheer/lijst", params={"wijk": "WK000000"}, headers=HTML)
    assert page.status_code == 400
    assert 'id="wijk-fout"' in page.text and "Kies een wijk of dorp" in page.text


def test_panel_is_a_partial_for_htmx_and_a_page_otherwise(client: TestClient,
                                                         session: Session) -> None:
    plot = scalar(session, """SELECT groenvak_id FROM groenvak_status
                              WHERE status = 'in_zelfbeheer' ORDER BY groenvak_id LIMIT 1""")
    partial = client.get(f"/zelfbeheer/groenvak/{plot}", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "HX-Request" in partial.headers["vary"]
    assert "<html" not in partial.text and "In zelfbeheer" in partial.text
    assert "Vragen om aan te sluiten" in partial.text
    page = client.get(f"/zelfbeheer/groenvak/{plot}", headers=HTML)
    assert '<html lang="nl">' in page.text and 'data-testid="groenvak-paneel"' in page.text
    assert "data-focus=" in page.text
    members = session.connection().exec_driver_sql(
        f"""SELECT u.email, u.naam FROM deelname d JOIN gebruiker u ON u.id = d.gebruiker_id
            JOIN adoptie a ON a.id = d.adoptie_id WHERE a.groenvak_id = {plot}""").all()
    assert members
    for email, naam in members:
        assert email not in page.text and naam not in page.text


def test_panel_of_an_available_plot_offers_adoption(client: TestClient, session: Session) -> None:
    plot = scalar(session, """SELECT groenvak_id FROM groenvak_status
                              WHERE status = 'beschikbaar' ORDER BY groenvak_id LIMIT 1""")
    partial = client.get(f"/zelfbeheer/groenvak/{plot}", headers={"HX-Request": "true"}).text
    assert f"/zelfbeheer/groenvak/{plot}/aanvragen" in partial
    assert client.get("/zelfbeheer/groenvak/99999999", headers=HTML).status_code == 404

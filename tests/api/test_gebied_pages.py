"""The pages of a wijk and a dorp, and their witte vlekken, through the real app.

Exact figures come from the hand-made gemeente of tests/proefgemeente.py (served as the site's
gemeente); the demo gemeente checks the links, redirects and errors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.api.common import deps
from app.config import Settings
from app.main import create_app
from app.services.gebieden import gemeente as gebieden
from tests.proefgemeente import G, maak_proefgemeente, maak_zelfbeheer, run

HTML = {"accept": "text/html"}
GEO = {"accept": "application/geo+json"}


@pytest.fixture()
def proef(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    """The site of the hand-made gemeente; requests share the test's transaction."""
    maak_proefgemeente(session)
    maak_zelfbeheer(session)
    app = create_app(settings.model_copy(update={"gemeente": G}), url=db_url)
    app.dependency_overrides[deps.get_session] = lambda: session
    with TestClient(app) as client:
        yield client


def _cells(page: str, categorie: str) -> list[str]:
    row = re.search(rf'<tr[^>]*data-categorie="{categorie}">(.*?)</tr>', page, re.S)
    assert row, categorie
    return [re.sub(r"\s+", " ", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)]


def test_wijk_page_shows_the_figures_in_dutch(proef: TestClient, session: Session) -> None:
    response = proef.get("/wijken/WK999801", headers=HTML)
    assert response.status_code == 200
    assert response.headers["server-timing"].startswith("app;dur=")
    page = response.text
    assert "<h1 class=\"utrecht-heading-1\">Wijk Vierkant</h1>" in page
    assert "2.000 inwoners" in page and "100,0 hectare" in page
    # categorie, aantal, per 1.000, gemiddeld, grootste, 400 m, 800 m
    assert _cells(page, "zorg") == ["Zorg", "1", "0,5", "381 m", "636 m", "50 %", "100 %"]
    assert _cells(page, "sport") == ["Sport", "0", "0,0", "675 m", "1.142 m", "17 %", "64 %"]
    assert _cells(page, "cultuur") == ["Cultuur", "0", "0,0", "–", "–", "–", "–"]
    assert "100 punten" in page and "hemelsbreed" in page
    zelfbeheer = re.sub(r"\s+", " ", page.split('data-testid="zelfbeheer"')[1].split("</table>")[0])
    for expected in (">2<", ">500 m²<", ">400 m² (80,0 %)<", ">1<", ">2<", ">2 keer<",
                     ">€ 1.000<"):
        assert expected in zelfbeheer, expected
    # one checkbox per category, a list entry per published voorziening opening its panel
    assert page.count('name="categorie"') == 3
    huisarts = run(session, "SELECT id FROM voorziening WHERE gemeente_code = :g "
                   "AND naam = 'Huisarts'", g=G)
    assert f'hx-get="/voorzieningen/{huisarts}/paneel"' in page
    assert "Voorgestelde praktijk" not in page and "Oude sporthal" not in page
    assert 'href="/zelfbeheer/lijst?wijk=WK999801"' in page


def test_unknown_inwoners_and_the_figures_follow_the_data(proef: TestClient,
                                                          session: Session) -> None:
    before = proef.get("/wijken/WK999801", headers=HTML).text
    assert "Tweede huisarts" not in before
    oost = proef.get("/wijken/WK999802", headers=HTML).text
    assert "een onbekend aantal inwoners" in oost
    assert _cells(oost, "sport")[1:3] == ["1", "–"]
    run(session, """INSERT INTO voorziening (gemeente_code, naam, categorie_id, geometrie)
                    SELECT gemeente_code, 'Tweede huisarts', id,
                           ST_SetSRID(ST_MakePoint(100100, 400900), 28992)
                      FROM categorie WHERE gemeente_code = :g AND code = 'zorg'""", g=G)
    page = proef.get("/wijken/WK999801", headers=HTML).text
    assert _cells(page, "zorg")[:3] == ["Zorg", "2", "1,0"]
    assert page.count("Tweede huisarts") == 2  # in the list and on the (re-rendered) map


def test_wijk_and_dorp_paths(client: TestClient, session: Session) -> None:
    regels = gebieden.overview(session, "GM9901")
    wijk = next(r for r in regels if r.soort == "wijk")
    dorp = next(r for r in regels if r.soort == "dorp")
    index = client.get("/", headers=HTML).text
    assert f'href="/wijken/{wijk.code}"' in index and f'href="/dorpen/{dorp.code}"' in index
    page = client.get(f"/dorpen/{dorp.code}", headers=HTML)
    assert page.status_code == 200 and f"Dorp {dorp.naam}</h1>" in page.text
    assert "loopafstand over straten en paden" in page.text  # the demo has a street network
    assert "data-testid=\"bereik\"" in page.text and "Binnen 15 min" in page.text
    moved = client.get(f"/wijken/{dorp.code}", headers=HTML, follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (308, f"/dorpen/{dorp.code}")
    moved = client.get(f"/dorpen/{wijk.code}", headers=HTML, follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (308, f"/wijken/{wijk.code}")
    buurt = session.execute(text("SELECT code FROM gebied WHERE soort = 'buurt' LIMIT 1")).scalar()
    for path in ("/wijken/WK000000", f"/wijken/{buurt}", "/dorpen/onbekend"):
        missing = client.get(path, headers=HTML)
        assert missing.status_code == 404, path
        assert 'lang="nl"' in missing.text and "bestaat niet" in missing.text


def test_witte_vlekken(proef: TestClient) -> None:
    response = proef.get("/wijken/WK999801/witte-vlekken?categorie=zorg&drempel=400",
                         headers=GEO)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    feature = response.json()["features"][0]
    # everything but the 64-gon of radius 400 in the middle of the square km
    assert feature["properties"]["aandeel"] == pytest.approx(0.4982, abs=0.0002)
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    lon, lat = feature["geometry"]["coordinates"][0][0][0] if feature["geometry"]["type"] == \
        "MultiPolygon" else feature["geometry"]["coordinates"][0][0]
    assert 3 < lon < 8 and 50 < lat < 54  # CRS84
    vol = proef.get("/wijken/WK999801/witte-vlekken?categorie=zorg&drempel=800", headers=GEO)
    assert vol.json()["features"] == []
    for query, status in [("categorie=zorg&drempel=500", 400), ("categorie=bestaatniet", 400),
                          ("categorie=zorg&drempel=abc", 400)]:
        bad = proef.get(f"/wijken/WK999801/witte-vlekken?{query}", headers=GEO)
        assert bad.status_code == status, query
        assert bad.headers["content-type"] == "application/problem+json"
        assert bad.json()["detail"]
    assert proef.get("/wijken/WK000000/witte-vlekken?categorie=zorg",
                     headers=GEO).status_code == 404
    assert proef.get("/dorpen/WK999801/witte-vlekken?categorie=zorg",
                     headers=GEO).status_code == 404


def test_voorziening_panel(proef: TestClient, session: Session) -> None:
    ids = dict(session.execute(text(
        "SELECT naam, id FROM voorziening WHERE gemeente_code = :g"), {"g": G}).all())
    panel = proef.get(f"/voorzieningen/{ids['Huisarts']}/paneel", headers={"HX-Request": "true"})
    assert panel.status_code == 200 and "Huisarts" in panel.text and "Zorg" in panel.text
    for naam in ("Voorgestelde praktijk", "Oude sporthal"):  # not published: not public
        assert proef.get(f"/voorzieningen/{ids[naam]}/paneel").status_code == 404

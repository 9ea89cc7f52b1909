"""The voorzieningen map, its list, a voorziening's panel and page, and /wijken with its CSV.

Exact content comes from the hand-made gemeente of tests/proefgemeente.py (served as the site's
gemeente); paging runs on the demo gemeente."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.common import deps
from app.config import Settings
from app.main import create_app
from app.services.gebieden.kengetallen import alle_kengetallen
from tests.proefgemeente import G, maak_proefgemeente, maak_zelfbeheer, run

HTML = {"accept": "text/html"}
HX = {"HX-Request": "true", "accept": "text/html"}


@pytest.fixture()
def proef(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    """The site of the hand-made gemeente; requests share the test's transaction."""
    maak_proefgemeente(session)
    maak_zelfbeheer(session)
    app = create_app(settings.model_copy(update={"gemeente": G}), url=db_url)
    app.dependency_overrides[deps.get_session] = lambda: session
    with TestClient(app) as client:
        yield client


def _id(session: Session, naam: str) -> int:
    value = run(session, "SELECT id FROM voorziening WHERE gemeente_code = :g AND naam = :n",
                g=G, n=naam)
    assert isinstance(value, int), naam
    return value


def _id_met_status(session: Session, status: str) -> int:
    value = run(session, "SELECT min(id) FROM voorziening WHERE gemeente_code = :g "
                         "AND status = :s", g=G, s=status)
    assert isinstance(value, int), status
    return value


def _kaart_data(page: str) -> dict:  # type: ignore[type-arg]
    raw = re.search(r'data-voorzieningen="([^"]*)"', page)
    assert raw
    return json.loads(html.unescape(raw.group(1)))  # type: ignore[no-any-return]


def _namen_op_kaart(page: str) -> list[str]:
    return [f["properties"]["naam"] for f in _kaart_data(page)["features"]]


def _lijst_namen(page: str) -> list[str]:
    cells = re.findall(r'<th class="utrecht-table__cell" scope="row"><a [^>]*>([^<]*)</a>', page)
    return [html.unescape(n) for n in cells]


def test_map_shows_only_published_voorzieningen(proef: TestClient, session: Session) -> None:
    response = proef.get("/kaart", headers=HTML)
    assert response.status_code == 200
    page = response.text
    data = _kaart_data(page)
    assert sorted(_namen_op_kaart(page)) == ["Huisarts", "Sportpark"]
    huisarts = next(f for f in data["features"] if f["properties"]["naam"] == "Huisarts")
    assert huisarts["id"] == _id(session, "Huisarts")
    assert huisarts["properties"]["categorie"] == "zorg"
    lon, lat = huisarts["geometry"]["coordinates"]  # RD (100500, 400500) in CRS84
    assert (round(lon, 4), round(lat, 4)) == (4.6007, 51.5908)
    unpublished = run(session, "SELECT string_agg(naam, '|') FROM voorziening "
                               "WHERE gemeente_code = :g AND status <> 'gepubliceerd'", g=G)
    assert isinstance(unpublished, str) and unpublished.count("|") == 1
    for naam in unpublished.split("|"):
        assert naam not in page
    # a labelled checkbox per category with its count, all on; the list opens panels by htmx
    for code, naam, aantal in [("zorg", "Zorg", 1), ("sport", "Sport", 1),
                               ("cultuur", "Cultuur", 0)]:
        assert re.search(rf'id="cat-{code}" value="{code}" form="vz-filter"\s*checked>', page)
        assert re.search(rf'for="cat-{code}">.*?{naam} <span class="vz-aantal" '
                         rf'id="aantal-{code}">\({aantal}\)', page, re.S)
    assert f'hx-get="/voorzieningen/{huisarts["id"]}/paneel"' in page
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in page
    kaart = re.search(r'data-kaart="([^"]*)"', page)
    assert kaart and "https://" not in html.unescape(kaart.group(1))  # no CDN, no basemap
    assert 'aria-current="page">Voorzieningen</a>' in page


def test_map_filters_by_name_wijk_and_category(proef: TestClient) -> None:
    assert _namen_op_kaart(proef.get("/kaart", params={"q": "ARTS"}).text) == ["Huisarts"]
    assert _namen_op_kaart(proef.get("/kaart", params={"q": "%"}).text) == []
    assert _namen_op_kaart(proef.get("/kaart", params={"wijk": "WK999802"}).text) == ["Sportpark"]
    # a category filter switches the others off; their markers stay available for the toggle
    page = proef.get("/kaart", params={"categorie": "sport"}).text
    assert sorted(_namen_op_kaart(page)) == ["Huisarts", "Sportpark"]
    assert re.search(r'id="cat-sport" value="sport" form="vz-filter"\s*checked>', page)
    assert re.search(r'id="cat-zorg" value="zorg" form="vz-filter">', page)
    assert '<div class="vz-groep" data-categorie="zorg" hidden>' in page
    assert '<div class="vz-groep" data-categorie="sport">' in page


def test_bad_filters_get_a_dutch_message(proef: TestClient) -> None:
    for path in ("/kaart", "/kaart/lijst"):
        bad = proef.get(path, params={"categorie": "nope", "wijk": "WK000000"}, headers=HTML)
        assert bad.status_code == 400
        assert "Deze categorie bestaat niet: nope." in bad.text
        assert "Kies een wijk of dorp uit de lijst." in bad.text
        long = proef.get(path, params={"q": "x" * 101}, headers=HTML)
        assert long.status_code == 400 and "Zoek met hoogstens 100 tekens." in long.text


def test_list_view_has_the_same_filters(proef: TestClient) -> None:
    page = proef.get("/kaart/lijst", headers=HTML).text
    assert _lijst_namen(page) == ["Huisarts", "Sportpark"]
    assert "2 voorzieningen gevonden" in page
    zorg = proef.get("/kaart/lijst", params={"categorie": "zorg"}, headers=HTML).text
    assert _lijst_namen(zorg) == ["Huisarts"] and "1 voorziening gevonden" in zorg
    beide = proef.get("/kaart/lijst", params=[("categorie", "zorg"), ("categorie", "sport")])
    assert _lijst_namen(beide.text) == ["Huisarts", "Sportpark"]
    assert _lijst_namen(proef.get("/kaart/lijst", params={"q": "park"}).text) == ["Sportpark"]
    oost = proef.get("/kaart/lijst", params={"wijk": "WK999802", "categorie": "zorg"}).text
    assert _lijst_namen(oost) == [] and "Geen voorzieningen gevonden" in oost
    # htmx gets only the results, and the link to the map with the same filters
    partial = proef.get("/kaart/lijst", params={"categorie": "zorg", "q": "huis"}, headers=HX)
    assert partial.status_code == 200 and "<html" not in partial.text
    assert "HX-Request" in partial.headers["vary"]
    assert _lijst_namen(partial.text) == ["Huisarts"]
    assert 'hx-swap-oob="true" href="/kaart?categorie=zorg&amp;q=huis"' in partial.text
    # the counts beside the checkboxes follow the search and wijk
    assert '<span class="vz-aantal" id="aantal-zorg" hx-swap-oob="true">(1)</span>' in partial.text
    assert '<span class="vz-aantal" id="aantal-sport" hx-swap-oob="true">(0)</span>' in partial.text


def test_list_pages_by_name_without_gaps(client: TestClient, session: Session) -> None:
    gezien: list[str] = []
    url: str | None = "/kaart/lijst"
    while url:
        page = client.get(url, headers=HTML).text
        gezien += _lijst_namen(page)
        volgende = re.search(r'rel="next"\s*href="([^"]+)"', page)
        url = volgende.group(1).replace("&amp;", "&") if volgende else None
    expected = session.connection().exec_driver_sql(
        "SELECT naam FROM voorziening WHERE status = 'gepubliceerd' ORDER BY naam, id").scalars()
    assert gezien == list(expected)
    assert len(gezien) > 50


def test_panel_shows_public_facts_only(proef: TestClient, session: Session) -> None:
    run(session, "INSERT INTO gebruiker (gemeente_code, email, naam) VALUES "
                 "(:g, 'indiener@bewoners.example', 'Bewoner A')", g=G)
    run(session, """UPDATE voorziening SET adres = 'Dorpsstraat 1', postcode = '9999 AA',
                      plaats = 'Proefdorp', telefoon = '099-1234567',
                      email = 'info@huisarts.example',
                      website = 'https://huisarts.example', openingstijden = 'ma–vr 8:00–17:00',
                      bron = 'Eigen inventarisatie', laatst_gecontroleerd = '2025-03-01',
                      omschrijving = 'Praktijk voor <b>iedereen</b>',
                      voorgesteld_door_id = (SELECT id FROM gebruiker WHERE gemeente_code = :g
                                               AND email = 'indiener@bewoners.example')
                     WHERE gemeente_code = :g AND naam = 'Huisarts'""", g=G)
    vid = _id(session, "Huisarts")
    response = proef.get(f"/voorzieningen/{vid}/paneel", headers=HX)
    assert response.status_code == 200 and "<html" not in response.text
    panel = re.sub(r"\s+", " ", response.text)
    for expected in ('<h2 id="paneel-titel"', ">Huisarts</h2>", "Zorg in",
                     'href="/wijken/WK999801">Vierkant</a>', "Dorpsstraat 1, 9999 AA Proefdorp",
                     "ma–vr 8:00–17:00", 'href="tel:0991234567"',
                     'href="mailto:info@huisarts.example"',
                     'href="https://huisarts.example" rel="noopener noreferrer"',
                     "Eigen inventarisatie", '<time datetime="2025-03-01">01-03-2025</time>',
                     "Praktijk voor &lt;b&gt;iedereen&lt;/b&gt;",
                     f'href="/voorzieningen/{vid}/correctie"'):
        assert expected in panel, expected
    assert "indiener@bewoners.example" not in panel and "Bewoner A" not in panel


def test_panel_and_page_404_for_unknown_and_unpublished(proef: TestClient,
                                                        session: Session) -> None:
    elders = run(session, "SELECT min(id) FROM voorziening WHERE gemeente_code <> :g", g=G)
    onbekend = int(run(session, "SELECT max(id) + 1000 FROM voorziening"))  # type: ignore[arg-type]
    for vid in (_id_met_status(session, "voorgesteld"), _id_met_status(session, "gearchiveerd"),
                elders, onbekend):
        assert proef.get(f"/voorzieningen/{vid}/paneel", headers=HX).status_code == 404
        page = proef.get(f"/voorzieningen/{vid}", headers=HTML)
        assert page.status_code == 404 and "Deze pagina bestaat niet (meer)." in page.text
    run(session, "UPDATE voorziening SET status = 'gearchiveerd' WHERE gemeente_code = :g "
                 "AND naam = 'Sportpark'", g=G)
    assert _namen_op_kaart(proef.get("/kaart").text) == ["Huisarts"]
    assert _lijst_namen(proef.get("/kaart/lijst").text) == ["Huisarts"]


def test_voorziening_page_for_deep_links(proef: TestClient, session: Session) -> None:
    vid = _id(session, "Huisarts")
    redirect = proef.get(f"/voorzieningen/{vid}/paneel", follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == f"/voorzieningen/{vid}"
    page = proef.get(f"/voorzieningen/{vid}", headers=HTML).text
    assert '<h1 id="paneel-titel" class="utrecht-heading-1" tabindex="-1">Huisarts</h1>' in page
    assert 'href="/kaart?q=Huisarts"' in page and 'aria-current="page">Huisarts</span>' in page


# ---- /wijken -----------------------------------------------------------------------------

def _rij(page: str, code: str) -> list[str]:
    row = re.search(rf'<tr[^>]*data-gebied="{code}">(.*?)</tr>', page, re.S)
    assert row, code
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)]


def _volgorde(page: str) -> list[str]:
    return re.findall(r'data-gebied="(WK\d+)"', page)


def test_wijken_side_by_side_with_known_figures(proef: TestClient) -> None:
    page = proef.get("/wijken", headers=HTML).text
    assert _rij(page, "WK999801") == ["Vierkant", "Wijk", "2.000", "1", "0", "0"]
    assert _rij(page, "WK999802") == ["Oost", "Wijk", "–", "0", "1", "0"]
    assert 'aria-current="page">Wijken</a>' in page
    per_1000 = proef.get("/wijken", params={"maat": "per_1000"}).text
    assert _rij(per_1000, "WK999801")[3:] == ["0,5", "0,0", "0,0"]
    assert _rij(per_1000, "WK999802")[3:] == ["–", "–", "–"]
    gem = proef.get("/wijken", params={"maat": "nabijheid_gem"}).text
    assert _rij(gem, "WK999801")[3:] == ["381 m", "675 m", "–"]
    grootste = proef.get("/wijken", params={"maat": "nabijheid_max"}).text
    assert _rij(grootste, "WK999801")[3:] == ["636 m", "1.142 m", "–"]
    d400 = proef.get("/wijken", params={"maat": "dekking_400"}).text
    assert _rij(d400, "WK999801")[3:] == ["50 %", "17 %", "–"]
    d800 = proef.get("/wijken", params={"maat": "dekking_800"}).text
    assert _rij(d800, "WK999801")[3:] == ["100 %", "64 %", "–"]
    zb = proef.get("/wijken", params={"maat": "zelfbeheer"}).text
    assert _rij(zb, "WK999801")[3:] == ["2", "500 m²", "400 m²", "80,0 %", "1", "2", "2",
                                        "€ 1.000"]
    assert _rij(zb, "WK999802")[3:] == ["0", "0 m²", "0 m²", "0,0 %", "0", "0", "0", "€ 0"]
    bad = proef.get("/wijken", params={"maat": "onzin"}, headers=HTML)
    assert bad.status_code == 400 and "Dit kengetal bestaat niet" in bad.text


def test_wijken_sort_with_unknown_values_last(proef: TestClient) -> None:
    assert _volgorde(proef.get("/wijken").text) == ["WK999802", "WK999801"]  # Oost, Vierkant
    for richting in ("op", "af"):  # Oost's inwoners are unknown: last either way
        page = proef.get("/wijken", params={"sort": "inwoners", "richting": richting}).text
        assert _volgorde(page) == ["WK999801", "WK999802"]
    af = proef.get("/wijken", params={"maat": "aantal", "sort": "cat_sport", "richting": "af"})
    assert _volgorde(af.text) == ["WK999802", "WK999801"]
    assert re.search(r'data-kolom="cat_sport" aria-sort="descending"', af.text)
    # the header links sort the other way next; other headers start ascending
    assert 'href="/wijken?maat=aantal&amp;sort=cat_sport&amp;richting=op"' in af.text
    assert 'href="/wijken?maat=aantal&amp;sort=cat_zorg&amp;richting=op"' in af.text
    op = proef.get("/wijken", params={"maat": "aantal", "sort": "cat_sport", "richting": "op"})
    assert _volgorde(op.text) == ["WK999801", "WK999802"]


def test_wijken_bar_chart_follows_the_sorted_column(proef: TestClient) -> None:
    page = proef.get("/wijken", params={"maat": "dekking_800", "sort": "cat_sport",
                                        "richting": "af"}).text
    chart = page.split('data-testid="staafgrafiek"')[1].split("</svg>")[0]
    assert "<title id=\"staaf-titel\">Sport per wijk en dorp: deel van het gebied binnen 800 m" \
        in chart
    bars = re.findall(r"<title>([^<]*)</title>", chart)
    assert bars == ["Oost: 84 %", "Vierkant: 64 %"]
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', chart)]
    assert widths == [pytest.approx(440 * 0.844, abs=0.5), pytest.approx(440 * 0.644, abs=0.5)]
    assert 'fill="#d84315"' in chart
    other = proef.get("/wijken", params={"maat": "per_1000", "grafiek": "cat_zorg"}).text
    chart = other.split('data-testid="staafgrafiek"')[1].split("</svg>")[0]
    assert re.findall(r"<title>([^<]*)</title>", chart) == ["Oost: onbekend", "Vierkant: 0,5"]
    assert '<option value="cat_zorg" selected>Zorg</option>' in other


def test_wijken_csv_exact(proef: TestClient, session: Session) -> None:
    response = proef.get("/wijken.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == \
        'attachment; filename="kengetallen-wijken-en-dorpen-GM9998.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    tijd = {k.code: k.berekend_op.strftime("%d-%m-%Y %H:%M")
            for k in alle_kengetallen(session, G)}
    cat = ["aantal", "per 1.000 inwoners", "gemiddelde afstand (m)", "grootste afstand (m)",
           "binnen 400 m (%)", "binnen 800 m (%)", "binnen 5 min lopen (%)",
           "binnen 10 min lopen (%)", "binnen 15 min lopen (%)",
           "niet bereikbaar (woonadressen)"]
    kop = (["Code", "Naam", "Soort", "Inwoners", "Oppervlakte (ha)", "Afstand gemeten",
            "Woonadressen", "Groen binnen 300 m lopen (%)"]
           + [f"{c}: {s}" for c in ("Zorg", "Sport", "Cultuur") for s in cat]
           + ["Groenvakken", "Oppervlakte groen (m²)", "In zelfbeheer (m²)", "In zelfbeheer (%)",
              "Actieve groepen", "Deelnemers", "Onderhoud laatste 90 dagen",
              "Besparing per jaar (€)", "Berekend op"])
    # no streets in this gemeente: straight lines, and the walking columns stay empty
    leeg = ";;;;"
    expected = "\ufeff" + "\r\n".join([
        ";".join(kop),
        "WK999802;Oost;Wijk;;100,0;hemelsbreed;;;"
        f"0;;1043;1518;0,0;24,4{leeg};1;;519;962;33,0;84,4{leeg};0;;;;;{leeg};"
        f"0;0;0;0,0;0;0;0;0,00;{tijd['WK999802']}",
        "WK999801;Vierkant;Wijk;2000;100,0;hemelsbreed;;;"
        f"1;0,50;381;636;50,2;100,0{leeg};0;0,00;675;1142;17,2;64,4{leeg};0;0,00;;;;{leeg};"
        f"2;500;400;80,0;1;2;2;1000,00;{tijd['WK999801']}",
    ]) + "\r\n"
    assert response.content.decode("utf-8") == expected


def test_csv_never_runs_a_formula(proef: TestClient, session: Session) -> None:
    run(session, "UPDATE gebied SET naam = '=HYPERLINK(\"x\";\"y\")' WHERE gemeente_code = :g "
                 "AND code = 'WK999802'", g=G)
    text = proef.get("/wijken.csv").content.decode("utf-8")
    assert "\r\nWK999802;\"'=HYPERLINK(\"\"x\"\";\"\"y\"\")\";Wijk;" in text


def test_marker_colours_carry_white_text() -> None:
    """White on every demo category colour reaches 4.5:1; the one that does not is darkened."""
    import csv

    from app.config import PROJECT_DIR
    from app.services.voorzieningen.categorieen import contrast_met_wit
    from app.services.voorzieningen.kaart import leesbare_kleur

    with open(PROJECT_DIR / "data" / "categorieen.csv", encoding="utf-8") as f:
        kleuren = {r["code"]: r["kleur"] for r in csv.DictReader(f)}
    for code, kleur in kleuren.items():
        assert contrast_met_wit(leesbare_kleur(kleur)) >= 4.5, code
        if contrast_met_wit(kleur) >= 4.5:
            assert leesbare_kleur(kleur) == kleur
    assert leesbare_kleur("#d84315") == "#cd3f13"
    assert leesbare_kleur("geen kleur") == "#1d5c8c"

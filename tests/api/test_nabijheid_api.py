"""The collection `nabijheid` of the open API: the figures per wijk and category that the wijk
pages show, kept fresh when a voorziening changes, and straight-line where there are no
streets (the hand-made proefgemeente)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.services.gebieden import gebied_kengetallen
from app.services.gebieden.kengetallen import CategorieKengetal, GebiedKengetallen
from tests.conftest import scalar
from tests.proefgemeente import G, maak_proefgemeente

DEMO = "GM9901"
WIJK = "WK990107"
ITEMS = "/v1/collections/nabijheid/items"


def _round(value: float | None, places: str) -> float | None:
    """What the view does: the JSON's own digits as numeric, rounded half away from zero."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal(places), ROUND_HALF_UP))


def _expected(k: GebiedKengetallen, c: CategorieKengetal) -> dict[str, Any]:
    """The properties the API must give for this category of this gebied."""
    weg = k.over_de_weg
    return {
        "wijk": k.code, "wijk_naam": k.naam, "categorie": c.categorie_code,
        "categorie_naam": c.categorie_naam,
        "afstand_gemeten": "over de weg" if weg else "hemelsbreed",
        "gemiddelde_afstand_m": _round(c.nabijheid_gem_m, "0.1"),
        "grootste_afstand_m": _round(c.nabijheid_max_m, "0.1"),
        "binnen_5_min": _round(c.binnen_5, "0.0001"),
        "binnen_10_min": _round(c.binnen_10, "0.0001"),
        "binnen_15_min": _round(c.binnen_15, "0.0001"),
        "niet_bereikbaar": c.niet_bereikbaar if weg else None,
        "woonadressen": k.woonadressen, "groen_300m": _round(k.groen_300, "0.0001"),
    }


def _items(client: TestClient, **params: object) -> dict[str, Any]:
    r = client.get(ITEMS, params={"limit": 1000, **params})  # type: ignore[arg-type]
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/geo+json"
    body: dict[str, Any] = r.json()
    return body


def _by_categorie(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["categorie"]: f for f in body["features"]}


def test_items_of_a_wijk_match_its_kengetallen(client: TestClient, session: Session) -> None:
    features = _by_categorie(_items(client, wijk=WIJK))
    k = gebied_kengetallen(session, DEMO, WIJK)
    assert k is not None and k.over_de_weg and k.woonadressen
    assert set(features) == {c.categorie_code for c in k.categorieen}
    for c in k.categorieen:
        feature = features[c.categorie_code]
        props = {n: v for n, v in feature["properties"].items() if n != "gemeente"}
        assert props == _expected(k, c), c.categorie_code
        assert feature["properties"]["gemeente"] == DEMO
        categorie_id = scalar(session, "SELECT id FROM categorie WHERE gemeente_code = :g "
                              "AND code = :c", g=DEMO, c=c.categorie_code)
        assert feature["id"] == k.gebied_id * 1_000_000 + categorie_id  # type: ignore[operator]
        assert feature["geometry"]["type"] == "MultiPolygon"
    # at least one category is measured over the road with real shares
    assert any(f["properties"]["binnen_15_min"] is not None for f in features.values())
    one = next(iter(features.values()))
    item = client.get(f"{ITEMS}/{one['id']}")
    assert item.status_code == 200 and item.json()["properties"] == one["properties"]


def test_filter_by_categorie(client: TestClient, session: Session) -> None:
    body = _items(client, categorie="zorg")
    gebieden = scalar(session, "SELECT count(*) FROM gebied WHERE soort IN ('wijk', 'dorp')")
    assert body["numberMatched"] == body["numberReturned"] == gebieden
    assert {f["properties"]["categorie"] for f in body["features"]} == {"zorg"}
    assert len({f["properties"]["wijk"] for f in body["features"]}) == gebieden
    ver = _items(client, filter="categorie = 'zorg' AND binnen_15_min < 0.5")
    assert all(f["properties"]["binnen_15_min"] < 0.5 for f in ver["features"])
    assert {f["id"] for f in ver["features"]} <= {f["id"] for f in body["features"]}
    assert _items(client, categorie="bestaat-niet")["features"] == []


def test_a_new_voorziening_changes_the_figure(client: TestClient, session: Session) -> None:
    gebied_kengetallen(session, DEMO, WIJK)  # the wijk page has filled the cache
    before = _by_categorie(_items(client, wijk=WIJK))["zorg"]["properties"]
    # the woonadres of this wijk farthest from zorg gets a huisartsenpost of its own
    adres = scalar(session, """SELECT a.id FROM adres a JOIN gebied w ON w.id = a.wijk_id
        JOIN adres_afstand af ON af.adres_id = a.id AND af.doel = 'zorg'
        WHERE w.code = :w AND a.woonfunctie AND af.afstand_m IS NOT NULL
        ORDER BY af.afstand_m DESC, a.id LIMIT 1""", w=WIJK)
    session.execute(text("""INSERT INTO voorziening (gemeente_code, naam, categorie_id, geometrie)
        SELECT a.gemeente_code, 'Nieuwe huisartsenpost', c.id, a.geometrie
          FROM adres a JOIN categorie c ON c.gemeente_code = a.gemeente_code AND c.code = 'zorg'
         WHERE a.id = :a"""), {"a": adres})
    after = _by_categorie(_items(client, wijk=WIJK))["zorg"]["properties"]
    assert after["gemiddelde_afstand_m"] < before["gemiddelde_afstand_m"]
    assert after["grootste_afstand_m"] < before["grootste_afstand_m"]
    assert after["binnen_5_min"] > before["binnen_5_min"]
    k = gebied_kengetallen(session, DEMO, WIJK)
    assert k is not None
    zorg = next(c for c in k.categorieen if c.categorie_code == "zorg")
    assert {n: v for n, v in after.items() if n != "gemeente"} == _expected(k, zorg)


def test_a_gemeente_without_streets_is_measured_in_straight_lines(client: TestClient,
                                                                  session: Session) -> None:
    maak_proefgemeente(session)
    body = _items(client, gemeente=G)
    assert body["numberMatched"] == 2 * 3  # two wijken, three categories
    for feature in body["features"]:
        props = feature["properties"]
        assert props["afstand_gemeten"] == "hemelsbreed" and props["gemeente"] == G
        for name in ("binnen_5_min", "binnen_10_min", "binnen_15_min", "niet_bereikbaar",
                     "woonadressen", "groen_300m"):
            assert props[name] is None, name
    zorg = next(f["properties"] for f in body["features"]
                if f["properties"]["wijk"] == "WK999801" and f["properties"]["categorie"] == "zorg")
    # the mean over the 100 m grid around the middle (tests/db/test_kengetallen.py)
    assert zorg["gemiddelde_afstand_m"] == 381.2 and zorg["grootste_afstand_m"] == 636.4
    cultuur = next(f["properties"] for f in body["features"]
                   if f["properties"]["categorie"] == "cultuur")
    assert cultuur["gemiddelde_afstand_m"] is None  # no voorziening of this category at all


def test_no_tiles_for_nabijheid(client: TestClient) -> None:
    r = client.get("/v1/collections/nabijheid")
    assert r.status_code == 200
    assert not any("/tiles" in lk["href"] for lk in r.json()["links"])
    for path in ("/tiles", "/tiles/WebMercatorQuad", "/tiles/WebMercatorQuad/15/10000/10000"):
        tiles = client.get(f"/v1/collections/nabijheid{path}")
        assert tiles.status_code == 404 and \
            tiles.headers["content-type"] == "application/problem+json"
    assert client.get(f"{ITEMS}/12").status_code == 404


def test_items_as_html(client: TestClient) -> None:
    r = client.get(ITEMS, params={"wijk": WIJK, "f": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "over de weg" in r.text

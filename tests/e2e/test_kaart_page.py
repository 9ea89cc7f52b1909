"""The voorzieningen map and list in a real browser: a category off and on by keyboard, a
voorziening's panel from a marker and from the list, and the list view's filters (htmx)."""

import pytest
from sqlalchemy import Engine, text

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

# markers shown on the map: single markers plus the counts in the clusters
OP_KAART = """() => {
  let n = document.querySelectorAll('.leaflet-marker-pane .vz-marker').length;
  document.querySelectorAll('.leaflet-marker-pane .vz-cluster').forEach(
    c => { n += parseInt(c.dataset.aantal, 10); });
  return n;
}"""


def _tellingen(engine: Engine) -> tuple[int, int, str]:
    """Published voorzieningen in all, in zorg, and the name of a zorg one that is unique."""
    with engine.connect() as conn:
        alle, zorg = conn.execute(text("""
            SELECT count(*), count(*) FILTER (WHERE c.code = 'zorg')
              FROM voorziening v JOIN categorie c ON c.id = v.categorie_id
             WHERE v.status = 'gepubliceerd'""")).one()
        naam = conn.execute(text("""
            SELECT v.naam FROM voorziening v JOIN categorie c ON c.id = v.categorie_id
             WHERE v.status = 'gepubliceerd' AND c.code = 'zorg'
               AND NOT EXISTS (SELECT 1 FROM voorziening o WHERE o.id <> v.id
                                 AND o.naam ILIKE '%' || v.naam || '%')
             ORDER BY v.naam LIMIT 1""")).scalar_one()
    return int(alle), int(zorg), str(naam)


def test_categories_and_panel_on_the_map(page, live_url: str,  # type: ignore[no-untyped-def]
                                         engine: Engine) -> None:
    alle, zorg, naam = _tellingen(engine)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_url}/kaart")
    page.wait_for_selector(".leaflet-marker-pane .vz-cluster")
    assert page.evaluate(OP_KAART) == alle
    assert page.locator("#kaart-hint").inner_text() == f"{alle} voorzieningen op de kaart."

    # zorg off and on again with the keyboard only: map, list and address follow
    box = page.locator("#cat-zorg")
    box.focus()
    page.keyboard.press("Space")
    assert not box.is_checked()
    page.wait_for_function(f"() => ({OP_KAART})() === {alle - zorg}")
    assert page.locator(".vz-groep[data-categorie=zorg]").is_hidden()
    assert "categorie=zorg" not in page.url and "categorie=onderwijs" in page.url
    page.keyboard.press("Space")
    assert box.is_checked()
    page.wait_for_function(f"() => ({OP_KAART})() === {alle}")
    assert page.locator(".vz-groep[data-categorie=zorg]").is_visible()
    assert "categorie=" not in page.url
    screenshot(page, "kaart-voorzieningen")

    # a cluster takes focus and Enter zooms in on it
    zoom = "window[document.querySelector('[data-vzkaart]').dataset.mapVar].getZoom()"
    before = page.evaluate(zoom)
    page.locator(".leaflet-marker-pane .leaflet-marker-icon:has(.vz-cluster)").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => {zoom} > {before}")

    # a search by name leaves one marker; a click on it opens the panel
    page.goto(f"{live_url}/kaart?q={naam}")
    marker = page.locator(".leaflet-marker-pane .vz-marker")
    marker.wait_for()
    assert marker.count() == 1
    marker.click()
    page.wait_for_function(
        f"() => document.querySelector('#paneel-titel')?.innerText === {naam!r}")
    panel = page.locator("#paneel").inner_text()
    for label in ("Adres", "Openingstijden", "Bron", "Laatst gecontroleerd"):
        assert label in panel
    assert page.evaluate("document.activeElement.id") == "paneel-titel"

    # and by keyboard: the marker takes focus (Tab) and Enter opens the panel
    page.reload()
    marker.wait_for()
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('#paneel-titel')?.innerText === {naam!r}")

    # the list beside the map opens a panel by keyboard too
    page.goto(f"{live_url}/kaart?categorie=cultuur")
    link = page.locator(".vz-groep[data-categorie=cultuur] a[hx-get]").first
    titel = link.inner_text()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('#paneel-titel')?.innerText === {titel!r}")
    assert page.url.endswith("/kaart?categorie=cultuur")  # htmx, not a navigation
    assert errors == []
    screenshot(page, "kaart-paneel")


def test_list_view_filters(page, live_url: str,  # type: ignore[no-untyped-def]
                           engine: Engine) -> None:
    alle, zorg, naam = _tellingen(engine)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_url}/kaart/lijst")
    kop = page.locator("#resultaten-titel")
    assert kop.inner_text() == f"{alle} voorzieningen gevonden"

    # only zorg: the table follows at once (htmx) and the address can be shared
    for box in page.locator("input[name=categorie]").all():
        if box.get_attribute("value") != "zorg":
            box.uncheck()
    titel = "document.querySelector('#resultaten-titel').innerText"
    page.wait_for_function(f"() => {titel} === '{zorg} voorzieningen gevonden'")
    kinds = page.locator("#resultaten tr[data-categorie]").evaluate_all(
        "rows => [...new Set(rows.map(r => r.dataset.categorie))]")
    assert kinds == ["zorg"]
    assert "categorie=zorg" in page.url

    # a name search within zorg, submitted with Enter
    page.locator("#q").fill(naam)
    page.locator("#q").press("Enter")
    page.wait_for_function(f"() => {titel} === '1 voorziening gevonden'")
    assert page.locator("#resultaten tbody th").inner_text() == naam
    assert page.locator("#aantal-zorg").inner_text() == "(1)"  # counts follow the search
    assert page.locator("#naar-kaart").get_attribute("href").startswith("/kaart?categorie=zorg")
    assert errors == []
    screenshot(page, "kaart-lijst")

"""The page of a wijk in a real browser: categories on and off by keyboard, a voorziening's
panel from the map and from the list, an isochrone from a voorziening, the witte vlekken."""

import pytest
from sqlalchemy import Engine, text

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

ZORG = "#c62828"  # the demo's colour for the category zorg


def _wijk(engine: Engine) -> tuple[str, list[str]]:
    """The demo wijk with the most zorg voorzieningen, and their names."""
    with engine.connect() as conn:
        code = conn.execute(text("""
            SELECT w.code FROM gebied w JOIN voorziening v ON v.wijk_id = w.id
              JOIN categorie c ON c.id = v.categorie_id
             WHERE w.soort = 'wijk' AND c.code = 'zorg' AND v.status = 'gepubliceerd'
             GROUP BY w.code ORDER BY count(*) DESC, w.code LIMIT 1""")).scalar_one()
        namen = conn.execute(text("""
            SELECT v.naam FROM voorziening v JOIN gebied w ON w.id = v.wijk_id
              JOIN categorie c ON c.id = v.categorie_id
             WHERE w.code = :code AND c.code = 'zorg' AND v.status = 'gepubliceerd'
             ORDER BY v.naam"""), {"code": code}).scalars().all()
    return code, list(namen)


def _zorg_markers(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator(f'.leaflet-overlay-pane path[fill="{ZORG}"]').count())


def test_categories_panel_and_witte_vlekken(page, live_url: str,  # type: ignore[no-untyped-def]
                                             engine: Engine) -> None:
    code, zorg = _wijk(engine)
    assert len(zorg) >= 2
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_url}/wijken/{code}")
    page.wait_for_selector(".leaflet-container")
    page.wait_for_function("() => /op de kaart|Zoom in/.test("
                           "document.getElementById('kaart-hint').textContent)")
    assert _zorg_markers(page) == len(zorg)

    # switch zorg off and on again with the keyboard only
    box = page.locator("#laag-zorg")
    box.focus()
    page.keyboard.press("Space")
    assert not box.is_checked()
    assert _zorg_markers(page) == 0
    page.keyboard.press("Space")
    assert box.is_checked()
    assert _zorg_markers(page) == len(zorg)

    # a click on a marker opens that voorziening's panel
    page.locator(f'.leaflet-overlay-pane path[fill="{ZORG}"]').first.click(force=True)
    panel = page.locator("#paneel")
    page.wait_for_function(
        "() => document.querySelector('#paneel').innerText.trim().length > 0 && "
        "!document.querySelector('#paneel').innerText.includes('Kies een voorziening')")
    assert any(naam in panel.inner_text() for naam in zorg)

    # the list opens a panel by keyboard too
    link = page.locator("[data-testid=voorzieningen] a", has_text=zorg[-1]).first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('#paneel').innerText.includes({zorg[-1]!r})")

    # the panel offers "what lies within 15 minutes": three bands over the street network
    knop = page.locator("[data-testid=bereik-knop]")
    knop.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-gebied]').dataset.bereik === '3'")
    assert "bereikt in 5 minuten" in page.locator("#bereik-status").inner_text()
    assert page.locator('.leaflet-overlay-pane path[fill="#3f007d"]').count() == 1
    screenshot(page, "gebied-bereik")
    page.locator("#bereik-wis").click()
    assert page.locator('.leaflet-overlay-pane path[fill="#3f007d"]').count() == 0

    # witte vlekken for zorg: the woonadressen beyond 10 (then 15) minutes' walk
    page.locator("#wv-categorie").select_option("zorg")
    page.locator("#wv-tonen").check()
    page.wait_for_function(
        "() => document.querySelector('#wv-status').innerText.includes('woonadressen')")
    status = page.locator("#wv-status").inner_text()
    assert "meer dan 10 minuten lopen van zorg" in status
    page.locator("#wv-drempel").select_option("15")
    page.wait_for_function(
        "() => document.querySelector('#wv-status').innerText.includes('meer dan 15 minuten')")
    assert errors == []
    screenshot(page, "gebied-wijk")

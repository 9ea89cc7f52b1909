"""The zelfbeheer map in a real browser: zoomed in, groenvakken load from the API by status."""

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

CENTRE = [52.268, 6.515]  # the demo town


def test_groenvakken_appear_when_zoomed_in(page, live_url: str) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_url + "/zelfbeheer")
    page.wait_for_selector(".leaflet-container")
    assert "Zoom in" in page.locator("#kaart-hint").inner_text()
    page.evaluate(f"window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
                  f".setView({CENTRE}, 17)")
    page.wait_for_function("() => document.querySelector('[data-zelfbeheer]').dataset.geladen > 0")
    loaded = int(page.locator("[data-zelfbeheer]").get_attribute("data-geladen"))
    paths = page.locator(".leaflet-overlay-pane path").count()
    assert paths >= loaded > 10  # groenvakken plus the wijk boundaries
    colours = page.evaluate("""Array.from(document.querySelectorAll(
        '.leaflet-overlay-pane path')).map(p => p.getAttribute('stroke'))""")
    assert "#2e7d32" in colours  # beschikbaar
    assert errors == []
    screenshot(page, "zelfbeheer-kaart")


def test_search_zooms_to_a_wijk(page, live_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_url + "/zelfbeheer?zoek=Vaartzoom")
    page.wait_for_selector(".leaflet-container")
    before = page.evaluate("window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
                           ".getZoom()")
    page.click(".zoekresultaten a")
    page.wait_for_timeout(500)
    after = page.evaluate("window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
                          ".getZoom()")
    assert after > before

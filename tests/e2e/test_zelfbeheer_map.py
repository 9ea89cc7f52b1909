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
    map_ = "window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
    page.evaluate(f"{map_}.setView({CENTRE}, 12) && null")
    page.wait_for_function(
        "() => document.querySelector('[data-zelfbeheer]').dataset.geladen === '0'")
    assert "Zoom in" in page.locator("#kaart-hint").inner_text()
    # zoomed out: a count per wijk or dorp instead of plots
    assert page.locator(".groen-telling").count() > 3
    page.evaluate(f"{map_}.setView({CENTRE}, 17) && null")
    page.wait_for_function("() => document.querySelector('[data-zelfbeheer]').dataset.geladen > 0")
    loaded = int(page.locator("[data-zelfbeheer]").get_attribute("data-geladen"))
    colours = page.evaluate(f"""(() => {{ const c = []; {map_}.eachLayer(l => {{
        if (l.feature && l.feature.properties.status) c.push(l.options.color); }});
        return c; }})()""")
    assert len(colours) >= loaded > 10
    assert "#009e73" in colours  # beschikbaar
    assert errors == []
    screenshot(page, "zelfbeheer-kaart")


def test_search_zooms_to_a_wijk(page, live_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_url + "/zelfbeheer?zoek=Vaartzoom")
    page.wait_for_selector(".leaflet-container")
    page.evaluate("window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
                  ".setZoom(11) && null")  # zoomed out, as after a look around the gemeente
    page.wait_for_timeout(500)
    before = page.evaluate("window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
                           ".getZoom()")
    page.click(".zoekresultaten a")
    page.wait_for_timeout(500)
    after = page.evaluate("window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
                          ".getZoom()")
    assert after > before

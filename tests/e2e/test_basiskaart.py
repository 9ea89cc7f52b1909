"""Our own basemap in a real browser with no internet: /zelfbeheer at zoom 16 over the demo
town draws the vector tiles of /v1/tiles/basiskaart on canvases below the plots."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from app.config import EIGEN, Settings
from app.main import create_app
from tests.e2e.conftest import screenshot
from tests.live_server import serve

pytestmark = pytest.mark.e2e

CENTRE = [52.268, 6.515]  # the demo town

# Pixels of the basemap canvases that differ from the background colour (#f4f1ea).
PAINTED = """() => Array.from(document.querySelectorAll('.leaflet-tile-pane canvas'))
  .filter(c => c.width > 0).reduce((n, c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let k = 0;
    for (let i = 0; i < d.length; i += 4 * 7) {
      if (Math.abs(d[i] - 244) + Math.abs(d[i + 1] - 241) + Math.abs(d[i + 2] - 234) > 30) k++;
    }
    return n + k;
  }, 0)"""


@pytest.fixture(scope="module")
def eigen_url(settings: Settings, db_url: str) -> Iterator[str]:
    """A live server whose maps use our own basemap (KAART_BASISKAART=eigen)."""
    app = create_app(settings.met_basiskaart(EIGEN), url=db_url)  # with its attribution
    with serve(app) as base:
        yield base


def test_zelfbeheer_draws_our_basemap_offline(browser, eigen_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(eigen_url))
    outside: list[str] = []

    def only_our_origin(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(origin + "/"):
            route.continue_()
        else:  # no internet: anything elsewhere is refused
            outside.append(url)
            route.abort()

    context.route("**/*", only_our_origin)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    tiles: list[int] = []
    page.on("response", lambda r: tiles.append(r.status) if "/v1/tiles/basiskaart/" in r.url
            else None)
    try:
        page.goto(eigen_url + "/zelfbeheer")
        page.wait_for_selector(".leaflet-container")
        page.evaluate(f"window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
                      f".setView({CENTRE}, 16) && null")
        page.wait_for_function("() => document.querySelector('[data-zelfbeheer]')"
                               ".dataset.geladen > 0")
        page.wait_for_function(f"({PAINTED}) () > 5000", timeout=20000)
        page.wait_for_timeout(1500)  # labels are placed after the shapes
        assert 200 in tiles, tiles
        # the plots have their own canvas above the basemap (and below the area lines)
        assert page.locator(".leaflet-groenvakken-pane canvas").count() == 1
        assert int(page.locator("[data-zelfbeheer]").get_attribute("data-geladen") or 0) > 10
        assert page.locator(".leaflet-tile-pane canvas").count() >= 4
        assert outside == [] and errors == []
        # our own basemap names its source: the gemeente's data, not the Kadaster
        assert "Basiskaart: gegevens van de gemeente" in page.locator(
            ".leaflet-control-attribution").inner_text()
        screenshot(page, "zelfbeheer-basiskaart-z16")
        page.evaluate(f"window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
                      f".setView({CENTRE}, 18) && null")
        page.wait_for_timeout(2500)
        screenshot(page, "zelfbeheer-basiskaart-z18")
    finally:
        context.close()

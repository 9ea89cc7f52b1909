"""The start page in a real browser: the map draws every wijk and dorp, also without basemap."""

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def test_map_draws_every_wijk_and_dorp(page, live_url: str) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
    page.goto(live_url + "/")
    page.wait_for_selector(".leaflet-container path.leaflet-interactive")
    assert page.locator(".leaflet-container path.leaflet-interactive").count() == 15
    assert page.locator("[data-testid=gebieden] tbody tr").count() == 15
    assert page.locator(".leaflet-control-scale").count() == 1
    # hovering a wijk shows its name
    page.locator(".leaflet-container path.leaflet-interactive").first.hover()
    assert page.locator(".leaflet-tooltip").inner_text().strip() != ""
    assert errors == []
    path = screenshot(page, "index")
    assert path.stat().st_size > 10_000


def test_keyboard_user_reaches_the_content(page, live_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".utrecht-skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_phone_layout_stacks_map_and_table(browser, live_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_url + "/")
    page.wait_for_selector(".leaflet-container")
    kaart = page.locator(".kaart").bounding_box()
    tabel = page.locator("[data-testid=gebieden]").bounding_box()
    assert tabel["y"] > kaart["y"] + kaart["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "index-telefoon")
    context.close()

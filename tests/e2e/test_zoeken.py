"""The town search box in a real browser: type an address, choose it by keyboard, and the map
goes there while the groenvakken nearest to it appear beside the map."""

import pytest
from sqlalchemy import Connection, text

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

MAP = "window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"


def test_choose_an_address_by_keyboard(page, live_url: str,  # type: ignore[no-untyped-def]
                                       connection: Connection) -> None:
    adres = connection.execute(text("""
        SELECT a.id, a.straatnaam || ' ' || a.huisnummer, ST_Y(ST_Transform(a.geometrie, 4326)),
               ST_X(ST_Transform(a.geometrie, 4326)),
               (SELECT count(*) FROM groenvak v WHERE v.vervallen_op IS NULL
                   AND ST_DWithin(v.geometrie, a.geometrie, 100))
          FROM adres a WHERE a.huisletter IS NULL AND a.toevoeging IS NULL AND EXISTS (
            SELECT 1 FROM groenvak v WHERE v.vervallen_op IS NULL
               AND ST_DWithin(v.geometrie, a.geometrie, 100)) AND NOT EXISTS (
           SELECT 1 FROM adres b WHERE b.id <> a.id AND b.straatnaam = a.straatnaam
              AND b.huisnummer = a.huisnummer)
         ORDER BY a.identificatie OFFSET 40 LIMIT 1""")).one()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_url + "/zelfbeheer")
    page.wait_for_selector(".leaflet-container")
    box = page.get_by_role("combobox", name="Zoek uw adres, een straat, buurt of groenvak")
    assert box.get_attribute("aria-expanded") == "false"
    box.focus()
    page.keyboard.type(adres[1], delay=30)
    page.wait_for_selector("#zoekvak-lijst [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == "zoekvak-lijst"
    page.wait_for_function("() => /resultaten?$/.test("
                           "document.getElementById('zoekvak-status').textContent)")
    first = page.locator("#zoekvak-lijst [role=option]").first
    assert first.get_attribute("data-adres") == str(adres[0])
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    # the map moved to the address, close up
    page.wait_for_function(f"() => {MAP}.getZoom() >= 17")
    centre = page.evaluate(f"(() => {{ const c = {MAP}.getCenter(); return [c.lat, c.lng]; }})()")
    assert abs(centre[0] - adres[2]) < 1e-4 and abs(centre[1] - adres[3]) < 1e-4
    centrum = page.locator(".leaflet-container").first.get_attribute("data-centrum")
    assert centrum and abs(float(centrum.split(",")[0]) - adres[2]) < 1e-4
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value().startswith(adres[1])
    # and the nearest groenvakken are listed beside it
    near = page.get_by_test_id("dichtbij")
    near.get_by_role("heading").wait_for()
    expected = min(adres[4], 10)
    assert f"{expected} groenvak" in near.get_by_role("heading").inner_text()
    assert near.locator("li").count() == expected
    assert errors == []
    page.wait_for_timeout(500)  # tiles and groenvakken drawn for the picture
    screenshot(page, "zoeken-adres-390")


def test_escape_closes_and_enter_without_choice_submits(page, live_url: str,  # type: ignore[no-untyped-def]
                                                         connection: Connection) -> None:
    straat = connection.execute(text("SELECT naam FROM straat ORDER BY id LIMIT 1")).scalar()
    page.goto(live_url + "/kaart")
    box = page.locator("#zoekvak")
    box.focus()
    page.keyboard.type(straat, delay=20)
    page.wait_for_selector("#zoekvak-lijst [role=option]")
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator("#zoekvak-lijst").is_hidden()
    page.keyboard.press("Enter")  # no option chosen: the plain results page
    page.wait_for_url("**/zoeken?q=*")
    assert page.get_by_role("link", name=straat).count() >= 1

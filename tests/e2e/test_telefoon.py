"""The resident's map pages on a phone (390×844, touch) and by keyboard alone: no page scrolls
sideways, a tapped plot's panel is in view as a bottom sheet, the plots are a list of named
buttons (not hundreds of unnamed Tab stops), and axe finds nothing, also with the panel open."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Connection, text

from tests.e2e.axe import violations
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

MAP = "window[document.querySelector('.leaflet-container').id]"
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "nl-NL", "has_touch": True,
         "is_mobile": True, "device_scale_factor": 1}


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == []  # no script error, no failed request (such as /favicon.ico)


def public_pages(connection: Connection) -> list[str]:
    """Every public page a resident can open, with real ids from the demo gemeente."""
    wijk, dorp = (connection.execute(text(
        f"SELECT code FROM gebied WHERE soort = '{soort}' ORDER BY code LIMIT 1")).scalar_one()
        for soort in ("wijk", "dorp"))
    voorziening = connection.execute(text(
        "SELECT min(id) FROM voorziening WHERE status = 'gepubliceerd'")).scalar_one()
    groenvak = connection.execute(text(
        "SELECT min(id) FROM groenvak WHERE vervallen_op IS NULL")).scalar_one()
    return ["/", "/kaart", "/kaart/lijst", "/wijken", f"/wijken/{wijk}", f"/dorpen/{dorp}",
            f"/voorzieningen/{voorziening}", f"/voorzieningen/{voorziening}/correctie",
            "/zelfbeheer", f"/zelfbeheer/lijst?wijk={wijk}", f"/zelfbeheer/groenvak/{groenvak}",
            "/zoeken?q=straat", "/inloggen", "/registreren", "/wachtwoord-vergeten",
            "/voorstellen/nieuw"]


def wait_for_plots(page: Page) -> None:
    page.wait_for_selector(".leaflet-container")
    page.wait_for_function("() => Number(document.querySelector('[data-zelfbeheer]')"
                           ".dataset.geladen) > 0")


def test_no_public_page_scrolls_sideways_and_axe_finds_nothing(
        phone: Page, live_url: str, connection: Connection) -> None:
    found = {}
    for path in public_pages(connection):
        phone.goto(live_url + path)
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        problems = violations(phone)
        if width > 400 or problems:
            found[path] = (width, problems)
        if path in ("/wijken", "/zelfbeheer", "/kaart/lijst"):
            screenshot(phone, "telefoon" + path.replace("/", "-"))
    assert found == {}


def test_first_view_shows_plots_with_the_hint_above_the_map(phone: Page, live_url: str) -> None:
    phone.goto(live_url + "/zelfbeheer")
    wait_for_plots(phone)
    hint = phone.locator("#kaart-hint").bounding_box()
    kaart = phone.get_by_test_id("kaart").bounding_box()
    assert hint and kaart and hint["y"] + hint["height"] <= kaart["y"] and hint["y"] < 844
    assert "groenvakken in beeld" in phone.locator("#kaart-hint").inner_text()
    # small plots stay tappable: every plot has a dot of at least 10 px plus a 12 px tolerance
    assert phone.evaluate(f"{MAP}.getZoom()") >= 15
    screenshot(phone, "telefoon-zelfbeheer-eerste-beeld")


def test_tapping_a_plot_opens_the_sheet_in_view(phone: Page, live_url: str) -> None:
    phone.goto(live_url + "/zelfbeheer")
    wait_for_plots(phone)
    phone.locator(".leaflet-container").scroll_into_view_if_needed()
    box = phone.locator(".leaflet-container").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 845
    # a plot on its own (no other plot within 40 px), away from the zoom buttons and edges
    found = phone.evaluate(f"""(() => {{
        const pts = [];
        {MAP}.eachLayer(l => {{ if (l.feature && l.getCenter && l.feature.geometry)
          pts.push([l.feature.id, {MAP}.latLngToContainerPoint(l.getCenter())]); }});
        const size = {MAP}.getSize();
        const alone = pts.filter(([id, p]) => p.x > 60 && p.x < size.x - 30 && p.y > 30 &&
          p.y < size.y - 30 && pts.every(([o, q]) => o === id || p.distanceTo(q) > 40));
        return alone.length ? [String(alone[0][0]), alone[0][1].x, alone[0][1].y] : null; }})()""")
    assert found
    plot_id, x, y = found
    point = {"x": x, "y": y}
    # a tap 11 px beside the plot's centre still hits it: a target of more than 22 px
    with phone.expect_response(lambda r: r.url.endswith(f"/zelfbeheer/groenvak/{plot_id}")):
        phone.touchscreen.tap(box["x"] + point["x"] + 11, box["y"] + point["y"])
    sheet = phone.locator("[data-blad]")
    panel = phone.get_by_test_id("groenvak-paneel")
    expect(panel).to_be_visible()
    phone.wait_for_timeout(300)  # the sheet slides up
    top = panel.bounding_box()
    assert top and 0 <= top["y"] < 844 - 100  # its heading and status are on screen
    assert phone.evaluate("document.activeElement.id") == "paneel-titel"
    assert violations(phone) == []
    screenshot(phone, "telefoon-zelfbeheer-paneel")
    phone.keyboard.press("Escape")
    expect(sheet).not_to_have_attribute("data-open", "ja")
    assert phone.evaluate("document.activeElement.classList.contains('leaflet-container')")


def test_the_map_has_no_unnamed_tab_stops(phone: Page, live_url: str,
                                          connection: Connection) -> None:
    wijk = connection.execute(text(
        "SELECT w.code FROM gebied w WHERE w.soort = 'wijk' AND EXISTS (SELECT 1 FROM groenvak g"
        " WHERE g.wijk_id = w.id) ORDER BY w.code LIMIT 1")).scalar_one()
    for path, ready in (("/zelfbeheer", "geladen"), (f"/wijken/{wijk}", "groenGeladen")):
        phone.goto(live_url + path)
        phone.wait_for_function(f"() => Number(document.querySelector('[data-zelfbeheer], "
                                f"[data-gebied]').dataset.{ready}) > 0")
        stops = phone.evaluate("""Array.from(document.querySelectorAll(
            '.leaflet-container path, .leaflet-container svg, .leaflet-container canvas'))
            .filter(e => e.tabIndex >= 0).length""")
        assert stops == 0, path
    # the plots are one Tab stop: a list of named buttons
    phone.goto(live_url + "/zelfbeheer")
    wait_for_plots(phone)
    buttons = phone.locator("#plotlijst button")
    assert buttons.count() > 5
    assert phone.evaluate("""Array.from(document.querySelectorAll('#plotlijst button'))
        .filter(b => b.tabIndex === 0).length""") == 1
    assert all(" m²" in n and n.count(",") >= 2 for n in buttons.all_inner_texts())


def test_table_cells_never_break_inside_a_word(phone: Page, live_url: str) -> None:
    for path in ("/kaart/lijst", "/wijken"):
        phone.goto(live_url + path)
        broken = phone.evaluate("""Array.from(document.querySelectorAll('th, td')).flatMap(th => {
            const out = [];
            const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              for (const m of n.data.matchAll(/[^\\s\\-–]+/g)) {  // a hyphen may break
                const r = document.createRange();
                r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
                if (r.getClientRects().length > 1) out.push(m[0]);
              }
            }
            return out; })""")
        assert broken == [], path


def test_favicon_is_served(phone: Page, live_url: str) -> None:
    response = phone.request.get(live_url + "/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/x-icon"

"""By keyboard alone (page.keyboard only: no click, fill or focus), on a phone and on a desktop:
from the top of /zelfbeheer, search an address, jump to the list of plots in view, choose a
plot, and reach its panel and "Adopteren" in under 15 key presses after the search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import Connection, text

from tests.e2e.axe import violations
from tests.e2e.conftest import ARTEFACTS
from tests.e2e.test_telefoon import PHONE

pytestmark = pytest.mark.e2e

DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "nl-NL"}


def target(connection: Connection) -> tuple[str, str]:
    """A free groenvak named after a unique address ("… bij Straat 12–18"): that address to
    search for, and the plot's place name."""
    rows = connection.execute(text("""
        SELECT g.plaatsnaam FROM groenvak g JOIN groenvak_status s ON s.groenvak_id = g.id
          JOIN gemeente m ON m.code = g.gemeente_code
         WHERE s.status = 'beschikbaar' AND g.naam IS NULL AND g.plaatsnaam LIKE '% bij %'
           AND g.oppervlakte_m2 <= m.max_oppervlakte_m2
         ORDER BY g.id""")).scalars().all()
    for plaatsnaam in rows:
        m = re.search(r" bij (.+?) (\d+)", plaatsnaam)
        if not m:
            continue
        unique = connection.execute(text(
            "SELECT count(*) = 1 FROM adres WHERE straatnaam = :s AND huisnummer = :n"),
            {"s": m.group(1), "n": int(m.group(2))}).scalar_one()
        if unique:
            return f"{m.group(1)} {m.group(2)}", plaatsnaam
    raise AssertionError("no free groenvak named after a unique address")


def active(page: Page) -> str:
    return str(page.evaluate("""(() => { const e = document.activeElement;
        return (e.getAttribute('role') || e.tagName) + ': ' + (e.innerText || e.value || '')
          .trim().slice(0, 80); })()"""))


@pytest.mark.parametrize("device", ["telefoon", "desktop"])
def test_from_the_top_to_adopteren_by_keyboard(browser: Browser, live_url: str,
                                               connection: Connection, device: str) -> None:
    adres, plaatsnaam = target(connection)
    context = browser.new_context(**(PHONE if device == "telefoon" else DESKTOP))
    page = context.new_page()
    presses: list[str] = []

    def press(key: str) -> None:
        presses.append(key)
        page.keyboard.press(key)

    page.goto(live_url + "/zelfbeheer")
    page.wait_for_function("() => Number(document.querySelector('[data-zelfbeheer]')"
                           ".dataset.geladen) > 0")
    press("Tab")  # "Naar de inhoud"
    press("Enter")
    press("Tab")  # the search box
    assert active(page).startswith("combobox")
    page.keyboard.type(adres, delay=20)  # the search itself: typed, not counted
    page.wait_for_selector("#zoekvak-lijst [role=option]")
    presses.clear()  # "after a search": count from the moment the options are there
    press("ArrowDown")
    press("Enter")  # the map goes to the address; the list holds what is now in view
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('#plotlijst button'))
        .some(b => b.innerText.startsWith({plaatsnaam!r}))""")
    while not active(page).startswith("A: Spring naar de lijst"):
        press("Tab")
        assert len(presses) < 8, active(page)
    press("Enter")  # focus on the first (nearest) plot in the list
    names = page.locator("#plotlijst button").all_inner_texts()
    goal = next(i for i, n in enumerate(names) if n.startswith(plaatsnaam))
    assert active(page) == "BUTTON: " + names[0]
    for _ in range(goal):
        press("ArrowDown")
    assert active(page).startswith("BUTTON: " + plaatsnaam)
    assert re.search(r", beschikbaar, \d+ m²$", active(page))
    press("Enter")  # the panel opens, focus on its heading
    page.wait_for_function("() => document.activeElement.id === 'paneel-titel'")
    assert page.get_by_test_id("groenvak-paneel").is_visible()
    press("Tab")
    assert active(page) == "A: Adopteren", presses
    assert len(presses) < 15, presses
    page.wait_for_timeout(300)  # the sheet has slid up
    adopteren = page.get_by_role("link", name="Adopteren").bounding_box()
    viewport = page.viewport_size
    assert adopteren and viewport and 0 <= adopteren["y"] < viewport["height"]
    assert violations(page) == []
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"toetsenbord-adopteren-{device}.png"))
    if device == "telefoon":  # Escape closes the sheet, focus goes back to the plot's button
        press("Escape")
        page.wait_for_function("() => !document.querySelector('[data-blad]').dataset.open")
        assert active(page).startswith("BUTTON: " + plaatsnaam)
    context.close()

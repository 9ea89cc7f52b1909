"""Beheer on a phone (390×844) in Debian's Chromium: the start page's tiles are links, the queue
shows the waiting plots on a map (a point opens its request), an empty decision puts the focus
on the error summary, and ticking two requests and rejecting them with one reason decides both.
axe-core finds no violation on any of these pages; screenshots go to tests/artefacts/.

The test has a database of its own (the demo gemeente), so what it decides stays there.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from app import migrate
from app.config import Settings
from app.main import create_app
from app.services.accounts.gebruikers import hash_password
from app.services.demo import laden as demo
from app.services.demo.adopties import MEDEWERKER
from tests.conftest import fresh_database
from tests.e2e.axe import violations
from tests.e2e.conftest import screenshot
from tests.live_server import serve

pytestmark = pytest.mark.e2e

WACHTWOORD = "medewerker wachtrij wachtwoord 2024"
REDEN = "Dit groen wordt volgend jaar opnieuw ingericht."


@pytest.fixture(scope="module")
def site(settings: Settings) -> Iterator[tuple[str, str]]:
    """A live app on its own demo database; the medewerker gets a known password."""
    url = fresh_database(settings, "kaart_test_wachtrij")
    migrate.upgrade(url)
    demo.load(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE gebruiker SET wachtwoord_hash = :h WHERE email = :e"),
                     {"h": hash_password(WACHTWOORD), "e": MEDEWERKER})
    engine.dispose()
    with serve(create_app(settings, url=url)) as base:
        yield base, url


@pytest.fixture()
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL",
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    yield context.new_page()
    context.close()


def fits_and_passes_axe(page: Page, name: str) -> None:
    """No sideways scrolling at 390 px, no axe violation, and a screenshot to look at."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 400, name
    assert violations(page) == [], name
    screenshot(page, name)


def status_of(db_url: str, adoptie_id: str) -> str:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT status FROM adoptie WHERE id = :a"),
                             {"a": int(adoptie_id)}).scalar_one()
    engine.dispose()
    return str(found)


def test_queue_on_a_phone_map_and_decision_for_two(site: tuple[str, str], phone: Page) -> None:
    base, db_url = site
    phone.goto(base + "/inloggen")
    form = phone.locator("form[action='/inloggen']")
    form.locator("input[name=email]").fill(MEDEWERKER)
    form.locator("input[name=wachtwoord]").fill(WACHTWOORD)
    form.get_by_role("button", name="Inloggen").click()
    phone.wait_for_url(base + "/beheer")
    tegels = phone.locator("[data-tegel]")
    expect(tegels).to_have_count(6)
    fits_and_passes_axe(phone, "beheer-01-tegels-telefoon")

    tegels.filter(has_text="aanvragen wachten op een besluit").click()
    phone.wait_for_url(base + "/beheer/aanvragen")
    rijen = phone.get_by_test_id("wachtrij").locator("tbody tr")
    expect(rijen).to_have_count(5)
    kaart = phone.get_by_test_id("wachtrij-kaart")
    expect(kaart.locator("path.leaflet-interactive")).to_have_count(5)
    kaart.scroll_into_view_if_needed()
    expect(kaart).to_be_in_viewport()
    fits_and_passes_axe(phone, "beheer-02-wachtrij-kaart-telefoon")

    # an empty decision: every problem at once, the summary takes the focus
    phone.get_by_role("button", name="Besluit vastleggen voor de gekozen aanvragen").click()
    samenvatting = phone.locator("#foutoverzicht")
    expect(samenvatting).to_be_focused()
    expect(samenvatting.get_by_role("link")).to_have_count(2)
    fits_and_passes_axe(phone, "beheer-03-wachtrij-fouten-telefoon")

    # tick the two oldest, reject both with one reason
    ids = [rijen.nth(i).get_attribute("data-adoptie") for i in (0, 1)]
    for adoptie_id in ids:
        phone.locator(f"#kies-{adoptie_id}").check()
    phone.get_by_label("Afwijzen").check()
    phone.get_by_label("Toelichting voor de groepen").fill(REDEN)
    phone.get_by_role("button", name="Besluit vastleggen voor de gekozen aanvragen").click()
    phone.wait_for_url(base + "/beheer/aanvragen?melding=afgewezen")
    expect(phone.get_by_role("status")).to_contain_text("zijn afgewezen")
    expect(rijen).to_have_count(3)
    assert [status_of(db_url, str(i)) for i in ids] == ["afgewezen", "afgewezen"]
    fits_and_passes_axe(phone, "beheer-04-wachtrij-besloten-telefoon")

    # a point on the map opens its request
    eerste = rijen.first.get_attribute("data-adoptie")
    phone.evaluate("""id => window.vkKaartWachtrij.eachLayer(function (l) {
        if (String(l.feature.properties.adoptie_id) === id) { l.fire('click'); } })""", eerste)
    phone.wait_for_url(f"{base}/beheer/adopties/{eerste}")


def test_a_form_refused_through_htmx_focuses_its_new_summary(site: tuple[str, str],
                                                              phone: Page) -> None:
    """The import form posts through htmx: the refused form swaps in with its summary, and
    the summary takes the focus as after a full page load."""
    base, _ = site
    phone.goto(base + "/inloggen")
    form = phone.locator("form[action='/inloggen']")
    form.locator("input[name=email]").fill(MEDEWERKER)
    form.locator("input[name=wachtwoord]").fill(WACHTWOORD)
    form.get_by_role("button", name="Inloggen").click()
    phone.wait_for_url(base + "/beheer")
    phone.goto(base + "/beheer/import")
    phone.get_by_role("button", name="Proef bekijken").click()
    samenvatting = phone.locator("#foutoverzicht")
    expect(samenvatting).to_be_focused()
    expect(samenvatting.get_by_role("link")).to_have_count(2)  # the id field and the file
    assert phone.url == base + "/beheer/import"  # swapped in, no page load
    fits_and_passes_axe(phone, "beheer-05-import-fouten-telefoon")

"""The proposal form's pin in Debian's Chromium: drag it with the mouse to a house and the
address fields fill from our own reverse geocoding (/adres-bij); the coordinates wait behind
"Coördinaten invoeren". The test user and its traces are removed afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, text
from sqlmodel import Session

from app.models.base import now
from app.services.accounts.gebruikers import create_user
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

GM = "GM9901"
WACHTWOORD = "een lange zin als wachtwoord"
KAART = "window[document.querySelector('[data-kaartprikker]').dataset.mapVar]"


@pytest.fixture()
def bewoner(db_url: str) -> Iterator[str]:
    engine = create_engine(db_url)
    email = f"pin-{uuid.uuid4().hex[:10]}@example.org"
    with engine.connect() as conn:
        max_ids = {t: conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar_one()
                   for t in ("audit_log", "login_poging", "mail_outbox")}
    with Session(engine) as session:
        user = create_user(session, GM, email, "bewoner", "Pin Test", WACHTWOORD, actor="test")
        user.email_geverifieerd_op = now()
        session.add(user)
        session.commit()
        user_id = user.id
    try:
        yield email
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM sessie WHERE gebruiker_id = :id"), {"id": user_id})
            conn.execute(text("DELETE FROM gebruiker WHERE id = :id"), {"id": user_id})
            for table, m in max_ids.items():
                conn.execute(text(f"DELETE FROM {table} WHERE id > :m"), {"m": m})
        engine.dispose()


def _punt(page: Page, lat: float, lon: float) -> dict[str, float]:
    """Page coordinates of a place on the picker map."""
    box = page.get_by_test_id("kaartprikker").locator(".leaflet-container").bounding_box()
    assert box is not None
    p = page.evaluate(f"{KAART}.latLngToContainerPoint([{lat}, {lon}])")
    return {"x": box["x"] + p["x"], "y": box["y"] + p["y"]}


def test_dragging_the_pin_fills_the_address(browser: Browser, live_url: str, db_url: str,
                                            bewoner: str) -> None:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        # a house, and a place 30 m into open space from a different house as the start
        doel = conn.execute(text("""
            SELECT ST_Y(ST_Transform(a.geometrie, 4326)) AS lat,
                   ST_X(ST_Transform(a.geometrie, 4326)) AS lon,
                   a.straatnaam || ' ' || a.huisnummer || coalesce(a.huisletter, '')
                   || coalesce('-' || a.toevoeging, '') AS adres, a.postcode, a.woonplaats
              FROM adres a WHERE a.gemeente_code = :g AND a.huisletter IS NULL
               AND a.toevoeging IS NULL ORDER BY a.id LIMIT 1 OFFSET 500"""), {"g": GM}).one()
    engine.dispose()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(live_url + "/inloggen")
        form = page.locator("form[action='/inloggen']")
        form.locator("input[name=email]").fill(bewoner)
        form.locator("input[name=wachtwoord]").fill(WACHTWOORD)
        form.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(live_url + "/account")
        page.goto(live_url + "/voorstellen/nieuw")
        page.wait_for_function(
            "() => document.querySelector('[data-kaartprikker]').dataset.klaar === 'ja'")
        # the coordinates are there, but folded away
        expect(page.locator("summary", has_text="Coördinaten invoeren")).to_be_visible()
        expect(page.locator("input[name=lat]")).to_be_hidden()
        page.get_by_test_id("kaartprikker").scroll_into_view_if_needed()
        page.evaluate(f"{KAART}.setView([{doel.lat}, {doel.lon}], 18, {{animate: false}})")
        # drop the pin 120 px north-west of the house, then drag it onto the house
        start = _punt(page, doel.lat, doel.lon)
        page.mouse.click(start["x"] - 120, start["y"] - 120)
        pin = page.locator(".kaartprikker-speld")
        expect(pin).to_be_visible()
        page.wait_for_function("() => ['gevonden', 'geen'].includes("
                               "document.querySelector('[data-kaartprikker]').dataset.adres)")
        box = pin.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        doelpunt = _punt(page, doel.lat, doel.lon)
        page.mouse.move(doelpunt["x"], doelpunt["y"], steps=12)
        page.mouse.up()
        expect(page.locator("input[name=adres]")).to_have_value(doel.adres)
        expect(page.locator("input[name=postcode]")).to_have_value(doel.postcode)
        expect(page.locator("input[name=plaats]")).to_have_value(doel.woonplaats)
        expect(page.locator("#kaartprikker-status")).to_contain_text("Het adres is ingevuld")
        lat = float(page.locator("input[name=lat]").input_value())
        lon = float(page.locator("input[name=lon]").input_value())
        assert abs(lat - doel.lat) < 3e-5 and abs(lon - doel.lon) < 3e-5  # a few metres
        screenshot(page, "voorstel_pin_adres")
    finally:
        context.close()
    assert errors == []


def test_groenvak_page_shows_plaatsnaam_and_nearest_address(page: Page, live_url: str,
                                                            db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        gid, plaatsnaam = conn.execute(text(
            "SELECT id, plaatsnaam FROM groenvak WHERE naam IS NULL AND vervallen_op IS NULL "
            "AND plaatsnaam LIKE '% bij %' ORDER BY id LIMIT 1")).one()
    engine.dispose()
    page.goto(f"{live_url}/zelfbeheer/groenvak/{gid}")
    paneel = page.get_by_test_id("groenvak-paneel")
    expect(paneel.get_by_role("heading", level=2)).to_have_text(plaatsnaam)
    expect(paneel.get_by_test_id("dichtstbijzijnde-adres")).to_contain_text(", 99")
    screenshot(page, "groenvak_plaatsnaam")

"""Co-creation from start to finish in headless Chromium (Debian's), with the app's real mail.

Bewoner A proposes a maatschappelijk initiatief and places it with the map picker; until a
medewerker accepts it, it is neither in the API nor on the map. The demo medewerker accepts it
from the queue (editing the description); A gets the mail from a real SMTP server on loopback;
the initiative is in /v1/collections/voorzieningen/items at the clicked place, without A's name
or e-mail, and on /kaart with its panel. Screenshots go to tests/artefacts/.

The flow commits to the session's test database; afterwards it deletes what it created and
restores the medewerker's password; a fingerprint of the touched tables proves that. Layer
versions (laag_versie) are left higher, never lowered, so no cache can serve stale figures.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from app import mailer
from app.config import Settings
from app.main import create_app
from app.models.base import now
from app.services.accounts.gebruikers import create_user, hash_password
from app.services.demo.adopties import MEDEWERKER
from tests.e2e.conftest import screenshot
from tests.e2e.smtp_sink import SmtpSink
from tests.live_server import bound_socket, port_of, serve

pytestmark = pytest.mark.e2e

GM = "GM9901"
WACHTWOORD = "een lange zin als wachtwoord"
MEDEWERKER_WACHTWOORD = "medewerker test wachtwoord 2024"
NAAM = "Repair Café Het Schroefje"
OMSCHRIJVING = "Samen kapotte spullen repareren, elke eerste zaterdag."
RD = (232050.0, 476150.0)  # the place to click, in the demo town
TABLES = ["gebruiker", "sessie", "login_poging", "voorstel", "voorziening", "mail_outbox",
          "audit_log", "token"]
MAX_IDS = ["voorstel", "voorziening", "audit_log", "mail_outbox", "login_poging"]


def fingerprint(engine: Engine) -> dict[str, str]:
    """Row count and an md5 over every row of each table: any change shows."""
    with engine.connect() as conn:
        return {t: conn.execute(text(
            f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)),"
            f" '') FROM {t} t")).scalar_one() for t in TABLES}


@dataclass
class Flow:
    url: str
    engine: Engine
    sink: SmtpSink
    bewoner: str
    lat: float
    lon: float


def _pause_other_mail_workers() -> list[mailer.MailWorker]:
    """Other live apps on this database would 'send' our mail to their log; stop them."""
    with mailer._running_lock:
        others = list(mailer._running)
    for worker in others:
        worker.stop()
    return others


@pytest.fixture(scope="module")
def flow(settings: Settings, db_url: str) -> Iterator[Flow]:
    engine = create_engine(db_url)
    before = fingerprint(engine)
    bewoner = f"bewoner-a-{uuid.uuid4().hex[:10]}@example.org"
    with engine.connect() as conn:
        max_ids = {t: conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar_one()
                   for t in MAX_IDS}
        sessies = list(conn.execute(text("SELECT id FROM sessie")).scalars())
        medewerker = conn.execute(text(
            "SELECT id, wachtwoord_hash, laatst_ingelogd_op FROM gebruiker "
            "WHERE gemeente_code = :gm AND email = :e"), {"gm": GM, "e": MEDEWERKER}).one()
        lon, lat = conn.execute(text(
            "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_Point(:x, :y), 28992), "
            "4326) p"), {"x": RD[0], "y": RD[1]}).one()
    paused = _pause_other_mail_workers()
    sink = SmtpSink()
    try:
        sink.start()
        with Session(engine) as session:
            user = create_user(session, GM, bewoner, "bewoner", "Bewoner A", WACHTWOORD,
                               actor="test")
            user.email_geverifieerd_op = now()
            session.add(user)
            session.execute(text("UPDATE gebruiker SET wachtwoord_hash = :h WHERE id = :id"),
                            {"h": hash_password(MEDEWERKER_WACHTWOORD), "id": medewerker.id})
            session.commit()
        sock = bound_socket()
        app = create_app(settings.model_copy(update={  # links in mail lead to this server
            **sink.settings_update(), "basemap_url": "",
            "public_url": f"http://127.0.0.1:{port_of(sock)}"}), url=db_url)
        with serve(app, sock) as base:
            yield Flow(base, engine, sink, bewoner, lat, lon)
    finally:
        sink.stop()
        try:
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM voorstel WHERE id > :m"),
                             {"m": max_ids["voorstel"]})
                conn.execute(text("DELETE FROM voorziening WHERE id > :m"),
                             {"m": max_ids["voorziening"]})
                conn.execute(text("DELETE FROM gebruiker WHERE gemeente_code = :gm "
                                  "AND lower(email) = :e"), {"gm": GM, "e": bewoner.lower()})
                conn.execute(text("DELETE FROM sessie WHERE NOT (id = ANY(:ids))"),
                             {"ids": sessies})
                for table in ("audit_log", "mail_outbox", "login_poging"):
                    conn.execute(text(f"DELETE FROM {table} WHERE id > :m"),
                                 {"m": max_ids[table]})
                conn.execute(text("UPDATE gebruiker SET wachtwoord_hash = :h, "
                                  "laatst_ingelogd_op = :t WHERE id = :id"),
                             {"h": medewerker.wachtwoord_hash,
                              "t": medewerker.laatst_ingelogd_op, "id": medewerker.id})
        finally:
            for worker in paused:
                worker.start()
    changed = [t for t, v in fingerprint(engine).items() if v != before[t]]
    engine.dispose()
    assert changed == [], f"the flow left changes behind in {changed}"


@dataclass
class Watch:
    """JS errors and 5xx answers on every page of the flow."""

    problems: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def page(self, browser: Browser, who: str) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda exc: self.problems.append(f"{who}: JS error: {exc}"))

        def on_response(response: Response) -> None:
            if response.status >= 500:
                self.problems.append(f"{who}: {response.status} {response.url}")

        page.on("response", on_response)
        return page


def log_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(url + "/inloggen")
    form = page.locator("form[action='/inloggen']")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=wachtwoord]").fill(password)
    form.get_by_role("button", name="Inloggen").click()
    # residents land on their account, staff on Beheer
    page.wait_for_url(lambda u: u in (url + "/account", url + "/beheer"))


def items(url: str) -> dict[str, Any]:
    response = httpx.get(f"{url}/v1/collections/voorzieningen/items?limit=10000", timeout=30)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_resident_proposes_initiative_staff_accepts_it_is_public(browser: Browser,
                                                                 flow: Flow) -> None:
    watch = Watch()
    try:
        run_flow(browser, flow, watch)
    finally:
        for context in watch.contexts:
            context.close()
    assert watch.problems == []


def run_flow(browser: Browser, flow: Flow, watch: Watch) -> None:
    url = flow.url
    # -- Bewoner A proposes an initiative and places it with the map picker
    a = watch.page(browser, "A")
    log_in(a, url, flow.bewoner, WACHTWOORD)
    a.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Voorstel doen").click()
    a.wait_for_url(url + "/voorstellen/nieuw")
    form = a.locator("form#formulier-voorziening")
    form.get_by_label("Naam").fill(NAAM)
    form.get_by_label("Categorie").select_option(label="Maatschappelijk initiatief (initiatief)")
    form.locator("textarea[name=omschrijving]").fill("Repareren in de buurt.")
    form.get_by_label("Website (niet verplicht)").fill("https://schroefje.example.nl")
    prikker = a.get_by_test_id("kaartprikker")
    a.wait_for_function(
        "() => document.querySelector('[data-kaartprikker]').dataset.klaar === 'ja'")
    kaart = "window[document.querySelector('[data-kaartprikker]').dataset.mapVar]"
    a.evaluate(f"{kaart}.setView([{flow.lat}, {flow.lon}], 18, {{animate: false}})")
    punt = a.evaluate(f"{kaart}.latLngToContainerPoint([{flow.lat}, {flow.lon}])")
    prikker.locator(".leaflet-container").click(position={"x": punt["x"], "y": punt["y"]})
    expect(a.locator("#kaartprikker-status")).to_contain_text("Plek gekozen")
    lat = float(form.locator("input[name=lat]").input_value())
    lon = float(form.locator("input[name=lon]").input_value())
    assert abs(lat - flow.lat) < 2e-5 and abs(lon - flow.lon) < 2e-5  # within about 2 m
    screenshot(a, "voorstel-01-formulier")
    form.get_by_role("button", name="Voorstel indienen").click()
    a.wait_for_url(url + "/mijn/voorstellen?melding=ingediend")
    rij = a.get_by_test_id("mijn-voorstellen").locator("tr").filter(has_text=NAAM)
    expect(rij.get_by_test_id("voorstel-status")).to_have_attribute("data-status", "ingediend")
    screenshot(a, "voorstel-02-ingediend")
    assert NAAM not in str(items(url))  # not public before a medewerker accepts it
    a.goto(url + f"/kaart?q={NAAM}")
    expect(a.locator("main")).not_to_contain_text(NAAM)

    # -- the medewerker accepts it from the queue, with a better description
    m = watch.page(browser, "medewerker")
    log_in(m, url, MEDEWERKER, MEDEWERKER_WACHTWOORD)
    m.goto(url + "/beheer")
    m.get_by_role("navigation", name="Beheer").get_by_role("link", name="Voorstellen").click()
    m.wait_for_url(url + "/beheer/voorstellen")
    rij = m.get_by_test_id("voorstellen").locator("tr").filter(has_text=NAAM)
    expect(rij).to_contain_text("Nieuw initiatief")
    rij.get_by_role("link", name=NAAM).click()
    expect(m.locator("h1")).to_have_text(f"Voorstel: {NAAM}")
    expect(m.locator("main")).to_contain_text(flow.bewoner)  # staff see who proposed it
    accepteren = m.locator("form#formulier-voorziening")
    expect(accepteren.locator("input[name=lat]")).to_have_value(f"{lat:.7f}")
    accepteren.locator("textarea[name=omschrijving]").fill(OMSCHRIJVING)
    screenshot(m, "voorstel-03-beoordelen")
    accepteren.get_by_role("button", name="Accepteren en publiceren").click()
    m.wait_for_url(url + "/beheer/voorstellen?melding=geaccepteerd")
    expect(m.locator("main")).to_contain_text("Het voorstel is geaccepteerd")
    screenshot(m, "voorstel-04-geaccepteerd")

    # -- A gets the mail; the initiative is in the API at the clicked place
    mail = flow.sink.wait_for(flow.bewoner, "Uw voorstel is geaccepteerd")
    assert NAAM in flow.sink.text(mail)
    bijwerken = flow.sink.link(mail, "/bijwerken")
    found = [f for f in items(url)["features"] if f["properties"]["naam"] == NAAM]
    assert len(found) == 1
    feature = found[0]
    assert feature["properties"]["omschrijving"] == OMSCHRIJVING
    assert feature["properties"]["initiatief"] is True
    assert feature["properties"]["website"] == "https://schroefje.example.nl"
    x, y = feature["geometry"]["coordinates"]
    assert abs(x - lon) < 1e-6 and abs(y - lat) < 1e-6
    assert bijwerken.endswith(f"/voorzieningen/{feature['id']}/bijwerken")
    one = httpx.get(f"{url}/v1/collections/voorzieningen/items/{feature['id']}").text
    assert flow.bewoner not in one and "Bewoner A" not in one

    # -- and on the public map, with its panel
    a.goto(url + f"/kaart?q={NAAM}")
    link = a.locator(f"a[data-voorziening='{feature['id']}']")
    expect(link).to_have_text(NAAM)
    link.click()
    paneel = a.get_by_test_id("voorziening-paneel")
    expect(paneel).to_contain_text(OMSCHRIJVING)
    expect(a.locator("main")).not_to_contain_text(flow.bewoner)
    screenshot(a, "voorstel-05-kaart")
    paneel.locator(f"a[href='/voorzieningen/{feature['id']}/correctie']").click()
    expect(a.locator("h1")).to_have_text(f"Wijziging voorstellen: {NAAM}")
    a.goto(url + "/mijn/voorstellen")
    expect(a.get_by_role("link", name="Gegevens bijwerken")).to_be_visible()

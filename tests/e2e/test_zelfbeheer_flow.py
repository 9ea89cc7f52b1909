"""Zelfbeheer from start to finish in headless Chromium, with the app's real mail.

A resident (A) registers and confirms by the link in the mail from a real SMTP server on
loopback (aiosmtpd), adopts a beschikbaar groenvak by clicking it on the map and invites a
neighbour (B); B opens the invitation on a phone, logged out, sees the group, the plot and the
conditions, chooses "Doe mee", registers and confirms from there and is a member right after
logging in, so the gemeente's
rule of two households submits the request; the demo medewerker approves it in Beheer; A gets the
approval mail and logs onderhoud with a photo that carries EXIF GPS; the groenvak's panel shows
the entry and the photo is served without the GPS data. Screenshots go to tests/artefacts/.

The flow commits to the session's test database. Everything it creates is deleted afterwards and
what it had to change is restored; a fingerprint of the touched tables proves that.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from PIL import ExifTags, Image, ImageDraw
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect
from sqlalchemy import Engine, Row, create_engine, text

from app import mailer
from app.config import Settings
from app.main import create_app
from app.services.accounts.gebruikers import hash_password
from app.services.demo.adopties import MEDEWERKER
from tests.e2e.conftest import screenshot
from tests.e2e.smtp_sink import SmtpSink
from tests.live_server import bound_socket, port_of, serve

pytestmark = pytest.mark.e2e

GM = "GM9901"
WACHTWOORD = "een lange zin als wachtwoord"
MEDEWERKER_WACHTWOORD = "medewerker test wachtwoord 2024"
GROEPSNAAM = "Buren van het Lindeplantsoen"
NOTITIE = "Onkruid gewied rond de linde"
MAP = "window[document.querySelector('[data-zelfbeheer]').dataset.mapVar]"
IN_ZELFBEHEER_KLEUR = "#0072b2"

# Every table the flow writes to, directly or through a trigger: compared before and after.
TABLES = ["gemeente", "gebruiker", "sessie", "token", "login_poging", "adoptie", "deelname",
          "onderhoud", "foto", "schouw", "mail_outbox", "audit_log", "groenvak", "laag_versie"]


# ----------------------------------------------------------------------------- the database


@dataclass(frozen=True)
class Plot:
    """A beschikbaar groenvak no other test uses, and a point inside it to click."""

    id: int
    lat: float
    lon: float


@dataclass
class Before:
    """What the flow changes in place, to put back, and the ids above which rows are new."""

    fingerprint: dict[str, str]
    max_ids: dict[str, int]
    sessies: set[str]
    medewerker: Row[Any]
    groenvak_gewijzigd_op: datetime
    laag_versie: list[Row[Any]]


def fingerprint(engine: Engine) -> dict[str, str]:
    """Row count and an md5 over every row of each table: any change shows."""
    with engine.connect() as conn:
        return {t: conn.execute(text(
            f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)),"
            f" '') FROM {t} t")).scalar_one() for t in TABLES}


def choose_plot(engine: Engine) -> Plot:
    """The last beschikbaar plot of a decent size (other tests take the first ones), alone at
    its point-on-surface so a click there can only hit this plot."""
    with engine.connect() as conn:
        row = conn.execute(text("""
            SELECT g.id, ST_Y(ST_Transform(p.pt, 4326)) AS lat,
                   ST_X(ST_Transform(p.pt, 4326)) AS lon
              FROM groenvak g
              JOIN groenvak_status s ON s.groenvak_id = g.id
              JOIN gemeente m ON m.code = g.gemeente_code
              CROSS JOIN LATERAL (SELECT ST_PointOnSurface(g.geometrie) AS pt) p
             WHERE g.gemeente_code = :gm AND s.status = 'beschikbaar' AND g.wijk_id IS NOT NULL
               AND g.oppervlakte_m2 BETWEEN 150 AND coalesce(m.max_oppervlakte_m2, 1e9)
               AND NOT EXISTS (SELECT 1 FROM adoptie a WHERE a.groenvak_id = g.id)
               AND NOT EXISTS (SELECT 1 FROM groenvak o WHERE o.id <> g.id
                                  AND ST_DWithin(o.geometrie, p.pt, 3))
             ORDER BY g.id DESC LIMIT 1"""), {"gm": GM}).one()
    return Plot(row.id, row.lat, row.lon)


def take_snapshot(engine: Engine, plot: Plot) -> Before:
    with engine.connect() as conn:
        max_ids = {t: conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar_one()
                   for t in ("adoptie", "audit_log", "mail_outbox", "login_poging")}
        return Before(
            fingerprint=fingerprint(engine), max_ids=max_ids,
            sessies=set(conn.execute(text("SELECT id FROM sessie")).scalars()),
            medewerker=conn.execute(text(
                "SELECT id, wachtwoord_hash, laatst_ingelogd_op FROM gebruiker "
                "WHERE gemeente_code = :gm AND email = :e"), {"gm": GM, "e": MEDEWERKER}).one(),
            groenvak_gewijzigd_op=conn.execute(text(
                "SELECT gewijzigd_op FROM groenvak WHERE id = :id"), {"id": plot.id}).scalar_one(),
            laag_versie=list(conn.execute(text(
                "SELECT laag, versie, gewijzigd_op FROM laag_versie"))))


def clean_up(engine: Engine, before: Before, plot: Plot, emails: list[str]) -> None:
    """Delete what the flow created and restore what it changed, in one transaction."""
    with engine.begin() as conn:
        # deelname, onderhoud, foto, schouw and invitation tokens go with the adoptie (cascade)
        conn.execute(text("DELETE FROM adoptie WHERE groenvak_id = :p AND id > :max"),
                     {"p": plot.id, "max": before.max_ids["adoptie"]})
        # their sessions and tokens go with the accounts (cascade)
        conn.execute(text("DELETE FROM gebruiker WHERE gemeente_code = :gm "
                          "AND lower(email) = ANY(:emails)"),
                     {"gm": GM, "emails": [e.lower() for e in emails]})
        conn.execute(text("DELETE FROM sessie WHERE NOT (id = ANY(:ids))"),
                     {"ids": list(before.sessies)})
        for table in ("audit_log", "mail_outbox", "login_poging"):
            conn.execute(text(f"DELETE FROM {table} WHERE id > :max"),
                         {"max": before.max_ids[table]})
        m = before.medewerker
        conn.execute(text("UPDATE gebruiker SET wachtwoord_hash = :h, laatst_ingelogd_op = :t "
                          "WHERE id = :id"),
                     {"h": m.wachtwoord_hash, "t": m.laatst_ingelogd_op, "id": m.id})
        # The adoptie touched its groenvak (trigger): put the timestamp back without the
        # triggers that would stamp it again and bump the layer version.
        conn.execute(text("ALTER TABLE groenvak DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE groenvak SET gewijzigd_op = :t WHERE id = :id"),
                     {"t": before.groenvak_gewijzigd_op, "id": plot.id})
        conn.execute(text("ALTER TABLE groenvak ENABLE TRIGGER USER"))
        for laag in before.laag_versie:
            conn.execute(text("UPDATE laag_versie SET versie = :v, gewijzigd_op = :t "
                              "WHERE laag = :l"),
                         {"v": laag.versie, "t": laag.gewijzigd_op, "l": laag.laag})


# ------------------------------------------------------------------------------- the server


@dataclass
class Flow:
    url: str
    plot: Plot
    engine: Engine
    sink: SmtpSink
    a: str  # resident A's e-mail (the trekker)
    b: str  # resident B's e-mail (the invited neighbour)


def _with_beheer(app: FastAPI) -> FastAPI:
    """The Beheer pages, also while main.py does not include their router yet."""
    if not any(getattr(route, "path", None) == "/beheer" for route in app.routes):
        from app.api.beheer import routes as beheer

        app.include_router(beheer.router)
    return app


def _pause_other_mail_workers() -> list[mailer.MailWorker]:
    """Other live apps on this database (the session's live_url) run a mail worker without
    SMTP that would 'send' our mail to its log; stop them while the flow runs."""
    with mailer._running_lock:
        others = list(mailer._running)
    for worker in others:
        worker.stop()
    return others


@pytest.fixture(scope="module")
def flow(settings: Settings, db_url: str,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flow]:
    engine = create_engine(db_url)
    plot = choose_plot(engine)
    before = take_snapshot(engine, plot)
    tag = uuid.uuid4().hex[:10]
    emails = [f"bewoner-a-{tag}@example.org", f"bewoner-b-{tag}@example.org"]
    paused = _pause_other_mail_workers()
    sink = SmtpSink()
    try:
        sink.start()
        with engine.begin() as conn:  # a known password for the demo medewerker
            conn.execute(text("UPDATE gebruiker SET wachtwoord_hash = :h WHERE id = :id"),
                         {"h": hash_password(MEDEWERKER_WACHTWOORD), "id": before.medewerker.id})
        sock = bound_socket()
        flow_settings = settings.model_copy(update={  # links in mail lead to this server
            **sink.settings_update(), "basemap_url": "",
            "public_url": f"http://127.0.0.1:{port_of(sock)}",
            "upload_dir": tmp_path_factory.mktemp("uploads")})
        app = _with_beheer(create_app(flow_settings, url=db_url))
        with serve(app, sock) as base:  # when it stops, the lifespan stops our mail worker
            yield Flow(base, plot, engine, sink, *emails)
    finally:
        sink.stop()
        try:
            clean_up(engine, before, plot, emails)
        finally:
            for worker in paused:
                worker.start()
    after = fingerprint(engine)
    engine.dispose()
    changed = [t for t in TABLES if after[t] != before.fingerprint[t]]
    assert changed == [], f"the flow left changes behind in {changed}"


# ------------------------------------------------------------------------------ the browser


@dataclass
class Watch:
    """JS errors and 5xx answers on every page of the flow."""

    problems: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    def page(self, browser: Browser, who: str, phone: bool = False) -> Page:
        """A fresh browser (own cookies) for one person, watched; a phone is 390×844."""
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(viewport=viewport, locale="nl-NL")
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda exc: self.problems.append(f"{who}: JS error: {exc}"))

        def on_response(response: Response) -> None:
            if response.status >= 500:
                self.problems.append(f"{who}: {response.status} {response.url}")

        page.on("response", on_response)
        return page


def heading(page: Page, tekst: str) -> None:
    expect(page.locator("h1")).to_have_text(tekst)


def register(page: Page, url: str, naam: str, email: str, shot: str | None = None,
             here: bool = False) -> None:
    """Fill in the registration form (on the page already open when `here`)."""
    if not here:
        page.goto(url + "/registreren")
    form = page.locator("form[action='/registreren']")
    form.locator("input[name=naam]").fill(naam)
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=wachtwoord]").fill(WACHTWOORD)
    if shot:
        screenshot(page, shot)
    form.get_by_role("button", name="Account aanmaken").click()
    heading(page, "Controleer uw e-mail")


def confirm(page: Page, sink: SmtpSink, email: str, shot: str | None = None) -> None:
    """Open the link from the confirmation mail, as the resident would."""
    mail = sink.wait_for(email, "Bevestig uw e-mailadres")
    page.goto(sink.link(mail, "/account/bevestigen/"))
    heading(page, "E-mailadres bevestigd")
    if shot:
        screenshot(page, shot)


def log_in(page: Page, url: str, email: str, password: str = WACHTWOORD,
           lands: str = "/account") -> None:
    page.goto(url + "/inloggen")
    form = page.locator("form[action='/inloggen']")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=wachtwoord]").fill(password)
    form.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(url + lands)
    expect(page.get_by_role("link", name="Mijn groen", exact=True)).to_be_visible()


def show_plot(page: Page, plot: Plot, zoom: int = 18) -> None:
    """Zoom the map in on the plot and wait until the groenvakken of that view are drawn."""
    page.wait_for_selector(".leaflet-container")
    page.evaluate("document.querySelector('[data-zelfbeheer]').dataset.geladen = ''")
    page.evaluate(f"{MAP}.setView([{plot.lat}, {plot.lon}], {zoom}) && null")
    page.wait_for_function("() => document.querySelector('[data-zelfbeheer]').dataset.geladen > 0")
    page.wait_for_function(f"""() => (() => {{ let found = false;
        {MAP}.eachLayer(l => {{ if (l.feature && l.feature.id == {plot.id}) found = true; }});
        return found; }})()""")


def plot_colour(page: Page, plot: Plot) -> str:
    colour: str = page.evaluate(f"""(() => {{ let c = null;
        {MAP}.eachLayer(l => {{ if (l.feature && l.feature.id == {plot.id})
            c = l.options.color; }});
        return c; }})()""")
    return colour


def click_plot(page: Page, plot: Plot) -> None:
    """A real mouse click on the map at a point inside the plot; htmx fills the panel."""
    point = page.evaluate(f"{MAP}.latLngToContainerPoint([{plot.lat}, {plot.lon}])")
    with page.expect_response(lambda r: r.url.endswith(f"/zelfbeheer/groenvak/{plot.id}")):
        page.locator(".leaflet-container").click(position={"x": point["x"], "y": point["y"]})
    expect(page.get_by_test_id("groenvak-paneel")).to_be_visible()


def jpeg_with_gps(path: Path) -> bytes:
    """A photo as a phone makes it: with the place it was taken in its EXIF."""
    img = Image.new("RGB", (800, 600), (70, 130, 60))
    draw = ImageDraw.Draw(img)
    draw.ellipse((250, 120, 550, 420), fill=(40, 90, 30))
    draw.rectangle((385, 380, 415, 560), fill=(100, 70, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Testcamera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 16.0, 4.8)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 30.0, 54.0)
    gps[ExifTags.GPS.GPSProcessingMethod] = b"ASCII\x00\x00\x00GPS"
    img.save(path, "JPEG", exif=exif, quality=90)
    data = path.read_bytes()
    assert b"GPS" in data and Image.open(path).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


# --------------------------------------------------------------------------------- the test


def test_resident_adopts_plot_neighbour_joins_staff_approves_onderhoud_with_photo(
        browser: Browser, flow: Flow, tmp_path: Path) -> None:
    watch = Watch()
    try:
        timings = run_flow(browser, flow, watch, tmp_path)
    finally:
        watch.close()
    assert watch.problems == []
    print("\n".join(f"{seconds:6.1f} s  {name}" for name, seconds in timings))


def run_flow(browser: Browser, flow: Flow, watch: Watch,
             tmp_path: Path) -> list[tuple[str, float]]:
    """The steps; returns when each one was done (seconds from the start)."""
    url, plot, sink = flow.url, flow.plot, flow.sink
    timings: list[tuple[str, float]] = []
    started = time.monotonic()

    def step(name: str) -> None:
        timings.append((name, time.monotonic() - started))

    # -- resident A registers, confirms by the mail and logs in
    a = watch.page(browser, "A")
    register(a, url, "Bewoner A", flow.a, shot="flow-01-registreren")
    confirm(a, sink, flow.a, shot="flow-02-bevestigd")
    log_in(a, url, flow.a)
    step("A registered, confirmed, logged in")

    # -- A finds the plot on the map, clicks it and adopts it, inviting neighbour B
    a.goto(url + "/zelfbeheer")
    show_plot(a, plot)
    click_plot(a, plot)
    panel = a.get_by_test_id("groenvak-paneel")
    expect(panel.locator(".paneel__status")).to_have_text("Beschikbaar")
    adopteren = panel.get_by_role("link", name="Adopteren")
    expect(adopteren).to_have_attribute("href", f"/zelfbeheer/groenvak/{plot.id}/aanvragen")
    screenshot(a, "flow-03-kaart-paneel")
    adopteren.click()
    heading(a, "Zelfbeheer aanvragen")
    form = a.locator("form#aanvraag")
    form.locator("input[name=groepsnaam]").fill(GROEPSNAAM)
    form.get_by_label("Toon de groepsnaam op de kaart").check()
    form.locator("textarea[name=motivatie]").fill("Wij kijken er elke dag op uit.")
    form.locator("textarea[name=plan]").fill("Maandelijks wieden, in het voorjaar bollen planten.")
    form.locator("textarea[name=mede_aanvragers]").fill(flow.b)
    form.get_by_label("Ik heb de voorwaarden gelezen en ga ermee akkoord").check()
    screenshot(a, "flow-04-aanvraag")
    form.get_by_role("button", name="Aanvraag opslaan").click()
    a.wait_for_url(url + "/mijn-groen?melding=aangevraagd")
    groep = a.get_by_test_id("groep").filter(has_text=GROEPSNAAM)
    expect(groep.get_by_test_id("status")).to_have_attribute("data-status", "concept")
    screenshot(a, "flow-05-mijn-groen-concept")
    sink.wait_for(flow.a, "Uw aanvraag voor zelfbeheer is opgeslagen")
    uitnodiging = sink.link(sink.wait_for(flow.b, "Uitnodiging"), "/uitnodiging/")
    step("A adopted the plot on the map and invited B")

    # -- B opens the invitation on a phone, logged out: the page shows the group, the plot on
    #    the map and the conditions; "Doe mee" leads to login, then to registration, and after
    #    confirming and logging in B is a member without another click
    b = watch.page(browser, "B", phone=True)
    b.goto(uitnodiging)
    heading(b, "Uitnodiging voor zelfbeheer")
    expect(b.get_by_test_id("groepsnaam")).to_have_text(GROEPSNAAM)
    expect(b.get_by_test_id("plek")).to_be_visible()
    expect(b.locator(".kaart--plot .leaflet-container")).to_be_visible()
    expect(b.get_by_test_id("voorwaarden")).to_contain_text("bestrijdingsmiddelen")
    assert flow.a not in b.content() and "Bewoner A" not in b.content()
    assert b.evaluate("document.documentElement.scrollWidth") <= 400
    screenshot(b, "flow-06-uitnodiging-telefoon")
    b.get_by_role("button", name="Doe mee").click()
    b.wait_for_url(url + "/inloggen?volgende=*")
    b.get_by_role("link", name="Account aanmaken").click()
    heading(b, "Account aanmaken")
    register(b, url, "Bewoner B", flow.b, here=True)
    mail = sink.wait_for(flow.b, "Bevestig uw e-mailadres")
    b.goto(sink.link(mail, "/account/bevestigen/"))
    heading(b, "E-mailadres bevestigd")
    b.locator("main").get_by_role("link", name="Inloggen").click()
    form = b.locator("form[action='/inloggen']")
    form.locator("input[name=email]").fill(flow.b)
    form.locator("input[name=wachtwoord]").fill(WACHTWOORD)
    form.get_by_role("button", name="Inloggen").click()
    b.wait_for_url(url + "/mijn-groen?melding=uitnodiging")
    expect(b.get_by_test_id("groep").filter(has_text=GROEPSNAAM).get_by_test_id("status")
           ).to_have_attribute("data-status", "aangevraagd")
    screenshot(b, "flow-06b-meegedaan-telefoon")
    sink.wait_for(flow.a, "Uw aanvraag voor zelfbeheer is ingediend")
    step("B registered, confirmed and joined: the request is submitted")

    # -- the medewerker finds the request in the queue and approves it
    m = watch.page(browser, "medewerker")
    log_in(m, url, MEDEWERKER, MEDEWERKER_WACHTWOORD, lands="/beheer")  # staff land on Beheer
    beheermenu = m.get_by_role("navigation", name="Beheer")
    beheermenu.get_by_role("link", name="Aanvragen", exact=True).click()
    heading(m, "Aanvragen voor zelfbeheer")
    rij = m.get_by_test_id("wachtrij").locator("tr").filter(has_text=GROEPSNAAM)
    expect(rij).to_have_count(1)
    screenshot(m, "flow-07-wachtrij")
    rij.get_by_role("link", name="Beoordelen").click()
    heading(m, GROEPSNAAM)
    expect(m.get_by_test_id("status")).to_have_text("Aangevraagd")
    leden = m.get_by_test_id("leden")
    expect(leden).to_contain_text(flow.a)
    expect(leden).to_contain_text(flow.b)
    besluit = m.locator("form#formulier-beoordelen")
    besluit.locator("input[name=besluit][value=goedkeuren]").check()
    besluit.locator("textarea[name=toelichting]").fill("Veel plezier met het plantsoen!")
    screenshot(m, "flow-08-beoordelen")
    besluit.get_by_role("button", name="Besluit vastleggen").click()
    m.wait_for_url("**/beheer/adopties/*?melding=goedgekeurd")
    expect(m.get_by_test_id("status")).to_have_text("Actief")
    screenshot(m, "flow-09-goedgekeurd")
    goedgekeurd = sink.wait_for(flow.a, "Zelfbeheer goedgekeurd")
    assert GROEPSNAAM in sink.text(goedgekeurd)
    assert "Veel plezier met het plantsoen!" in sink.text(goedgekeurd)
    sink.wait_for(flow.b, "Zelfbeheer goedgekeurd")
    step("the medewerker approved; both residents got the mail")

    # -- A logs onderhoud with a photo on Mijn groen
    foto = tmp_path / "linde.jpg"
    original = jpeg_with_gps(foto)
    a.goto(url + "/mijn-groen")
    groep = a.get_by_test_id("groep").filter(has_text=GROEPSNAAM)
    expect(groep.get_by_test_id("status")).to_have_attribute("data-status", "actief")
    groep.locator("summary", has_text="Onderhoud toevoegen").click()
    onderhoud = groep.locator("form[action$='/onderhoud']")
    expect(onderhoud.locator("input[name=datum]")).to_have_value(date.today().isoformat())
    onderhoud.locator("select[name=activiteit]").select_option("wieden")
    onderhoud.locator("input[name=notitie]").fill(NOTITIE)
    onderhoud.locator("input[name=fotos]").set_input_files(str(foto))
    screenshot(a, "flow-10-onderhoud-formulier")
    onderhoud.get_by_role("button", name="Toevoegen").click()
    a.wait_for_url(url + "/mijn-groen?melding=onderhoud")
    expect(a.locator("main")).to_contain_text(f"{GROEPSNAAM}: Wieden ({NOTITIE})")
    screenshot(a, "flow-11-onderhoud-toegevoegd")
    step("A logged onderhoud with a photo")

    # -- the photo is served re-encoded, without the location
    with flow.engine.connect() as conn:
        key = conn.execute(text("""
            SELECT f.opslag_sleutel FROM foto f JOIN onderhoud o ON o.id = f.onderhoud_id
              JOIN adoptie ad ON ad.id = o.adoptie_id
             WHERE ad.groenvak_id = :p AND o.notitie = :n"""),
            {"p": plot.id, "n": NOTITIE}).scalar_one()
    served = a.goto(f"{url}/fotos/{key}")
    assert served is not None and served.status == 200
    assert served.headers["content-type"] == "image/jpeg"
    body = served.body()
    assert body.startswith(b"\xff\xd8\xff") and body != original
    assert b"GPS" not in body and b"Exif" not in body
    image = Image.open(BytesIO(body))
    assert image.size == (800, 600) and not image.getexif()

    # -- the groenvak's panel on the map shows the group's work
    a.goto(f"{url}/zelfbeheer/groenvak/{plot.id}")  # the map focused on the plot, panel filled
    panel = a.get_by_test_id("groenvak-paneel")
    expect(panel.locator(".paneel__status")).to_have_text("In zelfbeheer")
    expect(panel).to_contain_text(GROEPSNAAM)
    expect(panel).to_contain_text(f"{date.today():%d-%m-%Y}: Wieden – {NOTITIE}")
    a.wait_for_function("() => document.querySelector('[data-zelfbeheer]').dataset.geladen > 0")
    screenshot(a, "flow-12-paneel-onderhoud")
    a.goto(url + "/zelfbeheer")  # and the same panel by clicking the plot on the map
    show_plot(a, plot)
    assert plot_colour(a, plot) == IN_ZELFBEHEER_KLEUR
    click_plot(a, plot)
    expect(a.get_by_test_id("groenvak-paneel")).to_contain_text(NOTITIE)
    step("the photo has no GPS; the panel shows the onderhoud")
    return timings

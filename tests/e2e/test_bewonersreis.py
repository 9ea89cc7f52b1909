"""The resident's whole journey on a phone (390×844, touch) and by keyboard alone.

Resident A registers, searches an address on /zelfbeheer, chooses a plot from the list of plots
in view, adopts it with a neighbour (B), first with a mistake in B's e-mail address and then
corrected; B opens the invitation in a logged-out browser, chooses "Doe mee", registers from
there, confirms and logs in, and is a member; a medewerker approves (a staff browser, not part of
the resident's journey); A logs onderhoud with a photo. The residents' pages are driven with
`page.keyboard` only: no click, fill or focus. Mail comes from a real SMTP server on loopback and
its links are opened with page.goto, as a resident opens a mail; the file chooser that the
keyboard opens is answered through Playwright's filechooser event.

On every page: nothing scrolls sideways at 390 px, axe finds no violation (no rule disabled, no
element excluded), also with the panel open and with a form showing its errors. Screenshots go
to tests/artefacts/ (bewonersreis-*.png).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, create_engine, text

from app.config import Settings
from app.main import create_app
from app.services.accounts.gebruikers import hash_password
from app.services.demo.adopties import MEDEWERKER
from tests.e2e.keyboard import check, focused, in_view, tab_to, type_into
from tests.e2e.smtp_sink import SmtpSink
from tests.e2e.test_telefoon import PHONE
from tests.e2e.test_toetsenbord import target
from tests.e2e.test_zelfbeheer_flow import (
    MEDEWERKER_WACHTWOORD,
    TABLES,
    Plot,
    Watch,
    _pause_other_mail_workers,
    _with_beheer,
    clean_up,
    fingerprint,
    jpeg_with_gps,
    log_in,
    take_snapshot,
)
from tests.live_server import bound_socket, port_of, serve

pytestmark = pytest.mark.e2e

WACHTWOORD = "mijn tuin is een zee van bloemen"
GROEPSNAAM = "Buren van de Vlierstraat"
NOTITIE = "Zwerfafval geraapt"


# ----------------------------------------------------------------------------- the fixture


@dataclass
class Reis:
    url: str
    plot: Plot
    adres: str  # what A types in the search box
    plaatsnaam: str  # the plot's place name, as its button in the list starts
    sink: SmtpSink
    a: str
    b: str


@pytest.fixture(scope="module")
def reis(settings: Settings, db_url: str,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reis]:
    """A live server on the session's database whose mail goes to a sink; everything the journey
    creates is removed afterwards (a fingerprint of the touched tables proves it)."""
    engine: Engine = create_engine(db_url)
    with engine.connect() as conn:
        adres, plaatsnaam = target(conn)
        row = conn.execute(text("""
            SELECT g.id, ST_Y(ST_Transform(ST_PointOnSurface(g.geometrie), 4326)) AS lat,
                   ST_X(ST_Transform(ST_PointOnSurface(g.geometrie), 4326)) AS lon
              FROM groenvak g JOIN groenvak_status s ON s.groenvak_id = g.id
             WHERE g.plaatsnaam = :p AND s.status = 'beschikbaar' AND g.naam IS NULL"""),
            {"p": plaatsnaam}).one()
    plot = Plot(row.id, row.lat, row.lon)
    before = take_snapshot(engine, plot)
    tag = uuid.uuid4().hex[:10]
    emails = [f"reis-a-{tag}@example.org", f"reis-b-{tag}@example.org"]
    paused = _pause_other_mail_workers()
    sink = SmtpSink()
    try:
        sink.start()
        with engine.begin() as conn:  # a known password for the demo medewerker
            conn.execute(text("UPDATE gebruiker SET wachtwoord_hash = :h WHERE id = :id"),
                         {"h": hash_password(MEDEWERKER_WACHTWOORD), "id": before.medewerker.id})
        sock = bound_socket()
        app = _with_beheer(create_app(settings.model_copy(update={
            **sink.settings_update(), "basemap_url": "",
            "public_url": f"http://127.0.0.1:{port_of(sock)}",
            "upload_dir": tmp_path_factory.mktemp("uploads")}), url=db_url))
        with serve(app, sock) as base:
            yield Reis(base, plot, adres, plaatsnaam, sink, *emails)
    finally:
        sink.stop()
        try:
            clean_up(engine, before, plot, emails)
        finally:
            for worker in paused:
                worker.start()
    after = fingerprint(engine)
    engine.dispose()
    assert [t for t in TABLES if after[t] != before.fingerprint[t]] == []


# -------------------------------------------------------------------------- the steps


def heading(page: Page, tekst: str) -> None:
    expect(page.locator("h1")).to_have_text(tekst)


def register(page: Page, naam: str, email: str) -> None:
    type_into(page, "#veld-naam", naam)
    type_into(page, "#veld-email", email)
    type_into(page, "#veld-wachtwoord", WACHTWOORD)
    tab_to(page, "button:Account aanmaken")
    page.keyboard.press("Enter")
    heading(page, "Controleer uw e-mail")


def confirm(page: Page, sink: SmtpSink, email: str) -> None:
    page.goto(sink.link(sink.wait_for(email, "Bevestig uw e-mailadres"), "/account/bevestigen/"))
    heading(page, "E-mailadres bevestigd")


def log_in_by_keyboard(page: Page, email: str) -> None:
    type_into(page, "#veld-email", email)
    type_into(page, "#veld-wachtwoord", WACHTWOORD)
    tab_to(page, "button:Inloggen")
    page.keyboard.press("Enter")


# -------------------------------------------------------------------------------- the test


def test_resident_journey_on_a_phone_by_keyboard(browser: Browser, reis: Reis,
                                                 tmp_path: Path) -> None:
    watch = Watch()
    try:
        journey(browser, reis, watch, tmp_path)
    finally:
        watch.close()
    assert watch.problems == []


def phone(browser: Browser, watch: Watch, who: str) -> Page:
    context = browser.new_context(**PHONE)
    watch.contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda exc: watch.problems.append(f"{who}: JS error: {exc}"))
    page.on("response", lambda r: watch.problems.append(f"{who}: {r.status} {r.url}")
            if r.status >= 500 else None)
    return page


def journey(browser: Browser, reis: Reis, watch: Watch, tmp_path: Path) -> None:
    url, sink = reis.url, reis.sink

    # -- A registers, confirms by the mail's link and logs in
    a = phone(browser, watch, "A")
    a.goto(url + "/registreren")
    check(a, "01-registreren")
    register(a, "Bewoner A", reis.a)
    check(a, "02-controleer-email")
    confirm(a, sink, reis.a)
    check(a, "03-bevestigd")
    tab_to(a, "a:Inloggen", in_main=True)  # the link on the confirmation page
    a.keyboard.press("Enter")
    heading(a, "Inloggen")
    check(a, "04-inloggen")
    log_in_by_keyboard(a, reis.a)
    a.wait_for_url(url + "/account")
    check(a, "05-account")

    # -- A searches the address, chooses the plot from the list, opens its panel and adopts it
    a.goto(url + "/zelfbeheer")
    a.wait_for_function("() => Number(document.querySelector('[data-zelfbeheer]')"
                        ".dataset.geladen) > 0")
    check(a, "06-zelfbeheer")
    tab_to(a, "#zoekvak")
    a.keyboard.type(reis.adres, delay=20)
    a.wait_for_selector("#zoekvak-lijst [role=option]")
    a.keyboard.press("ArrowDown")
    a.keyboard.press("Enter")
    a.wait_for_function(f"""() => Array.from(document.querySelectorAll('#plotlijst button'))
        .some(b => b.innerText.startsWith({reis.plaatsnaam!r}))""")
    tab_to(a, "a:Spring naar de lijst", limit=8)
    a.keyboard.press("Enter")
    names = a.locator("#plotlijst button").all_inner_texts()
    for _ in range(next(i for i, n in enumerate(names) if n.startswith(reis.plaatsnaam))):
        a.keyboard.press("ArrowDown")
    assert focused(a)["text"].startswith(reis.plaatsnaam)
    a.keyboard.press("Enter")
    a.wait_for_function("() => document.activeElement.id === 'paneel-titel'")
    a.wait_for_timeout(400)  # the sheet slides up
    in_view(a, "#paneel-titel")  # the sheet is up: heading and status on screen
    in_view(a, "[data-testid=groenvak-paneel] .paneel__status")
    check(a, "07-paneel-open", full_page=False)
    tab_to(a, "a:Adopteren", limit=3)
    in_view(a, "[data-testid=groenvak-paneel] a[href$='/aanvragen']")
    a.keyboard.press("Enter")
    heading(a, "Zelfbeheer aanvragen")
    assert a.url.endswith(f"/zelfbeheer/groenvak/{reis.plot.id}/aanvragen")
    check(a, "08-aanvraag")

    # -- the apply form, with one mistake: B's address without its @
    type_into(a, "#veld-groepsnaam", GROEPSNAAM)
    tab_to(a, "#veld-groepsnaam-openbaar")
    a.keyboard.press("Space")
    type_into(a, "#veld-motivatie", "Wij kijken er elke dag op uit.")
    type_into(a, "#veld-plan", "Maandelijks wieden, in het voorjaar bollen planten.")
    type_into(a, "#veld-mede-aanvragers", reis.b.replace("@", ""))
    tab_to(a, "#veld-voorwaarden")
    a.keyboard.press("Space")
    tab_to(a, "button:Aanvraag opslaan")
    a.keyboard.press("Enter")
    a.wait_for_selector("#foutoverzicht")
    assert focused(a)["id"] == "foutoverzicht"  # the summary has the focus
    expect(a.locator("#veld-mede-aanvragers")).to_have_attribute("aria-invalid", "true")
    expect(a.locator("#veld-groepsnaam")).to_have_value(GROEPSNAAM)  # all kept
    expect(a.locator("#veld-groepsnaam-openbaar")).to_be_checked()
    expect(a.locator("#veld-voorwaarden")).to_be_checked()
    check(a, "09-aanvraag-fout")
    tab_to(a, "a:" + a.locator("#foutoverzicht a").first.inner_text(), limit=3)
    a.keyboard.press("Enter")  # the summary's link takes the focus to the field
    assert focused(a)["id"] == "veld-mede-aanvragers", focused(a)
    a.keyboard.press("ControlOrMeta+A")
    a.keyboard.type(reis.b)
    tab_to(a, "button:Aanvraag opslaan")
    a.keyboard.press("Enter")
    a.wait_for_url(url + "/mijn-groen?melding=aangevraagd")
    groep = a.get_by_test_id("groep").filter(has_text=GROEPSNAAM)
    expect(groep.get_by_test_id("status")).to_have_attribute("data-status", "concept")
    check(a, "10-mijn-groen-concept")

    # -- B opens the invitation logged out: the context is there; "Doe mee", register, join
    mail = sink.wait_for(reis.b, "Uitnodiging")
    for context in (GROEPSNAAM, reis.plaatsnaam, "geldig tot"):  # who, where, until when
        assert context in sink.text(mail), context
    assert reis.a not in sink.text(mail) and "Bewoner A" not in sink.text(mail)
    b = phone(browser, watch, "B")
    b.goto(sink.link(mail, "/uitnodiging/"))
    heading(b, "Uitnodiging voor zelfbeheer")
    expect(b.get_by_test_id("groepsnaam")).to_have_text(GROEPSNAAM)
    expect(b.get_by_test_id("uitnodiging-context")).to_contain_text(reis.plaatsnaam)
    expect(b.locator(".kaart--plot .leaflet-container")).to_be_visible()
    expect(b.get_by_test_id("voorwaarden")).to_contain_text("bestrijdingsmiddelen")
    assert reis.a not in b.content() and "Bewoner A" not in b.content()
    check(b, "11-uitnodiging")
    tab_to(b, "button:Doe mee")
    b.keyboard.press("Enter")
    b.wait_for_url(url + "/inloggen?volgende=*")
    check(b, "12-inloggen-uitnodiging")
    tab_to(b, "a:Account aanmaken")
    b.keyboard.press("Enter")
    heading(b, "Account aanmaken")
    assert "volgende=" in b.url
    check(b, "13-registreren-uitnodiging")
    register(b, "Bewoner B", reis.b)
    confirm(b, sink, reis.b)
    check(b, "14-bevestigd")
    tab_to(b, "a:Inloggen", in_main=True)  # it leads back to the invitation
    b.keyboard.press("Enter")
    heading(b, "Inloggen")
    log_in_by_keyboard(b, reis.b)
    b.wait_for_url(url + "/mijn-groen?melding=uitnodiging")
    expect(b.get_by_test_id("groep").filter(has_text=GROEPSNAAM).get_by_test_id("status")
           ).to_have_attribute("data-status", "aangevraagd")
    check(b, "15-meegedaan")
    sink.wait_for(reis.a, "Uw aanvraag voor zelfbeheer is ingediend")

    # -- a medewerker approves (a staff browser: not the resident's keyboard journey)
    m = watch.page(browser, "medewerker")
    log_in(m, url, MEDEWERKER, MEDEWERKER_WACHTWOORD, lands="/beheer")
    m.get_by_role("navigation", name="Beheer").get_by_role(
        "link", name="Aanvragen", exact=True).click()
    m.get_by_test_id("wachtrij").locator("tr").filter(has_text=GROEPSNAAM).get_by_role(
        "link", name="Beoordelen").click()
    besluit = m.locator("form#formulier-beoordelen")
    besluit.locator("input[name=besluit][value=goedkeuren]").check()
    besluit.get_by_role("button", name="Besluit vastleggen").click()
    m.wait_for_url("**/beheer/adopties/*?melding=goedgekeurd")
    sink.wait_for(reis.a, "Zelfbeheer goedgekeurd")

    # -- A logs onderhoud with a photo, by keyboard; the keyboard opens the file chooser
    foto = tmp_path / "vlier.jpg"
    jpeg_with_gps(foto)
    a.goto(url + "/mijn-groen")
    expect(groep.get_by_test_id("status")).to_have_attribute("data-status", "actief")
    tab_to(a, "summary:Onderhoud toevoegen")
    a.keyboard.press("Enter")
    expect(groep.locator("details.onderhoud-formulier")).to_have_attribute("open", "")
    tab_to(a, "@activiteit")
    a.keyboard.type("Wieden")  # type-ahead in the closed select
    expect(groep.locator("select[name=activiteit]")).to_have_value("wieden")
    tab_to(a, "@notitie", limit=2)
    a.keyboard.type(NOTITIE)
    a.keyboard.press("Tab")
    assert focused(a)["type"] == "file"
    # Space opens the chooser; on a busy machine (parallel workers) that can take over the
    # default 10 s, so wait longer rather than fail
    with a.expect_file_chooser(timeout=45_000) as chooser:
        a.keyboard.press("Space")
    chooser.value.set_files(str(foto))
    check(a, "16-onderhoud-formulier")
    tab_to(a, "button:Toevoegen")
    a.keyboard.press("Enter")
    a.wait_for_url(url + "/mijn-groen?melding=onderhoud")
    expect(a.locator("main")).to_contain_text(f"{GROEPSNAAM}: Wieden ({NOTITIE})")
    expect(a.locator("main img[alt^='Foto 1']")).to_have_count(1)
    check(a, "17-onderhoud-toegevoegd")

    # -- from Mijn groen to the plot's public panel: the group's work with its photo
    tab_to(a, "a:" + reis.plaatsnaam, in_main=True)
    a.keyboard.press("Enter")
    a.wait_for_url(f"{url}/zelfbeheer/groenvak/{reis.plot.id}")
    panel = a.get_by_test_id("groenvak-paneel")
    expect(panel.locator(".paneel__status")).to_have_text("In zelfbeheer")
    expect(panel).to_contain_text(f"Wieden – {NOTITIE}")
    expect(panel.locator("img[alt^='Foto 1']")).to_have_count(1)
    a.wait_for_function("() => Number(document.querySelector('[data-zelfbeheer]')"
                        ".dataset.geladen) > 0")
    in_view(a, "#paneel-titel")
    check(a, "18-paneel-onderhoud", full_page=False)

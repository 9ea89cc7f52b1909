"""Stored XSS: markup planted in every text that reaches a page stays text, on every page.

Names of groenvakken, wijken, categories and voorzieningen, group names, onderhoud notes and a
voorstel get `<img src=x onerror=alert(1)>` and `<script>alert(1)</script>` (in a database of
their own). Chromium visits each page where they show, opens map tooltips and panels, and no
dialog may open. Once with the Content-Security-Policy, and once with a browser that ignores it
(bypass_csp): there the payload must show as literal text, proving the escaping on its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Dialog, Page
from sqlalchemy import create_engine, text

from app import migrate
from app.config import Settings
from app.main import create_app
from app.services.accounts.gebruikers import hash_password
from app.services.demo import laden as demo
from app.services.demo.adopties import BEWONER, MEDEWERKER
from tests.conftest import fresh_database
from tests.e2e.conftest import screenshot
from tests.live_server import serve

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
PAYLOAD = f"XSS {IMG}{SCRIPT}"
WACHTWOORD = "een lange zin als wachtwoord"
GM = "GM9901"

# Opens the tooltip of (at most six) map features whose properties carry the payload, the way a
# mouse over them does (Leaflet's mouseover, passed on to the layer group that owns the
# tooltip), and returns how many it opened.
HOVER = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  if (!map) { return 0; }
  let n = 0;
  map.eachLayer(l => {
    if (n >= 6 || !l.feature || !JSON.stringify(l.feature.properties || {}).includes("onerror")) {
      return;
    }
    const at = l.getCenter ? l.getCenter() : l.getLatLng();
    l.fire("mouseover", { latlng: at, containerPoint: map.latLngToContainerPoint(at) }, true);
    n += 1;
  });
  return n;
}"""
# A click on the first voorziening marker whose name carries the payload (opens its panel).
CLICK_MARKER = """() => {
  let done = false;
  Object.values(window).find(v => v instanceof L.Map).eachLayer(l => {
    if (!done && l.feature && l.feature.geometry.type === "Point" &&
        String(l.feature.properties.naam).includes("onerror")) {
      l.fire("click", { latlng: l.getLatLng() }, true);
      done = true;
    }
  });
  return done;
}"""


@dataclass(frozen=True)
class Planted:
    url: str
    wijk: str
    groenvak: int
    adoptie: int
    voorziening: int
    voorstel: int


def _plant(url: str) -> Planted:
    """The payload in every text field that reaches a page, by SQL on this test's database."""
    engine = create_engine(url)
    with engine.begin() as conn:
        def one(sql: str, **params: object) -> object:
            return conn.execute(text(sql), {"g": GM, "p": PAYLOAD, **params}).scalar_one()

        adoptie, groenvak, wijk_id = conn.execute(text("""
            SELECT a.id, a.groenvak_id, g.wijk_id FROM adoptie a
              JOIN deelname d ON d.adoptie_id = a.id AND d.rol = 'trekker'
              JOIN gebruiker u ON u.id = d.gebruiker_id AND u.email = :e
              JOIN groenvak g ON g.id = a.groenvak_id
             WHERE a.gemeente_code = :g AND a.status = 'actief' ORDER BY a.id LIMIT 1"""),
            {"g": GM, "e": BEWONER}).one()
        for sql in [
            "UPDATE groenvak SET naam = :p WHERE wijk_id = :w",
            "UPDATE gebied SET naam = :p WHERE id = :w",
            "UPDATE adoptie SET groepsnaam = :p, groepsnaam_openbaar = true "
            "WHERE gemeente_code = :g",
            "UPDATE onderhoud SET notitie = :p WHERE gemeente_code = :g",
            "UPDATE categorie SET naam = :p || ' ' || code WHERE gemeente_code = :g",
            "UPDATE voorziening SET naam = :p, omschrijving = :p, adres = :p "
            "WHERE gemeente_code = :g AND wijk_id = :w",
        ]:
            conn.execute(text(sql), {"g": GM, "p": PAYLOAD, "w": wijk_id})
        voorziening = one("SELECT min(id) FROM voorziening WHERE wijk_id = :w AND "
                          "status = 'gepubliceerd'", w=wijk_id)
        voorstel = one("""
            INSERT INTO voorstel (gemeente_code, soort, gebruiker_id, gegevens, geometrie)
            SELECT u.gemeente_code, 'nieuw', u.id, jsonb_build_object(
                     'naam', CAST(:p AS text), 'omschrijving', CAST(:p AS text),
                     'adres', CAST(:p AS text), 'openingstijden', CAST(:p AS text),
                     'toelichting', CAST(:p AS text), 'categorie', CAST(v.categorie_id AS text)),
                   v.geometrie
              FROM gebruiker u, voorziening v
             WHERE u.gemeente_code = :g AND u.email = :e AND v.id = :v RETURNING id""",
                       e=BEWONER, v=voorziening)
        for email in (BEWONER, MEDEWERKER):
            conn.execute(text("UPDATE gebruiker SET wachtwoord_hash = :h WHERE email = :e"),
                         {"h": hash_password(WACHTWOORD), "e": email})
        wijk = one("SELECT code FROM gebied WHERE id = :w", w=wijk_id)
    engine.dispose()
    return Planted("", str(wijk), int(groenvak), int(adoptie), int(str(voorziening)),
                   int(str(voorstel)))


@pytest.fixture(scope="module")
def planted(settings: Settings) -> Iterator[Planted]:
    """A demo gemeente of its own (nothing to clean up in the shared one) and a live server."""
    url = fresh_database(settings, "kaart_xss")
    migrate.upgrade(url)
    demo.load(url)
    found = _plant(url)
    with serve(create_app(settings, url=url)) as base:
        yield Planted(base, found.wijk, found.groenvak, found.adoptie, found.voorziening,
                      found.voorstel)


def _hover(page: Page) -> None:
    assert page.evaluate(HOVER) > 0, "no map feature carries the payload"
    page.wait_for_selector(".leaflet-tooltip")


def _zelfbeheer(page: Page) -> None:
    page.wait_for_function("() => document.querySelector('[data-zelfbeheer]')"
                           ".dataset.geladen > 0")
    box = page.locator(".kaart").bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a real hover
    _hover(page)


def _gebied(page: Page) -> None:
    page.wait_for_function("() => document.querySelector('[data-gebied]')"
                           ".dataset.groenGeladen > 0")
    _hover(page)
    assert page.evaluate(CLICK_MARKER)
    page.wait_for_function("() => document.querySelector('#paneel').innerText.includes('XSS')")


def _kaart(page: Page) -> None:
    _hover(page)
    page.locator("a[data-voorziening][hx-get]", has_text="XSS").first.click()
    page.wait_for_function("() => document.querySelector('#paneel-titel')?.innerText"
                           ".includes('XSS')")


def _nothing(page: Page) -> None:
    pass


def pages(p: Planted) -> dict[str, list[tuple[str, Callable[[Page], None]]]]:
    """Per visitor: the pages where a planted text appears, and what to open there."""
    return {
        "anoniem": [
            ("/", _hover),
            (f"/wijken/{p.wijk}", _gebied),
            (f"/zelfbeheer/groenvak/{p.groenvak}", _zelfbeheer),
            (f"/zelfbeheer?zoek={quote(PAYLOAD)}", _nothing),
            (f"/zelfbeheer/lijst?wijk={p.wijk}", _nothing),
            ("/kaart", _kaart),
            (f"/kaart?wijk={p.wijk}", _kaart),
            (f"/kaart/lijst?wijk={p.wijk}", _nothing),
            (f"/voorzieningen/{p.voorziening}", _nothing),
            ("/wijken", _nothing),
        ],
        BEWONER: [
            ("/mijn-groen", _nothing),
            ("/mijn/voorstellen", _nothing),
            (f"/zelfbeheer/groenvak/{p.groenvak}", _zelfbeheer),
        ],
        MEDEWERKER: [
            ("/beheer/aanvragen", _nothing),
            ("/beheer/adopties", _nothing),
            (f"/beheer/adopties/{p.adoptie}", _nothing),
            (f"/beheer/groenvakken/{p.groenvak}", _nothing),
            ("/beheer/voorstellen", _nothing),
            (f"/beheer/voorstellen/{p.voorstel}", _nothing),
            ("/beheer/categorieen", _nothing),
            (f"/beheer/voorzieningen?wijk={p.wijk}", _nothing),
            (f"/beheer/voorzieningen/{p.voorziening}", _nothing),
        ],
    }


def _log_in(page: Page, url: str, email: str) -> None:
    page.goto(url + "/inloggen")
    form = page.locator("form[action='/inloggen']")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=wachtwoord]").fill(WACHTWOORD)
    form.get_by_role("button", name="Inloggen").click()
    # residents land on their account, staff on Beheer
    page.wait_for_url(lambda u: u in (url + "/account", url + "/beheer"))


def _visit(page: Page, url: str, who: str, visits: list[tuple[str, Callable[[Page], None]]],
           shots: bool) -> list[str]:
    """Open each page and what is on it; what went wrong (a dialog, markup that became
    elements, a payload that is not shown as text)."""
    problems: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        problems.append(f"{who}: a dialog opened on {page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: problems.append(f"{who}: JS error {exc}"))
    if who != "anoniem":
        _log_in(page, url, who)
    for path, action in visits:
        response = page.goto(url + path)
        assert response and response.status == 200, path
        action(page)
        if shots and action is not _nothing:
            screenshot(page, f"xss-zonder-csp{path.split('?')[0].replace('/', '-')}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(150)  # an onerror would have fired by now (src=x is a 404)
        body = page.locator("body").inner_text()
        if IMG not in body or SCRIPT not in body:
            problems.append(f"{who}: the payload is not shown as text on {path}")
        if page.locator("img[src='x'], main script, .leaflet-container script").count():
            problems.append(f"{who}: planted markup became elements on {path}")
    return problems


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["met-csp", "zonder-csp"])
def test_planted_markup_shows_as_text_and_never_runs(browser: Browser, planted: Planted,
                                                     bypass_csp: bool) -> None:
    problems: list[str] = []
    for who, visits in pages(planted).items():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL",
                                      bypass_csp=bypass_csp)
        try:
            page = context.new_page()
            page.set_default_timeout(10_000)
            problems += _visit(page, planted.url, who, visits, shots=bypass_csp)
        finally:
            context.close()
    assert problems == []

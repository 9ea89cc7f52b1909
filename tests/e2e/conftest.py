"""A live server on a free port; Debian's Chromium driven by Playwright, never a downloaded one."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import PROJECT_DIR, Settings
from app.main import create_app
from tests.live_server import serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTEFACTS = PROJECT_DIR / "tests" / "artefacts"

# Every page of every browser context reports what the Content-Security-Policy blocked; the
# report reaches Python as a tagged console message, so it survives the page being closed.
CSP_TAG = "CSP-VIOLATION "
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP_TAG" + e.effectiveDirective + " blocked " + (e.blockedURI || "inline") +
                " on " + document.location.pathname + " (" + (e.sourceFile || "page") + ":" +
                e.lineNumber + ") " + (e.sample || ""));
});
""".replace("CSP_TAG", CSP_TAG)
CSP_VIOLATIONS: list[str] = []


def _watched(new_context: Callable[..., Any]) -> Callable[..., Any]:
    """browser.new_context, with every page in the context reporting CSP violations."""
    def new_watched_context(*args: Any, **kwargs: Any) -> Any:
        context = new_context(*args, **kwargs)
        context.add_init_script(CSP_WATCH)
        context.on("console", lambda message: CSP_VIOLATIONS.append(
            message.text[len(CSP_TAG):]) if message.text.startswith(CSP_TAG) else None)
        return context
    return new_watched_context


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    """Each e2e test ends with zero Content-Security-Policy violations on the pages it saw."""
    CSP_VIOLATIONS.clear()
    yield
    found, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert found == [], "the Content-Security-Policy blocked something"


@pytest.fixture(scope="session")
def live_url(settings: Settings, db_url: str) -> Iterator[str]:
    with serve(create_app(settings, url=db_url)) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        browser.new_context = _watched(browser.new_context)  # type: ignore[method-assign]
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Keep a screenshot as a test artefact (tests/artefacts/)."""
    ARTEFACTS.mkdir(exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

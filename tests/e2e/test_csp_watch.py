"""The CSP watch of conftest works: a blocked inline script on a page becomes a report."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.e2e import conftest


def test_a_blocked_inline_script_is_reported(browser: Browser, live_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_url + "/inloggen")
    page.evaluate("""() => {
      const s = document.createElement("script");
      s.textContent = "window.ran = true;";
      document.body.appendChild(s);
    }""")
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.ran") is None  # the policy blocked it
    context.close()
    found, conftest.CSP_VIOLATIONS[:] = list(conftest.CSP_VIOLATIONS), []  # expected here
    assert len(found) == 1 and found[0].startswith("script-src-elem blocked inline on /inloggen")

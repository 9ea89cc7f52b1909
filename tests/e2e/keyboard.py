"""Driving a page by keyboard alone (page.keyboard: no click, fill or focus) and the checks a
phone page must pass: no sideways scrolling at 390 px, no axe violation, a screenshot."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.e2e.axe import violations
from tests.e2e.conftest import ARTEFACTS, screenshot


def focused(page: Page) -> dict[str, Any]:
    """What has the focus: tag, id, role, name and its visible text or value."""
    result: dict[str, Any] = page.evaluate("""(() => { const e = document.activeElement;
        return {tag: e.tagName, id: e.id, role: e.getAttribute('role') || '',
                name: e.getAttribute('name') || '', type: e.getAttribute('type') || '',
                text: (e.innerText || e.value || '').trim().slice(0, 120),
                main: !!e.closest('main')}; })()""")
    return result


def tab_to(page: Page, what: str, limit: int = 40, key: str = "Tab",
           in_main: bool = False) -> None:
    """Press Tab until the focused element is `what`: '#id', '@name' or 'tag:Label'."""
    for _ in range(limit):
        page.keyboard.press(key)
        e = focused(page)
        if in_main and not e["main"]:
            continue
        if what[0] in "#@" and e["id" if what[0] == "#" else "name"] == what[1:]:
            return
        tag, _, label = what.partition(":")
        if e["tag"].lower() == tag and e["text"] == label:
            return
    raise AssertionError(f"{what} not reached in {limit} presses of {key}; focus: {focused(page)}")


def type_into(page: Page, field: str, value: str) -> None:
    """Tab to a field and type into it (what was there is selected first and replaced)."""
    tab_to(page, field)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(value)


def check(page: Page, name: str, full_page: bool = True) -> None:
    """On every page of the journey: no sideways scrolling, no axe violation, a screenshot
    (of the whole page, or of the screen as the resident sees it: a bottom sheet)."""
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400, page.url
    assert violations(page) == [], page.url
    if full_page:
        screenshot(page, f"bewonersreis-{name}")
    else:
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"bewonersreis-{name}.png"))


def in_view(page: Page, selector: str) -> None:
    """The element's top part is on the phone's screen (not below the fold, not under it)."""
    box = page.locator(selector).bounding_box()
    assert box and 0 <= box["y"] < 844 - 40, (selector, box)

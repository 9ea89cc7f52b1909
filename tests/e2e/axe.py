"""axe-core (as shipped in axe-playwright-python) on the page as it is now: every rule that
axe runs by default, none disabled, no element excluded."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()


def violations(page: Any) -> list[str]:
    """One line per violation: rule, impact and the elements it found."""
    response = AXE.run(page).response
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            f"{[n['target'] for n in v['nodes']][:5]}" for v in response["violations"]]

"""Shared fixtures of the unit tests."""

from __future__ import annotations

import pytest

from app.geo.synth import DemoGemeente, build_gemeente


@pytest.fixture(scope="session")
def demo() -> DemoGemeente:
    """One build of the demo gemeente shared by the read-only tests (a few seconds)."""
    return build_gemeente()

"""KAART_BASISKAART unset: our own basemap where the gemeente has streets, PDOK's where it has
none; an explicit choice always wins. Each page's CSP names only the basemap it draws."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.common import deps
from app.api.common.csp import basemap_origins
from app.config import PDOK_BRT, Settings
from app.main import create_app
from app.services.geografie import heeft_straten
from tests.api.test_security_headers import parse_policy, policy_problems
from tests.conftest import app_settings, scalar

G = "GM9901"
PDOK = tuple(basemap_origins(PDOK_BRT))
MAP_PAGES = ["/", "/kaart", "/zelfbeheer", "/wijken/{wijk}"]


def _settings(monkeypatch: pytest.MonkeyPatch, **values: str) -> Settings:
    """Settings as `kaart serve` builds them: nothing about the basemap unless given."""
    for name in ("KAART_BASISKAART", "KAART_BASEMAP_URL", "KAART_BASEMAP_ATTRIBUTIE"):
        monkeypatch.delenv(name, raising=False)
    base = app_settings()
    return Settings(database_url=None, allowed_hosts=base.allowed_hosts,  # type: ignore[call-arg]
                    **values)


def _client(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    app = create_app(settings, url=db_url)
    app.dependency_overrides[deps.get_session] = lambda: session
    with TestClient(app) as client:
        yield client


def _basemap(page: str) -> dict[str, object] | None:
    """The basemap in a page's map config, or None when the map has none."""
    found = re.search(r'data-kaart="([^"]*)"', page)
    assert found, "no map on the page"
    basemap = json.loads(html.unescape(found.group(1))).get("basemap")
    return basemap if basemap is None else dict(basemap)


def _without_streets(session: Session) -> None:
    """The demo gemeente as before its streets were loaded (rolled back after the test)."""
    session.connection().exec_driver_sql("DELETE FROM straat WHERE gemeente_code = 'GM9901'")
    assert not heeft_straten(session, G)


def _pages(session: Session) -> list[str]:
    wijk = scalar(session, "SELECT min(code) FROM gebied WHERE gemeente_code = :g "
                           "AND soort = 'wijk'", g=G)
    return [path.format(wijk=wijk) for path in MAP_PAGES]


def _get(client: TestClient, path: str) -> tuple[dict[str, object] | None, dict[str, list[str]]]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    header = response.headers["content-security-policy"]
    assert policy_problems(header, PDOK) == [], path
    return _basemap(response.text), parse_policy(header)


def test_unset_means_our_own_where_the_gemeente_has_streets(
        monkeypatch: pytest.MonkeyPatch, db_url: str, session: Session) -> None:
    assert heeft_straten(session, G)
    for client in _client(_settings(monkeypatch), db_url, session):
        for path in _pages(session):
            basemap, policy = _get(client, path)
            assert basemap is not None and "vector" in basemap and "url" not in basemap, path
            assert "Kadaster" not in str(basemap["attribution"])
            assert policy["img-src"] == ["'self'", "data:"], path


def test_unset_means_pdok_where_the_gemeente_has_no_streets(
        monkeypatch: pytest.MonkeyPatch, db_url: str, session: Session) -> None:
    _without_streets(session)
    for client in _client(_settings(monkeypatch), db_url, session):
        for path in _pages(session):
            basemap, policy = _get(client, path)
            assert basemap is not None and basemap["url"] == PDOK_BRT, path
            assert "Kadaster" in str(basemap["attribution"])
            assert policy["img-src"] == ["'self'", "data:", *PDOK], path
        # a response without a map allows no other origin
        api = client.get("/v1/collections").headers["content-security-policy"]
        assert parse_policy(api)["img-src"] == ["'self'", "data:"]


@pytest.mark.parametrize(("values", "streets", "expected"), [
    ({"basiskaart": "eigen"}, False, "vector"),
    ({"basiskaart": "pdok"}, True, PDOK_BRT),
    ({"basiskaart": "geen"}, True, None),
    ({"basiskaart": "geen"}, False, None),
    ({"basemap_url": "https://tiles.example/{z}/{x}/{y}.png"}, False,
     "https://tiles.example/{z}/{x}/{y}.png"),
])
def test_an_explicit_choice_always_wins(monkeypatch: pytest.MonkeyPatch, db_url: str,
                                        session: Session, values: dict[str, str],
                                        streets: bool, expected: str | None) -> None:
    if not streets:
        _without_streets(session)
    settings = _settings(monkeypatch, **values)
    allowed = tuple(basemap_origins(settings.basemap_url))
    for client in _client(settings, db_url, session):
        for path in _pages(session):
            response = client.get(path)
            assert response.status_code == 200, path
            basemap = _basemap(response.text)
            if expected is None:
                assert basemap is None, path
            elif expected == "vector":
                assert basemap is not None and "vector" in basemap, path
            else:
                assert basemap is not None and basemap["url"] == expected, path
            policy = parse_policy(response.headers["content-security-policy"])
            assert policy["img-src"] == ["'self'", "data:", *allowed], path


def test_streets_decide_per_gemeente(session: Session) -> None:
    assert heeft_straten(session, G)
    assert not heeft_straten(session, "GM0000")
    assert scalar(session, "SELECT count(*) FROM straat WHERE gemeente_code = :g", g=G)

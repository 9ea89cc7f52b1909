"""Where the zelfbeheer map starts and what it shows zoomed out: per wijk and dorp how many
groenvakken it has, at a point on one of its plots; the first is the one with most free plots."""

import html
import json
import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import scalar

HTML = {"accept": "text/html"}


def tellingen(client: TestClient) -> list[dict[str, object]]:
    page = client.get("/zelfbeheer", headers=HTML).text
    found = re.search(r'data-tellingen="([^"]*)"', page)
    assert found
    return list(json.loads(html.unescape(found.group(1))))


def test_counts_cover_every_plot_and_start_where_most_are_free(client: TestClient,
                                                               session: Session) -> None:
    rows = tellingen(client)
    assert sum(int(str(r["aantal"])) for r in rows) == scalar(
        session, "SELECT count(*) FROM groenvak WHERE vervallen_op IS NULL AND wijk_id IS NOT NULL")
    free = [int(str(r["beschikbaar"])) for r in rows]
    assert free[0] == max(free) > 0
    for r in rows:  # each point lies on a groenvak of that wijk or dorp: zoomed in, plots show
        on_plot = scalar(session, """
            SELECT EXISTS (SELECT 1 FROM groenvak g JOIN gebied w ON w.id = g.wijk_id
             WHERE w.code = :code AND ST_DWithin(g.geometrie, ST_Transform(
                   ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 28992), 1))""",
            code=r["code"], lat=r["lat"], lon=r["lon"])
        assert on_plot, r["naam"]


def test_favicon_is_a_small_icon(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert 0 < len(icon.content) < 10_000

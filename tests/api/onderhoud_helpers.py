"""Helpers for posting the onderhoud form of Mijn groen as a member, with photos."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from tests.api.account_helpers import HTML, csrf_of, login, resident
from tests.conftest import scalar


def log_in_as_trekker(web: TestClient, session: Session) -> int:
    """Log in as the trekker of the first active adoptie; returns that adoptie's id."""
    adoptie, email = session.connection().exec_driver_sql(
        "SELECT a.id, u.email FROM adoptie a JOIN deelname d ON d.adoptie_id = a.id "
        "AND d.rol = 'trekker' JOIN gebruiker u ON u.id = d.gebruiker_id "
        "WHERE a.status = 'actief' ORDER BY a.id LIMIT 1").one()
    resident(session, str(email))
    assert login(web, str(email)).status_code == 303
    return int(adoptie)


def post_onderhoud(web: TestClient, session: Session, adoptie: int, photos: list[bytes],
                   notitie: str = "Heg geknipt bij de school") -> Response:
    """The form as a browser sends it: a date, an activity, a note and the chosen files."""
    token = csrf_of(web.get("/mijn-groen", headers=HTML).text)
    return web.post(f"/mijn-groen/adopties/{adoptie}/onderhoud", headers=HTML,
                    data={"datum": str(scalar(session, "SELECT current_date::text")),
                          "activiteit": "snoeien", "notitie": notitie, "csrf_token": token},
                    files=[("fotos", (f"foto{i}.png", data, "image/png"))
                           for i, data in enumerate(photos, 1)],
                    follow_redirects=False)


def entries_with(session: Session, notitie: str) -> int:
    return int(scalar(session, "SELECT count(*) FROM onderhoud WHERE notitie = :n",  # type: ignore[arg-type]
                      n=notitie))


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_refused_beside_photos(response: Response, adoptie: int, status: int,
                                 message: str, notitie: str = "Heg geknipt bij de school") -> None:
    """The form is back, open, with the note as typed and the reason beside the photo field."""
    assert response.status_code == status, response.text
    page = response.text
    assert f'id="fotos-{adoptie}-fout"' in page
    beside = page.split(f'id="fotos-{adoptie}-fout"')[1].split("</div>")[0]
    assert message.replace("'", "&#39;") in beside
    assert 'class="onderhoud-formulier" open' in page
    assert f'value="{notitie}"' in page
    assert '<option value="snoeien" selected>' in page
    assert 'href="#fotos-' in page  # the error summary links to the field

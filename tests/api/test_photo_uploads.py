"""Big photos through the onderhoud form: a 40-megapixel PNG is stored small and cheaply, a
decompression bomb and a too-large photo are refused beside the field, with nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.services.zelfbeheer.fotos import PhotoStore
from tests.api.account_helpers import make_client
from tests.api.onderhoud_helpers import (
    assert_refused_beside_photos,
    entries_with,
    files_under,
    log_in_as_trekker,
    post_onderhoud,
)
from tests.conftest import scalar
from tests.unit.png_files import uniform_png

TOO_MANY_PIXELS = "De foto heeft te veel pixels (maximaal {} megapixel)"


def member_client(settings: Settings, db_url: str, session: Session,
                  root: Path) -> Iterator[TestClient]:
    client = make_client(settings, db_url, session)
    client.app.state.photo_store = PhotoStore(root)  # type: ignore[attr-defined]
    with client:
        yield client


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session, tmp_path: Path) -> Iterator[TestClient]:
    yield from member_client(settings, db_url, session, tmp_path / "uploads")


def _kb(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def test_forty_megapixel_png_is_stored_small_without_a_big_peak(
        web: TestClient, session: Session, tmp_path: Path) -> None:
    adoptie = log_in_as_trekker(web, session)
    big = uniform_png(6320, 6320)  # 166 KB that decodes to 160 MB
    assert len(big) < 200_000
    before = _kb("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from here
    except OSError:
        pytest.skip("cannot reset the peak memory of this process")
    response = post_onderhoud(web, session, adoptie, [big], notitie="Groot plaatje")
    peak_mb = (_kb("VmHWM") - before) // 1024
    assert response.status_code == 303, response.text
    size = scalar(session, "SELECT f.breedte || 'x' || f.hoogte FROM foto f JOIN onderhoud o "
                           "ON o.id = f.onderhoud_id WHERE o.notitie = 'Groot plaatje'")
    assert size == "2048x2048"
    assert len(files_under(tmp_path / "uploads")) == 2
    assert peak_mb < 400, f"one 40-megapixel photo took {peak_mb} MB (was ~620 MB)"


@pytest.mark.parametrize(("bomb", "message"), [
    (lambda: uniform_png(16_000, 16_000), TOO_MANY_PIXELS.format(40)),  # 1 GB, Pillow's bomb
    (lambda: uniform_png(7000, 7000), TOO_MANY_PIXELS.format(40)),  # 49 Mpx: over our limit
    (lambda: uniform_png(20_000, 1000), "De foto is te breed of te hoog (hoogstens 12000 pixels)"),
], ids=["decompression bomb", "49 megapixel", "20000 px wide"])
def test_bomb_is_refused_beside_the_field_and_nothing_is_stored(
        web: TestClient, session: Session, tmp_path: Path, bomb: object, message: str) -> None:
    adoptie = log_in_as_trekker(web, session)
    data = bomb()  # type: ignore[operator]
    assert len(data) < 2_000_000
    response = post_onderhoud(web, session, adoptie, [data])
    assert_refused_beside_photos(response, adoptie, 413, message)
    assert entries_with(session, "Heg geknipt bij de school") == 0
    assert files_under(tmp_path / "uploads") == []


def test_pixel_limit_is_a_setting(settings: Settings, db_url: str, session: Session,
                                  tmp_path: Path) -> None:
    strict = settings.model_copy(update={"photo_max_megapixels": 1})
    for web in member_client(strict, db_url, session, tmp_path / "uploads"):
        adoptie = log_in_as_trekker(web, session)
        response = post_onderhoud(web, session, adoptie, [uniform_png(1200, 1000)])
        assert_refused_beside_photos(response, adoptie, 413, TOO_MANY_PIXELS.format(1))
    assert files_under(tmp_path / "uploads") == []

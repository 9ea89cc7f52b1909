"""Photos in the onderhoud log: five at most, all or nothing, served with safe headers."""

from __future__ import annotations

import random
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import text
from sqlmodel import Session, select

from app.api.zelfbeheer import fotos as photos_api
from app.errors import InvalidInput, TooLarge, UnsupportedMedia
from app.models import Foto, Onderhoud
from app.services.zelfbeheer.fotos import PhotoStore, add_photos

CSP = "default-src 'none'; img-src 'self'; sandbox"


def jpeg(seed: int = 1, size: tuple[int, int] = (120, 80)) -> bytes:
    img = Image.frombytes("RGB", size, random.Random(seed).randbytes(size[0] * size[1] * 3))
    out = BytesIO()
    img.save(out, "JPEG")
    return out.getvalue()


def png(seed: int = 2) -> bytes:
    img = Image.frombytes("RGBA", (64, 48), random.Random(seed).randbytes(64 * 48 * 4))
    out = BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@pytest.fixture()
def onderhoud(session: Session) -> Onderhoud:
    """A fresh log entry on an active demo adoptie, rolled back with the test."""
    new_id = session.connection().execute(text(
        "INSERT INTO onderhoud (gemeente_code, adoptie_id, datum, activiteit) "
        "SELECT gemeente_code, id, current_date, 'maaien' FROM adoptie "
        "WHERE status = 'actief' ORDER BY id LIMIT 1 RETURNING id")).scalar_one()
    entry = session.get(Onderhoud, new_id)
    assert entry is not None
    return entry


@pytest.fixture()
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "uploads")


def stored_files(store: PhotoStore) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else []


def fotos_of(session: Session, onderhoud: Onderhoud) -> list[Foto]:
    return list(session.exec(select(Foto).where(Foto.onderhoud_id == onderhoud.id)))


def test_add_photos_stores_files_and_rows(session: Session, store: PhotoStore,
                                          onderhoud: Onderhoud) -> None:
    fotos = add_photos(session, store, onderhoud, [jpeg(), png()])
    assert [f.mime for f in fotos] == ["image/jpeg", "image/png"]
    assert [(f.breedte, f.hoogte) for f in fotos] == [(120, 80), (64, 48)]
    assert all(f.id is not None and f.gemeente_code == onderhoud.gemeente_code for f in fotos)
    for foto in fotos:
        path, mime = store.open(foto.opslag_sleutel)
        assert mime == foto.mime and path.stat().st_size == foto.bytes
    assert len(stored_files(store)) == 4  # each photo plus its thumbnail
    assert len(fotos_of(session, onderhoud)) == 2


def test_sixth_photo_is_refused(session: Session, store: PhotoStore,
                                onderhoud: Onderhoud) -> None:
    add_photos(session, store, onderhoud, [jpeg(i) for i in range(3)])
    with pytest.raises(InvalidInput, match="Maximaal 5 foto's.*nog 2 bij"):
        add_photos(session, store, onderhoud, [jpeg(i) for i in range(3)])
    add_photos(session, store, onderhoud, [jpeg(7), jpeg(8)])
    with pytest.raises(InvalidInput, match="nog 0 bij"):
        add_photos(session, store, onderhoud, [jpeg(9)])
    assert len(fotos_of(session, onderhoud)) == 5
    assert len(stored_files(store)) == 10


def test_six_at_once_are_refused(session: Session, store: PhotoStore,
                                 onderhoud: Onderhoud) -> None:
    with pytest.raises(InvalidInput, match="Maximaal 5"):
        add_photos(session, store, onderhoud, [jpeg(i) for i in range(6)])
    assert stored_files(store) == [] and fotos_of(session, onderhoud) == []


@pytest.mark.parametrize(("bad", "error", "message"), [
    (b"<html><script>alert(1)</script></html>", UnsupportedMedia,
     "Foto 2: Alleen JPEG-, PNG- of WebP-foto's"),
    (b"\xff\xd8\xff" + bytes(11_000_000), TooLarge, "Foto 2: De foto is groter dan 10 MB"),
])
def test_one_bad_file_saves_nothing(session: Session, store: PhotoStore, onderhoud: Onderhoud,
                                    bad: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        add_photos(session, store, onderhoud, [jpeg(), bad, png()])
    assert str(caught.value) == message
    assert stored_files(store) == [] and fotos_of(session, onderhoud) == []


def test_failed_insert_removes_written_files(session: Session, store: PhotoStore,
                                             onderhoud: Onderhoud,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_flush(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database weg")

    monkeypatch.setattr(session, "flush", broken_flush)
    with pytest.raises(RuntimeError, match="database weg"):
        add_photos(session, store, onderhoud, [jpeg(), png()])
    assert stored_files(store) == []


@pytest.fixture()
def photo_client(client: TestClient, store: PhotoStore) -> Iterator[TestClient]:
    """The test client with the photo routes (until main.py includes them) and a tmp store."""
    app = cast(FastAPI, client.app)
    if not any(getattr(route, "path", None) == "/fotos/{key}" for route in app.routes):
        app.include_router(photos_api.router)
    app.state.photo_store = store
    yield client


def test_photo_is_served_with_safe_headers(photo_client: TestClient, session: Session,
                                           store: PhotoStore, onderhoud: Onderhoud) -> None:
    foto_jpeg, foto_png = add_photos(session, store, onderhoud, [jpeg(), png()])
    for foto, ext in ((foto_jpeg, "jpg"), (foto_png, "png")):
        response = photo_client.get(f"/fotos/{foto.opslag_sleutel}",
                                    headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == foto.mime
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["content-disposition"] == f'inline; filename="foto.{ext}"'
        assert "immutable" in response.headers["cache-control"]
        assert "content-encoding" not in response.headers
        assert response.content == store.open(foto.opslag_sleutel)[0].read_bytes()
        assert len(response.content) == foto.bytes

    thumb = photo_client.get(f"/fotos/{foto_jpeg.opslag_sleutel}/thumb")
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/webp"
    assert thumb.headers["content-disposition"] == 'inline; filename="foto.webp"'
    assert thumb.headers["content-security-policy"] == CSP
    assert Image.open(BytesIO(thumb.content)).format == "WEBP"


@pytest.mark.parametrize("path", [
    "/fotos/" + "0" * 32, "/fotos/" + "0" * 32 + "/thumb", "/fotos/nietbestaand",
    "/fotos/..%2F..%2Fetc%2Fpasswd", "/fotos/%2e%2e", "/fotos/" + "A" * 32,
])
def test_unknown_or_malformed_keys_are_404_problems(photo_client: TestClient,
                                                    path: str) -> None:
    response = photo_client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_file_without_row_is_not_served(photo_client: TestClient, session: Session,
                                        store: PhotoStore, onderhoud: Onderhoud) -> None:
    (foto,) = add_photos(session, store, onderhoud, [jpeg()])
    session.delete(foto)
    session.flush()
    assert store.open(foto.opslag_sleutel)  # the file is still there, the row is not
    assert photo_client.get(f"/fotos/{foto.opslag_sleutel}").status_code == 404

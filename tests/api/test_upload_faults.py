"""A full or unwritable upload disk is a Dutch answer beside the field, never a bare 500, and
leaves nothing half-written: no onderhoud or foto row, no stray file.

The faults are real: a tmpfs of 64 kB that is full (ENOSPC), a tmpfs mounted read-only (EROFS)
and an upload folder below a regular file (ENOTDIR). Tests run as root, who ignores permission
bits, so chmod would prove nothing. Mounting needs CAP_SYS_ADMIN; without it those tests skip.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.beheer.importeren import OPSLAG_VOL
from app.config import Settings
from app.services.demo.adopties import MEDEWERKER
from app.services.zelfbeheer.fotos import PhotoStore
from app.services.zelfbeheer.fotos_opslag import DISK_BROKEN, DISK_FULL
from tests.api.account_helpers import HTML, csrf_of, login, make_client, resident
from tests.api.onderhoud_helpers import (
    assert_refused_beside_photos,
    entries_with,
    files_under,
    log_in_as_trekker,
    post_onderhoud,
)
from tests.unit.png_files import uniform_png


@contextmanager
def tmpfs(path: Path, options: str) -> Iterator[Path]:
    """A small tmpfs of our own at path, unmounted afterwards; skip where we may not mount."""
    path.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "kaart-test", str(path)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.fixture()
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a filesystem with no room left: writing there gives ENOSPC."""
    with tmpfs(tmp_path / "vol", "size=64k,mode=0755") as root:
        (root / "uploads").mkdir()
        with pytest.raises(OSError) as full, (root / "vulsel").open("wb") as filler:
            for _ in range(64):
                filler.write(bytes(4096))
                filler.flush()
        assert full.value.errno == errno.ENOSPC
        yield root


@pytest.fixture()
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "ro", "size=64k,ro") as root:
        yield root


def web_with_store(settings: Settings, db_url: str, session: Session,
                   root: Path) -> Iterator[TestClient]:
    client = make_client(settings, db_url, session)
    client.app.state.photo_store = PhotoStore(root)  # type: ignore[attr-defined]
    with client:
        yield client


def post_and_check(settings: Settings, db_url: str, session: Session, root: Path,
                   status: int, message: str) -> None:
    for web in web_with_store(settings, db_url, session, root):
        adoptie = log_in_as_trekker(web, session)
        response = post_onderhoud(web, session, adoptie, [uniform_png(800, 600)])
        assert_refused_beside_photos(response, adoptie, status, message)
        assert entries_with(session, "Heg geknipt bij de school") == 0


def test_full_disk_is_507_in_dutch_and_leaves_nothing(
        settings: Settings, db_url: str, session: Session, full_disk: Path) -> None:
    post_and_check(settings, db_url, session, full_disk / "uploads", 507, DISK_FULL)
    assert files_under(full_disk) == [full_disk / "vulsel"]  # no photo, no .upload-*.tmp


def test_read_only_disk_is_503_in_dutch(settings: Settings, db_url: str, session: Session,
                                        read_only_disk: Path) -> None:
    post_and_check(settings, db_url, session, read_only_disk / "uploads", 503, DISK_BROKEN)


def test_upload_folder_below_a_file_is_503_in_dutch(settings: Settings, db_url: str,
                                                    session: Session, tmp_path: Path) -> None:
    (tmp_path / "geen-map").write_text("een bestand, geen map")
    post_and_check(settings, db_url, session, tmp_path / "geen-map" / "uploads", 503,
                   DISK_BROKEN)


def test_import_upload_on_a_full_disk_is_507_in_dutch(
        settings: Settings, db_url: str, session: Session, full_disk: Path) -> None:
    resident(session, MEDEWERKER)
    on_full_disk = settings.model_copy(update={"upload_dir": full_disk / "uploads"})
    with make_client(on_full_disk, db_url, session) as staff:
        assert login(staff, MEDEWERKER).status_code == 303
        token = csrf_of(staff.get("/beheer/import", headers=HTML).text)
        response = staff.post("/beheer/import", headers=HTML, data={
            "csrf_token": token, "laag": "groenvakken", "id_veld": "beheer_id"},
            files={"bestand": ("vakken.geojson", b'{"type": "FeatureCollection"}' * 100,
                               "application/geo+json")})
    assert response.status_code == 507, response.text
    beside = response.text.split('id="veld-bestand-fout"')[1].split("</div>")[0]
    assert OPSLAG_VOL in beside
    assert 'value="beheer_id"' in response.text  # what was typed is kept
    assert files_under(full_disk / "uploads") == []

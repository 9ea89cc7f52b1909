"""Big photos cannot take the server's memory: few decodes at once, each bounded, all given back."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.errors import Unavailable
from app.services.zelfbeheer import fotos_jobs as photo_jobs
from app.services.zelfbeheer.fotos import process_upload
from tests.unit.png_files import uniform_png

ROOT = Path(__file__).resolve().parents[2]
MB = 1024  # /proc/self/status counts in kB


def probe(count: int, jobs: int) -> dict[str, int]:
    """Memory of a fresh process that decodes `count` 6320 x 6320 PNGs on as many threads."""
    done = subprocess.run([sys.executable, "-m", "tests.unit.photo_memory_probe", str(count),
                           str(jobs)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          check=True)
    result: dict[str, int] = json.loads(done.stdout)
    return result


# Alone: it decodes JOBS photos at once (all the cores of a small machine) for most of a minute,
# and its memory bounds are what the test is about.
@pytest.mark.serial
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_twenty_big_photos_at_once_stay_within_bounds() -> None:
    # 20 posts of a 166 KB PNG that decodes to 160 MB. Before the fix: ~620 MB a photo, all at
    # once (4 x 5 peaked at 2.4 GB and stayed at 2.0 GB). Now 2 decode at a time, ~190 MB each.
    result = probe(20, photo_jobs.JOBS)
    assert result["done"] == 20 and result["width"] == 2048 and result["file_kb"] < 200
    peak = (result["peak_kb"] - result["rest_kb"]) // MB
    after = (result["after_kb"] - result["rest_kb"]) // MB
    assert peak < 600, f"peak {peak} MB above rest"
    assert after < 100, f"{after} MB kept after the photos were done"


def test_at_most_n_jobs_run_at_once() -> None:
    running, most, lock = 0, 0, threading.Lock()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    threads = [threading.Thread(target=photo_jobs.run, args=(work, 2)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 2


def test_a_photo_that_waits_too_long_gets_a_dutch_answer() -> None:
    busy, done = threading.Event(), threading.Event()

    def occupy() -> None:
        busy.set()
        done.wait(5)

    first = threading.Thread(target=photo_jobs.run, args=(occupy, 1))
    first.start()
    busy.wait(5)
    try:
        with pytest.raises(Unavailable) as caught:
            photo_jobs.run(lambda: None, 1, wait=0.05)
        assert str(caught.value) == photo_jobs.BUSY
    finally:
        done.set()
        first.join()


def test_photo_just_under_the_limit_is_stored_at_2048() -> None:
    photo = process_upload(uniform_png(6320, 6320))
    assert (photo.width, photo.height) == (2048, 2048) and photo.mime == "image/png"

"""Jobs in the taak table: progress and result written by the runner's heartbeat, readable by
any process; a job whose heartbeat went stale reads afgebroken (with the reason), one whose
process is alive is never touched by another process starting; folders of ended jobs are swept."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app.config import Settings
from app.errors import Conflict, InvalidInput
from app.services import jobs


@pytest.fixture()
def here(tmp_path: Path) -> Settings:
    return Settings(basemap_url="", database_url=None, upload_dir=tmp_path, taak_stil_s=4)


@pytest.fixture()
def gate() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def age(engine: Engine, job_id: str, seconds: int) -> None:
    """As if the job's process stopped beating `seconds` ago."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE taak SET hartslag_op = now() - make_interval(secs => :s) "
                          "WHERE id = :id"), {"s": seconds, "id": job_id})


def wait_for(check, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_progress_and_result_from_another_process(engine: Engine, here: Settings,
                                                  gate: threading.Event) -> None:
    runner = jobs.Runner(engine, here.taak_stil_s)
    job_id = jobs.create(engine, "import", gemeente="GM9901", owner=None, params={"x": 1})

    def work(progress: jobs.Progress) -> dict[str, int]:
        progress.total = 10
        progress.advance(4)
        assert gate.wait(30)
        return {"rijen": 10}

    runner.start(job_id, work, lambda r: r)
    # what another process sees: only the table
    wait_for(lambda: jobs.get(engine, job_id, stil_s=4).done == 4)  # type: ignore[union-attr]
    row = jobs.get(engine, job_id, stil_s=4, soort="import", gemeente="GM9901")
    assert row is not None and row.status == "bezig" and row.percent == 40
    assert jobs.get(engine, job_id, stil_s=4, gemeente="GM0000") is None
    assert jobs.get(engine, job_id, stil_s=4, soort="export") is None
    # another process starts and sweeps while this one keeps beating: the job is left alone
    time.sleep(5)
    jobs.sweep(engine, here)
    assert jobs.get(engine, job_id, stil_s=4).status == "bezig"  # type: ignore[union-attr]
    gate.set()
    wait_for(lambda: jobs.get(engine, job_id, stil_s=4).status == "klaar")  # type: ignore[union-attr]
    done = jobs.get(engine, job_id, stil_s=4)
    assert done is not None and done.result == {"rijen": 10} and done.percent == 100


def test_a_silent_job_reads_afgebroken_with_its_reason(engine: Engine, here: Settings) -> None:
    job_id = jobs.create(engine, "import", gemeente="GM9901", owner=None, params={})
    folder = jobs.folders.folder(here, job_id)
    (folder / "upload.gpkg").write_bytes(b"x" * 1000)
    assert jobs.get(engine, job_id, stil_s=60).status == "wachtend"  # type: ignore[union-attr]
    age(engine, job_id, 61)
    row = jobs.get(engine, job_id, stil_s=60)
    assert row is not None and row.status == "afgebroken"
    assert row.error is not None and "geen teken van leven meer: het proces dat hem uitvoerde " \
                                     "is gestopt of vastgelopen." in row.error
    # the job that was marked cannot be finished afterwards, and its folder is swept
    assert not jobs.finish(engine, job_id, "klaar", {"te": "laat"})
    assert jobs.folders.sweep(engine, here) == [job_id] and not folder.exists()


def test_the_runner_records_failures_and_shutdown(engine: Engine, here: Settings,
                                                  gate: threading.Event) -> None:
    ended: list[str] = []
    failed = jobs.create(engine, "import", gemeente=None, owner=None, params={})

    def refuse(progress: jobs.Progress) -> None:
        raise InvalidInput("Het bestand is leeg.")

    assert jobs.run(engine, failed, refuse, lambda r: {}, stil_s=4, on_end=ended.append) is None
    row = jobs.get(engine, failed, stil_s=4)
    assert row is not None and (row.status, row.error) == ("mislukt", "Het bestand is leeg.")
    assert ended == ["mislukt"]

    runner = jobs.Runner(engine, 4)
    running = jobs.create(engine, "export", gemeente=None, owner=None, params={})
    runner.start(running, lambda p: gate.wait(30), lambda r: {})
    wait_for(lambda: jobs.get(engine, running, stil_s=4).status == "bezig")  # type: ignore[union-attr]
    runner.close()  # the app shuts down
    row = jobs.get(engine, running, stil_s=4)
    assert row is not None and row.status == "afgebroken" and "werd gestopt" in str(row.error)


def test_at_most_two_exports_across_processes(engine: Engine) -> None:
    with engine.begin() as conn:  # earlier tests' exports are not this test's business
        conn.execute(text("UPDATE taak SET status = 'klaar' WHERE soort = 'export-limiet'"))
    first, second = (jobs.create(engine, "export-limiet", gemeente=None, owner=None, params={},
                                 limit=2, busy="Er lopen al twee exports.") for _ in range(2))
    with pytest.raises(Conflict, match="Er lopen al twee exports."):
        jobs.create(engine, "export-limiet", gemeente=None, owner=None, params={}, limit=2,
                    busy="Er lopen al twee exports.")
    age(engine, first, 120)  # its process died: it no longer counts
    third = jobs.create(engine, "export-limiet", gemeente=None, owner=None, params={}, limit=2,
                        busy="Er lopen al twee exports.", stil_s=60)
    assert jobs.get(engine, first, stil_s=60).status == "afgebroken"  # type: ignore[union-attr]
    for job_id in (second, third):
        jobs.finish(engine, job_id, "klaar")


def test_sweep_keeps_running_and_recent_results(engine: Engine, here: Settings) -> None:
    def job(status: str, bewaren: bool = False) -> str:
        job_id = jobs.create(engine, "import", gemeente=None, owner=None,
                             params={"bewaren": bewaren})
        if status != "wachtend":
            jobs.finish(engine, job_id, status)
        jobs.folders.folder(here, job_id)
        return job_id

    running, kept = job("wachtend"), job("klaar", bewaren=True)
    done, failed = job("klaar"), job("mislukt")
    fresh_orphan, old_orphan = (jobs.folders.folder(here, jobs.new_id()) for _ in range(2))
    os.utime(old_orphan, (time.time() - 2 * 86_400,) * 2)
    removed = jobs.folders.sweep(engine, here)
    assert sorted(removed) == sorted([done, failed, old_orphan.name])
    left = {p.name for p in jobs.folders.root(here).iterdir()}
    assert left == {running, kept, fresh_orphan.name}
    jobs.folders.sweep(engine, here, keep_s=0)
    assert {p.name for p in jobs.folders.root(here).iterdir()} == {running, fresh_orphan.name}
    jobs.finish(engine, running, "klaar")

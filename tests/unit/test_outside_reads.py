"""The guard in tests/outside_reads.py: a test that opens a file above the repository fails."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from tests import outside_reads
from tests.outside_reads import ROOT, outside

PROBE = ROOT.parent / f"kaart-guard-probe-{os.getpid()}.txt"  # never created


def test_the_hook_records_an_open_above_the_repository() -> None:
    with pytest.raises(FileNotFoundError):
        open(PROBE)  # noqa: SIM115 - the open itself is what the hook must see
    assert str(PROBE) in outside_reads.seen
    outside_reads.seen.clear()  # seen and shown: let this test pass


def test_allowed_places() -> None:
    assert not outside(str(ROOT / "pyproject.toml"))
    assert not outside(os.path.join(tempfile.gettempdir(), "x"))
    assert not outside("/usr/share/zoneinfo/UTC")
    assert not outside(os.path.join(sys.prefix, "lib", "x.py"))
    assert outside(str(ROOT.parent / "shared" / "standards" / "adr-ogc.yaml"))
    assert outside(str(ROOT) + "-other/README.md")  # a sibling that shares the name's start


def test_a_test_that_reads_outside_fails_with_the_path(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(textwrap.dedent("""
        from tests import outside_reads
        outside_reads.install()
        pytest_runtest_setup = outside_reads.pytest_runtest_setup
        pytest_runtest_call = outside_reads.pytest_runtest_call
        pytest_runtest_teardown = outside_reads.pytest_runtest_teardown
        """))
    (tmp_path / "test_probe.py").write_text(textwrap.dedent(f"""
        import pytest

        def test_reads_inside(tmp_path):
            open({str(ROOT / "pyproject.toml")!r}).close()
            (tmp_path / "x").write_text("ok")

        def test_reads_outside():
            with pytest.raises(FileNotFoundError):
                open({str(PROBE)!r})

        @pytest.fixture()
        def outside_fixture():
            try:
                open({str(PROBE)!r})
            except FileNotFoundError:
                pass

        def test_fixture_reads_outside(outside_fixture):
            pass
        """))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-p", "no:randomly", "test_probe.py"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "1 passed" in out and "1 failed" in out and "1 error" in out, out
    assert "call opened files outside the repository" in out, out
    assert "setup opened files outside the repository" in out, out
    assert str(PROBE) in out

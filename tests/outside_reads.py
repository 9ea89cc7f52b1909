"""Tests read nothing outside the repository, so the suite passes on a clone with nothing beside it.

An audit hook (PEP 578) sees every file Python opens. Raising from it would surface in random
places (a thread, a library's `except OSError`), so it only records what it saw; the
wrappers around each test's setup, call and teardown fail that phase with the offending path.
Allowed besides the repository: the Python installation and its packages, system folders,
the session's own temporary folder and the user's caches (browsers, fonts). Child processes
are not seen. The session gets a private temporary folder (TMPDIR) rather than the whole system
one, because a clone may itself lie in /tmp: a folder beside it must stay out of bounds.
With parallel workers (pytest-xdist) the run has one such folder: the first process makes it
and removes it at exit, every process gets a folder of its own inside, and all may read the
run's folder, because pytest gives each worker a tmp_path below the controller's.
"""

from __future__ import annotations

import atexit
import os
import shutil
import site
import sys
import tempfile
import threading
from collections.abc import Generator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# One private temporary folder per test run, and one inside it per test process, for Python
# (tempfile, tmp_path) and its children.
RUN_TMP = os.environ.get("KAART_TEST_RUN_TMP", "")
if not os.path.isdir(RUN_TMP):  # the first process of the run (the only one, or xdist's own)
    RUN_TMP = tempfile.mkdtemp(prefix="kaart-tests-")
    os.environ["KAART_TEST_RUN_TMP"] = RUN_TMP
    atexit.register(shutil.rmtree, RUN_TMP, ignore_errors=True)
SESSION_TMP = tempfile.mkdtemp(prefix=os.environ.get("PYTEST_XDIST_WORKER", "main") + "-",
                               dir=RUN_TMP)
os.environ["TMPDIR"] = SESSION_TMP
tempfile.tempdir = SESSION_TMP
atexit.register(shutil.rmtree, SESSION_TMP, ignore_errors=True)
SYSTEM = ("/usr", "/etc", "/proc", "/sys", "/dev", "/lib", "/lib32", "/lib64", "/libx32",
          "/opt", "/bin", "/sbin", "/run", "/var/lib", "/var/cache", "/snap", "/nix")
HOME_CACHES = ("~/.cache", "~/.config", "~/.local", "~/.pki", "~/.fontconfig")


def _roots() -> tuple[str, ...]:
    places = {str(ROOT), sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
              *site.getsitepackages(), site.getusersitepackages(), RUN_TMP,
              *SYSTEM, *(os.path.expanduser(p) for p in HOME_CACHES),
              *filter(None, [os.environ.get("PLAYWRIGHT_BROWSERS_PATH")])}
    return tuple(sorted({form for p in places for form in (os.path.abspath(p),
                                                            os.path.realpath(p))}))


ALLOWED = _roots()
seen: list[str] = []  # paths outside, opened during the current test phase
_active = False
_installed = False
_busy = threading.local()


def outside(path: str) -> bool:
    """True when an absolute path lies in none of the allowed places."""
    def within(p: str) -> bool:
        return any(p == root or p.startswith(root.rstrip(os.sep) + os.sep) for root in ALLOWED)
    return not within(path) and not within(os.path.realpath(path))


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not _active or getattr(_busy, "on", False):
        return
    _busy.on = True
    try:
        target = args[0] if args else None
        if isinstance(target, str | bytes | os.PathLike):
            path = os.path.abspath(os.fsdecode(target))
            if outside(path):
                seen.append(path)
    except Exception:  # an audit hook must never break the code it watches
        pass
    finally:
        _busy.on = False


def install() -> None:
    """Once per process: audit hooks cannot be removed, so this one is switched per phase."""
    global _installed
    if not _installed:
        sys.addaudithook(_audit)
        _installed = True


def _guarded(phase: str) -> Generator[None, object, object]:
    global _active
    seen.clear()
    _active = True
    try:
        result = yield
    finally:
        _active = False
    if seen:
        paths = sorted(set(seen))
        seen.clear()
        pytest.fail(f"The test's {phase} opened files outside the repository ({ROOT}): "
                    f"{', '.join(paths)}. Tests may only read the repository, the Python "
                    "installation, system folders and the temporary folder.", pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _guarded("setup"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _guarded("call"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _guarded("teardown"))

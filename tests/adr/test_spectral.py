"""An extra: Logius' own Spectral ruleset over the served document, when a folder with it is
given (KAART_ADR_RULESET_DIR, which .ci/run sets); the checks in test_adr_rules.py always run.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from app.config import PROJECT_DIR
from tests.adr.document import Doc

ENV = "KAART_ADR_RULESET_DIR"
RULESET = "adr-ogc.yaml"  # ADR 2.2 plus the exceptions OGC API - Features needs
SPECTRAL = PROJECT_DIR / ".tools" / "node_modules" / ".bin" / "spectral"


def ruleset_dir() -> Path | None:
    """The folder from the environment (`.ci/run` sets it when the standards lie beside the
    project); the test itself never looks outside the repository."""
    return Path(os.environ[ENV]) if os.environ.get(ENV) else None


def spectral_errors(document: Path, ruleset: Path) -> list[str]:
    """Spectral's error-level findings, one line each; warnings are printed."""
    run = subprocess.run([str(SPECTRAL), "lint", "-r", str(ruleset), str(document), "-f", "json",
                          "--quiet"], capture_output=True, text=True, timeout=180)
    start = run.stdout.find("[")
    assert start >= 0, f"Spectral gave no JSON (exit {run.returncode}): {run.stderr}"
    lines = [(r["severity"], f"{r['code']}: {r['message']} at {'.'.join(map(str, r['path']))}")
             for r in json.loads(run.stdout[start:])]
    for severity, line in lines:
        if severity > 0:
            print(f"spectral {'warning' if severity == 1 else 'hint'}: {line}")
    return [line for severity, line in lines if severity == 0]


def test_spectral_finds_no_adr_errors(adr_document: Doc, tmp_path: Path) -> None:
    folder = ruleset_dir()
    if folder is None:
        pytest.skip(f"{ENV} niet gezet: alleen de eigen ADR-controles")
    assert (folder / RULESET).is_file(), f"{ENV}={folder} has no {RULESET}"
    assert SPECTRAL.is_file(), f"Spectral missing: {SPECTRAL}. Run scripts/install-tools."
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(adr_document), encoding="utf-8")
    assert spectral_errors(document, folder / RULESET) == []

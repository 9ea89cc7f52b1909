"""Vendored front-end assets are intact and the base layout only uses them (no CDN)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment, FileSystemLoader

ROOT = Path(__file__).resolve().parents[2]
BASE_HTML = ROOT / "templates" / "base.html"
STATIC_PATH = re.compile(r"""url_for\(\s*['"]static['"]\s*,\s*path\s*=\s*['"]([^'"]+)['"]\s*\)""")


def test_vendor_check_passes_offline() -> None:
    """The sha256 sums in VERSIONS.json match the committed files, so nothing was hand-edited."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "vendor.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_base_html_uses_no_external_urls() -> None:
    """Every asset is served by the app itself; a CDN would leak visitors' data."""
    text = BASE_HTML.read_text(encoding="utf-8")
    assert not re.search(r"https?://", text, re.IGNORECASE)
    assert not re.search(r"""(src|href)\s*=\s*["']//""", text, re.IGNORECASE)


def test_base_html_static_paths_exist() -> None:
    """A typo in a static path would silently drop styling or htmx from every page."""
    paths = STATIC_PATH.findall(BASE_HTML.read_text(encoding="utf-8"))
    assert "vendor/htmx.org/htmx.min.js" in paths
    assert "css/app.css" in paths
    for path in paths:
        assert (ROOT / "static" / path).is_file(), f"static/{path} is missing"


@pytest.mark.parametrize("gemeente", [None, SimpleNamespace(naam="Zeewolde")])
def test_base_and_error_pages_render(gemeente: SimpleNamespace | None) -> None:
    """Templates must render with and without a configured gemeente."""
    env = Environment(loader=FileSystemLoader(ROOT / "templates"), autoescape=True)
    env.globals["url_for"] = lambda name, path: f"/{name}/{path}"
    html = env.get_template("pages/error.html").render(
        status=404, message="Deze pagina bestaat niet.", gemeente=gemeente
    )
    assert '<html lang="nl">' in html
    assert 'id="inhoud"' in html and "Naar de inhoud" in html
    assert "Deze pagina bestaat niet." in html and "404" in html
    assert ("Gemeente Zeewolde" in html) == (gemeente is not None)

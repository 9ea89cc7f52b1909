#!/usr/bin/env python3
"""Vendor pinned front-end assets from the npm registry into static/vendor.

The app serves every CSS/JS file itself (no CDN), so the few files it needs are taken
from exact, integrity-pinned npm tarballs and recorded in static/vendor/VERSIONS.json.

    python scripts/vendor.py          # fetch what is missing or outdated (needs npm + registry)
    python scripts/vendor.py --force  # fetch everything again
    python scripts/vendor.py --check  # offline: verify files against VERSIONS.json
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "static" / "vendor"
VERSIONS_FILE = VENDOR_DIR / "VERSIONS.json"
LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENCE.md",
                 "MIT-LICENCE.txt")


@dataclass(frozen=True)
class Package:
    """One pinned npm package and the files the app takes from it."""

    name: str
    version: str
    integrity: str  # sha512 of the tarball, as the registry reports it
    files: tuple[str, ...]  # patterns relative to the tarball's package/ dir; '*' stays in a dir
    strip: str = "dist/"  # prefix dropped on disk ('dist/' is git-ignored in this repo)

    @property
    def dir(self) -> str:
        """Directory under static/vendor: '@scope/name' becomes 'scope-name'."""
        return self.name.lstrip("@").replace("/", "-")

    @property
    def spec(self) -> str:
        """The npm package spec to fetch."""
        return f"{self.name}@{self.version}"


PACKAGES: tuple[Package, ...] = (
    Package(
        name="htmx.org",
        version="2.0.11",
        integrity="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==",
        files=("dist/htmx.min.js",),
    ),
    Package(
        name="leaflet",
        version="1.9.4",
        integrity="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        files=("dist/leaflet.js", "dist/leaflet.css", "dist/images/*"),
    ),
    # Clusters dense voorzieningen on /kaart; only the structural CSS, the colours are ours.
    Package(
        name="leaflet.markercluster",
        version="1.5.3",
        integrity="sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
        files=("dist/leaflet.markercluster.js", "dist/MarkerCluster.css"),
    ),
    Package(
        name="@utrecht/component-library-css",
        version="9.0.4",
        integrity="sha512-gVA7D6GfP9/+fzehkYLSBR+0UPUTA97PZmgvTYQE88lPQhHGMlUk8FjmCpLKRsRC9hAYd32JuF/KzG6fmBfjJA==",
        files=("dist/index.css",),
    ),
    # Draws our own basemap (vector tiles from /v1/tiles/basiskaart) on a canvas in Leaflet,
    # with the browser's fonts; one self-contained script, no eval, no workers.
    Package(
        name="protomaps-leaflet",
        version="5.1.0",
        integrity="sha512-N0YY1Gbw5nZ9n8VUOvwHKm/w3zhTTuaZEeMZl8doHemeM4ujGPp2otI6t4Sgqrz8iM4svx2rpG1Q17rHkOWSaA==",
        files=("dist/protomaps-leaflet.js",),
    ),
    # Design tokens: the NL Design System "voorbeeld" example theme (EUPL-1.2), scoped to
    # .voorbeeld-theme. Not @utrecht/design-tokens: that is Gemeente Utrecht's proprietary
    # house style, and this open-source app runs for any gemeente.
    Package(
        name="@nl-design-system-unstable/voorbeeld-design-tokens",
        version="7.4.1",
        integrity="sha512-GNnapAn2mTIzXRcCvs0JMr4Bf9+ivUJ3zFBJLRT1SYpAYm2xPwptVxIM3k4WLJ0c59E9FfxsEBPJluGuAHUVvg==",
        files=("dist/theme.css",),
    ),
)


class VendorError(Exception):
    """A problem that should stop the script with a readable message."""


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, the checksum --check compares."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sri_sha512(path: Path) -> str:
    """Subresource-integrity style sha512 of a file, comparable to npm's 'integrity'."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def matches(name: str, pattern: str) -> bool:
    """Match a path against a pattern where wildcards never cross a '/'."""
    parts, pattern_parts = PurePosixPath(name).parts, PurePosixPath(pattern).parts
    return len(parts) == len(pattern_parts) and all(
        fnmatch.fnmatchcase(p, q) for p, q in zip(parts, pattern_parts, strict=True)
    )


def npm_pack(pkg: Package, dest: Path) -> tuple[Path, dict[str, str]]:
    """Download the tarball with npm itself, so registry config and auth work as usual."""
    cmd = ["npm", "pack", pkg.spec, "--pack-destination", str(dest), "--json", "--ignore-scripts"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=300)
    except FileNotFoundError as exc:
        raise VendorError("npm not found; install Node.js/npm to fetch packages") from exc
    if proc.returncode != 0:
        raise VendorError(f"npm pack {pkg.spec} failed:\n{proc.stderr.strip()}")
    try:
        info = json.loads(proc.stdout)[0]
    except (json.JSONDecodeError, IndexError, KeyError) as exc:
        raise VendorError(f"unexpected output of npm pack {pkg.spec}: {proc.stdout!r}") from exc
    if info.get("name") != pkg.name or info.get("version") != pkg.version:
        raise VendorError(f"npm pack returned {info.get('name')}@{info.get('version')}")
    tarball = dest / info["filename"]
    actual = sri_sha512(tarball)
    if actual != pkg.integrity or info.get("integrity") != pkg.integrity:
        raise VendorError(
            f"integrity mismatch for {pkg.spec}: pinned {pkg.integrity}, "
            f"npm reports {info.get('integrity')}, tarball is {actual}"
        )
    return tarball, {"integrity": info["integrity"], "shasum": info["shasum"]}


def extract(pkg: Package, tarball: Path, out: Path) -> tuple[dict[str, str], str, str]:
    """Write only the wanted files (plus the licence) into out; return hashes, licence, file."""
    wanted: dict[str, bytes] = {}
    used: set[str] = set()
    licence_file = ""
    with tarfile.open(tarball, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        meta = json.loads(_read(tar, members, "package/package.json"))
        for name in sorted(members):
            rel = name.removeprefix("package/")
            if name == rel or ".." in PurePosixPath(rel).parts:
                continue
            hit = [p for p in pkg.files if matches(rel, p)]
            if hit:
                used.update(hit)
                wanted[rel.removeprefix(pkg.strip)] = _read(tar, members, name)
            elif rel in LICENSE_NAMES and not licence_file:
                licence_file = rel
                wanted[rel] = _read(tar, members, name)
    missing = [p for p in pkg.files if p not in used]
    if missing:
        raise VendorError(f"{pkg.spec}: no files match {missing}; did the package layout change?")
    if not licence_file:
        raise VendorError(f"{pkg.spec}: no licence file in the tarball")
    hashes: dict[str, str] = {}
    for rel, data in sorted(wanted.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        hashes[rel] = hashlib.sha256(data).hexdigest()
    return hashes, str(meta.get("license", "UNKNOWN")), licence_file


def _read(tar: tarfile.TarFile, members: dict[str, tarfile.TarInfo], name: str) -> bytes:
    """Read one regular file from the tarball, failing loudly if it is absent."""
    member = members.get(name)
    handle = tar.extractfile(member) if member else None
    if handle is None:
        raise VendorError(f"{name} missing from {tar.name}")
    with handle:
        return handle.read()


def load_versions() -> dict[str, dict]:
    """Recorded packages from VERSIONS.json keyed by name, empty if there is none yet."""
    if not VERSIONS_FILE.exists():
        return {}
    data = json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))
    return {entry["name"]: entry for entry in data["packages"]}


def write_versions(entries: dict[str, dict]) -> None:
    """Write VERSIONS.json deterministically so re-runs produce no diff."""
    ordered = [entries[pkg.name] for pkg in PACKAGES]
    doc = {
        "_comment": "Generated by scripts/vendor.py; do not edit. Verify: vendor.py --check",
        "packages": ordered,
    }
    VERSIONS_FILE.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def check() -> list[str]:
    """Compare pins, VERSIONS.json and files on disk without the network; return problems."""
    problems: list[str] = []
    try:
        recorded = load_versions()
    except (OSError, ValueError, KeyError) as exc:
        return [f"cannot read {VERSIONS_FILE.relative_to(ROOT)}: {exc}"]
    for pkg in PACKAGES:
        entry = recorded.get(pkg.name)
        if entry is None:
            problems.append(f"{pkg.spec}: not vendored (run scripts/vendor.py)")
            continue
        if (entry.get("version"), entry.get("integrity")) != (pkg.version, pkg.integrity):
            problems.append(
                f"{pkg.name}: VERSIONS.json has {entry.get('version')}, pinned {pkg.version}"
            )
        problems.extend(_check_files(pkg, entry.get("files", {})))
    for name in sorted(set(recorded) - {pkg.name for pkg in PACKAGES}):
        problems.append(f"{name}: in VERSIONS.json but no longer pinned")
    return problems


def _check_files(pkg: Package, files: dict[str, str]) -> list[str]:
    """Hash each recorded file of one package and flag unrecorded extras."""
    problems: list[str] = []
    base = VENDOR_DIR / pkg.dir
    for rel, expected in sorted(files.items()):
        path = base / rel
        if not path.is_file():
            problems.append(f"{pkg.dir}/{rel}: missing")
        elif sha256_file(path) != expected:
            problems.append(f"{pkg.dir}/{rel}: sha256 differs from VERSIONS.json")
    if base.is_dir():
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(base).as_posix()
            if rel not in files:
                problems.append(f"{pkg.dir}/{rel}: not recorded in VERSIONS.json")
    return problems


def vendor(force: bool) -> int:
    """Fetch outdated packages into static/vendor, replacing each package dir whole."""
    recorded = load_versions() if VERSIONS_FILE.exists() else {}
    entries: dict[str, dict] = {}
    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vendor-") as tmp:
        for pkg in PACKAGES:
            old = recorded.get(pkg.name)
            current = (
                old is not None
                and (old.get("version"), old.get("integrity")) == (pkg.version, pkg.integrity)
                and not _check_files(pkg, old.get("files", {}))
            )
            if current and not force:
                print(f"ok       {pkg.spec}")
                entries[pkg.name] = old
                continue
            print(f"fetching {pkg.spec}")
            tarball, sums = npm_pack(pkg, Path(tmp))
            staging = Path(tmp) / "out" / pkg.dir
            hashes, licence, licence_file = extract(pkg, tarball, staging)
            target = VENDOR_DIR / pkg.dir
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(staging), target)
            entries[pkg.name] = {
                "name": pkg.name,
                "version": pkg.version,
                "dir": pkg.dir,
                "integrity": sums["integrity"],
                "shasum": sums["shasum"],
                "license": licence,
                "license_file": licence_file,
                "files": hashes,
            }
    write_versions(entries)
    problems = check()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run either the offline check or the fetch."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="verify offline, change nothing")
    mode.add_argument("--force", action="store_true", help="fetch every package again")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check()
            for problem in problems:
                print(f"error: {problem}", file=sys.stderr)
            if not problems:
                print(f"vendored assets match {VERSIONS_FILE.relative_to(ROOT)}")
            return 1 if problems else 0
        return vendor(force=args.force)
    except VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

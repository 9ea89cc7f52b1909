"""The demo gemeente: load the committed files idempotently, or add large synthetic sets."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import Connection, text
from sqlmodel import Session, create_engine

from app.config import PROJECT_DIR
from app.geo.bulk import copy_rows, ewkb_hex
from app.progress import silent
from app.services import bereikbaarheid, geografie, importeren
from app.services.demo import adopties as demo_adopties

DATA = PROJECT_DIR / "data"
GEBIEDEN_GPKG = DATA / "wijken" / "gebieden.gpkg"
GEOGRAFIE_GPKG = DATA / "geografie.gpkg"
Progress = Callable[[str, int | None], AbstractContextManager[Callable[..., None]]]

OVEREENKOMST = """Voorwaarden voor zelfbeheer van openbaar groen in Lindewaard
1. De grond blijft openbaar en voor iedereen toegankelijk: geen hekken, bestrating of bouwwerken.
2. U gebruikt geen bestrijdingsmiddelen.
3. Bomen en speeltoestellen blijft de gemeente beheren.
4. U houdt bij wat u doet in het onderhoudslogboek.
5. De gemeente schouwt het groenvak af en toe; beide partijen kunnen de afspraak beëindigen."""


@dataclass
class DemoReport:
    """What a load did; passwords only for accounts made in this run."""

    changed: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        lines = ["Demogemeente Lindewaard (GM9901) geladen; gewijzigde rijen: "
                 + ", ".join(f"{k} {v}" for k, v in self.changed.items()) + "."]
        for email, password in self.passwords.items():
            lines.append(f"  Demo-account {email}: wachtwoord {password} (wordt niet opnieuw "
                         "getoond)")
        if not self.passwords:
            lines.append("  Demo-accounts bestonden al; hun wachtwoorden zijn ongewijzigd.")
        return "\n".join(lines)


def _read(path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    if frame.crs is None or frame.crs.to_epsg() != 28992:
        raise ValueError(f"{path} moet in EPSG:28992 staan")
    return frame


def load(url: str, progress: Progress = silent) -> DemoReport:
    """Load everything in one transaction: all of it, or nothing."""
    report = DemoReport()
    gemeente = _read(GEBIEDEN_GPKG, "gemeente").iloc[0]
    steps: list[tuple[str, Callable[[Connection, str], int]]] = [
        ("gebieden", lambda c, g: importeren.upsert_gebieden(c, g, _read(GEBIEDEN_GPKG,
                                                                         "gebieden"))),
        ("bebouwde_kom", lambda c, g: importeren.upsert_bebouwde_kom(
            c, g, _read(GEBIEDEN_GPKG, "bebouwde_kom"))),
        ("categorieen", lambda c, g: importeren.upsert_categorieen(
            c, g, pd.read_csv(DATA / "categorieen.csv"))),
        ("voorzieningen", lambda c, g: importeren.upsert_voorzieningen(
            c, g, _read(DATA / "voorzieningen.gpkg"))),
        ("groenvakken", lambda c, g: importeren.upsert_groenvakken(
            c, g, _read(DATA / "groenvakken.gpkg"))),
    ]
    engine = create_engine(url)
    try:
        with Session(engine) as session, progress("Demo laden", len(steps) + 4) as advance:
            conn = session.connection()
            report.changed["gemeente"] = _upsert_gemeente(conn, gemeente)
            advance()
            for name, step in steps:
                report.changed[name] = step(conn, gemeente["code"])
                advance()
            report.changed.update(geografie.laad(conn, gemeente["code"], {
                laag: _read(GEOGRAFIE_GPKG, laag) for laag in geografie.LAGEN}))
            report.changed["plaatsnamen"] = geografie.plaats_groenvakken(conn, gemeente["code"])
            advance()
            report.passwords = demo_adopties.ensure_accounts(session, gemeente["code"])
            report.changed["adopties"] = demo_adopties.ensure_adopties(session, gemeente["code"])
            advance()
            # walking distances now, so no visitor waits for the first computation
            verslag = bereikbaarheid.bijwerken(session, gemeente["code"])
            report.changed["loopafstanden"] = len(verslag.doelen)
            advance()
            session.commit()
    finally:
        engine.dispose()
    return report


def _upsert_gemeente(conn: Connection, row: pd.Series) -> int:
    """The gemeente and its zelfbeheer settings (two households, as many gemeenten ask)."""
    return int(conn.execute(text("""
        INSERT INTO gemeente (code, naam, geometrie, min_huishoudens, max_oppervlakte_m2,
                              overeenkomst_tekst, onderhoudskosten_m2_jaar)
        VALUES (:code, :naam, ST_Multi(ST_GeomFromEWKB(decode(:geom, 'hex'))), 2, 500, :tekst,
                2.5)
        ON CONFLICT (code) DO UPDATE SET naam = EXCLUDED.naam, geometrie = EXCLUDED.geometrie
         WHERE (gemeente.naam, ST_AsEWKB(gemeente.geometrie))
               IS DISTINCT FROM (EXCLUDED.naam, ST_AsEWKB(EXCLUDED.geometrie))
    """), {"code": row["code"], "naam": row["naam"], "geom": ewkb_hex([row.geometry])[0],
           "tekst": OVEREENKOMST}).rowcount)


def generate(url: str, n: int, seed: int = 1, progress: Progress = silent) -> int:
    """Replace the synthetic GEN… set with n new groenvakken (for benchmarks); one transaction."""
    from app.geo.synth import groenvak_batches

    gemeente = _read(GEBIEDEN_GPKG, "gemeente")
    kom = _read(GEBIEDEN_GPKG, "bebouwde_kom")
    code = str(gemeente.iloc[0]["code"])
    engine = create_engine(url)
    added = 0
    try:
        with engine.begin() as conn, progress("Groenvakken maken", n) as advance:
            exists = conn.execute(text("SELECT 1 FROM gemeente WHERE code = :g"), {"g": code})
            if exists.scalar() is None:
                raise ValueError("Laad eerst de demogemeente: kaart demo load")
            conn.execute(text("""DELETE FROM groenvak g WHERE gemeente_code = :g
                                 AND extern_id LIKE 'GEN%' AND NOT EXISTS
                                 (SELECT 1 FROM adoptie a WHERE a.groenvak_id = g.id)"""),
                         {"g": code})
            # named set-based at the end, not row by row
            conn.execute(text("SELECT set_config('kaart.plaatsnaam_later', 'ja', true)"))
            for ids, soorten, geoms in groenvak_batches(n, kom.union_all(),
                                                        gemeente.union_all(), seed=seed):
                rows = zip([code] * len(ids), ids, soorten.tolist(), ewkb_hex(geoms),
                           strict=True)
                added += copy_rows(conn, "groenvak",
                                   ["gemeente_code", "extern_id", "soort", "geometrie"], rows)
                advance(len(ids))
            conn.execute(text("SELECT set_config('kaart.plaatsnaam_later', 'nee', true)"))
            conn.execute(text("ANALYZE groenvak"))
            geografie.plaats_groenvakken(conn, code)
    finally:
        engine.dispose()
    return added


ADRESSEN_PER_GROENVAK = 7  # the demo's ratio: about 35,000 addresses beside 5,000 groenvakken
DEMO_ADRESSEN = 36_000  # addresses of the demo world at scale 1 (36,026)


def generate_geografie(url: str, adressen: int, progress: Progress = silent) -> dict[str, int]:
    """Replace the demo's streets, addresses, buildings, water and terrein by a world of about
    ``adressen`` addresses (same gebieden, same seed), and move the voorzieningen to their
    addresses in it; one transaction. ``kaart demo load`` brings the demo back.

    Returns the rows written per table, and the world's size (adressen, straten)."""
    from app.geo.synth import build_gemeente

    gemeente = _read(GEBIEDEN_GPKG, "gemeente")
    code = str(gemeente.iloc[0]["code"])
    with progress("Stad maken", None):
        world = build_gemeente(scale=max(adressen, 1) / DEMO_ADRESSEN)
    engine = create_engine(url)
    try:
        with engine.begin() as conn, progress("Stad laden", 2) as advance:
            exists = conn.execute(text("SELECT 1 FROM gemeente WHERE code = :g"), {"g": code})
            if exists.scalar() is None:
                raise ValueError("Laad eerst de demogemeente: kaart demo load")
            changed = geografie.laad(conn, code, {
                "adres": world.adressen, "straat": world.straten, "pand": world.panden,
                "water": world.water, "terrein": world.terrein})
            changed["plaatsnamen"] = geografie.plaats_groenvakken(conn, code)
            advance()
            changed["voorzieningen"] = importeren.upsert_voorzieningen(conn, code,
                                                                    world.voorzieningen)
            advance()
    finally:
        engine.dispose()
    return {**changed, "adressen": len(world.adressen), "straten": len(world.straten)}

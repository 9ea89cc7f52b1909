"""Imports as jobs (app.services.jobs), from the Beheer page and from `kaart import`.

Each import runs on its own connection in one transaction, guarded (`bewaak`): PostgreSQL
checks every 2 s that the client is still there and stops the work when it is gone, and a
statement may take at most KAART_IMPORT_STATEMENT_TIMEOUT_S. A proef is the same import with
the transaction rolled back, so its counts are exact. The page first runs a proef; the
medewerker confirms it, and the real import runs on the same uploaded file."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from app.config import Settings
from app.errors import Conflict, NotFound
from app.services import jobs
from app.services.importeren.algemeen import Advance, Progress
from app.services.importeren.bag import BagOpties, importeer_bag
from app.services.importeren.bestand import open_bron, werkmap
from app.services.importeren.bgt import SOORT as BGT_SOORT
from app.services.importeren.bgt import BgtOpties, importeer_bgt
from app.services.importeren.gebieden import GebiedOpties, importeer_gebieden
from app.services.importeren.groenvakken import GroenvakOpties, importeer_groenvakken
from app.services.importeren.nwb import NwbOpties, importeer_nwb
from app.services.importeren.osm import SOORT as OSM_SOORT
from app.services.importeren.osm import OsmOpties, importeer_osm
from app.services.importeren.rapport import ImportRapport
from app.services.importeren.vervallen import lees_bereik
from app.services.importeren.voorzieningen import VoorzieningOpties, importeer_voorzieningen

log = logging.getLogger("kaart.import")
KIND = "import"
APP_NAME = "kaart-import"  # application_name of an import's connection in pg_stat_activity
CHECK_INTERVAL = "2s"
ONVERWACHT = "Er ging onverwacht iets mis; er is niets gewijzigd. De fout staat in het log."
Werk = Callable[[Connection, Progress], ImportRapport]


def bewaak(conn: Connection, timeout_s: int) -> None:
    """For this transaction: our name, a statement timeout, and (PostgreSQL 14 and later) a
    check that the client still listens, so a killed process leaves no backend working."""
    conn.execute(text("SELECT set_config('application_name', :a, true), "
                      "set_config('statement_timeout', :t, true)"),
                 {"a": APP_NAME, "t": str(timeout_s * 1000)})
    if (conn.dialect.server_version_info or (0,)) >= (14,):
        conn.execute(text("SELECT set_config('client_connection_check_interval', :i, true)"),
                     {"i": CHECK_INTERVAL})


def uitvoeren(engine: Engine, werk: Callable[[Connection], ImportRapport], *, proef: bool,
              timeout_s: int, map_: Path | None = None) -> ImportRapport:
    """Run the import in one guarded transaction: committed, or rolled back for a proef."""
    with werkmap(map_), engine.connect() as conn, conn.begin() as trans:
        bewaak(conn, timeout_s)
        rapport = werk(conn)
        if proef:
            trans.rollback()
    return rapport


def voortgang(progress: jobs.Progress, bar: Progress | None = None) -> Progress:
    """The import's progress callback, feeding the job's row (and a terminal bar)."""
    @contextmanager
    def factory(description: str, total: int | None) -> Iterator[Advance]:
        progress.total = total
        if bar is None:
            yield progress.advance
            return
        with bar(description, total) as advance:
            def both(n: int = 1) -> None:
                progress.advance(n)
                advance(n)
            yield both
    return factory


def controleer_bestand(laag: str, pad: Path, max_bytes: int, naam: str) -> None:
    """Refuse a file of the wrong type or size before a job starts (ImportFout)."""
    if laag == "osm":
        open_bron(pad, max_bytes, naam, OSM_SOORT, "Gebruik een OpenStreetMap-extract "
                  "(.osm.pbf).").close()
    else:
        open_bron(pad, max_bytes, naam, BGT_SOORT if laag == "bgt" else None).close()


def werk_voor(laag: str, pad: Path, naam: str, w: dict[str, str], gemeente: str,
              max_bytes: int) -> Werk:
    """The import of the page's form values (kept in the job, so a confirmation can rerun it)."""
    crs = w.get("crs") or None
    if laag == "groenvakken":
        g = GroenvakOpties(id_veld=w["id_veld"], soort_veld=w.get("soort_veld") or None,
                           naam_veld=w.get("naam_veld") or None, crs=crs, gemeente=gemeente,
                           vervallen_binnen=lees_bereik(w.get("vervallen")),
                           ook_met_adoptie=w.get("ook_met_adoptie") == "ja")
        return lambda conn, p: importeer_groenvakken(conn, pad, g, max_bytes, p, naam)
    if laag == "bgt":
        b = BgtOpties(gemeente=gemeente, vervallen_binnen=lees_bereik(w.get("vervallen")),
                      ook_met_adoptie=w.get("ook_met_adoptie") == "ja")
        return lambda conn, p: importeer_bgt(conn, pad, b, max_bytes, p, naam)
    if laag == "bag":
        return lambda conn, p: importeer_bag(conn, pad, BagOpties(gemeente), max_bytes, p, naam)
    if laag == "nwb":  # the page has no GME_ID field: upload the gemeente's own segments
        return lambda conn, p: importeer_nwb(conn, pad, NwbOpties(gemeente), max_bytes, p, naam)
    if laag == "osm":
        return lambda conn, p: importeer_osm(conn, pad, OsmOpties(gemeente), max_bytes, p, naam)
    if laag == "voorzieningen":
        v = VoorzieningOpties(id_veld=w.get("id_veld") or "id",
                              naam_veld=w.get("naam_veld") or "naam",
                              categorie_veld=w.get("categorie_veld") or "categorie", crs=crs,
                              gemeente=gemeente)
        return lambda conn, p: importeer_voorzieningen(conn, pad, v, max_bytes, p, naam)
    o = GebiedOpties(gemeente=gemeente, crs=crs,
                     dorpen=tuple(c.strip() for c in w.get("dorpen", "").split(",")
                                  if c.strip()))
    return lambda conn, p: importeer_gebieden(conn, pad, o, max_bytes, p, naam)


@dataclass(frozen=True)
class ImportTaak:
    """What the import page shows of a job row."""

    id: str
    status: str
    percent: int
    laag: str
    bestand: str
    proef: bool
    result: ImportRapport | None
    error: str | None
    bevestigd: str | None  # the real import started from this proef
    proef_van: str | None  # the proef this real import confirmed

    @classmethod
    def from_row(cls, row: jobs.JobRow) -> ImportTaak:
        p, r = row.params, row.result or {}
        return cls(row.id, row.status, row.percent, p["laag"], p["bestand"], bool(p["proef"]),
                   ImportRapport.from_json(r) if row.result and "laag" in r else None,
                   row.error, r.get("bevestigd"), p.get("proef_van"))


def start(runner: jobs.Runner, engine: Engine, settings: Settings, *, job_id: str,
          gemeente: str, owner: int | None, laag: str, bestand: str, bestandsnaam: str,
          waarden: dict[str, str], proef: bool, proef_van: str | None = None) -> str:
    """Record the job and run it in the background; its file is in the job's folder."""
    params = {"laag": laag, "bestand": bestand, "bestandsnaam": bestandsnaam,
              "waarden": waarden, "proef": proef, "bewaren": proef, "proef_van": proef_van}
    jobs.create(engine, KIND, job_id=job_id, gemeente=gemeente, owner=owner, params=params)
    map_ = jobs.folders.folder(settings, job_id)
    max_bytes = settings.import_max_mb * 1_000_000
    werk = werk_voor(laag, map_ / bestandsnaam, bestand, waarden, gemeente, max_bytes)

    def work(progress: jobs.Progress) -> ImportRapport:
        return uitvoeren(engine, lambda conn: werk(conn, voortgang(progress)), proef=proef,
                         timeout_s=settings.import_statement_timeout_s, map_=map_)

    def on_end(status: str) -> None:
        if not (proef and status == "klaar"):  # a proef keeps its file for the confirmation
            jobs.folders.remove(settings, job_id)

    runner.start(job_id, work, ImportRapport.to_json, on_end=on_end, unexpected=ONVERWACHT,
                 logger=log)
    return job_id


def lees(engine: Engine, settings: Settings, job_id: str, gemeente: str) -> ImportTaak | None:
    """The import job of this gemeente, from any process; a stale one reads afgebroken."""
    row = jobs.get(engine, job_id, stil_s=settings.taak_stil_s, soort=KIND, gemeente=gemeente)
    if row is None:
        return None
    if row.status == "afgebroken":
        jobs.folders.remove(settings, job_id)
    return ImportTaak.from_row(row)


def bevestig(runner: jobs.Runner, engine: Engine, settings: Settings, proef_id: str,
             gemeente: str, owner: int | None) -> str:
    """Run the real import of a finished proef, on the same file; once (a second click
    returns the import the first one started)."""
    row = jobs.get(engine, proef_id, stil_s=settings.taak_stil_s, soort=KIND, gemeente=gemeente)
    if row is None or not row.params.get("proef") or "waarden" not in row.params:
        raise NotFound("Deze proefimport is niet bekend.")  # (a CLI proef has no upload)
    taak = ImportTaak.from_row(row)
    if taak.bevestigd:
        return taak.bevestigd
    if taak.status != "klaar":
        raise Conflict("Alleen een geslaagde proef kan worden bevestigd.")
    bron = jobs.folders.folder(settings, proef_id, create=False)
    if not (bron / row.params["bestandsnaam"]).is_file():
        raise NotFound("Het bestand van deze proef is niet meer bewaard (dat duurt een uur). "
                       "Kies het opnieuw.")
    nieuw = jobs.new_id()
    if not jobs.merge_result(engine, proef_id, {"bevestigd": nieuw}, unless_key="bevestigd"):
        again = lees(engine, settings, proef_id, gemeente)
        assert again is not None and again.bevestigd
        return again.bevestigd
    bron.rename(jobs.folders.folder(settings, nieuw, create=False))
    return start(runner, engine, settings, job_id=nieuw, gemeente=gemeente, owner=owner,
                 laag=taak.laag, bestand=taak.bestand, bestandsnaam=row.params["bestandsnaam"],
                 waarden=row.params["waarden"], proef=False, proef_van=proef_id)


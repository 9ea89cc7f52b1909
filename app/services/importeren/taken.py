"""Imports started from the Beheer page run as background jobs (app.services.achtergrond), one
transaction each on their own connection: when the import fails, nothing is written. The
uploaded file's folder is removed when the import ends."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from app.services.achtergrond import Advance, Job, Jobs
from app.services.importeren.rapport import ImportRapport

log = logging.getLogger("kaart.import")
Werk = Callable[[Connection, Any], ImportRapport]  # (conn, progress) -> rapport
ONVERWACHT = "Er ging onverwacht iets mis; er is niets gewijzigd. De fout staat in het log."


@dataclass(kw_only=True)
class Taak(Job[ImportRapport]):
    """One import; its result is the import report."""

    laag: str
    bestand: str

    @property
    def label(self) -> str:
        return f"{self.laag} van {self.bestand}"


Taken = Jobs[Taak]


def nieuwe_taken(bewaar: int = 20) -> Taken:
    """The import jobs of this process; the oldest finished ones are forgotten after `bewaar`."""
    return Jobs("import", keep=bewaar, unexpected=ONVERWACHT, logger=log)


def start(taken: Taken, engine: Engine, gemeente: str, laag: str, bestand: str, werk: Werk,
          opruimen: Path | None = None) -> Taak:
    """Run `werk` in a background job on its own connection and transaction."""
    taak = Taak(gemeente=gemeente, laag=laag, bestand=bestand)

    def work(advance: Advance) -> ImportRapport:
        @contextmanager
        def progress(description: str, total: int | None) -> Iterator[Advance]:
            taak.total = total
            yield advance

        try:
            with engine.begin() as conn:
                return werk(conn, progress)
        finally:
            if opruimen is not None:
                shutil.rmtree(opruimen, ignore_errors=True)

    return taken.start(taak, work)

"""Imports started from the Beheer page run in a background thread, one transaction each;
their progress and result live in memory under a random job id for the page to poll."""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from app.errors import DomainError
from app.services.importeren.algemeen import Advance
from app.services.importeren.rapport import ImportRapport

log = logging.getLogger("kaart.import")
Werk = Callable[[Connection, Any], ImportRapport]  # (conn, progress) -> rapport
ONVERWACHT = "Er ging onverwacht iets mis; er is niets gewijzigd. De fout staat in het log."


@dataclass
class Taak:
    """One import's state, read by the polling page."""

    id: str
    gemeente: str
    laag: str
    bestand: str
    status: str = "bezig"  # bezig, klaar, mislukt
    gedaan: int = 0
    totaal: int | None = None
    rapport: ImportRapport | None = None
    fout: str | None = None
    gestart: float = field(default_factory=time.monotonic)

    @property
    def procent(self) -> int:
        if self.status != "bezig":
            return 100
        return min(99, int(100 * self.gedaan / self.totaal)) if self.totaal else 0


class Taken:
    """The jobs of this process; the oldest finished ones are forgotten after `bewaar`."""

    def __init__(self, bewaar: int = 20) -> None:
        self._taken: OrderedDict[str, Taak] = OrderedDict()
        self._lock = threading.Lock()
        self._bewaar = bewaar

    def get(self, taak_id: str, gemeente: str) -> Taak | None:
        with self._lock:
            taak = self._taken.get(taak_id)
        return taak if taak is not None and taak.gemeente == gemeente else None

    def start(self, engine: Engine, gemeente: str, laag: str, bestand: str, werk: Werk,
              opruimen: Path | None = None) -> Taak:
        """Run `werk` in a thread on its own connection and transaction."""
        taak = Taak(secrets.token_urlsafe(16), gemeente, laag, bestand)
        with self._lock:
            self._taken[taak.id] = taak
            done = [k for k, t in self._taken.items() if t.status != "bezig"]
            for k in done[: max(0, len(self._taken) - self._bewaar)]:
                del self._taken[k]
        thread = threading.Thread(target=self._run, args=(taak, engine, werk, opruimen),
                                  name=f"import-{taak.id[:6]}", daemon=True)
        thread.start()
        return taak

    def _run(self, taak: Taak, engine: Engine, werk: Werk, opruimen: Path | None) -> None:
        @contextmanager
        def progress(description: str, total: int | None) -> Iterator[Advance]:
            taak.totaal = total

            def advance(n: int = 1) -> None:
                taak.gedaan += n

            yield advance

        try:
            with engine.begin() as conn:
                taak.rapport = werk(conn, progress)
            taak.status = "klaar"
        except DomainError as exc:
            taak.fout, taak.status = str(exc), "mislukt"
        except Exception:
            log.exception("import %s van %s mislukt", taak.laag, taak.bestand)
            taak.fout, taak.status = ONVERWACHT, "mislukt"
        finally:
            if opruimen is not None:
                shutil.rmtree(opruimen, ignore_errors=True)

"""The gap finder as a background job (app.services.jobs): staff start it from a wijk page, the
page polls the taak row, any process can answer. It only reads: its transaction is rolled back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from app.services import jobs
from app.services.bereikbaarheid.gaten import Gatenrapport, beste_plekken

KIND = "gaten"
MAX_RUNNING = 2
BUSY = "Er lopen al twee berekeningen. Probeer het over een minuut opnieuw."


@dataclass(frozen=True)
class GatenTaak:
    """What the page shows of a gap-finder job."""

    id: str
    status: str
    wijk: str
    categorie: str
    minuten: int
    rapport: Gatenrapport | None
    error: str | None

    @property
    def bezig(self) -> bool:
        return self.status in jobs.OPEN


def start(runner: jobs.Runner, engine: Engine, stil_s: float, gemeente_code: str, owner: int,
          wijk: str, categorie: str, minuten: int, loopsnelheid_kmh: float) -> str:
    """Queue the ranking for (wijk, categorie, minuten); Conflict when two already run."""
    job_id = jobs.create(engine, KIND, gemeente=gemeente_code, owner=owner,
                         params={"wijk": wijk, "categorie": categorie, "minuten": minuten},
                         limit=MAX_RUNNING, busy=BUSY, stil_s=stil_s)

    def work(progress: jobs.Progress) -> Gatenrapport:
        with Session(engine) as session:
            try:
                return beste_plekken(session, gemeente_code, wijk, categorie, minuten,
                                     loopsnelheid_kmh)
            finally:
                session.rollback()

    runner.start(job_id, work, Gatenrapport.to_json)
    return job_id


def ophalen(engine: Engine, stil_s: float, job_id: str, gemeente_code: str,
            owner: int) -> GatenTaak | None:
    """The job of this medewerker, from any process; None when unknown or someone else's."""
    if not jobs.folders.JOB_ID.match(job_id):
        return None
    row = jobs.get(engine, job_id, stil_s=stil_s, soort=KIND, gemeente=gemeente_code,
                   owner=owner)
    if row is None:
        return None
    rapport = Gatenrapport.from_json(row.result) if row.result and row.status == "klaar" else None
    return GatenTaak(row.id, row.status, str(row.params["wijk"]), str(row.params["categorie"]),
                     int(row.params["minuten"]), rapport, row.error)

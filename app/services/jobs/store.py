"""The taak table: a job is created, beats its heart with its progress while it runs, and
ends klaar, mislukt or afgebroken. Whoever reads a job whose heartbeat went stale marks it
afgebroken (with the reason) in the same statement, so no process has to own a job's state and
a restarted process never decides about the jobs of the others."""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from app.errors import Conflict

OPEN = ("wachtend", "bezig")
_STALE = """
    UPDATE taak SET status = 'afgebroken', bijgewerkt_op = now(),
           fout = 'De taak gaf na ' || to_char(hartslag_op AT TIME ZONE 'Europe/Amsterdam',
                  'HH24:MI:SS') || ' geen teken van leven meer: het proces dat hem uitvoerde '
                  'is gestopt of vastgelopen.'
     WHERE status IN ('wachtend', 'bezig')
       AND hartslag_op < now() - make_interval(secs => :stil) {en}
    RETURNING id"""
_COLUMNS = """id, soort, status, gemeente_code, gebruiker_id, voortgang, totaal, parameters,
              resultaat, fout, aangemaakt_op, bijgewerkt_op, hartslag_op"""


@dataclass(frozen=True)
class JobRow:
    """One row of the taak table, as the job pages read it."""

    id: str
    soort: str
    status: str
    gemeente: str | None
    owner: int | None
    done: int
    total: int | None
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    created: datetime
    updated: datetime
    heartbeat: datetime

    @property
    def running(self) -> bool:
        return self.status in OPEN

    @property
    def percent(self) -> int:
        if not self.running:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0


def new_id() -> str:
    """A job id that cannot be guessed: it is also the name of the job's folder."""
    return secrets.token_urlsafe(16)


def process_name() -> str:
    """Which process runs a job, for whoever reads the table by hand."""
    return f"{socket.gethostname()}:{os.getpid()}"


def mark_stale(conn: Connection, stil_s: float, job_id: str | None = None) -> list[str]:
    """Mark jobs (or one job) whose heartbeat is older than `stil_s` seconds afgebroken."""
    en = "AND id = :id" if job_id is not None else ""
    return list(conn.execute(text(_STALE.format(en=en)),
                             {"stil": stil_s, "id": job_id}).scalars())


def create(engine: Engine, soort: str, *, job_id: str | None = None, gemeente: str | None,
           owner: int | None, params: dict[str, object], total: int | None = None,
           limit: int | None = None, busy: str = "", stil_s: float = 60) -> str:
    """Insert a waiting job; Conflict(busy) when `limit` jobs of this kind still run."""
    job_id = job_id or new_id()
    with engine.begin() as conn:
        if limit is not None:
            # one at a time per kind, across processes: the count and the insert belong together
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('taak ' || :s))"),
                         {"s": soort})
            mark_stale(conn, stil_s)
            running = conn.execute(text("""SELECT count(*) FROM taak WHERE soort = :s
                                           AND status IN ('wachtend', 'bezig')"""),
                                   {"s": soort}).scalar_one()
            if running >= limit:
                raise Conflict(busy)
        conn.execute(text("""
            INSERT INTO taak (id, soort, status, gemeente_code, gebruiker_id, totaal,
                              parameters, proces)
            VALUES (:id, :soort, 'wachtend', :g, :owner, :total, CAST(:params AS jsonb), :p)"""),
                     {"id": job_id, "soort": soort, "g": gemeente, "owner": owner,
                      "total": total, "params": json.dumps(params), "p": process_name()})
    return job_id


def beat(engine: Engine, job_id: str, done: int, total: int | None,
         status: str = "bezig") -> bool:
    """The runner is alive: heartbeat and progress. False when the job is no longer open."""
    with engine.begin() as conn:
        return conn.execute(text("""
            UPDATE taak SET status = :status, hartslag_op = now(), bijgewerkt_op = now(),
                            voortgang = :done, totaal = coalesce(:total, totaal),
                            proces = :p
             WHERE id = :id AND status IN ('wachtend', 'bezig') RETURNING 1"""),
                            {"id": job_id, "done": done, "total": total, "status": status,
                             "p": process_name()}).first() is not None


def finish(engine: Engine, job_id: str, status: str, result: dict[str, object] | None = None,
           error: str | None = None, done: int | None = None,
           total: int | None = None) -> bool:
    """Record how the job ended; False when it had already been marked afgebroken."""
    with engine.begin() as conn:
        return conn.execute(text("""
            UPDATE taak SET status = :status, resultaat = CAST(:result AS jsonb), fout = :error,
                            voortgang = coalesce(:done, voortgang),
                            totaal = coalesce(:total, totaal),
                            bijgewerkt_op = now(), hartslag_op = now()
             WHERE id = :id AND status IN ('wachtend', 'bezig') RETURNING 1"""),
                            {"id": job_id, "status": status, "error": error, "done": done,
                             "total": total,
                             "result": None if result is None else json.dumps(result)}
                            ).first() is not None


def merge_result(engine: Engine, job_id: str, extra: dict[str, object],
                 unless_key: str | None = None) -> bool:
    """Add keys to a finished job's result; with `unless_key`, only when that key is absent
    (so two clicks on one button claim it once)."""
    guard = "AND NOT (coalesce(resultaat, '{}') ? :key)" if unless_key else ""
    with engine.begin() as conn:
        return conn.execute(text(f"""
            UPDATE taak SET resultaat = coalesce(resultaat, '{{}}') || CAST(:extra AS jsonb),
                            bijgewerkt_op = now()
             WHERE id = :id {guard} RETURNING 1"""),
                            {"id": job_id, "extra": json.dumps(extra), "key": unless_key}
                            ).first() is not None


def get(engine: Engine, job_id: str, *, stil_s: float, soort: str | None = None,
        gemeente: str | None = None, owner: int | None = None) -> JobRow | None:
    """The job (of this kind, gemeente and, when `owner` is given, this user); a stale one is
    marked afgebroken first."""
    with engine.begin() as conn:
        mark_stale(conn, stil_s, job_id)
        row = conn.execute(text(f"SELECT {_COLUMNS} FROM taak WHERE id = :id"),
                           {"id": job_id}).first()
    if row is None:
        return None
    job = JobRow(*row)
    if (soort is not None and job.soort != soort) or (
            gemeente is not None and job.gemeente != gemeente) or (
            owner is not None and job.owner != owner):
        return None
    return job


def sweep(engine: Engine, stil_s: float) -> list[str]:
    """Mark every job whose heartbeat went stale afgebroken; returns their ids."""
    with engine.begin() as conn:
        return mark_stale(conn, stil_s)

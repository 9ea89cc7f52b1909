"""Walking distance from every address to the nearest voorziening of each category and to
public green, over the street network; stored in adres_afstand.

One multi-source shortest-path run per doel (all its sources joined to one virtual junction),
not one route per address. A doel is recomputed only when its sources or the network changed
(afstand_stand holds the digest it was computed from), and only changed rows are written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlmodel import Session

from app.services.bereikbaarheid import afstanden_sql as q
from app.services.bereikbaarheid import netwerk
from app.services.bereikbaarheid.profielen import (
    GROEN_DOEL,
    GROEN_INGANG_M,
    GROEN_MIN_M2,
    GROEN_SOORTEN,
    LOPEN,
)


@dataclass
class Verslag:
    """What bijwerken did: whether the graph was rebuilt, and the doelen recomputed (ms)."""

    netwerk: bool = False
    doelen: dict[str, int] = field(default_factory=dict)


def _params(gemeente_code: str, gemeenten: list[str]) -> dict[str, object]:
    return {"g": gemeente_code, "marge": netwerk.MARGE_M, "gemeenten": gemeenten,
            "verboden": list(LOPEN.verboden), "groen": GROEN_DOEL,
            "groen_soorten": list(GROEN_SOORTEN), "groen_m2": GROEN_MIN_M2,
            "ingang": GROEN_INGANG_M}


def _bereken(session: Session, doel: str, bronnen: int, p: dict[str, object]) -> None:
    """One doel: sources, one Dijkstra, then every address of the gemeente."""
    if bronnen == 0:
        session.execute(q.OPRUIMEN_SQL, {**p, "doel": doel, "leeg": True})
        return
    session.execute(q.TIJDELIJK_SQL)
    if doel == GROEN_DOEL:
        session.execute(q.VIRT_GROEN_SQL, p)
    else:
        session.execute(q.BRONNEN_VOORZIENING_SQL, {**p, "doel": doel})
        session.execute(q.VIRT_VOORZIENING_SQL)
    session.execute(q.DIJKSTRA_SQL, p)
    session.execute(text("ANALYZE _bron, _knoopafstand"))  # temp tables: never auto-analysed
    session.execute(q.ADRESSEN_SQL, {**p, "doel": doel})
    session.execute(q.OPRUIMEN_SQL, {**p, "doel": doel, "leeg": False})


def _standen(session: Session, gemeente_code: str) -> dict[str, str]:
    rows = session.execute(text(
        "SELECT doel, sleutel FROM afstand_stand WHERE gemeente_code = :g"),
        {"g": gemeente_code}).all()
    return {r.doel: r.sleutel for r in rows}


def bijwerken(session: Session, gemeente_code: str, *,
              alleen: set[str] | None = None) -> Verslag:
    """Bring the distances of the gemeente up to date (in the caller's transaction).

    `alleen` limits the work to some doelen (for benchmarks and tests). A gemeente without
    streets has nothing to compute. Concurrent callers queue on an advisory lock per gemeente
    and find the work done."""
    verslag = Verslag()
    if not netwerk.heeft_netwerk(session, gemeente_code):
        return verslag
    # set-based statements over every address: compiling them (JIT) costs more than it saves
    session.execute(text("SET LOCAL jit = off"))
    verslag.netwerk = netwerk.bijwerken(session, gemeente_code)
    versie = netwerk.versie(session)
    gemeenten = netwerk.gemeenten(session, gemeente_code)
    p = _params(gemeente_code, gemeenten)
    sleutels = {r.doel: (f"{versie}/{r.sleutel}", int(r.bronnen))
                for r in session.execute(q.SLEUTELS_SQL, p).all()}
    standen = _standen(session, gemeente_code)
    te_doen = [d for d, (s, _) in sorted(sleutels.items())
               if standen.get(d) != s and (alleen is None or d in alleen)]
    if not te_doen and set(standen) <= set(sleutels):
        return verslag
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext('afstand ' || :g))"),
                    {"g": gemeente_code})
    standen = _standen(session, gemeente_code)  # what others finished while we waited
    session.execute(q.VERVALLEN_DOELEN_SQL, {"g": gemeente_code, "doelen": list(sleutels)})
    for doel in te_doen:
        sleutel, bronnen = sleutels[doel]
        if standen.get(doel) == sleutel:
            continue
        start = time.perf_counter()
        _bereken(session, doel, bronnen, p)
        ms = round((time.perf_counter() - start) * 1000)
        session.execute(q.STAND_SQL, {"g": gemeente_code, "doel": doel, "sleutel": sleutel,
                                      "bronnen": bronnen, "duur_ms": ms})
        verslag.doelen[doel] = ms
    if len(verslag.doelen) > 1:
        session.execute(text("ANALYZE adres_afstand"))
    return verslag

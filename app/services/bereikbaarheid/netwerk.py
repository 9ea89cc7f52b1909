"""The street network as a graph: junctions and edges from straat, and where each address joins
it. Rebuilt per gemeente when the straten or adressen layers changed (netwerk_stand)."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from app.services.bereikbaarheid.profielen import LOPEN
from app.services.geografie import heeft_straten as heeft_netwerk  # one query for both

__all__ = ["bijwerken", "gemeenten", "heeft_netwerk", "versie"]

VERSIE_SQL = text("""
SELECT string_agg(laag || ':' || versie, ',' ORDER BY laag)
  FROM laag_versie WHERE laag IN ('adressen', 'straten')
""")

# End points to the centimetre: lines that share an end point share a junction.
KNOPEN_SQL = text("""
INSERT INTO knoop (x_cm, y_cm, geometrie)
SELECT DISTINCT ON (x, y) x, y, ST_SetSRID(ST_MakePoint(x / 100.0, y / 100.0), 28992)
  FROM straat s
 CROSS JOIN LATERAL (VALUES (ST_StartPoint(s.geometrie)), (ST_EndPoint(s.geometrie))) e(p)
 CROSS JOIN LATERAL (SELECT round(ST_X(e.p) * 100)::bigint AS x,
                            round(ST_Y(e.p) * 100)::bigint AS y) c
 WHERE s.gemeente_code = :g
ON CONFLICT (x_cm, y_cm) DO NOTHING
""")

RANDEN_WEG_SQL = text("DELETE FROM netwerk_rand WHERE gemeente_code = :g")
RANDEN_SQL = text("""
INSERT INTO netwerk_rand (straat_id, gemeente_code, bron, doel, soort, lengte_m)
SELECT s.id, s.gemeente_code, kb.id, kd.id, s.soort, s.lengte_m
  FROM straat s
  JOIN knoop kb ON kb.x_cm = round(ST_X(ST_StartPoint(s.geometrie)) * 100)::bigint
               AND kb.y_cm = round(ST_Y(ST_StartPoint(s.geometrie)) * 100)::bigint
  JOIN knoop kd ON kd.x_cm = round(ST_X(ST_EndPoint(s.geometrie)) * 100)::bigint
               AND kd.y_cm = round(ST_Y(ST_EndPoint(s.geometrie)) * 100)::bigint
 WHERE s.gemeente_code = :g
""")

# Each address joins the nearest straat it may walk on (of any gemeente: at a border the
# nearest street can be the neighbour's), at the nearest point of that straat.
AANSLUITING_WEG_SQL = text("DELETE FROM adres_aansluiting WHERE gemeente_code = :g")
AANSLUITING_SQL = text("""
INSERT INTO adres_aansluiting (adres_id, gemeente_code, straat_id, fractie, afstand_m)
SELECT a.id, a.gemeente_code, n.id, ST_LineLocatePoint(n.geometrie, a.geometrie),
       ST_Distance(n.geometrie, a.geometrie)
  FROM adres a
 CROSS JOIN LATERAL (
   SELECT s.id, s.geometrie FROM straat s
    WHERE s.soort <> ALL (CAST(:verboden AS text[]))
      AND EXISTS (SELECT 1 FROM netwerk_rand r WHERE r.straat_id = s.id)
    ORDER BY s.geometrie <-> a.geometrie LIMIT 1) n
 WHERE a.gemeente_code = :g
""")

STAND_SQL = text("""
INSERT INTO netwerk_stand (gemeente_code, versie, randen, berekend_op)
VALUES (:g, :versie, :randen, clock_timestamp())
ON CONFLICT (gemeente_code) DO UPDATE
   SET versie = EXCLUDED.versie, randen = EXCLUDED.randen, berekend_op = EXCLUDED.berekend_op
""")

# The gemeenten whose streets lie within reach of this one's (their edges join the graph).
BUREN_SQL = text("""
SELECT DISTINCT s.gemeente_code
  FROM (SELECT ST_Expand(ST_Extent(geometrie)::geometry, :marge) AS box
          FROM straat WHERE gemeente_code = :g) e
  JOIN straat s ON s.geometrie && e.box
 WHERE e.box IS NOT NULL
""")

MARGE_M = 3000.0  # how far past its own streets a gemeente's graph reaches into a neighbour's


def versie(session: Session) -> str:
    """The layer versions the network of any gemeente is built from."""
    return str(session.execute(VERSIE_SQL).scalar_one())


def _lock(session: Session, gemeente_code: str) -> None:
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext('netwerk ' || :g))"),
                    {"g": gemeente_code})


def _stand(session: Session, gemeente_code: str) -> str | None:
    return session.execute(text("SELECT versie FROM netwerk_stand WHERE gemeente_code = :g"),
                           {"g": gemeente_code}).scalar()


def _bouw(session: Session, gemeente_code: str) -> int:
    session.execute(KNOPEN_SQL, {"g": gemeente_code})
    session.execute(RANDEN_WEG_SQL, {"g": gemeente_code})
    return int(session.connection().execute(RANDEN_SQL, {"g": gemeente_code}).rowcount)


def gemeenten(session: Session, gemeente_code: str) -> list[str]:
    """This gemeente and the neighbours whose streets join its graph (sorted)."""
    rows = session.execute(BUREN_SQL, {"g": gemeente_code, "marge": MARGE_M}).scalars()
    return sorted(set(rows) | {gemeente_code})


def bijwerken(session: Session, gemeente_code: str) -> bool:
    """Rebuild the graph of the gemeente (with its neighbours' edges) and where its addresses
    join it, when a layer changed since the last build. True when anything was rebuilt.

    Every gemeente of the graph is locked, in one order (no deadlock between two gemeenten
    building at once); a neighbour's edges are rebuilt but only its own build marks it done,
    because that also attaches its addresses."""
    nu = versie(session)
    if _stand(session, gemeente_code) == nu:
        return False
    betrokken = gemeenten(session, gemeente_code)
    for code in betrokken:
        _lock(session, code)
    if _stand(session, gemeente_code) == nu:  # another process built it meanwhile
        return False
    randen = 0
    for code in betrokken:
        if code == gemeente_code or _stand(session, code) != nu:
            n = _bouw(session, code)
            randen += n if code == gemeente_code else 0
    session.execute(AANSLUITING_WEG_SQL, {"g": gemeente_code})
    session.execute(AANSLUITING_SQL, {"g": gemeente_code, "verboden": list(LOPEN.verboden)})
    # fresh statistics: the statements that follow in this transaction plan with them
    session.execute(text("ANALYZE knoop, netwerk_rand, adres_aansluiting"))
    session.execute(STAND_SQL, {"g": gemeente_code, "versie": nu, "randen": randen})
    return True

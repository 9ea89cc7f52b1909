"""Before staff accept a proposal: is the same kind of place already on the map close by, and
which address is nearest? Both answered by PostGIS in RD New (metres)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from app.models import Voorstel
from app.services import geografie

STRAAL_M = 100

DUBBEL_SQL = text("""
SELECT v.id, v.naam, round(ST_Distance(v.geometrie, s.geometrie)::numeric) AS afstand_m
  FROM voorstel s
  JOIN voorziening v ON v.gemeente_code = s.gemeente_code AND v.status = 'gepubliceerd'
   AND v.categorie_id::text = s.gegevens->>'categorie'
   AND ST_DWithin(v.geometrie, s.geometrie, :straal)
 WHERE s.id = :id AND v.id IS DISTINCT FROM s.voorziening_id
 ORDER BY ST_Distance(v.geometrie, s.geometrie), v.id
""")
PUNT_SQL = text("""SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_Transform(geometrie, 4326) AS p
                    FROM voorstel WHERE id = :id AND geometrie IS NOT NULL) q""")


@dataclass(frozen=True)
class Buur:
    """A published voorziening of the same category near the proposed place."""

    id: int
    naam: str
    afstand_m: int


@dataclass(frozen=True)
class Controle:
    dubbel: list[Buur]
    adres: str | None  # the nearest address within 100 m, as people write it


def in_de_buurt(session: Session, voorstel: Voorstel) -> Controle:
    """Published voorzieningen of the proposal's category within 100 m, and the nearest
    address: staff see a likely duplicate or a wrong place before they publish."""
    params = {"id": voorstel.id, "straal": STRAAL_M}
    dubbel = [Buur(int(r.id), str(r.naam), int(r.afstand_m))
              for r in session.execute(DUBBEL_SQL, params)]
    punt = session.execute(PUNT_SQL, params).first()
    adres = (geografie.adres_bij_punt(session.connection(), voorstel.gemeente_code,
                                      float(punt[0]), float(punt[1]), max_m=STRAAL_M)
             if punt is not None else None)
    return Controle(dubbel=dubbel, adres=adres.tekst if adres else None)

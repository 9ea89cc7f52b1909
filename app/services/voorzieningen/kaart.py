"""Published voorzieningen for the map and the list: filters, GeoJSON built by PostGIS, paging.

Only status 'gepubliceerd' is ever shown; proposed, rejected and archived ones stay out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from app.services.voorzieningen.categorieen import MIN_CONTRAST, contrast_met_wit

ZOEK_MAX = 100
PAGINA = 50
KLEUR = re.compile(r"^#[0-9a-fA-F]{6}$")
STANDAARD_KLEUR = "#1d5c8c"


@dataclass(frozen=True)
class Filter:
    """What the visitor asked for: categories (none = all), a name search, a wijk or dorp."""

    categorieen: tuple[str, ...] = ()
    zoek: str = ""
    wijk: str = ""


@dataclass(frozen=True)
class CategorieTelling:
    """A category with the number of voorzieningen matching the search and wijk."""

    code: str
    naam: str
    icoon: str
    kleur: str  # darkened where needed so white text on it reaches 4.5:1
    aantal: int


@dataclass(frozen=True)
class VoorzieningRij:
    """One published voorziening in a list."""

    id: int
    naam: str
    categorie_code: str
    categorie_naam: str
    adres: str | None
    postcode: str | None
    plaats: str | None
    wijk_code: str | None
    wijk_naam: str | None
    laatst_gecontroleerd: date | None


@dataclass
class Pagina:
    """One page of the list, the total, and the id to continue after (None on the last)."""

    rijen: list[VoorzieningRij] = field(default_factory=list)
    totaal: int = 0
    volgende: int | None = None


def leesbare_kleur(kleur: str) -> str:
    """The colour, darkened in small steps until white text on it has a contrast of 4.5:1."""
    if not KLEUR.match(kleur or ""):
        return STANDAARD_KLEUR
    rgb = [int(kleur[i:i + 2], 16) for i in (1, 3, 5)]
    while contrast_met_wit(_hex(rgb)) < MIN_CONTRAST:
        rgb = [int(c * 0.95) for c in rgb]
    return _hex(rgb)


def _hex(rgb: list[int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _patroon(zoek: str) -> str:
    escaped = zoek.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _voorwaarden(f: Filter, met_categorie: bool) -> tuple[str, dict[str, object]]:
    """The WHERE clause shared by the map, the counts and the list (v, c, w aliases)."""
    parts = ["v.gemeente_code = :gemeente", "v.status = 'gepubliceerd'"]
    params: dict[str, object] = {}
    if f.zoek.strip():
        parts.append("v.naam ILIKE :patroon")
        params["patroon"] = _patroon(f.zoek.strip()[:ZOEK_MAX])
    if f.wijk:
        parts.append("w.code = :wijk")
        params["wijk"] = f.wijk
    if met_categorie and f.categorieen:
        parts.append("c.code = ANY(:categorieen)")
        params["categorieen"] = list(f.categorieen)
    return " AND ".join(parts), params


BRON = """
  FROM voorziening v
  JOIN categorie c ON c.id = v.categorie_id
  LEFT JOIN gebied w ON w.id = v.wijk_id
"""


def kaart_geojson(session: Session, gemeente_code: str, f: Filter) -> str:
    """Every matching voorziening of every category as one FeatureCollection (CRS84) text.

    The category filter is left to the page's toggles, so switching one on needs no request."""
    where, params = _voorwaarden(f, met_categorie=False)
    sql = f"""
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
         json_build_object('type', 'Feature', 'id', v.id,
           'geometry', ST_AsGeoJSON(ST_Transform(v.geometrie, 4326), 6)::json,
           'properties', json_build_object('naam', v.naam, 'categorie', c.code))
         ORDER BY c.volgorde, v.naam, v.id), '[]'::json))::text
{BRON} WHERE {where}"""
    return str(session.execute(text(sql), {"gemeente": gemeente_code, **params}).scalar_one())


def categorie_tellingen(session: Session, gemeente_code: str, f: Filter) -> list[CategorieTelling]:
    """Every category of the gemeente with how many voorzieningen match search and wijk."""
    where, params = _voorwaarden(f, met_categorie=False)
    sql = f"""
SELECT c.code, c.naam, c.icoon, c.kleur,
       (SELECT count(*) FROM voorziening v LEFT JOIN gebied w ON w.id = v.wijk_id
         WHERE v.categorie_id = c.id AND {where}) AS aantal
  FROM categorie c
 WHERE c.gemeente_code = :gemeente
 ORDER BY c.volgorde, c.naam"""
    rows = session.execute(text(sql), {"gemeente": gemeente_code, **params}).all()
    return [CategorieTelling(r.code, r.naam, r.icoon or "", leesbare_kleur(r.kleur),
                             int(r.aantal)) for r in rows]


KOLOMMEN = """v.id, v.naam, c.code AS categorie_code, c.naam AS categorie_naam, v.adres,
       v.postcode, v.plaats, w.code AS wijk_code, w.naam AS wijk_naam, v.laatst_gecontroleerd"""


def alle_rijen(session: Session, gemeente_code: str, f: Filter) -> list[VoorzieningRij]:
    """Every match of search and wijk, every category, in map order (the list beside the map)."""
    where, params = _voorwaarden(f, met_categorie=False)
    sql = f"SELECT {KOLOMMEN} {BRON} WHERE {where} ORDER BY c.volgorde, c.naam, v.naam, v.id"
    rows = session.execute(text(sql), {"gemeente": gemeente_code, **params}).all()
    return [VoorzieningRij(**r._mapping) for r in rows]


def lijst(session: Session, gemeente_code: str, f: Filter, na: int | None = None,
          limit: int = PAGINA) -> Pagina:
    """One page of matches by name: keyset paging on (naam, id), never OFFSET."""
    where, params = _voorwaarden(f, met_categorie=True)
    params |= {"gemeente": gemeente_code, "limit": limit + 1}
    totaal = session.execute(text(f"SELECT count(*) {BRON} WHERE {where}"), params).scalar_one()
    verder = ""
    if na is not None:
        verder = " AND (v.naam, v.id) > (SELECT naam, id FROM voorziening WHERE id = :na)"
        params["na"] = na
    sql = f"SELECT {KOLOMMEN} {BRON} WHERE {where}{verder} ORDER BY v.naam, v.id LIMIT :limit"
    rijen = [VoorzieningRij(**r._mapping) for r in session.execute(text(sql), params)]
    volgende = rijen[limit - 1].id if len(rijen) > limit else None
    return Pagina(rijen=rijen[:limit], totaal=int(totaal), volgende=volgende)

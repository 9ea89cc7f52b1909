"""Human names for groenvakken after their place, and the address nearest to a point.

The naming rule itself lives in the database (``kaart_plaatsnaam_basis``, migration
0009_plaatsnaam), so a trigger can keep a moved groenvak's name right; this module asks the
database to name a whole gemeente again after streets or addresses were (re)loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text


def plaats_groenvakken(conn: Connection, gemeente_code: str) -> int:
    """Name every groenvak of the gemeente after its place again; returns how many changed."""
    return int(conn.execute(text("SELECT kaart_plaats_groenvakken(:g)"),
                            {"g": gemeente_code}).scalar_one())


@dataclass(frozen=True)
class Adres:
    """One address as people write it, and how far it is from where we looked."""

    straatnaam: str
    huisnummer: int
    huisletter: str | None
    toevoeging: str | None
    postcode: str
    woonplaats: str
    afstand_m: float

    @property
    def straat_en_nummer(self) -> str:
        nummer = f"{self.huisnummer}{self.huisletter or ''}"
        if self.toevoeging:
            nummer += f"-{self.toevoeging}"
        return f"{self.straatnaam} {nummer}"

    @property
    def tekst(self) -> str:
        return f"{self.straat_en_nummer}, {self.postcode} {self.woonplaats}"


NEAREST_SQL = """
    SELECT a.straatnaam, a.huisnummer, a.huisletter, a.toevoeging, a.postcode, a.woonplaats,
           ST_Distance(a.geometrie, p.g) AS afstand_m
      FROM adres a, (SELECT {punt} AS g) p
     WHERE a.gemeente_code = :g AND ST_DWithin(a.geometrie, p.g, :max_m)
     ORDER BY a.geometrie <-> p.g, a.id LIMIT 1"""


def _nearest(conn: Connection, punt: str, params: dict[str, object]) -> Adres | None:
    row = conn.execute(text(NEAREST_SQL.format(punt=punt)), params).first()
    return None if row is None else Adres(*row)


def adres_bij_punt(conn: Connection, gemeente_code: str, lat: float, lon: float,
                   max_m: float = 50) -> Adres | None:
    """The address nearest to a WGS84 point within max_m metres, or None."""
    return _nearest(conn, "ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 28992)",
                    {"g": gemeente_code, "lat": lat, "lon": lon, "max_m": max_m})


def adres_bij_groenvak(conn: Connection, gemeente_code: str, groenvak_id: int,
                       max_m: float = 250) -> Adres | None:
    """The address nearest to a groenvak (its edge), or None when none is near."""
    return _nearest(conn, "(SELECT geometrie FROM groenvak WHERE id = :id)",
                    {"g": gemeente_code, "id": groenvak_id, "max_m": max_m})


def adres_bij_voorziening(conn: Connection, gemeente_code: str, voorziening_id: int,
                          max_m: float = 250) -> Adres | None:
    """The address nearest to a voorziening, or None when none is near."""
    return _nearest(conn, "(SELECT geometrie FROM voorziening WHERE id = :id)",
                    {"g": gemeente_code, "id": voorziening_id, "max_m": max_m})

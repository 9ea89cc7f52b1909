"""Which plots a groenvakken import may mark vervallen: only those missing from the file inside
an explicitly chosen bereik (the gemeente, one wijk or dorp, or a rectangle), and never one
with an open adoptie unless asked. A partial file then cannot expire the rest of the town."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from app.services.importeren.rapport import Geraakt, ImportFout, ImportRapport

OPEN = ("concept", "aangevraagd", "actief")
UITLEG = ("Kies gemeente, wijk CODE of bbox minx,miny,maxx,maxy (in RD, EPSG:28992), "
          "bijvoorbeeld wijk WK082801.")


@dataclass(frozen=True)
class Bereik:
    """Where plots missing from the file expire: soort gemeente, wijk (code) or bbox."""

    soort: str
    code: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    def __str__(self) -> str:
        if self.soort == "wijk":
            return f"wijk {self.code}"
        if self.soort == "bbox" and self.bbox:
            return "bbox " + ",".join(f"{v:g}" for v in self.bbox)
        return "gemeente"


def lees_bereik(waarde: str | None) -> Bereik | None:
    """'gemeente', 'wijk CODE' (or wijk:CODE, wijk=CODE), 'bbox minx,miny,maxx,maxy'; empty or
    'geen': no bereik, nothing expires."""
    tekst = (waarde or "").strip()
    if tekst.lower() in ("", "geen", "niets"):
        return None
    deel = re.fullmatch(r"([A-Za-z]+)(?:[\s:=]+(.*))?", tekst, re.DOTALL)
    if deel is None:
        raise ImportFout(f"Bereik '{tekst}' is onbekend. {UITLEG}")
    soort, rest = deel.group(1).lower(), (deel.group(2) or "").strip()
    if soort == "gemeente" and not rest:
        return Bereik("gemeente")
    if soort == "wijk" and re.fullmatch(r"[A-Za-z0-9_-]{1,20}", rest):
        return Bereik("wijk", code=rest)
    if soort == "bbox":
        delen = [d for d in re.split(r"[\s,;]+", rest) if d]
        try:
            getallen = tuple(float(d) for d in delen)
        except ValueError:
            getallen = ()
        if len(getallen) == 4 and getallen[0] < getallen[2] and getallen[1] < getallen[3]:
            return Bereik("bbox", bbox=(getallen[0], getallen[1], getallen[2], getallen[3]))
        raise ImportFout(f"Bereik '{tekst}' is geen geldige rechthoek: geef minx,miny,maxx,maxy "
                         "in RD (EPSG:28992), met minx < maxx en miny < maxy.")
    raise ImportFout(f"Bereik '{tekst}' is onbekend. {UITLEG}")


def _voorwaarde(conn: Connection, gemeente: str, bereik: Bereik) -> tuple[str, dict[str, object]]:
    """The SQL condition on groenvak g for this bereik; a wijk must exist."""
    if bereik.soort == "wijk":
        wijk = conn.execute(text("""SELECT id FROM gebied WHERE gemeente_code = :g
                                     AND code = :c AND soort IN ('wijk', 'dorp')"""),
                            {"g": gemeente, "c": bereik.code}).scalar()
        if wijk is None:
            raise ImportFout(f"Wijk of dorp {bereik.code} bestaat niet in gemeente {gemeente}.")
        return "g.wijk_id = :wijk", {"wijk": wijk}
    if bereik.soort == "bbox" and bereik.bbox:
        x0, y0, x1, y1 = bereik.bbox
        return ("ST_CoveredBy(g.geometrie, ST_MakeEnvelope(:x0, :y0, :x1, :y1, 28992))",
                {"x0": x0, "y0": y0, "x1": x1, "y1": y1})
    return "true", {}


def controleer(conn: Connection, gemeente: str, bereik: Bereik | None) -> None:
    """Refuse an unknown wijk before any work is done."""
    if bereik is not None:
        _voorwaarde(conn, gemeente, bereik)


def vervallen(conn: Connection, gemeente: str, stage: str, bereik: Bereik | None,
              ook_met_adoptie: bool, rapport: ImportRapport) -> None:
    """Plots not in the file: counted; inside the bereik marked vervallen today (never
    deleted), except those with an open adoptie unless `ook_met_adoptie`: those are kept."""
    buiten = f"""g.gemeente_code = :g AND g.vervallen_op IS NULL
                 AND NOT EXISTS (SELECT 1 FROM {stage} s WHERE s.extern_id = g.extern_id)"""
    rapport.niet_in_bestand = conn.execute(text(f"SELECT count(*) FROM groenvak g WHERE {buiten}"),
                                           {"g": gemeente}).scalar_one()
    rapport.bereik = None if bereik is None else str(bereik)
    if bereik is None or not rapport.niet_in_bestand:
        return
    waar, params = _voorwaarde(conn, gemeente, bereik)
    rows = conn.execute(text(f"""
        SELECT g.id, g.extern_id, a.id, a.status FROM groenvak g
          LEFT JOIN adoptie a ON a.groenvak_id = g.id AND a.status = ANY(:open)
         WHERE {buiten} AND {waar}
         ORDER BY g.extern_id, a.id"""), {"g": gemeente, "open": list(OPEN), **params}).all()
    weg: list[int] = []
    for groenvak_id, extern_id, adoptie_id, status in rows:
        if adoptie_id is None:
            weg.append(groenvak_id)
            rapport.add(None, extern_id, "vervallen", "niet meer in de bron")
        elif ook_met_adoptie:
            weg.append(groenvak_id)
            rapport.add(None, extern_id, "vervallen", f"niet meer in de bron; open adoptie "
                                                      f"{adoptie_id} ({status}) loopt nog")
            rapport.adopties.append(Geraakt(adoptie_id, status, extern_id, vervalt=True))
        else:
            rapport.add(None, extern_id, "behouden", f"niet meer in de bron, maar overgeslagen: "
                                                     f"open adoptie {adoptie_id} ({status})")
            rapport.adopties.append(Geraakt(adoptie_id, status, extern_id, vervalt=False))
    weg = sorted(set(weg))
    if weg:
        conn.execute(text("UPDATE groenvak SET vervallen_op = current_date WHERE id = ANY(:ids)"),
                     {"ids": weg})
    rapport.vervallen = len(weg)

"""The gap finder: where would a new voorziening of a category help most? For one wijk or dorp,
rank candidate places (addresses without woonfunctie, then street junctions; at most
MAX_KANDIDATEN) by how many woonadressen not yet within the walking time a voorziening there
would bring within it — greedy maximal covering: the best place, then the best given that
one, and so on (TOP places)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

from sqlalchemy import text
from sqlmodel import Session

from app.errors import InvalidInput
from app.services.bereikbaarheid import afstanden, netwerk
from app.services.bereikbaarheid import gaten_sql as q
from app.services.bereikbaarheid.profielen import LOPEN, MINUTEN, meter_per_minuut

MAX_KANDIDATEN = 500
TOP = 10


@dataclass(frozen=True)
class Plek:
    """One place in the ranking: what it adds given the places above it."""

    rang: int
    label: str
    erbij: int  # woonadressen newly within the walking time
    totaal: int  # woonadressen within it after this place (and those above)
    lon: float
    lat: float
    x: float  # RD New
    y: float


@dataclass(frozen=True)
class Gatenrapport:
    """The ranking for one wijk/dorp, category and walking time."""

    wijk: str
    categorie: str
    minuten: int
    woonadressen: int
    al_binnen: int
    kandidaten: int
    plekken: list[Plek]

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "plekken": [asdict(p) for p in self.plekken]}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Gatenrapport:
        plekken = data.get("plekken")
        assert isinstance(plekken, list)
        velden = {k: v for k, v in data.items() if k != "plekken"}
        return cls(**velden, plekken=[Plek(**p) for p in plekken])  # type: ignore[arg-type]


def _greedy(paren: list[tuple[int, int]], top: int) -> list[tuple[int, int]]:
    """(candidate, addresses added) for the best `top` candidates, each given those before."""
    per: dict[int, set[int]] = {}
    for nr, adres in paren:
        per.setdefault(nr, set()).add(adres)
    gekozen: list[tuple[int, int]] = []
    gedekt: set[int] = set()
    for _ in range(top):
        best = max(per.items(), key=lambda kv: (len(kv[1] - gedekt), -kv[0]), default=None)
        if best is None or not best[1] - gedekt:
            break
        gekozen.append((best[0], len(best[1] - gedekt)))
        gedekt |= best[1]
        del per[best[0]]
    return gekozen


def beste_plekken(session: Session, gemeente_code: str, wijk_code: str, categorie_code: str,
                  minuten: int, loopsnelheid_kmh: float = LOPEN.standaard_kmh, *,
                  max_kandidaten: int = MAX_KANDIDATEN, top: int = TOP) -> Gatenrapport:
    """Rank places for a new voorziening (in the caller's transaction; changes nothing)."""
    if minuten not in MINUTEN:
        raise InvalidInput("Kies 5, 10 of 15 minuten lopen.")
    if not netwerk.heeft_netwerk(session, gemeente_code):
        raise InvalidInput("Deze gemeente heeft geen straten geladen; de gatenzoeker rekent "
                           "over de weg.")
    afstanden.bijwerken(session, gemeente_code)
    session.execute(text("SET LOCAL jit = off"))
    drempel = minuten * meter_per_minuut(loopsnelheid_kmh)
    p = {"g": gemeente_code, "wijk": wijk_code, "doel": categorie_code, "drempel": drempel,
         "max": max_kandidaten, "verboden": list(LOPEN.verboden), "virtueel": q.VIRTUEEL,
         "gemeenten": netwerk.gemeenten(session, gemeente_code)}
    telling = session.execute(q.OPEN_SQL, p).one()
    session.execute(q.KANDIDATEN_SQL)
    session.execute(q.KANDIDATEN_VUL_SQL, p)
    kandidaten = int(session.execute(text("SELECT count(*) FROM _kandidaat")).scalar_one())
    gekozen: list[tuple[int, int]] = []
    if kandidaten:
        session.execute(q.BEREIK_WEG_SQL)
        session.execute(q.BEREIK_SQL, p)
        session.execute(q.BEREIK_INDEX_SQL)
        paren = [(int(r[0]), int(r[1])) for r in session.execute(q.PAREN_SQL, p).all()]
        gekozen = _greedy(paren, top)
    plekken_db = {r.nr: r for r in session.execute(
        q.PLEKKEN_SQL, {"nrs": [nr for nr, _ in gekozen]}).all()}
    al_binnen = int(telling.woonadressen) - int(telling.open)
    plekken: list[Plek] = []
    totaal = al_binnen
    for rang, (nr, erbij) in enumerate(gekozen, start=1):
        r = plekken_db[nr]
        totaal += erbij
        plekken.append(Plek(rang, str(r.label), erbij, totaal, round(float(r.lon), 6),
                            round(float(r.lat), 6), round(float(r.x), 1), round(float(r.y), 1)))
    return Gatenrapport(wijk_code, categorie_code, minuten, int(telling.woonadressen),
                        al_binnen, kandidaten, plekken)


def gaten_csv(rapport: Gatenrapport) -> str:
    """The ranking for a spreadsheet: ';' and decimal comma (Dutch Excel), RD coordinates."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(["rang", "plek", "woonadressen_erbij", "woonadressen_binnen_totaal",
                "aandeel_binnen", "x_rd", "y_rd"])
    for p in rapport.plekken:
        aandeel = p.totaal / rapport.woonadressen if rapport.woonadressen else 0.0
        w.writerow([p.rang, p.label, p.erbij, p.totaal, f"{aandeel:.3f}".replace(".", ","),
                    f"{p.x:.1f}".replace(".", ","), f"{p.y:.1f}".replace(".", ",")])
    return out.getvalue()

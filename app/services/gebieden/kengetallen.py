"""Figures per wijk and dorp: voorzieningen per category (count, nabijheid, dekking) and zelfbeheer.

Computed in PostGIS (app.services.gebieden.kengetallen_sql) and cached per gebied in kengetal_cache.
Each cached part carries the laag_versie versions it was computed from; when a statement
changed a source table its version moved, and the next read recomputes that part (lazily,
in the reader's transaction; the caller's commit keeps it). Deelnames, onderhoud and adopties
mark their gebied in kengetal_vuil instead (no shared row to queue on); the saving in euros is
applied at read time with the gemeente's current EUR/m2.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import Row, text
from sqlmodel import Session

from app.errors import InvalidInput
from app.services import bereikbaarheid
from app.services.bereikbaarheid import NetwerkCijfers
from app.services.gebieden import kengetallen_sql as q
from app.services.gebieden.methode import methode_tekst

DREMPELS_M = (400, 800)


class CategorieRuimte(TypedDict):
    """One category in the cached spatial figures (kengetal_cache.ruimte, JSON)."""

    code: str
    naam: str
    kleur: str
    aantal: int
    gem: float | None
    max: float | None
    d400: float | None
    d800: float | None


class RuimteCache(TypedDict):
    """The spatial figures of one gebied as stored in kengetal_cache.ruimte."""

    punten: int
    in_kom: bool
    categorieen: list[CategorieRuimte]
    netwerk: NetwerkCijfers | None  # walking figures; None when the gemeente has no streets


class ZelfbeheerCache(TypedDict):
    """The zelfbeheer counts of one gebied as stored in kengetal_cache.zelfbeheer."""

    groenvakken: int
    m2_totaal: float
    m2_zelfbeheer: float
    actieve_groepen: int
    leden: int
    onderhoud_90d: int


@dataclass(frozen=True)
class CategorieKengetal:
    """One category's figures in one gebied."""

    categorie_code: str
    categorie_naam: str
    kleur: str
    aantal: int                        # gepubliceerde voorzieningen in het gebied
    per_1000_inwoners: float | None    # None when gebied.inwoners is unknown/0
    nabijheid_gem_m: float | None      # mean straight-line distance proxy point -> nearest one
    nabijheid_max_m: float | None      # of this category (anywhere in the gemeente); None if none
    dekking_400: float | None          # share (0..1) of the gebied within 400 m of one
    dekking_800: float | None          # share (0..1) within 800 m
    over_de_weg: bool = False          # nabijheid is walking distance from the woonadressen
    binnen_minuten: tuple[float | None, ...] = (None, None, None)  # share within MINUTEN walk
    niet_bereikbaar: int = 0           # woonadressen the network does not connect to one

    @property
    def binnen_5(self) -> float | None:
        return self.binnen_minuten[0]

    @property
    def binnen_10(self) -> float | None:
        return self.binnen_minuten[1]

    @property
    def binnen_15(self) -> float | None:
        return self.binnen_minuten[2]


@dataclass(frozen=True)
class ZelfbeheerKengetallen:
    """Zelfbeheer in one gebied; pct_zelfbeheer is a percentage (0..100) of the m2."""

    groenvakken: int
    m2_totaal: float
    m2_zelfbeheer: float
    pct_zelfbeheer: float
    actieve_groepen: int
    leden: int
    onderhoud_90d: int
    besparing_euro_jaar: float


@dataclass(frozen=True)
class GebiedKengetallen:
    """All figures of one wijk or dorp."""

    gebied_id: int
    code: str
    naam: str
    soort: str  # 'wijk' | 'dorp'
    inwoners: int | None
    oppervlakte_m2: float
    categorieen: list[CategorieKengetal]  # every category of the gemeente, in categorie.volgorde
    zelfbeheer: ZelfbeheerKengetallen
    berekend_op: datetime
    methode: str  # Dutch sentence: which proxy points, straight-line distance
    punten: int = 0  # number of proxy points
    punten_in_kom: bool = False  # the points lie in the bebouwde kom (else the whole gebied)
    over_de_weg: bool = False  # nabijheid measured over the street network from woonadressen
    woonadressen: int | None = None  # woonadressen in the gebied (with a street network)
    groen_300: float | None = None  # share of woonadressen within 300 m walk of green ≥ 0.5 ha
    loopsnelheid_m_min: float = 75.0


def _versies(session: Session, gemeente_code: str, m_min: float) -> tuple[str, str, float]:
    row = session.execute(q.VERSIES_SQL, {"gemeente": gemeente_code}).one()
    return f"{row.ruimte}|{m_min:g}", str(row.zelfbeheer), float(row.euro_m2 or 0.0)


def _ruimte(session: Session, gebied_id: int, m_min: float | None) -> RuimteCache:
    """The spatial figures of one gebied, as stored in the cache (inwoners applied later)."""
    rows = session.execute(q.RUIMTE_SQL, {"id": gebied_id}).all()
    punten = int(rows[0].punten) if rows else 0
    in_kom = bool(rows[0].in_kom) if rows else False

    def share(value: float | None, bestaat: bool) -> float | None:
        return None if not bestaat else min(1.0, float(value or 0.0))

    netwerk = None if m_min is None else bereikbaarheid.gebied_cijfers(session, gebied_id, m_min)
    return {"punten": punten, "in_kom": in_kom, "netwerk": netwerk, "categorieen": [
        {"code": r.code, "naam": r.naam, "kleur": r.kleur, "aantal": int(r.aantal),
         "gem": None if r.gem is None else float(r.gem),
         "max": None if r.max is None else float(r.max),
         "d400": share(r.d400, r.bestaat), "d800": share(r.d800, r.bestaat)} for r in rows]}


def _zelfbeheer(session: Session, gebied_id: int) -> ZelfbeheerCache:
    """Counts and areas; the saving is applied at read time with the current EUR/m2."""
    session.execute(q.VUIL_WEG_SQL, {"id": gebied_id})
    r = session.execute(q.ZELFBEHEER_SQL, {"id": gebied_id}).one()
    return {"groenvakken": int(r.groenvakken), "m2_totaal": float(r.m2_totaal),
            "m2_zelfbeheer": float(r.m2_zelfbeheer), "actieve_groepen": int(r.actieve_groepen),
            "leden": int(r.leden), "onderhoud_90d": int(r.onderhoud_90d)}


def _categorie(c: CategorieRuimte, inwoners: int | None,
               netwerk: NetwerkCijfers | None) -> CategorieKengetal:
    """One category's figures: over the network when the gemeente has one, else straight."""
    per_1000 = 1000.0 * c["aantal"] / inwoners if inwoners else None
    w = None if netwerk is None else netwerk["doelen"].get(c["code"])
    if netwerk is None:
        return CategorieKengetal(
            categorie_code=c["code"], categorie_naam=c["naam"], kleur=c["kleur"],
            aantal=c["aantal"], per_1000_inwoners=per_1000,
            nabijheid_gem_m=c["gem"], nabijheid_max_m=c["max"],
            dekking_400=c["d400"], dekking_800=c["d800"])
    return CategorieKengetal(
        categorie_code=c["code"], categorie_naam=c["naam"], kleur=c["kleur"],
        aantal=c["aantal"], per_1000_inwoners=per_1000,
        nabijheid_gem_m=None if w is None else w["gem"],
        nabijheid_max_m=None if w is None else w["max"],
        dekking_400=c["d400"], dekking_800=c["d800"], over_de_weg=True,
        binnen_minuten=(None, None, None) if w is None else tuple(w["binnen"]),
        niet_bereikbaar=0 if w is None else w["niet_bereikbaar"])


def _build(row: Row[Any], ruimte: RuimteCache, z: ZelfbeheerCache, euro_m2: float,
           berekend_op: datetime) -> GebiedKengetallen:
    inwoners = row.inwoners
    netwerk = ruimte.get("netwerk")
    if netwerk is not None and not netwerk["woonadressen"]:
        netwerk = None  # no homes here: the straight-line figures from the grid instead
    categorieen = [_categorie(c, inwoners, netwerk) for c in ruimte["categorieen"]]
    totaal, zelf = z["m2_totaal"], z["m2_zelfbeheer"]
    zelfbeheer = ZelfbeheerKengetallen(
        groenvakken=z["groenvakken"], m2_totaal=totaal, m2_zelfbeheer=zelf,
        pct_zelfbeheer=100.0 * zelf / totaal if totaal else 0.0,
        actieve_groepen=z["actieve_groepen"], leden=z["leden"],
        onderhoud_90d=z["onderhoud_90d"], besparing_euro_jaar=zelf * euro_m2)
    return GebiedKengetallen(
        gebied_id=row.id, code=row.code, naam=row.naam, soort=row.soort, inwoners=inwoners,
        oppervlakte_m2=float(row.oppervlakte_m2), categorieen=categorieen,
        zelfbeheer=zelfbeheer, berekend_op=berekend_op,
        methode=methode_tekst(ruimte["punten"], ruimte["in_kom"], netwerk),
        punten=ruimte["punten"], punten_in_kom=ruimte["in_kom"],
        over_de_weg=netwerk is not None,
        woonadressen=None if netwerk is None else netwerk["woonadressen"],
        groen_300=None if netwerk is None else netwerk["groen_300"],
        loopsnelheid_m_min=75.0 if netwerk is None else netwerk["meter_per_minuut"])


def _load(session: Session, gemeente_code: str, code: str | None,
          commit: bool, m_min: float) -> list[GebiedKengetallen]:
    """Read the cache, recompute the stale parts, store them, and build the results.

    Before the first stale spatial part, the walking distances are brought up to date (only
    the categories whose voorzieningen changed are recomputed)."""
    ruimte_versie, zelfbeheer_versie, euro_m2 = _versies(session, gemeente_code, m_min)
    rows = session.execute(q.GEBIEDEN_SQL, {"gemeente": gemeente_code, "code": code}).all()
    result: list[GebiedKengetallen] = []
    changed = False
    netwerk_m_min: float | None = None
    bijgewerkt = False
    for row in rows:
        if not bijgewerkt and (row.ruimte is None or row.ruimte_versie != ruimte_versie):
            bijgewerkt = True
            if bereikbaarheid.heeft_netwerk(session, gemeente_code):
                bereikbaarheid.bijwerken(session, gemeente_code)
                netwerk_m_min = m_min
        ruimte, zelfbeheer, berekend_op = row.ruimte, row.zelfbeheer, row.berekend_op
        stale_ruimte = ruimte is None or row.ruimte_versie != ruimte_versie
        stale_zelfbeheer = (zelfbeheer is None or row.vuil
                            or row.zelfbeheer_versie != zelfbeheer_versie)
        if stale_ruimte or stale_zelfbeheer:
            if stale_ruimte:
                ruimte = _ruimte(session, row.id, netwerk_m_min)
            if stale_zelfbeheer:
                zelfbeheer = _zelfbeheer(session, row.id)
            berekend_op = session.execute(q.BEWAAR_SQL, {
                "id": row.id, "gemeente": gemeente_code, "ruimte": json.dumps(ruimte),
                "ruimte_versie": ruimte_versie, "zelfbeheer": json.dumps(zelfbeheer),
                "zelfbeheer_versie": zelfbeheer_versie}).scalar_one()
            changed = True
        result.append(_build(row, ruimte, zelfbeheer, euro_m2, berekend_op))
    if changed and commit:
        session.commit()
    return result


def gebied_kengetallen(session: Session, gemeente_code: str, code: str, *,
                       commit: bool = True,
                       loopsnelheid_kmh: float = bereikbaarheid.LOPEN_KMH,
                       ) -> GebiedKengetallen | None:
    """The figures of one wijk or dorp (None for an unknown code or a buurt).

    A recomputation is stored and committed (commit=False leaves the commit to the caller)."""
    found = _load(session, gemeente_code, code, commit,
                  bereikbaarheid.meter_per_minuut(loopsnelheid_kmh))
    return found[0] if found else None


def alle_kengetallen(session: Session, gemeente_code: str, *, commit: bool = True,
                     loopsnelheid_kmh: float = bereikbaarheid.LOPEN_KMH,
                     ) -> list[GebiedKengetallen]:
    """The figures of every wijk, then every dorp, by name."""
    return _load(session, gemeente_code, None, commit,
                 bereikbaarheid.meter_per_minuut(loopsnelheid_kmh))


def witte_vlekken_geojson(session: Session, gemeente_code: str, code: str, categorie_code: str,
                          drempel_m: int = 400) -> str:
    """The parts of the gebied farther than drempel_m (straight line) from every published
    voorziening of the category, as a FeatureCollection in EPSG:4326 (empty when none)."""
    if drempel_m not in DREMPELS_M:
        raise InvalidInput("Kies als afstand 400 of 800 meter.")
    value = session.execute(q.WITTE_VLEKKEN_SQL, {
        "gemeente": gemeente_code, "code": code, "categorie": categorie_code,
        "drempel": drempel_m}).scalar()
    return str(value) if value is not None else '{"type": "FeatureCollection", "features": []}'


def categorie_bestaat(session: Session, gemeente_code: str, categorie_code: str) -> bool:
    """Whether the gemeente has this category (for validating a request)."""
    return session.execute(text(
        "SELECT 1 FROM categorie WHERE gemeente_code = :g AND code = :c"),
        {"g": gemeente_code, "c": categorie_code}).first() is not None

"""One search box that knows the town: addresses, streets, places, groenvakken, voorzieningen.

The query is parsed here only into (postcode, number, letter, addition, words); the search
itself is one SQL statement, a UNION ALL of small indexed lookups (btree on postcode and number,
trigram GIN indexes on the names), ranked and limited in PostGIS. Typos are tolerated by
pg_trgm: word similarity (`<%`, threshold 0.6) finds a prefix or a word inside a name,
similarity (`%`, threshold 0.3) a name with a letter wrong or missing; both use the index.
Names and query are compared without accents or case (`kaart_zoektekst`, migration 0012), so
"cafe" finds "Café": the query goes through that function once, and each name has a stored
copy through it (`naam_zoek`) that the trigram index holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

MAX_QUERY = 100
MAX_LIMIT = 50

_POSTCODE = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{3})\s?([A-Za-z]{2})(?![A-Za-z0-9])")
# a house number at the end: 12, 12a, 12 a, 12-2, 12a-2, 12 bis
_NUMBER = re.compile(r"(?:^|\s)(\d{1,5})(?:\s?([A-Za-z])(?![A-Za-z0-9]))?"
                     r"(?:\s*[-\s]\s*([A-Za-z0-9]{1,4}))?\s*$")


@dataclass(frozen=True)
class Zoekvraag:
    """A search text taken apart; every part may be missing."""

    postcode: str | None = None  # "9901 AB"
    huisnummer: int | None = None
    huisletter: str | None = None
    toevoeging: str | None = None
    woorden: str = ""  # what is left: a street, place, groenvak or voorziening name


@dataclass(frozen=True)
class Zoekresultaat:
    """One hit: what it is, how to show it, where it is, where it leads."""

    soort: str  # adres, straat, gebied, groenvak, voorziening
    id: int
    label: str
    lat: float
    lon: float
    bbox: tuple[float, float, float, float] | None  # west, south, east, north (lon/lat)
    url: str


def ontleed(q: str) -> Zoekvraag:
    """Take a search text apart into postcode, number, letter, addition and words."""
    rest = " ".join(q.replace(",", " ").split())[:MAX_QUERY]
    postcode = None
    if m := _POSTCODE.search(rest):
        postcode = f"{m.group(1)} {m.group(2).upper()}"
        rest = (rest[:m.start()] + " " + rest[m.end():]).strip()
    nummer = letter = toevoeging = None
    if (m := _NUMBER.search(rest)) and (postcode or m.start() > 0):
        nummer = int(m.group(1))
        letter = m.group(2).upper() if m.group(2) else None
        toevoeging = m.group(3).upper() if m.group(3) else None
        rest = rest[:m.start()].strip()
    if nummer == 0:
        nummer = None
    return Zoekvraag(postcode, nummer, letter, toevoeging, rest.strip())


_ADRES_LABEL = ("a.straatnaam || ' ' || a.huisnummer || coalesce(a.huisletter, '') "
                "|| coalesce('-' || a.toevoeging, '') || ', ' || a.postcode || ' ' || a.woonplaats")
_PUNT = "ST_Y(ST_Transform({g}, 4326)), ST_X(ST_Transform({g}, 4326))"
_BBOX = "ST_XMin({e}), ST_YMin({e}), ST_XMax({e}), ST_YMax({e})"


_W = "kaart_zoektekst(CAST(:w AS text))"  # folded to a constant when the plan is made


def _zonder(column: str) -> str:
    """A name's stored copy without accents or capitals (migration 0012), which the trigram
    index holds: `naam` -> `naam_zoek`."""
    return f"{column}_zoek"


def _match(column: str) -> str:
    """Word similarity (a prefix, a word) or whole-name similarity (a typo), by the index."""
    return f"({_W} <% {_zonder(column)} OR {_W} % {_zonder(column)})"


def _score(column: str) -> str:
    """The mean of word and whole-name similarity: a whole name beats one that contains it."""
    return f"(word_similarity({_W}, {_zonder(column)}) + similarity({_W}, {_zonder(column)})) / 2"


# Each branch gives: soort, id, label, lat, lon, west, south, east, north, url, tier, score,
# kind, rang (the order of addresses along a street).
# tier orders first (0 exact address, 1 other address at that number or postcode, 2 the rest);
# then the score in bands of 0.1 (the mean of word and whole-name similarity, so a whole name
# beats a name that only contains it), then the kind (street, place, groenvak/voorziening).
_ADRES = f"""
(SELECT 'adres', a.id, {_ADRES_LABEL}, {_PUNT.format(g='a.geometrie')},
        NULL::float8, NULL::float8, NULL::float8, NULL::float8,
        '/v1/collections/adressen/items/' || a.id,
        CASE WHEN {{exact}} THEN 0 ELSE 1 END, {{score}}, 0,
        row_number() OVER (ORDER BY a.huisnummer, a.huisletter NULLS FIRST,
                           a.toevoeging NULLS FIRST, a.woonplaats, a.postcode, a.id)
   FROM adres a{{namen}}
  WHERE a.gemeente_code = :g AND {{where}}
  ORDER BY 11, 12 DESC, a.huisnummer, a.huisletter NULLS FIRST, a.toevoeging NULLS FIRST,
           a.woonplaats, a.postcode, a.id
  LIMIT :limit)"""

_STRAAT = f"""
(SELECT 'straat', min(s.id), s.naam || coalesce(', ' || s.woonplaats, ''),
        {_PUNT.format(g='ST_ClosestPoint(ST_Collect(s.geometrie), '
                        'ST_Centroid(ST_Collect(s.geometrie)))')},
        {_BBOX.format(e='ST_Transform(ST_Collect(s.geometrie), 4326)')},
        '/v1/collections/straten/items/' || min(s.id),
        2, {_score('s.naam')}, 1, 0::int8
   FROM straat s
  WHERE s.gemeente_code = :g AND {_match('s.naam')}
  GROUP BY s.naam, s.naam_zoek, s.woonplaats
  ORDER BY 12 DESC LIMIT :limit)"""

_GEBIED = f"""
(SELECT 'gebied', b.id,
        initcap(b.soort) || ' ' || b.naam || coalesce(' (' || p.naam || ')', ''),
        {_PUNT.format(g='ST_PointOnSurface(b.geometrie)')},
        {_BBOX.format(e='ST_Transform(b.geometrie, 4326)')},
        CASE coalesce(p.soort, b.soort) WHEN 'dorp' THEN '/dorpen/' ELSE '/wijken/' END
          || coalesce(p.code, b.code),
        2, {_score('b.naam')}, 2,
        (b.soort = 'buurt')::int::int8
   FROM gebied b LEFT JOIN gebied p ON p.id = b.parent_id
  WHERE b.gemeente_code = :g AND {_match('b.naam')}
  ORDER BY 12 DESC LIMIT :limit)"""

_GROENVAK = f"""
(SELECT 'groenvak', v.id, coalesce(v.naam, v.plaatsnaam, 'Groenvak') || ' (' || v.extern_id || ')',
        {_PUNT.format(g='ST_PointOnSurface(v.geometrie)')},
        {_BBOX.format(e='ST_Transform(v.geometrie, 4326)')},
        '/zelfbeheer/groenvak/' || v.id,
        2, CASE WHEN upper(v.extern_id) = upper(:w) THEN 1
                ELSE {_score('v.naam')} END, 3, 0::int8
   FROM groenvak v
  WHERE v.gemeente_code = :g AND v.vervallen_op IS NULL
    AND ({_match('v.naam')} OR upper(v.extern_id) = upper(:w))
  ORDER BY 12 DESC LIMIT :limit)"""

_VOORZIENING = f"""
(SELECT 'voorziening', z.id, z.naam || coalesce(', ' || z.plaats, ''),
        {_PUNT.format(g='z.geometrie')},
        NULL::float8, NULL::float8, NULL::float8, NULL::float8,
        '/voorzieningen/' || z.id,
        2, {_score('z.naam')}, 3, 0::int8
   FROM voorziening z
  WHERE z.gemeente_code = :g AND z.status = 'gepubliceerd' AND {_match('z.naam')}
  ORDER BY 12 DESC LIMIT :limit)"""


# The street names the words match, from the distinct names of the addresses (migration
# 0014): a few thousand names instead of every address, then (gemeente, straatnaam, huisnummer)
# by btree. Matching the addresses' own names first costs 15-40 ms in a town of 500,000.
_NAMEN = f"""
   JOIN (SELECT n.straatnaam, {_score('n.straatnaam')} AS score
           FROM adres_straatnaam n
          WHERE n.gemeente_code = :g AND {_match('n.straatnaam')}) n
     ON n.straatnaam = a.straatnaam"""


def _adres_branch(v: Zoekvraag) -> tuple[str, dict[str, object]]:
    """The address lookup for a postcode and/or a number, by btree or street trigrams."""
    where: list[str] = []
    params: dict[str, object] = {}
    if v.postcode:
        where.append("a.postcode = :pc")
        params["pc"] = v.postcode
    if v.huisnummer is not None:
        where.append("a.huisnummer = :nr")
        params["nr"] = v.huisnummer
    exact = ("a.huisletter IS NOT DISTINCT FROM :letter "
             "AND a.toevoeging IS NOT DISTINCT FROM :toev") if v.huisnummer is not None else "false"
    params |= {"letter": v.huisletter, "toev": v.toevoeging}
    score = "n.score" if v.woorden else "1.0::real"
    namen = _NAMEN if v.woorden else ""
    return _ADRES.format(exact=exact, score=score, namen=namen, where=" AND ".join(where)), params


def zoek(session: Session, gemeente_code: str, q: str, limit: int = 10) -> list[Zoekresultaat]:
    """The best `limit` places in the gemeente for a search text, best first."""
    vraag = ontleed(q)
    limit = max(1, min(limit, MAX_LIMIT))
    branches: list[str] = []
    params: dict[str, object] = {"g": gemeente_code, "limit": limit, "w": vraag.woorden}
    if vraag.postcode or (vraag.huisnummer is not None and vraag.woorden):
        sql, extra = _adres_branch(vraag)
        branches.append(sql)
        params |= extra
    if vraag.woorden:
        branches += [_STRAAT, _GEBIED, _GROENVAK, _VOORZIENING]
    if not branches:
        return []
    sql = ("SELECT * FROM (" + " UNION ALL ".join(branches) + ") AS r(soort, id, label, lat, lon, "
           "w, s, e, n, url, tier, score, kind, rang) "
           "ORDER BY tier, round(score::numeric, 1) DESC, kind, score DESC, rang, label "
           "LIMIT :limit")
    rows = session.execute(text(sql), params).all()
    return [Zoekresultaat(r[0], r[1], r[2], r[3], r[4],
                          None if r[5] is None else (r[5], r[6], r[7], r[8]), r[9])
            for r in rows]


@dataclass(frozen=True)
class GroenvakDichtbij:
    """A groenvak near an address: what a resident needs to choose one."""

    id: int
    naam: str
    status: str
    oppervlakte_m2: float
    afstand_m: float


def groenvakken_dichtbij(session: Session, gemeente_code: str, adres_id: int,
                         straal_m: float = 100, limit: int = 10) -> list[GroenvakDichtbij] | None:
    """The groenvakken within `straal_m` of an address, nearest first; None: no such address.

    ST_DWithin narrows by the GiST index, `<->` orders by true distance."""
    rows = session.execute(text("""
        SELECT v.id, coalesce(v.naam, v.plaatsnaam, initcap(v.soort) || ' ' || v.extern_id),
               s.status,
               v.oppervlakte_m2, ST_Distance(v.geometrie, a.geometrie)
          FROM adres a
          LEFT JOIN groenvak v ON v.gemeente_code = a.gemeente_code
           AND ST_DWithin(v.geometrie, a.geometrie, :straal) AND v.vervallen_op IS NULL
          LEFT JOIN groenvak_status s ON s.groenvak_id = v.id
         WHERE a.gemeente_code = :g AND a.id = :id
         ORDER BY v.geometrie <-> a.geometrie, v.id LIMIT :limit"""),
        {"g": gemeente_code, "id": adres_id, "straal": straal_m, "limit": limit}).all()
    if not rows:
        return None
    return [GroenvakDichtbij(r[0], r[1], r[2], r[3], r[4]) for r in rows if r[0] is not None]


def adres_punt(session: Session, gemeente_code: str, adres_id: int) -> tuple[float, float] | None:
    """Latitude and longitude of an address, or None."""
    row = session.execute(text(f"SELECT {_PUNT.format(g='geometrie')} FROM adres "
                               "WHERE gemeente_code = :g AND id = :id"),
                          {"g": gemeente_code, "id": adres_id}).first()
    return None if row is None else (row[0], row[1])

"""Every wijk and dorp side by side: a sortable table per figure, a bar chart, and a CSV."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep
from app.api.site.getallen import euro, getal, meter, procent
from app.api.site.staafgrafiek import staafgrafiek
from app.services import gebieden as gebieden_svc
from app.services.gebieden import alle_kengetallen

router = APIRouter(include_in_schema=False)

NEUTRAAL = "#1d5c8c"
PAD = {"wijk": "wijken", "dorp": "dorpen"}


def opmaak(kolom: gebieden_svc.Kolom, waarde: gebieden_svc.Waarde) -> str:
    """A value in the Dutch way for its unit; a dash when it is unknown."""
    if waarde is None or isinstance(waarde, str):
        return "–" if waarde is None else waarde
    if kolom.eenheid == "getal1":
        return getal(waarde, 1)
    if kolom.eenheid == "meter":
        return meter(waarde)
    if kolom.eenheid == "aandeel":
        return procent(waarde)
    if kolom.eenheid == "procent":
        return procent(waarde / 100, 1)
    if kolom.eenheid == "m2":
        return f"{getal(waarde)} m²"
    if kolom.eenheid == "euro":
        return euro(waarde)
    return getal(waarde)


MAXIMUM = {"aandeel": 1.0, "procent": 100.0}


@router.get("/wijken", response_class=HTMLResponse)
def wijken(request: Request, session: SessionDep, templates: TemplatesDep, gemeente: GemeenteDep,
           settings: SettingsDep, maat: str = Query("aantal", max_length=40),
           sort: str = Query("naam", max_length=60),
           richting: str = Query("op", max_length=4),
           grafiek: str = Query("", max_length=60)) -> HTMLResponse:
    """Wijken and dorpen compared on one figure; sort by any column, one column as bars."""
    fouten: dict[str, str] = {}
    if maat not in gebieden_svc.MAAT_LABELS:
        fouten["maat"] = "Dit kengetal bestaat niet; kies er een uit de lijst."
        maat = "aantal"
    gebieden = alle_kengetallen(session, gemeente.code,
                                loopsnelheid_kmh=settings.loopsnelheid_kmh)
    kolommen = gebieden_svc.kolommen(maat, gebieden)
    per_sleutel = {k.sleutel: k for k in kolommen}
    sorteer_kolom = per_sleutel.get(sort, kolommen[0])
    oplopend = richting != "af"
    rijen = gebieden_svc.sorteer(gebieden, sorteer_kolom, oplopend)
    numeriek = [k for k in kolommen if k.numeriek and k.sleutel != "inwoners"]
    standaard = sorteer_kolom if sorteer_kolom.numeriek else (numeriek[0] if numeriek else None)
    grafiek_kolom = per_sleutel.get(grafiek) or standaard
    chart = None
    if grafiek_kolom is not None and rijen:
        chart = staafgrafiek(
            f"{grafiek_kolom.label} per wijk en dorp"
            + ("" if grafiek_kolom.sleutel.startswith(("zb_", "inwoners"))
               else f": {gebieden_svc.MAAT_LABELS[maat].lower()}"),
            grafiek_kolom.kleur or NEUTRAAL,
            [(k.naam, _getal(grafiek_kolom.waarde(k)), opmaak(grafiek_kolom,
                                                            grafiek_kolom.waarde(k)))
             for k in rijen],
            MAXIMUM.get(grafiek_kolom.eenheid))

    def sorteer_url(sleutel: str) -> str:
        nieuw = "af" if sleutel == sorteer_kolom.sleutel and oplopend else "op"
        return "/wijken?" + urlencode({"maat": maat, "sort": sleutel, "richting": nieuw})

    return templates.TemplateResponse(request, "pages/wijken.html", {
        "gemeente": gemeente, "maat": maat, "maten": gebieden_svc.MAAT_LABELS, "kolommen": kolommen,
        "rijen": rijen, "sorteer_kolom": sorteer_kolom, "oplopend": oplopend,
        "sorteer_url": sorteer_url, "grafiek_kolom": grafiek_kolom, "grafiek": chart,
        "numeriek": numeriek, "opmaak": opmaak, "pad": PAD, "fouten": fouten,
        "berekend_op": max((k.berekend_op for k in gebieden), default=None),
        "over_de_weg": any(k.over_de_weg for k in gebieden),
        "loopsnelheid": f"{settings.loopsnelheid_kmh:g}".replace(".", ",")},
        status_code=400 if fouten else 200)


def _getal(waarde: gebieden_svc.Waarde) -> float | None:
    return None if waarde is None or isinstance(waarde, str) else float(waarde)


@router.get("/wijken.csv")
def wijken_csv(session: SessionDep, gemeente: GemeenteDep, settings: SettingsDep) -> Response:
    """All figures of all wijken and dorpen for a spreadsheet: UTF-8 with BOM, ';', decimal
    comma — what Excel with Dutch settings opens correctly with a double click."""
    body = "\ufeff" + gebieden_svc.csv_tekst(alle_kengetallen(
        session, gemeente.code, loopsnelheid_kmh=settings.loopsnelheid_kmh))
    naam = f"kengetallen-wijken-en-dorpen-{gemeente.code}.csv"
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{naam}"'})

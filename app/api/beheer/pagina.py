"""Shared by the Beheer pages and their forms: who may enter, Dutch labels, the two file pages.

The adoptie and groenvak pages are rendered from here both on GET and when a form on them is
refused, so an error always appears on the page the form was on, next to its field.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from app.api.account import RequireStaff
from app.api.common import (
    ADOPTIE_STATUS_LABEL,
    DEELNAME_LABEL,
    GROENVAK_STATUS_LABEL,
    ROL_LABEL,
    UITKOMST_LABEL,
    GemeenteDep,
    SettingsDep,
    TemplatesDep,
    dag,
    kaart_settings,
    moment,
)
from app.config import Settings
from app.errors import Forbidden
from app.geo.maps import MapParts
from app.geo.plot_map import groenvak_map
from app.models import Gebruiker, Gemeente
from app.services import zelfbeheer
from app.services.zelfbeheer import adoptie_ophalen, groenvak_ophalen

ANDERE_GEMEENTE = "U bent medewerker van een andere gemeente en kunt hier niets inzien of doen."

STATUS_LABEL = ADOPTIE_STATUS_LABEL

# ?melding=<key> after POST/redirect/GET: fixed texts, the query string is never echoed.
MELDINGEN = {
    "goedgekeurd": "De aanvraag is goedgekeurd. De groep krijgt bericht per e-mail.",
    "afgewezen": "De aanvraag is afgewezen. De groep krijgt de reden per e-mail.",
    "beeindigd": "Het zelfbeheer is beëindigd. De groep krijgt bericht per e-mail.",
    "schouw": "De schouw is vastgelegd.",
    "schouw-beeindigd": "De schouw is vastgelegd en het zelfbeheer is beëindigd.",
    "geschikt": "Het groenvak is gemarkeerd als geschikt voor zelfbeheer.",
    "niet-geschikt": "Het groenvak is gemarkeerd als niet geschikt voor zelfbeheer.",
}
# The adoptie page shows a form only in the status it applies to; its fields' errors go with it.
FORMULIEREN = {"beoordelen": ("aangevraagd", ("besluit", "toelichting", "voorwaarden_extra",
                                              "einddatum")),
               "beeindigen": ("actief", ("reden",)),
               "schouw": ("actief", ("uitkomst", "notitie"))}


def staff_here(user: RequireStaff, gemeente: GemeenteDep) -> Gebruiker:
    """Staff of this site's gemeente only: a login from another gemeente sees no names here."""
    if user.gemeente_code != gemeente.code:
        raise Forbidden(ANDERE_GEMEENTE)
    return user


StaffHere = Annotated[Gebruiker, Depends(staff_here)]


def historie_tekst(actie: str, object_type: str) -> str:
    """An audit action in words: 'status:aangevraagd->actief' becomes 'Aangevraagd → Actief'."""
    soort, _, wijziging = actie.partition(":")
    voor, pijl, na = wijziging.partition("->")
    if soort == "status" and pijl:
        return f"{STATUS_LABEL.get(voor, voor.capitalize())} → {STATUS_LABEL.get(na, na)}"
    if soort == "deelname" and pijl:
        van, naar = DEELNAME_LABEL.get(voor, voor), DEELNAME_LABEL.get(na, na)
        return f"Lid: {van.lower()} → {naar.lower()}"
    if soort == "rol" and pijl:
        return (f"Contactpersoon gewisseld ({ROL_LABEL.get(voor, voor).lower()} → "
                f"{ROL_LABEL.get(na, na).lower()})")
    if actie == "aangemaakt":
        return "Aangemaakt" if object_type == "adoptie" else "Lid toegevoegd"
    return actie


def _labels() -> dict[str, object]:
    """What every Beheer template uses to show codes as Dutch words."""
    return {"status_label": STATUS_LABEL, "uitkomst_label": UITKOMST_LABEL,
            "groenvak_label": GROENVAK_STATUS_LABEL, "deelname_label": DEELNAME_LABEL,
            "rol_label": ROL_LABEL, "moment": moment, "dag": dag,
            "historie_tekst": historie_tekst}


def pagina(request: Request, templates: TemplatesDep, naam: str, gemeente: Gemeente,
           status_code: int = 200, **context: object) -> HTMLResponse:
    """One Beheer page; never cached by a shared cache, as it carries personal data."""
    response = templates.TemplateResponse(
        request, f"pages/beheer/{naam}", {"gemeente": gemeente, **_labels(), **context},
        status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _kaart(settings: Settings, geojson: str | None) -> MapParts | None:
    """The plot on a small map, or None when it has no usable outline."""
    if not geojson:
        return None
    return groenvak_map(geojson, settings.basemap_url, settings.basemap_attributie)


def _zonder_formulier(status: str, fouten: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Split off errors of forms this status does not show (e.g. a request decided meanwhile),
    so they appear on top instead of pointing at a field that is not there."""
    bij_veld: dict[str, str] = {}
    los: list[str] = []
    for veld, tekst in fouten.items():
        formulier = next((naam for naam, (_, velden) in FORMULIEREN.items()
                          if veld == naam or veld in velden), None)
        if formulier is not None and FORMULIEREN[formulier][0] != status:
            los.append(tekst)
        else:
            bij_veld[veld] = tekst
    return bij_veld, los


def adoptie_pagina(request: Request, session: Session, templates: TemplatesDep,
                   settings: SettingsDep, gemeente: Gemeente, user: Gebruiker, adoptie_id: int,
                   fouten: dict[str, str] | None = None, waarden: dict[str, str] | None = None,
                   melding: str | None = None, status_code: int = 200) -> HTMLResponse:
    """One adoptie's file with the forms that fit its status."""
    adoptie = adoptie_ophalen(session, gemeente.code, adoptie_id)
    groenvak = groenvak_ophalen(session, gemeente.code, adoptie.groenvak_id)
    feiten = zelfbeheer.groenvak_feiten(session, user, groenvak)
    fouten, los = _zonder_formulier(adoptie.status, fouten or {})
    return pagina(request, templates, "adoptie.html", gemeente, status_code, a=adoptie,
                  g=feiten, d=zelfbeheer.adoptie_dossier(session, user, adoptie),
                  kaart=_kaart(kaart_settings(request, session, settings, gemeente.code),
                               feiten["geojson"]), fouten=fouten, los=los,
                  waarden=waarden or {}, melding=melding)


def groenvak_pagina(request: Request, session: Session, templates: TemplatesDep,
                    settings: SettingsDep, gemeente: Gemeente, user: Gebruiker, groenvak_id: int,
                    fouten: dict[str, str] | None = None, melding: str | None = None,
                    status_code: int = 200) -> HTMLResponse:
    """One groenvak's facts, its adopties and the switch for zelfbeheer."""
    groenvak = groenvak_ophalen(session, gemeente.code, groenvak_id)
    feiten = zelfbeheer.groenvak_feiten(session, user, groenvak)
    return pagina(request, templates, "groenvak.html", gemeente, status_code, g=feiten,
                  kaart=_kaart(kaart_settings(request, session, settings, gemeente.code),
                               feiten["geojson"]), fouten=fouten or {},
                  melding=melding)

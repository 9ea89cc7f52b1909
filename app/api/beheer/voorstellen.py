"""Beheer: the queue of residents' proposals; accept (edited if need be) or reject with a reason.

Staff only, CSRF on every POST. Accepting publishes through voorziening_writes (the API's write
path, with audit rows); the proposer gets a mail both ways.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import text
from sqlmodel import Session

from app.api import voorstellen as vf  # the shared voorziening form
from app.api.account import CsrfProtect, site_url
from app.api.beheer.pagina import StaffHere
from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep, moment
from app.config import Settings
from app.errors import Conflict, InvalidInput
from app.models import Gebruiker, Gemeente, Voorstel
from app.services import voorzieningen
from app.services.voorzieningen import TEKSTVELDEN

router = APIRouter(include_in_schema=False)

WACHTRIJ = "/beheer/voorstellen"
MELDINGEN = {"geaccepteerd": "Het voorstel is geaccepteerd en staat op de kaart. De indiener "
                             "krijgt bericht per e-mail.",
             "afgewezen": "Het voorstel is afgewezen. De indiener krijgt de reden per e-mail."}
LABELS = {"naam": "Naam", "categorie": "Categorie", "omschrijving": "Omschrijving",
          "adres": "Adres", "postcode": "Postcode", "plaats": "Plaats", "telefoon": "Telefoon",
          "email": "E-mail", "website": "Website", "openingstijden": "Openingstijden"}


def _vergelijking(session: Session, gemeente: Gemeente, voorstel: Voorstel) -> dict[str, object]:
    """For a correction: each field now and as proposed, and how far the place would move."""
    if voorstel.soort != "correctie" or not voorstel.voorziening_id:
        return {}
    huidig = voorzieningen.voorziening_formulierwaarden(session, voorstel.voorziening_id)
    namen = {str(i): n for i, n, _ in voorzieningen.voorziening_categorieen(session, gemeente.code)}
    regels = []
    for veld in (*TEKSTVELDEN, "categorie"):
        nu, straks = huidig.get(veld, ""), str(voorstel.gegevens.get(veld, ""))
        if veld == "categorie":
            nu, straks = namen.get(nu, nu), namen.get(straks, straks)
        regels.append({"label": LABELS[veld], "nu": nu, "straks": straks,
                       "anders": nu != straks})
    afstand = session.execute(text(
        "SELECT round(ST_Distance(s.geometrie, v.geometrie)::numeric, 1) FROM voorstel s "
        "JOIN voorziening v ON v.id = s.voorziening_id WHERE s.id = :id"),
        {"id": voorstel.id}).scalar()
    return {"regels": regels, "afstand": afstand, "huidige_naam": huidig["naam"]}


def _pagina(request: Request, session: Session, templates: TemplatesDep, settings: Settings,
            gemeente: Gemeente, voorstel_id: int, waarden: dict[str, str] | None = None,
            fouten: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    """One proposal: what was proposed, and the forms to decide."""
    voorstel = voorzieningen.voorstel_ophalen(session, gemeente.code, voorstel_id)
    indiener = session.get(Gebruiker, voorstel.gebruiker_id) if voorstel.gebruiker_id else None
    waarden = waarden or voorzieningen.voorstel_formulierwaarden(session, voorstel)
    ctx = vf.context(session, settings, gemeente, waarden, fouten or {},
                     s=voorstel, indiener=indiener,
                     vergelijking=_vergelijking(session, gemeente, voorstel))
    if voorstel.status != "ingediend":
        ctx["kaart"] = None
    else:
        ctx["controle"] = voorzieningen.in_de_buurt(session, voorstel)
    return vf.toon(request, templates, "pages/beheer/voorstel.html", ctx, status_code)


@router.get(WACHTRIJ, response_class=HTMLResponse)
def wachtrij(request: Request, session: SessionDep, templates: TemplatesDep,
             gemeente: GemeenteDep, user: StaffHere, melding: str = "") -> HTMLResponse:
    """Open proposals, oldest first."""
    ctx = {"gemeente": gemeente, "regels": voorzieningen.wachtrij(session, gemeente.code),
           "melding": MELDINGEN.get(melding), "kaart": None, "moment": moment}
    return vf.toon(request, templates, "pages/beheer/voorstellen.html", ctx)


@router.get(f"{WACHTRIJ}/{{voorstel_id}}", response_class=HTMLResponse)
def voorstel(voorstel_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
             settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere) -> HTMLResponse:
    """The proposal, prefilled in an editable form."""
    return _pagina(request, session, templates, settings, gemeente, voorstel_id)


@router.post(f"{WACHTRIJ}/{{voorstel_id}}/accepteren", dependencies=[CsrfProtect])
def accepteren(voorstel_id: int, request: Request, session: SessionDep,
               templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
               user: StaffHere, formulier: vf.Formulier) -> Response:
    """Publish the proposal as edited here; mail the proposer."""
    gevonden = voorzieningen.voorstel_ophalen(session, gemeente.code, voorstel_id)
    try:
        fouten = voorzieningen.accepteren(session, user, gevonden,
                                          vf.invoer(formulier, staff=True), site_url(request))
    except Conflict as exc:
        fouten = {"formulier": str(exc)}
    if fouten:
        session.rollback()
        return _pagina(request, session, templates, settings, gemeente, voorstel_id,
                       formulier, fouten, 409 if "formulier" in fouten else 400)
    session.commit()
    return RedirectResponse(f"{WACHTRIJ}?melding=geaccepteerd", status_code=303)


@router.post(f"{WACHTRIJ}/{{voorstel_id}}/afwijzen", dependencies=[CsrfProtect])
def afwijzen(voorstel_id: int, request: Request, session: SessionDep,
             templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
             user: StaffHere, formulier: vf.Formulier) -> Response:
    """Reject; the reason is required and goes to the proposer."""
    gevonden = voorzieningen.voorstel_ophalen(session, gemeente.code, voorstel_id)
    reden = formulier.get("reden", "")
    fouten: dict[str, str] = {}
    if len(reden) > voorzieningen.MAX_TOELICHTING:
        fouten["reden"] = f"Gebruik hoogstens {voorzieningen.MAX_TOELICHTING} tekens."
    else:
        try:
            voorzieningen.afwijzen(session, user, gevonden, reden, site_url(request))
        except InvalidInput as exc:
            fouten["reden"] = str(exc)
        except Conflict as exc:
            fouten["formulier"] = str(exc)
    if fouten:
        session.rollback()
        return _pagina(request, session, templates, settings, gemeente, voorstel_id,
                       {**voorzieningen.voorstel_formulierwaarden(session, gevonden),
                        "reden": reden},
                       fouten, 409 if "formulier" in fouten else 400)
    session.commit()
    return RedirectResponse(f"{WACHTRIJ}?melding=afgewezen", status_code=303)

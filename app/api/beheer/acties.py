"""The Beheer forms: decide on a request, end an adoptie, record a schouw, mark a groenvak.

Each POST checks its fields first (a Dutch message per field, 400), then lets the service apply
the domain rules; a refusal re-renders the page with the message next to the field it concerns
and the service's status (400/403/409). Success commits and redirects (POST/redirect/GET).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.api.account import CsrfProtect
from app.api.beheer.pagina import StaffHere, adoptie_pagina, groenvak_pagina
from app.api.common import GemeenteDep, SessionDep, SettingsDep, TemplatesDep
from app.errors import DomainError, NotFound, status_for
from app.services import zelfbeheer
from app.services.zelfbeheer import adoptie_ophalen, groenvak_ophalen

router = APIRouter(include_in_schema=False)

Veld = Annotated[str, Form()]
MAX_TEKST = 2000
MAX_VOORWAARDEN = 4000
# Which field a service message is about, by its words; otherwise the whole form.
BEOORDELEN_VELDEN = {"einddatum": ("einddatum",), "toelichting": ("reden",)}
BEEINDIGEN_VELDEN = {"reden": ("reden",)}
SCHOUW_VELDEN = {"uitkomst": ("uitkomst",), "notitie": ("reden",)}


def _veld(message: str, velden: Mapping[str, tuple[str, ...]], formulier: str) -> str:
    """The field a refusal belongs next to, or the form's own key."""
    lower = message.lower()
    for name, words in velden.items():
        if any(word in lower for word in words):
            return name
    return formulier


def _te_lang(fouten: dict[str, str], veld: str, waarde: str, grens: int = MAX_TEKST) -> None:
    """A textarea's limit, checked here because the database would refuse it less kindly."""
    if len(waarde) > grens:
        fouten[veld] = f"Gebruik hoogstens {grens} tekens (nu {len(waarde)})."


def _uitvoeren(session: Session, fouten: dict[str, str], actie: Callable[[], object],
               velden: Mapping[str, tuple[str, ...]], formulier: str) -> int:
    """Run the service unless the fields are wrong; the HTTP status to answer with."""
    if fouten:
        return 400
    try:
        actie()
    except NotFound:
        raise
    except DomainError as exc:
        session.rollback()
        fouten[_veld(str(exc), velden, formulier)] = str(exc)
        return status_for(exc)
    session.commit()
    return 303


def _terug(adoptie_id: int, melding: str) -> RedirectResponse:
    """Back to the adoptie with a fixed message key."""
    return RedirectResponse(f"/beheer/adopties/{adoptie_id}?melding={melding}", status_code=303)


@router.post("/beheer/adopties/{adoptie_id}/beoordelen", dependencies=[CsrfProtect])
def beoordelen(adoptie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
               settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere,
               besluit: Veld = "", toelichting: Veld = "", voorwaarden_extra: Veld = "",
               einddatum: Veld = "") -> Response:
    """Approve (optional extra conditions and end date) or reject (with a reason)."""
    adoptie = adoptie_ophalen(session, gemeente.code, adoptie_id)
    waarden = {"besluit": besluit, "toelichting": toelichting,
               "voorwaarden_extra": voorwaarden_extra, "einddatum": einddatum}
    fouten: dict[str, str] = {}
    goedkeuren = besluit == "goedkeuren"
    if besluit not in ("goedkeuren", "afwijzen"):
        fouten["besluit"] = "Kies of u de aanvraag goedkeurt of afwijst."
    elif not goedkeuren and not toelichting.strip():
        fouten["toelichting"] = ("Geef de reden van de afwijzing; de groep krijgt die per "
                                 "e-mail.")
    eind: date | None = None
    if goedkeuren and einddatum.strip():
        try:
            eind = date.fromisoformat(einddatum.strip())
        except ValueError:
            fouten["einddatum"] = "Vul een geldige datum in, bijvoorbeeld 31-12-2027."
    _te_lang(fouten, "toelichting", toelichting)
    _te_lang(fouten, "voorwaarden_extra", voorwaarden_extra, MAX_VOORWAARDEN)
    status = _uitvoeren(session, fouten, lambda: zelfbeheer.beoordelen(
        session, user, adoptie, goedkeuren, toelichting,
        voorwaarden_extra if goedkeuren else None, eind), BEOORDELEN_VELDEN, "beoordelen")
    if status == 303:
        return _terug(adoptie_id, "goedgekeurd" if goedkeuren else "afgewezen")
    return adoptie_pagina(request, session, templates, settings, gemeente, user, adoptie_id,
                          fouten, waarden, status_code=status)


@router.post("/beheer/adopties/{adoptie_id}/beeindigen", dependencies=[CsrfProtect])
def beeindigen(adoptie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
               settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere,
               reden: Veld = "") -> Response:
    """End a running adoptie on behalf of the gemeente, always with a reason."""
    adoptie = adoptie_ophalen(session, gemeente.code, adoptie_id)
    fouten: dict[str, str] = {}
    if not reden.strip():
        fouten["reden"] = "Geef de reden van het beëindigen; de groep krijgt die per e-mail."
    _te_lang(fouten, "reden", reden)
    status = _uitvoeren(session, fouten, lambda: zelfbeheer.beeindigen(session, user, adoptie,
                                                                       reden),
                        BEEINDIGEN_VELDEN, "beeindigen")
    if status == 303:
        return _terug(adoptie_id, "beeindigd")
    return adoptie_pagina(request, session, templates, settings, gemeente, user, adoptie_id,
                          fouten, {"reden": reden}, status_code=status)


@router.post("/beheer/adopties/{adoptie_id}/schouw", dependencies=[CsrfProtect])
def schouw(adoptie_id: int, request: Request, session: SessionDep, templates: TemplatesDep,
           settings: SettingsDep, gemeente: GemeenteDep, user: StaffHere,
           uitkomst: Veld = "", notitie: Veld = "") -> Response:
    """Record an inspection; an attention point or an end needs a note the group can read."""
    adoptie = adoptie_ophalen(session, gemeente.code, adoptie_id)
    fouten: dict[str, str] = {}
    if uitkomst not in zelfbeheer.UITKOMSTEN:
        fouten["uitkomst"] = "Kies de uitkomst van de schouw."
    elif uitkomst == "aandachtspunt" and not notitie.strip():
        fouten["notitie"] = "Beschrijf het aandachtspunt; de groep krijgt het per e-mail."
    elif uitkomst == "beeindigen" and not notitie.strip():
        fouten["notitie"] = "Geef de reden van het beëindigen; de groep krijgt die per e-mail."
    _te_lang(fouten, "notitie", notitie)
    status = _uitvoeren(session, fouten, lambda: zelfbeheer.schouw_vastleggen(
        session, user, adoptie, uitkomst, notitie), SCHOUW_VELDEN, "schouw")
    if status == 303:
        return _terug(adoptie_id, "schouw-beeindigd" if uitkomst == "beeindigen" else "schouw")
    return adoptie_pagina(request, session, templates, settings, gemeente, user, adoptie_id,
                          fouten, {"uitkomst": uitkomst, "notitie": notitie},
                          status_code=status)


@router.post("/beheer/groenvakken/{groenvak_id}/geschiktheid", dependencies=[CsrfProtect])
def geschiktheid(groenvak_id: int, request: Request, session: SessionDep,
                 templates: TemplatesDep, settings: SettingsDep, gemeente: GemeenteDep,
                 user: StaffHere, mogelijk: Veld = "", adoptie_id: Veld = "") -> Response:
    """Mark a groenvak (not) suitable for zelfbeheer; back to the page the form was on."""
    groenvak = groenvak_ophalen(session, gemeente.code, groenvak_id)
    terug = int(adoptie_id) if adoptie_id.isdigit() and len(adoptie_id) < 12 else None
    if terug is not None and adoptie_ophalen(session, gemeente.code,
                                             terug).groenvak_id != groenvak_id:
        terug = None  # only ever back to an adoptie of this plot
    fouten: dict[str, str] = {}
    if mogelijk not in ("ja", "nee"):
        fouten["mogelijk"] = "Kies of het groenvak geschikt is voor zelfbeheer (ja of nee)."
    status = _uitvoeren(session, fouten, lambda: zelfbeheer.geschiktheid_zetten(
        session, user, groenvak, mogelijk == "ja"), {}, "mogelijk")
    melding = "geschikt" if mogelijk == "ja" else "niet-geschikt"
    if status == 303:
        if terug is not None:
            return _terug(terug, melding)
        return RedirectResponse(f"/beheer/groenvakken/{groenvak_id}?melding={melding}",
                                status_code=303)
    if terug is not None:
        return adoptie_pagina(request, session, templates, settings, gemeente, user, terug,
                              fouten, status_code=status)
    return groenvak_pagina(request, session, templates, settings, gemeente, user, groenvak_id,
                           fouten, status_code=status)

"""The Dutch account mails, in one place; they never contain the resident's name."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlmodel import Session

from app.models import Gemeente
from app.services import mail
from app.services.accounts.tokens import GELDIGHEID

GROET = "Met vriendelijke groet,\n\nGemeente {gemeente}"
NIET_U = ("Heeft u dit niet zelf gedaan? Dan kunt u deze mail negeren; er verandert dan "
          "niets.")

TEXTS: dict[str, tuple[str, str]] = {
    "verificatie": (
        "Bevestig uw e-mailadres voor de Voorzieningenkaart",
        "Met dit e-mailadres is een account aangemaakt op de Voorzieningenkaart van gemeente "
        "{gemeente}.\n\nBevestig uw e-mailadres met deze link ({geldig} geldig):\n{link}\n\n"
        + NIET_U),
    "wachtwoord": (
        "Nieuw wachtwoord voor de Voorzieningenkaart",
        "U heeft gevraagd om een nieuw wachtwoord voor uw account op de Voorzieningenkaart van "
        "gemeente {gemeente}.\n\nKies een nieuw wachtwoord met deze link ({geldig} geldig, één "
        "keer te gebruiken):\n{link}\n\n" + NIET_U),
    "email_wijziging": (
        "Bevestig uw nieuwe e-mailadres voor de Voorzieningenkaart",
        "U wilt dit e-mailadres gebruiken voor uw account op de Voorzieningenkaart van gemeente "
        "{gemeente}.\n\nBevestig de wijziging met deze link ({geldig} geldig):\n{link}\n\n"
        "Tot u bevestigt, blijft uw oude e-mailadres in gebruik. " + NIET_U),
    "bestaat_al": (
        "Er is al een account met uw e-mailadres",
        "Iemand probeerde met dit e-mailadres een account aan te maken of een account naar dit "
        "adres over te zetten, op de Voorzieningenkaart van gemeente {gemeente}. Er bestaat al "
        "een account met dit adres.\n\nWas u dat? Log dan in op {site}/inloggen. Wachtwoord "
        "vergeten? Vraag een nieuw aan op {site}/wachtwoord-vergeten.\n\n" + NIET_U),
    "email_gewijzigd": (
        "Uw e-mailadres voor de Voorzieningenkaart is gewijzigd",
        "Het e-mailadres van uw account op de Voorzieningenkaart van gemeente {gemeente} is "
        "gewijzigd. Mail over uw account gaat voortaan naar het nieuwe adres.\n\nHeeft u dit "
        "niet zelf gedaan? Neem dan contact op met de gemeente."),
    "wachtwoord_gewijzigd": (
        "Uw wachtwoord voor de Voorzieningenkaart is gewijzigd",
        "Het wachtwoord van uw account op de Voorzieningenkaart van gemeente {gemeente} is "
        "gewijzigd. Op alle apparaten moet u opnieuw inloggen.\n\nHeeft u dit niet zelf gedaan? "
        "Vraag dan meteen een nieuw wachtwoord aan op {site}/wachtwoord-vergeten."),
}

PATHS = {"verificatie": "/account/bevestigen/", "wachtwoord": "/wachtwoord-herstellen/",
         "email_wijziging": "/account/email/bevestigen/"}


def link(site_url: str, soort: str, token: str, volgende: str = "") -> str:
    """The absolute link in a mail; site_url comes from settings, never from a Host header.
    `volgende` (a local path the caller checked) brings the reader back where they started."""
    terug = f"?{urlencode({'volgende': volgende})}" if volgende else ""
    return f"{site_url.rstrip('/')}{PATHS[soort]}{token}{terug}"


def send(session: Session, gemeente_code: str, aan: str, soort: str, site_url: str,
         token: str | None = None, volgende: str = "") -> None:
    """Queue one account mail in the caller's transaction."""
    gemeente = session.get(Gemeente, gemeente_code)
    naam = gemeente.naam if gemeente else gemeente_code
    onderwerp, body = TEXTS[soort]
    tekst = body.format(gemeente=naam, geldig=GELDIGHEID.get(soort, ""),
                        link=link(site_url, soort, token, volgende) if token else "",
                        site=site_url.rstrip("/"))
    mail.enqueue(session, gemeente_code, aan, onderwerp,
                 f"Goedendag,\n\n{tekst}\n\n{GROET.format(gemeente=naam)}\n")

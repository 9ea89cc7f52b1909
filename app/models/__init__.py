"""SQLModel tables, one module per aggregate; the schema itself is in migrations/."""

from app.models.adoptie import Adoptie, Deelname, Foto, Onderhoud, Schouw
from app.models.audit import AuditLog, LaagVersie, MailOutbox
from app.models.gebied import Categorie, Gebied, Gemeente
from app.models.gebruiker import ApiSleutel, Gebruiker, LoginPoging, Sessie, Token
from app.models.geografie import Adres, AdresStraatnaam, Pand, Straat, Terrein, Water
from app.models.groenvak import Groenvak
from app.models.kengetal import BebouwdeKom, KengetalCache, KengetalVuil
from app.models.netwerk import (
    AdresAansluiting,
    AdresAfstand,
    AfstandStand,
    Knoop,
    NetwerkRand,
    NetwerkStand,
)
from app.models.taak import Taak
from app.models.voorziening import Voorstel, Voorziening

__all__ = ["Adoptie", "Adres", "AdresAansluiting", "AdresAfstand", "AdresStraatnaam",
           "AfstandStand", "ApiSleutel", "AuditLog", "BebouwdeKom", "Categorie", "Deelname",
           "Foto", "Gebied", "Gebruiker", "Gemeente", "Groenvak", "KengetalCache",
           "KengetalVuil", "Knoop", "LaagVersie", "LoginPoging", "MailOutbox", "NetwerkRand",
           "NetwerkStand", "Onderhoud", "Pand", "Schouw", "Sessie", "Straat", "Taak", "Terrein",
           "Token", "Voorstel", "Voorziening", "Water"]

"""Zelfbeheer services on the demo gemeente: workflow, groups, log, schouw, who may do what."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.models import Adoptie, Deelname, Gebruiker, Gemeente, Groenvak, Schouw, Token
from app.services import zelfbeheer as svc
from app.services.accounts.gebruikers import create_user, find_by_email
from app.services.demo.adopties import BEWONER, HUISHOUDENS, MEDEWERKER
from app.workflow import ALLOWED_TRANSITIONS, STATUSSEN
from tests.conftest import scalar

GM = "GM9901"
BASIS = "https://kaart.example"


def gebruiker(session: Session, naam: str, rol: str = "bewoner", gemeente: str = GM) -> Gebruiker:
    return create_user(session, gemeente, f"{naam}@test.example", rol, naam.title(), None, "test")


def demo(session: Session, email: str) -> Gebruiker:
    user = find_by_email(session, GM, email)
    assert user is not None
    return user


def zet(session: Session, **instellingen: Any) -> None:
    gemeente = session.get(Gemeente, GM)
    assert gemeente is not None
    for name, value in instellingen.items():
        setattr(gemeente, name, value)
    session.flush()


def vrij_groenvak(session: Session) -> int:
    return int(session.execute(text("""SELECT g.id FROM groenvak g JOIN groenvak_status s
        ON s.groenvak_id = g.id WHERE g.gemeente_code = :g AND s.status = 'beschikbaar'
        AND g.oppervlakte_m2 BETWEEN 20 AND 500 ORDER BY g.id LIMIT 1"""), {"g": GM}).scalar_one())


def aanvraag(session: Session, trekker: Gebruiker | None, mede: list[str] | None = None,
             groenvak: int | None = None, akkoord: bool = True) -> Adoptie:
    plot = groenvak if groenvak is not None else vrij_groenvak(session)
    return svc.aanvragen(session, trekker, plot, "De Groene Vingers", True, "Wij houden van groen.",
                         "Elke maand wieden.", mede or [], akkoord, BASIS)


def tel(session: Session, table: str) -> int:
    return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def mails_aan(session: Session, email: str) -> list[str]:
    return list(session.execute(text("SELECT onderwerp || E'\\n' || tekst FROM mail_outbox "
                                     "WHERE aan = :a ORDER BY id"), {"a": email}).scalars())


def token_voor(session: Session, email: str) -> str:
    match = re.search(r"/uitnodiging/(\S+)", mails_aan(session, email)[-1])
    assert match, "the invitation mail carries the link"
    return match.group(1)


def audit(session: Session, object_id: int, object_type: str = "adoptie") -> list[str]:
    return list(session.execute(text(
        "SELECT actor || ' ' || actie FROM audit_log WHERE object_type = :t AND object_id = :i "
        "ORDER BY id"), {"t": object_type, "i": str(object_id)}).scalars())


@dataclass
class Groep:
    """A running example: trekker + deelnemer, an outsider, and staff here and elsewhere."""

    adoptie: Adoptie
    trekker: Gebruiker
    deelnemer: Gebruiker
    buiten: Gebruiker
    medewerker: Gebruiker
    ander: Gebruiker

    def actor(self, name: str) -> Gebruiker | None:
        return None if name == "anoniem" else getattr(self, name)


@pytest.fixture()
def groep(session: Session) -> Groep:
    """min_huishoudens 2: the invitee's acceptance submits the request."""
    zet(session, min_huishoudens=2)
    session.execute(text("INSERT INTO gemeente (code, naam) VALUES ('GM0002', 'Elders')"))
    trekker, deelnemer = gebruiker(session, "trekker"), gebruiker(session, "deelnemer")
    adoptie = aanvraag(session, trekker, [deelnemer.email])
    assert adoptie.status == "concept"
    svc.uitnodiging_accepteren(session, deelnemer, token_voor(session, deelnemer.email))
    assert adoptie.status == "aangevraagd"
    return Groep(adoptie, trekker, deelnemer, gebruiker(session, "buiten"),
                 demo(session, MEDEWERKER), gebruiker(session, "ander", "medewerker", "GM0002"))


def in_status(session: Session, g: Groep, status: str) -> Adoptie:
    """Bring the example adoptie into `status` through the services only."""
    a = g.adoptie
    if status == "concept":
        a = aanvraag(session, g.trekker, ["later@test.example"])
    elif status == "ingetrokken":
        svc.intrekken(session, g.trekker, a)
    elif status == "afgewezen":
        svc.beoordelen(session, g.medewerker, a, False, "Past niet in het beheerplan.")
    elif status in ("actief", "beeindigd"):
        svc.beoordelen(session, g.medewerker, a, True, None)
        if status == "beeindigd":
            svc.beeindigen(session, g.trekker, a, "We verhuizen.")
    assert a.status == status
    return a


# --- every transition of the table, through the services --------------------------------------

ACTIONS: dict[str, tuple[str, str, Callable[[Session, Groep, Adoptie], object]]] = {
    "intrekken": ("ingetrokken", "trekker",
                  lambda s, g, a: svc.intrekken(s, g.trekker, a)),
    "goedkeuren": ("actief", "medewerker",
                   lambda s, g, a: svc.beoordelen(s, g.medewerker, a, True, "Prima.")),
    "afwijzen": ("afgewezen", "medewerker",
                 lambda s, g, a: svc.beoordelen(s, g.medewerker, a, False, "Te dicht bij de weg.")),
    "beeindigen_trekker": ("beeindigd", "trekker",
                           lambda s, g, a: svc.beeindigen(s, g.trekker, a, "Geen tijd meer.")),
    "beeindigen_medewerker": ("beeindigd", "medewerker",
                              lambda s, g, a: svc.beeindigen(s, g.medewerker, a, "Verwaarloosd.")),
}


def test_services_cover_the_transition_table() -> None:
    covered: set[tuple[str | None, str]] = {
        (s, target) for target, role, _ in ACTIONS.values() for s in STATUSSEN
        if role in ALLOWED_TRANSITIONS.get((s, target), ())}
    covered |= {(None, "concept"), ("concept", "aangevraagd")}  # aanvragen + households
    # a new adoptie always starts as concept; the system submits it in the same transaction
    assert set(ALLOWED_TRANSITIONS) - covered == {(None, "aangevraagd")}


@pytest.mark.parametrize("status", STATUSSEN)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_in_each_state(session: Session, groep: Groep, action: str,
                                   status: str) -> None:
    target, role, run = ACTIONS[action]
    adoptie = in_status(session, groep, status)
    audit_before, mail_before = tel(session, "audit_log"), tel(session, "mail_outbox")
    if role in ALLOWED_TRANSITIONS.get((status, target), ()):
        run(session, groep, adoptie)
        assert adoptie.status == target
        assert f"status:{status}->{target}" in audit(session, adoptie.id or 0)[-1]
        assert tel(session, "audit_log") == audit_before + 1
        assert tel(session, "mail_outbox") > mail_before
    else:
        with pytest.raises(Conflict):
            run(session, groep, adoptie)
        assert adoptie.status == status
        assert tel(session, "audit_log") == audit_before


def test_request_with_one_household_is_submitted_at_once(session: Session) -> None:
    zet(session, min_huishoudens=1)
    bewoner = gebruiker(session, "alleen")
    adoptie = aanvraag(session, bewoner)
    assert adoptie.status == "aangevraagd"
    assert audit(session, adoptie.id or 0) == [f"gebruiker:{bewoner.id} status:nieuw->concept",
                                               "systeem status:concept->aangevraagd"]
    assert adoptie.voorwaarden.startswith("Voorwaarden voor zelfbeheer")
    assert "ingediend" in mails_aan(session, bewoner.email)[-1]
    trekker = session.exec(select(Deelname).where(Deelname.adoptie_id == adoptie.id)).one()
    assert (trekker.gebruiker_id, trekker.rol, trekker.status) == (bewoner.id, "trekker", "actief")


@pytest.mark.parametrize("minimum", [1, 2, 3])
def test_households_rule(session: Session, minimum: int) -> None:
    zet(session, min_huishoudens=minimum)
    trekker = gebruiker(session, "trekker")
    invitees = [gebruiker(session, f"buur{i}") for i in range(3)]
    adoptie = aanvraag(session, trekker, [u.email.upper() for u in invitees])
    assert tel(session, "token") >= 3
    households = 1
    assert adoptie.status == ("aangevraagd" if households >= minimum else "concept")
    for user in invitees:
        svc.uitnodiging_accepteren(session, user, token_voor(session, user.email))
        households += 1
        assert adoptie.status == ("aangevraagd" if households >= minimum else "concept")
    submitted = [m for m in mails_aan(session, trekker.email) if "ingediend" in m]
    assert len(submitted) == 1


def test_invitation_stores_only_a_hash(session: Session) -> None:
    zet(session, min_huishoudens=3)
    adoptie = aanvraag(session, gebruiker(session, "t"), ["Gast@Test.example", "gast@test.example"])
    plain = token_voor(session, "gast@test.example")
    tokens = session.exec(select(Token).where(Token.soort == "uitnodiging")).all()
    invite = session.exec(select(Deelname).where(Deelname.adoptie_id == adoptie.id,
                                                 Deelname.status == "uitgenodigd")).one()
    assert invite.uitgenodigd_email == "gast@test.example"
    assert all(t.token_hash != plain and len(t.token_hash) == 64 for t in tokens)
    assert any(t.deelname_id == invite.id for t in tokens)


def test_invitation_accept_decline_used_expired(session: Session) -> None:
    zet(session, min_huishoudens=5)
    trekker = gebruiker(session, "trekker")
    a, b, c = (gebruiker(session, n) for n in ("a", "b", "c"))
    adoptie = aanvraag(session, trekker, [a.email, b.email, c.email])
    ta, tb, tc = (token_voor(session, u.email) for u in (a, b, c))
    with pytest.raises(Forbidden):
        svc.uitnodiging_accepteren(session, None, ta)
    with pytest.raises(NotFound):
        svc.uitnodiging_accepteren(session, a, "onzin")
    with pytest.raises(Forbidden):  # staff never join a group
        svc.uitnodiging_accepteren(session, demo(session, MEDEWERKER), ta)
    with pytest.raises(Conflict, match="al mee"):  # the trekker is a member already
        svc.uitnodiging_accepteren(session, trekker, ta)
    deelname = svc.uitnodiging_accepteren(session, b, ta)  # any logged-in e-mail may accept
    assert (deelname.gebruiker_id, deelname.status) == (b.id, "actief")
    with pytest.raises(Conflict, match="al beantwoord"):
        svc.uitnodiging_accepteren(session, a, ta)
    declined = svc.uitnodiging_weigeren(session, None, tb)  # the link is enough to say no
    assert declined.status == "vertrokken"
    assert "niet mee" in mails_aan(session, trekker.email)[-1]
    with pytest.raises(Conflict, match="al beantwoord"):
        svc.uitnodiging_weigeren(session, None, tb)
    session.execute(text("UPDATE token SET verloopt_op = now() - interval '1 minute' "
                         "WHERE token_hash = encode(sha256(:t), 'hex')"), {"t": tc.encode()})
    with pytest.raises(Conflict, match="verlopen"):
        svc.uitnodiging_accepteren(session, c, tc)
    assert adoptie.status == "concept"


def test_invitation_of_a_withdrawn_request_is_no_longer_valid(session: Session) -> None:
    zet(session, min_huishoudens=2)
    trekker, gast = gebruiker(session, "trekker"), gebruiker(session, "gast")
    adoptie = aanvraag(session, trekker, [gast.email])
    svc.intrekken(session, trekker, adoptie)
    with pytest.raises(Conflict, match="niet meer geldig"):
        svc.uitnodiging_accepteren(session, gast, token_voor(session, gast.email))


def test_request_refusals(session: Session, groep: Groep) -> None:
    bewoner = groep.buiten
    with pytest.raises(Conflict, match="u kunt vragen of u mag aansluiten"):
        aanvraag(session, bewoner, groenvak=groep.adoptie.groenvak_id)
    with pytest.raises(InvalidInput, match="voorwaarden"):
        aanvraag(session, bewoner, akkoord=False)
    with pytest.raises(InvalidInput, match="e-mailadres"):
        aanvraag(session, bewoner, ["geen-adres"])
    with pytest.raises(InvalidInput, match="naam"):
        svc.aanvragen(session, bewoner, vrij_groenvak(session), "  ", False, "", "", [], True,
                      BASIS)
    with pytest.raises(NotFound):
        aanvraag(session, bewoner, groenvak=-1)
    with pytest.raises(NotFound):  # a plot of another gemeente does not exist for its residents
        aanvraag(session, gebruiker(session, "elders", gemeente="GM0002"))
    plot = session.get(Groenvak, vrij_groenvak(session))
    assert plot is not None
    svc.geschiktheid_zetten(session, groep.medewerker, plot, False)
    with pytest.raises(Conflict, match="niet in aanmerking"):
        aanvraag(session, bewoner, groenvak=plot.id)
    zet(session, max_oppervlakte_m2=10.0)
    with pytest.raises(Conflict, match="groter dan 10 m²"):
        aanvraag(session, bewoner)
    assert groep.adoptie.status == "aangevraagd"


def test_approval_sets_dates_conditions_and_mails_every_member(session: Session,
                                                               groep: Groep) -> None:
    a, einde = groep.adoptie, date.today() + timedelta(days=365)
    with pytest.raises(InvalidInput, match="einddatum"):
        svc.beoordelen(session, groep.medewerker, a, True, None, einddatum=date.today())
    assert a.status == "aangevraagd" and a.startdatum is None
    svc.beoordelen(session, groep.medewerker, a, True, "Akkoord.", "Geen bloembakken.", einde)
    assert (a.status, a.startdatum, a.einddatum) == ("actief", date.today(), einde)
    assert (a.besluit_door_id, a.besluit_toelichting) == (groep.medewerker.id, "Akkoord.")
    assert a.besluit_op is not None and a.voorwaarden.endswith("Geen bloembakken.")
    assert a.voorwaarden.startswith("Voorwaarden voor zelfbeheer")
    for member in (groep.trekker, groep.deelnemer):
        assert "goedgekeurd" in mails_aan(session, member.email)[-1]


@pytest.mark.parametrize("reden", [None, "", "   "])
def test_reasons_are_required(session: Session, groep: Groep, reden: str | None) -> None:
    with pytest.raises(Conflict, match="reden"):
        svc.beoordelen(session, groep.medewerker, groep.adoptie, False, reden)
    in_status(session, groep, "actief")
    with pytest.raises(Conflict, match="reden"):
        svc.beeindigen(session, groep.trekker, groep.adoptie, reden or "")
    with pytest.raises(Conflict, match="reden"):
        svc.schouw_vastleggen(session, groep.medewerker, groep.adoptie, "beeindigen", reden or "")
    assert groep.adoptie.status == "actief"
    assert session.exec(select(Schouw).where(Schouw.adoptie_id == groep.adoptie.id)).all() == []


def test_rejection_and_ending_keep_their_reason(session: Session, groep: Groep) -> None:
    open_invite = svc.uitnodigen(session, groep.trekker, groep.adoptie, "laat@test.example", BASIS)
    svc.beoordelen(session, groep.medewerker, groep.adoptie, False, " Te dicht bij de weg. ")
    assert groep.adoptie.besluit_toelichting == "Te dicht bij de weg."
    assert open_invite.status == "vertrokken"  # a closed adoptie leaves no invitation open
    assert "Reden: Te dicht bij de weg." in mails_aan(session, groep.deelnemer.email)[-1]
    again = aanvraag(session, groep.trekker, groenvak=groep.adoptie.groenvak_id)  # free again
    assert again.status == "concept"
    zet(session, min_huishoudens=1)
    derde = aanvraag(session, groep.buiten)
    svc.beoordelen(session, groep.medewerker, derde, True, None)
    svc.beeindigen(session, groep.medewerker, derde, "Het groenvak wordt heringericht.")
    assert (derde.reden_beeindiging, derde.einddatum) == ("Het groenvak wordt heringericht.",
                                                          date.today())
    assert "heringericht" in mails_aan(session, groep.buiten.email)[-1]


# --- the group ---------------------------------------------------------------------------------

def deelname(session: Session, adoptie: Adoptie, user: Gebruiker) -> Deelname:
    return session.exec(select(Deelname).where(Deelname.adoptie_id == adoptie.id,
                                               Deelname.gebruiker_id == user.id)).one()


def test_join_leave_and_handover(session: Session, groep: Groep) -> None:
    a = in_status(session, groep, "actief")
    verzoek = svc.aansluiten_vragen(session, groep.buiten, a)
    assert verzoek.status == "aangevraagd"
    assert "wil meedoen" in mails_aan(session, groep.trekker.email)[-1]
    with pytest.raises(Conflict):
        svc.aansluiten_vragen(session, groep.buiten, a)
    with pytest.raises(Forbidden):
        svc.aansluiten_beslissen(session, groep.deelnemer, verzoek, True)
    svc.aansluiten_beslissen(session, groep.trekker, verzoek, True)
    assert verzoek.status == "actief"
    assert "U doet mee" in mails_aan(session, groep.buiten.email)[-1]
    with pytest.raises(Conflict, match="al beslist"):
        svc.aansluiten_beslissen(session, groep.trekker, verzoek, False)
    with pytest.raises(Conflict, match="ander lid contactpersoon"):
        svc.verlaten(session, groep.trekker, a)
    oud, nieuw = deelname(session, a, groep.trekker), deelname(session, a, groep.deelnemer)
    svc.trekker_overdragen(session, groep.trekker, a, nieuw)
    assert (oud.rol, nieuw.rol) == ("deelnemer", "trekker")
    assert "U bent nu contactpersoon" in mails_aan(session, groep.deelnemer.email)[-1]
    with pytest.raises(Forbidden):
        svc.trekker_overdragen(session, groep.trekker, a, oud)
    svc.verlaten(session, groep.trekker, a)
    assert oud.status == "vertrokken"
    assert "niet meer mee" in mails_aan(session, groep.deelnemer.email)[-1]
    with pytest.raises(Forbidden):
        svc.verlaten(session, groep.trekker, a)
    terug = svc.aansluiten_vragen(session, groep.trekker, a)  # one row per user and group
    assert (terug.id, terug.status) == (oud.id, "aangevraagd")
    with pytest.raises(InvalidInput):
        svc.trekker_overdragen(session, groep.deelnemer, a, terug)
    svc.aansluiten_beslissen(session, groep.deelnemer, terug, False)
    assert terug.status == "vertrokken"
    assert "niet geaccepteerd" in mails_aan(session, groep.trekker.email)[-1]
    assert audit(session, terug.id or 0, "deelname")[-1].endswith(
        "deelname:aangevraagd->vertrokken")


def test_an_accepted_join_request_counts_as_a_household(session: Session) -> None:
    zet(session, min_huishoudens=2)
    trekker, buur = gebruiker(session, "trekker"), gebruiker(session, "buur")
    adoptie = aanvraag(session, trekker)
    assert adoptie.status == "concept"
    svc.aansluiten_beslissen(session, trekker, svc.aansluiten_vragen(session, buur, adoptie), True)
    assert adoptie.status == "aangevraagd"
    assert audit(session, adoptie.id or 0)[-1] == "systeem status:concept->aangevraagd"


# --- onderhoud and schouw ----------------------------------------------------------------------

def test_onderhoud_rules(session: Session, groep: Groep) -> None:
    today = date.today()
    with pytest.raises(Conflict, match="zolang het zelfbeheer loopt"):
        svc.onderhoud_toevoegen(session, groep.deelnemer, groep.adoptie, today, "wieden", "")
    a = in_status(session, groep, "actief")
    for activiteit in ("maaien", "snoeien", "wieden", "planten", "zwerfafval", "water_geven",
                       "anders"):
        regel = svc.onderhoud_toevoegen(session, groep.deelnemer, a, today, activiteit, " ok ")
        assert (regel.activiteit, regel.notitie, regel.gebruiker_id) == (activiteit, "ok",
                                                                          groep.deelnemer.id)
        assert audit(session, regel.id or 0, "onderhoud") == [
            f"gebruiker:{groep.deelnemer.id} onderhoud:toegevoegd"]
    with pytest.raises(InvalidInput, match="toekomst"):
        svc.onderhoud_toevoegen(session, groep.trekker, a, today + timedelta(days=1), "wieden")
    with pytest.raises(InvalidInput, match="vóór de start"):
        svc.onderhoud_toevoegen(session, groep.trekker, a, today - timedelta(days=1), "wieden")
    with pytest.raises(InvalidInput, match="activiteit"):
        svc.onderhoud_toevoegen(session, groep.trekker, a, today, "spuiten")


def test_onderhoud_on_a_demo_adoptie(session: Session) -> None:
    bewoner = demo(session, BEWONER)
    adoptie = session.exec(
        select(Adoptie).join(Deelname, col(Deelname.adoptie_id) == Adoptie.id).where(
            Deelname.gebruiker_id == bewoner.id, Deelname.rol == "trekker",
            Adoptie.status == "actief")).first()
    assert adoptie is not None and adoptie.startdatum is not None
    svc.onderhoud_toevoegen(session, bewoner, adoptie, adoptie.startdatum, "planten", "Bollen.")
    with pytest.raises(InvalidInput):
        svc.onderhoud_toevoegen(session, bewoner, adoptie,
                                adoptie.startdatum - timedelta(days=1), "planten")
    buur = next(demo(session, e) for e in HUISHOUDENS
                if session.exec(select(Deelname).where(
                    Deelname.adoptie_id == adoptie.id,
                    Deelname.gebruiker_id == demo(session, e).id)).first() is None)
    with pytest.raises(Forbidden):
        svc.onderhoud_toevoegen(session, buur, adoptie, date.today(), "wieden")


def test_schouw(session: Session, groep: Groep) -> None:
    with pytest.raises(Conflict, match="lopende adoptie"):
        svc.schouw_vastleggen(session, groep.medewerker, groep.adoptie, "ok", "")
    a = in_status(session, groep, "actief")
    ok = svc.schouw_vastleggen(session, groep.medewerker, a, "ok", "Netjes.")
    assert (ok.datum, ok.uitkomst, ok.medewerker_id) == (date.today(), "ok", groep.medewerker.id)
    assert audit(session, ok.id or 0, "schouw") == [f"gebruiker:{groep.medewerker.id} schouw:ok"]
    with pytest.raises(InvalidInput):
        svc.schouw_vastleggen(session, groep.medewerker, a, "slecht", "")
    svc.schouw_vastleggen(session, groep.medewerker, a, "aandachtspunt", "Zwerfafval bij de sloot.")
    for member in (groep.trekker, groep.deelnemer):
        assert "Zwerfafval bij de sloot." in mails_aan(session, member.email)[-1]
    svc.schouw_vastleggen(session, groep.medewerker, a, "beeindigen", "Al maanden niets gedaan.")
    assert (a.status, a.reden_beeindiging) == ("beeindigd", "Al maanden niets gedaan.")
    assert audit(session, a.id or 0)[-1] == (f"gebruiker:{groep.medewerker.id} "
                                             "status:actief->beeindigd")
    assert "beëindigd" in mails_aan(session, groep.trekker.email)[-1]


def test_geschiktheid(session: Session, groep: Groep) -> None:
    plot = session.get(Groenvak, vrij_groenvak(session))
    assert plot is not None and plot.id is not None
    before = tel(session, "audit_log")
    svc.geschiktheid_zetten(session, groep.medewerker, plot, False)
    assert svc.groenvak_paneel(session, GM, plot.id)["status"] == "niet_beschikbaar"
    assert audit(session, plot.id, "groenvak") == [
        f"gebruiker:{groep.medewerker.id} zelfbeheer_mogelijk:true->false"]
    svc.geschiktheid_zetten(session, groep.medewerker, plot, False)  # no change, no row
    svc.geschiktheid_zetten(session, groep.medewerker, plot, True)
    assert svc.groenvak_paneel(session, GM, plot.id)["status"] == "beschikbaar"
    assert tel(session, "audit_log") == before + 2
    taken = session.get(Groenvak, groep.adoptie.groenvak_id)
    assert taken is not None
    with pytest.raises(Conflict):
        svc.geschiktheid_zetten(session, groep.medewerker, taken, False)


# --- who may do what ---------------------------------------------------------------------------

ACTORS = ["anoniem", "buiten", "deelnemer", "trekker", "medewerker", "ander"]
BEWONERS = {"buiten", "deelnemer", "trekker"}
Run = Callable[[Session, Groep, Gebruiker | None], object]


def _vrij(session: Session) -> Groenvak:
    plot = session.get(Groenvak, vrij_groenvak(session))
    assert plot is not None
    return plot


# action -> (state of the example adoptie, call, allowed actors, actors that get a Conflict)
MATRIX: dict[str, tuple[str, Run, set[str], set[str]]] = {
    "aanvragen": ("aangevraagd", lambda s, g, u: aanvraag(s, u), BEWONERS, set()),
    "uitnodigen": ("aangevraagd", lambda s, g, u: svc.uitnodigen(
        s, u, g.adoptie, "nog@test.example", BASIS), {"trekker"}, set()),
    "intrekken": ("aangevraagd", lambda s, g, u: svc.intrekken(s, u, g.adoptie),
                  {"trekker"}, set()),
    "goedkeuren": ("aangevraagd", lambda s, g, u: svc.beoordelen(s, u, g.adoptie, True, None),
                   {"medewerker"}, set()),
    "afwijzen": ("aangevraagd", lambda s, g, u: svc.beoordelen(s, u, g.adoptie, False, "Nee."),
                 {"medewerker"}, set()),
    "beeindigen": ("actief", lambda s, g, u: svc.beeindigen(s, u, g.adoptie, "Klaar."),
                   {"trekker", "medewerker"}, set()),
    "schouw": ("actief", lambda s, g, u: svc.schouw_vastleggen(s, u, g.adoptie, "ok", ""),
               {"medewerker"}, set()),
    "onderhoud": ("actief", lambda s, g, u: svc.onderhoud_toevoegen(
        s, u, g.adoptie, date.today(), "wieden", ""), {"deelnemer", "trekker"}, set()),
    "aansluiten_vragen": ("actief", lambda s, g, u: svc.aansluiten_vragen(s, u, g.adoptie),
                          {"buiten"}, {"deelnemer", "trekker"}),
    "aansluiten_beslissen": ("actief", lambda s, g, u: svc.aansluiten_beslissen(
        s, u, svc.aansluiten_vragen(s, gebruiker(s, "nieuwkomer"), g.adoptie), True),
        {"trekker"}, set()),
    "verlaten": ("actief", lambda s, g, u: svc.verlaten(s, u, g.adoptie),
                 {"deelnemer"}, {"trekker"}),
    "trekker_overdragen": ("actief", lambda s, g, u: svc.trekker_overdragen(
        s, u, g.adoptie, deelname(s, g.adoptie, g.deelnemer)), {"trekker"}, set()),
    "geschiktheid_zetten": ("aangevraagd", lambda s, g, u: svc.geschiktheid_zetten(
        s, u, _vrij(s), False), {"medewerker"}, set()),
    "wachtrij": ("aangevraagd", lambda s, g, u: svc.wachtrij(s, u), {"medewerker", "ander"},
                 set()),
    "adopties_per_gebied": ("aangevraagd", lambda s, g, u: svc.adopties_per_gebied(s, u),
                            {"medewerker", "ander"}, set()),
    "mijn_groen": ("actief", lambda s, g, u: svc.mijn_groen(s, u), set(ACTORS) - {"anoniem"},
                   set()),
}
QUERIES = {"wachtrij", "adopties_per_gebied", "mijn_groen"}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", list(MATRIX))
def test_authorisation_matrix(session: Session, groep: Groep, action: str, actor: str) -> None:
    status, run, allowed, conflict = MATRIX[action]
    in_status(session, groep, status)
    user = groep.actor(actor)
    before = tel(session, "audit_log")
    if actor in allowed:
        run(session, groep, user)
        assert action in QUERIES or tel(session, "audit_log") > before
    else:
        with pytest.raises(Conflict if actor in conflict else Forbidden):
            run(session, groep, user)
        if action != "aansluiten_beslissen":  # that one files a request before it is refused
            assert tel(session, "audit_log") == before


def test_a_beheerder_acts_as_medewerker_of_the_own_gemeente(session: Session,
                                                            groep: Groep) -> None:
    beheerder = gebruiker(session, "beheerder", "beheerder")
    svc.beoordelen(session, beheerder, groep.adoptie, True, None)
    assert groep.adoptie.besluit_door_id == beheerder.id
    with pytest.raises(Forbidden):
        svc.beoordelen(session, gebruiker(session, "elders", "beheerder", "GM0002"),
                       aanvraag(session, groep.buiten), True, None)


def test_blocked_accounts_and_other_gemeenten_get_nothing(session: Session, groep: Groep) -> None:
    groep.trekker.actief = False
    with pytest.raises(Forbidden, match="Log in"):
        svc.intrekken(session, groep.trekker, groep.adoptie)
    groep.trekker.actief = True
    gast = gebruiker(session, "gast", gemeente="GM0002")
    svc.uitnodigen(session, groep.trekker, groep.adoptie, "iemand@test.example", BASIS)
    with pytest.raises(NotFound):  # a link of another gemeente does not exist for this account
        svc.uitnodiging_accepteren(session, gast, token_voor(session, "iemand@test.example"))
    with pytest.raises(Forbidden):
        svc.aansluiten_vragen(session, gast, groep.adoptie)


def test_staff_of_another_gemeente_see_only_their_own(session: Session, groep: Groep) -> None:
    assert svc.wachtrij(session, groep.ander) == []
    assert svc.adopties_per_gebied(session, groep.ander) == []
    assert groep.adoptie.id in {r["adoptie_id"] for r in svc.wachtrij(session, groep.medewerker)}


# --- one transaction ---------------------------------------------------------------------------

def test_change_audit_and_mail_share_the_callers_transaction(session: Session, groep: Groep,
                                                             engine: Engine) -> None:
    a = groep.adoptie
    savepoint = session.begin_nested()
    svc.beoordelen(session, groep.medewerker, a, False, "Te groot voor één groep.")
    assert audit(session, a.id or 0)[-1].endswith("status:aangevraagd->afgewezen")
    with engine.connect() as other:  # nothing is visible outside before the caller commits
        assert scalar(other, "SELECT count(*) FROM audit_log WHERE object_type = 'adoptie' "
                             "AND object_id = :i", i=str(a.id)) == 0
        assert scalar(other, "SELECT count(*) FROM mail_outbox WHERE aan = :a",
                      a=groep.deelnemer.email) == 0
    savepoint.rollback()  # and a rollback takes the change, its audit row and its mail
    assert a.status == "aangevraagd"
    assert not any("afgewezen" in r for r in audit(session, a.id or 0))
    assert not any("afgewezen" in m for m in mails_aan(session, groep.deelnemer.email))


# --- what the pages get ------------------------------------------------------------------------

def test_groenvak_paneel_has_no_personal_data(session: Session, groep: Groep) -> None:
    in_status(session, groep, "actief")
    svc.onderhoud_toevoegen(session, groep.trekker, groep.adoptie, date.today(), "maaien", "Gras.")
    plots = session.execute(text("""SELECT s.groenvak_id FROM groenvak_status s
        JOIN groenvak g ON g.id = s.groenvak_id WHERE g.gemeente_code = :g
        AND s.status IN ('in_zelfbeheer', 'aangevraagd')"""), {"g": GM}).scalars().all()
    names = [n for n in session.execute(text("SELECT naam FROM gebruiker WHERE naam <> ''"))
             .scalars()]
    hidden = 0
    for plot in plots:
        panel = svc.groenvak_paneel(session, GM, plot)
        blob = repr(panel)
        assert "@" not in blob and not any(n in blob for n in names)
        assert len(panel["onderhoud"]) <= 5
        # photo keys are public by design (unguessable, EXIF/GPS stripped); no names, no e-mail
        assert all(set(r) == {"datum", "activiteit", "notitie", "fotos"}
                   for r in panel["onderhoud"])
        assert isinstance(panel["aantal_deelnemers"], int) and panel["kan_aansluiten"]
        hidden += panel["groepsnaam"] is None
    assert hidden > 0  # groups that did not opt in keep their name private
    ours = svc.groenvak_paneel(session, GM, groep.adoptie.groenvak_id)
    assert (ours["status"], ours["groepsnaam"], ours["aantal_deelnemers"]) == (
        "in_zelfbeheer", "De Groene Vingers", 2)
    assert ours["onderhoud"][0]["notitie"] == "Gras."
    with pytest.raises(NotFound):
        svc.groenvak_paneel(session, "GM0002", groep.adoptie.groenvak_id)


def test_mijn_groen(session: Session, groep: Groep) -> None:
    bewoner = demo(session, BEWONER)
    svc.uitnodigen(session, groep.trekker, groep.adoptie, BEWONER, BASIS)
    svc.aansluiten_vragen(session, groep.buiten, groep.adoptie)
    mine = svc.mijn_groen(session, bewoner)
    assert {a["rol"] for a in mine["adopties"]} == {"trekker", "deelnemer"}
    assert [u["adoptie_id"] for u in mine["uitnodigingen"]] == [groep.adoptie.id]
    led = next(a for a in mine["adopties"] if a["rol"] == "trekker" and a["status"] == "actief")
    assert led["leden"][0]["rol"] == "trekker" and led["huishoudens"] >= 1
    assert mine["onderhoud"] and any(r["door_mij"] for r in mine["onderhoud"])
    trekker = svc.mijn_groen(session, groep.trekker)
    (own,) = trekker["adopties"]
    assert {m["naam"] for m in own["leden"]} == {"Trekker", "Deelnemer"}
    assert [r["naam"] for r in own["te_beslissen"]] == ["Buiten"]
    assert [i["email"] for i in own["open_uitnodigingen"]] == [BEWONER]
    buiten = svc.mijn_groen(session, groep.buiten)
    assert [r["adoptie_id"] for r in buiten["aansluitverzoeken"]] == [groep.adoptie.id]
    deelnemer = svc.mijn_groen(session, groep.deelnemer)
    assert deelnemer["adopties"][0]["leden"] == []  # only the trekker manages the group


def test_wachtrij_shows_applicants_to_staff(session: Session, groep: Groep) -> None:
    rows = svc.wachtrij(session, groep.medewerker)
    assert all(r["adoptie_id"] for r in rows) and len(rows) >= 6  # 5 demo requests + ours
    ours = next(r for r in rows if r["adoptie_id"] == groep.adoptie.id)
    assert ours["aanvragers"] == [
        {"naam": "Trekker", "email": "trekker@test.example", "rol": "trekker"},
        {"naam": "Deelnemer", "email": "deelnemer@test.example", "rol": "deelnemer"}]
    assert (ours["plan"], ours["motivatie"], ours["leeftijd_dagen"]) == (
        "Elke maand wieden.", "Wij houden van groen.", 0)
    assert rows[-1]["adoptie_id"] == groep.adoptie.id  # oldest first


def test_adopties_per_gebied(session: Session, groep: Groep) -> None:
    actief = svc.adopties_per_gebied(session, groep.medewerker, status="actief")
    assert len(actief) >= 14 and {r["status"] for r in actief} == {"actief"}
    wijk = actief[0]["wijk_code"]
    in_wijk = svc.adopties_per_gebied(session, groep.medewerker, wijk_code=wijk)
    assert in_wijk and {r["wijk_code"] for r in in_wijk} == {wijk}
    with pytest.raises(InvalidInput):
        svc.adopties_per_gebied(session, groep.medewerker, status="weg")
    with pytest.raises(NotFound):
        svc.adopties_per_gebied(session, groep.medewerker, wijk_code="WK999999")

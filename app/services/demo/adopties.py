"""Demo accounts and adopties in every state, so every screen has something to show."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session, func, select

from app.models import Adoptie, Deelname, Gebruiker, Onderhoud, Schouw
from app.services.accounts import create_user, find_by_email, new_password
from app.services.audit import record

BEWONER = "bewoner@lindewaard.example"
MEDEWERKER = "medewerker@lindewaard.example"
HUISHOUDENS = [f"huishouden{i:02d}@lindewaard.example" for i in range(1, 13)]

# (status, how many): every state of the workflow appears in the demo.
STATES = [("actief", 14), ("aangevraagd", 5), ("concept", 2), ("afgewezen", 2),
          ("ingetrokken", 2), ("beeindigd", 2)]
ACTIVITEITEN = ["maaien", "wieden", "zwerfafval", "snoeien", "planten", "water_geven"]


def ensure_accounts(session: Session, gemeente: str) -> dict[str, str]:
    """Create the demo bewoner and medewerker once; return only new accounts' passwords."""
    passwords: dict[str, str] = {}
    for email, rol, naam in [(BEWONER, "bewoner", "Demobewoner"),
                             (MEDEWERKER, "medewerker", "Demomedewerker")]:
        if find_by_email(session, gemeente, email) is None:
            passwords[email] = new_password()
            user = create_user(session, gemeente, email, rol, naam, passwords[email],
                               actor="demo")
            user.email_geverifieerd_op = user.aangemaakt_op
    for i, email in enumerate(HUISHOUDENS, start=1):
        if find_by_email(session, gemeente, email) is None:
            user = create_user(session, gemeente, email, "bewoner", f"Demohuishouden {i}",
                               None, actor="demo")
            user.email_geverifieerd_op = user.aangemaakt_op
    session.flush()
    return passwords


def ensure_adopties(session: Session, gemeente: str) -> int:
    """Create the demo adopties once: when the gemeente has none yet."""
    count = session.exec(select(func.count()).select_from(Adoptie)
                         .where(Adoptie.gemeente_code == gemeente)).one()
    if count:
        return 0
    total = sum(n for _, n in STATES)
    plots = session.execute(text("""
        SELECT g.id, w.naam FROM groenvak g JOIN gebied w ON w.id = g.wijk_id
         WHERE g.gemeente_code = :g AND g.zelfbeheer_mogelijk AND g.vervallen_op IS NULL
           AND g.extern_id LIKE 'GV%' AND g.oppervlakte_m2 >= 20
         ORDER BY g.extern_id"""), {"g": gemeente}).all()
    step = max(1, len(plots) // total)
    chosen = plots[::step][:total]
    users = {u.email: u for u in session.exec(select(Gebruiker).where(
        Gebruiker.gemeente_code == gemeente))}
    bewoner, medewerker = users[BEWONER], users[MEDEWERKER]
    households = [users[e] for e in HUISHOUDENS]
    today = date.today()
    i = 0
    for status, n in STATES:
        for _ in range(n):
            plot_id, wijk = chosen[i]
            trekker = bewoner if i in (0, 15) else households[i % len(households)]
            members = [households[(i + 5) % len(households)]]
            if i == 1:
                members.append(bewoner)
            _adoptie(session, gemeente, plot_id, f"Buurtgroep {wijk} {i + 1}", status,
                     trekker, members, medewerker, today - timedelta(days=30 + 11 * i), i)
            i += 1
    return total


def _adoptie(session: Session, gemeente: str, plot_id: int, groepsnaam: str, status: str,
             trekker: Gebruiker, members: list[Gebruiker], medewerker: Gebruiker,
             start: date, i: int) -> None:
    """One adoptie with its group, decision, log and schouw as its state implies."""
    decided = status in ("actief", "afgewezen", "beeindigd")
    adoptie = Adoptie(
        gemeente_code=gemeente, groenvak_id=plot_id, status=status, groepsnaam=groepsnaam,
        groepsnaam_openbaar=i % 3 != 2, motivatie="Wij willen dit stukje groen samen mooi houden.",
        plan="Maandelijks wieden en zwerfafval rapen; in het voorjaar bloembollen planten.",
        startdatum=start if status in ("actief", "beeindigd") else None,
        besluit_door_id=medewerker.id if decided else None,
        besluit_toelichting="Past niet bij het beheerplan van dit plantsoen."
        if status == "afgewezen" else None,
        reden_beeindiging="De groep is verhuisd." if status == "beeindigd" else None,
    )
    if decided:
        adoptie.besluit_op = adoptie.aangemaakt_op
    session.add(adoptie)
    session.flush()
    assert adoptie.id is not None
    in_group = "actief" if status in ("actief", "aangevraagd") else "vertrokken"
    if status == "concept":
        in_group = "uitgenodigd"
    session.add(Deelname(gemeente_code=gemeente, adoptie_id=adoptie.id, gebruiker_id=trekker.id,
                         rol="trekker", status="actief" if status != "beeindigd" else "vertrokken"))
    for member in members:
        session.add(Deelname(gemeente_code=gemeente, adoptie_id=adoptie.id,
                             gebruiker_id=member.id, rol="deelnemer", status=in_group))
    if status == "actief":
        for k in range(3):
            session.add(Onderhoud(gemeente_code=gemeente, adoptie_id=adoptie.id,
                                  gebruiker_id=trekker.id, datum=date.today() - timedelta(
                                      days=7 + 25 * k + i), activiteit=ACTIVITEITEN[(i + k) % 6],
                                  notitie="Gedaan met de buren."))
        if i % 4 == 0:
            session.add(Schouw(gemeente_code=gemeente, adoptie_id=adoptie.id,
                               datum=date.today() - timedelta(days=20), uitkomst="ok",
                               notitie="Ziet er verzorgd uit.", medewerker_id=medewerker.id))
    record(session, gemeente, actor="demo", actie="aangemaakt", object_type="adoptie",
           object_id=str(adoptie.id), na={"status": status})

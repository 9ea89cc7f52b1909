"""Fifty residents request one plot at the same moment: one wins, 49 hear it is taken."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app import migrate
from app.config import Settings
from app.errors import Conflict
from app.models import Gebruiker, Groenvak
from app.services.accounts.gebruikers import create_user
from app.services.demo import laden as demo
from app.services.zelfbeheer import adopties
from app.workflow import OPEN
from tests.conftest import fresh_database

N = 50
GM = "GM9901"


@pytest.fixture(scope="module")
def race_engine(settings: Settings) -> Iterator[Engine]:
    """A committed database of its own: the racers must see each other's commits."""
    url = fresh_database(settings, "kaart_test_race")
    migrate.upgrade(url)
    demo.load(url)
    engine = create_engine(url, pool_size=N, max_overflow=0, pool_timeout=60)
    yield engine
    engine.dispose()


def _connected_session(engine: Engine) -> Session:
    """Open the connection before the barrier; retry if the cluster is briefly full."""
    for attempt in range(20):
        session = Session(engine)
        try:
            session.connection()
            return session
        except OperationalError:
            session.close()
            time.sleep(0.2 * (attempt + 1))
    raise RuntimeError("no database connection for a racer")


def test_fifty_concurrent_requests_for_one_plot(race_engine: Engine) -> None:
    with Session(race_engine) as session:
        plot = int(session.execute(text(
            """SELECT g.id FROM groenvak g JOIN groenvak_status s ON s.groenvak_id = g.id
                WHERE g.gemeente_code = :g AND s.status = 'beschikbaar'
                  AND g.oppervlakte_m2 BETWEEN 20 AND 500 ORDER BY g.id LIMIT 1"""),
            {"g": GM}).scalar_one())
        ids = [create_user(session, GM, f"racer{i:02d}@test.example", "bewoner", f"Racer {i}",
                           None, actor="test").id for i in range(N)]
        session.commit()

    barrier = threading.Barrier(N, timeout=120)
    won: list[int] = []
    conflicts: list[str] = []
    other: list[BaseException] = []
    lock = threading.Lock()

    def racer(user_id: int) -> None:
        session = _connected_session(race_engine)
        try:
            bewoner = session.get(Gebruiker, user_id)
            barrier.wait()
            adoptie = adopties.aanvragen(session, bewoner, plot, f"Groep {user_id}", False,
                                         "", "", [], True, "https://kaart.example")
            session.commit()
            with lock:
                won.append(adoptie.id or 0)
        except Conflict as exc:
            session.rollback()
            with lock:
                conflicts.append(str(exc))
        except BaseException as exc:  # anything else fails the test below
            session.rollback()
            with lock:
                other.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=racer, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert other == [], other[:3]
    assert len(won) == 1
    assert conflicts == [adopties.GROENVAK_BEZET] * (N - 1)
    with race_engine.connect() as conn:
        open_rows = conn.execute(text("SELECT id FROM adoptie WHERE groenvak_id = :p "
                                      "AND status = ANY(:s)"), {"p": plot, "s": list(OPEN)})
        assert [r.id for r in open_rows] == won
        assert conn.execute(text("SELECT count(*) FROM deelname WHERE adoptie_id = :a"),
                            {"a": won[0]}).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE object_type = 'adoptie' "
                                 "AND object_id = :a"), {"a": str(won[0])}).scalar() == 1


def _free_plot_and_users(engine: Engine, *names: str) -> tuple[int, list[int]]:
    with Session(engine) as session:
        plot = int(session.execute(text(
            """SELECT g.id FROM groenvak g JOIN groenvak_status s ON s.groenvak_id = g.id
                WHERE g.gemeente_code = :g AND s.status = 'beschikbaar'
                  AND g.oppervlakte_m2 BETWEEN 20 AND 500 ORDER BY g.id LIMIT 1"""),
            {"g": GM}).scalar_one())
        ids = [create_user(session, GM, f"{n}@duel.example", rol, n, None, actor="test").id
               for n, rol in (name.split(":") for name in names)]
        session.commit()
    return plot, [i for i in ids if i is not None]


def _request_while_first_is_open(engine: Engine, plot: int, resident: int,
                                  first: Session) -> BaseException | None:
    """Run aanvragen in a thread, wait until it blocks on `first`'s locks, commit `first`."""
    second = Session(engine)
    outcome: list[BaseException | None] = []
    try:
        pid = second.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()

        def run() -> None:
            try:
                adopties.aanvragen(second, second.get(Gebruiker, resident), plot, "B", False,
                                   "", "", [], True, "https://kaart.example")
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        with engine.connect() as watcher:
            for _ in range(200):
                waiting = watcher.execute(text(
                    "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :p"),
                    {"p": pid}).scalar()
                if waiting:
                    break
                time.sleep(0.05)
        assert waiting, "the second transaction should wait for the first"
        first.commit()
        thread.join(timeout=30)
        assert len(outcome) == 1
        return outcome[0]
    finally:
        second.rollback()
        second.close()
        first.close()


def test_the_index_decides_when_both_read_beschikbaar(race_engine: Engine) -> None:
    """B reads 'beschikbaar' while A's insert is uncommitted; only the index can stop B."""
    plot, (a, b) = _free_plot_and_users(race_engine, "a:bewoner", "b:bewoner")
    first = Session(race_engine)
    adopties.aanvragen(first, first.get(Gebruiker, a), plot, "A", False, "", "", [], True,
                       "https://kaart.example")
    outcome = _request_while_first_is_open(race_engine, plot, b, first)
    assert isinstance(outcome, Conflict) and str(outcome) == adopties.GROENVAK_BEZET


def test_a_plot_marked_unsuitable_meanwhile_is_refused(race_engine: Engine) -> None:
    """Staff mark the plot unsuitable while a request is under way: the request loses."""
    plot, (staff, resident) = _free_plot_and_users(race_engine, "m:medewerker", "r:bewoner")
    first = Session(race_engine)
    groenvak = first.get(Groenvak, plot)
    assert groenvak is not None
    adopties.geschiktheid_zetten(first, first.get(Gebruiker, staff), groenvak, False)
    outcome = _request_while_first_is_open(race_engine, plot, resident, first)
    assert isinstance(outcome, Conflict) and str(outcome) == adopties.NIET_GESCHIKT
    with race_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM adoptie WHERE groenvak_id = :p"),
                            {"p": plot}).scalar() == 0

"""Login limits that stop guessing without letting a stranger lock a resident out.

The app sits behind a trusted proxy (10.0.0.2) here, so X-Forwarded-For names the client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text
from sqlmodel import Session

from app.api.common import deps
from app.config import Settings
from app.main import create_app
from app.services.accounts import auth
from app.services.accounts import limits as auth_limits
from app.services.accounts.limits import TooManyAttempts
from tests.api.account_helpers import PASSWORD, login, make_client, resident, wire_accounts
from tests.conftest import scalar

TARGET = "doelwit@voorbeeld.nl"
WRONG = "fout fout fout"
ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"
PROXY = ("10.0.0.2", 40000)


@pytest.fixture()
def proxied(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    """The app behind our own proxy: KAART_TRUSTED_PROXIES=10.0.0.0/8."""
    app = create_app(settings.model_copy(update={"trusted_proxies": "10.0.0.0/8"}), url=db_url)
    wire_accounts(app)
    app.dependency_overrides[deps.get_session] = lambda: session
    with TestClient(app, client=PROXY) as client:
        yield client


def login_from(client: TestClient, forwarded_for: str, email: str = TARGET,
               password: str = PASSWORD) -> Response:
    client.headers["X-Forwarded-For"] = forwarded_for
    return login(client, email, password)


def keys(session: Session) -> set[str]:
    return set(session.execute(text("SELECT sleutel FROM login_poging")).scalars())


def age(session: Session, seconds: float) -> None:
    """Let time pass for the limits: every attempt so far happened `seconds` earlier."""
    session.execute(text("UPDATE login_poging SET op = op - make_interval(secs => :s)"),
                    {"s": seconds})


def fail(session: Session, ip: str, email: str = TARGET, times: int = 1) -> None:
    for _ in range(times):
        auth_limits.record_login(session, email, ip, gelukt=False)


def test_owner_logs_in_elsewhere_while_an_attacker_is_refused(proxied: TestClient,
                                                              session: Session) -> None:
    resident(session, TARGET)
    for _ in range(auth_limits.MAX_FAILED_PER_PAIR):
        assert login_from(proxied, ATTACKER, password=WRONG).status_code == 400
    blocked = login_from(proxied, ATTACKER)  # even the right password waits, from there
    assert blocked.status_code == 429 and "Wacht 15 minuten" in blocked.text
    assert 840 <= int(blocked.headers["retry-after"]) <= 900
    assert scalar(session, "SELECT count(*) FROM sessie") == 0

    assert login_from(proxied, OWNER).status_code == 303  # the owner, from home
    assert login_from(proxied, ATTACKER).status_code == 429  # still refused
    age(session, 15 * 60)
    assert login_from(proxied, ATTACKER, password=WRONG).status_code == 400


def test_the_address_slows_down_exponentially_for_everyone(session: Session) -> None:
    """Guessing from many IPs: after 10 failures each attempt waits 1, 2, 4 ... seconds."""
    for i in range(auth_limits.FREE_FAILURES_PER_EMAIL):  # each IP far below its own limit
        fail(session, f"192.0.2.{i}")
    waits = []
    for i in range(7):
        with pytest.raises(TooManyAttempts) as refused:
            auth_limits.check_login_allowed(session, TARGET, OWNER)
        waits.append(refused.value.retry_after)
        age(session, refused.value.retry_after)
        auth_limits.check_login_allowed(session, TARGET, OWNER)  # waited long enough
        fail(session, f"192.0.2.{100 + i}")
    assert waits == [1, 2, 4, 8, 16, 32, 64]

    fail(session, "192.0.2.200", times=20)
    with pytest.raises(TooManyAttempts) as capped:
        auth_limits.check_login_allowed(session, TARGET, OWNER)
    assert capped.value.retry_after == 600 and "over 10 minuten opnieuw" in str(capped.value)
    auth_limits.check_login_allowed(session, "iemand.anders@voorbeeld.nl", OWNER)


def test_the_resident_sees_the_delay_and_gets_in_after_it(proxied: TestClient, session: Session,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    resident(session, TARGET)
    for i in range(auth_limits.FREE_FAILURES_PER_EMAIL):
        fail(session, f"192.0.2.{i}")
    # The limits' clock stands still just after the last failure: on a busy machine the
    # 1-second wait would otherwise run out before the request gets there.
    last = session.execute(text("SELECT max(op) FROM login_poging")).scalar_one()
    monkeypatch.setattr(auth_limits, "now", lambda: last + timedelta(milliseconds=100))
    waiting = login_from(proxied, OWNER)
    assert waiting.status_code == 429 and waiting.headers["retry-after"] == "1"
    assert "Probeer het over 1 seconde opnieuw." in waiting.text
    age(session, 1)
    assert login_from(proxied, OWNER).status_code == 303
    fail(session, ATTACKER)  # a success starts the count again
    auth_limits.check_login_allowed(session, TARGET, "192.0.2.250")


def test_one_shared_ip_does_not_lock_out_everyone_behind_it(session: Session) -> None:
    """Six residents behind one town-hall address mistype five times each: the seventh gets in."""
    shared = "192.0.2.1"
    for i in range(6):
        fail(session, shared, f"bewoner{i}@voorbeeld.nl", times=auth_limits.MAX_FAILED_PER_PAIR)
    user = resident(session, "collega@voorbeeld.nl")
    assert auth.authenticate(session, "GM9901", user.email, PASSWORD, shared).id == user.id
    # one source spraying one password over many addresses still meets a limit
    fail(session, shared, "gok@voorbeeld.nl", times=auth_limits.MAX_FAILED_PER_IP)
    with pytest.raises(TooManyAttempts):
        auth_limits.check_login_allowed(session, "nog.een@voorbeeld.nl", shared)


def test_x_forwarded_for_from_a_trusted_proxy_names_the_client(proxied: TestClient,
                                                               session: Session) -> None:
    login_from(proxied, f"1.2.3.4, {ATTACKER}", password=WRONG)  # left part is the client's own
    login_from(proxied, f"{OWNER}, 10.0.0.7", email="ander@voorbeeld.nl", password=WRONG)
    assert {f"ip:{ATTACKER}", f"pair:{TARGET}|{ATTACKER}", f"ip:{OWNER}"} <= keys(session)
    assert not any("1.2.3.4" in key or "10.0.0" in key for key in keys(session))


def test_x_forwarded_for_from_anyone_else_is_ignored(settings: Settings, db_url: str,
                                                     session: Session) -> None:
    with make_client(settings, db_url, session) as client:  # no trusted proxies: the default
        for i in range(auth_limits.MAX_FAILED_PER_PAIR):
            assert login_from(client, f"203.0.113.{i}", password=WRONG).status_code == 400
        assert login_from(client, "203.0.113.99", password=WRONG).status_code == 429
    assert not any("203.0.113" in key for key in keys(session))
    assert f"pair:{TARGET}|testclient" in keys(session)


def test_deleting_an_account_forgets_its_counters(session: Session) -> None:
    fail(session, ATTACKER, "weg_ermee@voorbeeld.nl")
    fail(session, ATTACKER, "wegXermee@voorbeeld.nl")
    auth_limits.forget_address(session, "Weg_Ermee@voorbeeld.nl")
    assert not any("weg_ermee" in key for key in keys(session))
    assert f"pair:wegxermee@voorbeeld.nl|{ATTACKER}" in keys(session)  # '_' is no wildcard

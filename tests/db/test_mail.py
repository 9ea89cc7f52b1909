"""The outbox against a real SMTP server on loopback (aiosmtpd): sent once, retried, never lost."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from app import migrate
from app.config import Settings
from app.mailer import MailWorker
from app.services.mail import outbox as mail
from app.services.mail.outbox import MAX_ATTEMPTS, SmtpSettings, enqueue, send_due
from tests.conftest import fresh_database
from tests.e2e.smtp_sink import SocketController
from tests.live_server import bound_socket, port_of

GM = "GM9901"
ONDERWERP = "Adoptie beëindigd"
TEKST = "Beste bewoner,\n\nUw adoptie van groenvak GV00012 is beëindigd.\n\nDe gemeente"


class Recorder:
    """An aiosmtpd handler that keeps every message and refuses 'onbekend@…' with a 550."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.messages: list[EmailMessage] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.startswith("onbekend@"):
            return "550 5.1.1 Onbekende ontvanger"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        return "250 Message accepted for delivery"


def start_server(sock: socket.socket | None = None,
                 **kwargs: Any) -> tuple[SocketController, Recorder]:
    """An SMTP server on `sock` (bound already), or on a port of its own."""
    recorder = Recorder(kwargs.pop("delay", 0.0))
    controller = SocketController(recorder, sock or bound_socket(), **kwargs)
    controller.start()
    return controller, recorder


def plain(port: int, **kwargs: Any) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, security="none", timeout=5,
                        afzender="Gemeente Lindewaard <noreply@lindewaard.example>", **kwargs)


@pytest.fixture(scope="module")
def db(settings: Settings) -> Iterator[Engine]:
    """A database of its own: send_due commits, so the rolled-back fixtures cannot be used."""
    url = fresh_database(settings, "kaart_test_mail")
    migrate.upgrade(url)
    db = create_engine(url)
    with db.begin() as conn:
        conn.execute(text(f"INSERT INTO gemeente (code, naam) VALUES ('{GM}', 'Lindewaard')"))
    yield db
    db.dispose()


@pytest.fixture(autouse=True)
def empty_outbox(db: Engine) -> None:
    with db.begin() as conn:
        conn.execute(text("DELETE FROM mail_outbox"))


@pytest.fixture()
def server() -> Iterator[tuple[SmtpSettings, Recorder]]:
    controller, recorder = start_server()
    yield plain(controller.port), recorder
    controller.stop()


def queue(db: Engine, aan: str = "bewoner@example.org", **kwargs: Any) -> int:
    with Session(db) as session:
        row = enqueue(session, GM, aan, kwargs.pop("onderwerp", ONDERWERP),
                      kwargs.pop("tekst", TEKST), **kwargs)
        session.commit()
        assert row.id is not None
        return row.id


def outbox(db: Engine, mail_id: int) -> Any:
    with db.connect() as conn:
        return conn.execute(text("SELECT * FROM mail_outbox WHERE id = :id"),
                            {"id": mail_id}).one()


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_rolled_back_mail_is_never_sent(db: Engine, server: Any) -> None:
    smtp, recorder = server
    with Session(db) as session:
        enqueue(session, GM, "bewoner@example.org", ONDERWERP, TEKST)
        session.flush()
        session.rollback()
    assert send_due(db, smtp).sent == 0
    assert recorder.messages == []


def test_committed_mail_is_delivered_exactly_once(db: Engine, server: Any) -> None:
    smtp, recorder = server
    mail_id = queue(db, html="<p>Uw adoptie is <b>beëindigd</b>.</p>")
    assert send_due(db, smtp).sent == 1
    assert send_due(db, smtp).sent == 0
    [msg] = recorder.messages
    assert msg["To"] == "bewoner@example.org"
    assert msg["From"] == "Gemeente Lindewaard <noreply@lindewaard.example>"
    assert msg["Subject"] == ONDERWERP
    assert msg["Message-ID"].endswith("@lindewaard.example>") and msg["Date"]
    body = msg.get_body(("plain",))
    assert body is not None and body.get_content_charset() == "utf-8"
    assert body.get_content().replace("\r\n", "\n").rstrip("\n") == TEKST
    html = msg.get_body(("html",))
    assert html is not None and "<b>beëindigd</b>" in html.get_content()
    row = outbox(db, mail_id)
    assert (row.status, row.pogingen, row.laatste_fout) == ("verzonden", 1, None)
    assert row.verzonden_op is not None


def test_server_down_keeps_the_mail_until_it_is_back(db: Engine) -> None:
    sock = bound_socket()  # ours, but nothing listens yet: connections are refused
    smtp = plain(port_of(sock))
    mail_id = queue(db)
    now = datetime.now(UTC)
    report = send_due(db, smtp, now=now)
    assert (report.sent, report.retrying) == (0, 1)
    row = outbox(db, mail_id)
    assert (row.status, row.pogingen) == ("wachtend", 1)
    assert row.volgende_poging_op == now + timedelta(minutes=1)
    assert "Connection" in row.laatste_fout

    controller, recorder = start_server(sock)
    try:
        assert send_due(db, smtp, now=now + timedelta(seconds=30)).sent == 0  # not due yet
        assert send_due(db, smtp, now=now + timedelta(minutes=2)).sent == 1
    finally:
        controller.stop()
    assert [m["Subject"] for m in recorder.messages] == [ONDERWERP]
    assert outbox(db, mail_id).status == "verzonden"


def test_after_max_attempts_the_mail_is_failed_but_kept(db: Engine) -> None:
    with bound_socket() as closed:  # held for the whole test, never listening: refused
        smtp = plain(port_of(closed))
        mail_id = queue(db)
        now, delays = datetime.now(UTC), []
        for attempt in range(1, MAX_ATTEMPTS + 1):
            send_due(db, smtp, now=now)
            row = outbox(db, mail_id)
            assert row.pogingen == attempt
            delays.append(row.volgende_poging_op - now)
            now = row.volgende_poging_op
        assert row.status == "mislukt"
        minutes = [d // timedelta(minutes=1) for d in delays]
        assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360]
        assert send_due(db, smtp, now=now + timedelta(days=1)).retrying == 0
        assert outbox(db, mail_id).status == "mislukt"


def test_a_refused_recipient_fails_at_once(db: Engine, server: Any) -> None:
    smtp, recorder = server
    refused = queue(db, aan="onbekend@example.org")
    good = queue(db)
    report = send_due(db, smtp)
    assert (report.sent, report.failed) == (1, 1)
    row = outbox(db, refused)
    assert (row.status, row.pogingen) == ("mislukt", 1)
    assert "550" in row.laatste_fout
    assert outbox(db, good).status == "verzonden"
    assert len(recorder.messages) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_and_no_password_in_the_error(db: Engine) -> None:
    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"kaart" \
            and auth_data.password == b"geheim-wachtwoord"
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd sends the 535

    controller, recorder = start_server(authenticator=authenticator, auth_required=True,
                                        auth_require_tls=False)
    port = controller.port
    try:
        wrong = queue(db)
        send_due(db, plain(port, user="kaart", password="fout-wachtwoord"))
        row = outbox(db, wrong)
        assert (row.status, row.pogingen) == ("wachtend", 1)
        assert "Authentication" in row.laatste_fout and "fout-wachtwoord" not in row.laatste_fout
        later = datetime.now(UTC) + timedelta(minutes=5)
        good = plain(port, user="kaart", password="geheim-wachtwoord")
        assert send_due(db, good, now=later).sent == 1
    finally:
        controller.stop()
    assert len(recorder.messages) == 1
    assert "geheim-wachtwoord" not in repr(good)
    assert mail._describe(OSError("kapot: geheim-wachtwoord"), good) == "OSError: kapot: ***"


def test_two_workers_in_parallel_send_each_mail_once(db: Engine) -> None:
    controller, recorder = start_server(delay=0.02)
    port = controller.port
    ids = [queue(db, aan=f"bewoner{i}@example.org") for i in range(20)]
    barrier, reports = threading.Barrier(2), []

    def worker() -> None:
        barrier.wait()
        reports.append(send_due(db, plain(port)))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        controller.stop()
    assert sorted(m["To"] for m in recorder.messages) == sorted(
        f"bewoner{i}@example.org" for i in range(20))
    assert len({m["Message-ID"] for m in recorder.messages}) == 20
    assert sum(r.sent for r in reports) == 20 and all(r.sent > 0 for r in reports)
    assert {outbox(db, i).status for i in ids} == {"verzonden"}


def test_without_smtp_host_mail_goes_to_the_log(db: Engine,
                                                caplog: pytest.LogCaptureFixture) -> None:
    assert mail.smtp_settings(Settings()) is None
    mail_id = queue(db)
    with caplog.at_level(logging.INFO, logger="kaart.mail"):
        assert send_due(db, None).sent == 1
    assert "bewoner@example.org" in caplog.text and ONDERWERP in caplog.text
    assert "beëindigd" in caplog.text
    assert outbox(db, mail_id).status == "verzonden"


def test_smtp_settings_from_settings() -> None:
    class FakeSettings:
        smtp_host, smtp_port, smtp_user, smtp_password = "smtp.example.org", 465, "u", "p"
        smtp_security, mail_afzender = "ssl", "Kaart <kaart@example.org>"

    smtp = mail.smtp_settings(FakeSettings())
    assert smtp == SmtpSettings("smtp.example.org", 465, "u", "p", "ssl",
                                "Kaart <kaart@example.org>")
    with pytest.raises(ValueError, match="KAART_SMTP_SECURITY"):
        SmtpSettings("smtp.example.org", security="tls")  # type: ignore[arg-type]


def test_worker_delivers_after_commit_and_stops_promptly(db: Engine, server: Any) -> None:
    smtp, recorder = server
    # Only a wake-up can deliver within seconds: the worker's own round comes after a minute.
    # (The bounds leave room for a busy machine; they stay far below that minute.)
    worker = MailWorker(db, smtp, interval=60)
    worker.start()
    try:
        time.sleep(0.2)  # let the first pass (empty outbox) finish
        queue(db, onderwerp="Via de commit")  # enqueue's commit wakes the worker itself
        assert wait_for(lambda: len(recorder.messages) == 1)
        with db.begin() as conn:  # a commit outside a Session: the app calls notify()
            conn.execute(text("""INSERT INTO mail_outbox (gemeente_code, aan, onderwerp, tekst)
                                 VALUES (:gm, 'b@example.org', 'Via notify', 'x')"""), {"gm": GM})
        worker.notify()
        assert wait_for(lambda: len(recorder.messages) == 2)
    finally:
        started = time.monotonic()
        worker.stop()
        assert time.monotonic() - started < 5.0
    assert not worker.running
    assert [m["Subject"] for m in recorder.messages] == ["Via de commit", "Via notify"]

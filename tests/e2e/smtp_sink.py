"""A real SMTP server on loopback (aiosmtpd) that keeps every message: the residents' inbox.

    with SmtpSink() as sink:                      # listens on 127.0.0.1:<a port of its own>
        settings = settings.model_copy(update=sink.settings_update())
        ...
        mail = sink.wait_for("a@example.org", "Bevestig")
        link = sink.link(mail, "/account/bevestigen/")
"""

from __future__ import annotations

import re
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

from tests.live_server import bound_socket, port_of

LINK = re.compile(r"https?://[^\s<>\"']+")


class SocketController(Controller):
    """aiosmtpd's threaded Controller, listening on a socket we bound (and so own) already:
    no port is looked up first and bound later, which parallel test workers could race for."""

    def __init__(self, handler: Any, sock: socket.socket, **kwargs: Any) -> None:
        self.sock = sock
        host, port = sock.getsockname()[:2]
        super().__init__(handler, hostname=host, port=port, **kwargs)

    def _create_server(self) -> Any:  # aiosmtpd: "overridden by subclasses" to listen
        return self.loop.create_server(self._factory_invoker, sock=self.sock,
                                       ssl=self.ssl_context)

    def stop(self, no_assert: bool = False) -> None:
        super().stop(no_assert)
        self.sock.close()


class _Recorder:
    """The aiosmtpd handler: parse each message and wake whoever waits for mail."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        with self.arrived:
            self.messages.append(msg)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SmtpSink:
    """Start on enter (or start()), stop on exit; `messages` holds what arrived, in order."""

    def __init__(self) -> None:
        sock = bound_socket()
        self.host, self.port = "127.0.0.1", port_of(sock)
        self._recorder = _Recorder()
        self._controller = SocketController(self._recorder, sock)
        self.running = False

    @property
    def messages(self) -> list[EmailMessage]:
        with self._recorder.arrived:
            return list(self._recorder.messages)

    def start(self) -> SmtpSink:
        self._controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        """Stop listening (and give the port back); harmless when it never started."""
        if self.running:
            self._controller.stop()
            self.running = False
        self._controller.sock.close()

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def settings_update(self) -> dict[str, Any]:
        """The Settings fields that send the app's mail here (no TLS, no login)."""
        return {"smtp_host": self.host, "smtp_port": self.port, "smtp_security": "none",
                "smtp_user": ""}

    def wait_for(self, to: str, subject: str, timeout: float = 10.0) -> EmailMessage:
        """The first message to `to` whose subject contains `subject`; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._recorder.arrived:
            while True:
                for msg in self._recorder.messages:
                    if to.lower() in str(msg["To"]).lower() and subject in str(msg["Subject"]):
                        return msg
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(str(m["To"]), str(m["Subject"])) for m in self._recorder.messages]
                    raise AssertionError(f"no mail to {to} about {subject!r} within {timeout} s;"
                                         f" the sink has {seen}")
                self._recorder.arrived.wait(left)

    def to(self, address: str) -> list[EmailMessage]:
        """Every message to one address, in order of arrival."""
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    @staticmethod
    def text(msg: EmailMessage) -> str:
        """The plain-text body with \\n line ends."""
        body = msg.get_body(("plain",))
        assert body is not None, "the mail has no text/plain part"
        content: str = body.get_content()  # type: ignore[attr-defined]
        return content.replace("\r\n", "\n")

    @classmethod
    def link(cls, msg: EmailMessage, path: str) -> str:
        """The one absolute link in the mail whose path starts with `path`."""
        links = [u for u in LINK.findall(cls.text(msg)) if path in u]
        assert len(links) == 1, f"expected one {path} link in the mail, found {links}"
        return str(links[0]).rstrip(".,)")

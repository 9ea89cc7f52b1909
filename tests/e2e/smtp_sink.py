"""A real SMTP server on loopback (aiosmtpd) that keeps every message: the residents' inbox.

    with SmtpSink() as sink:                      # listens on 127.0.0.1:<free port>
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

LINK = re.compile(r"https?://[^\s<>\"']+")


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port()
        self._recorder = _Recorder()
        self._controller = Controller(self._recorder, hostname=host, port=self.port)
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
        """Stop listening; harmless when it never started."""
        if self.running:
            self._controller.stop()
            self.running = False

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

"""The mail outbox: queue in the transaction, send after commit."""

from app.services.mail.outbox import (
    QUEUED,
    SendReport,
    SmtpSettings,
    enqueue,
    send_due,
    smtp_settings,
)

__all__ = [
    "QUEUED",
    "SendReport",
    "SmtpSettings",
    "enqueue",
    "send_due",
    "smtp_settings",
]

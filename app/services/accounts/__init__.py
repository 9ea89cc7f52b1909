"""Accounts: registration, login, sessions, links, API keys and who may act."""

from app.services.accounts.apikeys import (
    authenticate as apikey_authenticate,
)
from app.services.accounts.apikeys import (
    create_from_cli as apikey_create_from_cli,
)
from app.services.accounts.auth import (
    EmailNotVerified,
    FieldError,
    LoginFailed,
    authenticate,
    check_email,
    check_naam,
    check_password_policy,
    confirm_password,
    register,
    resend_verification,
    verify_email,
)
from app.services.accounts.gebruikers import (
    create_from_cli,
    create_user,
    find_by_email,
    new_password,
)
from app.services.accounts.gegevens import (
    delete_account,
    export_my_data,
    record_export,
)
from app.services.accounts.limits import (
    TooManyAttempts,
)
from app.services.accounts.recovery import (
    confirm_email_change,
    request_email_change,
    request_password_reset,
    reset_link_valid,
    reset_password,
)
from app.services.accounts.rollen import (
    STAFF,
    SYSTEEM,
    actor_of,
    require_staff,
    require_user,
)
from app.services.accounts.sessions import (
    LIFETIME,
    create_session,
    end_session,
    load_session,
)
from app.services.accounts.tokens import (
    InvalidLink,
)

__all__ = [
    "EmailNotVerified",
    "FieldError",
    "InvalidLink",
    "LIFETIME",
    "LoginFailed",
    "STAFF",
    "SYSTEEM",
    "TooManyAttempts",
    "actor_of",
    "apikey_authenticate",
    "apikey_create_from_cli",
    "authenticate",
    "check_email",
    "check_naam",
    "check_password_policy",
    "confirm_email_change",
    "confirm_password",
    "create_from_cli",
    "create_session",
    "create_user",
    "delete_account",
    "end_session",
    "export_my_data",
    "find_by_email",
    "load_session",
    "new_password",
    "record_export",
    "register",
    "request_email_change",
    "request_password_reset",
    "require_staff",
    "require_user",
    "resend_verification",
    "reset_link_valid",
    "reset_password",
    "verify_email",
]

"""Accounts over HTTP: register, log in, own data; the auth dependencies."""

from app.api.account.auth import (
    STAFF_ONLY,
    STAFF_ROLES,
    CsrfProtect,
    CurrentUser,
    LoginRequired,
    RequireStaff,
    RequireUser,
    get_current_user,
    install,
)
from app.api.account.pages import (
    site_url,
)
from app.api.account.routes import (
    router,
)

__all__ = [
    "CsrfProtect",
    "CurrentUser",
    "LoginRequired",
    "RequireStaff",
    "RequireUser",
    "STAFF_ONLY",
    "STAFF_ROLES",
    "get_current_user",
    "install",
    "router",
    "site_url",
]

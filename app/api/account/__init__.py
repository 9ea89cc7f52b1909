"""Accounts over HTTP: register, log in, own data; the auth dependencies."""

from app.api.account.auth import (
    STAFF_ONLY,
    STAFF_ROLES,
    AfterLogin,
    CsrfProtect,
    CurrentUser,
    LoginRequired,
    RequireStaff,
    RequireUser,
    after_login,
    get_current_user,
    install,
    login_url,
    safe_next,
)
from app.api.account.pages import (
    site_url,
)
from app.api.account.routes import (
    router,
)

__all__ = [
    "AfterLogin",
    "CsrfProtect",
    "CurrentUser",
    "LoginRequired",
    "RequireStaff",
    "RequireUser",
    "STAFF_ONLY",
    "STAFF_ROLES",
    "after_login",
    "get_current_user",
    "install",
    "login_url",
    "router",
    "safe_next",
    "site_url",
]

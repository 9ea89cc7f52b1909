"""What every router uses: dependencies, CSRF, problem+json, caching, labels; and the edge
middleware: CSP and security headers, allowed hosts and proxies, CORS for /v1, HTTP methods."""

from app.api.common.basiskaart import (
    kaart_settings,
)
from app.api.common.caching import (
    REVALIDATE,
    cached,
    etag_for,
    not_modified,
)
from app.api.common.cors import (
    OpenApiCORS,
)
from app.api.common.csp import (
    SecurityPolicy,
)
from app.api.common.csrf import (
    SESSION_COOKIE,
    CookieMiddleware,
    apply_cookies,
    check_csrf,
    clear_session_cookie,
    install_template_globals,
    set_session_cookie,
)
from app.api.common.deps import (
    GemeenteDep,
    SessionDep,
    SettingsDep,
    TemplatesDep,
    is_htmx,
    render,
)
from app.api.common.health import (
    router,
)
from app.api.common.hosts import (
    install as hosts_install,
)
from app.api.common.http_methods import (
    HttpMethods,
)
from app.api.common.labels import (
    ACTIVITEIT_LABEL,
    ADOPTIE_STATUS_LABEL,
    DEELNAME_LABEL,
    GROENVAK_STATUS_KLEUR,
    GROENVAK_STATUS_LABEL,
    ROL_LABEL,
    UITKOMST_LABEL,
    dag,
    moment,
)
from app.api.common.problems import (
    install as problems_install,
)
from app.api.common.problems import (
    problem,
)

__all__ = [
    "ACTIVITEIT_LABEL",
    "ADOPTIE_STATUS_LABEL",
    "CookieMiddleware",
    "DEELNAME_LABEL",
    "GROENVAK_STATUS_KLEUR",
    "GROENVAK_STATUS_LABEL",
    "GemeenteDep",
    "HttpMethods",
    "OpenApiCORS",
    "REVALIDATE",
    "ROL_LABEL",
    "SESSION_COOKIE",
    "SecurityPolicy",
    "SessionDep",
    "SettingsDep",
    "TemplatesDep",
    "UITKOMST_LABEL",
    "apply_cookies",
    "cached",
    "check_csrf",
    "clear_session_cookie",
    "dag",
    "etag_for",
    "hosts_install",
    "install_template_globals",
    "is_htmx",
    "kaart_settings",
    "moment",
    "not_modified",
    "problem",
    "problems_install",
    "render",
    "router",
    "set_session_cookie",
]

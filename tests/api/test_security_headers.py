"""Every HTML page carries a strict Content-Security-Policy and has nothing inline it would block.

The routes come from the app's route table (so a new page is checked without being listed here),
with sample ids from the demo gemeente; each is fetched as a whole page and as an htmx partial,
anonymously, as a bewoner and as a medewerker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.common.csp import content_security_policy
from app.config import Settings
from app.main import create_app
from app.services.demo.adopties import BEWONER, MEDEWERKER
from tests.api.account_helpers import GEMEENTE, HTML, login, make_client, resident
from tests.conftest import scalar

REQUIRED = {"default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"],
            "object-src": ["'none'"], "base-uri": ["'self'"], "frame-ancestors": ["'none'"],
            "form-action": ["'self'"]}
# HTML pages of the open API (content negotiation, so not HTMLResponse routes)
OGC_PAGES = ["/v1?f=html", "/v1/collections?f=html", "/v1/collections/voorzieningen?f=html",
             "/v1/collections/voorzieningen/items?f=html&limit=5",
             "/v1/collections/groenvakken/items?f=html&limit=5"]


def parse_policy(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def policy_problems(header: str | None, basemap_origins: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with a Content-Security-Policy header, if anything."""
    if not header:
        return ["no Content-Security-Policy"]
    policy = parse_policy(header)
    problems = [f"{name} is {policy.get(name)}, expected {sources}"
                for name, sources in REQUIRED.items() if policy.get(name) != sources]
    for name, sources in policy.items():
        for source in sources:
            if "unsafe" in source or "*" in source or source in ("http:", "https:", "blob:"):
                problems.append(f"{name} allows {source}")
            allowed = {"'self'", "'none'"} | ({"data:", *basemap_origins} if name == "img-src"
                                               else set())
            if source not in allowed:
                problems.append(f"{name} allows {source}")
    return problems


class InlineFinder(HTMLParser):
    """Inline <script>, <style> elements, style= and on…= attributes: what the CSP blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        if "style" in names:
            self.found.append(f"style attribute on <{tag}>")
        self.found += [f"{name} handler on <{tag}>" for name in names if name.startswith("on")]
        self.found += [f"javascript: URL on <{tag}>" for _, value in attrs
                       if value and value.strip().lower().startswith("javascript:")]


def inline_problems(page: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(page)
    return finder.found


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(inner.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def html_get_paths(app: Any) -> list[str]:
    """Every GET route that answers HTML, as declared in the route table."""
    return [path for path, route in _walk(app.routes)
            if "GET" in (route.methods or set()) and route.response_class is HTMLResponse]


def sample_ids(session: Session) -> dict[str, str]:
    """A value per path parameter: rows of the demo gemeente (plus one voorstel)."""
    def one(sql: str) -> str:
        return str(scalar(session, sql, g=GEMEENTE))

    voorziening = one("SELECT min(id) FROM voorziening WHERE gemeente_code = :g "
                      "AND status = 'gepubliceerd'")
    categorie = one("SELECT min(id) FROM categorie WHERE gemeente_code = :g")
    voorstel = str(scalar(session, """
        INSERT INTO voorstel (gemeente_code, soort, gegevens, geometrie)
        SELECT :g, 'nieuw', jsonb_build_object('naam', 'Buurttuin', 'categorie', CAST(:c AS text)),
               geometrie FROM voorziening WHERE id = :v RETURNING id""",
                          g=GEMEENTE, c=categorie, v=voorziening))
    return {
        "groenvak_id": one("SELECT min(groenvak_id) FROM adoptie WHERE gemeente_code = :g"),
        "adoptie_id": one("SELECT min(id) FROM adoptie WHERE gemeente_code = :g "
                          "AND status = 'actief'"),
        "voorziening_id": voorziening, "categorie_id": categorie, "voorstel_id": voorstel,
        "code": one("SELECT min(code) FROM gebied WHERE gemeente_code = :g AND soort = 'wijk'"),
        # unknown ones: their 404 or 'link expired' pages are HTML pages too
        "token": "onbekend-token", "taak_id": "999999", "job_id": "999999",
    }


def fill(path: str, ids: dict[str, str], session: Session) -> str:
    if path.startswith("/dorpen/"):
        ids = {**ids, "code": str(scalar(session, "SELECT min(code) FROM gebied WHERE "
                                         "gemeente_code = :g AND soort = 'dorp'", g=GEMEENTE))}
    missing = [p for p in re.findall(r"\{(\w+)\}", path) if p not in ids]
    assert not missing, f"no sample value for {missing} in {path}: add one to sample_ids"
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


@pytest.fixture()
def web(settings: Settings, db_url: str, session: Session) -> Iterator[TestClient]:
    with make_client(settings, db_url, session) as client:
        yield client


@pytest.mark.parametrize("who", ["anoniem", BEWONER, MEDEWERKER])
def test_every_html_page_has_a_strict_policy_and_nothing_inline(
        web: TestClient, session: Session, who: str) -> None:
    if who != "anoniem":
        resident(session, who)
        assert login(web, who).status_code == 303
    ids = sample_ids(session)
    paths = [fill(p, ids, session) for p in html_get_paths(web.app)] + OGC_PAGES
    assert len(paths) > 40 and "/zelfbeheer" in paths and "/mijn-groen" in paths
    problems: dict[str, list[str]] = {}
    ok = 0
    for path in paths:
        for headers in (HTML, {**HTML, "HX-Request": "true"}):
            response = web.get(path, headers=headers)
            assert response.status_code < 500, path
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            ok += response.status_code == 200
            found = policy_problems(response.headers.get("content-security-policy"))
            found += inline_problems(response.text)
            if "permissions-policy" not in response.headers:
                found.append("no Permissions-Policy")
            if found:
                problems[f"{path} ({'htmx' if 'HX-Request' in headers else 'page'})"] = found
    assert problems == {}
    assert ok > 30  # most pages really rendered, not just error pages


def test_error_pages_and_api_answers_carry_the_policy_too(web: TestClient) -> None:
    for path, headers in [("/bestaat-niet", HTML), ("/v1/collections", {}),
                          ("/static/js/kaartbasis.js", {})]:
        response = web.get(path, headers=headers)
        assert policy_problems(response.headers.get("content-security-policy")) == [], path


def test_policy_names_only_the_basemap_origin(settings: Settings, db_url: str) -> None:
    url = "https://{s}.tiles.example:8443/rd/{z}/{x}/{y}.png"
    origins = tuple(f"https://{s}.tiles.example:8443" for s in "abc")
    custom = settings.model_copy(update={"basemap_url": url})
    with TestClient(create_app(custom, url=db_url)) as client:
        header = client.get("/inloggen", headers=HTML).headers["content-security-policy"]
    assert policy_problems(header, origins) == []
    assert parse_policy(header)["img-src"] == ["'self'", "data:", *origins]
    assert parse_policy(header)["connect-src"] == ["'self'"]
    # without a basemap no other origin at all (the tests' default)
    assert parse_policy(content_security_policy(""))["img-src"] == ["'self'", "data:"]
    assert parse_policy(content_security_policy("not a url"))["img-src"] == ["'self'", "data:"]


def test_permissions_policy_allows_geolocation_only_for_ourselves(web: TestClient) -> None:
    header = web.get("/zelfbeheer", headers=HTML).headers["permissions-policy"]
    rules = dict(part.strip().split("=", 1) for part in header.split(","))
    assert rules.pop("geolocation") == "(self)"  # "Bij mij in de buurt" on /zelfbeheer
    assert rules and set(rules.values()) == {"()"}


def test_the_checker_finds_what_it_should() -> None:
    """The checks above are only worth something if they catch the real mistakes."""
    page = ('<div style="color:red" onclick="x()"><script>alert(1)</script><style>p{}</style>'
            '<a href="javascript:alert(1)">x</a><script src="/static/js/a.js"></script>'
            '<script type="application/json">{}</script></div>')
    assert inline_problems(page) == [
        "style attribute on <div>", "onclick handler on <div>", "inline <script>",
        "<style> element", "javascript: URL on <a>", "inline <script>"]
    assert policy_problems(None) == ["no Content-Security-Policy"]
    loose = content_security_policy("").replace("script-src 'self'",
                                                "script-src 'self' 'unsafe-inline' *")
    assert "script-src allows 'unsafe-inline'" in policy_problems(loose)
    assert "script-src allows *" in policy_problems(loose)
    assert policy_problems(content_security_policy("")) == []

"""The Dutch API Design Rules (ADR 2.2, Logius' Spectral ruleset) as plain Python checks.

One function per rule of the ruleset the project is held to (`adr-ogc.yaml`: ADR 2.2 plus the
OGC API exceptions); each takes the OpenAPI document and returns what breaks the rule, one
line per finding, empty when the document complies. Like Spectral, the checks see the document
with its local `$ref`s resolved; only the camelCase rule looks at the `$ref`s themselves,
because the OGC exceptions hang on them. Severity "warn" rules are not checked: the bar is
an error-free run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from tests.adr.document import (
    METHODS,
    Doc,
    follow,
    keyed,
    nodes,
    operations,
    resolved,
    responses,
)
from tests.adr.openapi_rules import (
    api_servers,
    oas3_schema,
    openapi3,
    openapi_root_exists,
    operation_id_unique,
    path_params,
    server_variables,
    tags_unique,
    valid_media_example,
    valid_schema_example,
)

# ADR /core/http-methods: operations use these; a path item may also carry these fields
PATH_ITEM_FIELDS = {*METHODS, "parameters", "summary", "description", "servers", "$ref"}
# adr-ogc.yaml turns nlgov:query-keys-camel-case off for these shared parameters: OGC fixes
# their names. The exception holds only for parameters that $ref these components.
OGC_EXCEPTED = {f"#/components/parameters/{name}"
                for name in ("bbox-crs", "filter-lang", "filter-crs")}
VERSION_HEADERS = {"API-Version", "Api-Version", "Api-version", "api-version", "API-version"}
PROBLEM_TYPES = ("application/problem+json", "application/problem+xml")
KEBAB_PATH = re.compile(r"^(\/|(\/_[a-z0-9]+|\/(([a-z0-9\-]+|{[^}]+})(\/([a-z0-9\-\.]+|{[^}]+}))*)"
                        r"(\/_[a-z]+)?)\/?)$")
CAMEL_KEY = re.compile(r"^\$?[a-z][a-z\d]*([A-Z][a-z\d]*)*$")
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-]"
                    r"[0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")
DATE_NAME = re.compile(r"((\w+D)|(_[dD]))((ate)|(atum))")


def missing_header(doc: Doc) -> list[str]:
    """/core/version-header: every 2xx and 3xx response declares headers."""
    return [f"{where} declares no headers" for where, response
            in responses(resolved(doc), r"(2|3)\d\d") if not response.get("headers")]


def missing_version_header(doc: Doc) -> list[str]:
    """/core/version-header: those headers include API-Version."""
    return [f"{where} does not declare API-Version" for where, response
            in responses(resolved(doc), r"(2|3)\d\d")
            if response.get("headers") and not VERSION_HEADERS & set(response["headers"])]


def include_major_version_in_uri(doc: Doc) -> list[str]:
    """/core/uri-version; stricter than the ruleset: the URL ends in /v<major of info.version>."""
    major = str(doc.get("info", {}).get("version", "")).split(".")[0]
    return [f"server {s.get('url')} does not end in /v{major}" for s in doc.get("servers", [])
            if not (re.search(r"\/v[\d+]", s.get("url", ""))
                    and s.get("url", "").endswith(f"/v{major}"))]


def no_trailing_slash(doc: Doc) -> list[str]:
    """/core/no-trailing-slash (path-keys-no-trailing-slash, nlgov:paths-no-trailing-slash)."""
    return [f"{path} ends in a slash" for path in doc.get("paths", {})
            if path != "/" and path.endswith("/")]


def info_contact(doc: Doc) -> list[str]:
    """/core/doc-openapi-contact."""
    return [] if doc.get("info", {}).get("contact") else ["info.contact is missing"]


def info_contact_fields_exist(doc: Doc) -> list[str]:
    contact = doc.get("info", {}).get("contact") or {}
    return [f"info.contact.{f} is missing" for f in ("email", "name", "url") if f not in contact]


def http_methods(doc: Doc) -> list[str]:
    """/core/http-methods: only the standard methods (no HEAD, OPTIONS or TRACE operations)."""
    return [f"{path}: {key} is not a standard method" for path, item in doc.get("paths", {}).items()
            for key in item if key not in PATH_ITEM_FIELDS]


def paths_kebab_case(doc: Doc) -> list[str]:
    """/core/path-segments-kebab-case (the OpenAPI document's own path aside)."""
    return [f"{path} is not kebab-case" for path in doc.get("paths", {})
            if not re.search(r"\/openapi\.(json)|(yaml)", path) and not KEBAB_PATH.match(path)]


def query_keys_camel_case(doc: Doc) -> list[str]:
    """/core/query-keys-camel-case, minus the OGC names adr-ogc.yaml excepts (when $ref'd)."""
    full = resolved(doc)
    found = []
    for path, method, op, item in operations(doc):
        for param in [*item.get("parameters", []), *op.get("parameters", [])]:
            if param.get("$ref") in OGC_EXCEPTED:
                continue
            real = follow(doc, param)
            if real.get("in") == "query" and not CAMEL_KEY.match(real.get("name", "")):
                found.append(f"{method.upper()} {path}: {real.get('name')} is not lower camelCase")
    schemes = full.get("components", {}).get("securitySchemes", {})
    found += [f"securityScheme {k}: {s.get('name')} is not lower camelCase"
              for k, s in schemes.items()
              if s.get("in") == "query" and not CAMEL_KEY.match(s.get("name", ""))]
    return found


def use_problem_schema(doc: Doc) -> list[str]:
    """/core/error-handling/problem-details: errors are application/problem+json (or +xml)."""
    return [f"{where} is not problem+json" for where, response
            in responses(resolved(doc), r"(4|5)\d\d")
            if "content" in response and not set(PROBLEM_TYPES) & set(response["content"])]


def problem_schema_members(doc: Doc) -> list[str]:
    """A problem's schema has the members status, title and detail."""
    found = []
    for where, response in responses(resolved(doc), r"(4|5)\d\d"):
        for media, content in (response.get("content") or {}).items():
            if media not in PROBLEM_TYPES:
                continue
            for at, schema in keyed({"content": content}, "schema"):
                members = schema.get("properties")
                if isinstance(members, dict):
                    found += [f"{where}.{media}{at[1:]} lacks {m}"
                              for m in ("status", "title", "detail") if m not in members]
    return found


def problem_invalid_input(doc: Doc) -> list[str]:
    """/core/error-handling/invalid-input: writes, and reads that take parameters, declare 400."""
    return [f"{method.upper()} {path} does not declare 400"
            for path, method, op, item in operations(doc)
            if (method not in ("get", "delete") or op.get("parameters") or item.get("parameters"))
            and "400" not in op.get("responses", {})]


def _property_formats(doc: Doc) -> Iterator[tuple[str, str, Any]]:
    """(location, property name, schema) of every schema property (`$..properties[*]`)."""
    for where, props in keyed(resolved(doc), "properties"):
        for name, schema in props.items():
            if isinstance(schema, dict):
                yield f"{where}.{name}", name, schema


def date_time_ensure_timezone(doc: Doc) -> list[str]:
    """/core/date-time/timezone: date-time with a zone, so never date-time-local."""
    return [f"{w} uses date-time-local" for w, _, s in _property_formats(doc)
            if s.get("format") == "date-time-local"]


def time_without_timezone(doc: Doc) -> list[str]:
    """/core/date-time: a time of day is time-local, not time."""
    return [f"{w} uses format time" for w, _, s in _property_formats(doc)
            if s.get("format") == "time"]


def _date_properties(doc: Doc) -> Iterator[tuple[str, Any]]:
    for where, name, schema in _property_formats(doc):
        if name in ("date", "datum") or DATE_NAME.search(name):
            yield where, schema


def specify_format_for_date_and_time(doc: Doc) -> list[str]:
    """/core/date-time/date-omit-time-portion: a field named like a date sets a format."""
    return [f"{w} sets no format" for w, s in _date_properties(doc)
            if "format" not in s and not (isinstance(s.get("allOf"), list) and all(
                isinstance(part, dict) and "format" in part for part in s["allOf"]))]


def use_date_instead_of_datetime(doc: Doc) -> list[str]:
    """A field named like a date is a date, not a date-time."""
    return [f"{w} is a date-time" for w, s in _date_properties(doc)
            for _, node in nodes(s) if isinstance(node, dict) and node.get("format") == "date-time"]


def semver(doc: Doc) -> list[str]:
    """/core/version-header: info.version is a semantic version."""
    version = str(doc.get("info", {}).get("version", ""))
    return [] if SEMVER.match(version) else [f"info.version {version!r} is not semver"]


class Rule(NamedTuple):
    code: str  # as the ruleset names it
    check: Callable[[Doc], list[str]]


RULES = [Rule(code, check) for code, check in [
    ("oas3-schema", oas3_schema),
    ("nlgov:openapi-root-exists", openapi_root_exists),
    ("nlgov:openapi3", openapi3),
    ("operation-operationId-unique", operation_id_unique),
    ("openapi-tags-uniqueness", tags_unique),
    ("path-params", path_params),
    ("oas3-valid-media-example", valid_media_example),
    ("oas3-valid-schema-example", valid_schema_example),
    ("oas3-api-servers", api_servers),
    ("oas3-server-variables", server_variables),
    ("nlgov:missing-header", missing_header),
    ("nlgov:missing-version-header", missing_version_header),
    ("nlgov:include-major-version-in-uri", include_major_version_in_uri),
    ("nlgov:paths-no-trailing-slash", no_trailing_slash),
    ("info-contact", info_contact),
    ("nlgov:info-contact-fields-exist", info_contact_fields_exist),
    ("nlgov:http-methods", http_methods),
    ("nlgov:paths-kebab-case", paths_kebab_case),
    ("nlgov:query-keys-camel-case", query_keys_camel_case),
    ("nlgov:use-problem-schema", use_problem_schema),
    ("nlgov:problem-schema-members", problem_schema_members),
    ("nlgov:problem-invalid-input", problem_invalid_input),
    ("nlgov:date-time-ensure-timezone", date_time_ensure_timezone),
    ("nlgov:time-without-timezone", time_without_timezone),
    ("nlgov:specify-format-for-date-and-time", specify_format_for_date_and_time),
    ("nlgov:use-date-instead-of-datetime", use_date_instead_of_datetime),
    ("nlgov:semver", semver),
]]

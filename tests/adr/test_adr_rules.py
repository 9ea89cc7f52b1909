"""The served OpenAPI document keeps every API Design Rule, and each check can fail.

The second half breaks the real document in one small way per row and expects the rule's
check to notice: a check that cannot fail would prove nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.adr.document import Doc
from tests.adr.rules import RULES

BY_CODE = {rule.code: rule for rule in RULES}
ITEMS = "/collections/wijken/items"
FEATURE = "/collections/wijken/items/{featureId}"


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_served_document_keeps_the_rule(adr_document: Doc, rule: Any) -> None:
    assert rule.check(adr_document) == []


def rename_path(old: str, new: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        doc["paths"][new] = doc["paths"].pop(old)
    return mutate


def add_problem_property(name: str, schema: dict[str, Any]) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        doc["components"]["schemas"]["Problem"]["properties"][name] = schema
    return mutate


def add_query_parameter(name: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        doc["paths"]["/"]["get"]["parameters"].append(
            {"name": name, "in": "query", "schema": {"type": "integer"}})
    return mutate


def inline_bbox_crs(doc: Doc) -> None:
    """The OGC exception holds only for the shared component, not for a copy in place."""
    params = doc["paths"][ITEMS]["get"]["parameters"]
    at = params.index({"$ref": "#/components/parameters/bbox-crs"})
    params[at] = doc["components"]["parameters"]["bbox-crs"]


def query_api_key(doc: Doc) -> None:
    doc["components"]["securitySchemes"]["apiKey"].update(**{"in": "query", "name": "api_key"})


def set_at(*path_and_value: Any) -> Callable[[Doc], None]:
    *path, value = path_and_value

    def mutate(doc: Doc) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return mutate


def delete_at(*path: Any) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return mutate


def duplicate_operation_id(doc: Doc) -> None:
    doc["paths"]["/conformance"]["get"]["operationId"] = doc["paths"]["/"]["get"]["operationId"]


def duplicate_tag(doc: Doc) -> None:
    doc["tags"].append(dict(doc["tags"][0]))


def head_operation(doc: Doc) -> None:
    doc["paths"]["/"]["head"] = copy.deepcopy(doc["paths"]["/"]["get"])


BREAKS: list[tuple[str, str, Callable[[Doc], None]]] = [
    ("oas3-schema", "info without title", delete_at("info", "title")),
    ("nlgov:openapi-root-exists", "no openapi member", delete_at("openapi")),
    ("nlgov:openapi3", "Swagger 2.0", set_at("openapi", "2.0")),
    ("operation-operationId-unique", "an operationId twice", duplicate_operation_id),
    ("openapi-tags-uniqueness", "a tag twice", duplicate_tag),
    ("path-params", "{id} without its parameter", rename_path(FEATURE, ITEMS + "/{id}")),
    ("path-params", "optional path parameter",
     set_at("components", "parameters", "featureId", "required", False)),
    ("oas3-valid-media-example", "a number as API-Version example",
     set_at("components", "headers", "API-Version", "example", 100)),
    ("oas3-valid-schema-example", "status example that is text",
     set_at("components", "schemas", "Problem", "properties", "status", "example", "vier")),
    ("oas3-api-servers", "no servers", set_at("servers", [])),
    ("oas3-server-variables", "undefined server variable",
     set_at("servers", [{"url": "http://testserver/{omgeving}/v1"}])),
    ("nlgov:missing-header", "304 without headers",
     delete_at("components", "responses", "NotModified", "headers")),
    ("nlgov:missing-version-header", "304 without API-Version",
     delete_at("components", "responses", "NotModified", "headers", "API-Version")),
    ("nlgov:include-major-version-in-uri", "no version in the server URL",
     set_at("servers", [{"url": "http://testserver/api"}])),
    ("nlgov:include-major-version-in-uri", "server v2 for API 1.0.0",
     set_at("servers", [{"url": "http://testserver/v2"}])),
    ("nlgov:paths-no-trailing-slash", "/collections/",
     rename_path("/collections", "/collections/")),
    ("info-contact", "no contact", delete_at("info", "contact")),
    ("nlgov:info-contact-fields-exist", "contact without e-mail",
     delete_at("info", "contact", "email")),
    ("nlgov:http-methods", "a HEAD operation", head_operation),
    ("nlgov:paths-kebab-case", "uppercase segment",
     rename_path(ITEMS, "/collections/wijken/Items")),
    ("nlgov:paths-kebab-case", "snake_case segment",
     rename_path("/conformance", "/conformance_klassen")),
    ("nlgov:query-keys-camel-case", "snake_case query key", add_query_parameter("page_size")),
    ("nlgov:query-keys-camel-case", "kebab-case query key", add_query_parameter("max-items")),
    ("nlgov:query-keys-camel-case", "bbox-crs not via its component", inline_bbox_crs),
    ("nlgov:query-keys-camel-case", "API key in a snake_case query key", query_api_key),
    ("nlgov:use-problem-schema", "400 as plain JSON",
     set_at("components", "responses", "BadRequest", "content",
            {"application/json": {"schema": {"type": "object"}}})),
    ("nlgov:problem-schema-members", "problem without detail",
     delete_at("components", "schemas", "Problem", "properties", "detail")),
    ("nlgov:problem-invalid-input", "items without 400",
     delete_at("paths", ITEMS, "get", "responses", "400")),
    ("nlgov:problem-invalid-input", "POST without 400",
     delete_at("paths", "/collections/groenvakken/items", "post", "responses", "400")),
    ("nlgov:date-time-ensure-timezone", "date-time-local",
     add_problem_property("tijdstip", {"type": "string", "format": "date-time-local"})),
    ("nlgov:time-without-timezone", "format time",
     add_problem_property("openingstijd", {"type": "string", "format": "time"})),
    ("nlgov:specify-format-for-date-and-time", "datum without format",
     add_problem_property("datum", {"type": "string"})),
    ("nlgov:specify-format-for-date-and-time", "startDate without format",
     add_problem_property("startDate", {"type": "string"})),
    ("nlgov:use-date-instead-of-datetime", "eindDatum as date-time",
     add_problem_property("eindDatum", {"type": "string", "format": "date-time"})),
    ("nlgov:semver", "two-part version", set_at("info", "version", "1.0")),
    ("nlgov:semver", "v-prefixed version", set_at("info", "version", "v1.0.0")),
]


@pytest.mark.parametrize(("code", "what", "mutate"), BREAKS,
                         ids=[f"{code}: {what}" for code, what, _ in BREAKS])
def test_the_check_catches_a_break(adr_document: Doc, code: str, what: str,
                                   mutate: Callable[[Doc], None]) -> None:
    broken = copy.deepcopy(adr_document)
    mutate(broken)
    assert BY_CODE[code].check(broken), f"{code} did not notice: {what}"


def test_every_rule_is_shown_to_fail() -> None:
    assert {code for code, _, _ in BREAKS} == set(BY_CODE)

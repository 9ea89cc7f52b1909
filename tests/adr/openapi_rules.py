"""The rules of Spectral's OpenAPI set that the ADR ruleset turns on (/core/publish-openapi,
/core/doc-openapi): the document must be valid and consistent before the ADR rules mean much."""

from __future__ import annotations

import re
from typing import Any

from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from tests.adr.document import Doc, nodes, operations, resolved


def oas3_schema(doc: Doc) -> list[str]:
    """The document is valid OpenAPI 3."""
    try:
        validate(doc)
    except Exception as exc:  # the validator's own error says what is wrong
        return [str(exc).splitlines()[0]]
    return []


def openapi_root_exists(doc: Doc) -> list[str]:
    return [] if doc.get("openapi") else ["$.openapi is missing"]


def openapi3(doc: Doc) -> list[str]:
    version = str(doc.get("openapi", ""))
    return [] if re.search(r"^3(.\d+){1,2}$", version) else [f"openapi {version!r} is not 3.x"]


def operation_id_unique(doc: Doc) -> list[str]:
    seen: dict[str, str] = {}
    found = []
    for path, method, op, _ in operations(doc):
        op_id, here = op.get("operationId"), f"{method.upper()} {path}"
        if op_id in seen:
            found.append(f"operationId {op_id} of {here} is also used by {seen[op_id]}")
        elif op_id:
            seen[op_id] = here
    return found


def tags_unique(doc: Doc) -> list[str]:
    names = [tag.get("name") for tag in doc.get("tags", [])]
    return [f"tag {name!r} is defined twice" for name in sorted(
        {n for n in names if names.count(n) > 1})]


def path_params(doc: Doc) -> list[str]:
    """Each {name} in a path is a required path parameter, and each path parameter is used."""
    doc = resolved(doc)
    found = []
    shapes: dict[str, str] = {}
    for path in doc.get("paths", {}):
        shape = re.sub(r"{[^}]+}", "{}", path)
        if shape in shapes:
            found.append(f"{path} and {shapes[shape]} are the same path")
        shapes[shape] = path
    for path, method, op, item in operations(doc):
        in_path = re.findall(r"{([^}]+)}", path)
        if len(in_path) != len(set(in_path)):
            found.append(f"{path} names a path parameter twice")
        params = {p["name"]: p for p in [*item.get("parameters", []), *op.get("parameters", [])]
                  if p.get("in") == "path"}
        for name in in_path:
            if name not in params:
                found.append(f"{method.upper()} {path}: {{{name}}} is not defined")
            elif params[name].get("required") is not True:
                found.append(f"{method.upper()} {path}: {{{name}}} is not required")
        found += [f"{method.upper()} {path}: path parameter {name} is not in the path"
                  for name in params if name not in in_path]
    return found


def _validate(schema: Any, value: Any, doc: Doc) -> str | None:
    """None when `value` fits `schema` (a cycle's $ref resolves against the components)."""
    validator = OAS30Validator({**schema, "components": doc.get("components", {})},
                               format_checker=OAS30Validator.FORMAT_CHECKER)
    error = next(iter(validator.iter_errors(value)), None)
    return None if error is None else error.message


def valid_media_example(doc: Doc) -> list[str]:
    """Examples of media types, parameters and headers fit their schema."""
    full = resolved(doc)
    found = []
    for where, node in nodes(full):
        if not (isinstance(node, dict) and isinstance(node.get("schema"), dict)):
            continue
        examples = [node["example"]] if "example" in node else []
        examples += [e["value"] for e in node.get("examples", {}).values() if "value" in e]
        for example in examples:
            if (error := _validate(node["schema"], example, doc)) is not None:
                found.append(f"{where}: example does not fit the schema: {error}")
    return found


def valid_schema_example(doc: Doc) -> list[str]:
    """A schema's example and default fit the schema itself."""
    full = resolved(doc)
    found = []
    for where, node in nodes(full):
        if not (isinstance(node, dict) and isinstance(node.get("type"), str)):
            continue
        for member in ("example", "default"):
            if member in node and (error := _validate(
                    {k: v for k, v in node.items() if k not in ("example", "default")},
                    node[member], doc)) is not None:
                found.append(f"{where}.{member} does not fit the schema: {error}")
    return found


def api_servers(doc: Doc) -> list[str]:
    servers = doc.get("servers")
    if not isinstance(servers, list) or not servers:
        return ["servers must be a non-empty list"]
    return [f"servers[{i}] has no url" for i, s in enumerate(servers) if not s.get("url")]


def server_variables(doc: Doc) -> list[str]:
    found = []
    for i, server in enumerate(doc.get("servers", [])):
        used = set(re.findall(r"{([^}]+)}", server.get("url", "")))
        defined = server.get("variables", {})
        found += [f"servers[{i}]: {{{v}}} is not defined" for v in sorted(used - set(defined))]
        found += [f"servers[{i}]: variable {v} is not used" for v in sorted(set(defined) - used)]
        found += [f"servers[{i}]: default of {v} is not in its enum"
                  for v, d in defined.items() if "enum" in d and d.get("default") not in d["enum"]]
    return found

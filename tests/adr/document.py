"""Walking an OpenAPI document the way Spectral does: $refs resolved, `$..` over every node."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

Doc = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "patch")


def lookup(doc: Doc, ref: str) -> Any:
    """The target of a local $ref such as #/components/parameters/bbox."""
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def follow(doc: Doc, node: Any) -> Any:
    """`node` itself, or what its $ref (chain) points at."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = lookup(doc, node["$ref"])
    return node


def resolved(doc: Doc) -> Doc:
    """A copy with every local $ref replaced by its target (a cycle keeps its $ref)."""
    def expand(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
                return expand(lookup(doc, ref), (*seen, ref))
            return {k: expand(v, seen) for k, v in node.items()}
        if isinstance(node, list):
            return [expand(v, seen) for v in node]
        return node

    result: Doc = expand(copy.deepcopy(doc), ())
    return result


def nodes(node: Any, where: str = "$") -> Iterator[tuple[str, Any]]:
    """Every value in the document with its location: what Spectral's `$..` visits."""
    yield where, node
    items = node.items() if isinstance(node, dict) else \
        enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield from nodes(value, f"{where}.{key}")


def keyed(doc: Doc, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object stored under the key `name`, anywhere (`$..[name]`)."""
    for where, node in nodes(doc):
        if isinstance(node, dict) and isinstance(node.get(name), dict):
            yield f"{where}.{name}", node[name]


def operations(doc: Doc) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(path, method, operation, path item) for every operation."""
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method], item


def responses(doc: Doc, status: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Responses whose code matches `status` (a regex, searched as Spectral does)."""
    for where, found in keyed(doc, "responses"):
        for code, response in found.items():
            if re.search(status, str(code)) and isinstance(response, dict):
                yield f"{where}.{code}", response

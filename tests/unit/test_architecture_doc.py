"""docs/architectuur.md stays true: every file, function and template its table and text name
exists, and every package it describes is one."""

from __future__ import annotations

import ast
import re

from app.config import PROJECT_DIR

DOC = PROJECT_DIR / "docs" / "architectuur.md"
CELL = re.compile(r"`([\w./-]+\.(?:py|html))(?::(\w+))?`")


def _names(path: str) -> set[str]:
    """Top-level functions, classes and assignments of a module."""
    tree = ast.parse((PROJECT_DIR / path).read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.Assign):
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return found


def _table(text: str) -> list[list[str]]:
    """The rows of the feature table (the last table of the document)."""
    section = text.split("## Waar vind ik wat", 1)[1]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows[2:]]


def test_every_path_and_name_in_the_doc_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = []
    for path, name in CELL.findall(text):
        full = path if "/" in path else None
        if full is None:
            continue
        if not (PROJECT_DIR / full).is_file():
            missing.append(full)
        elif name and name not in _names(full):
            missing.append(f"{full}:{name}")
    assert not missing, missing


def test_the_feature_table_fills_route_service_sql_and_template() -> None:
    rows = _table(DOC.read_text(encoding="utf-8"))
    assert len(rows) >= 10
    for functie, route, service, sql, template in rows:
        assert route.startswith("`app/api/") and ":" in route, functie
        assert service.startswith(("`app/services/", "`app/geo/")) and ":" in service, functie
        assert sql.startswith("`app/") and ":" in sql, functie
        assert template == "–" or template.startswith("`templates/"), functie


def test_the_packages_the_doc_lists_are_the_packages_there_are() -> None:
    text = DOC.read_text(encoding="utf-8")
    for layer in ("services", "api"):
        on_disk = {p.name for p in (PROJECT_DIR / "app" / layer).iterdir()
                   if (p / "__init__.py").is_file()}
        section = text.split(f"**{layer}**", 1)[1].split("\n\n", 2)[1]
        listed = set(re.findall(r"^\| `(\w+)/` \|", section, re.M))
        assert listed == on_disk, (layer, listed ^ on_disk)

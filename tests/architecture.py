"""The house rules of app/, read from the source with `ast` (docs/architectuur.md explains them).

- Every module belongs to a layer; a layer imports only from its own layer and lower ones.
- A package under app/services, app/api (and app/cli) has a face: its __init__ names its public
  names in __all__. Other packages import only those names, never a submodule.
- No cycle between packages at import time.
- Models, core and services never import the web framework.
- No module over MAX_LINES lines; over WARN_LINES is printed as a warning.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Lowest first. "x.*" is the package x and everything in it; other entries are one module.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("models", ("app.models.*",)),
    ("core", ("app", "app.config", "app.errors", "app.workflow", "app.progress", "app.geo.*",
              "app.cluster", "app.db", "app.migrate", "app.secret_key")),
    ("services", ("app.services.*", "app.mailer")),
    ("api", ("app.api.*",)),
    ("main", ("app.main",)),
    ("cli", ("app.cli.*", "app.__main__")),  # `kaart serve` builds the app: cli sits on top
]
FACE_ROOTS = ("app.services", "app.api")  # every package directly under these has a face
FACE_PACKAGES = ("app.cli",)
NO_WEB = ("models", "core", "services")
WEB = ("fastapi", "starlette")
MAX_LINES = 400
WARN_LINES = 300


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, rel: str, node: ast.AST | None, text: str) -> None:
        line = getattr(node, "lineno", 1)
        self.problems.append(f"{rel}:{line}: {text}")


@dataclass
class Module:
    name: str
    rel: str
    tree: ast.Module
    lines: int
    is_package: bool


def load(root: Path, top: str = "app") -> dict[str, Module]:
    modules = {}
    for path in sorted((root / top).rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        text = path.read_text(encoding="utf-8")
        modules[".".join(parts)] = Module(".".join(parts), rel, ast.parse(text, rel),
                                          text.count("\n"), is_package)
    return modules


def layer_of(name: str) -> int | None:
    for index, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            if entry.endswith(".*"):
                package = entry[:-2]
                if name == package or name.startswith(package + "."):
                    return index
            elif name == entry:
                return index
    return None


def faces(modules: dict[str, Module]) -> set[str]:
    found = set(FACE_PACKAGES)
    for name, mod in modules.items():
        parent = name.rsplit(".", 1)[0]
        if mod.is_package and parent in FACE_ROOTS:
            found.add(name)
    return {f for f in found if f in modules}


def unit_of(name: str, face_set: set[str]) -> str:
    """The package (face) a module belongs to, or the module itself."""
    for face in face_set:
        if name == face or name.startswith(face + "."):
            return face
    return name


def dunder_all(mod: Module) -> set[str] | None:
    for node in mod.tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            try:
                return set(ast.literal_eval(node.value))
            except ValueError:
                return None
    return None


def imports(mod: Module) -> list[tuple[ast.stmt, str, str | None, str | None, bool]]:
    """(node, module, name, local name, at import time) for every import of app code."""
    runtime = set()
    for node in mod.tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            runtime.add(id(node))
        elif isinstance(node, ast.Try):
            runtime.update(id(n) for n in node.body if isinstance(n, (ast.Import, ast.ImportFrom)))
    out = []
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for a in node.names:
                out.append((node, node.module, a.name, a.asname or a.name, id(node) in runtime))
        elif isinstance(node, ast.Import):
            for a in node.names:
                out.append((node, a.name, None, a.asname, id(node) in runtime))
    return out


def show(node: ast.stmt) -> str:
    return ast.unparse(node).replace("\n", " ")


def check(root: Path, extra_size_dirs: tuple[str, ...] = ()) -> Report:
    modules = load(root)
    face_set = faces(modules)
    alls = {f: dunder_all(modules[f]) for f in face_set}
    report = Report()
    for face, names in sorted(alls.items()):
        if names is None:
            report.add(modules[face].rel, None, f"package {face} has no literal __all__")
    edges: dict[str, set[str]] = defaultdict(set)
    for mod in modules.values():
        check_module(mod, modules, face_set, alls, report, edges)
        size(mod.rel, mod.lines, report)
    for extra in extra_size_dirs:
        for path in sorted((root / extra).rglob("*.py")):
            size(path.relative_to(root).as_posix(), path.read_text().count("\n"), report)
    for cycle in cycles(edges):
        report.problems.append("package cycle: " + " -> ".join(cycle))
    return report


def size(rel: str, lines: int, report: Report) -> None:
    if lines > MAX_LINES:
        report.problems.append(f"{rel}:1: {lines} lines; split it (at most {MAX_LINES})")
    elif lines > WARN_LINES:
        report.warnings.append(f"{rel}: {lines} lines (aim for under {WARN_LINES})")


def check_module(mod: Module, modules: dict[str, Module], face_set: set[str],
                 alls: dict[str, set[str] | None], report: Report,
                 edges: dict[str, set[str]]) -> None:
    mine = layer_of(mod.name)
    if mine is None:
        report.add(mod.rel, None, f"module {mod.name} is in no layer (add it to LAYERS)")
        return
    my_unit = unit_of(mod.name, face_set)
    face_locals: dict[str, str] = {}
    for node, target, name, local, runtime in imports(mod):
        top = target.split(".")[0]
        if top in WEB and LAYERS[mine][0] in NO_WEB:
            report.add(mod.rel, node, f"{show(node)}: {LAYERS[mine][0]} never imports {top}")
        if top != "app":
            continue
        full = f"{target}.{name}" if name and f"{target}.{name}" in modules else target
        theirs = layer_of(full)
        if theirs is not None and theirs > mine:
            report.add(mod.rel, node, f"{show(node)}: layer {LAYERS[mine][0]} imports from "
                                      f"the higher layer {LAYERS[theirs][0]}")
        unit = unit_of(full, face_set)
        if unit == my_unit:
            continue
        if runtime:
            edges[my_unit].add(unit)
        if unit not in face_set:
            continue
        if full != unit:
            report.add(mod.rel, node, f"{show(node)}: reaches into {full}; import from the "
                                      f"face {unit} instead")
        elif name is not None and target == unit:
            allowed = alls.get(unit) or set()
            if name not in allowed:
                report.add(mod.rel, node, f"{show(node)}: {name} is not in {unit}.__all__")
        elif local:
            face_locals[local] = unit
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id in face_locals:
            unit = face_locals[node.value.id]
            if node.attr not in (alls.get(unit) or set()):
                report.add(mod.rel, node, f"{node.value.id}.{node.attr}: {node.attr} is not in "
                                          f"{unit}.__all__")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One example path per cycle between packages (import-time imports only)."""
    found, seen = [], set()
    for start in sorted(edges):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(edges.get(node, ())):
                if nxt == start:
                    key = frozenset(path)
                    if key not in seen:
                        seen.add(key)
                        found.append(path + [start])
                elif nxt not in path and len(path) < 8:
                    stack.append((nxt, path + [nxt]))
    return found

"""No `Any` in a function signature of app/ unless a library forces it: mypy --strict then checks
what the helpers really pass (Session, Jinja2Templates, Gemeente, Gebruiker, ...). Read with `ast`;
the checker itself is run over a small tree so it is known to catch a new `Any`."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from app.config import PROJECT_DIR

SQL_ROWS = "SQLAlchemy rows and row mappings of text() queries are Any"
JSON_DOC = "a JSON document built by nested updates; object would need a cast at each update"
JSON_READ = "JSON read back from a jsonb column or json.loads is Any"
COLUMNS = "column values for SQL parameters, read back by key as str/int/date by the callers"
ARRAYS = "numpy/pandas/shapely values (pandas and shapely have no stubs here)"

# (file, function) -> why Any stays. Methods are "Class.method".
ALLOWED: dict[tuple[str, str], str] = {
    ("app/models/base.py", "geometry_field"): "sqlmodel.Field returns Any so it fits the column",
    ("app/models/base.py", "area_field"): "sqlmodel.Field returns Any so it fits the column",
    ("app/models/base.py", "mercator_field"): "sqlmodel.Field returns Any so it fits the column",
    ("app/models/base.py", "gemeente_field"): "sqlmodel.Field returns Any so it fits the column",
    ("app/models/base.py", "timestamp_field"): "sqlmodel.Field returns Any so it fits the column",
    ("app/models/base.py", "zoek_field"): "sqlmodel.Field returns Any so it fits the column",
    ("app/api/common/cors.py", "OpenApiCORS.__init__"):
        "keyword arguments passed on to starlette's CORSMiddleware, each with its own type",
    **{("app/api/ogc/openapi.py", name): JSON_DOC for name in (
        "ok", "errors", "read", "simple_filter", "collection_schemas", "write_ops",
        "collection_paths", "general_paths", "basiskaart_paths", "build_openapi")},
    ("app/api/ogc/basiskaart.py", "_summary"): JSON_DOC,
    ("app/api/ogc/zoeken.py", "paths"): JSON_DOC,
    **{("app/api/ogc/tiles.py", name): JSON_DOC for name in (
        "as_json", "web_mercator_quad", "_summary", "_properties_schema")},
    ("app/geo/bulk.py", "ewkb_hex"): ARRAYS,
    ("app/geo/bulk.py", "copy_rows"): "rows of mixed column values for psycopg's COPY",
    ("app/services/audit.py", "record"):
        "AuditLog.voor/na are dict[str, Any] JSON columns; callers pass dicts of any value type",
    ("app/services/export/jobs.py", "request_from"): JSON_READ,
    ("app/services/export/query.py", "batches"): SQL_ROWS,
    **{("app/services/export/writers.py", name): ARRAYS + "; rows come from " + SQL_ROWS
       for name in ("_column", "_write_batch", "write_ogr", "write_csv", "write_geojson")},
    ("app/services/features/store.py", "snapshot"): JSON_READ + " (a GeoJSON feature)",
    ("app/services/features/store.py", "execute_write"):
        "Result.scalar() of a RETURNING clause is Any",
    ("app/services/features/store.py", "update"): JSON_READ + " (the snapshot before)",
    ("app/services/features/writes.py", "_own"): JSON_READ + " (a GeoJSON feature)",
    ("app/services/gebieden/kengetallen.py", "_build"): SQL_ROWS,
    ("app/services/importeren/rapport.py", "ImportRapport.from_json"): JSON_READ,
    ("app/services/importeren/staging.py", "as_text"): ARRAYS,
    ("app/services/importeren/staging.py", "stage"): ARRAYS + " (pyogrio's column arrays)",
    ("app/services/importeren/staging.py", "append"): ARRAYS + " (pyogrio's column arrays)",
    ("app/services/jobs/runner.py", "run"):
        "to_json returns any dict type; json.dumps needs a dict, and dict is invariant",
    ("app/services/jobs/runner.py", "Runner.start"):
        "to_json returns any dict type; json.dumps needs a dict, and dict is invariant",
    **{("app/services/voorzieningen/categorieen.py", name): COLUMNS for name in (
        "controleer", "_snapshot", "aanmaken", "wijzigen")},
    ("app/services/voorzieningen/velden.py", "Invoer.uit"): COLUMNS,
    ("app/services/voorzieningen/velden.py", "_formaat"): COLUMNS,
    ("app/services/voorzieningen/writes.py", "wijzigen"): COLUMNS,
    ("app/services/zelfbeheer/dossier.py", "groenvak_feiten"): SQL_ROWS,
}


def _mentions_any(node: ast.expr) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "Any"
               or isinstance(n, ast.Attribute) and n.attr == "Any" for n in ast.walk(node))


def signatures_with_any(root: Path) -> dict[tuple[str, str], int]:
    """(file, function) -> line, for every def under root/app whose annotations name Any."""
    found: dict[tuple[str, str], int] = {}

    def visit(node: ast.AST, rel: str, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, rel, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                a = child.args
                args = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
                notes = [x.annotation for x in args if x is not None and x.annotation]
                if child.returns is not None:
                    notes.append(child.returns)
                if any(_mentions_any(n) for n in notes):
                    found[(rel, prefix + child.name)] = child.lineno
                visit(child, rel, f"{prefix}{child.name}.")
            else:
                visit(child, rel, prefix)

    for path in sorted((root / "app").rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8")), path.relative_to(root).as_posix(), "")
    return found


def test_no_any_in_app_signatures_outside_the_allow_list() -> None:
    found = signatures_with_any(PROJECT_DIR)
    new = [f"{rel}:{line} {name}" for (rel, name), line in sorted(found.items())
           if (rel, name) not in ALLOWED]
    assert not new, ("Any in a signature; use the real type (Session, Jinja2Templates, a model, "
                     "object, Mapping[str, object]) or add it to ALLOWED with the library that "
                     "forces it:\n" + "\n".join(new))


def test_the_allow_list_names_only_signatures_that_still_use_any() -> None:
    stale = sorted(set(ALLOWED) - set(signatures_with_any(PROJECT_DIR)))
    assert not stale, f"no longer uses Any, remove from ALLOWED: {stale}"


def test_the_checker_finds_any_in_parameters_returns_and_methods(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "m.py").write_text(textwrap.dedent("""\
        import typing
        from typing import Any

        def clean(session: object, n: int = 1) -> dict[str, object]: ...
        def param(templates: Any) -> None: ...
        def nested(rows: list[dict[str, Any]]) -> None: ...
        def returns() -> typing.Any: ...
        def star(*args: Any, **kwargs: int) -> None: ...

        class C:
            async def method(self, x: int) -> tuple[Any, ...]: ...
            def fine(self) -> None:
                any_name = Any  # not a signature
        """))
    assert signatures_with_any(tmp_path) == {
        ("app/m.py", "param"): 5, ("app/m.py", "nested"): 6, ("app/m.py", "returns"): 7,
        ("app/m.py", "star"): 8, ("app/m.py", "C.method"): 11}

"""The house rules of app/ hold (layers, package faces, no cycles, module size), and the checker
really catches a wrong import: it is run over a small tree with one of each fault."""

from __future__ import annotations

import textwrap
from pathlib import Path

from app.config import PROJECT_DIR
from tests.architecture import check


def test_app_keeps_its_layers_faces_and_sizes() -> None:
    report = check(PROJECT_DIR, extra_size_dirs=("bench",))
    for warning in report.warnings:
        print("warning:", warning)
    assert not report.problems, "\n" + "\n".join(report.problems)


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


CLEAN = {
    "app/__init__.py": "",
    "app/errors.py": "class Fout(Exception):\n    pass\n",
    "app/models/__init__.py": "",
    "app/services/__init__.py": "",
    "app/services/audit.py": "def record():\n    pass\n",
    "app/services/alpha/__init__.py": """\
        from app.services.alpha.kern import publiek

        __all__ = ["publiek"]
        """,
    "app/services/alpha/kern.py": """\
        from app.services.audit import record


        def publiek():
            record()


        def intern():
            pass
        """,
    "app/services/beta/__init__.py": """\
        from app.services.beta.werk import doe

        __all__ = ["doe"]
        """,
    "app/services/beta/werk.py": """\
        from app.services import alpha
        from app.services.alpha import publiek


        def doe():
            alpha.publiek()
            publiek()
        """,
    "app/api/__init__.py": "",
    "app/api/routes.py": "from app.services.beta import doe\n",
}


def test_a_clean_tree_passes(tmp_path: Path) -> None:
    _tree(tmp_path, CLEAN)
    report = check(tmp_path)
    assert report.problems == []


def test_the_checker_reports_each_wrong_import_with_file_and_line(tmp_path: Path) -> None:
    _tree(tmp_path, {**CLEAN,
                     "app/services/beta/werk.py": """\
                         from app.services import alpha
                         from app.services.alpha.kern import intern
                         from app.services.alpha import intern as ook_intern


                         def doe():
                             alpha.intern()
                             from app.api.routes import doe as omhoog
                         """,
                     "app/models/gebied.py": "from app.services.audit import record\n",
                     "app/services/audit.py": "import fastapi\n",
                     "app/stray/__init__.py": "",
                     "app/api/groot.py": "x = 1\n" * 401})
    problems = check(tmp_path).problems
    expected = [
        "app/services/beta/werk.py:2: from app.services.alpha.kern import intern: reaches into "
        "app.services.alpha.kern; import from the face app.services.alpha instead",
        "app/services/beta/werk.py:3: from app.services.alpha import intern as ook_intern: "
        "intern is not in app.services.alpha.__all__",
        "app/services/beta/werk.py:7: alpha.intern: intern is not in app.services.alpha.__all__",
        "app/services/beta/werk.py:8: from app.api.routes import doe as omhoog: layer services "
        "imports from the higher layer api",
        "app/models/gebied.py:1: from app.services.audit import record: layer models imports "
        "from the higher layer services",
        "app/services/audit.py:1: import fastapi: services never imports fastapi",
        "app/stray/__init__.py:1: module app.stray is in no layer (add it to LAYERS)",
        "app/api/groot.py:1: 401 lines; split it (at most 400)",
    ]
    for line in expected:
        assert line in problems, "\n".join(problems)
    assert len(problems) == len(expected), "\n".join(problems)


def test_the_checker_reports_a_cycle_between_packages(tmp_path: Path) -> None:
    _tree(tmp_path, {**CLEAN, "app/services/alpha/kern.py": """\
        from app.services.beta import doe


        def publiek():
            doe()
        """})
    problems = check(tmp_path).problems
    assert problems == ["package cycle: app.services.alpha -> app.services.beta -> "
                        "app.services.alpha"]

"""Dockerfile and compose.yaml cannot be run here (no Docker engine): check what can be read."""

import re

import yaml

from app.config import PROJECT_DIR, Settings


def test_dockerfile_copies_everything_the_app_reads() -> None:
    dockerfile = (PROJECT_DIR / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (?!--from)(\S+)", dockerfile, flags=re.M))
    for needed in ["app", "templates", "static", "migrations", "data", "alembic.ini"]:
        assert needed in copied, needed
    assert re.search(r"^USER kaart$", dockerfile, flags=re.M), "runs as non-root"
    assert dockerfile.count("FROM ") >= 2, "multi-stage"


def test_compose_points_the_app_at_its_postgis() -> None:
    compose = yaml.safe_load((PROJECT_DIR / "compose.yaml").read_text())
    db, app = compose["services"]["db"], compose["services"]["app"]
    # the database image is built with PostGIS and pgRouting from Debian packages
    dockerfile = (PROJECT_DIR / db["build"]["context"] / db["build"]["dockerfile"]).read_text()
    assert dockerfile.startswith("#") and "FROM postgres:" in dockerfile
    assert "postgis-3" in dockerfile and "pgrouting" in dockerfile
    url = app["environment"]["DATABASE_URL"]
    assert "@db:5432/" + db["environment"]["POSTGRES_DB"] in url
    assert app["depends_on"]["db"]["condition"] == "service_healthy"


def test_every_setting_is_in_the_readme() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    for name in Settings.model_fields:
        env = "DATABASE_URL" if name == "database_url" else f"KAART_{name.upper()}"
        assert f"`{env}`" in readme, env

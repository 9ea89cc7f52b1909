"""`kaart` as a user runs it: the managed cluster, clear setup errors, serve, demo, createuser."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.cluster import check_postgis
from app.config import PROJECT_DIR, Settings
from app.errors import SetupError
from app.main import create_app
from tests.api.account_helpers import login
from tests.conftest import fresh_database
from tests.live_server import reserved_port

APT = "apt-get install postgresql postgresql-postgis"


def kaart(*args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m app ARGS` with a clean environment plus `env`."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("KAART_") and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          cwd=PROJECT_DIR, env={**base, **env}, timeout=timeout)


def assert_clear_failure(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit code not 0, one line on stderr that says what to do, no traceback."""
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture()
def db_port() -> Iterator[int]:
    with reserved_port() as port:
        yield port


@pytest.fixture()
def cluster_dir() -> Path:
    """A data folder inside the project, reachable by the server's user when we are root."""
    path = PROJECT_DIR / ".kaart" / f"test-{os.getpid()}-{time.monotonic_ns()}"
    yield path
    kaart("db", "stop", KAART_DATA_DIR=str(path))
    subprocess.run(["rm", "-rf", str(path)], check=False)


def test_db_start_status_stop(cluster_dir: Path, db_port: int) -> None:
    env = {"KAART_DATA_DIR": str(cluster_dir), "KAART_DB_PORT": str(db_port)}
    started = kaart("db", "start", **env)
    assert started.returncode == 0, started.stderr
    assert "gestart" in started.stdout
    pgdata = cluster_dir / "pgdata"
    if os.geteuid() == 0:  # as root the server runs as an unprivileged user
        assert pgdata.stat().st_uid != 0
    assert (cluster_dir / "db-password").stat().st_mode & 0o077 == 0
    status = kaart("db", "status", **env)
    assert status.returncode == 0 and "PostgreSQL" in status.stdout
    assert "draaide al" in kaart("db", "start", **env).stdout
    assert "gestopt" in kaart("db", "stop", **env).stdout
    stopped = kaart("db", "status", **env)
    assert stopped.returncode == 1 and "gestopt" in stopped.stdout


def test_missing_postgresql_says_which_packages(tmp_path: Path) -> None:
    proc = kaart("db", "start", KAART_PG_BIN=str(tmp_path), KAART_DATA_DIR=str(tmp_path))
    assert_clear_failure(proc, "PostgreSQL niet gevonden", APT)


def test_missing_postgis_says_which_packages(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match="postgresql-postgis"):
        check_postgis(tmp_path)
    (tmp_path / "extension").mkdir()
    (tmp_path / "extension" / "postgis.control").write_text("")
    with pytest.raises(SetupError, match="pgRouting ontbreekt.*postgresql-pgrouting"):
        check_postgis(tmp_path)
    (tmp_path / "extension" / "pgrouting.control").write_text("")
    check_postgis(tmp_path)


@pytest.mark.parametrize(("url", "needle"), [
    ("postgresql://kaart:x@127.0.0.1:1/kaart", "niet bereikbaar"),
    ("postgresql://kaart:x@db.invalid:5432/kaart", "onbekend"),
    ("sqlite:///kaart.db", "PostgreSQL met PostGIS"),
    ("dit is geen url", "DATABASE_URL is ongeldig"),
])
def test_bad_database_url_gives_one_clear_line(url: str, needle: str) -> None:
    assert_clear_failure(kaart("db", "migrate", DATABASE_URL=url), needle)


def test_wrong_password_and_missing_database(db_url: str) -> None:
    wrong = make_url(db_url).set(password="fout").render_as_string(hide_password=False)
    assert_clear_failure(kaart("db", "migrate", DATABASE_URL=wrong), "Inloggen")
    missing = make_url(db_url).set(database="bestaat_niet").render_as_string(hide_password=False)
    assert_clear_failure(kaart("db", "migrate", DATABASE_URL=missing), "bestaat niet")


def test_with_database_url_no_cluster_is_started(db_url: str, tmp_path: Path) -> None:
    proc = kaart("db", "start", DATABASE_URL=db_url, KAART_DATA_DIR=str(tmp_path))
    assert proc.returncode == 0 and "geen lokale database" in proc.stdout
    assert not (tmp_path / "pgdata").exists()  # no cluster; a secret key may be kept there


@pytest.fixture(scope="module")
def served(db_url: str,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """`kaart serve --port P` on DATABASE_URL with no KAART_ settings: its URL and first lines."""
    with reserved_port() as port:
        yield from _serve(db_url, port, tmp_path_factory.mktemp("serve"))


def _serve(db_url: str, port: int, data_dir: Path) -> Iterator[tuple[str, list[str]]]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("KAART_") and k != "DATABASE_URL"}
    env = {**base, "DATABASE_URL": db_url, "KAART_DATA_DIR": str(data_dir),
           "KAART_BASEMAP_URL": ""}
    server = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port)],
                              cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []  # everything it prints, read on the side so the pipe never fills

    def read() -> None:
        for line in server.stdout or []:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        health = None
        for _ in range(100):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert health is not None and health.status_code == 200
        yield f"http://127.0.0.1:{port}", lines
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert not (data_dir / "pgdata").exists()  # no cluster; a secret key may be kept there


def test_serve_on_database_url(served: tuple[str, list[str]]) -> None:
    page = httpx.get(f"{served[0]}/", headers={"accept": "text/html"})
    assert page.status_code == 200 and "Lindewaard" in page.text


def test_serve_answers_its_own_host_on_any_port(served: tuple[str, list[str]]) -> None:
    url, lines = served
    port = url.rsplit(":", 1)[1]
    said = [line for line in lines if "Openbaar adres" in line]
    assert said and f"links in e-mail: http://127.0.0.1:{port} " in said[0], lines[:5]
    local = httpx.get(f"{url}/v1", headers={"host": f"localhost:{port}"})
    assert local.status_code == 200
    for host in ("evil.example", "127.0.0.1:8000", f"evil.example:{port}"):
        assert httpx.get(f"{url}/v1", headers={"host": host}).status_code == 400, host


def test_serve_ignores_x_forwarded_for_without_trusted_proxies(
        served: tuple[str, list[str]], db_url: str) -> None:
    """A neighbour on the same machine cannot pose as other IPs to dodge the login limit."""
    email = f"xff-{os.getpid()}@voorbeeld.nl"
    engine = create_engine(db_url)
    try:
        with httpx.Client(base_url=served[0], headers={"accept": "text/html"}) as client:
            page = client.get("/inloggen").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            failed = client.post("/inloggen", headers={"x-forwarded-for": "203.0.113.9"}, data={
                "email": email, "wachtwoord": "fout fout fout", "csrf_token": token})
        assert failed.status_code == 400
        with engine.connect() as conn:
            keys = set(conn.execute(text("SELECT sleutel FROM login_poging WHERE sleutel LIKE "
                                         ":e OR sleutel LIKE '%203.0.113.9'"),
                                    {"e": f"%{email}%"}).scalars())
        assert keys == {f"email:{email}", f"pair:{email}|127.0.0.1"}
    finally:
        with engine.begin() as conn:  # this server commits: leave the shared database clean
            conn.execute(text("DELETE FROM login_poging WHERE sleutel LIKE :e OR sleutel IN "
                              "('ip:127.0.0.1', 'ip:203.0.113.9')"), {"e": f"%{email}%"})
        engine.dispose()


ADRES_TEKST = ("a.straatnaam || ' ' || a.huisnummer || coalesce(a.huisletter, '') "
               "|| coalesce('-' || a.toevoeging, '')")


def test_demo_generate_and_createuser(settings: Settings) -> None:
    url = fresh_database(settings, "kaart_test_cli")
    first = kaart("demo", "load", DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("wachtwoord") == 2
    again = kaart("demo", "load", DATABASE_URL=url)
    assert "bestonden al" in again.stdout and "groenvakken 0" in again.stdout

    engine = create_engine(url)
    count = ("SELECT count(*), count(wijk_id), count(buurt_id) FROM groenvak "
             "WHERE extern_id LIKE 'GEN%'")
    try:
        grown = kaart("demo", "generate", "--groenvakken", "3000", DATABASE_URL=url)
        assert grown.returncode == 0, grown.stderr
        with engine.connect() as conn:
            assert tuple(conn.execute(text(count)).one()) == (3000, 3000, 3000)
            # the town follows: about 7 addresses per groenvak, voorzieningen at their address
            adressen = conn.execute(text("SELECT count(*) FROM adres")).scalar_one()
            assert 17_000 < adressen < 25_000
            assert f"Stad van {adressen} adressen" in grown.stdout
            assert conn.execute(text(f"""SELECT count(*) FROM voorziening v JOIN adres a
                ON a.postcode = v.postcode AND ST_Equals(a.geometrie, v.geometrie)
                AND {ADRES_TEKST} = v.adres""")).scalar_one() == 400
        kept = kaart("demo", "generate", "--groenvakken", "1000", "--adressen", "0",
                     DATABASE_URL=url)
        assert kept.returncode == 0 and "Stad van" not in kept.stdout
        with engine.connect() as conn:
            assert tuple(conn.execute(text(count)).one()) == (1000, 1000, 1000)
            assert conn.execute(text("SELECT count(*) FROM adres")).scalar_one() == adressen

        made = kaart("createuser", "--email", "Planner@Lindewaard.example", "--rol", "medewerker",
                     DATABASE_URL=url)
        assert made.returncode == 0, made.stderr
        assert "Wachtwoord" in made.stdout
        with engine.connect() as conn:
            row = conn.execute(text("""SELECT rol, wachtwoord_hash FROM gebruiker
                                       WHERE lower(email) = 'planner@lindewaard.example'""")).one()
        assert row.rol == "medewerker" and row.wachtwoord_hash.startswith("$argon2id$")
        twice = kaart("createuser", "--email", "planner@lindewaard.example", DATABASE_URL=url)
        assert_clear_failure(twice, "bestaat al")
        bad = kaart("createuser", "--email", "x@lindewaard.example", "--rol", "baas",
                    DATABASE_URL=url)
        assert_clear_failure(bad, "Onbekende rol")
    finally:
        engine.dispose()


def test_createuser_bewoner_can_log_in(settings: Settings, db_url: str) -> None:
    email = f"bewoner-cli-{os.getpid()}@lindewaard.example"
    engine = create_engine(db_url)
    try:
        made = kaart("createuser", "--email", email, "--rol", "bewoner", "--naam", "Cli Bewoner",
                     DATABASE_URL=db_url)
        assert made.returncode == 0, made.stderr
        password = made.stdout.strip().rsplit(" ", 1)[-1]
        with TestClient(create_app(settings, url=db_url)) as client:
            response = login(client, email, password, volgende="/account")
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/account"
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM gebruiker WHERE email = :e"), {"e": email})
        engine.dispose()

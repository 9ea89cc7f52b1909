"""The managed local PostgreSQL + PostGIS cluster, used when DATABASE_URL is unset.

It lives in a data folder of the project (KAART_DATA_DIR, default .kaart/) and listens on
127.0.0.1 only, with a generated password. As root it runs the server as an unprivileged
user, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from app.config import Settings
from app.errors import SetupError

APT_HINT = "sudo apt-get install postgresql postgresql-postgis postgresql-pgrouting"
SUPERUSER = "kaart"


@dataclass(frozen=True)
class Cluster:
    """Paths and identity of the managed cluster."""

    bindir: Path
    data_dir: Path
    port: int
    run_as: str | None

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    @property
    def password_file(self) -> Path:
        return self.data_dir / "db-password"

    @property
    def logfile(self) -> Path:
        return self.pgdata / "server.log"


def _version_key(path: Path) -> tuple[int, ...]:
    """Sort /usr/lib/postgresql/<version>/bin by version, newest first."""
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)


def find_bindir(settings: Settings) -> Path:
    """Find initdb/pg_ctl/postgres: the setting, then Debian's layout, then PATH."""
    candidates: list[Path] = []
    if settings.pg_bin:
        candidates.append(settings.pg_bin)
    else:
        candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key,
                             reverse=True)
        found = shutil.which("initdb")
        if found:
            candidates.append(Path(found).resolve().parent)
    for bindir in candidates:
        if all((bindir / exe).is_file() for exe in ("initdb", "pg_ctl", "postgres")):
            return bindir
    where = f" in {settings.pg_bin}" if settings.pg_bin else ""
    raise SetupError(
        f"PostgreSQL niet gevonden{where}: installeer het met `{APT_HINT}`, "
        "of zet DATABASE_URL op een bestaande PostGIS-database."
    )


def check_postgis(sharedir: Path) -> None:
    """Refuse early, with the package name, when the PostGIS extension is not installed."""
    for extensie, naam in (("postgis", "PostGIS"), ("pgrouting", "pgRouting")):
        if not (sharedir / "extension" / f"{extensie}.control").is_file():
            raise SetupError(f"{naam} ontbreekt bij deze PostgreSQL ({sharedir}): "
                             f"installeer het met `{APT_HINT}`.")


def _sharedir(bindir: Path) -> Path:
    """Ask pg_config where the extensions live; Debian's default layout as fallback."""
    pg_config = bindir / "pg_config"
    if pg_config.is_file():
        out = subprocess.run([str(pg_config), "--sharedir"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip())
    return Path("/usr/share/postgresql") / bindir.parent.name


def _run_user(settings: Settings) -> str | None:
    """Root cannot run PostgreSQL: pick an unprivileged account to run it as."""
    if os.geteuid() != 0:
        return None
    for name in filter(None, [settings.db_os_user, "postgres", "nobody"]):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise SetupError("Geen onbevoegde gebruiker gevonden om PostgreSQL onder te draaien; "
                     "zet KAART_DB_OS_USER.")


def _reachable(run_as: str | None, path: Path) -> bool:
    """Can the server's user reach `path` (its nearest existing folder, that is)?"""
    if run_as is None:
        return True
    while not path.exists():
        path = path.parent
    return subprocess.run(["runuser", "-u", run_as, "--", "test", "-x", str(path)],
                          cwd="/").returncode == 0


def cluster_for(settings: Settings) -> Cluster:
    """Describe the cluster for these settings without touching anything.

    As root inside a folder the server's user cannot enter (a clone under /root, say), the
    default data folder moves to /var/lib/kaart; a KAART_DATA_DIR set by hand never moves.
    """
    bindir = find_bindir(settings)
    run_as = _run_user(settings)
    data_dir = settings.data_dir.resolve()
    if not _reachable(run_as, data_dir):
        if "data_dir" in settings.model_fields_set:
            raise SetupError(
                f"Gebruiker {run_as} kan {data_dir} niet bereiken (rechten van een bovenliggende "
                "map); zet KAART_DATA_DIR op een bereikbare map, bijv. /var/lib/kaart."
            )
        digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:8]
        data_dir = Path("/var/lib/kaart") / f"{data_dir.parent.name}-{digest}"
    return Cluster(bindir=bindir, data_dir=data_dir, port=settings.db_port, run_as=run_as)


def _cmd(cluster: Cluster, *args: str) -> list[str]:
    prefix = ["runuser", "-u", cluster.run_as, "--"] if cluster.run_as else []
    return [*prefix, *args]


def _run(cluster: Cluster, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(_cmd(cluster, *args), capture_output=True, text=True, cwd="/")
    if check and proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        last = detail[-1] if detail else proc.returncode
        raise SetupError(f"{Path(args[0]).name} mislukte: {last}")
    return proc


def _chown(cluster: Cluster, path: Path) -> None:
    if cluster.run_as:
        entry = pwd.getpwnam(cluster.run_as)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def initialise(cluster: Cluster) -> None:
    """initdb once, with a generated password and loopback-only settings."""
    check_postgis(_sharedir(cluster.bindir))
    if (cluster.pgdata / "PG_VERSION").is_file():
        return
    cluster.data_dir.mkdir(parents=True, exist_ok=True)
    cluster.data_dir.chmod(0o755)
    password = secrets.token_urlsafe(24)
    cluster.password_file.write_text(password + "\n")
    cluster.password_file.chmod(0o600)
    cluster.pgdata.mkdir(mode=0o700, exist_ok=True)
    _chown(cluster, cluster.pgdata)
    pwfile = cluster.data_dir / ".initdb-pw"
    pwfile.write_text(password + "\n")
    pwfile.chmod(0o600)
    _chown(cluster, pwfile)
    try:
        _run(cluster, str(cluster.bindir / "initdb"), "-D", str(cluster.pgdata), "-U", SUPERUSER,
             "--auth=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8")
    except SetupError:
        shutil.rmtree(cluster.pgdata, ignore_errors=True)
        raise
    finally:
        pwfile.unlink(missing_ok=True)
    with (cluster.pgdata / "postgresql.conf").open("a") as conf:
        conf.write("\n# Voorzieningenkaart: local cluster, loopback only\n"
                   "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                   "shared_buffers = 256MB\nwork_mem = 16MB\n")


def is_running(cluster: Cluster) -> bool:
    """pg_ctl status is the authority on whether our server runs."""
    if not (cluster.pgdata / "PG_VERSION").is_file():
        return False
    return _run(cluster, str(cluster.bindir / "pg_ctl"), "status", "-D", str(cluster.pgdata),
                check=False).returncode == 0


def start(cluster: Cluster) -> bool:
    """Initialise and start the cluster; False when it was already running."""
    initialise(cluster)
    if is_running(cluster):
        return False
    proc = _run(cluster, str(cluster.bindir / "pg_ctl"), "start", "-w", "-t", "60",
                "-D", str(cluster.pgdata), "-l", str(cluster.logfile),
                "-o", f"-p {cluster.port}", check=False)
    if proc.returncode != 0:
        log = cluster.logfile.read_text(errors="replace") if cluster.logfile.exists() else ""
        tail = log.strip().splitlines()[-5:]
        if any("Address already in use" in line for line in tail):
            raise SetupError(f"Poort {cluster.port} is al bezet: zet KAART_DB_PORT op een vrije "
                             "poort.")
        last = (tail or [proc.stderr.strip()])[-1]
        raise SetupError(f"De lokale database start niet: {last}")
    return True


def stop(cluster: Cluster) -> bool:
    """Stop cleanly (fast mode: roll back open transactions); False when not running."""
    if not is_running(cluster):
        return False
    _run(cluster, str(cluster.bindir / "pg_ctl"), "stop", "-w", "-m", "fast",
         "-D", str(cluster.pgdata))
    return True


def url(cluster: Cluster, database: str) -> str:
    """The SQLAlchemy URL of a database in the managed cluster."""
    try:
        password = cluster.password_file.read_text().strip()
    except FileNotFoundError:
        raise SetupError(
            "De lokale database is nog niet aangemaakt: voer `kaart db start` uit.") from None
    return f"postgresql+psycopg://{SUPERUSER}:{password}@127.0.0.1:{cluster.port}/{database}"

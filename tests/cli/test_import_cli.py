"""`kaart import` as a user runs it: a CBS file into an empty database, groenvakken with a
report, and bad files refused in one line with nothing written."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from sqlalchemy import create_engine, text

from app.config import Settings
from tests.cli.test_cli import assert_clear_failure, kaart
from tests.conftest import fresh_database
from tests.db.import_files import GM, RD, X0, Y0, cbs_gebieden, square, write
from tests.db.test_import_bad_files import not_a_zip


def counts(url: str) -> tuple[int, int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(conn.execute(text(  # type: ignore[return-value]
                """SELECT (SELECT count(*) FROM gemeente), (SELECT count(*) FROM gebied),
                          (SELECT count(*) FROM groenvak)""")).one())
    finally:
        engine.dispose()


def test_import_into_an_empty_database(settings: Settings, tmp_path: Path) -> None:
    url = fresh_database(settings, "kaart_test_import_cli")
    cbs = cbs_gebieden(tmp_path)
    refused = kaart("import", "gebieden", str(cbs), DATABASE_URL=url)
    assert_clear_failure(refused, "bevat 2 gemeenten; kies er één (--gemeente")
    done = kaart("import", "gebieden", str(cbs), "--gemeente", GM, "--dorpen", "WK990203",
                 "--rapport", str(tmp_path / "gebieden.csv"), DATABASE_URL=url)
    assert done.returncode == 0, done.stderr
    assert ("Gebieden uit wijkenbuurten_2024_v1.gpkg: 11 gelezen, 9 nieuw, 0 bijgewerkt, "
            "0 ongewijzigd, 0 hersteld, 0 overgeslagen.") in done.stdout
    assert counts(url) == (1, 9, 0)

    folder = tmp_path / "csv"
    folder.mkdir()
    csv = folder / "vakken.csv"
    csv.write_text(f'code,soort,wkt\nA,Gras,"{square(X0 + 10, Y0 + 10).wkt}"\n'
                   f'B,bloemen,"{square(X0 + 1500, Y0 + 10).wkt}"\n', encoding="utf-8")
    no_crs = kaart("import", "groenvakken", str(csv), "--id-veld", "code", DATABASE_URL=url)
    assert_clear_failure(no_crs, "vermeldt geen coördinatenstelsel")
    assert not_a_zip(tmp_path).is_file()
    bad = kaart("import", "groenvakken", str(tmp_path / "kapot.zip"), "--id-veld", "code",
                DATABASE_URL=url)
    assert_clear_failure(bad, "kaart: Het bestand kapot.zip is geen geldig zip-bestand.")
    assert counts(url) == (1, 9, 0)

    report = tmp_path / "vakken-rapport.csv"
    ok = kaart("import", "groenvakken", str(csv), "--id-veld", "code", "--soort-veld", "soort",
               "--crs", "EPSG:28992", "--rapport", str(report), DATABASE_URL=url)
    assert ok.returncode == 0, ok.stderr
    assert "2 gelezen, 2 nieuw" in ok.stdout and f"Importrapport (0 regels): {report}" in ok.stdout
    assert report.read_text() == "rij,id,actie,reden\n"
    assert counts(url) == (1, 9, 2)
    gone = write(gpd.GeoDataFrame({"code": ["A"]}, geometry=[square(X0 + 10, Y0 + 10)], crs=RD),
                 tmp_path / "alleen-a.gpkg")
    again = kaart("import", "groenvakken", str(gone), "--id-veld", "code", "--rapport",
                  str(report), "--vervallen-binnen", "gemeente", DATABASE_URL=url)
    assert "1 ongewijzigd, 0 hersteld, 0 overgeslagen, 1 vervallen." in again.stdout
    assert report.read_text().splitlines()[1] == ",B,vervallen,niet meer in de bron"

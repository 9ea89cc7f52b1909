"""No personal data in any export: residents' names and e-mail addresses, a group name kept
private, motivations and plans appear in no file; the adopties layer holds only what it may."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest
from sqlalchemy import text
from sqlmodel import Session

from app.geo.collections import COLLECTIONS
from app.services.export.lagen import LAYERS
from tests.db.export_fixtures import (
    BEWONER_EMAIL,
    BEWONER_NAAM,
    GEMEENTE,
    GROEP,
    file_texts,
    make_plot,
    run_export,
)

FORMATS = {"shp": ".zip", "gpkg": ".gpkg", "geojson": ".geojson", "csv": ".csv"}


@pytest.mark.parametrize("formaat", list(FORMATS))
def test_no_personal_data_in_any_layer(session: Session, tmp_path: Path, formaat: str) -> None:
    make_plot(session)
    people = session.execute(text("SELECT naam, email FROM gebruiker WHERE gemeente_code = :g"),
                             {"g": GEMEENTE}).all()
    private_groups = [r[0] for r in session.execute(text(
        "SELECT groepsnaam FROM adoptie WHERE NOT groepsnaam_openbaar AND gemeente_code = :g"),
        {"g": GEMEENTE})]
    secrets = {BEWONER_NAAM, BEWONER_EMAIL, GROEP, "Geheime motivatie van de groep",
               *(e for _, e in people), *(n for n, _ in people if len(n) > 5), *private_groups}
    assert len(secrets) > 20
    files = []
    if formaat == "gpkg":
        files.append(tmp_path / "alles.gpkg")
        run_export(session, ["alles"], "gpkg", files[-1], wijk=None)
    else:
        for laag in LAYERS:
            files.append(tmp_path / f"{laag}{FORMATS[formaat]}")
            run_export(session, [laag], formaat, files[-1], wijk=None)
    blobs = [blob for path in files for blob in file_texts(path)]
    assert sum(len(b) for b in blobs) > 100_000
    for secret in secrets:
        needle = secret.encode("utf-8")
        assert not any(needle in blob for blob in blobs), secret
    # …while public group names do appear, so the search above would have found them
    public = session.execute(text("""SELECT a.groepsnaam FROM adoptie a WHERE a.groepsnaam_openbaar
        AND a.status = 'actief' AND gemeente_code = :g LIMIT 1"""), {"g": GEMEENTE}).scalar_one()
    assert any(public.encode("utf-8") in blob for blob in blobs)


def test_adopties_layer_counts_members_but_names_none(session: Session, tmp_path: Path) -> None:
    plot = make_plot(session)
    target = tmp_path / "adopties.gpkg"
    run_export(session, ["adopties"], "gpkg", target, wijk=None)
    frame = pyogrio.read_dataframe(target)
    assert list(frame.columns) == ["id", "groenvak_id", "groenvak_extern_id", "soort",
                                   "oppervlakte_m2", "status", "startdatum", "einddatum",
                                   "groepsnaam", "aantal_deelnemers", "wijk", "buurt",
                                   "gemeente", "gewijzigd_op", "geometry"]
    mine = frame[frame["id"] == plot.adoptie_id].iloc[0]
    assert mine["groenvak_id"] == plot.groenvak_id and mine["groenvak_extern_id"] == "EXPORT-1"
    assert mine["status"] == "actief" and mine["aantal_deelnemers"] == 1
    assert str(mine["startdatum"])[:10] == "2025-03-01"
    assert mine["groepsnaam"] is None or mine["groepsnaam"] != mine["groepsnaam"]  # null
    assert abs(mine.geometry.area - plot.area) < 0.01
    total = session.execute(text("SELECT count(*) FROM adoptie WHERE gemeente_code = :g"),
                            {"g": GEMEENTE}).scalar_one()
    assert len(frame) == total


@pytest.mark.parametrize("laag,collection", [("groenvakken", "groenvakken"),
                                             ("voorzieningen", "voorzieningen")])
def test_public_properties_are_the_apis(laag: str, collection: str) -> None:
    """One definition of a layer's public attributes: the OGC API's, plus the id."""
    assert list(LAYERS[laag].props) == ["id", *COLLECTIONS[collection].props]
    for name, prop in COLLECTIONS[collection].props.items():
        assert LAYERS[laag].props[name] is prop

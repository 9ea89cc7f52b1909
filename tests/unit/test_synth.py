"""Unit tests of the fictional demo gemeente generator (pure functions, no database)."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import numpy as np
import pyogrio
import pytest
import shapely

from app.geo import synth_names as nm
from app.geo.synth import DemoGemeente, build_gemeente, groenvak_batches

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
LAYERS = {
    ("wijken/gebieden.gpkg", "gemeente"): 1,
    ("wijken/gebieden.gpkg", "gebieden"): 55,
    ("wijken/gebieden.gpkg", "bebouwde_kom"): 6,
    ("voorzieningen.gpkg", "voorzieningen"): 400,
    ("groenvakken.gpkg", "groenvakken"): 5000,
    ("geografie.gpkg", "adres"): 36026,
    ("geografie.gpkg", "straat"): 3319,
    ("geografie.gpkg", "pand"): 30245,
    ("geografie.gpkg", "water"): 86,
    ("geografie.gpkg", "terrein"): 118,
}
# GeoPackage layer -> DemoGemeente attribute, where the names differ
ATTR = {"adres": "adressen", "straat": "straten", "pand": "panden"}
KEYS = ("extern_id", "identificatie", "code", "naam")


def _script() -> ModuleType:
    """Import scripts/make_demo_data.py, which is not part of a package."""
    spec = importlib.util.spec_from_file_location("make_demo_data",
                                                  ROOT / "scripts" / "make_demo_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _no_overlaps(geoms: np.ndarray) -> bool:
    """True when no two plots share any point (touching counts as overlap)."""
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    return bool((left == right).all())


def test_build_is_deterministic(demo: DemoGemeente) -> None:
    again = build_gemeente()
    for layer in ("gemeente", "gebieden", "bebouwde_kom", "voorzieningen", "groenvakken",
                  "adressen", "straten", "panden", "water", "terrein"):
        a, b = getattr(demo, layer), getattr(again, layer)
        assert a.drop(columns="geometry").equals(b.drop(columns="geometry")), layer
        assert (shapely.to_wkb(a.geometry.values) == shapely.to_wkb(b.geometry.values)).all()
    other = build_gemeente(seed=1)
    assert not shapely.equals(other.gemeente_geom, demo.gemeente_geom)


def test_gemeente_and_codes(demo: DemoGemeente) -> None:
    gem = demo.gemeente
    assert list(gem.code) == ["GM9901"] and list(gem.naam) == ["Lindewaard"]
    assert demo.gemeente_geom.geom_type == "MultiPolygon" and demo.gemeente_geom.is_valid
    x0, y0, x1, y1 = demo.gemeente_geom.bounds
    assert 14_000 < x1 - x0 < 19_000 and 10_000 < y1 - y0 < 14_000
    assert 0 < x0 and x1 < 300_000 and 300_000 < y0 and y1 < 625_000  # RD New range
    g = demo.gebieden
    assert g.soort.value_counts().to_dict() == {"buurt": 40, "wijk": 10, "dorp": 5}
    top = g[g.soort != "buurt"]
    assert list(top.code) == [f"WK9901{i:02d}" for i in range(15)]
    assert top.parent_code.isna().all() and top.naam.is_unique
    assert set(top[top.soort == "dorp"].naam) == set(nm.DORPEN)
    bu = g[g.soort == "buurt"]
    assert bu.code.is_unique and all(re.fullmatch(r"BU9901\d{4}", c) for c in bu.code)
    assert (bu.code.str[2:8] == bu.parent_code.str[2:8]).all()
    per_parent = bu.groupby("parent_code").size()
    soort = top.set_index("code").soort
    assert all(per_parent[c] == (2 if soort[c] == "dorp" else 3) for c in top.code)
    assert (g.geom_type == "MultiPolygon").all() and g.is_valid.all()


def test_gebieden_tile_gemeente_and_buurten_tile_gebieden(demo: DemoGemeente) -> None:
    g, gem = demo.gebieden, demo.gemeente_geom
    top, bu = g[g.soort != "buurt"], g[g.soort == "buurt"]
    assert shapely.coverage_is_valid(top.geometry.values)
    assert shapely.coverage_is_valid(bu.geometry.values)
    assert abs(top.area.sum() - gem.area) < 0.01
    assert shapely.equals(shapely.union_all(top.geometry.values), gem)
    for _, parent in top.iterrows():
        kids = bu[bu.parent_code == parent.code]
        assert abs(kids.area.sum() - parent.geometry.area) < 0.01, parent.code
        assert shapely.equals(shapely.union_all(kids.geometry.values), parent.geometry)
        assert (kids.area > 10_000).all()


def test_inwoners(demo: DemoGemeente) -> None:
    g = demo.gebieden
    assert g.inwoners.dtype == np.int64
    wijken, dorpen = g[g.soort == "wijk"], g[g.soort == "dorp"]
    assert wijken.inwoners.between(2_000, 9_000).all()
    assert dorpen.inwoners.between(600, 3_000).all()
    sums = g[g.soort == "buurt"].groupby("parent_code").inwoners.sum()
    assert (sums == g[g.soort != "buurt"].set_index("code").inwoners).all()


def test_bebouwde_kom(demo: DemoGemeente) -> None:
    kom, g = demo.bebouwde_kom, demo.gebieden
    assert list(kom.naam) == ["Lindewaard", *nm.DORPEN]
    assert kom.is_valid.all() and shapely.within(kom.geometry.values, demo.gemeente_geom).all()
    widths = [(b[2] - b[0], b[3] - b[1]) for b in shapely.bounds(kom.geometry.values)]
    assert all(3_800 < w < 5_200 for w in widths[0])
    assert all(700 < w < 1_300 for wh in widths[1:] for w in wh)
    for _, row in kom.iloc[1:].iterrows():  # each dorp kom lies in its own dorp gebied
        dorp = g[(g.soort == "dorp") & (g.naam == row.naam)].geometry.iloc[0]
        assert row.geometry.difference(dorp).area < 1.0


def test_voorzieningen(demo: DemoGemeente) -> None:
    vz, g = demo.voorzieningen, demo.gebieden
    assert list(vz.extern_id) == [f"VZ{i:04d}" for i in range(1, 401)]
    assert vz.naam.is_unique and (vz.geom_type == "Point").all()
    expected: dict[str, int] = {}
    for t in nm.VZ_TYPES:
        expected[t.categorie] = expected.get(t.categorie, 0) + t.aantal
    assert vz.categorie.value_counts().to_dict() == expected
    assert set(vz.categorie) == {c.code for c in nm.CATEGORIEEN}
    assert shapely.within(vz.geometry.values, demo.gemeente_geom).all()
    assert shapely.within(vz.geometry.values, demo.bebouwd_geom).mean() > 0.8
    assert (vz.bron == "Demodata Lindewaard").all()
    assert vz.status.isin(["gepubliceerd", "voorgesteld"]).all()
    assert 0.95 <= (vz.status == "gepubliceerd").mean() < 1.0
    dates = vz.laatst_gecontroleerd.dropna()
    assert dates.between("2025-01-01", "2026-11-01").all() and len(dates) > 300
    assert vz.postcode.str.fullmatch(r"99\d\d [A-Z]{2}").all()
    assert vz.telefoon.dropna().str.fullmatch(r"099-555\d{4}").all()
    assert vz.email.dropna().str.fullmatch(r"info@[a-z0-9-]+\.example").all()
    assert vz.website.dropna().str.fullmatch(r"https://[a-z0-9-]+\.example").all()
    assert (vz.naam.str.startswith("Station ")).sum() == 1
    top = g[g.soort != "buurt"]
    no_huisarts = []
    for _, area in top.iterrows():
        here = vz[shapely.within(vz.geometry.values, area.geometry)]
        plaats = area.naam if area.soort == "dorp" else "Lindewaard"
        assert (here.plaats == plaats).all(), area.naam
        assert here.naam.str.startswith("Bushalte").any(), area.naam
        assert here.naam.str.match("Speeltuin|Speelplek").any(), area.naam
        if not here.naam.str.match("Huisarts|Gezondheidscentrum").any():
            no_huisarts.append(area.naam)
    assert {"Wilgendonk", "Klaverhorst"} <= set(no_huisarts)  # deliberate gaps


def test_groenvakken(demo: DemoGemeente) -> None:
    gv = demo.groenvakken
    assert list(gv.extern_id) == [f"GV{i:05d}" for i in range(1, 5001)]
    geoms = gv.geometry.values
    assert (gv.geom_type == "MultiPolygon").all() and shapely.is_valid(geoms).all()
    assert shapely.within(geoms, demo.bebouwd_geom).all()
    assert gv.area.between(5, 500).all()
    assert _no_overlaps(geoms)
    counts = gv.soort.value_counts()
    assert set(counts.index) == set(nm.GROENVAK_SOORTEN)
    assert set(counts.index[:2]) == {"gras", "heesters"} and counts.index[-1] == "moestuin"
    assert 0.05 < gv.naam.notna().mean() < 0.15
    assert gv.naam.dropna().str.startswith("Plantsoen ").all()
    assert 0.8 < gv.zelfbeheer_mogelijk.mean() < 0.9
    assert gv[gv.soort == "boomspiegel"].area.max() <= 12.5
    hagen = shapely.minimum_rotated_rectangle(gv[gv.soort == "haag"].geometry.values)
    ring = shapely.get_coordinates(shapely.get_exterior_ring(shapely.get_parts(hagen)))
    sides = np.hypot(*np.diff(ring.reshape(-1, 5, 2), axis=1).transpose(2, 0, 1))
    assert np.all((sides.min(axis=1) > 0.95) & (sides.min(axis=1) < 1.55))


def test_groenvak_batches_20000(demo: DemoGemeente) -> None:
    gem = demo.gemeente_geom
    batches = list(groenvak_batches(20_000, demo.bebouwd_geom, gem, seed=7, batch_size=7_000))
    assert [len(ids) for ids, _, _ in batches] == [7_000, 7_000, 6_000]
    ids = [i for b, _, _ in batches for i in b]
    assert ids[0] == "GEN0000001" and ids[-1] == "GEN0020000" and len(set(ids)) == 20_000
    soorten = np.concatenate([s for _, s, _ in batches])
    assert set(soorten) <= set(nm.GROENVAK_SOORTEN)
    geoms = np.concatenate([g for _, _, g in batches])
    assert len(geoms) == 20_000 and (shapely.get_type_id(geoms) == 6).all()  # MultiPolygon
    assert shapely.is_valid(geoms).all() and shapely.within(geoms, gem).all()
    assert shapely.within(geoms, demo.bebouwd_geom).all()  # 20k still fit in the kom
    area = shapely.area(geoms)
    assert area.min() >= 5 and area.max() <= 500
    assert _no_overlaps(geoms)
    first = next(groenvak_batches(20_000, demo.bebouwd_geom, gem, seed=7, batch_size=7_000))
    assert (shapely.to_wkb(first[2]) == shapely.to_wkb(batches[0][2])).all()


def test_groenvak_batches_spill_into_gemeente_when_dense(demo: DemoGemeente) -> None:
    gem = demo.gemeente_geom
    _, _, geoms = next(groenvak_batches(120_000, demo.bebouwd_geom, gem, seed=3,
                                        batch_size=5_000))
    assert shapely.within(geoms, gem).all() and shapely.is_valid(geoms).all()
    assert not shapely.within(geoms, demo.bebouwd_geom).all()
    assert _no_overlaps(geoms)


def test_categorieen_csv_and_contrast(tmp_path: Path) -> None:
    script = _script()
    path = tmp_path / "categorieen.csv"
    script.write_categorieen(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code,naam,icoon,kleur,volgorde,is_initiatief"
    assert len(lines) == 11
    assert lines[-1] == "initiatief,Maatschappelijk initiatief,initiatief,#8a5a00,100,true"
    for cat in nm.CATEGORIEEN:
        assert re.fullmatch(r"#[0-9a-f]{6}", cat.kleur)
        assert script.contrast_with_white(cat.kleur) >= 3.0, cat.code
    assert script.contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert script.contrast_with_white("#000000") == pytest.approx(21.0)


def test_script_output_is_byte_stable(tmp_path: Path) -> None:
    script = _script()
    digests = []
    for run in ("a", "b"):
        assert script.main(["--out", str(tmp_path / run)]) == 0
        files = sorted(p for p in (tmp_path / run).rglob("*") if p.is_file())
        digests.append({p.relative_to(tmp_path / run): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in files})
    assert digests[0] == digests[1] and len(digests[0]) == 5
    for (rel, layer), count in LAYERS.items():
        info = pyogrio.read_info(tmp_path / "a" / rel, layer=layer)
        assert info["crs"] == "EPSG:28992" and info["features"] == count


@pytest.mark.skipif(not (DATA / "groenvakken.gpkg").exists(), reason="demo data not generated")
def test_committed_data_matches_generator(demo: DemoGemeente) -> None:
    for (rel, layer), count in LAYERS.items():
        info = pyogrio.read_info(DATA / rel, layer=layer)
        assert info["crs"] == "EPSG:28992" and info["features"] == count, (rel, layer)
        df = pyogrio.read_dataframe(DATA / rel, layer=layer)
        mine = getattr(demo, ATTR.get(layer, layer))
        key = next(k for k in KEYS if k in df)
        assert list(df[key]) == list(mine[key]), f"{rel}:{layer} is stale; rerun the script"
        assert abs(df.area.sum() - mine.area.sum()) < 1.0

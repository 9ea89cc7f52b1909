"""The demo gemeente: idempotent load, every adoptie state, accounts without public data."""

from sqlalchemy import Engine, text

from app.services.demo import laden as demo
from app.workflow import STATUSSEN

TABLES = ["gemeente", "gebied", "categorie", "voorziening", "groenvak", "gebruiker", "adoptie",
          "deelname", "onderhoud", "schouw", "audit_log", "adres", "straat", "pand", "water",
          "terrein"]


def _fingerprint(engine: Engine) -> dict[str, str]:
    """An md5 over every row of every table: any change shows."""
    with engine.connect() as conn:
        return {t: conn.execute(text(
            f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)),"
            f" '') FROM {t} t")).scalar_one() for t in TABLES}


def test_demo_load_twice_changes_nothing(db_url: str, engine: Engine) -> None:
    before = _fingerprint(engine)
    report = demo.load(db_url)
    assert set(report.changed.values()) == {0}
    assert report.passwords == {}
    assert _fingerprint(engine) == before


def test_demo_has_adopties_in_every_state(engine: Engine) -> None:
    with engine.connect() as conn:
        states = {r[0] for r in conn.execute(text("SELECT DISTINCT status FROM adoptie"))}
        assert states == set(STATUSSEN)
        statuses = {r[0] for r in conn.execute(text("SELECT DISTINCT status FROM groenvak_status"))}
        assert statuses == {"beschikbaar", "aangevraagd", "in_zelfbeheer", "niet_beschikbaar"}
        hashes = conn.execute(text("""SELECT wachtwoord_hash FROM gebruiker
                                      WHERE email LIKE '%@lindewaard.example'
                                        AND wachtwoord_hash IS NOT NULL""")).scalars().all()
        assert len(hashes) == 2 and all(h.startswith("$argon2id$") for h in hashes)
        trekkers = conn.execute(text("""SELECT count(*) FROM adoptie a WHERE NOT EXISTS
            (SELECT 1 FROM deelname d WHERE d.adoptie_id = a.id AND d.rol = 'trekker')""")).scalar()
        assert trekkers == 0


def test_demo_files_are_in_rd_new() -> None:
    import pyogrio

    for path, layer in [(demo.GEBIEDEN_GPKG, "gebieden"), (demo.DATA / "groenvakken.gpkg", None),
                        (demo.DATA / "voorzieningen.gpkg", None),
                        *((demo.GEOGRAFIE_GPKG, laag) for laag in
                          ("adres", "straat", "pand", "water", "terrein"))]:
        info = pyogrio.read_info(path, layer=layer)
        assert info["crs"] == "EPSG:28992"

"""Shapefile field names: at most 10 characters, unique, the same every time; and the checks
of an export request, without a database."""

from __future__ import annotations

from app.services.export.bestanden import parse
from app.services.export.lagen import LAYERS
from app.services.export.shapefile import short_names


def test_short_names_fit_are_unique_and_stable() -> None:
    for layer in LAYERS.values():
        names = short_names(list(layer.props))
        assert all(1 <= len(s) <= 10 for s in names.values())
        assert len({s.lower() for s in names.values()}) == len(names)
        assert names == short_names(list(layer.props))
    assert short_names(["oppervlakte_m2", "zelfbeheer_mogelijk", "naam"]) == {
        "oppervlakte_m2": "oppervl_m2", "zelfbeheer_mogelijk": "zelf_mogel", "naam": "naam"}


def test_colliding_names_get_a_number() -> None:
    names = short_names(["categorie_naam", "categorie_nummer", "categorie_n"])
    assert names == {"categorie_naam": "categ_naam", "categorie_nummer": "cate_numme",
                     "categorie_n": "categori_n"}
    same = short_names(["aaaaaaaaaaaa", "aaaaaaaaaaab", "aaaaaaaaaaac"])
    assert same == {"aaaaaaaaaaaa": "aaaaaaaaaa", "aaaaaaaaaaab": "aaaaaaaaa1",
                    "aaaaaaaaaaac": "aaaaaaaaa2"}


def test_parse_checks_each_field() -> None:
    request, fouten = parse(["Groenvakken"], "SHP", " WK990103 ", ["in_zelfbeheer"], "GM9901")
    assert fouten == {} and request is not None
    assert request.lagen == ("groenvakken",) and request.formaat == "shp"
    assert request.selection.wijk == "WK990103"
    request, fouten = parse(["alles"], "gpkg", None, [], "GM9901")
    assert request is not None and request.lagen == tuple(LAYERS)
    _, fouten = parse([], "pdf", "WK 1", ["x"], "GM9901")
    assert set(fouten) == {"laag", "formaat", "wijk"}
    _, fouten = parse(["adopties"], "csv", None, ["beschikbaar"], "GM9901")
    assert fouten == {"status": "Onbekende status 'beschikbaar' voor adopties: kies uit "
                                "concept, aangevraagd, actief, afgewezen, ingetrokken, beeindigd."}
